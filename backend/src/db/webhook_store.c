/* webhook_store.c -- the SQL of webhooks (webhook_store.h). */
#include "db/webhook_store.h"

#include <stdio.h>

#define WEBHOOK_COLUMNS \
    "w.id, w.url, w.description, w.active, dl_time(w.created_at) AS created_at," \
    " (SELECT login FROM users WHERE id = w.created_by) AS created_by," \
    " (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id" \
    "    AND d.due_at IS NOT NULL) AS pending," \
    " (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id" \
    "    AND d.due_at IS NULL AND d.delivered_at IS NULL) AS given_up," \
    " (SELECT dl_time(max(d.delivered_at)) FROM webhook_deliveries d" \
    "   WHERE d.webhook_id = w.id) AS last_delivered_at"

struct db_rows *db_webhook_add(struct db *db, const char *url, const char *description,
                               const char *secret_hex, int actor_id, struct error *err)
{
    char actor[16];
    snprintf(actor, sizeof actor, "%d", actor_id);
    const char *params[] = {url, description, secret_hex, actor};
    return db_query(db,
        "WITH w AS (INSERT INTO webhooks (url, description, secret, created_by)"
        "           VALUES ($1, $2, decode($3, 'hex'), $4) RETURNING *)"
        " SELECT " WEBHOOK_COLUMNS ", encode(w.secret, 'hex') AS secret FROM w",
        4, params, err);
}

struct db_rows *db_webhooks_list(struct db *db, struct error *err)
{
    return db_query(db, "SELECT " WEBHOOK_COLUMNS " FROM webhooks w ORDER BY w.id DESC",
                    0, NULL, err);
}

struct db_rows *db_webhook_set_active(struct db *db, int id, bool active, struct error *err)
{
    char wid[16];
    snprintf(wid, sizeof wid, "%d", id);
    const char *params[] = {wid, active ? "true" : "false"};
    return db_query(db,
        "WITH w AS (UPDATE webhooks SET active = $2 WHERE id = $1 RETURNING *)"
        " SELECT " WEBHOOK_COLUMNS " FROM w", 2, params, err);
}

bool db_webhook_exists(struct db *db, int id, bool *exists, struct error *err)
{
    char wid[16];
    snprintf(wid, sizeof wid, "%d", id);
    const char *params[] = {wid};
    struct db_rows *rows = db_query(db, "SELECT 1 FROM webhooks WHERE id = $1", 1, params, err);
    if (!rows)
        return false;
    *exists = db_rows_count(rows) == 1;
    db_rows_free(rows);
    return true;
}

struct db_rows *db_webhook_deliveries(struct db *db, int webhook_id, long long before_id,
                                      int limit, struct error *err)
{
    char wid[16], before[24], lim[16];
    snprintf(wid, sizeof wid, "%d", webhook_id);
    snprintf(before, sizeof before, "%lld", before_id);
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *params[] = {wid, before_id > 0 ? before : NULL, lim};
    return db_query(db,
        "SELECT d.id, d.event_id, e.action, i.ref, dl_time(d.created_at) AS created_at,"
        "       d.attempts, dl_time(d.delivered_at) AS delivered_at,"
        "       dl_time(d.due_at) AS due_at, d.last_status, d.last_error"
        " FROM webhook_deliveries d"
        " JOIN issue_events e ON e.id = d.event_id"
        " JOIN issues i ON i.id = e.issue_id"
        " WHERE d.webhook_id = $1 AND ($2::bigint IS NULL OR d.id < $2::bigint)"
        " ORDER BY d.id DESC LIMIT $3", 3, params, err);
}

/* What an endpoint receives: the event, and the issue as it is at the time of sending
 * (the event's own fields are the history's and never change). */
static const char CLAIM_SQL[] =
    "WITH due AS ("
    "  SELECT d.id FROM webhook_deliveries d"
    "   WHERE d.due_at <= now() ORDER BY d.due_at, d.id LIMIT $1 FOR UPDATE SKIP LOCKED),"
    " claimed AS ("
    "  UPDATE webhook_deliveries d"
    "     SET due_at = now() + make_interval(secs => $2::int), attempts = d.attempts + 1"
    "    FROM due WHERE d.id = due.id"
    "  RETURNING d.id, d.webhook_id, d.event_id, d.attempts)"
    " SELECT c.id, c.attempts, w.url, encode(w.secret, 'hex') AS secret,"
    "        'evt_' || e.id AS event_key,"
    "        jsonb_build_object("
    "          'id', 'evt_' || e.id, 'type', 'issue.' || e.action,"
    "          'created_at', dl_time(e.created_at),"
    "          'issue', jsonb_build_object('ref', i.ref, 'title', i.title, 'status', i.status,"
    "              'priority', i.priority, 'school', s.code, 'division', dv.code,"
    "              'category', cat.code, 'url', $3 || '/issues/' || i.ref),"
    "          'event', jsonb_build_object('action', e.action, 'actor', a.login,"
    "              'from_status', e.from_status, 'to_status', e.to_status,"
    "              'internal', e.internal, 'body', e.body, 'details', e.details)"
    "        )::text AS payload"
    " FROM claimed c"
    " JOIN webhooks w ON w.id = c.webhook_id"
    " JOIN issue_events e ON e.id = c.event_id"
    " JOIN issues i ON i.id = e.issue_id"
    " JOIN schools s ON s.id = i.school_id"
    " JOIN divisions dv ON dv.id = i.division_id"
    " JOIN categories cat ON cat.id = i.category_id"
    " LEFT JOIN users a ON a.id = e.actor_id"
    " ORDER BY c.id";

struct db_rows *db_webhook_claim(struct db *db, int limit, int lease_seconds,
                                 const char *public_url, struct error *err)
{
    char lim[16], lease[16];
    snprintf(lim, sizeof lim, "%d", limit);
    snprintf(lease, sizeof lease, "%d", lease_seconds);
    const char *params[] = {lim, lease, public_url};
    return db_query(db, CLAIM_SQL, 3, params, err);
}

bool db_webhook_record(struct db *db, long long delivery_id, bool delivered, int status,
                       long retry_seconds, const char *why, struct error *err)
{
    char id[24], st[16], retry[24];
    snprintf(id, sizeof id, "%lld", delivery_id);
    snprintf(st, sizeof st, "%d", status);
    snprintf(retry, sizeof retry, "%ld", retry_seconds);
    const char *params[] = {id, delivered ? "true" : "false", status ? st : NULL,
                            retry_seconds >= 0 ? retry : NULL, why};
    struct db_rows *rows = db_query(db,
        "UPDATE webhook_deliveries"
        "   SET delivered_at = CASE WHEN $2::boolean THEN now() END,"
        "       due_at = CASE WHEN $2::boolean THEN NULL"
        "                     ELSE now() + make_interval(secs => $4::int) END,"
        "       last_status = $3::smallint, last_error = left($5, 500)"
        " WHERE id = $1", 5, params, err);
    db_rows_free(rows);
    return rows != NULL;
}
