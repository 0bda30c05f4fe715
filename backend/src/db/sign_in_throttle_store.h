/* sign_in_throttle_store.h -- the failed sign-ins that throttling counts (table
 * sign_in_failures, migration 0008), what an admin sees of them and clears, and the
 * purge of what is too old to count. Logins and addresses come as their keys
 * (domain/sign_in_rules.h). */
#ifndef DL_DB_SIGN_IN_THROTTLE_STORE_H
#define DL_DB_SIGN_IN_THROTTLE_STORE_H

#include <stdbool.h>
#include "db/db.h"

/* One try of the login from the address: when it may be tried now (*wait_seconds 0) the
 * try is counted as a failure at once, before its password is checked, and stays one
 * unless db_sign_in_succeeded forgets it; otherwise nothing is written and *wait_seconds
 * says how long until it may. Tries from one address are serialised (an advisory lock on
 * the address), so concurrent tries cannot all see the count from before the others.
 * The same statements run whether or not the login exists; its own transaction. */
bool db_sign_in_attempt(struct db *db, const char *login, const char *address,
                        int *wait_seconds, struct error *err);
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
