/* sign_in_throttle_store.c -- SQL for the sign-in failure counters. */
#include "db/sign_in_throttle_store.h"

#include <stdio.h>

#include "domain/sign_in_rules.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define WINDOW "make_interval(secs => " STR(SIGN_IN_WINDOW_SECONDS) ")"
#define RECENT "failed_at > now() - " WINDOW

/* The n-th newest failure in the window: once it is older than the window, fewer than n
 * remain and the door opens again. */
#define NTH_NEWEST(where, n) \
    "(SELECT failed_at FROM sign_in_failures WHERE " where " AND " RECENT \
    " ORDER BY failed_at DESC OFFSET " STR(n) " - 1 LIMIT 1)"

/* Seconds until the login may be tried from the address again (0: now), as a column
 * `wait` of the statement that includes it. */
#define WAIT_SQL \
    "SELECT CASE WHEN t IS NULL THEN 0" \
    "       ELSE greatest(1, ceil(extract(epoch FROM t + " WINDOW " - now()))) END::int AS wait" \
    "  FROM (SELECT greatest(" \
    NTH_NEWEST("login = $1 AND address = $2", SIGN_IN_MAX_PER_LOGIN) ", " \
    NTH_NEWEST("address = $2", SIGN_IN_MAX_PER_ADDRESS) ") AS t) locked"

/* The wait and the try's row in one transaction that holds the address's lock: tries from
 * one address are counted one after another, so a burst of them cannot all read the count
 * from before any of them. The count runs in a statement of its own after the lock is
 * taken (under READ COMMITTED its snapshot then includes every try counted before). */
static bool attempt_locked(struct db *db, const char *const params[2], int *wait_seconds,
                           struct error *err)
{
    struct db_rows *rows = db_query(db,
        "SELECT pg_advisory_xact_lock(hashtextextended('directline.sign_in:' || $1, 0))",
        1, params + 1, err);
    db_rows_free(rows);
    if (!rows)
        return false;
    rows = db_query(db,
        "WITH w AS (" WAIT_SQL "),"
        " old AS (DELETE FROM sign_in_failures WHERE address = $2 AND NOT (" RECENT ")),"
        " try AS (INSERT INTO sign_in_failures (login, address)"
        "          SELECT $1, $2 FROM w WHERE wait = 0)"
        " SELECT wait FROM w", 2, params, err);
    if (!rows)
        return false;
    *wait_seconds = (int)db_rows_int(rows, 0, "wait");
    db_rows_free(rows);
    return true;
}

bool db_sign_in_attempt(struct db *db, const char *login, const char *address,
                        int *wait_seconds, struct error *err)
{
    const char *params[] = {login, address};
    if (!db_begin(db, err))
        return false;
    if (!attempt_locked(db, params, wait_seconds, err) || !db_commit(db, err)) {
        db_rollback(db);
        return false;
    }
    return true;
}

static bool run(struct db *db, const char *sql, int nparams, const char *const *params,
                struct error *err)
{
    struct db_rows *rows = db_query(db, sql, nparams, params, err);
    db_rows_free(rows);
    return rows != NULL;
}

bool db_sign_in_succeeded(struct db *db, const char *login, const char *address,
                          struct error *err)
{
    const char *params[] = {login, address};
    return run(db, "DELETE FROM sign_in_failures WHERE login = $1 AND address = $2",
               2, params, err);
}

struct db_rows *db_sign_in_locks(struct db *db, struct error *err)
{
    /* array_agg(...)[n]: the n-th newest failure, whose age ends the lock. */
    return db_query(db,
        "WITH recent AS (SELECT login, address, failed_at FROM sign_in_failures"
        "                 WHERE " RECENT "),"
        " locks AS ("
        "  SELECT login, address, count(*) AS failures, max(failed_at) AS last_failure_at,"
        "         (array_agg(failed_at ORDER BY failed_at DESC))[" STR(SIGN_IN_MAX_PER_LOGIN) "]"
        "           + " WINDOW " AS until"
        "    FROM recent GROUP BY login, address"
        "  HAVING count(*) >= " STR(SIGN_IN_MAX_PER_LOGIN)
        "  UNION ALL"
        "  SELECT NULL, address, count(*), max(failed_at),"
        "         (array_agg(failed_at ORDER BY failed_at DESC))[" STR(SIGN_IN_MAX_PER_ADDRESS) "]"
        "           + " WINDOW
        "    FROM recent GROUP BY address"
        "  HAVING count(*) >= " STR(SIGN_IN_MAX_PER_ADDRESS) ")"
        " SELECT login, address, failures, dl_time(last_failure_at) AS last_failure_at,"
        "        dl_time(until) AS until"
        "   FROM locks ORDER BY locks.until DESC, address, login NULLS FIRST LIMIT 500",
        0, NULL, err);
}

bool db_sign_in_clear(struct db *db, const char *login, const char *address, int *cleared,
                      struct error *err)
{
    const char *params[] = {login, address};
    struct db_rows *rows = db_query(db,
        "WITH gone AS (DELETE FROM sign_in_failures"
        "               WHERE ($1::text IS NULL OR login = $1)"
        "                 AND ($2::text IS NULL OR address = $2) RETURNING 1)"
        " SELECT count(*) AS n FROM gone", 2, params, err);
    if (!rows)
        return false;
    *cleared = (int)db_rows_int(rows, 0, "n");
    db_rows_free(rows);
    return true;
}

bool db_sign_in_purge(struct db *db, long long *purged, struct error *err)
{
    struct db_rows *rows = db_query(db,
        "WITH f AS (DELETE FROM sign_in_failures WHERE NOT (" RECENT ") RETURNING 1)"
        " SELECT count(*) AS n FROM f", 0, NULL, err);
    if (!rows)
        return false;
    *purged = db_rows_int(rows, 0, "n");
    db_rows_free(rows);
    return true;
}
