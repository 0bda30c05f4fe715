/* issue_store.c -- the SQL of the issue use cases, always parameterised. Where a change
 * and its event fit in one statement they share it (data-modifying CTEs), so no change
 * is ever stored without its event. */
#include "db/issue_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/attachment_store.h"
#include "db/issue_sql.h"
#include "db/issue_where.h"
#include "db/sql_where.h"
#include "util/log.h"
#include "util/xalloc.h"

/* One statement, the transaction's first (it carries BEGIN and the context): the filing
 * instant, the category (a LEFT JOIN, so that an unknown code still returns the row) and
 * the SLA settings' version, read before the settings themselves. */
bool db_issue_filing_context(struct db *db, const char *category, struct filing_context *out,
                             struct error *err)
{
    const char *params[] = {category};
    struct db_rows *rows = db_query(db,
        "SELECT floor(extract(epoch FROM now()))::bigint AS now,"
        " c.default_priority, coalesce(c.active, false) AS active,"
        " (SELECT version FROM sla_settings_version) AS sla_version"
        " FROM (VALUES (1)) AS one (x) LEFT JOIN categories c ON c.code = $1",
        1, params, err);
    if (!rows)
        return false;
    *out = (struct filing_context){0};
    out->now = db_rows_int(rows, 0, "now");
    const char *priority = db_rows_get(rows, 0, "default_priority");
    out->known = priority != NULL;
    out->active = db_rows_bool(rows, 0, "active");
    snprintf(out->default_priority, sizeof out->default_priority, "%s", priority ? priority : "");
    out->sla_version = db_rows_int(rows, 0, "sla_version");
    db_rows_free(rows);
    return true;
}

/* The number is taken only when `cat` has a row, so an unknown category consumes none;
 * it comes from the year's sequence (dl_issue_ref_next, sql/migrations/0013_*), which
 * holds no lock until COMMIT: a filing that fails after it leaves a gap. The due times
 * are offsets from the filing second computed by domain/sla_policy.c; the `filed` event
 * records the values the issue started with, for the history. */
static const char FILE_SQL[] =
    "WITH cat AS (SELECT c.id, c.default_division_id, d.code AS division"
    "             FROM categories c JOIN divisions d ON d.id = c.default_division_id"
    "             WHERE c.code = $3),"
    " num AS (SELECT y.year, dl_issue_ref_next(y.year) AS last"
    "         FROM cat, LATERAL (SELECT extract(year FROM now() AT TIME ZONE"
    "                                   'Asia/Ho_Chi_Minh')::int AS year) y),"
    " ins AS (INSERT INTO issues (ref, school_id, filed_by, category_id, division_id,"
    "             priority, title, description, proposed_solution,"
    "             due_first_response_at, due_resolution_at)"
    "         SELECT format('HT-%s-%s', num.year,"
    "                       lpad(num.last::text, greatest(6, length(num.last::text)), '0')),"
    "                $1, $2, cat.id, cat.default_division_id, $4, $5, $6, $7,"
    "                date_trunc('second', now()) + make_interval(secs => $8::bigint),"
    "                date_trunc('second', now()) + make_interval(secs => $9::bigint)"
    "         FROM cat, num"
    "         RETURNING id, ref, status, due_first_response_at, due_resolution_at),"
    " ev AS (INSERT INTO issue_events (issue_id, actor_id, action, to_status, details)"
    "        SELECT ins.id, $2, 'filed', ins.status,"
    "               jsonb_build_object('category', $3::text, 'division', cat.division,"
    "                                  'priority', $4::text,"
    "                                  'due_first_response_at', dl_time(ins.due_first_response_at),"
    "                                  'due_resolution_at', dl_time(ins.due_resolution_at))"
    "        FROM ins, cat)"
    " SELECT ref FROM ins";

