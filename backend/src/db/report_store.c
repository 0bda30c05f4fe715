/* report_store.c -- SQL of the monthly report. "Unresolved at instant A" reads the
 * stretches of issue_states whose range (valid_from, valid_to] contains A: an event at
 * exactly A belongs to the time after A. */
#include "db/report_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/xalloc.h"

#define UNRESOLVED_AT(at) \
    "tstzrange(st.valid_from, st.valid_to, '(]') @> " at \
    " AND st.status IN ('new', 'triaged', 'in_progress', 'awaiting_school')"
/* $2: a school code or NULL, $3: a cluster code or NULL. */
#define SCOPE_JOINS \
    " JOIN issues i ON i.id = st.issue_id" \
    " JOIN schools sch ON sch.id = i.school_id" \
    " JOIN clusters cl ON cl.id = sch.cluster_id"
#define IN_SCOPE " AND ($2::text IS NULL OR sch.code = $2) AND ($3::text IS NULL OR cl.code = $3)"

bool db_report_period(struct db *db, int year, int month, int64_t now,
                      struct report_period *p, struct error *err)
{
    char y[8], m[8], n[24];
    snprintf(y, sizeof y, "%d", year);
    snprintf(m, sizeof m, "%d", month);
    snprintf(n, sizeof n, "%lld", (long long)now);
    const char *params[] = {y, m, n};
    struct db_rows *rows = db_query(db,
        /* Month arithmetic on local wall-clock time, then back to instants: adding a
         * month to an instant would happen in the session's zone, not the Department's. */
        "WITH d AS (SELECT make_date($1::int, $2::int, 1)::timestamp AS first_day),"
        " b AS (SELECT first_day AT TIME ZONE 'Asia/Ho_Chi_Minh' AS s,"
        "              (first_day + interval '1 month') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS e FROM d)"
        " SELECT extract(epoch FROM b.s)::bigint AS start, extract(epoch FROM b.e)::bigint AS end_,"
        "        dl_time(least(b.e, to_timestamp($3::bigint))) AS as_of"
        " FROM b", 3, params, err);
    if (!rows)
        return false;
    *p = (struct report_period){.year = year, .month = month,
                                .start = db_rows_int(rows, 0, "start"),
                                .end = db_rows_int(rows, 0, "end_")};
    p->as_of = p->end < now ? p->end : now;
    snprintf(p->as_of_text, sizeof p->as_of_text, "%s", db_rows_get(rows, 0, "as_of"));
    db_rows_free(rows);
    if (p->start > now)
        return error_field(err, "month", "%04d-%02d has not begun yet", year, month);
    return true;
}

static const char UNRESOLVED_SQL[] =
    "SELECT i.ref, i.title, sch.code AS school, sch.name AS school_name,"
    " cl.code AS cluster, cl.name AS cluster_name,"
    " st.category, cat.name AS category_name, cat.kind AS category_kind,"
    " st.division, d.name AS division_name, st.status, st.priority, st.assignee,"
    " floor(extract(epoch FROM i.created_at))::bigint AS filed_at, st.escalation_level,"
    /* Paused while waiting on the school; else past a due time that still ran at A. */
    " (st.status <> 'awaiting_school' AND (st.due_resolution_at < to_timestamp($1)"
    "   OR ((i.first_response_at IS NULL OR i.first_response_at >= to_timestamp($1))"
    "       AND st.due_first_response_at < to_timestamp($1)))) AS overdue"
    " FROM issue_states st" SCOPE_JOINS
    " LEFT JOIN categories cat ON cat.code = st.category"
    " LEFT JOIN divisions d ON d.code = st.division"
    " WHERE " UNRESOLVED_AT("to_timestamp($1)") IN_SCOPE;

static const char PREVIOUS_SQL[] =
    "SELECT i.ref FROM issue_states st" SCOPE_JOINS
    " WHERE " UNRESOLVED_AT("to_timestamp($1)") IN_SCOPE;

/* The last resolution in the month of each issue resolved in it, with the division the
 * issue was in at that moment. $1 start, $4 as-of. */
static const char RESOLVED_SQL[] =
    "SELECT DISTINCT ON (e.issue_id) st.division, d.name AS division_name,"
    " CASE WHEN i.first_response_at < to_timestamp($4)"
    "      THEN extract(epoch FROM i.first_response_at - i.created_at) / 3600"
    "      ELSE -1 END AS first_response_hours,"
    " extract(epoch FROM e.created_at - i.created_at) / 3600 AS resolution_hours"
    " FROM issue_events e"
    " JOIN issue_states st ON st.issue_id = e.issue_id AND st.valid_from <= e.created_at"
    "  AND (st.valid_to IS NULL OR st.valid_to > e.created_at)" SCOPE_JOINS
    " LEFT JOIN divisions d ON d.code = st.division"
    " WHERE e.action = 'resolve' AND e.created_at >= to_timestamp($1)"
    "   AND e.created_at < to_timestamp($4)" IN_SCOPE
    " ORDER BY e.issue_id, e.created_at DESC";

/* Filed in the month, and the trend: unresolved at each of the 12 month-ends up to the
 * as-of instant. $1 start, $4 as-of. */
static const char COUNTS_SQL[] =
    "SELECT 0 AS k, (SELECT count(*) FROM issues i"
    "   JOIN schools sch ON sch.id = i.school_id JOIN clusters cl ON cl.id = sch.cluster_id"
    "   WHERE i.created_at >= to_timestamp($1) AND i.created_at < to_timestamp($4)" IN_SCOPE
    " ) AS n"
    " UNION ALL"
    " SELECT m.k, (SELECT count(*) FROM issue_states st" SCOPE_JOINS
    "   WHERE " UNRESOLVED_AT("m.at") IN_SCOPE ") AS n"
    " FROM (SELECT k, least(to_timestamp($4),"
    "                      ((to_timestamp($1) AT TIME ZONE 'Asia/Ho_Chi_Minh')"
    "                       + make_interval(months => k - 11)) AT TIME ZONE 'Asia/Ho_Chi_Minh')"
    "        AS at FROM generate_series(1, 12) AS k) AS m"
    " ORDER BY k";

