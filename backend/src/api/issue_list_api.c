/* issue_list_api.c -- GET /api/issues: the filters (api/issue_filter.c), then keyset
 * pagination with an opaque "<created microseconds>.<id>" cursor. */
#include "api/issues_api.h"

#include <stdio.h>

#include "api/issue_filter.h"
#include "api/issue_json.h"
#include "api/issue_permissions_json.h"
#include "api/reply.h"
#include "db/issue_store.h"

static cJSON *page_json(const struct exchange *ex, const struct db_rows *rows, int limit)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    int count = db_rows_count(rows);
    int shown = count > limit ? limit : count;
    for (int i = 0; i < shown; i++) {
        cJSON *item = issue_json(rows, i);
        issue_json_add_permissions(item, rows, i, &ex->user.actor);
        cJSON_AddItemToArray(items, item);
    }
    if (count > limit) {
        char cursor[48];
        snprintf(cursor, sizeof cursor, "%s.%s", db_rows_get(rows, shown - 1, "keyset_created_us"),
                 db_rows_get(rows, shown - 1, "id"));
        cJSON_AddStringToObject(doc, "next_cursor", cursor);
    } else {
        cJSON_AddNullToObject(doc, "next_cursor");
    }
    return doc;
}

void issues_list(struct exchange *ex)
{
    struct error err = {0};
    struct issue_filter f;
    struct db_rows *rows = NULL;
    if (issue_filter_read(ex, ISSUE_FILTER_LIST, &f, &err))
        rows = db_issue_list(ex->db, &f, &err);
    if (rows)
        reply_json(ex, 200, page_json(ex, rows, f.limit));
    else
        reply_failure(ex, &err, "The list cannot be filtered as asked; see errors.");
    db_rows_free(rows);
}
