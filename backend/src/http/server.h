/* server.h -- the HTTP server on libmicrohttpd: listen, read bodies within limits,
 * route, authenticate, answer, log; stop gracefully. */
#ifndef DL_HTTP_SERVER_H
#define DL_HTTP_SERVER_H

#include <stdbool.h>
#include "api/exchange.h"

struct server_config {
    const char *listen;          /* HOST:PORT, IPv4 */
    int threads;                 /* libmicrohttpd worker threads */
    const char *web_dir;         /* the browser app's files; NULL: serve the API only */
    int max_uploads;             /* uploads in progress at once; 0: the default (8) */
    int sign_in_queue;           /* sign-ins waiting for a password check; 0: the default */
    const struct app *app;
};

struct http_server;

/* Starts listening; NULL with a logged reason when it cannot. */
struct http_server *http_server_start(const struct server_config *config);
/* Stops accepting, lets requests in flight finish (up to a grace period), frees. */
void http_server_stop(struct http_server *server);

#define HTTP_SIGN_IN_QUEUE_DEFAULT 256

#define HTTP_BODY_LIMIT (64 * 1024)
/* A body over the limit, sent without a Content-Length, is read and dropped up to this
 * many more bytes so that the client hears 413; past it the connection is closed. */
#define HTTP_DISCARD_LIMIT (1024 * 1024)

#endif
