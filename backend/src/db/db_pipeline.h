/* db_pipeline.h -- one round trip to PostgreSQL (inside db/ only): a few statements sent
 * in one libpq pipeline with one sync, each by the name it was prepared under on this
 * connection (statement_cache.h), with its PREPARE in front the first time. */
#ifndef DL_DB_DB_PIPELINE_H
#define DL_DB_DB_PIPELINE_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "db/db.h"
#include "db/statement_cache.h"

/* BEGIN, the context and up to DB_QUERY_MANY_MAX statements of the caller. */
#define PIPELINE_MAX (2 + DB_QUERY_MANY_MAX)

struct pipeline_reply {
    PGresult *res[PIPELINE_MAX];   /* when ok, each statement's result */
    PGresult *failure;             /* else the first failure; NULL when nothing came back */
    bool ok;
    /* A prepared statement was refused as stale (the server dropped it, or DDL changed
     * its result type); the cache has let it go, so running the statements again
     * prepares it afresh. */
    bool stale;
};

/* Sends the n statements (n <= PIPELINE_MAX) and reads every result. Statements that the
 * cache set aside are closed first, in a sync of their own, when no transaction is open.
 * Returns false when the pipeline could not be left (the connection is unusable). */
bool pipeline_run(PGconn *conn, struct statement_cache *cache, const struct db_statement *st,
                  int n, int format, struct pipeline_reply *reply);
/* Frees whatever the reply still holds and empties it. */
void pipeline_reply_clear(struct pipeline_reply *reply);

#endif
