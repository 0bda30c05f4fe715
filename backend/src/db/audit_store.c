/* audit_store.c -- SQL for admin_events. */
#include "db/audit_store.h"

#include <stdio.h>

bool db_audit_write(struct db *db, int actor_id, const char *action, const char *target,
                    const char *details_json, struct error *err)
{
    char actor[16];
    snprintf(actor, sizeof actor, "%d", actor_id);
    const char *params[] = {actor_id > 0 ? actor : NULL, action, target, details_json};
    struct db_rows *rows = db_query(db,
        "INSERT INTO admin_events (actor_id, action, target, details)"
        " VALUES ($1, $2, $3, $4::jsonb)", 4, params, err);
    bool ok = rows != NULL;
    db_rows_free(rows);
    return ok;
}

struct db_rows *db_audit_list(struct db *db, const struct audit_filter *f, struct error *err)
{
    char before[24], limit[16];
    snprintf(before, sizeof before, "%lld", f->before_id);
    snprintf(limit, sizeof limit, "%d", f->limit + 1);
    const char *params[] = {f->actor, f->action, f->target, f->before_id ? before : NULL, limit};
    return db_query(db,
        "SELECT e.id, u.login AS actor_login, u.full_name AS actor_name, e.action, e.target,"
        " e.details::text AS details, dl_time(e.created_at) AS created_at"
        " FROM admin_events e LEFT JOIN users u ON u.id = e.actor_id"
        " WHERE ($1::text IS NULL OR u.login = $1)"
        "   AND ($2::text IS NULL OR e.action = $2)"
        "   AND ($3::text IS NULL OR e.target = $3)"
        "   AND ($4::bigint IS NULL OR e.id < $4)"
        " ORDER BY e.id DESC LIMIT $5::int", 5, params, err);
}
