/* practice_store.c -- the practice library's SQL, as practice_store.h says. */
#include "db/practice_store.h"

#include <stdio.h>

/* A school's own proposal says which school; a practice the Department drew from an
 * issue names the cluster only (the issue was the school's, not its choice to share). */
#define PRACTICE_COLUMNS(text) \
    "p.id, p.origin, i.ref AS issue_ref, p.school_id," \
    " CASE WHEN p.origin = 'school' THEN s.code END AS school," \
    " CASE WHEN p.origin = 'school' THEN s.name END AS school_name," \
    " cl.code AS cluster, cl.name AS cluster_name, c.code AS category," \
    " c.name AS category_name, p.title, " text "," \
    " p.status, pu.login AS proposed_by, dl_time(p.proposed_at) AS proposed_at," \
    " ru.login AS reviewed_by, dl_time(p.reviewed_at) AS reviewed_at, p.review_note," \
    " dl_time(p.published_at) AS published_at"
#define PRACTICE_FROM \
    " FROM practices p JOIN schools s ON s.id = p.school_id" \
    " JOIN clusters cl ON cl.id = s.cluster_id JOIN categories c ON c.id = p.category_id" \
    " LEFT JOIN issues i ON i.id = p.issue_id" \
    " JOIN users pu ON pu.id = p.proposed_by LEFT JOIN users ru ON ru.id = p.reviewed_by"

static void id_text(char out[24], long long id)
{
    snprintf(out, 24, "%lld", id);
}

static bool one_id(struct db *db, const char *sql, int n, const char *const *params, int *id,
                   struct error *err)
{
    struct db_rows *rows = db_query(db, sql, n, params, err);
    if (!rows)
        return false;
    *id = db_rows_count(rows) == 1 ? (int)db_rows_int(rows, 0, "id") : 0;
    db_rows_free(rows);
    return true;
}

bool db_practice_of_issue(struct db *db, long long issue_id, int *id, struct error *err)
{
    char issue[24];
    id_text(issue, issue_id);
    const char *params[] = {issue};
    return one_id(db, "SELECT id FROM practices WHERE issue_id = $1 AND status <> 'withdrawn'",
                  1, params, id, err);
}

struct db_rows *db_practice_files_unknown(struct db *db, long long issue_id, const char *files,
                                          struct error *err)
{
    char issue[24];
    id_text(issue, issue_id);
    const char *params[] = {issue, files};
    return db_query(db,
        "SELECT f.k - 1 AS k, f.id FROM unnest($2::bigint[]) WITH ORDINALITY AS f(id, k)"
        " WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.id = f.id"
        "                     AND a.issue_id = $1 AND a.hidden_at IS NULL) ORDER BY f.k",
        2, params, err);
}

static const char PUBLISH_SQL[] =
    "WITH p AS (INSERT INTO practices (origin, issue_id, school_id, category_id, title,"
    "             problem, solution, status, proposed_by, reviewed_by, reviewed_at,"
    "             published_at)"
    "           SELECT 'department', i.id, i.school_id, i.category_id, $2, $3, $4,"
    "                  'published', $6, $6, now(), now()"
    "             FROM issues i WHERE i.id = $1 RETURNING id),"
    " f AS (INSERT INTO practice_attachments (practice_id, attachment_id)"
    "       SELECT p.id, a FROM p, unnest($5::bigint[]) AS a)"
    " SELECT id FROM p";

bool db_practice_publish(struct db *db, long long issue_id, const struct practice_text *t,
                         const char *files, int actor_id, int *id, struct error *err)
{
    char issue[24], actor[24];
    id_text(issue, issue_id);
    id_text(actor, actor_id);
    const char *params[] = {issue, t->title, t->problem, t->solution, files, actor};
    return one_id(db, PUBLISH_SQL, 6, params, id, err);
}

bool db_practice_propose(struct db *db, int school_id, const char *category,
                         const struct practice_text *t, int actor_id, int *id,
                         struct error *err)
{
    char school[24], actor[24];
    id_text(school, school_id);
    id_text(actor, actor_id);
    const char *params[] = {school, category, t->title, t->problem, t->solution, actor};
    return one_id(db,
        "INSERT INTO practices (origin, school_id, category_id, title, problem, solution,"
        "                       status, proposed_by)"
        " SELECT 'school', $1, c.id, $3, $4, $5, 'proposed', $6 FROM categories c"
        " WHERE c.code = $2 RETURNING id", 6, params, id, err);
}

bool db_practice_review(struct db *db, int id, const char *status, const char *note,
                        const struct practice_text *t, int actor_id, struct error *err)
{
    char pid[24], actor[24];
    id_text(pid, id);
    id_text(actor, actor_id);
    const char *params[] = {pid, status, note, actor, t->title, t->problem, t->solution};
    struct db_rows *rows = db_query(db,
        "UPDATE practices SET status = $2, review_note = $3, reviewed_by = $4,"
        " reviewed_at = now(),"
        " published_at = CASE WHEN $2 = 'published' THEN now() ELSE published_at END,"
        " title = coalesce($5, title), problem = coalesce($6, problem),"
        " solution = coalesce($7, solution)"
        " WHERE id = $1 RETURNING id", 7, params, err);
    db_rows_free(rows);
    return rows != NULL;
}

