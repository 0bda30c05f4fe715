/* report_store.c -- SQL of the monthly report. "Unresolved at instant A" reads the
 * stretches of issue_states whose range (valid_from, valid_to] contains A: an event at
 * exactly A belongs to the time after A. */
#include "db/report_store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Unresolved at an instant: one containment probe of issue_states_unresolved_idx. */
#define OPEN_AT(at) "st.unresolved_during @> " at
/* $2: the scope's school ids, or NULL for the whole Department. With the parameter known
 * at planning time, a NULL folds the test away; a list filters inside the index. */
#define IN_SCOPE(school_id) " AND ($2::int[] IS NULL OR " school_id " = ANY($2::int[]))"

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
        return error_field(err, "month", "month_not_begun",
                           "%04d-%02d has not begun yet", year, month);
    return true;
}

/* A systemic problem counts once (0021): at instant A, a child linked then to a parent
 * that is itself unresolved and in scope then is folded into the parent's row. Driven
 * from the links, a small table, each probing the parent's state by its key. */
#define FOLDED_AT(at) \
    "SELECT l.child_id FROM issue_links l JOIN issue_states_visible p" \
    "   ON p.issue_id = l.parent_id AND p.unresolved_during @> " at \
    "   AND ($2::int[] IS NULL OR p.school_id = ANY($2::int[]))" \
    " WHERE l.linked_during @> " at

/* Codes, not names: report_names.c gives the names. */
static const char UNRESOLVED_SQL[] =
    "WITH linked AS (SELECT child_id, parent_id FROM issue_links"
    "                WHERE linked_during @> to_timestamp($1)),"
    /* The schools an issue affected then beside its own: those that co-signed it before
     * A, and a parent's children linked then, with their co-signers (small tables,
     * aggregated once and joined by hash, not probed per issue). */
    " beside AS (SELECT c.issue_id, c.school_id FROM issue_cosigns c"
    "            WHERE c.created_at < to_timestamp($1)"
    "            UNION SELECT lk.parent_id, i.school_id FROM linked lk"
    "                  JOIN issues i ON i.id = lk.child_id"
    "            UNION SELECT lk.parent_id, c.school_id FROM linked lk"
    "                  JOIN issue_cosigns c ON c.issue_id = lk.child_id"
    "                  WHERE c.created_at < to_timestamp($1)),"
    " others AS (SELECT issue_id, array_agg(school_id) AS ids FROM beside GROUP BY issue_id)"
    " SELECT st.issue_id AS id, i.ref, i.title, st.school_id, st.category, st.division,"
    " st.status, st.priority, st.assignee,"
    " floor(extract(epoch FROM i.created_at))::bigint AS filed_at, st.escalation_level,"
    /* Overdue at A (dl_overdue, 0014), as things stood then: answered before A. */
    " dl_overdue(st.status, i.first_response_at < to_timestamp($1),"
    "   st.due_first_response_at, st.due_resolution_at, to_timestamp($1)) AS overdue,"
    " CASE WHEN o.ids IS NULL THEN 1"
    "      ELSE cardinality(ARRAY(SELECT DISTINCT unnest(st.school_id || o.ids))) END"
    "   AS schools_affected,"
    /* Listed by code, only where there is more than the issue's own school. */
    " CASE WHEN o.ids IS NOT NULL THEN (SELECT string_agg(s.code, ' ' ORDER BY s.code)"
    "      FROM schools s WHERE s.id = ANY (st.school_id || o.ids)) END AS schools"
    " FROM issue_states_visible st JOIN issues i ON i.id = st.issue_id"
    " LEFT JOIN others o ON o.issue_id = st.issue_id"
    " WHERE " OPEN_AT("to_timestamp($1)") IN_SCOPE("st.school_id")
    "   AND st.issue_id NOT IN (" FOLDED_AT("to_timestamp($1)") ")";

/* Ids only: answered from the index alone. */
static const char PREVIOUS_SQL[] =
    "SELECT st.issue_id AS id FROM issue_states_visible st"
    " WHERE " OPEN_AT("to_timestamp($1)") IN_SCOPE("st.school_id")
    "   AND st.issue_id NOT IN (" FOLDED_AT("to_timestamp($1)") ")";

