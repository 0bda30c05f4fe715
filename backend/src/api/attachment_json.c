/* attachment_json.c -- ATTACHMENT objects: {"id", "name", "type", "size", "sha256",
 * "uploaded_by": {"login", "name"}, "created_at", "hidden", "hidden_reason"}. */
#include "api/attachment_json.h"

#include <stdlib.h>

#include "api/reply.h"

cJSON *attachment_json(const struct db_rows *rows, int row)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddNumberToObject(obj, "id", (double)db_rows_int(rows, row, "id"));
    cJSON_AddStringToObject(obj, "name", db_rows_get(rows, row, "name"));
    cJSON_AddStringToObject(obj, "type", db_rows_get(rows, row, "type"));
    cJSON_AddNumberToObject(obj, "size", (double)db_rows_int(rows, row, "size"));
    cJSON_AddStringToObject(obj, "sha256", db_rows_get(rows, row, "sha256"));
    cJSON *by = cJSON_AddObjectToObject(obj, "uploaded_by");
    cJSON_AddStringToObject(by, "login", db_rows_get(rows, row, "uploaded_by_login"));
    cJSON_AddStringToObject(by, "name", db_rows_get(rows, row, "uploaded_by_name"));
    cJSON_AddStringToObject(obj, "created_at", db_rows_get(rows, row, "created_at"));
    cJSON_AddBoolToObject(obj, "hidden", db_rows_bool(rows, row, "hidden"));
    json_add_text_or_null(obj, "hidden_reason", db_rows_get(rows, row, "hidden_reason"));
    return obj;
}

void attachment_json_add_to_issue(cJSON *issue, const struct db_rows *rows)
{
    cJSON *list = cJSON_AddArrayToObject(issue, "attachments");
    int count = rows ? db_rows_count(rows) : 0;
    for (int i = 0; i < count; i++)
        cJSON_AddItemToArray(list, attachment_json(rows, i));
}
