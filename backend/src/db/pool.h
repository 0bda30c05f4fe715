/* pool.h -- a fixed number of database connections shared by the server's threads.
 * A borrowed connection comes back clean: an open transaction is rolled back and a broken
 * connection is dropped and replaced lazily on the next borrow. */
#ifndef DL_DB_POOL_H
#define DL_DB_POOL_H

#include "db/db.h"

struct db_pool;

/* Does not connect yet; connections are opened on first use. Caller frees. */
struct db_pool *db_pool_create(const char *url, int size);
void db_pool_destroy(struct db_pool *pool);
/* Waits up to a few seconds for a free connection; NULL with err (503) otherwise. */
struct db *db_pool_acquire(struct db_pool *pool, struct error *err);
/* A spare connection for extra work that can also be done without: NULL at once, rather
 * than waiting, when all are borrowed (or a new one cannot be opened). */
struct db *db_pool_try_acquire(struct db_pool *pool);
void db_pool_release(struct db_pool *pool, struct db *db);

#endif
