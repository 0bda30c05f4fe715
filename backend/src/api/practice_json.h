/* practice_json.h -- a practice as the API answers it (docs/practices.md), from the rows
 * of db/practice_store.h. */
#ifndef DL_API_PRACTICE_JSON_H
#define DL_API_PRACTICE_JSON_H

#include <cjson/cJSON.h>
#include "db/db.h"
#include "domain/access.h"

/* The practice, with what this actor may do with it; with_files: the chosen files. */
cJSON *practice_json(const struct db_rows *rows, int row, const struct actor *a,
                     bool with_files);

#endif
