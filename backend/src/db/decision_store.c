/* decision_store.c -- meetings' decisions, as decision_store.h says. Each write is one
 * statement: the decision's row, its event (the decision as it stands after it) and the
 * issues' events go together or not at all. */
#include "db/decision_store.h"

#include <stdio.h>
#include <stdlib.h>

#define DECISION_COLUMNS \
    "d.id, d.meeting_id, m.title AS meeting_title, m.held_on::text AS held_on," \
    " m.kind AS meeting_kind, mc.code AS meeting_cluster, d.body, d.division_id," \
    " dv.code AS division, dv.name AS division_name, ru.login AS responsible," \
    " ru.full_name AS responsible_name, d.due_on::text AS due_on," \
    " d.due_on - date '1970-01-01' AS due_days, d.recorded_by AS recorded_by_id," \
    " rb.login AS recorded_by, rb.full_name AS recorded_by_name," \
    " dl_time(d.recorded_at) AS recorded_at," \
    " d.done_at IS NOT NULL AS done, dl_time(d.done_at) AS done_at," \
    " floor(extract(epoch FROM d.done_at))::bigint AS done_epoch, db.login AS done_by," \
    " db.full_name AS done_by_name," \
    " d.done_note, floor(extract(epoch FROM now()))::bigint AS now_epoch," \
    " (SELECT coalesce(json_agg(json_build_object('ref', i.ref, 'title', i.title," \
    "                                             'status', i.status) ORDER BY i.id), '[]')" \
    "    FROM decision_issues di JOIN issues i ON i.id = di.issue_id" \
    "   WHERE di.decision_id = d.id) AS issues" \
    " FROM decisions d JOIN meetings m ON m.id = d.meeting_id" \
    " LEFT JOIN clusters mc ON mc.id = m.cluster_id" \
    " JOIN divisions dv ON dv.id = d.division_id" \
    " LEFT JOIN users ru ON ru.id = d.responsible_id" \
    " JOIN users rb ON rb.id = d.recorded_by LEFT JOIN users db ON db.id = d.done_by"

static void int_text(char out[16], long long v)
{
    snprintf(out, 16, "%lld", v);
}

bool db_decision_people(struct db *db, const char *division, const char *responsible,
                        int *division_id, int *responsible_id, struct error *err)
{
    const char *params[] = {division, responsible};
    struct db_rows *rows = db_query(db,
        "SELECT coalesce((SELECT id FROM divisions WHERE code = $1), 0) AS division_id,"
        " CASE WHEN $2::text IS NULL THEN 0"
        "      ELSE coalesce((SELECT u.id FROM users u WHERE u.login = $2 AND u.active"
        "             AND (u.role = 'supervisor' OR (u.role = 'officer' AND u.division_id ="
        "                  (SELECT id FROM divisions WHERE code = $1)))), -1) END"
        "   AS responsible_id", 2, params, err);
    if (!rows)
        return false;
    *division_id = (int)db_rows_int(rows, 0, "division_id");
    *responsible_id = (int)db_rows_int(rows, 0, "responsible_id");
    db_rows_free(rows);
    return true;
}

static const char RECORD_SQL[] =
    "WITH d AS (INSERT INTO decisions (meeting_id, body, division_id, responsible_id, due_on,"
    "                                  recorded_by)"
    "           VALUES ($1, $2, $3, nullif($4::integer, 0), $5::date, $7) RETURNING *),"
    " ev AS (INSERT INTO decision_events (decision_id, action, actor_id, body, division_id,"
    "                                     responsible_id, due_on, done)"
    "        SELECT d.id, 'record', $7, d.body, d.division_id, d.responsible_id, d.due_on,"
    "               false FROM d),"
    " di AS (INSERT INTO decision_issues (decision_id, issue_id)"
    "        SELECT d.id, i.id FROM d, issues i WHERE i.ref = ANY ($6::text[])"
    "        RETURNING issue_id),"
    " ie AS (INSERT INTO issue_events (issue_id, actor_id, action, body, details)"
    "        SELECT di.issue_id, $7, 'decision', d.body,"
    "               jsonb_build_object('decision', d.id, 'meeting', m.id,"
    "                                  'meeting_title', m.title, 'held_on', m.held_on,"
    "                                  'due_on', d.due_on, 'division', dv.code)"
    "          FROM di, d JOIN meetings m ON m.id = d.meeting_id"
    "          JOIN divisions dv ON dv.id = d.division_id)"
    " SELECT id FROM d";

bool db_decision_record(struct db *db, int meeting_id, const char *body, int division_id,
                        int responsible_id, const char *due_on, const char *refs, int actor_id,
                        int *id, struct error *err)
{
    char meeting[16], division[16], responsible[16], actor[16];
    int_text(meeting, meeting_id);
    int_text(division, division_id);
    int_text(responsible, responsible_id);
    int_text(actor, actor_id);
    const char *params[] = {meeting, body, division, responsible, due_on, refs, actor};
    struct db_rows *rows = db_query(db, RECORD_SQL, 7, params, err);
    if (!rows)
        return false;
    *id = (int)db_rows_int(rows, 0, "id");
    db_rows_free(rows);
    return true;
}

