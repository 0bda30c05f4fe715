/* db.h -- the only door to PostgreSQL. Callers above db/ never see libpq: they get an
 * opaque connection, run parameterised statements, and read rows by column name. Each
 * connection prepares the statements it runs, by their text, on their first use (see
 * db_pipeline.c), so callers pass SQL text and PostgreSQL plans it once per connection. */
#ifndef DL_DB_DB_H
#define DL_DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include "domain/error.h"

struct db;        /* one connection; never used by two threads at once */
struct db_rows;   /* the rows of one statement's result */

/* Connect with a libpq connection string or URI; NULL with err set when it fails. */
struct db *db_connect(const char *url, struct error *err);
/* The same for a connection that is nice to have: NULL, logging nothing, when it fails. */
struct db *db_connect_optional(const char *url);
void db_close(struct db *db);
/* False when the connection is broken and should be dropped. */
bool db_healthy(struct db *db);
/* Before lending an idle connection out: when the server has closed it (a restart while
 * it sat idle) reconnect; false with err (503) when that fails. Also marks the connection
 * fresh: a first statement that dies with the connection and cannot have changed anything
 * (never sent, or BEGIN) runs once more on a new connection. */
bool db_refresh(struct db *db, struct error *err);

/* Run one parameterised statement (params may be NULL for SQL NULL). Returns the rows,
 * or NULL with err set (see db_errors.c: only named conditions are 4xx, PostgreSQL's text
 * is logged, never passed on). Outside a transaction, a statement that loses a deadlock
 * or a serialization failure runs again a few times. Caller frees. */
struct db_rows *db_query(struct db *db, const char *sql, int nparams,
                         const char *const *params, struct error *err);
/* One statement of db_query_many; params as for db_query. */
struct db_statement {
    const char *sql;
    int nparams;
    const char *const *params;
};
#define DB_QUERY_MANY_MAX 8
/* Every statement of a db_query_many after the first starts with this comment: the
 * statement log does not show which statements shared a round trip, and the benchmark's
 * capture (tests/bench/perf/pgbench_variants.py) replays them together by it. */
#define DB_PIPELINED "/* pipelined */ "
/* Runs up to DB_QUERY_MANY_MAX statements in one round trip (one pipeline, one sync);
 * rows[i] gets the rows of statements[i]. Outside a transaction they share an implicit
 * one, so a conflict runs them again together, as db_query does its one. False with err,
 * every rows[i] NULL, when any of them failed. Caller frees each. */
bool db_query_many(struct db *db, const struct db_statement *statements, int n,
                   struct db_rows **rows, struct error *err);
/* One row of (bigint, bytea) sent through `copy_sql`, a "COPY table (a, b) FROM STDIN
 * (FORMAT binary)", in pieces: libpq never holds the whole value in its buffers. */
bool db_copy_id_and_bytes(struct db *db, const char *copy_sql, long long id,
                          const void *bytes, size_t len, struct error *err);
/* The first column of the first row, read in binary (a bytea's raw bytes), copied into a
 * buffer the caller frees; *found false (and NULL) when there is no row. */
void *db_query_blob(struct db *db, const char *sql, int nparams, const char *const *params,
                    size_t *len, bool *found, struct error *err);
/* Run statements without parameters or results (may hold several; e.g. a migration). */
bool db_exec(struct db *db, const char *sql, struct error *err);

/* Who is acting, for the database's row-level security (sql/migrations/0010_*): the
 * context goes, as set_config(..., true), with the first statement of each transaction,
 * in the same pipeline as that statement, so it costs no round trip of its own. Without
 * a context the policies show nothing. `name` is a role ("principal", "officer", ...) or
 * a system context (DB_CONTEXT_*); ids are 0 when not bound; the flags say what the
 * policies let it reach beyond its own school or cluster (db/db_context.c sets them). */
struct db_context {
    const char *name;
    int user_id, school_id, cluster_id, division_id;
    bool reads_all;        /* every school's issues, their history and states */
    bool writes_all;       /* changes and history on every school's issues */
    bool sees_internal;    /* internal notes */
};
#define DB_CONTEXT_SIGN_IN "sign_in"     /* sessions and the sign-in lookup, before a user */
#define DB_CONTEXT_SWEEP   "sweep"       /* the SLA sweep */
#define DB_CONTEXT_REPORT  "report"      /* `directline report`: reads the whole Department */
#define DB_CONTEXT_USER_CLI "user_cli"   /* `directline user`: adds a user */
#define DB_CONTEXT_DEMO    "demo"        /* `directline demo`, as the owner */
#define DB_CONTEXT_MIGRATE "migrate"     /* `directline migrate`, as the owner */
#define DB_CONTEXT_DELIVER "deliver"     /* `directline deliver`: notification emails */
/* Sets (a copy of) the context, or none with NULL; it applies from the next transaction
 * or, inside one, from the next statement. */
void db_set_context(struct db *db, const struct db_context *ctx);

/* BEGIN is sent with the transaction's first statement, not on its own. */
bool db_begin(struct db *db, struct error *err);
bool db_commit(struct db *db, struct error *err);
/* Roll back whatever is open; safe to call when nothing is. */
void db_rollback(struct db *db);
bool db_in_transaction(struct db *db);

int db_rows_count(const struct db_rows *rows);
/* The text of a column by name, NULL for SQL NULL. The column must exist (a programming
 * error aborts). Valid until db_rows_free. Each result remembers the columns it has found
 * by the name's address, checking the text on each hit, so string literals are fastest. */
const char *db_rows_get(const struct db_rows *rows, int row, const char *column);
long long db_rows_int(const struct db_rows *rows, int row, const char *column);
bool db_rows_bool(const struct db_rows *rows, int row, const char *column);
/* For many rows: a column's number once (it must exist, as above), then values by number. */
int db_rows_column(const struct db_rows *rows, const char *column);
const char *db_rows_value(const struct db_rows *rows, int row, int column);
void db_rows_free(struct db_rows *rows);

#endif
