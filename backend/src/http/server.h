/* server.h -- the HTTP server on libmicrohttpd: listen, read bodies within limits,
 * route, authenticate, answer, log; stop gracefully. */
#ifndef DL_HTTP_SERVER_H
#define DL_HTTP_SERVER_H

#include <stdbool.h>
#include "api/exchange.h"
#include "http/client_address.h"

#define HTTP_DEFAULT_MAX_CONNECTIONS 10000
#define HTTP_DEFAULT_PER_ADDRESS 256
#define HTTP_DEFAULT_HEAD_TIMEOUT 10        /* seconds */
#define HTTP_DEFAULT_BODY_GRACE 10          /* seconds */
#define HTTP_DEFAULT_MIN_BODY_RATE 2048     /* bytes per second */
#define HTTP_CONNECTION_POOL_BYTES (16 * 1024)   /* per connection; see start_daemon */

struct server_config {
    const char *listen;          /* HOST:PORT, IPv4 */
    int threads;                 /* libmicrohttpd worker threads */
    int db_connections;          /* the database pool's connections (open files too) */
    const char *web_dir;         /* the browser app's files; NULL: serve the API only */
    int max_uploads;             /* uploads in progress at once; 0: the default (8) */
    int max_connections;         /* open connections in all; fitted to RLIMIT_NOFILE */
    int per_address_limit;       /* open connections from one address (0: no cap) */
    int head_timeout_seconds;    /* to receive a request's head */
    int body_grace_seconds;      /* before a body's rate is judged */
    int min_body_rate;           /* bytes/s a body must average after the grace */
    struct trusted_proxies proxies;   /* whose X-Forwarded-For/-Proto are believed */
    const char *tls_cert_pem;    /* both set: serve HTTPS with this certificate chain */
    const char *tls_key_pem;     /* and key (PEM text; both are loaded at the start, and
                                    the caller may wipe them once http_server_start
                                    returns) */
    int sign_in_queue;           /* sign-ins waiting for a password check; 0: the default */
    const struct app *app;
};

struct http_server;

/* Starts listening; NULL with a logged reason when it cannot. */
struct http_server *http_server_start(const struct server_config *config);
/* Stops accepting, lets requests in flight finish (up to a grace period), frees. */
void http_server_stop(struct http_server *server);

#define HTTP_SIGN_IN_QUEUE_DEFAULT 256

/* GnuTLS's defaults without TLS 1.0, TLS 1.1 and SSL 3.0. */
#define HTTP_TLS_PRIORITIES "NORMAL:-VERS-TLS1.0:-VERS-TLS1.1:-VERS-SSL3.0"

#define HTTP_BODY_LIMIT (64 * 1024)
/* A body over the limit, sent without a Content-Length, is read and dropped up to this
 * many more bytes so that the client hears 413; past it the connection is closed. */
#define HTTP_DISCARD_LIMIT (1024 * 1024)

#endif