/* The last resolution in the month of each issue resolved in it, with the division the
 * issue was in at that moment: the stretches a `resolve` began. $1 start, $3 as-of. */
static const char RESOLVED_SQL[] =
    "SELECT DISTINCT ON (st.issue_id) st.division,"
    " CASE WHEN i.first_response_at < to_timestamp($3)"
    "      THEN extract(epoch FROM i.first_response_at - i.created_at) / 3600"
    "      ELSE -1 END AS first_response_hours,"
    " extract(epoch FROM st.valid_from - i.created_at) / 3600 AS resolution_hours"
    " FROM issue_states_visible st JOIN issues i ON i.id = st.issue_id"
    " WHERE st.resolved_here AND st.valid_from >= to_timestamp($1)"
    "   AND st.valid_from < to_timestamp($3)" IN_SCOPE("st.school_id")
    " ORDER BY st.issue_id, st.valid_from DESC";

/* Filed in the month (k = 0), and the trend's first 10 month-ends (k = 1..10); the last
 * two are the month's start and end, which the two queries above already counted.
 * $1 start, $3 as-of. */
static const char COUNTS_SQL[] =
    "SELECT 0 AS k, (SELECT count(*) FROM issues i"
    "   WHERE i.created_at >= to_timestamp($1) AND i.created_at < to_timestamp($3)"
    IN_SCOPE("i.school_id") ") AS n"
    " UNION ALL"
    " SELECT m.k, (SELECT count(*) FROM issue_states_visible st"
    "   WHERE " OPEN_AT("m.at") IN_SCOPE("st.school_id") ")"
    "   - (SELECT count(*) FROM (" FOLDED_AT("m.at") ") f JOIN issue_states_visible st"
    "      ON st.issue_id = f.child_id AND " OPEN_AT("m.at") IN_SCOPE("st.school_id") ") AS n"
    " FROM (SELECT k, least(to_timestamp($3),"
    "                      ((to_timestamp($1) AT TIME ZONE 'Asia/Ho_Chi_Minh')"
    "                       + make_interval(months => k - 11)) AT TIME ZONE 'Asia/Ho_Chi_Minh')"
    "        AS at FROM generate_series(1, 10) AS k) AS m"
    " ORDER BY k";

/* The meetings' decisions as each stood at A ($3): every one recorded during the month,
 * open at its start, or open at its end (docs/meetings.md). Each event carries the
 * decision as it stood after it, so the last one before A says everything then. In a
 * scope: those naming an issue of its schools, with those issues only, which whoever may
 * read the scope's report reads too (a kept copy serves them all). */
static const char DECISIONS_SQL[] =
    "WITH at_end AS (SELECT DISTINCT ON (decision_id) decision_id, body, division_id,"
    "                       responsible_id, due_on, done"
    "                  FROM decision_events WHERE created_at < to_timestamp($3)"
    "                 ORDER BY decision_id, created_at DESC, id DESC),"
    " at_start AS (SELECT DISTINCT ON (decision_id) decision_id, done"
    "                FROM decision_events WHERE created_at < to_timestamp($1)"
    "               ORDER BY decision_id, created_at DESC, id DESC)"
    " SELECT e.decision_id AS id, m.id AS meeting_id, m.title AS meeting_title,"
    " m.held_on::text AS held_on, m.kind AS meeting_kind, c.code AS meeting_cluster, e.body,"
    " dv.code AS division, dv.name AS division_name, u.login AS responsible,"
    " e.due_on::text AS due_on, e.due_on - date '1970-01-01' AS due_days, e.done,"
    " CASE WHEN e.done THEN (SELECT floor(extract(epoch FROM max(x.created_at)))::bigint"
    "      FROM decision_events x WHERE x.decision_id = e.decision_id AND x.action = 'done'"
    "       AND x.created_at < to_timestamp($3)) END AS done_at,"
    " (SELECT string_agg(i.ref, ' ' ORDER BY i.ref) FROM decision_issues di"
    "   JOIN issues i ON i.id = di.issue_id WHERE di.decision_id = e.decision_id"
    "    AND ($2::integer[] IS NULL OR i.school_id = ANY ($2))) AS issues"
    " FROM at_end e JOIN decisions d ON d.id = e.decision_id"
    " JOIN meetings m ON m.id = d.meeting_id LEFT JOIN clusters c ON c.id = m.cluster_id"
    " JOIN divisions dv ON dv.id = e.division_id LEFT JOIN users u ON u.id = e.responsible_id"
    " LEFT JOIN at_start s ON s.decision_id = e.decision_id"
    " WHERE (s.decision_id IS NULL OR NOT s.done OR NOT e.done)"
    "   AND ($2::integer[] IS NULL"
    "        OR EXISTS (SELECT 1 FROM decision_issues di JOIN issues i ON i.id = di.issue_id"
    "                    WHERE di.decision_id = e.decision_id AND i.school_id = ANY ($2)))"
    " ORDER BY m.held_on, m.id, e.decision_id";