char *db_issue_file(struct db *db, const struct new_issue *issue, struct error *err)
{
    char school[16], filer[16], first[24], resolution[24];
    snprintf(school, sizeof school, "%d", issue->school_id);
    snprintf(filer, sizeof filer, "%d", issue->filed_by);
    snprintf(first, sizeof first, "%lld", (long long)issue->due_first_response_offset);
    snprintf(resolution, sizeof resolution, "%lld", (long long)issue->due_resolution_offset);
    const char *params[] = {school, filer, issue->category, issue->priority,
                            issue->title, issue->description, issue->proposed_solution,
                            first, resolution};
    struct db_rows *rows = db_query(db, FILE_SQL, 9, params, err);
    if (!rows)
        return NULL;
    char *ref = NULL;
    if (db_rows_count(rows) == 1)
        ref = xstrdup(db_rows_get(rows, 0, "ref"));
    else
        error_field(err, "category", "unknown_code", "is not a known category code");
    db_rows_free(rows);
    return ref;
}

/* Runs a statement whose rows nobody reads: it is there for its locks or its change. */
static bool run_statement(struct db *db, const char *sql, int nparams, const char *const *params,
                      struct error *err)
{
    struct db_rows *rows = db_query(db, sql, nparams, params, err);
    db_rows_free(rows);
    return rows != NULL;
}

/* The lock is its own statement, and the issue is read after it. A FOR UPDATE on the
 * joined SELECT goes wrong when it has to wait: PostgreSQL then re-checks the updated row
 * against the joined rows it read before the wait, so an issue whose division or
 * category was just changed dropped out of its own answer (a 404). Read afresh after the
 * lock (READ COMMITTED: each statement sees what was committed before it began), the
 * row and its joins agree. */
struct db_rows *db_issue_find(struct db *db, const char *ref, bool for_update,
                              struct error *err)
{
    const char *params[] = {ref};
    if (for_update &&
        !run_statement(db, "SELECT id FROM issues WHERE ref = $1 FOR UPDATE", 1, params, err))
        return NULL;
    return db_query(db, ISSUE_SELECT " WHERE i.ref = $1", 1, params, err);
}

/* Always in id order, whoever asks: two requests locking the same two issues from
 * opposite ends (A onto B while B onto A) queue instead of deadlocking. The sort runs
 * before the rows are locked, so the locks are taken in that order. */
bool db_issue_lock_pair(struct db *db, const char *ref, const char *other_ref,
                        struct error *err)
{
    const char *params[] = {ref, other_ref};
    return run_statement(db, "SELECT id FROM issues WHERE ref IN ($1, $2) ORDER BY id FOR UPDATE",
                     2, params, err);
}

bool db_issue_has_duplicates(struct db *db, long long issue_id, bool *has, struct error *err)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", issue_id);
    const char *params[] = {id};
    struct db_rows *rows = db_query(db,
        "SELECT EXISTS (SELECT 1 FROM issues WHERE duplicate_of = $1::bigint) AS has",
        1, params, err);
    if (!rows)
        return false;
    *has = db_rows_bool(rows, 0, "has");
    db_rows_free(rows);
    return true;
}

/* A WHERE that did not fit its builder is a programming error: refused, never run cut. */
static bool where_fits(const struct sql_where *w, struct error *err)
{
    if (!w->overflow)
        return true;
    log_error("issue filter: the WHERE clause outgrew its builder (%zu bytes, %d parameters)",
              w->len, w->nparams);
    return error_set(err, ERR_INTERNAL, "The issue list could not be built.");
}

/* "{id,id,...}" of the page's rows: the rows statement's one parameter. */
static char *page_ids_array(const struct db_rows *page)
{
    int n = db_rows_count(page), id = db_rows_column(page, "id");
    size_t cap = 3 + (size_t)n * 21, len = 0;
    char *out = xmalloc(cap);
    out[len++] = '{';
    for (int row = 0; row < n; row++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", row ? "," : "",
                                db_rows_value(page, row, id));
    snprintf(out + len, cap - len, "}");
    return out;
}

/* Two statements. The page's ids come from issues alone: whether PostgreSQL plans that
 * for each filter's values or keeps a generic plan, it is cheap (one table). The rows,
 * joined and formatted for those ids only, are one text for every filter, so PostgreSQL
 * keeps one generic plan for them: as one statement with the ids' query, it made a
 * custom plan every time (12 of 12 runs), and the eight-table join cost more to plan
 * (about 5 ms at 1,000,000 issues) than to run. Each statement reads the issues as they
 * are when it runs; a row changed in between shows its newer state. An empty page needs
 * no second statement. */
