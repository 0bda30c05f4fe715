/* query_params.h -- reading a list's query string strictly: known names only, each once,
 * valid UTF-8; a limit in range; true|false flags. Each failure names the parameter. */
#ifndef DL_API_QUERY_PARAMS_H
#define DL_API_QUERY_PARAMS_H

#include <stdbool.h>
#include "api/exchange.h"

/* Every parameter must be in `allowed` (NULL-terminated), appear once, be valid UTF-8. */
bool query_check_names(const struct exchange *ex, const char *const *allowed,
                       struct error *err);
/* ?limit=: 1..max, `fallback` when absent. */
int query_limit(const struct exchange *ex, int fallback, int max, struct error *err);
/* A true|false parameter: 1, 0, or -1 when absent. */
int query_flag(const struct exchange *ex, const char *name, struct error *err);
/* A positive whole number (a cursor of ids): 0 when absent; an error when malformed. */
long long query_id_cursor(const struct exchange *ex, const char *name, struct error *err);

#endif
