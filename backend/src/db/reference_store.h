/* reference_store.h -- clusters, schools, divisions and categories: the lists the UI
 * needs and the code lookups that validation needs. */
#ifndef DL_DB_REFERENCE_STORE_H
#define DL_DB_REFERENCE_STORE_H

#include <stdbool.h>
#include "db/db.h"

enum reference_kind { REF_CLUSTERS, REF_SCHOOLS, REF_DIVISIONS, REF_CATEGORIES };

/* Every row of the list, ordered by code; schools optionally of one cluster. */
struct db_rows *db_reference_list(struct db *db, enum reference_kind kind,
                                  const char *cluster_code, struct error *err);
/* Whether a row with this code exists: true/false in *exists; false on error. */
bool db_reference_exists(struct db *db, enum reference_kind kind, const char *code,
                         bool *exists, struct error *err);
/* Whether `login` is an active officer of the division (by code) or a supervisor. */
bool db_user_assignable(struct db *db, const char *login, const char *division_code,
                        bool *assignable, struct error *err);
/* Inside a transaction, until it ends: hold `login` as an assignee. Assigning an issue
 * holds it shared before it locks the issue and checks db_user_assignable; an admin's
 * change of that user holds it alone before it locks the user, so the check never reads
 * a user whose move (and the release of their issues) is not yet committed. */
bool db_assignee_hold(struct db *db, const char *login, bool alone, struct error *err);
/* A trivial round trip: does the database answer? */
bool db_ping(struct db *db, struct error *err);

#endif
