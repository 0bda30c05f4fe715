/* db.c -- libpq behind a small interface: connect, parameterised statements, rows by
 * column name, transactions; a connection the server closed is replaced before it fails a
 * statement that could safely run again (db_errors.c says what a failure means). */
#include "db/db.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_errors.h"
#include "util/log.h"
#include "util/xalloc.h"

struct db {
    PGconn *conn;
    /* Borrowed and not used yet: a first statement that cannot have changed anything
     * may be run again on a new connection when this one turns out to be dead. */
    bool fresh;
};

struct db_rows {
    PGresult *res;
};

#define CONFLICT_RETRIES 3

static void set_error_from_result(struct error *err, PGconn *conn, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    /* PostgreSQL's words are for the log only; the client hears ours. */
    log_warn("database: %s%s%s%s%s", state ? state : "", state ? " " : "",
             constraint ? constraint : "", constraint ? " " : "", msg);
    db_error_classify(err, state, constraint);
}

/* Server notices ("relation already exists, skipping") are not errors; keep them quiet. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* What every session needs before its first statement; again after a reconnect. */
static void session_setup(PGconn *conn)
{
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    /* Every session speaks UTC internally; times leave via dl_time() in local time. */
    PGresult *res = PQexec(conn, "SET TIME ZONE 'UTC'");
    PQclear(res);
}

static struct db *open_db(const char *url, bool quiet, struct error *err);

struct db *db_connect(const char *url, struct error *err)
{
    return open_db(url, false, err);
}

struct db *db_connect_optional(const char *url)
{
    struct error ignored = {0};
    return open_db(url, true, &ignored);
}

static struct db *open_db(const char *url, bool quiet, struct error *err)
{
    /* A database that does not answer must not hang a request or a shutdown for long;
     * a connect_timeout in the URL itself still wins (expand_dbname reads it after). */
    const char *const keywords[] = {"connect_timeout", "dbname", NULL};
    const char *const values[] = {"10", url, NULL};
    PGconn *conn = PQconnectdbParams(keywords, values, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
        if (!quiet)
            log_error("database connection failed: %s", PQerrorMessage(conn));
        PQfinish(conn);
        error_set(err, ERR_UNAVAILABLE, DB_UNAVAILABLE_MESSAGE);
        return NULL;
    }
    session_setup(conn);
    struct db *db = xmalloc(sizeof *db);
    db->conn = conn;
    db->fresh = false;
    return db;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    PQfinish(db->conn);
    free(db);
}

bool db_healthy(struct db *db)
{
    return PQstatus(db->conn) == CONNECTION_OK;
}

/* The same connection parameters, a new session. */
static bool reconnect(struct db *db, struct error *err)
{
    PQreset(db->conn);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        log_error("database connection failed: %s", PQerrorMessage(db->conn));
        return error_set(err, ERR_UNAVAILABLE, DB_UNAVAILABLE_MESSAGE);
    }
    session_setup(db->conn);
    return true;
}

/* PostgreSQL sends nothing unasked on an idle connection except a notice that it is
 * ending the session, followed by the end of the stream: anything to read, a hang-up or
 * an error on the socket means the session is over (e.g. the server restarted). */
static bool idle_socket_stale(PGconn *conn)
{
    struct pollfd pfd = {.fd = PQsocket(conn), .events = POLLIN};
    if (pfd.fd < 0)
        return true;
    return poll(&pfd, 1, 0) != 0;
}

bool db_refresh(struct db *db, struct error *err)
{
    db->fresh = true;
    if (PQstatus(db->conn) == CONNECTION_OK && PQtransactionStatus(db->conn) == PQTRANS_IDLE &&
        !idle_socket_stale(db->conn))
        return true;
    log_warn("database: a pooled connection was closed by the server; reconnecting");
    return reconnect(db, err);
}

/* A first statement on a borrowed connection that died under it may run again on a new
 * one when it cannot have changed anything: it was never sent (no result at all), or it
 * changes nothing by itself (BEGIN). */
static bool may_run_again(struct db *db, const PGresult *res, bool harmless)
{
    return db->fresh && PQstatus(db->conn) != CONNECTION_OK && (res == NULL || harmless);
}

static bool failed(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    return st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && st != PGRES_EMPTY_QUERY;
}

/* One statement, text or binary results. Outside a transaction a statement is a
 * transaction of its own: when it loses to another in a serialization failure or a
 * deadlock it was rolled back whole, and it runs again (a few times) before giving up. */
static PGresult *run_params(struct db *db, const char *sql, int nparams,
                            const char *const *params, int binary)
{
    bool alone = PQtransactionStatus(db->conn) == PQTRANS_IDLE;
    PGresult *res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, binary);
    for (int tries = 0; alone && tries < CONFLICT_RETRIES && failed(res) &&
                        db_error_is_conflict(PQresultErrorField(res, PG_DIAG_SQLSTATE));
         tries++) {
        PQclear(res);
        res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, binary);
    }
    if (failed(res) && may_run_again(db, res, false)) {
        struct error ignored = {0};
        PQclear(res);
        res = reconnect(db, &ignored)
                  ? PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, binary)
                  : NULL;
    }
    db->fresh = false;
    return res;
}

struct db_rows *db_query(struct db *db, const char *sql, int nparams,
                         const char *const *params, struct error *err)
{
    PGresult *res = run_params(db, sql, nparams, params, 0);
    if (failed(res)) {
        set_error_from_result(err, db->conn, res);
        PQclear(res);
        return NULL;
    }
    struct db_rows *rows = xmalloc(sizeof *rows);
    rows->res = res;
    return rows;
}