static const char PAGE_ROWS_SQL[] =
    ISSUE_SELECT " WHERE i.id = ANY ($1::bigint[]) ORDER BY i.created_at DESC, i.id DESC";

struct db_rows *db_issue_list(struct db *db, const struct issue_filter *f, struct error *err)
{
    struct sql_where w;
    issue_where_build(&w, f);
    /* The page's size is a parameter too: one prepared statement for every ?limit=. */
    int limit = sql_where_param(&w, sql_where_number(&w, f->limit + 1));
    if (!where_fits(&w, err))
        return NULL;
    char *sql = xasprintf("SELECT i.id FROM issues i %s"
                          " ORDER BY i.created_at DESC, i.id DESC LIMIT $%d::int", w.sql, limit);
    struct db_rows *page = db_query(db, sql, w.nparams, w.params, err);
    free(sql);
    if (!page || db_rows_count(page) == 0)
        return page;
    char *ids = page_ids_array(page);
    db_rows_free(page);
    const char *params[] = {ids};
    struct db_rows *rows = db_query(db, PAGE_ROWS_SQL, 1, params, err);
    free(ids);
    return rows;
}

/* The filters' WHERE (status and cursor are the list's own; the counts leave them unset),
 * grouped by status: one statement on issues alone, one row per status that has any. */
struct db_rows *db_issue_counts(struct db *db, const struct issue_filter *f, struct error *err)
{
    struct sql_where w;
    issue_where_build(&w, f);
    if (!where_fits(&w, err))
        return NULL;
    char *sql = xasprintf("SELECT i.status, count(*) AS n FROM issues i %s GROUP BY i.status",
                          w.sql);
    struct db_rows *rows = db_query(db, sql, w.nparams, w.params, err);
    free(sql);
    return rows;
}

#define EVENT_COLUMNS \
    "e.id, e.action, u.login AS actor_login, u.full_name AS actor_name," \
    " u.role AS actor_role, e.from_status, e.to_status, e.body AS note, e.internal," \
    " e.details::text AS details, " EPOCH_US("e.created_at") " AS created_at_us"
/* Each event's actor by its key: the LIMIT keeps the planner from flattening the lookup
 * into a hash join, which read every user to answer a history of a few events (with the
 * history's policy since 0020 it also hashed them all: 0.25 ms a read instead of 0.1). */
#define EVENT_SELECT \
    "SELECT " EVENT_COLUMNS " FROM issue_events e LEFT JOIN LATERAL" \
    " (SELECT login, full_name, role FROM users WHERE users.id = e.actor_id LIMIT 1) u ON true"

/* The history and the files select their issue by its ref, so all three statements go
 * out at once; the sub-selects see the issue only when the issue's statement does (the
 * same row-level security), and the internal-note filter stays as it was. */
bool db_issue_read(struct db *db, const char *ref, bool sees_internal, struct issue_read *out,
                   struct error *err)
{
    const char *params[] = {ref, sees_internal ? "true" : "false"};
    const struct db_statement statements[] = {
        {ISSUE_SELECT " WHERE i.ref = $1", 1, params},
        {DB_PIPELINED EVENT_SELECT
         " WHERE e.issue_id = (SELECT id FROM issues WHERE ref = $1)"
         " AND (NOT e.internal OR $2::bool) ORDER BY e.created_at, e.id", 2, params},
        db_attachment_list_statement(params),
    };
    struct db_rows *rows[3];
    if (!db_query_many(db, statements, 3, rows, err))
        return false;
    *out = (struct issue_read){.issue = rows[0], .events = rows[1], .attachments = rows[2]};
    return true;
}

void db_issue_read_free(struct issue_read *r)
{
    db_rows_free(r->issue);
    db_rows_free(r->events);
    db_rows_free(r->attachments);
    *r = (struct issue_read){0};
}

/* Waiting on the school pauses the clock: entering awaiting_school records when; leaving
 * it moves both due times later by the pause and adds it to paused_seconds. (In an
 * UPDATE, the right-hand sides see the row as it was.) The row must still have the
 * status $5 the lifecycle decided from, so a caller that read it without the row lock
 * changes nothing rather than skipping a step. */
