/* issue_counts_api.c -- GET /api/issues/counts: how many issues of each status the list
 * would show with the same filters (and the same scope cut), for a queue's tabs. */
#include "api/issues_api.h"

#include "api/issue_filter.h"
#include "api/reply.h"
#include "db/issue_store.h"

/* Every status, zero when absent from the rows, and their total. */
static cJSON *counts_json(const struct db_rows *rows)
{
    long long per_status[STATUS_COUNT] = {0};
    long long total = 0;
    for (int i = 0; i < db_rows_count(rows); i++) {
        enum status s;
        if (!status_parse(db_rows_get(rows, i, "status"), &s))
            continue;      /* the schema allows no other status */
        per_status[s] = db_rows_int(rows, i, "n");
        total += per_status[s];
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON *counts = cJSON_AddObjectToObject(doc, "counts");
    for (int s = 0; s < STATUS_COUNT; s++)
        cJSON_AddNumberToObject(counts, status_name((enum status)s), (double)per_status[s]);
    cJSON_AddNumberToObject(doc, "total", (double)total);
    return doc;
}

void issues_counts(struct exchange *ex)
{
    struct error err = {0};
    struct issue_filter f;
    struct db_rows *rows = NULL;
    if (issue_filter_read(ex, ISSUE_FILTER_COUNTS, &f, &err))
        rows = db_issue_counts(ex->db, &f, &err);
    if (rows)
        reply_json(ex, 200, counts_json(rows));
    else
        reply_failure(ex, &err, "The issues cannot be counted as asked; see errors.");
    db_rows_free(rows);
}