static void fill_issues(struct report_data *d, const struct db_rows *r)
{
    size_t n = (size_t)db_rows_count(r);
    d->issues = xcalloc(n, sizeof *d->issues);
    for (size_t i = 0; i < n; i++) {
        int row = (int)i;
        d->issues[i] = (struct report_issue){
            .ref = db_rows_get(r, row, "ref"), .title = db_rows_get(r, row, "title"),
            .school = db_rows_get(r, row, "school"),
            .school_name = db_rows_get(r, row, "school_name"),
            .cluster = db_rows_get(r, row, "cluster"),
            .cluster_name = db_rows_get(r, row, "cluster_name"),
            .category = db_rows_get(r, row, "category"),
            .category_name = db_rows_get(r, row, "category_name"),
            .category_kind = db_rows_get(r, row, "category_kind"),
            .division = db_rows_get(r, row, "division"),
            .division_name = db_rows_get(r, row, "division_name"),
            .status = db_rows_get(r, row, "status"), .priority = db_rows_get(r, row, "priority"),
            .assignee = db_rows_get(r, row, "assignee"),
            .filed_at = db_rows_int(r, row, "filed_at"),
            .overdue = db_rows_bool(r, row, "overdue"),
            .escalation_level = (int)db_rows_int(r, row, "escalation_level"),
        };
    }
    d->input.issues = d->issues;
    d->input.nissues = n;
}

static void fill_previous(struct report_data *d, const struct db_rows *r)
{
    size_t n = (size_t)db_rows_count(r);
    d->previous_refs = xcalloc(n, sizeof *d->previous_refs);
    for (size_t i = 0; i < n; i++)
        d->previous_refs[i] = db_rows_get(r, (int)i, "ref");
    d->input.previous_refs = d->previous_refs;
    d->input.nprevious = n;
}

static void fill_resolved(struct report_data *d, const struct db_rows *r)
{
    size_t n = (size_t)db_rows_count(r);
    d->resolved = xcalloc(n, sizeof *d->resolved);
    for (size_t i = 0; i < n; i++) {
        int row = (int)i;
        d->resolved[i] = (struct report_resolution){
            .division = db_rows_get(r, row, "division"),
            .division_name = db_rows_get(r, row, "division_name"),
            .first_response_hours = strtod(db_rows_get(r, row, "first_response_hours"), NULL),
            .resolution_hours = strtod(db_rows_get(r, row, "resolution_hours"), NULL),
        };
    }
    d->input.resolved = d->resolved;
    d->input.nresolved = n;
}

static void fill_counts(struct report_data *d, const struct db_rows *r)
{
    d->input.filed_in_month = (size_t)db_rows_int(r, 0, "n");
    for (int k = 0; k < REPORT_TREND_MONTHS && k + 1 < db_rows_count(r); k++)
        d->input.trend[k] = (int)db_rows_int(r, k + 1, "n");
}

bool db_report_load(struct db *db, const struct report_period *p,
                    const struct report_scope *scope, struct report_data *out,
                    struct error *err)
{
    *out = (struct report_data){.input = {.year = p->year, .month = p->month,
                                          .as_of = p->as_of}};
    char as_of[24], start[24];
    snprintf(as_of, sizeof as_of, "%lld", (long long)p->as_of);
    snprintf(start, sizeof start, "%lld", (long long)p->start);
    const char *at_end[] = {as_of, scope->school, scope->cluster};
    const char *at_start[] = {start, scope->school, scope->cluster};
    const char *month[] = {start, scope->school, scope->cluster, as_of};
    /* One snapshot for all four reads, so the parts agree with each other. */
    bool ok = db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err) &&
              (out->rows[0] = db_query(db, UNRESOLVED_SQL, 3, at_end, err)) &&
              (out->rows[1] = db_query(db, PREVIOUS_SQL, 3, at_start, err)) &&
              (out->rows[2] = db_query(db, RESOLVED_SQL, 4, month, err)) &&
              (out->rows[3] = db_query(db, COUNTS_SQL, 4, month, err)) &&
              db_commit(db, err);
    if (!ok) {
        db_rollback(db);
        report_data_free(out);
        return false;
    }
    fill_issues(out, out->rows[0]);
    fill_previous(out, out->rows[1]);
    fill_resolved(out, out->rows[2]);
    fill_counts(out, out->rows[3]);
    return true;
}

void report_data_free(struct report_data *d)
{
    free(d->issues);
    free(d->previous_refs);
    free(d->resolved);
    for (int i = 0; i < 4; i++)
        db_rows_free(d->rows[i]);
    *d = (struct report_data){0};
}

char *db_report_scope_name(struct db *db, const struct report_scope *scope, struct error *err)
{
    if (!scope->school && !scope->cluster)
        return NULL;
    const char *params[] = {scope->school ? scope->school : scope->cluster};
    struct db_rows *rows = db_query(db, scope->school
                                        ? "SELECT name FROM schools WHERE code = $1"
                                        : "SELECT name FROM clusters WHERE code = $1",
                                    1, params, err);
    char *name = rows && db_rows_count(rows) == 1 ? xstrdup(db_rows_get(rows, 0, "name")) : NULL;
    db_rows_free(rows);
    return name;
}