static const char TRANSITION_SQL[] =
    "WITH upd AS ("
    "  UPDATE issues SET status = $2, updated_at = now(),"
    "         escalation_level = escalation_level + CASE WHEN $7::bool THEN 1 ELSE 0 END,"
    "         reopen_count = reopen_count + CASE WHEN $8::bool THEN 1 ELSE 0 END,"
    "         first_response_at = CASE WHEN $9::bool THEN coalesce(first_response_at, now())"
    "                                  ELSE first_response_at END,"
    "         resolved_at = CASE WHEN $2 = 'resolved' THEN now()"
    "                            WHEN $2 = 'in_progress' THEN NULL ELSE resolved_at END,"
    "         closed_at = CASE WHEN $2 IN ('closed', 'declined', 'duplicate') THEN now()"
    "                          ELSE closed_at END,"
    "         duplicate_of = $10::bigint,"
    "         paused_at = CASE WHEN $2 = 'awaiting_school' THEN coalesce(paused_at, now()) END,"
    "         paused_seconds = paused_seconds + CASE WHEN paused_at IS NOT NULL AND $2 <> 'awaiting_school'"
    "             THEN floor(extract(epoch FROM now() - paused_at))::bigint ELSE 0 END,"
    "         due_first_response_at = due_first_response_at +"
    "             CASE WHEN paused_at IS NOT NULL AND $2 <> 'awaiting_school'"
    "                  THEN date_trunc('second', now() - paused_at) ELSE interval '0' END,"
    "         due_resolution_at = due_resolution_at +"
    "             CASE WHEN paused_at IS NOT NULL AND $2 <> 'awaiting_school'"
    "                  THEN date_trunc('second', now() - paused_at) ELSE interval '0' END"
    "   WHERE id = $1 AND status = $5"
    "  RETURNING id, escalation_level, duplicate_of, due_first_response_at, due_resolution_at,"
    "            paused_seconds)"
    " INSERT INTO issue_events (issue_id, actor_id, action, from_status, to_status, body, details)"
    " SELECT upd.id, $3, $4, $5, $2, $6,"
    "        nullif(CASE WHEN $7::bool THEN jsonb_build_object('level', upd.escalation_level)"
    "                    ELSE '{}' END"
    "            || CASE WHEN upd.duplicate_of IS NOT NULL THEN jsonb_build_object('duplicate_of',"
    "                    (SELECT ref FROM issues WHERE id = upd.duplicate_of)) ELSE '{}' END"
    "            || CASE WHEN $11::integer IS NOT NULL THEN jsonb_build_object('rating', $11::integer)"
    "                    ELSE '{}' END"
    "            || CASE WHEN $5 = 'awaiting_school' AND $2 <> 'awaiting_school' THEN"
    "                    jsonb_build_object('due_first_response_at', dl_time(upd.due_first_response_at),"
    "                                       'due_resolution_at', dl_time(upd.due_resolution_at),"
    "                                       'paused_seconds', upd.paused_seconds)"
    "                    ELSE '{}' END, '{}')"
    " FROM upd RETURNING issue_id";

bool db_issue_transition(struct db *db, const struct issue_transition *t, struct error *err)
{
    char id[24], actor[16], dup[24], rating[8];
    snprintf(id, sizeof id, "%lld", t->issue_id);
    snprintf(rating, sizeof rating, "%d", t->rating);
    snprintf(actor, sizeof actor, "%d", t->actor_id);
    snprintf(dup, sizeof dup, "%lld", t->duplicate_of_id);
    const char *params[] = {
        id, status_name(t->to), actor, action_name(t->action), status_name(t->from), t->note,
        t->raises_escalation ? "true" : "false", t->counts_reopen ? "true" : "false",
        t->is_first_response ? "true" : "false", t->duplicate_of_id ? dup : NULL,
        t->rating ? rating : NULL,
    };
    struct db_rows *rows = db_query(db, TRANSITION_SQL, 11, params, err);
    if (!rows)
        return false;
    int changed = db_rows_count(rows);
    db_rows_free(rows);
    if (changed == 1)
        return true;
    /* The row no longer has the status the caller decided from: someone else acted in
     * between, which the caller's row lock should have prevented. Nothing was written. */
    return error_coded(err, ERR_CONFLICT, "status_changed",
                       "The issue is no longer %s: it changed while this action was being "
                       "decided. Reload it and try again.", status_name(t->from));
}

