/* sweep.c -- the sweep pass and its thread. Each issue is raised or closed in its own
 * statement, so a pass that dies midway leaves nothing half-done; the advisory lock keeps
 * a second server's sweeper from running at the same time. */
#include "jobs/sweep.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "db/decision_store.h"
#include "db/directive_store.h"
#include "db/db_context.h"
#include "db/idempotency_store.h"
#include "db/sign_in_throttle_store.h"
#include "db/user_store.h"
#include "db/sweep_store.h"
#include "util/log.h"
#include "util/xalloc.h"

#define BATCH 500

/* Raises each breached issue as far as its breaches go (at most two raises). */
static bool stopping(const atomic_bool *stop)
{
    return stop && atomic_load(stop);
}

static bool escalate_breached(struct db *db, int64_t now, const atomic_bool *stop,
                              int *escalated, struct error *err)
{
    long long ids[BATCH];
    int count = 0;
    do {
        if (!db_sweep_breached(db, now, ids, BATCH, &count, err))
            return false;
        int raised_in_batch = 0;
        for (int i = 0; i < count && !stopping(stop); i++) {
            bool raised = true;
            for (int step = 0; step < 2 && raised; step++) {
                if (!db_sweep_escalate(db, ids[i], now, &raised, err))
                    return false;
                raised_in_batch += raised;
            }
        }
        *escalated += raised_in_batch;
        if (raised_in_batch == 0)
            break;    /* what is left changed under us; the next pass will see it */
    } while (count == BATCH && !stopping(stop));
    return true;
}

static bool close_stale(struct db *db, int64_t now, int days, const atomic_bool *stop,
                        int *closed, struct error *err)
{
    long long ids[BATCH];
    int count = 0;
    do {
        if (!db_sweep_stale_resolved(db, now, days, ids, BATCH, &count, err))
            return false;
        int closed_in_batch = 0;
        for (int i = 0; i < count && !stopping(stop); i++) {
            bool done = false;
            if (!db_sweep_close(db, ids[i], now, days, &done, err))
                return false;
            closed_in_batch += done;
        }
        *closed += closed_in_batch;
        if (closed_in_batch == 0)
            break;
    } while (count == BATCH && !stopping(stop));
    return true;
}

bool sweep_run(struct db *db, int64_t now, int auto_close_days, const atomic_bool *stop,
               struct sweep_result *result, struct error *err)
{
    *result = (struct sweep_result){0};
    db_act_as_system(db, DB_CONTEXT_SWEEP);
    bool got = false;
    if (!db_sweep_try_lock(db, &got, err))
        return false;
    if (!got) {
        result->skipped = true;
        return true;
    }
    bool ok = escalate_breached(db, now, stop, &result->escalated, err) &&
              close_stale(db, now, auto_close_days, stop, &result->closed, err) &&
              db_decisions_falling_due(db, now, &result->decisions_due, err) &&
              db_directives_remind(db, now, &result->directives_reminded, err) &&
              db_idempotency_purge(db, &result->expired_keys, err) &&
              db_sign_in_purge(db, &result->old_sign_in_failures, err) &&
              db_session_purge(db, &result->ended_sessions, err);
    db_sweep_unlock(db);
    return ok;
}

struct sweeper {
    char *url;
    int interval, auto_close_days;
    atomic_bool stopping;     /* read by a pass in progress, without the lock */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

static void sweep_once(struct sweeper *s)
{
    struct error err = {0};
    struct db *db = db_connect(s->url, &err);
    if (!db)
        return;    /* db_connect logged why; try again next interval */
    struct sweep_result r;
    if (!sweep_run(db, (int64_t)time(NULL), s->auto_close_days, &s->stopping, &r, &err))
        log_warn("sweep failed: %s", err.message);
    else if (r.escalated || r.closed || r.decisions_due || r.directives_reminded)
        log_info("sweep: %d escalated, %d closed automatically, %d decisions falling due told,"
                 " %d schools reminded of directives", r.escalated, r.closed, r.decisions_due,
                 r.directives_reminded);
    db_close(db);
}

static void *sweeper_main(void *arg)
{
    struct sweeper *s = arg;
    pthread_mutex_lock(&s->lock);
    while (!atomic_load(&s->stopping)) {
        pthread_mutex_unlock(&s->lock);
        sweep_once(s);
        pthread_mutex_lock(&s->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += s->interval;
        while (!atomic_load(&s->stopping) &&
               pthread_cond_timedwait(&s->wake, &s->lock, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

struct sweeper *sweeper_start(const char *database_url, int interval_seconds,
                              int auto_close_days)
{
    if (interval_seconds <= 0)
        return NULL;
    struct sweeper *s = xcalloc(1, sizeof *s);
    s->url = xstrdup(database_url);
    s->interval = interval_seconds;
    s->auto_close_days = auto_close_days;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (pthread_create(&s->thread, NULL, sweeper_main, s) != 0) {
        log_error("cannot start the sweep thread");
        free(s->url);
        free(s);
        return NULL;
    }
    return s;
}

void sweeper_stop(struct sweeper *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    atomic_store(&s->stopping, true);
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    free(s->url);
    free(s);
}
