/* reference_api.c -- GET /api/clusters, /api/schools, /api/divisions, /api/categories;
 * GET /healthz and /readyz. */
#include "api/reference_api.h"

#include <string.h>

#include "api/reply.h"
#include "db/reference_store.h"
#include "domain/validate.h"

/* Every column of every row as a string field; the flags as booleans. */
static cJSON *items_json(const struct db_rows *rows, const char *const *columns)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    for (int i = 0; i < db_rows_count(rows); i++) {
        cJSON *item = cJSON_CreateObject();
        for (const char *const *c = columns; *c; c++) {
            if (strcmp(*c, "active") == 0 || strcmp(*c, "sensitive") == 0)
                cJSON_AddBoolToObject(item, *c, db_rows_bool(rows, i, *c));
            else
                cJSON_AddStringToObject(item, *c, db_rows_get(rows, i, *c));
        }
        cJSON_AddItemToArray(items, item);
    }
    return doc;
}

static void reply_list(struct exchange *ex, enum reference_kind kind, const char *cluster,
                       const char *const *columns)
{
    struct error err = {0};
    struct db *db = api_db(ex, &err);
    struct db_rows *rows = db ? db_reference_list(db, kind, cluster, &err) : NULL;
    if (rows)
        reply_json(ex, 200, items_json(rows, columns));
    else
        reply_error(ex, &err);
    db_rows_free(rows);
}

/* The only parameter any list takes is the schools' ?cluster=. */
static bool no_query(struct exchange *ex, const char *allowed)
{
    struct error err = {0};
    for (int i = 0; i < ex->nquery; i++)
        if (!allowed || strcmp(ex->query[i].key, allowed) != 0)
            error_field(&err, ex->query[i].key, "unknown_parameter", "is not a known parameter");
    if (!error_is_set(&err))
        return true;
    reply_error(ex, &err);
    return false;
}

void reference_clusters(struct exchange *ex)
{
    static const char *const columns[] = {"code", "name", NULL};
    if (no_query(ex, NULL))
        reply_list(ex, REF_CLUSTERS, NULL, columns);
}

void reference_schools(struct exchange *ex)
{
    static const char *const columns[] = {"code", "name", "cluster", "commune", NULL};
    struct error err = {0};
    const char *cluster = exchange_query(ex, "cluster");
    if (!no_query(ex, "cluster"))
        return;
    bool exists = true;
    if (cluster && validate_code(&err, "cluster", cluster) && api_db(ex, &err) &&
        db_reference_exists(ex->db, REF_CLUSTERS, cluster, &exists, &err) && !exists)
        error_field(&err, "cluster", "unknown_code", "%s is not a known cluster", cluster);
    for (int i = 0; i < ex->nquery; i++)
        if (exchange_query(ex, ex->query[i].key) != ex->query[i].value)
            error_field(&err, ex->query[i].key, "repeated", "appears more than once");
    if (error_is_set(&err)) {
        reply_error(ex, &err);
        return;
    }
    reply_list(ex, REF_SCHOOLS, cluster, columns);
}

void reference_divisions(struct exchange *ex)
{
    static const char *const columns[] = {"code", "name", "name_en", NULL};
    if (no_query(ex, NULL))
        reply_list(ex, REF_DIVISIONS, NULL, columns);
}

void reference_categories(struct exchange *ex)
{
    static const char *const columns[] = {"code", "name", "name_en", "kind", "division",
                                          "default_priority", "description",
                                          "description_en", "active", "sensitive", NULL};
    if (no_query(ex, NULL))
        reply_list(ex, REF_CATEGORIES, NULL, columns);
}

void health_live(struct exchange *ex)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "status", "ok");
    reply_json(ex, 200, doc);
}

void health_ready(struct exchange *ex)
{
    struct error err = {0};
    struct db *db = api_db(ex, &err);
    if (!db || !db_ping(db, &err)) {
        error_set(&err, ERR_UNAVAILABLE, "The database does not answer.");
        reply_error(ex, &err);
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "status", "ready");
    reply_json(ex, 200, doc);
}
