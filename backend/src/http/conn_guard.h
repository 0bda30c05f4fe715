/* conn_guard.h -- what libmicrohttpd 0.9.75 lacks against slow clients: a deadline for
 * each request head, a minimum average rate for request bodies, and a cap on the
 * connections one address may hold (trusted proxies exempt). A reaper thread checks
 * every connection once a second and shuts down the socket of one past its deadline;
 * libmicrohttpd then sees the end of the stream and closes it in its own thread. */
#ifndef DL_HTTP_CONN_GUARD_H
#define DL_HTTP_CONN_GUARD_H

#include <microhttpd.h>
#include <stddef.h>

#include "http/client_address.h"

struct conn_guard_config {
    int head_timeout_seconds;     /* from the connection's start, or the previous answer */
    int body_grace_seconds;       /* a body's rate is judged only after this long */
    int min_body_rate;            /* bytes per second, averaged since the body began */
    int per_address_limit;        /* open connections from one address; 0: no cap */
    const struct trusted_proxies *proxies;   /* exempt from the per-address cap */
};

struct conn_guard;

/* Starts the reaper; NULL with a logged reason when the thread cannot start. */
struct conn_guard *conn_guard_create(const struct conn_guard_config *config);
/* Stops the reaper and frees (call after the daemon has stopped). */
void conn_guard_free(struct conn_guard *guard);

/* MHD_OPTION_APPLY policy (accept) and MHD_OPTION_NOTIFY_CONNECTION callbacks; cls is
 * the guard. The accept callback takes the address's place (or refuses when it has none
 * left), the STARTED notification claims it, CLOSED gives it back. */
enum MHD_Result conn_guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
void conn_guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                       enum MHD_ConnectionNotificationCode code);

/* The request's head has arrived (the handler's first call): its body phase begins. */
void conn_guard_head_done(struct MHD_Connection *conn);
/* `n` more bytes of the request body arrived. */
void conn_guard_body_bytes(struct MHD_Connection *conn, size_t n);
/* The body is complete and the answer is being written: no deadline of ours applies. */
void conn_guard_answering(struct MHD_Connection *conn);
/* The answer went out: the next request's head deadline starts now. */
void conn_guard_request_done(struct MHD_Connection *conn);

#endif
