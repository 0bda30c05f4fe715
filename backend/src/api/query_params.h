/* query_params.h -- reading a list's query string strictly: known names only, each once,
 * valid UTF-8; a limit in range; true|false flags; cursors; reference codes that must
 * exist. Each failure names the parameter. */
#ifndef DL_API_QUERY_PARAMS_H
#define DL_API_QUERY_PARAMS_H

#include <stdbool.h>
#include "api/exchange.h"
#include "db/reference_store.h"

/* Every parameter must be in `allowed` (NULL-terminated), appear once, be valid UTF-8. */
bool query_check_names(const struct exchange *ex, const char *const *allowed,
                       struct error *err);
/* ?limit=: 1..max, `fallback` when absent. */
int query_limit(const struct exchange *ex, int fallback, int max, struct error *err);
/* A true|false parameter: 1, 0, or -1 when absent. */
int query_flag(const struct exchange *ex, const char *name, struct error *err);
/* A positive whole number (a cursor of ids): 0 when absent; an error when malformed. */
long long query_id_cursor(const struct exchange *ex, const char *name, struct error *err);

/* A keyset cursor "<key>.<id>" (two whole numbers) in ?cursor=: true when present and
 * valid, false when absent or (with an error) malformed. */
bool query_pair_cursor(const struct exchange *ex, long long *key, long long *id,
                       struct error *err);
/* A code (NULL: nothing to check) must be well formed and name a row of `kind`. */
bool query_check_code(struct db *db, enum reference_kind kind, const char *field,
                      const char *code, struct error *err);
/* Whether err holds a failure of the database rather than of the input. */
bool query_db_failed(const struct error *err);

#endif
