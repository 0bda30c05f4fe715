/* csrf.h -- a browser's state-changing request must prove it came from our own app: it
 * comes from our origin (Origin, Sec-Fetch-Site), and when the session rides on the cookie
 * it carries the session's CSRF token in X-CSRF-Token. Bearer-token clients send no
 * ambient credentials and are not affected. */
#ifndef DL_API_CSRF_H
#define DL_API_CSRF_H

#include <stdbool.h>
#include "api/exchange.h"

#define CSRF_TOKEN_HEX 65

/* The CSRF token of a session: derived from its secret token, so every replica can check
 * it without storing anything, and nobody without the session can make it. */
void csrf_token_for(const char *session_token, char out[CSRF_TOKEN_HEX]);

/* After authentication: a state change (anything but GET and HEAD) signed in by the
 * cookie, or not signed in at all (the sign-in itself), must come from our origin; one
 * signed in by the cookie must also carry the session's token. 403 otherwise. */
bool csrf_check(const struct exchange *ex, struct error *err);

#endif
