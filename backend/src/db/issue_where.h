/* issue_where.h -- the WHERE clause of the issue list and counts, from a filter (inside
 * db/ only). */
#ifndef DL_DB_ISSUE_WHERE_H
#define DL_DB_ISSUE_WHERE_H

#include "db/issue_store.h"
#include "db/sql_where.h"

/* Every condition the filter sets, ANDed, its values as parameters. Check w->overflow
 * before running it. */
void issue_where_build(struct sql_where *w, const struct issue_filter *f);

#endif
