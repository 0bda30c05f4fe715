/* issue_links_store.c -- systemic problems, as issue_links_store.h says. Row-level
 * security and migration 0021's trigger hold the one-level rule a second time. */
#include "db/issue_links_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/issue_sql.h"

/* The child's event carries parent_id, which the trigger follows; the parent's names the
 * child by its reference only (a school reading the parent through its own child learns
 * no other school's name from it). */
static const char LINK_SQL[] =
    "INSERT INTO issue_events (issue_id, actor_id, action, details)"
    " VALUES ($1, $3, $5, jsonb_build_object('parent', $4::text, 'parent_id', $2::bigint)),"
    "        ($2, $3, $5, jsonb_build_object('child', $6::text))"
    " RETURNING issue_id";

bool db_issue_link(struct db *db, const struct link_end *parent, const struct link_end *child,
                   int actor_id, bool linked, struct error *err)
{
    char child_id[24], parent_id[24], actor[16];
    snprintf(child_id, sizeof child_id, "%lld", child->id);
    snprintf(parent_id, sizeof parent_id, "%lld", parent->id);
    snprintf(actor, sizeof actor, "%d", actor_id);
    const char *params[] = {child_id, parent_id, actor, parent->ref,
                            linked ? "link" : "unlink", child->ref};
    struct db_rows *rows = db_query(db, LINK_SQL, 6, params, err);
    db_rows_free(rows);
    return rows != NULL;
}

struct db_rows *db_issue_children(struct db *db, long long parent_id, struct error *err)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", parent_id);
    const char *params[] = {id};
    return db_query(db,
        "SELECT i.ref, i.title, i.status, s.code AS school, s.name AS school_name,"
        " cl.code AS cluster, d.code AS division, " OVERDUE_SQL " AS overdue"
        " FROM issues i JOIN schools s ON s.id = i.school_id"
        " JOIN clusters cl ON cl.id = s.cluster_id JOIN divisions d ON d.id = i.division_id"
        " WHERE i.parent_id = $1 ORDER BY i.created_at, i.id", 1, params, err);
}

struct db_rows *db_issue_children_locked(struct db *db, long long parent_id, struct error *err)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", parent_id);
    const char *params[] = {id};
    return db_query(db, "SELECT id, status FROM issues WHERE parent_id = $1 ORDER BY id"
                        " FOR UPDATE", 1, params, err);
}

/* TRANSITION_SQL's resolve (db/issue_store.c) for many rows at once, each from its own
 * status: a child waiting on its school leaves the pause, and its due times move by it. */
static const char RESOLVE_CHILDREN_SQL[] =
    "WITH old AS (SELECT id, status, paused_at FROM issues"
    "             WHERE id = ANY ($1::bigint[]) AND parent_id = $2),"
    " upd AS ("
    "  UPDATE issues SET status = 'resolved', updated_at = now(), resolved_at = now(),"
    "         first_response_at = coalesce(first_response_at, now()), paused_at = NULL,"
    "         paused_seconds = paused_seconds + CASE WHEN old.paused_at IS NOT NULL"
    "             THEN floor(extract(epoch FROM now() - old.paused_at))::bigint ELSE 0 END,"
    "         due_first_response_at = due_first_response_at + CASE WHEN old.paused_at IS NOT NULL"
    "             THEN date_trunc('second', now() - old.paused_at) ELSE interval '0' END,"
    "         due_resolution_at = due_resolution_at + CASE WHEN old.paused_at IS NOT NULL"
    "             THEN date_trunc('second', now() - old.paused_at) ELSE interval '0' END"
    "    FROM old WHERE issues.id = old.id AND issues.status = old.status"
    "  RETURNING issues.id, old.status AS from_status, old.paused_at IS NOT NULL AS was_paused,"
    "            issues.due_first_response_at, issues.due_resolution_at, issues.paused_seconds)"
    " INSERT INTO issue_events (issue_id, actor_id, action, from_status, to_status, body, details)"
    " SELECT upd.id, $3, 'resolve', upd.from_status, 'resolved', $4,"
    "        jsonb_build_object('parent', $5::text)"
    "        || CASE WHEN upd.was_paused THEN"
    "             jsonb_build_object('due_first_response_at', dl_time(upd.due_first_response_at),"
    "                                'due_resolution_at', dl_time(upd.due_resolution_at),"
    "                                'paused_seconds', upd.paused_seconds)"
    "           ELSE '{}' END"
    " FROM upd RETURNING issue_id";

int db_issue_resolve_children(struct db *db, const struct link_end *parent, const char *ids,
                              int actor_id, const char *note, struct error *err)
{
    char parent_id[24], actor[16];
    snprintf(parent_id, sizeof parent_id, "%lld", parent->id);
    snprintf(actor, sizeof actor, "%d", actor_id);
    const char *params[] = {ids, parent_id, actor, note, parent->ref};
    struct db_rows *rows = db_query(db, RESOLVE_CHILDREN_SQL, 5, params, err);
    if (!rows)
        return -1;
    int n = db_rows_count(rows);
    db_rows_free(rows);
    return n;
}
