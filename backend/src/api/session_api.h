/* session_api.h -- signing in (throttled, its password check off the workers) and out,
 * who am I, and the authentication every other /api/ call goes through. */
#ifndef DL_API_SESSION_API_H
#define DL_API_SESSION_API_H

#include "api/exchange.h"

/* Resolves the bearer token or session cookie to a user (marking the session used);
 * false with err (401) when there is none, or it has ended (unused too long, or too old). */
bool api_authenticate(struct exchange *ex, struct error *err);

void session_create(struct exchange *ex);
void session_delete(struct exchange *ex);
void session_me(struct exchange *ex);

#endif
