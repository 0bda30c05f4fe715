/* escalation_store.c -- the SQL of the escalations board. breached_at is the time of the
 * history event that raised the issue to its present level: the sweep's `escalated` (at
 * most one sweep interval after the due time passed) or a person's `escalate`. The due
 * times are only the fallback for an issue whose history lacks that event: they are not
 * the truth, since a pause on the school or a new priority moves them after the fact. */
#include "db/escalation_store.h"

#include <stdio.h>

#include "db/issue_sql.h"

/* The page's ids reach the issue's eight joins as an array (an InitPlan the index on
 * issues.id can use): joined as a ninth relation, past the planner's collapse limits,
 * they left it building every ISSUE row of the table first (1.9 s against 75 ms on
 * 400,000 issues). */
static const char ESCALATIONS_SQL[] =
    "WITH esc AS ("
    "  SELECT i.id, coalesce("
    "           (SELECT e.created_at FROM issue_events e"
    "             WHERE e.issue_id = i.id AND e.action IN ('escalated', 'escalate')"
    "               AND e.details->>'level' = i.escalation_level::text"
    "             ORDER BY e.created_at DESC, e.id DESC LIMIT 1),"
    "           CASE WHEN i.escalation_level = 1 THEN i.due_first_response_at"
    "                ELSE i.due_resolution_at END) AS breached"
    "    FROM issues i JOIN divisions d ON d.id = i.division_id"
    "   WHERE i.status IN ('new', 'triaged', 'in_progress', 'awaiting_school')"
    "     AND i.escalation_level > 0"
    "     AND i.escalation_level BETWEEN $1::int AND $2::int"
    "     AND ($3::text IS NULL OR d.code = $3::text)),"
    " page AS ("
    "  SELECT id, breached FROM esc"
    "   WHERE $4::bigint IS NULL OR (breached, id) >"
    "         ('epoch'::timestamptz + interval '1 microsecond' * $4::bigint, $5::bigint)"
    "   ORDER BY breached, id LIMIT $6::int)"
    " SELECT q.*, dl_time(p.breached) AS breached_at,"
    "        (extract(epoch FROM p.breached) * 1000000)::bigint AS keyset_breached_us"
    " FROM (" ISSUE_SELECT " WHERE i.id = ANY (ARRAY(SELECT id FROM page))) q"
    " JOIN page p ON p.id = q.id"
    " ORDER BY p.breached, q.id";

struct db_rows *db_escalations_list(struct db *db, const struct escalation_filter *f,
                                    struct error *err)
{
    char min[8], max[8], breached[24], id[24], limit[16];
    snprintf(min, sizeof min, "%d", f->min_level);
    snprintf(max, sizeof max, "%d", f->max_level);
    snprintf(breached, sizeof breached, "%lld", f->cursor_breached_us);
    snprintf(id, sizeof id, "%lld", f->cursor_id);
    snprintf(limit, sizeof limit, "%d", f->limit + 1);
    const char *params[] = {min, max, f->division, f->has_cursor ? breached : NULL,
                            f->has_cursor ? id : NULL, limit};
    return db_query(db, ESCALATIONS_SQL, 6, params, err);
}
