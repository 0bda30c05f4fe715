/* webhook_url.h -- which addresses a webhook may be registered at: HTTPS anywhere, plain
 * HTTP only on this machine (127.0.0.1, localhost, [::1]) for trying out; no user name
 * or password in the address, no spaces or control characters, at most 500 bytes. The
 * database's CHECK (sql/migrations/0022_*) says the same a second time. */
#ifndef DL_DOMAIN_WEBHOOK_URL_H
#define DL_DOMAIN_WEBHOOK_URL_H

#include <stdbool.h>

#define WEBHOOK_URL_MAX 500

/* NULL when url is acceptable, else why not (a sentence for the field's error). */
const char *webhook_url_problem(const char *url);

#endif
