/* reference_store.c -- SQL for the reference lists and code lookups. */
#include "db/reference_store.h"

#include <stddef.h>

static const char *const LIST_SQL[] = {
    [REF_CLUSTERS] = "SELECT code, name FROM clusters ORDER BY code",
    [REF_SCHOOLS] = "SELECT s.code, s.name, c.code AS cluster, s.commune"
                    " FROM schools s JOIN clusters c ON c.id = s.cluster_id"
                    " WHERE $1::text IS NULL OR c.code = $1 ORDER BY s.code",
    [REF_DIVISIONS] = "SELECT code, name, name_en FROM divisions ORDER BY code",
    [REF_CATEGORIES] = "SELECT c.code, c.name, c.name_en, c.kind, d.code AS division,"
                       " c.default_priority, c.description, c.description_en, c.active, c.sensitive"
                       " FROM categories c"
                       " JOIN divisions d ON d.id = c.default_division_id ORDER BY c.code",
};

static const char *const EXISTS_SQL[] = {
    [REF_CLUSTERS] = "SELECT 1 FROM clusters WHERE code = $1",
    [REF_SCHOOLS] = "SELECT 1 FROM schools WHERE code = $1",
    [REF_DIVISIONS] = "SELECT 1 FROM divisions WHERE code = $1",
    [REF_CATEGORIES] = "SELECT 1 FROM categories WHERE code = $1",
};

struct db_rows *db_reference_list(struct db *db, enum reference_kind kind,
                                  const char *cluster_code, struct error *err)
{
    const char *params[] = {cluster_code};
    return db_query(db, LIST_SQL[kind], kind == REF_SCHOOLS ? 1 : 0,
                    kind == REF_SCHOOLS ? params : NULL, err);
}

/* Runs a one-parameter query and tells whether it returned a row. */
static bool any_row(struct db *db, const char *sql, int nparams, const char *const *params,
                    bool *found, struct error *err)
{
    struct db_rows *rows = db_query(db, sql, nparams, params, err);
    if (!rows)
        return false;
    *found = db_rows_count(rows) > 0;
    db_rows_free(rows);
    return true;
}

bool db_reference_exists(struct db *db, enum reference_kind kind, const char *code,
                         bool *exists, struct error *err)
{
    const char *params[] = {code};
    return any_row(db, EXISTS_SQL[kind], 1, params, exists, err);
}

bool db_user_assignable(struct db *db, const char *login, const char *division_code,
                        bool *assignable, struct error *err)
{
    const char *params[] = {login, division_code};
    return any_row(db, "SELECT 1 FROM users u LEFT JOIN divisions d ON d.id = u.division_id"
                       " WHERE u.login = $1 AND u.active"
                       " AND (u.role = 'supervisor' OR (u.role = 'officer' AND d.code = $2))",
                   2, params, assignable, err);
}

bool db_assignee_hold(struct db *db, const char *login, bool alone, struct error *err)
{
    const char *params[] = {login};
    struct db_rows *rows = db_query(db, alone
        ? "SELECT pg_advisory_xact_lock(hashtextextended('directline.assignee:' || $1, 0))"
        : "SELECT pg_advisory_xact_lock_shared("
          "hashtextextended('directline.assignee:' || $1, 0))", 1, params, err);
    db_rows_free(rows);
    return rows != NULL;
}

bool db_ping(struct db *db, struct error *err)
{
    bool found = false;
    return any_row(db, "SELECT 1", 0, NULL, &found, err) && found;
}
