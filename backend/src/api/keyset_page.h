/* keyset_page.h -- one page of a keyset-paginated list as JSON: {"items": [...],
 * "next_cursor": "..." | null}. The store fetches limit + 1 rows, so a row beyond the page
 * says that there is a next one; its cursor comes from the page's last row. */
#ifndef DL_API_KEYSET_PAGE_H
#define DL_API_KEYSET_PAGE_H

#include <cjson/cJSON.h>
#include "db/db.h"

/* One row as the list's item (a new cJSON object the page takes over). */
typedef cJSON *(*keyset_item_fn)(const struct db_rows *rows, int row, const void *context);

/* The page; the cursor is the page's last row's cursor_column, or "<first>.<second>" when
 * second_column is not NULL. Caller owns the result. */
cJSON *keyset_page_json(const struct db_rows *rows, int limit, keyset_item_fn item,
                        const void *context, const char *cursor_column,
                        const char *second_column);

#endif
