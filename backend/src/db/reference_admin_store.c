/* reference_admin_store.c -- SQL for creating and changing reference data. The column
 * names come from the tables below, never from a request; values are parameters. */
#include "db/reference_admin_store.h"

#include <stddef.h>
#include <string.h>

/* Each kind's row as the API shows it, by code. */
static const char *const ROW_SQL[] = {
    [REF_CLUSTERS] = "SELECT x.code, x.name FROM clusters x WHERE x.code = $1",
    [REF_SCHOOLS] = "SELECT x.code, x.name, c.code AS cluster, x.commune FROM schools x"
                    " JOIN clusters c ON c.id = x.cluster_id WHERE x.code = $1",
    [REF_DIVISIONS] = "SELECT x.code, x.name, x.name_en FROM divisions x WHERE x.code = $1",
    [REF_CATEGORIES] = "SELECT x.code, x.name, x.name_en, x.kind, d.code AS division,"
                       " x.default_priority, x.description, x.description_en,"
                       " x.active::text AS active, x.sensitive::text AS sensitive"
                       " FROM categories x"
                       " JOIN divisions d ON d.id = x.default_division_id WHERE x.code = $1",
};

/* Parameters in the field order of api/admin_reference_api.c:
 * clusters code, name; schools code, name, cluster, commune; divisions code, name,
 * name_en; categories code, name, name_en, kind, division, default_priority,
 * description, description_en, active, sensitive. */
static const char *const INSERT_SQL[] = {
    [REF_CLUSTERS] = "INSERT INTO clusters (code, name) VALUES ($1, $2)",
    [REF_SCHOOLS] = "INSERT INTO schools (code, name, cluster_id, commune)"
                    " SELECT $1, $2, c.id, $4 FROM clusters c WHERE c.code = $3",
    [REF_DIVISIONS] = "INSERT INTO divisions (code, name, name_en) VALUES ($1, $2, $3)",
    [REF_CATEGORIES] = "INSERT INTO categories (code, name, name_en, kind, default_division_id,"
                       " default_priority, description, description_en, active, sensitive)"
                       " SELECT $1, $2, $3, $4, d.id, coalesce($6, 'normal'), coalesce($7, ''),"
                       " coalesce($8, ''), coalesce($9::boolean, true), coalesce($10::boolean, false)"
                       " FROM divisions d WHERE d.code = $5",
};
static const int INSERT_PARAMS[] = {
    [REF_CLUSTERS] = 2, [REF_SCHOOLS] = 4, [REF_DIVISIONS] = 3, [REF_CATEGORIES] = 10,
};

struct setter {
    enum reference_kind kind;
    const char *field;
    const char *sql;      /* $1 the code, $2 the value */
};

/* A category marked sensitive takes its shared issues back first, each with an unshare
 * event in the admin's name that says why (the database refuses the flag otherwise). */
static const char UNSHARE_CATEGORY_SQL[] =
    "WITH upd AS (UPDATE issues i SET shared = false, updated_at = now()"
    "             FROM categories c WHERE c.code = $1 AND $2::boolean"
    "               AND i.category_id = c.id AND i.shared RETURNING i.id)"
    " INSERT INTO issue_events (issue_id, actor_id, action, details)"
    " SELECT upd.id, (SELECT nullif(current_setting('directline.user_id', true), '')::integer),"
    "        'unshare', jsonb_build_object('reason', 'sensitive_category', 'category', $1::text)"
    " FROM upd";

