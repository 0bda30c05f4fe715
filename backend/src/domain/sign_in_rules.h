/* sign_in_rules.h -- the rules of sign-in throttling that need no database: how many
 * failures close the door, for how long, and what counts as one address. */
#ifndef DL_DOMAIN_SIGN_IN_RULES_H
#define DL_DOMAIN_SIGN_IN_RULES_H

#include <stddef.h>

/* Failures counted over the last SIGN_IN_WINDOW_SECONDS: a login is refused from an
 * address that failed it SIGN_IN_MAX_PER_LOGIN times, and an address that failed
 * SIGN_IN_MAX_PER_ADDRESS times in all is refused for every login. An address with no
 * failures is never refused, so guessing a login cannot lock its owner out. */
#define SIGN_IN_WINDOW_SECONDS (15 * 60)
#define SIGN_IN_MAX_PER_LOGIN 10
#define SIGN_IN_MAX_PER_ADDRESS 50

#define SIGN_IN_ADDRESS_KEY 64
#define SIGN_IN_LOGIN_KEY 257      /* 64 characters of up to 4 bytes, and the NUL */

/* The address failures are counted under: an IPv4 address as it is, an IPv6 address as
 * its /64 ("2001:db8:1:2::/64"; one subscriber often holds a whole /64), anything else
 * as given (cut to fit). */
void sign_in_address_key(const char *client_address, char out[SIGN_IN_ADDRESS_KEY]);

/* The login failures are counted under: lower-cased ASCII, so "HT.TH001" and "ht.th001"
 * share a counter. */
void sign_in_login_key(const char *login, char out[SIGN_IN_LOGIN_KEY]);

#endif
