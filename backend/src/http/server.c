/* server.c -- libmicrohttpd glue. The request's framing is checked first; the body is
 * copied as it arrives (MHD lends it only for one callback) and refused with 413 once
 * past the limit; then the route table, authentication and the handler run, and the
 * exchange is freed in one place. Slow clients are held to deadlines by conn_guard.c. */
#include "http/server.h"

#include <arpa/inet.h>
#include <assert.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "api/csrf.h"
#include "api/idempotency.h"
#include "api/reply.h"
#include "api/session_api.h"
#include "http/conn_guard.h"
#include "http/content_coding.h"
#include "http/deferred.h"
#include "http/file_limit.h"
#include "http/framing.h"
#include "http/log_escape.h"
#include "http/mhd_log.h"
#include "http/router.h"
#include "http/security_headers.h"
#include "http/upload.h"
#include "http/web_serve.h"
#include "util/gzip.h"
#include "util/log.h"
#include "util/secret.h"
#include "util/xalloc.h"

#define STOP_GRACE_SECONDS 10

struct http_server {
    struct MHD_Daemon *daemon;
    const struct app *app;
    struct web_assets *assets;    /* the browser app; NULL when there is none */
    struct upload_gate *uploads;  /* the cap on uploads in progress */
    struct conn_guard *guard;     /* head deadlines, body rates, per-address caps */
    struct trusted_proxies proxies;
    bool tls;
    struct deferred_pool *deferred;  /* password checks, off the workers */
};

/* Everything one request owns, from its request line (the URI log callback) to
 * request_completed, which frees it. */
struct request_state {
    struct exchange ex;
    char *raw_uri;              /* as sent, before decoding */
    bool began;                 /* the handler has been called (the head is complete) */
    bool must_close;            /* answer with Connection: close */
    char *body;
    size_t body_len;
    bool too_large;
    size_t dropped;             /* bytes read and dropped past the limit */
    bool answered_early;
    struct upload *upload;         /* ROUTE_UPLOAD: the multipart body's reader */
    struct timespec started;
};

/* The methods the server knows, both ways (method_of, method_text). */
static const struct { const char *name; enum http_method method; } METHODS[] = {
    {"GET", METHOD_GET}, {"POST", METHOD_POST}, {"PUT", METHOD_PUT},
    {"PATCH", METHOD_PATCH}, {"DELETE", METHOD_DELETE}, {"HEAD", METHOD_HEAD},
};

static enum http_method method_of(const char *m)
{
    for (size_t i = 0; i < sizeof METHODS / sizeof *METHODS; i++)
        if (strcmp(m, METHODS[i].name) == 0)
            return METHODS[i].method;
    return METHOD_OTHER;
}

static const char *method_text(enum http_method method)
{
    for (size_t i = 0; i < sizeof METHODS / sizeof *METHODS; i++)
        if (METHODS[i].method == method)
            return METHODS[i].name;
    return "?";
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    struct exchange *ex = cls;
    if (ex->nquery == EXCHANGE_MAX_QUERY) {
        ex->query_overflow = true;
        return MHD_NO;
    }
    ex->query[ex->nquery++] = (struct query_param){key, value};
    return MHD_YES;
}

struct forwarded {
    struct forwarded_for xff;
    const char *proto;          /* the last X-Forwarded-Proto */
};

static enum MHD_Result collect_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                         const char *value)
{
    (void)kind;
    struct forwarded *fw = cls;
    if (strcasecmp(key, "X-Forwarded-For") == 0)
        forwarded_for_add(&fw->xff, value);
    else if (strcasecmp(key, "X-Forwarded-Proto") == 0)
        fw->proto = value;
    return MHD_YES;
}

/* The client's address and scheme: the peer's own, or what a trusted proxy says. */
static void fill_client(const struct http_server *server, struct exchange *ex,
                        struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *peer = info ? info->client_addr : NULL;
    struct forwarded fw = {.xff.count = 0};
    bool from_proxy = trusted_proxies_has_sockaddr(&server->proxies, peer);
    if (from_proxy)
        MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_forwarded, &fw);
    client_address_pick(&server->proxies, peer, fw.xff.values, fw.xff.count,
                        ex->client_address, sizeof ex->client_address);
    ex->https = server->tls || (fw.proto && strcasecmp(fw.proto, "https") == 0);
}

