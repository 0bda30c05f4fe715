/* attachment_json.h -- the ATTACHMENT shape of docs/api.md, from db/attachment_store.c's
 * rows; and an issue's list of them as its reader may see it. */
#ifndef DL_API_ATTACHMENT_JSON_H
#define DL_API_ATTACHMENT_JSON_H

#include <cjson/cJSON.h>
#include "db/db.h"

cJSON *attachment_json(const struct db_rows *rows, int row);
/* Adds "attachments": [ATTACHMENT...] to an issue object, one per row (db_issue_read
 * reads hidden ones only for the Department's staff). */
void attachment_json_add_to_issue(cJSON *issue, const struct db_rows *rows);

#endif
