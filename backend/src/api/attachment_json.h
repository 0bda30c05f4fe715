/* attachment_json.h -- the ATTACHMENT shape of docs/api.md, from db/attachment_store.c's
 * rows; and an issue's list of them as its reader may see it. */
#ifndef DL_API_ATTACHMENT_JSON_H
#define DL_API_ATTACHMENT_JSON_H

#include <cjson/cJSON.h>
#include "api/exchange.h"
#include "db/db.h"

cJSON *attachment_json(const struct db_rows *rows, int row);
/* Adds "attachments": [ATTACHMENT...] to an issue object: hidden ones only for the
 * Department's staff. False with err when the database fails. */
bool attachment_json_add_to_issue(struct exchange *ex, cJSON *issue, long long issue_id,
                                  struct error *err);

#endif