static void fill_request(const struct http_server *server, struct exchange *ex,
                         struct MHD_Connection *conn, const char *url, const char *method)
{
    ex->method = method_of(method);
    ex->path = url;
    ex->content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_CONTENT_TYPE);
    ex->authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                    MHD_HTTP_HEADER_AUTHORIZATION);
    ex->host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    ex->origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ORIGIN);
    ex->fetch_site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
    ex->csrf_header = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
    ex->takes_gzip = content_coding_takes_gzip(MHD_lookup_connection_value(
        conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
    ex->idempotency_header = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                         "Idempotency-Key");
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, ex);
    fill_client(server, ex, conn);
    /* Over HTTPS only the __Host- cookie counts: a plain-HTTP page cannot have set it. */
    ex->cookie_token = MHD_lookup_connection_value(
        conn, MHD_COOKIE_KIND, ex->https ? SESSION_COOKIE_HTTPS : SESSION_COOKIE_HTTP);
}

/* A text body from this size up goes gzip-compressed to a client that takes it: a page of
 * the queue (some 60 KB of JSON) becomes a tenth of that, which a phone on slow mobile
 * data feels, for well under a millisecond of the server's time. */
#define GZIP_MIN_BODY 1024

/* A gzip body for a client that does not take gzip (no handler sends one: a guard) is
 * inflated; one that cannot be is a 500 problem rather than bytes the client cannot read. */
static void inflate_for_client(struct exchange *ex)
{
    size_t len = 0;
    char *text = gzip_inflate(ex->response_gzip, ex->response_gzip_len, &len);
    if (text) {
        exchange_set_body(ex, text, 0);
        return;
    }
    log_error("a gzip answer could not be inflated for a client without gzip");
    reply_problem(ex, ERR_INTERNAL, "The answer could not be prepared.");
}

/* Compresses a text body worth it for a client that takes gzip. */
static void compress_text_body(struct exchange *ex)
{
    if (!ex->takes_gzip || ex->response_secret || ex->response_gzip || !ex->response_body ||
        ex->response_len > 0)
        return;
    size_t len = strlen(ex->response_body), gz_len = 0;
    unsigned char *gz = len < GZIP_MIN_BODY ? NULL
                      : gzip_compress_if_it_pays(ex->response_body, len, GZIP_FAST, &gz_len);
    if (gz)
        exchange_set_gzip_body(ex, gz, gz_len);
}

/* The response body is handed over to libmicrohttpd, not copied. Text bodies (JSON from
 * cJSON, whose allocator is malloc) end at their NUL; a binary body (a download) and a
 * gzip one say their length. */
static struct MHD_Response *response_of(struct exchange *ex)
{
    if (ex->response_gzip && !ex->takes_gzip)
        inflate_for_client(ex);
    compress_text_body(ex);
    void *body = ex->response_gzip ? (void *)ex->response_gzip : ex->response_body;
    if (!body)
        return MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    size_t len = ex->response_gzip ? ex->response_gzip_len
               : ex->response_len > 0 ? ex->response_len : strlen(ex->response_body);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, body,
                                                                MHD_RESPMEM_MUST_FREE);
    if (resp && ex->response_gzip)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    if (resp) {   /* handed over only when the response exists */
        ex->response_body = NULL;
        ex->response_gzip = NULL;
    }
    exchange_set_body(ex, NULL, 0);
    return resp;
}

