/* issue_sharing_store.c -- sharing, co-signing and suggestions, as issue_sharing_store.h
 * says. Row-level security (migration 0020) holds the same rules a second time. */
#include "db/issue_sharing_store.h"

#include <stdio.h>

#include "db/issue_sql.h"

/* Nothing happens when the issue already is as asked (the API does not ask then). */
static const char SET_SHARED_SQL[] =
    "WITH upd AS (UPDATE issues SET shared = $3::boolean, updated_at = now()"
    "             WHERE id = $1 AND shared <> $3::boolean RETURNING id)"
    " INSERT INTO issue_events (issue_id, actor_id, action)"
    " SELECT upd.id, $2, CASE WHEN $3::boolean THEN 'share' ELSE 'unshare' END FROM upd"
    " RETURNING issue_id";

bool db_issue_set_shared(struct db *db, long long issue_id, int actor_id, bool shared,
                         struct error *err)
{
    char id[24], actor[16];
    snprintf(id, sizeof id, "%lld", issue_id);
    snprintf(actor, sizeof actor, "%d", actor_id);
    const char *params[] = {id, actor, shared ? "true" : "false"};
    struct db_rows *rows = db_query(db, SET_SHARED_SQL, 3, params, err);
    db_rows_free(rows);
    return rows != NULL;
}

/* The co-signature (its trigger adds the school to the issue's summary), then the event,
 * which carries the school so that every reader of the history sees who joined. */
static const char COSIGN_SQL[] =
    "WITH sig AS (INSERT INTO issue_cosigns (issue_id, school_id, principal_id, note)"
    "             VALUES ($1, $2, $3, $4) RETURNING issue_id, school_id, note)"
    " INSERT INTO issue_events (issue_id, actor_id, action, body, details)"
    " SELECT sig.issue_id, $3, 'cosign', sig.note,"
    "        jsonb_build_object('school', s.code, 'school_name', s.name)"
    " FROM sig JOIN schools s ON s.id = sig.school_id RETURNING issue_id";

bool db_issue_cosign(struct db *db, long long issue_id, int school_id, int principal_id,
                     const char *note, struct error *err)
{
    char id[24], school[16], principal[16];
    snprintf(id, sizeof id, "%lld", issue_id);
    snprintf(school, sizeof school, "%d", school_id);
    snprintf(principal, sizeof principal, "%d", principal_id);
    const char *params[] = {id, school, principal, note};
    struct db_rows *rows = db_query(db, COSIGN_SQL, 4, params, err);
    db_rows_free(rows);
    return rows != NULL;
}

/* The candidates come from the search's trigram index through issue_search_visible
 * (what this reader may read, shared and co-signed issues included). Two of pg_trgm's
 * tests, both served by the index: the whole texts alike (`%`, for a title and a
 * description typed in full), or the typed words found together in an issue's text (`%>`,
 * for a title alone, which is short against a whole issue). The better of the two ranks. */
static const char SIMILAR_SQL[] =
    "WITH wanted AS (SELECT dl_fold($1) AS folded),"
    " hits AS (SELECT v.issue_id, greatest(similarity(v.folded, w.folded),"
    "                                      word_similarity(w.folded, v.folded)) AS similarity"
    "          FROM issue_search_visible v, wanted w"
    "          WHERE v.folded % w.folded OR v.folded %> w.folded)"
    " SELECT i.ref, i.title, i.status, s.code AS school, s.name AS school_name, i.shared,"
    "        dl_time(i.created_at) AS filed_at,"
    "        " COSIGNED_BY_READER_SQL " AS cosigned,"
    "        " SCHOOLS_AFFECTED_SQL " AS schools_affected,"
    "        (i.parent_id IS NOT NULL OR i.child_count > 0) AS systemic,"
    "        i.school_id = (SELECT nullif(current_setting('directline.school_id', true),"
    "                                     '')::integer) IS TRUE AS own,"
    "        round(h.similarity::numeric, 2)::text AS similarity"
    " FROM hits h JOIN issues i ON i.id = h.issue_id JOIN schools s ON s.id = i.school_id"
    " WHERE i.status IN ('new', 'triaged', 'in_progress', 'awaiting_school')"
    "    OR (i.status IN ('resolved', 'closed')"
    "        AND coalesce(i.resolved_at, i.closed_at) > now() - interval '180 days')"
    " ORDER BY h.similarity DESC, i.created_at DESC LIMIT $2";

struct db_rows *db_issue_similar(struct db *db, const char *text, int limit,
                                 struct error *err)
{
    char n[16];
    snprintf(n, sizeof n, "%d", limit);
    const char *params[] = {text, n};
    return db_query(db, SIMILAR_SQL, 2, params, err);
}