/* One statement per field: $1 issue id, $2 actor id, $3 the new value (code, priority,
 * login or NULL). `old` and `target` give the event its from and to; the event's row
 * comes back when something changed. */
static const char *const SET_FIELD_SQL[] = {
    /* Into a sensitive category, a shared issue is taken back in the same statement, with
     * its own unshare event saying why (the database refuses the move otherwise). */
    [FIELD_CATEGORY] =
        "WITH old AS (SELECT i.id, c.code, i.shared FROM issues i"
        "             JOIN categories c ON c.id = i.category_id WHERE i.id = $1),"
        " target AS (SELECT id, code, sensitive FROM categories WHERE code = $3),"
        " upd AS (UPDATE issues SET category_id = target.id, updated_at = now(),"
        "         shared = issues.shared AND NOT target.sensitive"
        "         FROM old, target WHERE issues.id = old.id AND old.code <> target.code"
        "         RETURNING issues.id),"
        " unshared AS (INSERT INTO issue_events (issue_id, actor_id, action, details)"
        "         SELECT upd.id, $2, 'unshare',"
        "                jsonb_build_object('reason', 'sensitive_category', 'category', target.code)"
        "         FROM upd, old, target WHERE old.shared AND target.sensitive)"
        " INSERT INTO issue_events (issue_id, actor_id, action, details)"
        " SELECT upd.id, $2, 'set_category',"
        "        jsonb_build_object('field', 'category', 'from', old.code, 'to', target.code)"
        " FROM upd, old, target RETURNING issue_id",
    [FIELD_DIVISION] =
        "WITH old AS (SELECT i.id, d.code FROM issues i JOIN divisions d ON d.id = i.division_id"
        "             WHERE i.id = $1),"
        " target AS (SELECT id, code FROM divisions WHERE code = $3),"
        " upd AS (UPDATE issues SET division_id = target.id, updated_at = now()"
        "         FROM old, target WHERE issues.id = old.id AND old.code <> target.code"
        "         RETURNING issues.id)"
        " INSERT INTO issue_events (issue_id, actor_id, action, details)"
        " SELECT upd.id, $2, 'set_division',"
        "        jsonb_build_object('field', 'division', 'from', old.code, 'to', target.code)"
        " FROM upd, old, target RETURNING issue_id",
    /* A new priority brings its own due times ($4, $5: seconds after the filing second). */
    [FIELD_PRIORITY] =
        "WITH old AS (SELECT id, priority FROM issues WHERE id = $1),"
        " target AS (SELECT priority FROM sla_policies WHERE priority = $3),"
        " upd AS (UPDATE issues SET priority = target.priority, updated_at = now(),"
        "         due_first_response_at = date_trunc('second', created_at) + make_interval(secs => $4::bigint),"
        "         due_resolution_at = date_trunc('second', created_at) + make_interval(secs => $5::bigint)"
        "         FROM old, target WHERE issues.id = old.id AND old.priority <> target.priority"
        "         RETURNING issues.id, due_first_response_at, due_resolution_at)"
        " INSERT INTO issue_events (issue_id, actor_id, action, details)"
        " SELECT upd.id, $2, 'set_priority',"
        "        jsonb_build_object('field', 'priority', 'from', old.priority, 'to', target.priority,"
        "                           'due_first_response_at', dl_time(upd.due_first_response_at),"
        "                           'due_resolution_at', dl_time(upd.due_resolution_at))"
        " FROM upd, old, target RETURNING issue_id",
    [FIELD_ASSIGNEE] =
        "WITH old AS (SELECT i.id, u.login FROM issues i LEFT JOIN users u ON u.id = i.assignee_id"
        "             WHERE i.id = $1),"
        " target AS (SELECT (SELECT id FROM users WHERE login = $3) AS id, $3::text AS login),"
        " upd AS (UPDATE issues SET assignee_id = target.id, updated_at = now()"
        "         FROM old, target"
        "         WHERE issues.id = old.id AND old.login IS DISTINCT FROM target.login"
        "         RETURNING issues.id)"
        " INSERT INTO issue_events (issue_id, actor_id, action, details)"
        " SELECT upd.id, $2, 'set_assignee',"
        "        jsonb_build_object('field', 'assignee', 'from', old.login, 'to', target.login)"
        " FROM upd, old, target RETURNING issue_id",
};

