/* json_item.c -- list items' text fields, errors named after the item (see json_item.h). */
#include "api/json_item.h"

#include <stdio.h>

#include "api/json_input.h"

bool json_item_string(const cJSON *item, const char *label, const char *name,
                      size_t max_chars, const char **out, struct error *err)
{
    int before = err->nfields;
    bool ok = json_string_field(item, name, true, false, false, max_chars, out, err);
    for (int i = before; i < err->nfields; i++)
        snprintf(err->fields[i].field, sizeof err->fields[i].field, "%s.%s", label, name);
    return ok;
}
