/* sweep_store.h -- the SQL of the sweep: find breached and stale issues, and raise or
 * close each one in its own statement (so a sweep that dies midway leaves each issue
 * either done or untouched). Every time is the sweep's clock `now` (epoch seconds). */
#ifndef DL_DB_SWEEP_STORE_H
#define DL_DB_SWEEP_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"

/* Takes the sweep's advisory lock without waiting; *got says whether we hold it. */
bool db_sweep_try_lock(struct db *db, bool *got, struct error *err);
void db_sweep_unlock(struct db *db);

/* Ids (up to max) of open issues with a breach not yet escalated at `now`. */
bool db_sweep_breached(struct db *db, int64_t now, long long *ids, int max, int *count,
                       struct error *err);
/* Raises one issue by one level if a breach is still unescalated; *raised tells. */
bool db_sweep_escalate(struct db *db, long long id, int64_t now, bool *raised,
                       struct error *err);
/* Ids (up to max) of issues resolved more than `days` days before `now`. */
bool db_sweep_stale_resolved(struct db *db, int64_t now, int days, long long *ids, int max,
                             int *count, struct error *err);
/* Closes one of them, if it is still resolved and stale; *closed tells. */
bool db_sweep_close(struct db *db, long long id, int64_t now, int days, bool *closed,
                    struct error *err);

#endif
