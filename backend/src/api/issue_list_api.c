/* issue_list_api.c -- GET /api/issues: the filters (api/issue_filter.c), then keyset
 * pagination with an opaque "<created microseconds>.<id>" cursor. */
#include "api/issues_api.h"

#include "api/issue_filter.h"
#include "api/issue_json.h"
#include "api/issue_permissions_json.h"
#include "api/keyset_page.h"
#include "api/reply.h"
#include "db/issue_store.h"

/* An issue of the page, with what the signed-in actor may do to it. */
static cJSON *list_item(const struct db_rows *rows, int row, const void *actor)
{
    cJSON *item = issue_json(rows, row);
    issue_json_add_permissions(item, rows, row, actor);
    return item;
}

void issues_list(struct exchange *ex)
{
    struct error err = {0};
    struct issue_filter f;
    struct db_rows *rows = NULL;
    if (issue_filter_read(ex, ISSUE_FILTER_LIST, &f, &err))
        rows = db_issue_list(ex->db, &f, &err);
    if (rows)
        reply_json(ex, 200, keyset_page_json(rows, f.limit, list_item, &ex->user.actor,
                                             "created_at_us", "id"));
    else
        reply_failure(ex, &err, "The list cannot be filtered as asked; see errors.");
    db_rows_free(rows);
}
