/* deferred.h -- work that must not hold a libmicrohttpd worker (password checks): the
 * connection is suspended while a small pool of threads of its own does the work, then
 * resumed, and libmicrohttpd calls the request handler again, which answers. The pool's
 * threads bound how many such jobs run at once (and so their memory); its queue bounds
 * how many wait, and past it the answer is 503 with Retry-After. */
#ifndef DL_HTTP_DEFERRED_H
#define DL_HTTP_DEFERRED_H

#include <microhttpd.h>
#include <stdbool.h>
#include "api/exchange.h"

#define DEFERRED_RETRY_AFTER_SECONDS 2

struct deferred_pool;

/* `threads` workers; at most `queue_max` (> 0) jobs waiting. The daemon must have been started
 * with MHD_ALLOW_SUSPEND_RESUME. */
struct deferred_pool *deferred_pool_create(int threads, int queue_max);
/* Lets the jobs being worked on finish, answers every job still queued 503 without
 * running its work (resuming its connection), then ends the threads; work deferred
 * afterwards is answered 503 too. Call it before MHD_stop_daemon, which refuses to stop
 * with connections suspended. A second call does nothing. NULL is fine. */
void deferred_pool_stop(struct deferred_pool *pool);
/* Stops the pool if need be and frees it, once no request can reach it any more (after
 * MHD_stop_daemon). NULL is fine. */
void deferred_pool_free(struct deferred_pool *pool);

/* After the handler ran: when it deferred work (ex->deferred), releases the exchange's
 * database connection, queues the work and suspends the connection: true, and nothing is
 * to be sent now. When the queue is full, ex gets a 503 instead (false). False too when
 * nothing was deferred. */
bool deferred_begin(struct deferred_pool *pool, struct MHD_Connection *conn,
                    struct exchange *ex);

/* At the handler's next call: when ex's deferred work has run (the connection was
 * resumed), lets the handler answer (ex->deferred.then) and returns true; then the
 * answer in ex is sent instead of dispatching the request again. When the pool stopped
 * before the work ran, the answer is 503 with Retry-After. */
bool deferred_end(struct exchange *ex);

#endif
