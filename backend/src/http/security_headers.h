/* security_headers.h -- the headers every response carries, errors included: a content
 * security policy, no sniffing, no framing, no referrer to other sites. */
#ifndef DL_HTTP_SECURITY_HEADERS_H
#define DL_HTTP_SECURITY_HEADERS_H

#include <microhttpd.h>

/* The browser app's policy: our own scripts, styles, images and API only; no inline
 * script or style attribute; no framing. */
#define SECURITY_APP_CSP                                                                  \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " \
    "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "     \
    "base-uri 'none'; form-action 'self'"

/* Adds the headers; csp NULL means the API's policy, under which nothing renders. */
void security_headers_add(struct MHD_Response *response, const char *csp);

#endif