static enum MHD_Result send_exchange(struct MHD_Connection *conn, struct request_state *st)
{
    struct exchange *ex = &st->ex;
    struct MHD_Response *resp = response_of(ex);
    if (!resp)
        return MHD_NO;   /* out of memory: libmicrohttpd closes the connection */
    if (ex->response_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ex->response_type);
    if (ex->location)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, ex->location);
    if (ex->set_cookie)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, ex->set_cookie);
    if (ex->disposition)
        MHD_add_response_header(resp, "Content-Disposition", ex->disposition);
    if (ex->allow[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, ex->allow);
    if (ex->retry_after > 0) {
        char seconds[16];
        snprintf(seconds, sizeof seconds, "%d", ex->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    if (st->must_close)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    security_headers_add(resp, ex->csp);
    conn_guard_answering(conn);
    enum MHD_Result rc = MHD_queue_response(conn, (unsigned)ex->status, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* Who is asking, whether a state change comes from our app, and whether it was answered
 * before under its Idempotency-Key; false with err set when the request goes no further. */
static bool admit(struct exchange *ex, const struct route *route, struct error *err)
{
    if ((route->flags & ROUTE_AUTH) && !api_authenticate(ex, err))
        return false;
    if (!csrf_check(ex, err))
        return false;
    return !(route->flags & ROUTE_IDEMPOTENT) || idempotency_begin(ex, err);
}

/* Route, check the body size, admit, run the handler. */
static void dispatch(struct request_state *st)
{
    struct exchange *ex = &st->ex;
    const struct route *route = NULL;
    struct error err = {0};
    switch (router_match(ex, &route)) {
    case ROUTE_NO_PATH:
        reply_problem(ex, ERR_NOT_FOUND, "There is nothing at this address.");
        return;
    case ROUTE_NO_METHOD:
        reply_problem(ex, ERR_NO_METHOD, "This address does not take that method.");
        return;
    case ROUTE_FOUND:
        break;
    }
    if (st->too_large) {
        reply_problem(ex, ERR_TOO_LARGE, "The request body is over 64 KiB.");
        return;
    }
    ex->body = st->body;
    ex->body_len = st->body_len;
    if (!admit(ex, route, &err)) {
        reply_error(ex, &err);
        return;
    }
    if (!idempotency_replayed(ex))
        route->handler(ex);
}

static bool declared_too_large(struct MHD_Connection *conn)
{
    const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_CONTENT_LENGTH);
    return len && strtoull(len, NULL, 10) > HTTP_BODY_LIMIT;
}

static void append_body(struct request_state *st, const char *data, size_t size)
{
    if (st->too_large || st->body_len + size > HTTP_BODY_LIMIT) {
        st->too_large = true;
        st->dropped += size;
        return;
    }
    st->body = xrealloc(st->body, st->body_len + size + 1);
    memcpy(st->body + st->body_len, data, size);
    st->body_len += size;
    st->body[st->body_len] = '\0';
}

/* GET and HEAD of the browser app's files and screens; nothing else goes there. */
static enum MHD_Result answer_app_path(struct MHD_Connection *conn, struct request_state *st,
                                       const struct web_assets *assets)
{
    struct exchange *ex = &st->ex;
    st->answered_early = true;   /* a body sent along is read and dropped */
    if (ex->method != METHOD_GET && ex->method != METHOD_HEAD) {
        snprintf(ex->allow, sizeof ex->allow, "GET, HEAD");
        reply_problem(ex, ERR_NO_METHOD, "This address does not take that method.");
        return send_exchange(conn, st);
    }
    bool immutable = false;
    const struct web_asset *asset = web_serve_pick(assets, ex->path, &immutable);
    if (!asset) {
        reply_problem(ex, ERR_NOT_FOUND, "There is nothing at this address.");
        return send_exchange(conn, st);
    }
    ex->status = 200;
    conn_guard_answering(conn);
    return web_serve_send(conn, asset, immutable);
}

/* --- uploads (ROUTE_UPLOAD): their bodies stream through http/upload.c -------------- */

/* At the first call: true when the route takes uploads (st->upload is then set, and
 * answered_early when its answer must go out before the body). */
static bool starts_upload(struct MHD_Connection *conn, struct request_state *st,
                          struct http_server *server)
{
    const struct route *route = NULL;
    if (router_match(&st->ex, &route) != ROUTE_FOUND || !(route->flags & ROUTE_UPLOAD))
        return false;
    st->answered_early = upload_start(server->uploads, conn, route, &st->ex, &st->upload);
    return true;
}

static enum MHD_Result continue_upload(struct MHD_Connection *conn, struct request_state *st,
                                       const char *data, size_t *size)
{
    if (st->answered_early)
        return MHD_YES;
    if (*size > 0) {
        bool more = upload_feed(st->upload, data, *size);
        *size = 0;
        return more ? MHD_YES : MHD_NO;   /* past the bound: close the connection */
    }
    upload_finish(st->upload);
    exchange_release_db(&st->ex);
    return send_exchange(conn, st);
}

/* ------------------------------------------------------------------------------------ */

/* The request line has arrived: the request's state starts here, with the URI as sent
 * (libmicrohttpd decodes it before the handler sees it, and %00 would cut it short). */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    struct request_state *st = xcalloc(1, sizeof *st);
    st->raw_uri = xstrdup(uri ? uri : "");
    clock_gettime(CLOCK_MONOTONIC, &st->started);
    return st;
}

/* A request whose framing is wrong is answered 400 and its connection closed: where it
 * ends, and so where the next one begins, cannot be trusted. */
static enum MHD_Result refuse_framing(struct MHD_Connection *conn, struct request_state *st,
                                      const struct framing_fault *fault)
{
    struct error err = {0};
    error_coded(&err, ERR_INVALID, fault->code, "%s", fault->detail);
    st->answered_early = true;
    st->must_close = true;
    reply_error(&st->ex, &err);
    return send_exchange(conn, st);
}

/* The handler's first call: the head is complete, the body (if any) not yet read. */
static enum MHD_Result begin_request(struct http_server *server, struct MHD_Connection *conn,
                                     struct request_state *st, const char *url,
                                     const char *method, const char *version)
{
    st->began = true;
    st->ex.app = server->app;
    conn_guard_head_done(conn);
    fill_request(server, &st->ex, conn, url, method);
    struct framing_fault fault;
    if (!framing_check(conn, version, st->raw_uri, &fault))
        return refuse_framing(conn, st, &fault);
    if (server->assets && web_serve_owns(url))
        return answer_app_path(conn, st, server->assets);
    if (starts_upload(conn, st, server))
        return st->answered_early ? send_exchange(conn, st) : MHD_YES;
    if (!declared_too_large(conn))
        return MHD_YES;
    /* Refuse before reading a byte of a body declared too large. */
    st->answered_early = true;
    reply_problem(&st->ex, ERR_TOO_LARGE, "The request body is over 64 KiB.");
    return send_exchange(conn, st);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    struct http_server *server = cls;
    struct request_state *st = *req_cls;
    assert(st);   /* made by on_request_line, the URI log callback */
    if (!st->began)
        return begin_request(server, conn, st, url, method, version);
    if (*upload_data_size > 0)
        conn_guard_body_bytes(conn, *upload_data_size);
    else   /* the body is complete: the handler's time (or a wait) is not the client's */
        conn_guard_answering(conn);
    if (st->upload)
        return continue_upload(conn, st, upload_data, upload_data_size);
    if (*upload_data_size > 0) {
        append_body(st, upload_data, *upload_data_size);
        *upload_data_size = 0;
        /* Past the limit the rest is read and dropped, and dispatch answers 413 at the end
         * (libmicrohttpd 0.9.75 cannot answer in the middle of a body); past the discard
         * bound the connection is closed instead. */
        return st->dropped > HTTP_DISCARD_LIMIT ? MHD_NO : MHD_YES;
    }
    if (st->answered_early)
        return MHD_YES;
    /* --- deferred work (http/deferred.h): a resumed request is answered, not run again */
    if (!deferred_end(&st->ex)) {
        dispatch(st);
        if (deferred_begin(server->deferred, conn, &st->ex))
            return MHD_YES;   /* suspended until the work is done */
    }
    /* --- */
    /* The answer is built: a slow reader must not hold a database connection. */
    exchange_release_db(&st->ex);
    return send_exchange(conn, st);
}

/* One line per request; what the client chose (path, login) is escaped first. A head
 * that never completed is not logged here: conn_guard counts the ones it cut. */
static void log_request(const struct request_state *st, enum MHD_RequestTerminationCode code)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = (double)(now.tv_sec - st->started.tv_sec) * 1e3 +
                (double)(now.tv_nsec - st->started.tv_nsec) / 1e6;
    char path[512], login[160];
    if (!st->began) {
        /* Answered by libmicrohttpd itself (a malformed head); no handler ran. */
        log_escape_field(st->raw_uri, path, sizeof path);
        if (code == MHD_REQUEST_TERMINATED_COMPLETED_OK ||
            code == MHD_REQUEST_TERMINATED_WITH_ERROR)
            log_info("- %s refused by libmicrohttpd %.1fms", path, ms);
        return;
    }
    log_escape_field(st->ex.path, path, sizeof path);
    log_escape_field(st->ex.authenticated ? st->ex.user.login : "", login, sizeof login);
    char status[16] = "closed";   /* cut or abandoned before an answer was built */
    if (st->ex.status)
        snprintf(status, sizeof status, "%d", st->ex.status);
    log_info("%s %s %s %.1fms %s%s%s", method_text(st->ex.method), path, status, ms,
             st->ex.client_address, login[0] ? " " : "", login);
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                              enum MHD_RequestTerminationCode code)
{
    (void)cls;
    struct request_state *st = *req_cls;
    if (!st)
        return;
    log_request(st, code);
    conn_guard_request_done(conn);
    upload_free(st->upload);
    if (st->began)
        exchange_finish(&st->ex);
    free(st->body);
    free(st->raw_uri);
    free(st);
    *req_cls = NULL;
}

static bool parse_listen(const char *listen, struct sockaddr_in *addr)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return false;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (!*(colon + 1) || *end || port < 1 || port > 65535)
        return false;
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &addr->sin_addr) == 1;
}

