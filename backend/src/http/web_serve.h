/* web_serve.h -- GET and HEAD for the browser app's files (see web_assets.h). */
#ifndef DL_HTTP_WEB_SERVE_H
#define DL_HTTP_WEB_SERVE_H

#include <microhttpd.h>
#include <stdbool.h>
#include "http/web_assets.h"

/* Whether a URL path belongs to the app rather than to the API or the health checks. */
bool web_serve_owns(const char *url);

/* The file for an app path: the file itself, or index.html for a path that names no file
 * (the app's own screens, routed in the browser); NULL (404) for a missing file name.
 * *immutable: the versioned copy of the current release, cacheable for a year. */
const struct web_asset *web_serve_pick(const struct web_assets *assets, const char *url,
                                       bool *immutable);

/* Queues the file (gzip when the client takes it; 304 when its ETag matches). */
enum MHD_Result web_serve_send(struct MHD_Connection *conn, const struct web_asset *asset,
                               bool immutable);

#endif
