/* framing.h -- request shapes that could move the boundary between requests or change
 * what a URL means, refused before anything else reads the request (RFC 9112 6.3,
 * 3.2): more than one Content-Length, Content-Length with Transfer-Encoding, a transfer
 * coding other than chunked, HTTP/1.1 without Host, and an encoded NUL in the URL
 * (which libmicrohttpd's decoding would cut the path or a parameter at). */
#ifndef DL_HTTP_FRAMING_H
#define DL_HTTP_FRAMING_H

#include <microhttpd.h>
#include <stdbool.h>

struct framing_fault {
    const char *code;      /* problem code, snake_case */
    const char *detail;    /* for the person reading the problem */
};

/* true when the request is well framed; otherwise false with `fault` filled. raw_uri is
 * the URI as sent (before decoding), NULL when unknown. */
bool framing_check(struct MHD_Connection *conn, const char *version, const char *raw_uri,
                   struct framing_fault *fault);

#endif
