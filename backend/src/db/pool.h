/* pool.h -- a fixed number of database connections shared by the server's threads.
 * A borrowed connection comes back clean: an open transaction is rolled back and a broken
 * connection is dropped and replaced lazily on the next borrow. One the server closed while
 * it sat idle (a database restart) is noticed and replaced when it is lent out. */
#ifndef DL_DB_POOL_H
#define DL_DB_POOL_H

#include "db/db.h"

struct db_pool;

/* size connections, one for each thread that serves requests, plus spares: extra ones
 * that only db_pool_acquire_spare hands out, so that borrowing a spare never makes a
 * request wait for its first connection. Does not connect yet; connections are opened
 * on first use. Caller frees. */
struct db_pool *db_pool_create(const char *url, int size, int spares);
void db_pool_destroy(struct db_pool *pool);
/* Waits up to a few seconds for a free connection; NULL with err (503) otherwise. */
struct db *db_pool_acquire(struct db_pool *pool, struct error *err);
void db_pool_release(struct db_pool *pool, struct db *db);
/* A spare, for work that is faster with a second connection but can do without: NULL at
 * once, rather than waiting, when every spare is out (or one cannot be opened). */
struct db *db_pool_acquire_spare(struct db_pool *pool);
void db_pool_release_spare(struct db_pool *pool, struct db *db);

#endif