static struct MHD_Daemon *start_daemon(struct http_server *server,
                                       const struct server_config *config,
                                       struct sockaddr_in *addr, int max_connections)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)config->tls_key_pem},
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)config->tls_cert_pem},
        {MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)HTTP_TLS_PRIORITIES},
        {MHD_OPTION_END, 0, NULL},
    };
    if (server->tls)
        flags |= MHD_USE_TLS;
    /* The per-address cap is conn_guard's: libmicrohttpd's own cannot spare a proxy. */
    /* Each connection's memory pool holds its request head and answer head, and
     * libmicrohttpd zeroes all of it between the requests of a kept-alive connection, so
     * every idle connection keeps the whole pool resident: 16 KiB (half its default)
     * still takes a head of about 12 KiB, and 2,000 idle connections cost 31 MiB, not 62. */
    return MHD_start_daemon(
        flags, 0, conn_guard_accept, server->guard, on_request, server,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,     /* first, to catch every message */
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)config->threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)15,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)max_connections,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_POOL_BYTES,
        MHD_OPTION_URI_LOG_CALLBACK, on_request_line, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, conn_guard_notify, server->guard,
        MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
        MHD_OPTION_ARRAY, server->tls ? tls : tls + 3,
        MHD_OPTION_END);
}

static struct conn_guard *guard_for(const struct server_config *config,
                                    const struct trusted_proxies *proxies)
{
    struct conn_guard_config gc = {
        .head_timeout_seconds = config->head_timeout_seconds > 0
                                    ? config->head_timeout_seconds : HTTP_DEFAULT_HEAD_TIMEOUT,
        .body_grace_seconds = config->body_grace_seconds > 0
                                  ? config->body_grace_seconds : HTTP_DEFAULT_BODY_GRACE,
        .min_body_rate = config->min_body_rate,
        .per_address_limit = config->per_address_limit,
        .proxies = proxies,
    };
    return conn_guard_create(&gc);
}

