/* issue_json.h -- the JSON shapes of an issue and of an event (docs/api.md), built from
 * the rows of db/issue_store.c. */
#ifndef DL_API_ISSUE_JSON_H
#define DL_API_ISSUE_JSON_H

#include <cjson/cJSON.h>
#include "db/db.h"

cJSON *issue_json(const struct db_rows *rows, int row);
cJSON *event_json(const struct db_rows *rows, int row);
/* The issue of row 0 with its history: `events` holds every row of `events`. */
cJSON *issue_with_events_json(const struct db_rows *issue, const struct db_rows *events);

#endif
