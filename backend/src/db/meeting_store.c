/* meeting_store.c -- meetings and agendas, as meeting_store.h says. */
#include "db/meeting_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/issue_sql.h"

/* The counts of a meeting's decisions as they stand now; "overdue" after its due day in
 * Ha Tinh. */
#define MEETING_COLUMNS \
    "m.id, m.kind, c.code AS cluster, c.name AS cluster_name, m.held_on::text AS held_on," \
    " m.held_on - date '1970-01-01' AS held_days, m.title, u.login AS created_by," \
    " dl_time(m.created_at) AS created_at," \
    " (SELECT count(*) FROM meeting_agenda a WHERE a.meeting_id = m.id) AS agenda_count," \
    " (SELECT count(*) FILTER (WHERE d.done_at IS NULL) FROM decisions d" \
    "   WHERE d.meeting_id = m.id) AS open," \
    " (SELECT count(*) FILTER (WHERE d.done_at IS NULL AND d.due_on" \
    "   < (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) FROM decisions d" \
    "   WHERE d.meeting_id = m.id) AS overdue," \
    " (SELECT count(*) FILTER (WHERE d.done_at IS NOT NULL) FROM decisions d" \
    "   WHERE d.meeting_id = m.id) AS done" \
    " FROM meetings m LEFT JOIN clusters c ON c.id = m.cluster_id" \
    " JOIN users u ON u.id = m.created_by"

bool db_meeting_add(struct db *db, const char *kind, const char *cluster, const char *held_on,
                    const char *title, int actor_id, int *id, struct error *err)
{
    char actor[16];
    snprintf(actor, sizeof actor, "%d", actor_id);
    const char *params[] = {kind, cluster, held_on, title, actor};
    struct db_rows *rows = db_query(db,
        "INSERT INTO meetings (kind, cluster_id, held_on, title, created_by)"
        " SELECT $1, c.id, $3::date, $4, $5"
        " FROM (SELECT NULL::integer AS id WHERE $2::text IS NULL"
        "       UNION ALL SELECT id FROM clusters WHERE code = $2) AS c"
        " RETURNING id", 5, params, err);
    if (!rows)
        return false;
    *id = db_rows_count(rows) == 1 ? (int)db_rows_int(rows, 0, "id") : 0;
    db_rows_free(rows);
    return true;
}

struct db_rows *db_meetings_list(struct db *db, int limit, struct error *err)
{
    char n[16];
    snprintf(n, sizeof n, "%d", limit);
    const char *params[] = {n};
    return db_query(db, "SELECT " MEETING_COLUMNS " ORDER BY m.held_on DESC, m.id DESC"
                        " LIMIT $1", 1, params, err);
}

struct db_rows *db_meeting_get(struct db *db, int id, struct error *err)
{
    char mid[16];
    snprintf(mid, sizeof mid, "%d", id);
    const char *params[] = {mid};
    return db_query(db, "SELECT " MEETING_COLUMNS " WHERE m.id = $1", 1, params, err);
}

bool db_meeting_lock(struct db *db, int id, bool *found, struct error *err)
{
    char mid[16];
    snprintf(mid, sizeof mid, "%d", id);
    const char *params[] = {mid};
    /* A meeting's row is never changed, so the server's role may not lock it: a lock of
     * the transaction's own, keyed by the meeting, orders two agendas set at once. */
    struct db_rows *rows = db_query(db,
        "SELECT id FROM meetings,"
        " pg_advisory_xact_lock(hashtextextended('directline.meeting:' || $1, 0))"
        " WHERE id = $1::integer", 1, params, err);
    if (!rows)
        return false;
    *found = db_rows_count(rows) == 1;
    db_rows_free(rows);
    return true;
}

bool db_meeting_set_agenda(struct db *db, int id, const char *refs, struct error *err)
{
    char mid[16];
    snprintf(mid, sizeof mid, "%d", id);
    const char *params[] = {mid, refs};
    struct db_rows *rows = db_query(db, "DELETE FROM meeting_agenda WHERE meeting_id = $1",
                                    1, params, err);
    db_rows_free(rows);
    if (!rows)
        return false;
    rows = db_query(db,
        "INSERT INTO meeting_agenda (meeting_id, position, issue_id)"
        " SELECT $1, r.k, i.id FROM unnest($2::text[]) WITH ORDINALITY AS r(ref, k)"
        " JOIN issues i ON i.ref = r.ref RETURNING issue_id", 2, params, err);
    db_rows_free(rows);
    return rows != NULL;
}

struct db_rows *db_meeting_agenda(struct db *db, int id, struct error *err)
{
    char mid[16], others[16];
    snprintf(mid, sizeof mid, "%d", id);
    snprintf(others, sizeof others, "%d", AGENDA_OTHER_SCHOOLS);
    const char *params[] = {mid, others};
    return db_query(db,
        "SELECT a.position, i.id, i.ref, i.title, i.status, s.code AS school,"
        " s.name AS school_name, dv.code AS division, dv.name AS division_name,"
        " " OVERDUE_SQL " AS overdue, cardinality(i.affected_schools) AS schools_affected,"
        " i.created_at::date::text AS filed_on, i.description, i.proposed_solution,"
        " (SELECT string_agg(o.name, ', ' ORDER BY o.code) FROM (SELECT code, name FROM schools"
        "   WHERE id = ANY (i.affected_schools) AND id <> i.school_id"
        "   ORDER BY code LIMIT $2) o) AS other_schools"
        " FROM meeting_agenda a JOIN issues i ON i.id = a.issue_id"
        " JOIN schools s ON s.id = i.school_id JOIN divisions dv ON dv.id = i.division_id"
        " WHERE a.meeting_id = $1 ORDER BY a.position", 2, params, err);
}

struct db_rows *db_meeting_agenda_history(struct db *db, int id, int per_issue,
                                          struct error *err)
{
    char mid[16], n[16];
    snprintf(mid, sizeof mid, "%d", id);
    snprintf(n, sizeof n, "%d", per_issue);
    const char *params[] = {mid, n};
    return db_query(db,
        "SELECT e.issue_id, e.action, e.body, e.details::text AS details, u.full_name AS actor,"
        " u.role AS actor_role, to_char(e.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh',"
        " 'DD/MM/YYYY') AS day"
        " FROM meeting_agenda a CROSS JOIN LATERAL ("
        "   SELECT * FROM (SELECT ev.* FROM issue_events ev WHERE ev.issue_id = a.issue_id"
        "                    AND NOT ev.internal"
        "                  ORDER BY ev.created_at DESC, ev.id DESC LIMIT $2) last"
        "   ORDER BY last.created_at, last.id) e"
        " LEFT JOIN users u ON u.id = e.actor_id"
        " WHERE a.meeting_id = $1 ORDER BY a.position, e.created_at, e.id", 2, params, err);
}

struct db_rows *db_issue_refs_unknown(struct db *db, const char *refs, struct error *err)
{
    const char *params[] = {refs};
    return db_query(db,
        "SELECT r.k - 1 AS k, r.ref FROM unnest($1::text[]) WITH ORDINALITY AS r(ref, k)"
        " WHERE NOT EXISTS (SELECT 1 FROM issues i WHERE i.ref = r.ref) ORDER BY r.k",
        1, params, err);
}
