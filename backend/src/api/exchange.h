/* exchange.h -- one HTTP request and its response as the api layer sees them: plain C,
 * no libmicrohttpd. The http layer fills the request half, a handler fills the response
 * half, and everything here is freed in one place when the request completes. */
#ifndef DL_API_EXCHANGE_H
#define DL_API_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include "db/pool.h"
#include "db/user_store.h"

enum http_method { METHOD_GET, METHOD_POST, METHOD_PUT, METHOD_PATCH, METHOD_DELETE,
                   METHOD_HEAD, METHOD_OTHER };

/* What every request shares: the connection pool and the server's settings. */
struct app {
    struct db_pool *pool;
    int session_idle_seconds;   /* a session unused this long has ended */
    int session_max_seconds;    /* and one this old has ended, however it was used */
};

/* The session cookie's name follows the scheme: over HTTPS the __Host- prefix makes the
 * browser keep it Secure, host-only and for Path=/; plain HTTP (local development) has
 * the bare name, which a browser would refuse with the prefix. */
#define SESSION_COOKIE_HTTP "directline_session"
#define SESSION_COOKIE_HTTPS "__Host-directline_session"

#define EXCHANGE_MAX_QUERY 32

struct query_param {
    const char *key, *value;
};

/* A file received by an upload route (ROUTE_UPLOAD), as the http layer read it from a
 * multipart/form-data body; the api layer judges it. */
struct upload_file {
    bool present;                      /* a part named "file" came */
    bool too_large;                    /* it passed the limit: its bytes were dropped */
    bool malformed;                    /* the multipart body could not be read */
    const char *unexpected_part;       /* the first other part's name ("file": a second) */
    const char *name;                  /* the part's file name as sent; NULL: none */
    size_t name_len;
    const unsigned char *data;
    size_t len;
    char fingerprint[65];              /* hex SHA-256 of method, path, file name and
                                          bytes: what an Idempotency-Key compares */
};

struct exchange;

/* Work a handler hands off the worker thread, such as a password check (argon2id: 64 MiB
 * and tens of milliseconds of CPU). The handler fills it (exchange_defer) and returns
 * without answering; the http layer then runs `run` on a thread of its own, with no
 * worker and no database connection held, and afterwards calls `then` on a worker to
 * answer. When the work cannot be queued, the answer is 503 and `then` never runs. */
struct exchange_deferral {
    void (*run)(void *state);
    void (*then)(struct exchange *ex, void *state);
    void (*free_state)(void *state);   /* frees state; called once, in every case */
    void *state;
};

struct exchange {
    const struct app *app;

    /* The request (pointers owned by the http layer, valid for the whole exchange). */
    enum http_method method;
    const char *path;
    /* The route's one named segment ("{ref}" -> name "ref"), checked by the router. */
    const char *path_param_name;
    char path_param[72];
    struct query_param query[EXCHANGE_MAX_QUERY];
    int nquery;
    bool query_overflow;               /* more parameters than we accept */
    const char *content_type;
    const char *authorization;         /* the Authorization header */
    const char *cookie_token;          /* the session cookie of this scheme */
    const char *host;                  /* Host */
    const char *origin;                /* Origin, sent by browsers with state changes */
    const char *fetch_site;            /* Sec-Fetch-Site */
    const char *csrf_header;           /* X-CSRF-Token */
    const char *idempotency_header;    /* Idempotency-Key */
    bool takes_gzip;                   /* Accept-Encoding takes a gzip body */
    /* The client's address as text: the peer's, or the one a trusted proxy names in
     * X-Forwarded-For. What sign-in throttling counts and the log shows. */
    char client_address[48];
    bool https;                        /* came over TLS, or a trusted proxy says so */
    const char *body;
    size_t body_len;
    const struct upload_file *upload;  /* ROUTE_UPLOAD only */

    /* Set by authentication. */
    bool authenticated;
    bool by_cookie;                    /* the token came from the cookie, not a header */
    struct user_profile user;
    char token_hash[65];               /* hex SHA-256 of the presented token */
    char csrf_token[65];               /* the session's CSRF token (see api/csrf.h) */

    /* Borrowed from the pool on first use (api_db), returned by the http layer. */
    struct db *db;

    /* The Idempotency-Key of this request, once api/idempotency.c took it. */
    struct {
        bool active;                   /* a success is to be stored under the key */
        bool locked;                   /* the key's lock is held on db */
        char key[65];
        char request_hash[65];
    } idempotency;

    /* The response (owned here, freed by exchange_finish). */
    int status;
    const char *response_type;
    char *response_body;
    size_t response_len;               /* non-zero: response_body holds these bytes (binary) */
    /* The text body as gzip, for a client that takes it, when the handler has it so (a
     * kept report); otherwise the http layer compresses a text body that is worth it. */
    unsigned char *response_gzip;
    size_t response_gzip_len;
    /* The body carries a secret (a session token, a CSRF token): never compressed, so
     * its compressed size cannot tell anything about it beside text a page reflects. */
    bool response_secret;
    char *location;
    char *set_cookie;
    char *disposition;                 /* Content-Disposition, for downloads */
    const char *csp;                   /* Content-Security-Policy (static); NULL: the API's */
    char allow[48];                    /* for 405: the methods the path takes */
    int retry_after;                   /* seconds for Retry-After; 0: none */

    /* Set by a handler that defers work (see struct exchange_deferral). */
    struct exchange_deferral deferred;
};

/* The exchange's database connection, borrowed on first use; NULL with err set. */
struct db *api_db(struct exchange *ex, struct error *err);
/* Makes db's transactions act for the signed-in user, or in the sign-in context before
 * anyone has signed in (row-level security; api_db does it for ex->db). */
void exchange_act(const struct exchange *ex, struct db *db);
/* Returns the connection to the pool (if borrowed); api_db borrows again if needed. The
 * http layer calls it as soon as the handler returns, so a slow reader of a response
 * never holds a database connection. */
void exchange_release_db(struct exchange *ex);
/* Sets the response body, freeing any before it (and its gzip copy). A text body ends at
 * its NUL (binary_len 0); a binary one has binary_len bytes. Takes ownership. */
void exchange_set_body(struct exchange *ex, char *body, size_t binary_len);
/* Sets the body as a gzip member of a text (no plain copy), for a client that takes
 * gzip; takes ownership. */
void exchange_set_gzip_body(struct exchange *ex, unsigned char *gzip, size_t len);
/* Returns the connection to the pool and frees the response (and deferred state). */
void exchange_finish(struct exchange *ex);
/* Hands `run` off the worker thread; `then` answers afterwards (struct exchange_deferral). */
void exchange_defer(struct exchange *ex, void (*run)(void *state),
                    void (*then)(struct exchange *ex, void *state),
                    void (*free_state)(void *state), void *state);
/* Frees the deferred state (if any) and forgets the deferral. */
void exchange_drop_deferral(struct exchange *ex);
/* The value of the route's named segment `name` ("ref", "login", "code", "id"), or NULL
 * when the route has no such segment. */
const char *exchange_path_param(const struct exchange *ex, const char *name);
/* The {id} of the path as a positive int (the router took only whole numbers); 0 when
 * it is past any int or there is none. */
int exchange_path_id(const struct exchange *ex);
/* The value of a query parameter, or NULL when absent. */
const char *exchange_query(const struct exchange *ex, const char *key);

#endif
