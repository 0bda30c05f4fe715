/* content_coding.h -- reading a request's Accept-Encoding (RFC 9110, 12.5.3): whether the
 * client takes a gzip body. */
#ifndef DL_HTTP_CONTENT_CODING_H
#define DL_HTTP_CONTENT_CODING_H

#include <stdbool.h>

/* Whether the header takes gzip: "gzip" listed with a weight above 0, or, when gzip is
 * not named, "*" with one. A missing header (NULL) takes none. */
bool content_coding_takes_gzip(const char *accept_encoding);

#endif
