/* json_item.h -- a text field of an object inside a list (an SLA policy, a calendar row),
 * its errors named after its place ("holidays[2].date"), so a client knows which row. */
#ifndef DL_API_JSON_ITEM_H
#define DL_API_JSON_ITEM_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include "domain/error.h"

/* json_string_field (required, non-empty, at most max_chars) with the error, if any,
 * under "<label>.<name>". */
bool json_item_string(const cJSON *item, const char *label, const char *name,
                      size_t max_chars, const char **out, struct error *err);

#endif