/* The ratings of the confirmations in the month (0026), with the division the issue was
 * in then: the state the confirmation began. $1 start, $3 as-of. */
static const char RATINGS_SQL[] =
    "SELECT st.division, (e.details->>'rating')::integer AS rating"
    " FROM issue_events e JOIN issue_states_visible st"
    "   ON st.issue_id = e.issue_id AND st.valid_from = e.created_at"
    " WHERE e.action = 'confirm' AND e.details ? 'rating'"
    "   AND e.created_at >= to_timestamp($1) AND e.created_at < to_timestamp($3)"
    IN_SCOPE("st.school_id");

/* Column numbers looked up once per result, not once per row. */
enum issue_column {
    C_ID, C_REF, C_TITLE, C_SCHOOL_ID, C_CATEGORY, C_DIVISION, C_STATUS, C_PRIORITY,
    C_ASSIGNEE, C_FILED_AT, C_OVERDUE, C_ESCALATION_LEVEL, C_SCHOOLS_AFFECTED, C_SCHOOLS,
    C_COUNT
};
static const char *const ISSUE_COLUMNS[C_COUNT] = {
    "id", "ref", "title", "school_id", "category", "division", "status", "priority",
    "assignee", "filed_at", "overdue", "escalation_level", "schools_affected", "schools",
};

/* A NOT NULL number column; 0 rather than a crash should that ever not hold. */
static int64_t number(const char *text)
{
    return text ? strtoll(text, NULL, 10) : 0;
}

/* The row's codes with their names; a code without a name keeps NULL names. */
static void name_issue(const struct report_names *names, int64_t school_id,
                       struct report_issue *is)
{
    const struct report_school *s = report_names_school(names, school_id);
    const struct report_category *c = report_names_category(names, is->category);
    const struct report_division *d = report_names_division(names, is->division);
    if (s) {
        is->school = s->code;
        is->school_name = s->name;
        is->cluster = s->cluster;
        is->cluster_name = s->cluster_name;
    }
    if (c) {
        is->category_name = c->name;
        is->category_kind = c->kind;
    }
    if (d)
        is->division_name = d->name;
}

static void fill_issues(struct report_data *d, const struct db_rows *r)
{
    int col[C_COUNT];
    for (int c = 0; c < C_COUNT; c++)
        col[c] = db_rows_column(r, ISSUE_COLUMNS[c]);
    size_t n = (size_t)db_rows_count(r);
    d->issues = xcalloc(n, sizeof *d->issues);
    for (size_t i = 0; i < n; i++) {
        int row = (int)i;
        const char *overdue = db_rows_value(r, row, col[C_OVERDUE]);
        struct report_issue *is = &d->issues[i];
        *is = (struct report_issue){
            .id = number(db_rows_value(r, row, col[C_ID])),
            .ref = db_rows_value(r, row, col[C_REF]),
            .title = db_rows_value(r, row, col[C_TITLE]),
            .category = db_rows_value(r, row, col[C_CATEGORY]),
            .division = db_rows_value(r, row, col[C_DIVISION]),
            .status = db_rows_value(r, row, col[C_STATUS]),
            .priority = db_rows_value(r, row, col[C_PRIORITY]),
            .assignee = db_rows_value(r, row, col[C_ASSIGNEE]),
            .filed_at = number(db_rows_value(r, row, col[C_FILED_AT])),
            .overdue = overdue && overdue[0] == 't',
            .escalation_level = (int)number(db_rows_value(r, row, col[C_ESCALATION_LEVEL])),
            .schools_affected = (int)number(db_rows_value(r, row, col[C_SCHOOLS_AFFECTED])),
            .schools = db_rows_value(r, row, col[C_SCHOOLS]),
        };
        name_issue(&d->names, number(db_rows_value(r, row, col[C_SCHOOL_ID])), is);
    }
    d->input.issues = d->issues;
    d->input.nissues = n;
}

