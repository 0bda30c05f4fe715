/* ratings_api.c -- GET /api/ratings: how schools rated the resolutions they confirmed,
 * newest first, for staff; ?low=true keeps the ratings of 1 or 2, which a supervisor
 * looks into (docs/ratings-and-directives.md). */
#include "api/directives_api.h"

#include <stdio.h>

#include "api/query_params.h"
#include "api/reply.h"
#include "db/rating_store.h"
#include "domain/rating.h"

#define RATINGS_DEFAULT_LIMIT 50
#define RATINGS_MAX_LIMIT 200

void ratings_list(struct exchange *ex)
{
    static const char *const names[] = {"low", "limit", "cursor", NULL};
    struct error err = {0};
    if (!role_is_staff(ex->user.actor.role)) {
        reply_problem(ex, ERR_FORBIDDEN, "The Department's staff read the ratings.");
        return;
    }
    int low = 0, limit = 0;
    long long before = 0;
    struct db_rows *rows = NULL;
    if (query_check_names(ex, names, &err)) {
        low = query_flag(ex, "low", &err);
        limit = query_limit(ex, RATINGS_DEFAULT_LIMIT, RATINGS_MAX_LIMIT, &err);
        before = query_id_cursor(ex, "cursor", &err);
    }
    if (!error_is_set(&err) && api_db(ex, &err)) {
        rows = db_ratings_list(ex->db, low == 1 ? RATING_LOW_MAX : 0, before, limit, &err);
    }
    if (!rows) {
        reply_failure(ex, &err, "The ratings cannot be listed as asked; see errors.");
        return;
    }
    static const char *const TEXT[] = {"ref", "title", "status", "school", "school_name",
                                       "division", "rated_at", NULL};
    int count = db_rows_count(rows);
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    for (int i = 0; i < count && i < limit; i++) {
        cJSON *r = cJSON_CreateObject();
        for (const char *const *f = TEXT; *f; f++)
            cJSON_AddStringToObject(r, *f, db_rows_get(rows, i, *f));
        cJSON_AddNumberToObject(r, "rating", (double)db_rows_int(rows, i, "rating"));
        json_add_text_or_null(r, "comment", db_rows_get(rows, i, "comment"));
        json_add_text_or_null(r, "rated_by", db_rows_get(rows, i, "rated_by"));
        cJSON_AddItemToArray(items, r);
    }
    if (count > limit) {
        char cursor[24];
        snprintf(cursor, sizeof cursor, "%lld", db_rows_int(rows, limit - 1, "id"));
        cJSON_AddStringToObject(doc, "next_cursor", cursor);
    } else {
        cJSON_AddNullToObject(doc, "next_cursor");
    }
    db_rows_free(rows);
    reply_json(ex, 200, doc);
}
