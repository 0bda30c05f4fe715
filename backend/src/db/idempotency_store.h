/* idempotency_store.h -- the SQL of idempotency keys: lock one user's key while its
 * request runs, find the response stored for it, store a new one. */
#ifndef DL_DB_IDEMPOTENCY_STORE_H
#define DL_DB_IDEMPOTENCY_STORE_H

#include <stdbool.h>
#include "db/db.h"

#define IDEMPOTENCY_TTL_HOURS 24

struct stored_response {
    bool found;
    char request_hash[65];     /* hex */
    int status;
    char *location;            /* NULL when none; owned */
    char *body;                /* owned */
};

/* Waits (a few seconds at most) for the key's lock; *got false when it stayed taken. */
bool db_idempotency_lock(struct db *db, int user_id, const char *key, bool *got,
                         struct error *err);
void db_idempotency_unlock(struct db *db, int user_id, const char *key);
/* The response stored under the key in the last 24 hours, if any (out->found). */
bool db_idempotency_find(struct db *db, int user_id, const char *key,
                         struct stored_response *out, struct error *err);
/* Stores a response (inside the caller's transaction); replaces an expired one. */
bool db_idempotency_store(struct db *db, int user_id, const char *key,
                          const char *request_hash, int status, const char *location,
                          const char *body, struct error *err);
/* Deletes what has expired; *deleted says how many. */
bool db_idempotency_purge(struct db *db, long long *deleted, struct error *err);
void stored_response_free(struct stored_response *r);

#endif