static const struct setter SETTERS[] = {
    {REF_CLUSTERS, "name", "UPDATE clusters SET name = $2 WHERE code = $1"},
    {REF_SCHOOLS, "name", "UPDATE schools SET name = $2 WHERE code = $1"},
    {REF_SCHOOLS, "commune", "UPDATE schools SET commune = $2 WHERE code = $1"},
    {REF_SCHOOLS, "cluster",
     "UPDATE schools SET cluster_id = (SELECT id FROM clusters WHERE code = $2) WHERE code = $1"},
    {REF_DIVISIONS, "name", "UPDATE divisions SET name = $2 WHERE code = $1"},
    {REF_DIVISIONS, "name_en", "UPDATE divisions SET name_en = $2 WHERE code = $1"},
    {REF_CATEGORIES, "name", "UPDATE categories SET name = $2 WHERE code = $1"},
    {REF_CATEGORIES, "name_en", "UPDATE categories SET name_en = $2 WHERE code = $1"},
    {REF_CATEGORIES, "kind", "UPDATE categories SET kind = $2 WHERE code = $1"},
    {REF_CATEGORIES, "division", "UPDATE categories SET default_division_id ="
                                 " (SELECT id FROM divisions WHERE code = $2) WHERE code = $1"},
    {REF_CATEGORIES, "default_priority",
     "UPDATE categories SET default_priority = $2 WHERE code = $1"},
    {REF_CATEGORIES, "description", "UPDATE categories SET description = $2 WHERE code = $1"},
    {REF_CATEGORIES, "description_en",
     "UPDATE categories SET description_en = $2 WHERE code = $1"},
    {REF_CATEGORIES, "active", "UPDATE categories SET active = $2::boolean WHERE code = $1"},
    {REF_CATEGORIES, "sensitive", "UPDATE categories SET sensitive = $2::boolean WHERE code = $1"},
};

/* What a change needs done first, in its transaction and with its parameters. */
static const struct setter BEFORE_SETTERS[] = {
    {REF_CATEGORIES, "sensitive", UNSHARE_CATEGORY_SQL},
};

struct db_rows *db_refadmin_row(struct db *db, enum reference_kind kind, const char *code,
                                bool lock, struct error *err)
{
    /* FOR UPDATE OF x: only the row itself, not the cluster or division it points at. */
    char sql[512];
    size_t len = strlen(ROW_SQL[kind]);
    memcpy(sql, ROW_SQL[kind], len + 1);
    if (lock)
        memcpy(sql + len, " FOR UPDATE OF x", sizeof " FOR UPDATE OF x");
    const char *params[] = {code};
    return db_query(db, sql, 1, params, err);
}

bool db_refadmin_insert(struct db *db, enum reference_kind kind, const char *const *values,
                        struct error *err)
{
    struct db_rows *rows = db_query(db, INSERT_SQL[kind], INSERT_PARAMS[kind], values, err);
    if (!rows) {
        if (err->kind == ERR_CONFLICT)
            error_coded(err, ERR_CONFLICT, "code_taken", "The code %s is already in use.",
                        values[0]);
        return false;
    }
    db_rows_free(rows);
    return true;
}

static const struct setter *find_setter(const struct setter *table, size_t n,
                                        enum reference_kind kind, const char *field)
{
    for (size_t i = 0; i < n; i++)
        if (table[i].kind == kind && strcmp(table[i].field, field) == 0)
            return &table[i];
    return NULL;
}

static bool run_setter(struct db *db, const struct setter *s, const char *const params[2],
                       struct error *err)
{
    struct db_rows *rows = db_query(db, s->sql, 2, params, err);
    db_rows_free(rows);
    return rows != NULL;
}

bool db_refadmin_set(struct db *db, enum reference_kind kind, const char *code,
                     const char *field, const char *value, struct error *err)
{
    const struct setter *set = find_setter(SETTERS, sizeof SETTERS / sizeof *SETTERS, kind,
                                           field);
    if (!set)
        return error_set(err, ERR_INTERNAL, "no setter for %s", field);
    const struct setter *before = find_setter(BEFORE_SETTERS, sizeof BEFORE_SETTERS /
                                              sizeof *BEFORE_SETTERS, kind, field);
    const char *params[] = {code, value};
    return (!before || run_setter(db, before, params, err)) && run_setter(db, set, params, err);
}