static void fill_previous(struct report_data *d, const struct db_rows *r)
{
    size_t n = (size_t)db_rows_count(r);
    int id = db_rows_column(r, "id");
    d->previous_ids = xcalloc(n, sizeof *d->previous_ids);
    for (size_t i = 0; i < n; i++)
        d->previous_ids[i] = number(db_rows_value(r, (int)i, id));
    d->input.previous_ids = d->previous_ids;
    d->input.nprevious = n;
}

static void fill_resolved(struct report_data *d, const struct db_rows *r)
{
    size_t n = (size_t)db_rows_count(r);
    int division = db_rows_column(r, "division"), first = db_rows_column(r, "first_response_hours"),
        resolution = db_rows_column(r, "resolution_hours");
    d->resolved = xcalloc(n, sizeof *d->resolved);
    for (size_t i = 0; i < n; i++) {
        int row = (int)i;
        const char *code = db_rows_value(r, row, division);
        const struct report_division *named = report_names_division(&d->names, code);
        d->resolved[i] = (struct report_resolution){
            .division = code, .division_name = named ? named->name : NULL,
            .first_response_hours = strtod(db_rows_value(r, row, first), NULL),
            .resolution_hours = strtod(db_rows_value(r, row, resolution), NULL),
        };
    }
    d->input.resolved = d->resolved;
    d->input.nresolved = n;
}

/* Row 0: filed in the month; rows 1..10: the trend's first month-ends. The last two
 * points are the sets loaded whole: unresolved at the month's start and at its end. */
static void fill_counts(struct report_data *d, const struct db_rows *r)
{
    d->input.filed_in_month = (size_t)db_rows_int(r, 0, "n");
    for (int k = 0; k < REPORT_TREND_MONTHS - 2 && k + 1 < db_rows_count(r); k++)
        d->input.trend[k] = (int)db_rows_int(r, k + 1, "n");
    d->input.trend[REPORT_TREND_MONTHS - 2] = (int)d->input.nprevious;
    d->input.trend[REPORT_TREND_MONTHS - 1] = (int)d->input.nissues;
}

static void fill_decisions(struct report_data *d, const struct db_rows *r)
{
    size_t n = (size_t)db_rows_count(r);
    d->decisions = xcalloc(n, sizeof *d->decisions);
    for (size_t i = 0; i < n; i++) {
        int row = (int)i;
        bool done = db_rows_bool(r, row, "done");
        d->decisions[i] = (struct report_decision){
            .id = db_rows_int(r, row, "id"),
            .meeting_id = db_rows_int(r, row, "meeting_id"),
            .meeting_title = db_rows_get(r, row, "meeting_title"),
            .held_on = db_rows_get(r, row, "held_on"),
            .meeting_kind = db_rows_get(r, row, "meeting_kind"),
            .meeting_cluster = db_rows_get(r, row, "meeting_cluster"),
            .body = db_rows_get(r, row, "body"),
            .division = db_rows_get(r, row, "division"),
            .division_name = db_rows_get(r, row, "division_name"),
            .responsible = db_rows_get(r, row, "responsible"),
            .due_on = db_rows_get(r, row, "due_on"),
            .due_days = (int)db_rows_int(r, row, "due_days"),
            .done = done,
            .done_at = done ? db_rows_int(r, row, "done_at") : 0,
            .issues = db_rows_get(r, row, "issues"),
        };
    }
    d->input.decisions = d->decisions;
    d->input.ndecisions = n;
}