bool db_practice_edit(struct db *db, int id, const struct practice_text *t,
                      const char *category, bool *found, struct error *err)
{
    char pid[24];
    id_text(pid, id);
    const char *params[] = {pid, t->title, t->problem, t->solution, category};
    struct db_rows *rows = db_query(db,
        "UPDATE practices SET title = coalesce($2, title), problem = coalesce($3, problem),"
        " solution = coalesce($4, solution),"
        " category_id = coalesce((SELECT id FROM categories WHERE code = $5), category_id)"
        " WHERE id = $1 AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM categories"
        "                                                WHERE code = $5))"
        " RETURNING id", 5, params, err);
    if (!rows)
        return false;
    *found = db_rows_count(rows) == 1;
    db_rows_free(rows);
    return true;
}

struct db_rows *db_practice_get(struct db *db, int id, bool lock, struct error *err)
{
    char pid[24];
    id_text(pid, id);
    const char *params[] = {pid};
    return db_query(db, lock
        ? "SELECT " PRACTICE_COLUMNS("p.problem, p.solution") ", '[]' AS files" PRACTICE_FROM
          " WHERE p.id = $1 FOR UPDATE OF p"
        : "SELECT " PRACTICE_COLUMNS("p.problem, p.solution") ","
          " (SELECT coalesce(json_agg(json_build_object('id', f.id, 'name', f.name,"
          "          'type', f.media_type, 'size', f.size) ORDER BY f.id), '[]')"
          "    FROM dl_practice_files(p.id) f) AS files" PRACTICE_FROM " WHERE p.id = $1",
        1, params, err);
}

/* Every word typed must be in the practice's folded text (LIKE, served by the trigram
 * index), so "ve sinh" finds "vệ sinh" and a longer query only narrows. */
static const char LIST_SQL[] =
    "SELECT " PRACTICE_COLUMNS("left(p.problem, 300) AS problem, left(p.solution, 300) AS"
                               " solution") PRACTICE_FROM
    " WHERE p.status = $4"
    "   AND ($1::text IS NULL OR p.folded LIKE ALL (ARRAY("
    "        SELECT '%' || w || '%' FROM regexp_split_to_table(dl_fold($1), '\\s+') AS w"
    "         WHERE w <> '')))"
    "   AND ($2::text IS NULL OR c.code = $2) AND ($3::text IS NULL OR cl.code = $3)"
    "   AND ($5::integer = 0 OR p.id < $5)"
    " ORDER BY p.id DESC LIMIT $6";

struct db_rows *db_practices_list(struct db *db, const struct practice_filter *f,
                                  struct error *err)
{
    char before[24], limit[24];
    id_text(before, f->before_id);
    id_text(limit, f->limit + 1);
    const char *params[] = {f->text, f->category, f->cluster, f->status, before, limit};
    return db_query(db, LIST_SQL, 6, params, err);
}

struct db_rows *db_practice_file(struct db *db, long long attachment_id, struct error *err)
{
    char aid[24];
    id_text(aid, attachment_id);
    const char *params[] = {aid};
    return db_query(db, "SELECT id, name, media_type AS type, size FROM dl_practice_file($1)",
                    1, params, err);
}

/* As the issues' suggestions (db/issue_sharing_store.c): the whole texts alike, or the
 * typed words found together in a practice; published ones only. */
struct db_rows *db_practices_similar(struct db *db, const char *text, int limit,
                                     struct error *err)
{
    char n[24];
    id_text(n, limit);
    const char *params[] = {text, n};
    return db_query(db,
        "WITH wanted AS (SELECT dl_fold($1) AS folded)"
        " SELECT p.id, p.title, p.origin, c.code AS category, c.name AS category_name,"
        " cl.code AS cluster, cl.name AS cluster_name,"
        " CASE WHEN p.origin = 'school' THEN s.code END AS school,"
        " CASE WHEN p.origin = 'school' THEN s.name END AS school_name,"
        " round(greatest(similarity(p.folded, w.folded),"
        "                word_similarity(w.folded, p.folded))::numeric, 2)::text AS similarity"
        " FROM practices p CROSS JOIN wanted w JOIN schools s ON s.id = p.school_id"
        " JOIN clusters cl ON cl.id = s.cluster_id JOIN categories c ON c.id = p.category_id"
        " WHERE p.status = 'published' AND (p.folded % w.folded OR p.folded %> w.folded)"
        " ORDER BY similarity DESC, p.id DESC LIMIT $2", 2, params, err);
}
