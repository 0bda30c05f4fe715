/* issue_filter.h -- the filters of GET /api/issues and of GET /api/issues/counts, read and
 * checked in one place, with the signed-in person's scope cut and `assignee=me`. */
#ifndef DL_API_ISSUE_FILTER_H
#define DL_API_ISSUE_FILTER_H

#include <stdbool.h>
#include "api/exchange.h"
#include "db/issue_store.h"

enum issue_filter_use {
    ISSUE_FILTER_LIST,      /* every filter, with status, limit and cursor */
    ISSUE_FILTER_COUNTS,    /* every filter but status, limit and cursor */
};

/* Fills f from the query string (pointers into the exchange). Borrows the exchange's
 * database connection to check codes. False with err set: 400 naming every bad
 * parameter, or the database's failure. */
bool issue_filter_read(struct exchange *ex, enum issue_filter_use use,
                       struct issue_filter *f, struct error *err);

#endif
