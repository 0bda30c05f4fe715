/* json_input.h -- strict reading of JSON request bodies: the checks cJSON does not do
 * (UTF-8, duplicate keys, \u0000, unknown fields, types), each failure naming the field. */
#ifndef DL_API_JSON_INPUT_H
#define DL_API_JSON_INPUT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include "api/exchange.h"

/* The body as a JSON object whose keys are all in `allowed` (NULL-terminated), or NULL
 * with err set (415 for another content type, 400 otherwise). Caller cJSON_Deletes. */
cJSON *json_body_object(const struct exchange *ex, const char *const *allowed,
                        struct error *err);

/* A string field. Absent: *out = NULL, and an error when required. With allow_null a
 * JSON null is taken as absent. Non-empty text of at most max_chars unless allow_empty.
 * Returns false when it added an error; *out points into obj. */
bool json_string_field(const cJSON *obj, const char *name, bool required, bool allow_null,
                       bool allow_empty, size_t max_chars, const char **out,
                       struct error *err);
/* A boolean field; absent leaves *out unchanged. */
bool json_bool_field(const cJSON *obj, const char *name, bool *out, struct error *err);
/* A whole-number field in [min, max]; required. Reports under `label` (e.g. "items[2].hours"). */
bool json_int_field(const cJSON *obj, const char *name, const char *label, int min, int max,
                    int *out, struct error *err);
/* A record id (a whole number from 1); absent leaves *out unchanged. */
bool json_id_field(const cJSON *obj, const char *name, long long *out, struct error *err);
/* An object's keys must all be in `allowed` (NULL-terminated); reports under label.key. */
bool json_keys_allowed(const cJSON *obj, const char *const *allowed, const char *label,
                       struct error *err);
/* Whether the object has the key (even with a null value). */
bool json_has(const cJSON *obj, const char *name);

#endif
