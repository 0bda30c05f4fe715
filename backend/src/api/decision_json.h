/* decision_json.h -- a meeting and a decision as the API answers them (docs/meetings.md),
 * from the rows of db/meeting_store.h and db/decision_store.h. */
#ifndef DL_API_DECISION_JSON_H
#define DL_API_DECISION_JSON_H

#include <cjson/cJSON.h>
#include "db/db.h"
#include "domain/access.h"
#include "domain/decision_rules.h"

/* What the rules read of a decision's row. */
struct decision_facts decision_facts_of(const struct db_rows *rows, int row);
/* The decision, with its state now and what this actor may do with it. */
cJSON *decision_json(const struct db_rows *rows, int row, const struct actor *a);
/* A meeting's summary (a row of db_meetings_list). */
cJSON *meeting_json(const struct db_rows *rows, int row);

#endif