static void fill_ratings(struct report_data *d, const struct db_rows *r)
{
    size_t n = (size_t)db_rows_count(r);
    d->ratings = xcalloc(n, sizeof *d->ratings);
    for (size_t i = 0; i < n; i++) {
        const char *code = db_rows_get(r, (int)i, "division");
        const struct report_division *named = report_names_division(&d->names, code);
        d->ratings[i] = (struct report_rating){
            .division = code, .division_name = named ? named->name : NULL,
            .rating = (int)db_rows_int(r, (int)i, "rating"),
        };
    }
    d->input.ratings = d->ratings;
    d->input.nratings = n;
}

/* Every read in one REPEATABLE READ snapshot, so the parts agree with each other. JIT
 * would compile for longer than these queries run; and their index probes hit cached
 * pages, which the default random_page_cost of 4 prices as disk seeks, choosing scans of
 * whole tables instead. No parallel workers: the report already reads on two connections
 * at once, and workers would only compete with those for the same cores (on the 2-core
 * benchmark machine they made the report about 0.2 s slower). */
#define REPORT_TRANSACTION \
    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off;" \
    " SET LOCAL random_page_cost = 1.1; SET LOCAL max_parallel_workers_per_gather = 0"

/* Begins the report's transaction on db and, for a helper, exports its snapshot (the
 * caller frees it). Should the export fail, the aborted transaction is begun again and
 * *snapshot stays NULL: the report then reads on db alone. */
static bool begin_report(struct db *db, bool for_helper, char **snapshot, struct error *err)
{
    *snapshot = NULL;
    if (!db_exec(db, REPORT_TRANSACTION, err))
        return false;
    if (!for_helper)
        return true;
    struct error ignored = {0};
    struct db_rows *rows = db_query(db, "SELECT pg_export_snapshot() AS id", 0, NULL, &ignored);
    if (rows) {
        *snapshot = xstrdup(db_rows_get(rows, 0, "id"));
        db_rows_free(rows);
        return true;
    }
    db_rollback(db);
    return db_exec(db, REPORT_TRANSACTION, err);
}

/* Starts the helper's transaction on db's snapshot, so both read the same instant. False
 * when it cannot: the helper is then rolled back and not used. */
static bool share_snapshot(struct db *helper, const char *snapshot)
{
    struct error ignored = {0};
    /* The id goes into the statement's text (SET TRANSACTION SNAPSHOT takes no
     * parameter): only the characters PostgreSQL uses in one are let through. */
    bool ok = snapshot[0] && strspn(snapshot, "0123456789ABCDEF-") == strlen(snapshot);
    char *sql = ok ? xasprintf("%s; SET TRANSACTION SNAPSHOT '%s'", REPORT_TRANSACTION,
                               snapshot)
                   : NULL;
    ok = ok && db_exec(helper, sql, &ignored);
    free(sql);
    if (!ok)
        db_rollback(helper);
    return ok;
}

/* The month's reads (resolutions, filings and the trend, decisions, ratings), collected by
 * db_report_load_month. With a helper they run on its own thread while the caller works on
 * the unresolved issues: a connection must be read as fast as its server sends, or the
 * server stalls on a full socket, so the helper gets a thread that only waits on it.
 * Without one they run on db afterwards, in the same transaction. */
struct report_month_reads {
    struct db *db;                  /* the helper, or db itself */
    bool threaded;
    pthread_t thread;
    char start[24], as_of[24];
    char *schools;                  /* the scope's school ids, or NULL */
    struct db_rows *resolved, *counts, *decisions, *ratings;
    struct error err;
    bool ok;
};

static bool read_month(struct report_month_reads *m)
{
    const char *params[] = {m->start, m->schools, m->as_of};
    return (m->resolved = db_query(m->db, RESOLVED_SQL, 3, params, &m->err)) &&
           (m->counts = db_query(m->db, COUNTS_SQL, 3, params, &m->err)) &&
           (m->decisions = db_query(m->db, DECISIONS_SQL, 3, params, &m->err)) &&
           (m->ratings = db_query(m->db, RATINGS_SQL, 3, params, &m->err)) &&
           db_commit(m->db, &m->err);
}

