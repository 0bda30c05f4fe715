/* http_post.h -- one JSON POST to a webhook endpoint with libcurl: HTTP(S) only, no
 * redirects followed (an endpoint that moved must be registered again), a deadline, and
 * the status that came back. */
#ifndef DL_UTIL_HTTP_POST_H
#define DL_UTIL_HTTP_POST_H

#include <stdbool.h>
#include <stddef.h>

/* Posts body (JSON) to url with the extra headers ("Name: value", NULL-terminated).
 * Returns the HTTP status (0 when none came: error then says why). */
int http_post_json(const char *url, const char *const *headers, const char *body,
                   long timeout_seconds, char *error, size_t error_size);

#endif