/* After a move to another division: an assignee who may not hold the issue there (an
 * officer of another division, or someone no longer active) is let go, with a
 * set_assignee event of its own; a supervisor, or an officer of the new division (the
 * API assigns one before it moves the issue), stays. $1 issue id, $2 actor id. */
static const char UNASSIGN_OUTSIDER_SQL[] =
    "WITH old AS (SELECT i.id, u.login FROM issues i JOIN users u ON u.id = i.assignee_id"
    "             WHERE i.id = $1 AND NOT (u.active AND (u.role = 'supervisor' OR"
    "                   (u.role = 'officer' AND u.division_id = i.division_id)))),"
    " upd AS (UPDATE issues SET assignee_id = NULL, updated_at = now()"
    "         FROM old WHERE issues.id = old.id RETURNING issues.id)"
    " INSERT INTO issue_events (issue_id, actor_id, action, details)"
    " SELECT upd.id, $2, 'set_assignee',"
    "        jsonb_build_object('field', 'assignee', 'from', old.login, 'to', NULL,"
    "                           'reason', 'division_moved')"
    " FROM upd, old";

bool db_issue_set_field(struct db *db, long long issue_id, int actor_id,
                        enum issue_field field, const char *value,
                        int64_t due_first_response_offset, int64_t due_resolution_offset,
                        struct error *err)
{
    char id[24], actor[16], first[24], resolution[24];
    snprintf(id, sizeof id, "%lld", issue_id);
    snprintf(actor, sizeof actor, "%d", actor_id);
    snprintf(first, sizeof first, "%lld", (long long)due_first_response_offset);
    snprintf(resolution, sizeof resolution, "%lld", (long long)due_resolution_offset);
    const char *params[] = {id, actor, value, first, resolution};
    struct db_rows *rows = db_query(db, SET_FIELD_SQL[field], field == FIELD_PRIORITY ? 5 : 3,
                                    params, err);
    if (!rows)
        return false;
    bool moved = field == FIELD_DIVISION && db_rows_count(rows) > 0;
    db_rows_free(rows);
    return !moved || run_statement(db, UNASSIGN_OUTSIDER_SQL, 2, params, err);
}

/* An internal note leaves updated_at alone: readers who may not see it must not learn
 * from the issue that one was written. A co-signing school's comment ($6 false) leaves
 * the issue's row alone altogether: the school may not change another school's issue. */
static const char COMMENT_SQL[] =
    "WITH upd AS (UPDATE issues SET"
    "             updated_at = CASE WHEN $4::bool THEN updated_at ELSE now() END,"
    "             first_response_at = CASE WHEN $5::bool THEN coalesce(first_response_at, now())"
    "                                      ELSE first_response_at END"
    "             WHERE id = $1 AND $6::bool RETURNING id),"
    " ins AS (INSERT INTO issue_events (issue_id, actor_id, action, body, internal)"
    "         SELECT $1::bigint, $2, 'comment', $3, $4::bool"
    "          WHERE NOT $6::bool OR EXISTS (SELECT 1 FROM upd) RETURNING *)"
    " SELECT " EVENT_COLUMNS " FROM ins e JOIN users u ON u.id = e.actor_id";

struct db_rows *db_issue_comment(struct db *db, long long issue_id, int actor_id,
                                 const char *body, bool internal, bool is_first_response,
                                 bool touches_issue, struct error *err)
{
    char id[24], actor[16];
    snprintf(id, sizeof id, "%lld", issue_id);
    snprintf(actor, sizeof actor, "%d", actor_id);
    const char *params[] = {id, actor, body, internal ? "true" : "false",
                            is_first_response ? "true" : "false",
                            touches_issue ? "true" : "false"};
    return db_query(db, COMMENT_SQL, 6, params, err);
}
