/* session_api.h -- signing in (throttled, its password check off the workers) and out,
 * who am I, and the authentication every other /api/ call goes through. */
#ifndef DL_API_SESSION_API_H
#define DL_API_SESSION_API_H

#include "api/exchange.h"

/* Resolves the bearer token or session cookie to a user (marking the session used);
 * false with err (401) when there is none, or it has ended (unused too long, or too old). */
bool api_authenticate(struct exchange *ex, struct error *err);

/* One try of a password for the login from the address (keys as domain/sign_in_rules.h
 * makes them), before the password is checked: counted as a failure at once, or refused
 * (false, 429 with ex->retry_after) while the address has failed too often. Sign-in and
 * the password change both go through it. */
bool sign_in_attempt(struct exchange *ex, const char *login_key, const char *address_key,
                     struct error *err);
/* The password proved right: forgets the login's failures from the address. */
bool sign_in_forget(struct exchange *ex, const char *login_key, const char *address_key,
                    struct error *err);

void session_create(struct exchange *ex);
void session_delete(struct exchange *ex);
void session_me(struct exchange *ex);

#endif
