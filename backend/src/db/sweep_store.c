/* sweep_store.c -- SQL for escalating breached issues and closing stale resolutions. */
#include "db/sweep_store.h"

#include <stdio.h>

/* An arbitrary constant shared by every directline process: one sweeper at a time. */
#define SWEEP_LOCK_KEY "7310093818"

/* The breach conditions, shared by the search and by the re-check under the row lock: a
 * clock late (dl_first_answer_late, dl_resolution_late of 0014, which also pause it while
 * the issue waits on the school) and not yet raised for. */
#define FIRST_RESPONSE_BREACH \
    "(i.escalation_level < 1 AND dl_first_answer_late(i.status," \
    " i.first_response_at IS NOT NULL, i.due_first_response_at, to_timestamp($2)))"
#define RESOLUTION_BREACH \
    "(i.escalation_level < 2 AND dl_resolution_late(i.status, i.due_resolution_at," \
    " to_timestamp($2)))"

bool db_sweep_try_lock(struct db *db, bool *got, struct error *err)
{
    struct db_rows *rows = db_query(db, "SELECT pg_try_advisory_lock(" SWEEP_LOCK_KEY ") AS got",
                                    0, NULL, err);
    if (!rows)
        return false;
    *got = db_rows_bool(rows, 0, "got");
    db_rows_free(rows);
    return true;
}

void db_sweep_unlock(struct db *db)
{
    struct error ignored = {0};
    db_exec(db, "SELECT pg_advisory_unlock(" SWEEP_LOCK_KEY ")", &ignored);
}

static bool collect_ids(struct db *db, const char *sql, int nparams, const char *const *params,
                        long long *ids, int max, int *count, struct error *err)
{
    struct db_rows *rows = db_query(db, sql, nparams, params, err);
    if (!rows)
        return false;
    *count = 0;
    for (int i = 0; i < db_rows_count(rows) && *count < max; i++)
        ids[(*count)++] = db_rows_int(rows, i, "id");
    db_rows_free(rows);
    return true;
}

bool db_sweep_breached(struct db *db, int64_t now, long long *ids, int max, int *count,
                       struct error *err)
{
    char when[24], limit[16];
    snprintf(when, sizeof when, "%lld", (long long)now);
    snprintf(limit, sizeof limit, "%d", max);
    const char *params[] = {limit, when};
    return collect_ids(db, "SELECT i.id FROM issues i WHERE"
                           " (" FIRST_RESPONSE_BREACH " OR " RESOLUTION_BREACH ")"
                           " ORDER BY i.id LIMIT $1::int", 2, params, ids, max, count, err);
}

/* One raise per statement: the first-response breach (to 1) before the resolution
 * breach (to 2), each its own `escalated` event. The row lock and the re-check make a
 * second sweeper, or a repeated pass, find nothing left to raise. The sweep's clock $2
 * decides what is breached; the change itself is stamped with the real time, when it
 * happened, so the history stays in order even for a replayed pass. */
static const char ESCALATE_SQL[] =
    "WITH target AS ("
    "  SELECT i.id, i.status,"
    "         CASE WHEN " FIRST_RESPONSE_BREACH " THEN 1 ELSE 2 END AS level,"
    "         CASE WHEN " FIRST_RESPONSE_BREACH " THEN 'first_response_breach'"
    "              ELSE 'resolution_breach' END AS reason"
    "  FROM issues i WHERE i.id = $1"
    "   AND (" FIRST_RESPONSE_BREACH " OR " RESOLUTION_BREACH ")"
    "  FOR UPDATE),"
    " upd AS (UPDATE issues SET escalation_level = target.level, updated_at = now()"
    "         FROM target WHERE issues.id = target.id RETURNING issues.id)"
    " INSERT INTO issue_events (issue_id, action, from_status, to_status, body, details, created_at)"
    " SELECT target.id, 'escalated', target.status, target.status,"
    "        CASE target.reason WHEN 'first_response_breach'"
    "             THEN 'Escalated to level 1: no first response by the due time.'"
    "             ELSE 'Escalated to level 2: not resolved by the due time.' END,"
    "        jsonb_build_object('level', target.level, 'reason', target.reason), now()"
    " FROM target JOIN upd ON upd.id = target.id"
    " RETURNING issue_id";

bool db_sweep_escalate(struct db *db, long long id, int64_t now, bool *raised,
                       struct error *err)
{
    char issue[24], when[24];
    snprintf(issue, sizeof issue, "%lld", id);
    snprintf(when, sizeof when, "%lld", (long long)now);
    const char *params[] = {issue, when};
    struct db_rows *rows = db_query(db, ESCALATE_SQL, 2, params, err);
    if (!rows)
        return false;
    *raised = db_rows_count(rows) > 0;
    db_rows_free(rows);
    return true;
}

#define STALE_RESOLVED \
    "i.status = 'resolved' AND i.resolved_at < to_timestamp($2) - make_interval(days => $3::int)"

bool db_sweep_stale_resolved(struct db *db, int64_t now, int days, long long *ids, int max,
                             int *count, struct error *err)
{
    char when[24], limit[16], age[16];
    snprintf(when, sizeof when, "%lld", (long long)now);
    snprintf(limit, sizeof limit, "%d", max);
    snprintf(age, sizeof age, "%d", days);
    const char *params[] = {limit, when, age};
    return collect_ids(db, "SELECT i.id FROM issues i WHERE " STALE_RESOLVED
                           " ORDER BY i.id LIMIT $1::int", 3, params, ids, max, count, err);
}

static const char CLOSE_SQL[] =
    "WITH target AS (SELECT i.id FROM issues i WHERE i.id = $1 AND " STALE_RESOLVED
    "                FOR UPDATE),"
    " upd AS (UPDATE issues SET status = 'closed', closed_at = now(), updated_at = now()"
    "         FROM target WHERE issues.id = target.id RETURNING issues.id)"
    " INSERT INTO issue_events (issue_id, action, from_status, to_status, body, details, created_at)"
    " SELECT upd.id, 'closed', 'resolved', 'closed',"
    "        format('Closed automatically: the school neither confirmed nor reopened the"
    " resolution within %s days.', $3::int),"
    "        jsonb_build_object('reason', 'auto_close', 'days', $3::int), now()"
    " FROM upd RETURNING issue_id";

bool db_sweep_close(struct db *db, long long id, int64_t now, int days, bool *closed,
                    struct error *err)
{
    char issue[24], when[24], age[16];
    snprintf(issue, sizeof issue, "%lld", id);
    snprintf(when, sizeof when, "%lld", (long long)now);
    snprintf(age, sizeof age, "%d", days);
    const char *params[] = {issue, when, age};
    struct db_rows *rows = db_query(db, CLOSE_SQL, 3, params, err);
    if (!rows)
        return false;
    *closed = db_rows_count(rows) > 0;
    db_rows_free(rows);
    return true;
}
