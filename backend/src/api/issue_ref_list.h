/* issue_ref_list.h -- a JSON array of issue references in a request body (an agenda, the
 * issues of a decision), checked item by item and turned into a PostgreSQL array
 * literal; and the check that each names an issue. */
#ifndef DL_API_ISSUE_REF_LIST_H
#define DL_API_ISSUE_REF_LIST_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include "db/db.h"

/* The field `name` of obj: absent or null is "{}" (an error when required); otherwise at
 * most max distinct well-formed references. NULL, with errors under "name[k]", when it is
 * not so. Caller frees. */
char *issue_ref_list(const cJSON *obj, const char *name, int max, bool required,
                     struct error *err);
/* Each of refs must name an issue: false with "name[k]" unknown_issue errors otherwise
 * (or the database's error). */
bool issue_refs_known(struct db *db, const char *refs, const char *name, struct error *err);

#endif
