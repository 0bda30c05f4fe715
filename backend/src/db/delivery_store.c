/* delivery_store.c -- the email worker's SQL (delivery_store.h). */
#include "db/delivery_store.h"

#include <stdio.h>

/* SKIP LOCKED lets two workers share the work without waiting on each other. The claim
 * takes every due row of the people whose rows come first, so that a digest goes whole
 * (up to a thousand rows a claim: a digest larger than that goes in parts). */
static const char CLAIM_SQL[] =
    "WITH due AS ("
    "  SELECT n.id FROM notifications n"
    "   WHERE n.email_due_at <= now()"
    "     AND n.user_id IN (SELECT f.user_id FROM notifications f"
    "                        WHERE f.email_due_at <= now()"
    "                        ORDER BY f.email_due_at, f.id LIMIT $1)"
    "   ORDER BY n.email_due_at, n.id LIMIT 1000 FOR UPDATE SKIP LOCKED),"
    " claimed AS ("
    "  UPDATE notifications n"
    "     SET email_due_at = now() + make_interval(secs => $2::int),"
    "         email_attempts = n.email_attempts + 1"
    "    FROM due WHERE n.id = due.id"
    "  RETURNING n.id, n.user_id, n.reason, n.event_id, n.issue_id, n.decision_id,"
    "            n.directive_id, n.email_attempts)"
    /* A decision's or a directive's own notification names no issue: its text or title
     * stands for the issue's. */
    " SELECT c.id, c.user_id, c.reason, c.email_attempts, e.action, i.ref,"
    "        coalesce(i.title, left(d.body, 300), dr.title) AS title, d.meeting_id,"
    "        c.directive_id,"
    "        d.due_on::text AS due_on,"
    "        s.name AS school_name, a.full_name AS actor_name,"
    "        left(e.body, 500) AS excerpt, u.email, u.full_name, u.email_digest AS digest"
    " FROM claimed c"
    " JOIN users u ON u.id = c.user_id"
    " LEFT JOIN issue_events e ON e.id = c.event_id"
    " LEFT JOIN issues i ON i.id = c.issue_id"
    " LEFT JOIN schools s ON s.id = i.school_id"
    " LEFT JOIN users a ON a.id = e.actor_id"
    " LEFT JOIN decisions d ON d.id = c.decision_id"
    " LEFT JOIN directives dr ON dr.id = c.directive_id"
    " ORDER BY c.user_id, c.id";

struct db_rows *db_delivery_claim(struct db *db, int limit, int lease_seconds,
                                  struct error *err)
{
    char lim[16], lease[16];
    snprintf(lim, sizeof lim, "%d", limit);
    snprintf(lease, sizeof lease, "%d", lease_seconds);
    const char *params[] = {lim, lease};
    return db_query(db, CLAIM_SQL, 2, params, err);
}

static bool run(struct db *db, const char *sql, int n, const char *const *params,
                struct error *err)
{
    struct db_rows *rows = db_query(db, sql, n, params, err);
    db_rows_free(rows);
    return rows != NULL;
}

bool db_delivery_sent(struct db *db, const char *ids, struct error *err)
{
    const char *params[] = {ids};
    return run(db, "UPDATE notifications SET email_due_at = NULL, email_sent_at = now(),"
                   " email_error = NULL WHERE id = ANY ($1::bigint[])", 1, params, err);
}

bool db_delivery_failed(struct db *db, const char *ids, long retry_seconds, const char *why,
                        struct error *err)
{
    char retry[24];
    snprintf(retry, sizeof retry, "%ld", retry_seconds);
    const char *params[] = {ids, retry_seconds >= 0 ? retry : NULL, why};
    return run(db, "UPDATE notifications"
                   "   SET email_due_at = now() + make_interval(secs => $2::int),"
                   "       email_error = left($3, 500)"
                   " WHERE id = ANY ($1::bigint[])", 3, params, err);
}