static void *read_month_on_thread(void *arg)
{
    struct report_month_reads *m = arg;
    m->ok = read_month(m);
    return NULL;
}

/* Starts the month's reads on the helper when one is at hand and can share the snapshot. */
static void start_month_reads(struct db *db, struct db *helper, const char *snapshot,
                              struct report_month_reads *m)
{
    m->db = db;
    if (!helper || !snapshot || !share_snapshot(helper, snapshot))
        return;
    m->db = helper;
    m->threaded = pthread_create(&m->thread, NULL, read_month_on_thread, m) == 0;
    if (!m->threaded) {
        db_rollback(helper);
        m->db = db;
    }
}

/* Waits out (or abandons) reads not collected, and frees them. */
static void month_reads_free(struct report_month_reads *m)
{
    if (!m)
        return;
    if (m->threaded)
        pthread_join(m->thread, NULL);
    db_rollback(m->db);
    db_rows_free(m->resolved);
    db_rows_free(m->counts);
    db_rows_free(m->decisions);
    db_rows_free(m->ratings);
    free(m->schools);
    free(m);
}

bool db_report_load_unresolved(struct db *db, struct db *helper, const struct report_period *p,
                               const struct report_scope *scope, struct report_data *out,
                               struct error *err)
{
    *out = (struct report_data){.input = {.year = p->year, .month = p->month,
                                          .as_of = p->as_of}};
    struct report_month_reads *m = out->month = xcalloc(1, sizeof *m);
    m->db = db;
    snprintf(m->as_of, sizeof m->as_of, "%lld", (long long)p->as_of);
    snprintf(m->start, sizeof m->start, "%lld", (long long)p->start);
    char *snapshot = NULL;
    if (!begin_report(db, helper != NULL, &snapshot, err))
        goto fail;
    /* The scope's schools, and what a kept copy of this report would be checked against,
     * read in the report's own snapshot. */
    if (!db_report_cache_stamp(db, scope, p->end, p->as_of == p->end, &out->stamp, err))
        goto fail;
    m->schools = out->stamp.schools ? xstrdup(out->stamp.schools) : NULL;
    start_month_reads(db, helper, snapshot, m);
    free(snapshot);
    snapshot = NULL;
    const char *at_end[] = {m->as_of, m->schools};
    const char *at_start[] = {m->start, m->schools};
    if (!db_report_names_load(db, &out->names, err) ||
        !(out->rows[0] = db_query(db, UNRESOLVED_SQL, 2, at_end, err)) ||
        !(out->rows[1] = db_query(db, PREVIOUS_SQL, 2, at_start, err)) ||
        (m->threaded && !db_commit(db, err)))
        goto fail;
    fill_issues(out, out->rows[0]);
    fill_previous(out, out->rows[1]);
    return true;
fail:
    free(snapshot);
    db_rollback(db);
    report_data_free(out);
    return false;
}

bool db_report_load_month(struct report_data *d, struct error *err)
{
    struct report_month_reads *m = d->month;
    if (m->threaded)
        pthread_join(m->thread, NULL);
    else
        m->ok = read_month(m);
    m->threaded = false;
    if (!m->ok) {
        *err = m->err;
        return false;    /* report_data_free rolls back */
    }
    d->rows[2] = m->resolved;
    d->rows[3] = m->counts;
    d->rows[4] = m->decisions;
    d->rows[5] = m->ratings;
    m->resolved = m->counts = m->decisions = m->ratings = NULL;
    fill_resolved(d, d->rows[2]);
    fill_counts(d, d->rows[3]);
    fill_decisions(d, d->rows[4]);
    fill_ratings(d, d->rows[5]);
    month_reads_free(m);
    d->month = NULL;
    return true;
}

void report_data_free(struct report_data *d)
{
    month_reads_free(d->month);
    free(d->issues);
    free(d->previous_ids);
    free(d->resolved);
    free(d->decisions);
    free(d->ratings);
    for (int i = 0; i < 6; i++)
        db_rows_free(d->rows[i]);
    report_names_free(&d->names);
    report_cache_stamp_free(&d->stamp);
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
