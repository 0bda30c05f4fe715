/* issue_permissions_json.h -- "allowed_actions" and "can" on an ISSUE: what the signed-in
 * person may do with it now, as domain/issue_permissions decides. */
#ifndef DL_API_ISSUE_PERMISSIONS_JSON_H
#define DL_API_ISSUE_PERMISSIONS_JSON_H

#include <cjson/cJSON.h>
#include "db/db.h"
#include "domain/access.h"

/* Adds both keys to obj, the ISSUE built from row `row` of issue_store's ISSUE_SELECT. */
void issue_json_add_permissions(cJSON *obj, const struct db_rows *rows, int row,
                                const struct actor *actor);

#endif