/* A new due day is told again when it comes near. */
static const char CHANGE_SQL[] =
    "WITH d AS (UPDATE decisions SET body = coalesce($2, body),"
    "             division_id = coalesce(nullif($3::integer, 0), division_id),"
    "             responsible_id = CASE $4::integer WHEN 0 THEN responsible_id"
    "                                               WHEN -1 THEN NULL ELSE $4::integer END,"
    "             due_on = coalesce($5::date, due_on),"
    "             due_told_at = CASE WHEN $5::date <> due_on THEN NULL ELSE due_told_at END"
    "           WHERE id = $1 RETURNING *)"
    " INSERT INTO decision_events (decision_id, action, actor_id, body, division_id,"
    "                              responsible_id, due_on, done)"
    " SELECT d.id, 'change', $6, d.body, d.division_id, d.responsible_id, d.due_on,"
    "        d.done_at IS NOT NULL FROM d RETURNING id";

bool db_decision_change(struct db *db, int id, const struct decision_change *c, int actor_id,
                        struct error *err)
{
    char did[16], division[16], responsible[16], actor[16];
    int_text(did, id);
    int_text(division, c->division_id);
    int_text(responsible, c->responsible_id);
    int_text(actor, actor_id);
    const char *params[] = {did, c->body, division, responsible, c->due_on, actor};
    struct db_rows *rows = db_query(db, CHANGE_SQL, 6, params, err);
    db_rows_free(rows);
    return rows != NULL;
}

/* "late" is the decision's own verdict at the moment it was done (decision_rules.h). */
static const char MARK_SQL[] =
    "WITH d AS (UPDATE decisions SET done_at = CASE WHEN $2::boolean THEN now() END,"
    "             done_by = CASE WHEN $2::boolean THEN $4::integer END,"
    "             done_note = CASE WHEN $2::boolean THEN $3 END"
    "           WHERE id = $1 RETURNING *),"
    " ev AS (INSERT INTO decision_events (decision_id, action, actor_id, note, body,"
    "                                     division_id, responsible_id, due_on, done)"
    "        SELECT d.id, CASE WHEN $2::boolean THEN 'done' ELSE 'reopen' END, $4, $3,"
    "               d.body, d.division_id, d.responsible_id, d.due_on, $2::boolean FROM d)"
    " INSERT INTO issue_events (issue_id, actor_id, action, body, details)"
    " SELECT di.issue_id, $4,"
    "        CASE WHEN $2::boolean THEN 'decision_done' ELSE 'decision_reopened' END, $3,"
    "        jsonb_build_object('decision', d.id, 'meeting', m.id, 'meeting_title', m.title,"
    "                           'held_on', m.held_on, 'due_on', d.due_on)"
    "        || CASE WHEN $2::boolean THEN jsonb_build_object('late', now() >="
    "               ((d.due_on + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')) ELSE '{}' END"
    "   FROM d JOIN decision_issues di ON di.decision_id = d.id"
    "   JOIN meetings m ON m.id = d.meeting_id RETURNING issue_id";

bool db_decision_mark(struct db *db, int id, bool done, const char *note, int actor_id,
                      struct error *err)
{
    char did[16], actor[16];
    int_text(did, id);
    int_text(actor, actor_id);
    const char *params[] = {did, done ? "true" : "false", note, actor};
    struct db_rows *rows = db_query(db, MARK_SQL, 4, params, err);
    db_rows_free(rows);
    return rows != NULL;
}

struct db_rows *db_decision_get(struct db *db, int id, bool lock, struct error *err)
{
    char did[16];
    int_text(did, id);
    const char *params[] = {did};
    return db_query(db, lock ? "SELECT " DECISION_COLUMNS " WHERE d.id = $1 FOR UPDATE OF d"
                             : "SELECT " DECISION_COLUMNS " WHERE d.id = $1",
                    1, params, err);
}

struct db_rows *db_decisions_of_meeting(struct db *db, int meeting_id, struct error *err)
{
    char mid[16];
    int_text(mid, meeting_id);
    const char *params[] = {mid};
    return db_query(db, "SELECT " DECISION_COLUMNS " WHERE d.meeting_id = $1 ORDER BY d.id",
                    1, params, err);
}

struct db_rows *db_decisions_of_issue(struct db *db, long long issue_id, struct error *err)
{
    char iid[16];
    int_text(iid, issue_id);
    const char *params[] = {iid};
    return db_query(db,
        "SELECT " DECISION_COLUMNS
        " WHERE d.id IN (SELECT decision_id FROM decision_issues WHERE issue_id = $1)"
        " ORDER BY m.held_on DESC, d.id DESC", 1, params, err);
}

struct db_rows *db_decisions_list(struct db *db, const char *state, const char *division,
                                  int limit, struct error *err)
{
    char n[16];
    int_text(n, limit);
    const char *params[] = {state, division, n};
    return db_query(db,
        "SELECT " DECISION_COLUMNS
        " WHERE ($2::text IS NULL OR dv.code = $2)"
        "   AND CASE $1 WHEN 'all' THEN true"
        "               WHEN 'done' THEN d.done_at IS NOT NULL"
        "               WHEN 'overdue' THEN d.done_at IS NULL AND d.due_on"
        "                    < (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
        "               ELSE d.done_at IS NULL END"
        " ORDER BY d.due_on, d.id LIMIT $3", 3, params, err);
}

bool db_decisions_falling_due(struct db *db, long long now, int *told, struct error *err)
{
    char at[24];
    snprintf(at, sizeof at, "%lld", now);
    const char *params[] = {at};
    struct db_rows *rows = db_query(db,
        "SELECT dl_decisions_falling_due(to_timestamp($1::bigint)) AS told", 1, params, err);
    if (!rows)
        return false;
    *told = (int)db_rows_int(rows, 0, "told");
    db_rows_free(rows);
    return true;
}
