/* escalation_store.h -- the escalations board: open issues raised above level 0, each
 * with the moment it reached its present level, oldest first. */
#ifndef DL_DB_ESCALATION_STORE_H
#define DL_DB_ESCALATION_STORE_H

#include <stdbool.h>
#include "db/db.h"

struct escalation_filter {
    int min_level, max_level;        /* 1..2 */
    const char *division;            /* a division code, or NULL for every division */
    bool has_cursor;
    long long cursor_breached_us, cursor_id;
    int limit;
};

/* Up to filter->limit + 1 ISSUE rows (the extra one says another page exists), ordered by
 * (breached_at, id), each with breached_at (RFC 3339) and keyset_breached_us. */
struct db_rows *db_escalations_list(struct db *db, const struct escalation_filter *filter,
                                    struct error *err);

#endif
