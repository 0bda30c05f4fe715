/* sla_cache.c -- one process-wide copy of the SLA settings, replaced whole when the
 * version a caller reads differs from the one it was loaded at. A copy is counted by
 * its holders, so a filing computing its due times keeps the copy it started with while
 * another thread puts a newer one in place; the lock is held for pointer moves only,
 * never while PostgreSQL is asked. */
#include "api/sla_cache.h"

#include <pthread.h>
#include <stdlib.h>

#include "util/xalloc.h"

struct copy {
    struct sla_settings settings;       /* first: callers hold a pointer to it */
    long long version;
    int holders;                        /* the cache itself is one while it is current */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct copy *current;

/* Under the lock. */
static void let_go(struct copy *c)
{
    if (--c->holders > 0)
        return;
    sla_settings_free(&c->settings);
    free(c);
}

const struct sla_settings *sla_cache_get(struct db *db, long long version, struct error *err)
{
    pthread_mutex_lock(&lock);
    struct copy *c = current;
    if (c && c->version == version)
        c->holders++;
    else
        c = NULL;
    pthread_mutex_unlock(&lock);
    if (c)
        return &c->settings;

    c = xcalloc(1, sizeof *c);
    if (!db_sla_load(db, &c->settings, err)) {
        free(c);
        return NULL;
    }
    /* Read after `version` in the caller's transaction, so never older than it. Two
     * threads loading at once: the last one in stays; at worst the next caller loads
     * again. */
    c->version = version;
    c->holders = 2;                     /* the caller and the cache */
    pthread_mutex_lock(&lock);
    struct copy *old = current;
    current = c;
    if (old)
        let_go(old);
    pthread_mutex_unlock(&lock);
    return &c->settings;
}

void sla_cache_release(const struct sla_settings *settings)
{
    if (!settings)
        return;
    pthread_mutex_lock(&lock);
    let_go((struct copy *)(void *)settings);
    pthread_mutex_unlock(&lock);
}
