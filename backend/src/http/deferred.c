/* deferred.c -- the pool that runs deferred work off libmicrohttpd's workers. A job is
 * queued and its connection suspended under one lock, so no pool thread can resume a
 * connection before it is suspended; the job's work runs, then the connection is resumed
 * and libmicrohttpd calls on_request again, where deferred_end answers. */
#include "http/deferred.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "api/reply.h"
#include "util/log.h"
#include "util/xalloc.h"

struct job {
    struct job *next;
    struct MHD_Connection *conn;
    struct exchange *ex;
};

struct deferred_pool {
    pthread_mutex_t lock;
    pthread_cond_t work;
    struct job *head, *tail;
    int queued, queue_max;
    bool stopping;
    int nthreads;                   /* set before the pool is shared, then only read */
    pthread_t *threads;
};

/* The next job, or NULL when stopping with the queue empty; *cancel when the pool is
 * stopping (the job is then answered without its work being run). */
static struct job *next_job(struct deferred_pool *pool, bool *cancel)
{
    pthread_mutex_lock(&pool->lock);
    while (!pool->head && !pool->stopping)
        pthread_cond_wait(&pool->work, &pool->lock);
    struct job *job = pool->head;
    if (job) {
        pool->head = job->next;
        if (!pool->head)
            pool->tail = NULL;
        pool->queued--;
    }
    *cancel = pool->stopping;
    pthread_mutex_unlock(&pool->lock);
    return job;
}

/* A password check is worth waiting for, a request that needs no check is not: the pool's
 * threads run at a lower priority than the workers (on Linux each thread has its own
 * nice value), so on a busy machine they take the CPU the workers leave. */
#define POOL_NICE 19

/* Ends only when stopping and the queue is empty: every suspended connection is resumed.
 * Once stopping, a queued job's work is not run (a queue of password checks would hold
 * the shutdown for many seconds): its run is cleared, and deferred_end answers 503. */
static void *pool_main(void *arg)
{
    struct deferred_pool *pool = arg;
    struct job *job;
    bool cancel = false;
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), POOL_NICE) != 0)
        log_warn("password checks run at the workers' priority (setpriority failed)");
    while ((job = next_job(pool, &cancel))) {
        if (cancel)
            job->ex->deferred.run = NULL;
        else
            job->ex->deferred.run(job->ex->deferred.state);
        struct MHD_Connection *conn = job->conn;
        free(job);
        MHD_resume_connection(conn);
    }
    return NULL;
}

struct deferred_pool *deferred_pool_create(int threads, int queue_max)
{
    struct deferred_pool *pool = xcalloc(1, sizeof *pool);
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->work, NULL);
    pool->queue_max = queue_max;
    pool->threads = xcalloc((size_t)threads, sizeof *pool->threads);
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&pool->threads[i], NULL, pool_main, pool) != 0) {
            log_error("cannot start a password-check thread");
            break;
        }
        pool->nthreads++;
    }
    return pool;
}

void deferred_pool_stop(struct deferred_pool *pool)
{
    if (!pool)
        return;
    pthread_mutex_lock(&pool->lock);
    bool first = !pool->stopping;   /* only the first call joins the threads */
    pool->stopping = true;
    pthread_cond_broadcast(&pool->work);
    pthread_mutex_unlock(&pool->lock);
    if (!first)
        return;
    for (int i = 0; i < pool->nthreads; i++)
        pthread_join(pool->threads[i], NULL);
}

void deferred_pool_free(struct deferred_pool *pool)
{
    if (!pool)
        return;
    deferred_pool_stop(pool);
    pthread_cond_destroy(&pool->work);
    pthread_mutex_destroy(&pool->lock);
    free(pool->threads);
    free(pool);
}

/* Queues the job and suspends its connection, or false when the queue is full (or no
 * thread runs it). */
static bool enqueue(struct deferred_pool *pool, struct MHD_Connection *conn,
                    struct exchange *ex)
{
    pthread_mutex_lock(&pool->lock);
    bool room = pool->nthreads > 0 && !pool->stopping && pool->queued < pool->queue_max;
    if (room) {
        struct job *job = xcalloc(1, sizeof *job);
        *job = (struct job){.conn = conn, .ex = ex};
        MHD_suspend_connection(conn);
        if (pool->tail)
            pool->tail->next = job;
        else
            pool->head = job;
        pool->tail = job;
        pool->queued++;
        pthread_cond_signal(&pool->work);
    }
    pthread_mutex_unlock(&pool->lock);
    return room;
}

/* 503 with Retry-After: the queue is full, or the server is stopping. */
static void reply_busy(struct exchange *ex)
{
    struct error err = {0};
    error_coded(&err, ERR_UNAVAILABLE, "busy",
                "The server is busy; try again in a moment.");
    reply_error(ex, &err);
    ex->retry_after = DEFERRED_RETRY_AFTER_SECONDS;
}

bool deferred_begin(struct deferred_pool *pool, struct MHD_Connection *conn,
                    struct exchange *ex)
{
    if (!ex->deferred.run)
        return false;
    /* Releasing the connection below also drops an Idempotency-Key's lock, so a deferred
     * idempotent route could run twice: no route may be both (none is). */
    assert(!ex->idempotency.locked);
    /* Nobody waits in the queue holding a database connection. */
    exchange_release_db(ex);
    if (pool && enqueue(pool, conn, ex))
        return true;
    exchange_drop_deferral(ex);
    reply_busy(ex);
    return false;
}

bool deferred_end(struct exchange *ex)
{
    if (!ex->deferred.then)
        return false;
    if (ex->deferred.run)
        ex->deferred.then(ex, ex->deferred.state);
    else    /* cancelled by the pool's stop: the work never ran */
        reply_busy(ex);
    exchange_drop_deferral(ex);
    return true;
}
