/* officer_store.h -- the people an issue may be assigned to, for a picker. */
#ifndef DL_DB_OFFICER_STORE_H
#define DL_DB_OFFICER_STORE_H

#include "db/db.h"

/* Active officers of the division (of every division when division_code is NULL), then
 * every active supervisor; rows of login, name, role, division (NULL for supervisors). */
struct db_rows *db_officers_list(struct db *db, const char *division_code, struct error *err);

#endif
