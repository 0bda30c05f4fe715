/* directive_store.c -- directives, as directive_store.h says. */
#include "db/directive_store.h"

#include <stdio.h>

static void int_text(char out[24], long long v)
{
    snprintf(out, 24, "%lld", v);
}

/* The directive, its clusters and its schools in one statement (the schools' trigger
 * tells their principals). */
static const char SEND_SQL[] =
    "WITH d AS (INSERT INTO directives (title, body, audience, remind_after_days, sent_by)"
    "           VALUES ($1, $2, CASE WHEN $3::text[] IS NULL THEN 'all' ELSE 'clusters' END,"
    "                   $4, $5) RETURNING id),"
    " c AS (INSERT INTO directive_clusters (directive_id, cluster_id)"
    "       SELECT d.id, cl.id FROM d, clusters cl WHERE cl.code = ANY ($3::text[])),"
    " s AS (INSERT INTO directive_schools (directive_id, school_id)"
    "       SELECT d.id, sc.id FROM d, schools sc JOIN clusters cl ON cl.id = sc.cluster_id"
    "        WHERE $3::text[] IS NULL OR cl.code = ANY ($3::text[]))"
    " SELECT id FROM d";

bool db_directive_send(struct db *db, const char *title, const char *body,
                       const char *clusters, int remind_after_days, int actor_id, int *id,
                       struct error *err)
{
    char days[24], actor[24];
    int_text(days, remind_after_days);
    int_text(actor, actor_id);
    const char *params[] = {title, body, clusters, days, actor};
    struct db_rows *rows = db_query(db, SEND_SQL, 5, params, err);
    if (!rows)
        return false;
    *id = (int)db_rows_int(rows, 0, "id");
    db_rows_free(rows);
    return true;
}

struct db_rows *db_cluster_codes_unknown(struct db *db, const char *clusters,
                                         struct error *err)
{
    const char *params[] = {clusters};
    return db_query(db,
        "SELECT c.k - 1 AS k, c.code FROM unnest($1::text[]) WITH ORDINALITY AS c(code, k)"
        " WHERE NOT EXISTS (SELECT 1 FROM clusters cl WHERE cl.code = c.code) ORDER BY c.k",
        1, params, err);
}

#define DIRECTIVE_COLUMNS(body) \
    "d.id, d.title, " body ", d.audience," \
    " (SELECT string_agg(cl.code, ' ' ORDER BY cl.code) FROM directive_clusters dc" \
    "   JOIN clusters cl ON cl.id = dc.cluster_id WHERE dc.directive_id = d.id) AS clusters," \
    " d.remind_after_days, u.login AS sent_by, u.full_name AS sent_by_name," \
    " dl_time(d.sent_at) AS sent_at," \
    " (SELECT count(*) FROM directive_schools ds WHERE ds.directive_id = d.id) AS schools," \
    " (SELECT count(*) FROM directive_schools ds WHERE ds.directive_id = d.id" \
    "    AND ds.acknowledged_at IS NOT NULL) AS acknowledged," \
    " (SELECT dl_time(ds.acknowledged_at) FROM directive_schools ds" \
    "   WHERE ds.directive_id = d.id AND ds.school_id = (SELECT nullif(current_setting(" \
    "         'directline.school_id', true), '')::integer)) AS own_acknowledged_at" \
    " FROM directives d JOIN users u ON u.id = d.sent_by"

struct db_rows *db_directives_list(struct db *db, int before_id, int limit, struct error *err)
{
    char before[24], n[24];
    int_text(before, before_id);
    int_text(n, limit + 1);
    const char *params[] = {before, n};
    return db_query(db,
        "SELECT " DIRECTIVE_COLUMNS("left(d.body, 300) AS body")
        " WHERE ($1::integer = 0 OR d.id < $1) ORDER BY d.id DESC LIMIT $2", 2, params, err);
}

struct db_rows *db_directive_get(struct db *db, int id, struct error *err)
{
    char did[24];
    int_text(did, id);
    const char *params[] = {did};
    return db_query(db, "SELECT " DIRECTIVE_COLUMNS("d.body") " WHERE d.id = $1", 1, params,
                    err);
}

struct db_rows *db_directive_schools(struct db *db, int id, bool pending, struct error *err)
{
    char did[24];
    int_text(did, id);
    const char *params[] = {did, pending ? "true" : "false"};
    return db_query(db,
        "SELECT s.code AS school, s.name AS school_name, cl.code AS cluster,"
        " u.login AS acknowledged_by, dl_time(ds.acknowledged_at) AS acknowledged_at,"
        " dl_time(ds.reminded_at) AS reminded_at"
        " FROM directive_schools ds JOIN schools s ON s.id = ds.school_id"
        " JOIN clusters cl ON cl.id = s.cluster_id LEFT JOIN users u ON u.id = ds.acknowledged_by"
        " WHERE ds.directive_id = $1 AND (NOT $2::boolean OR ds.acknowledged_at IS NULL)"
        " ORDER BY ds.acknowledged_at IS NOT NULL, s.code", 2, params, err);
}

bool db_directive_acknowledge(struct db *db, int id, int school_id, int actor_id,
                              bool *reached, bool *already, struct error *err)
{
    char did[24], school[24], actor[24];
    int_text(did, id);
    int_text(school, school_id);
    int_text(actor, actor_id);
    const char *params[] = {did, school, actor};
    struct db_rows *rows = db_query(db,
        "WITH row AS (SELECT acknowledged_at FROM directive_schools"
        "             WHERE directive_id = $1 AND school_id = $2),"
        " ack AS (UPDATE directive_schools SET acknowledged_by = $3, acknowledged_at = now()"
        "         WHERE directive_id = $1 AND school_id = $2 AND acknowledged_at IS NULL"
        "         RETURNING 1)"
        " SELECT EXISTS (SELECT 1 FROM row) AS reached,"
        "        EXISTS (SELECT 1 FROM row WHERE acknowledged_at IS NOT NULL) AS already",
        3, params, err);
    if (!rows)
        return false;
    *reached = db_rows_bool(rows, 0, "reached");
    *already = db_rows_bool(rows, 0, "already");
    db_rows_free(rows);
    return true;
}

bool db_directives_remind(struct db *db, long long now, int *reminded, struct error *err)
{
    char at[24];
    int_text(at, now);
    const char *params[] = {at};
    struct db_rows *rows = db_query(db,
        "SELECT dl_directives_remind(to_timestamp($1::bigint)) AS reminded", 1, params, err);
    if (!rows)
        return false;
    *reminded = (int)db_rows_int(rows, 0, "reminded");
    db_rows_free(rows);
    return true;
}
