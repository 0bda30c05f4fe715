/* practice_json.c -- a practice as JSON, as practice_json.h says. */
#include "api/practice_json.h"

#include "api/reply.h"
#include "domain/practice_rules.h"

static const char *const TEXT_FIELDS[] = {
    "origin", "cluster", "cluster_name", "category", "category_name", "title", "problem",
    "solution", "status", "proposed_at", NULL,
};
/* Null when absent: the school (a Department practice names none), the issue (only its
 * readers see which), the review. */
static const char *const OPTIONAL_FIELDS[] = {
    "school", "school_name", "issue_ref", "proposed_by", "reviewed_by", "reviewed_at",
    "review_note", "published_at", NULL,
};

static cJSON *permissions(const struct db_rows *rows, int row, const struct actor *a)
{
    enum practice_status status = PRACTICE_PROPOSED;
    practice_status_parse(db_rows_get(rows, row, "status"), &status);
    cJSON *can = cJSON_CreateObject();
    cJSON_AddBoolToObject(can, "edit", practice_edit_decide(a, status).allowed);
    cJSON_AddBoolToObject(can, "publish",
                          practice_review_decide(a, status, PRACTICE_PUBLISH).allowed);
    cJSON_AddBoolToObject(can, "decline",
                          practice_review_decide(a, status, PRACTICE_DECLINE).allowed);
    cJSON_AddBoolToObject(can, "withdraw",
                          practice_review_decide(a, status, PRACTICE_WITHDRAW).allowed);
    return can;
}

cJSON *practice_json(const struct db_rows *rows, int row, const struct actor *a,
                     bool with_files)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "id", (double)db_rows_int(rows, row, "id"));
    for (const char *const *f = TEXT_FIELDS; *f; f++)
        cJSON_AddStringToObject(p, *f, db_rows_get(rows, row, *f));
    for (const char *const *f = OPTIONAL_FIELDS; *f; f++)
        json_add_text_or_null(p, *f, db_rows_get(rows, row, *f));
    if (with_files) {
        cJSON *files = cJSON_Parse(db_rows_get(rows, row, "files"));
        cJSON_AddItemToObject(p, "files", files ? files : cJSON_CreateArray());
    }
    cJSON_AddItemToObject(p, "can", permissions(rows, row, a));
    return p;
}
