/* pool.c -- a mutex-guarded stack of connections with a condition variable for waiters. */
#include "db/pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "util/xalloc.h"

#define ACQUIRE_TIMEOUT_SECONDS 5

struct db_pool {
    char *url;
    int size;            /* every connection, spares included */
    int idle_count;      /* connected, idle, in idle[] */
    int free_slots;      /* may be opened: size - idle - borrowed */
    int spares_left;     /* spares that may still be borrowed */
    struct db **idle;
    pthread_mutex_t lock;
    pthread_cond_t released;
};

struct db_pool *db_pool_create(const char *url, int size, int spares)
{
    struct db_pool *pool = xcalloc(1, sizeof *pool);
    pool->url = xstrdup(url);
    pool->size = size + spares;
    pool->free_slots = size + spares;
    pool->spares_left = spares;
    pool->idle = xcalloc((size_t)pool->size, sizeof *pool->idle);
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->released, NULL);
    return pool;
}

void db_pool_destroy(struct db_pool *pool)
{
    if (!pool)
        return;
    for (int i = 0; i < pool->idle_count; i++)
        db_close(pool->idle[i]);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->released);
    free(pool->idle);
    free(pool->url);
    free(pool);
}

/* Called with the lock held; returns with it held. 0 on success, ETIMEDOUT otherwise. */
static int wait_for_release(struct db_pool *pool, const struct timespec *deadline)
{
    int rc = 0;
    while (pool->idle_count == 0 && pool->free_slots == 0 && rc == 0)
        rc = pthread_cond_timedwait(&pool->released, &pool->lock, deadline);
    return (pool->idle_count == 0 && pool->free_slots == 0) ? ETIMEDOUT : 0;
}

/* A slot's connection could not be had: give the slot back. */
static void give_back_slot(struct db_pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    pool->free_slots++;
    pthread_cond_signal(&pool->released);
    pthread_mutex_unlock(&pool->lock);
}

/* Called with the lock held and a connection to be had (idle, or a free slot); returns
 * with it released. Connecting happens outside the lock: it may take a while, and others
 * may proceed. An idle connection is checked first: one the server closed while it sat
 * in the pool (a restart) is replaced here, before it can fail a request. On failure the
 * slot is given back. */
static struct db *take_unlock(struct db_pool *pool, struct error *err)
{
    struct db *db = NULL;
    if (pool->idle_count > 0) {
        db = pool->idle[--pool->idle_count];
        pthread_mutex_unlock(&pool->lock);
    } else {
        pool->free_slots--;
        pthread_mutex_unlock(&pool->lock);
        db = db_connect(pool->url, err);
    }
    if (db && db_refresh(db, err))
        return db;
    db_close(db);
    give_back_slot(pool);
    return NULL;
}

struct db *db_pool_acquire_spare(struct db_pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    if (pool->spares_left == 0 || (pool->idle_count == 0 && pool->free_slots == 0)) {
        pthread_mutex_unlock(&pool->lock);
        return NULL;
    }
    pool->spares_left--;
    struct error ignored = {0};
    struct db *db = take_unlock(pool, &ignored);
    if (!db) {
        pthread_mutex_lock(&pool->lock);
        pool->spares_left++;
        pthread_mutex_unlock(&pool->lock);
    }
    return db;
}

void db_pool_release_spare(struct db_pool *pool, struct db *db)
{
    pthread_mutex_lock(&pool->lock);
    pool->spares_left++;
    pthread_mutex_unlock(&pool->lock);
    db_pool_release(pool, db);
}

struct db *db_pool_acquire(struct db_pool *pool, struct error *err)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += ACQUIRE_TIMEOUT_SECONDS;

    pthread_mutex_lock(&pool->lock);
    if (wait_for_release(pool, &deadline) != 0) {
        pthread_mutex_unlock(&pool->lock);
        error_coded(err, ERR_UNAVAILABLE, "busy", "The server is busy; try again shortly.");
        return NULL;
    }
    return take_unlock(pool, err);
}

void db_pool_release(struct db_pool *pool, struct db *db)
{
    if (!db)
        return;
    db_rollback(db);
    bool keep = db_healthy(db) && !db_in_transaction(db);
    if (!keep)
        db_close(db);
    pthread_mutex_lock(&pool->lock);
    if (keep)
        pool->idle[pool->idle_count++] = db;
    else
        pool->free_slots++;
    pthread_cond_signal(&pool->released);
    pthread_mutex_unlock(&pool->lock);
}
