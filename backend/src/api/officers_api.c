/* officers_api.c -- GET /api/officers?division=CODE (Department staff): the active
 * officers of the division and every active supervisor, for the assignee picker and a
 * supervisor's reassignment; without division, the officers of every division. */
#include "api/officers_api.h"

#include "api/query_params.h"
#include "api/reply.h"
#include "db/officer_store.h"

static const char *const NAMES[] = {"division", NULL};

static cJSON *officers_json(const struct db_rows *rows)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    for (int i = 0; i < db_rows_count(rows); i++) {
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "login", db_rows_get(rows, i, "login"));
        cJSON_AddStringToObject(item, "name", db_rows_get(rows, i, "name"));
        cJSON_AddStringToObject(item, "role", db_rows_get(rows, i, "role"));
        json_add_text_or_null(item, "division", db_rows_get(rows, i, "division"));
        cJSON_AddItemToArray(items, item);
    }
    return doc;
}

static bool read_division(struct exchange *ex, const char **division, struct error *err)
{
    query_check_names(ex, NAMES, err);
    *division = exchange_query(ex, "division");
    if (error_is_set(err) || !api_db(ex, err))
        return false;
    return query_check_code(ex->db, REF_DIVISIONS, "division", *division, err) &&
           !error_is_set(err);
}

void officers_list(struct exchange *ex)
{
    struct error err = {0};
    const char *division = NULL;
    struct db_rows *rows = NULL;
    if (!role_is_staff(ex->user.actor.role))
        error_coded(&err, ERR_FORBIDDEN, "staff_only",
                    "Only the Department's officers, supervisors and admins see this list.");
    else if (read_division(ex, &division, &err))
        rows = db_officers_list(ex->db, division, &err);
    if (rows)
        reply_json(ex, 200, officers_json(rows));
    else
        reply_failure(ex, &err, "The officers cannot be listed as asked; see errors.");
    db_rows_free(rows);
}