static void server_free(struct http_server *server)
{
    deferred_pool_free(server->deferred);
    web_assets_free(server->assets);
    upload_gate_free(server->uploads);
    conn_guard_free(server->guard);
    free(server);
}

struct http_server *http_server_start(const struct server_config *config)
{
    struct sockaddr_in addr;
    if (!parse_listen(config->listen, &addr)) {
        log_error("cannot listen on \"%s\": give an IPv4 HOST:PORT such as 127.0.0.1:8080",
                  config->listen);
        return NULL;
    }
    struct http_server *server = xcalloc(1, sizeof *server);
    server->app = config->app;
    server->proxies = config->proxies;
    server->tls = config->tls_cert_pem && config->tls_key_pem;
    server->uploads = upload_gate_create(config->max_uploads);
    server->deferred = deferred_pool_create(SECRET_MAX_CONCURRENT_VERIFICATIONS,
        config->sign_in_queue > 0 ? config->sign_in_queue : HTTP_SIGN_IN_QUEUE_DEFAULT);
    if ((config->web_dir && !(server->assets = web_assets_load(config->web_dir))) ||
        !(server->guard = guard_for(config, &server->proxies))) {
        server_free(server);
        return NULL;
    }
    int max_connections = file_limit_fit(
        config->max_connections > 0 ? config->max_connections : HTTP_DEFAULT_MAX_CONNECTIONS,
        file_limit_besides(config->threads, config->db_connections));
    if (max_connections == 0) {
        server_free(server);
        return NULL;
    }
    server->daemon = start_daemon(server, config, &addr, max_connections);
    if (!server->daemon) {
        log_error("cannot listen on %s (is the port in use%s?)", config->listen,
                  server->tls ? ", or the certificate or key unreadable" : "");
        server_free(server);
        return NULL;
    }
    log_info("listening on %s://%s", server->tls ? "https" : "http", config->listen);
    return server;
}

void http_server_stop(struct http_server *server)
{
    if (!server)
        return;
    /* Stop accepting first; answer the sign-ins still waiting for their password check
     * (503: a queue of checks would hold the stop for many seconds), then give the
     * requests in flight time to finish. */
    MHD_socket fd = MHD_quiesce_daemon(server->daemon);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    deferred_pool_stop(server->deferred);   /* resumes every suspended connection */
    for (int waited = 0; waited < STOP_GRACE_SECONDS * 10; waited++) {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!info || info->num_connections == 0)
            break;
        usleep(100 * 1000);
    }
    MHD_stop_daemon(server->daemon);
    server_free(server);
}
