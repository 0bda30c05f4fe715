/* keyset_page.c -- one page of a keyset-paginated list as JSON (see keyset_page.h). */
#include "api/keyset_page.h"

#include <stdlib.h>

#include "util/xalloc.h"

cJSON *keyset_page_json(const struct db_rows *rows, int limit, keyset_item_fn item,
                        const void *context, const char *cursor_column,
                        const char *second_column)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    int count = db_rows_count(rows);
    int shown = count > limit ? limit : count;
    for (int i = 0; i < shown; i++)
        cJSON_AddItemToArray(items, item(rows, i, context));
    if (count <= limit) {
        cJSON_AddNullToObject(doc, "next_cursor");
        return doc;
    }
    const char *first = db_rows_get(rows, shown - 1, cursor_column);
    char *cursor = second_column
                       ? xasprintf("%s.%s", first, db_rows_get(rows, shown - 1, second_column))
                       : xstrdup(first);
    cJSON_AddStringToObject(doc, "next_cursor", cursor);
    free(cursor);
    return doc;
}
