/* issue_access.h -- loading the issue named in the URL and asking access.h about it:
 * the path every issue endpoint takes, so the 404-never-403 rule lives in one place. */
#ifndef DL_API_ISSUE_ACCESS_H
#define DL_API_ISSUE_ACCESS_H

#include <stdbool.h>
#include "api/exchange.h"
#include "domain/access.h"
#include "domain/issue_permissions.h"

/* The issue of the route's {ref} if the user may read it (rows with one row), else NULL with
 * err: 404 for a bad ref, a missing issue, or one the user may not read. for_update locks
 * the row (the caller has begun a transaction). */
struct db_rows *issue_load_readable(struct exchange *ex, bool for_update, struct error *err);

/* The issue's scope, from a row of issue_store's ISSUE_SELECT. */
struct issue_scope issue_scope_of(const struct db_rows *rows, int row);
/* Everything domain/issue_permissions reads of that row (its scope included). */
struct issue_facts issue_facts_of(const struct db_rows *rows, int row);

/* Turns a verdict into an error (404 or 403 with `what` in the message); true when OK. */
bool issue_check(enum access_verdict verdict, const char *what, struct error *err);

/* Answers GET /api/issues/{ref}: the issue with its history and files as the user may
 * see them, read in one round trip; 404 as issue_load_readable. */
void issue_reply_readable(struct exchange *ex);
/* The same answer, with `status`, reading the issue afresh after a change. */
void issue_reply_full(struct exchange *ex, int status, const char *ref);

#endif
