/* sign_in_throttle_store.h -- the failed sign-ins that throttling counts (table
 * sign_in_failures, migration 0008), what an admin sees of them and clears, and the
 * purge of what is too old to count. Logins and addresses come as their keys
 * (domain/sign_in_rules.h). */
#ifndef DL_DB_SIGN_IN_THROTTLE_STORE_H
#define DL_DB_SIGN_IN_THROTTLE_STORE_H

#include <stdbool.h>
#include "db/db.h"

/* Seconds until the login may be tried from the address again; 0 when it may now. The
 * same statement runs whether or not the login exists. */
bool db_sign_in_wait(struct db *db, const char *login, const char *address, int *wait_seconds,
                     struct error *err);
/* Counts one failure (and forgets the address's failures too old to count). */
bool db_sign_in_failed(struct db *db, const char *login, const char *address,
                       struct error *err);
/* A success forgets the failures of this login from this address. */
bool db_sign_in_succeeded(struct db *db, const char *login, const char *address,
                          struct error *err);

/* The locks in force, latest end first (at most 500): columns login (NULL for a lock of
 * the whole address), address, failures, last_failure_at, until. */
struct db_rows *db_sign_in_locks(struct db *db, struct error *err);
/* Forgets the failures of a login, of an address, or of both together (NULL: any). */
bool db_sign_in_clear(struct db *db, const char *login, const char *address, int *cleared,
                      struct error *err);

/* For the sweep: deletes the failures too old to count. */
bool db_sign_in_purge(struct db *db, long long *purged, struct error *err);

#endif
