/* log_escape.h -- request text made safe for a log line: a decoded path can hold any
 * byte (%0a would start a forged line, %20 a forged field in the access line), so what
 * the server logs from a request goes through here first. */
#ifndef DL_HTTP_LOG_ESCAPE_H
#define DL_HTTP_LOG_ESCAPE_H

#include <stddef.h>

/* Copies `in` into `out` with control characters, bytes outside printable ASCII and the
 * backslash written as \xNN (\\ for the backslash), cut with "..." when it does not fit.
 * NULL becomes "-". For free text (libmicrohttpd's messages). */
void log_escape(const char *in, char *out, size_t out_size);
/* The same, with the space written as \x20 too: for one field of a line whose fields
 * are split on spaces (the access line's path and login). */
void log_escape_field(const char *in, char *out, size_t out_size);

#endif