/* Several statements in one string need the simple protocol (PQexec). */
static bool exec_simple(struct db *db, const char *sql, bool harmless, struct error *err)
{
    PGresult *res = PQexec(db->conn, sql);
    if (failed(res) && may_run_again(db, res, harmless)) {
        struct error ignored = {0};
        PQclear(res);
        res = reconnect(db, &ignored) ? PQexec(db->conn, sql) : NULL;
    }
    db->fresh = false;
    bool ok = !failed(res);
    if (!ok)
        set_error_from_result(err, db->conn, res);
    PQclear(res);
    return ok;
}

bool db_exec(struct db *db, const char *sql, struct error *err)
{
    return exec_simple(db, sql, false, err);
}

bool db_begin(struct db *db, struct error *err)
{
    return exec_simple(db, "BEGIN", true, err);
}

bool db_commit(struct db *db, struct error *err)
{
    return db_exec(db, "COMMIT", err);
}

void db_rollback(struct db *db)
{
    if (PQtransactionStatus(db->conn) == PQTRANS_IDLE)
        return;
    PGresult *res = PQexec(db->conn, "ROLLBACK");
    PQclear(res);
}

bool db_in_transaction(struct db *db)
{
    return PQtransactionStatus(db->conn) != PQTRANS_IDLE;
}

int db_rows_count(const struct db_rows *rows)
{
    return PQntuples(rows->res);
}

int db_rows_column(const struct db_rows *rows, const char *column)
{
    int col = PQfnumber(rows->res, column);
    if (col < 0) {
        log_error("programming error: no column \"%s\" in result", column);
        abort();
    }
    return col;
}

const char *db_rows_value(const struct db_rows *rows, int row, int column)
{
    if (PQgetisnull(rows->res, row, column))
        return NULL;
    return PQgetvalue(rows->res, row, column);
}

const char *db_rows_get(const struct db_rows *rows, int row, const char *column)
{
    return db_rows_value(rows, row, db_rows_column(rows, column));
}

long long db_rows_int(const struct db_rows *rows, int row, const char *column)
{
    const char *v = db_rows_get(rows, row, column);
    return v ? strtoll(v, NULL, 10) : 0;
}

bool db_rows_bool(const struct db_rows *rows, int row, const char *column)
{
    const char *v = db_rows_get(rows, row, column);
    return v && v[0] == 't';
}

void db_rows_free(struct db_rows *rows)
{
    if (!rows)
        return;
    PQclear(rows->res);
    free(rows);
}

/* --- binary data (attachments) ----------------------------------------------------------- */

#define COPY_PIECE (256 * 1024)

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* The binary COPY stream: signature, flags and header extension, then a tuple of two
 * fields (an 8-byte integer, then the bytes), then the end marker. */
static bool copy_send(PGconn *conn, long long id, const unsigned char *bytes, size_t len)
{
    unsigned char head[19 + 2 + 4 + 8 + 4] = "PGCOPY\n\377\r\n";
    unsigned char *p = head + 11;
    put_be32(p, 0);                      /* flags */
    put_be32(p + 4, 0);                  /* header extension length */
    p[8] = 0;
    p[9] = 2;                            /* fields in the tuple */
    put_be32(p + 10, 8);
    put_be32(p + 14, (uint32_t)((unsigned long long)id >> 32));
    put_be32(p + 18, (uint32_t)id);
    put_be32(p + 22, (uint32_t)len);
    if (PQputCopyData(conn, (const char *)head, sizeof head) != 1)
        return false;
    for (size_t at = 0; at < len; at += COPY_PIECE) {
        size_t n = len - at < COPY_PIECE ? len - at : COPY_PIECE;
        if (PQputCopyData(conn, (const char *)bytes + at, (int)n) != 1)
            return false;
    }
    return PQputCopyData(conn, "\377\377", 2) == 1;
}

bool db_copy_id_and_bytes(struct db *db, const char *copy_sql, long long id,
                          const void *bytes, size_t len, struct error *err)
{
    if (len > INT32_MAX)
        return error_set(err, ERR_INTERNAL, "a value over 2 GiB cannot be copied");
    db->fresh = false;
    PGresult *res = PQexec(db->conn, copy_sql);
    bool started = PQresultStatus(res) == PGRES_COPY_IN;
    if (!started)
        set_error_from_result(err, db->conn, res);
    PQclear(res);
    if (!started)
        return false;
    bool sent = copy_send(db->conn, id, bytes, len);
    PQputCopyEnd(db->conn, sent ? NULL : "the client could not send the data");
    bool ok = true;
    while ((res = PQgetResult(db->conn)) != NULL) {
        if (ok && PQresultStatus(res) != PGRES_COMMAND_OK) {
            set_error_from_result(err, db->conn, res);
            ok = false;
        }
        PQclear(res);
    }
    if (ok && !sent)
        error_set(err, ERR_UNAVAILABLE, DB_UNAVAILABLE_MESSAGE);
    return ok && sent;
}

void *db_query_blob(struct db *db, const char *sql, int nparams, const char *const *params,
                    size_t *len, bool *found, struct error *err)
{
    *len = 0;
    *found = false;
    PGresult *res = run_params(db, sql, nparams, params, 1);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        set_error_from_result(err, db->conn, res);
        PQclear(res);
        return NULL;
    }
    void *copy = NULL;
    if (PQntuples(res) > 0 && PQnfields(res) > 0 && !PQgetisnull(res, 0, 0)) {
        *len = (size_t)PQgetlength(res, 0, 0);
        copy = xmalloc(*len ? *len : 1);
        memcpy(copy, PQgetvalue(res, 0, 0), *len);
        *found = true;
    }
    PQclear(res);
    return copy;
}
