/* query_params.h -- reading a list endpoint's query string the same way everywhere: known
 * names only, each once, valid UTF-8; a limit; an opaque "<number>.<id>" keyset cursor;
 * true|false flags; reference codes that must exist. Each adds field errors to err. */
#ifndef DL_API_QUERY_PARAMS_H
#define DL_API_QUERY_PARAMS_H

#include <stdbool.h>
#include "api/exchange.h"
#include "db/reference_store.h"

/* Every parameter must be one of `names` (NULL-terminated), appear once, be UTF-8. */
bool query_check_names(const struct exchange *ex, const char *const *names,
                       struct error *err);
/* `limit`: 1..max, default when absent. */
int query_read_limit(const struct exchange *ex, int default_limit, int max,
                     struct error *err);
/* `cursor` as "<key>.<id>" (two non-negative numbers): true when present and valid. */
bool query_read_cursor(const struct exchange *ex, long long *key, long long *id,
                       struct error *err);
/* A true|false parameter: 1, 0, or -1 when absent. */
int query_read_flag(const struct exchange *ex, const char *name, struct error *err);
/* A code (NULL: nothing to check) must be well formed and name a row of `kind`. */
bool query_check_code(struct db *db, enum reference_kind kind, const char *field,
                      const char *code, struct error *err);
/* Whether err holds a failure of the database rather than of the input. */
bool query_db_failed(const struct error *err);

#endif
