/* sweep.h -- one pass of the SLA sweep: escalate breached issues, close resolutions the
 * school left unanswered, forget expired idempotency keys, old sign-in failures and
 * ended sessions; and the background thread
 * that runs it inside `serve`. */
#ifndef DL_JOBS_SWEEP_H
#define DL_JOBS_SWEEP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"

#define SWEEP_DEFAULT_AUTO_CLOSE_DAYS 14
#define SWEEP_DEFAULT_INTERVAL_SECONDS 60

struct sweep_result {
    bool skipped;        /* another process holds the sweep lock */
    int escalated;       /* escalated events written */
    int closed;          /* issues closed automatically */
    int decisions_due;   /* open decisions due by tomorrow whose responsible were told */
    int directives_reminded;  /* schools reminded of a directive they did not acknowledge */
    long long expired_keys; /* idempotency keys past their 24 hours, deleted */
    long long old_sign_in_failures; /* too old to count for throttling, deleted */
    long long ended_sessions;       /* sessions past their end, deleted */
};

/* One pass at clock `now` (epoch seconds) on a connection of its own. It ends early,
 * between two issues, once *stop becomes true (stop may be NULL). */
bool sweep_run(struct db *db, int64_t now, int auto_close_days, const atomic_bool *stop,
               struct sweep_result *result, struct error *err);

struct sweeper;
/* Starts a thread that sweeps every interval_seconds with the real clock; NULL if
 * interval_seconds is 0 (sweeping off). */
struct sweeper *sweeper_start(const char *database_url, int interval_seconds,
                              int auto_close_days);
/* Wakes the thread, waits for its pass to end, frees it. */
void sweeper_stop(struct sweeper *s);

#endif
