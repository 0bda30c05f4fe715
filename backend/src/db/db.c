/* db.c -- libpq behind a small interface: connect, parameterised statements, rows by
 * column name, transactions, and the one place where SQLSTATEs become error kinds. */
#include "db/db.h"

#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

struct db {
    PGconn *conn;
};

struct db_rows {
    PGresult *res;
};

/* Connection trouble and shutdowns are "try later"; the rest of class 08/57 too. */
static enum error_kind kind_from_sqlstate(const char *state)
{
    if (!state)
        return ERR_UNAVAILABLE;       /* no SQLSTATE: the connection itself failed */
    if (strcmp(state, "23505") == 0)
        return ERR_CONFLICT;          /* unique_violation */
    if (strncmp(state, "23", 2) == 0 || strncmp(state, "22", 2) == 0)
        return ERR_INVALID;           /* integrity or data exception */
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
        return ERR_UNAVAILABLE;       /* serialization failure, deadlock: try again */
    if (strcmp(state, "42501") == 0)
        return ERR_FORBIDDEN;         /* insufficient_privilege (append-only history) */
    if (strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0 ||
        strncmp(state, "53", 2) == 0)
        return ERR_UNAVAILABLE;
    return ERR_INTERNAL;
}

static void set_error_from_result(struct error *err, PGconn *conn, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    enum error_kind kind = kind_from_sqlstate(state);
    log_warn("database: %s%s%s", state ? state : "", state ? " " : "", msg);
    if (kind == ERR_UNAVAILABLE)
        error_set(err, kind, "The database is not available right now; try again shortly.");
    else if (kind == ERR_INTERNAL)
        error_set(err, kind, "The database refused the request.");
    else
        error_set(err, kind, "%.*s", (int)strcspn(msg, "\n"), msg);
}

/* Server notices ("relation already exists, skipping") are not errors; keep them quiet. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
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
        error_set(err, ERR_UNAVAILABLE, "The database is not available right now; try again shortly.");
        return NULL;
    }
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    /* Every session speaks UTC internally; times leave via dl_time() in local time. */
    PGresult *res = PQexec(conn, "SET TIME ZONE 'UTC'");
    PQclear(res);
    struct db *db = xmalloc(sizeof *db);
    db->conn = conn;
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

struct db_rows *db_query(struct db *db, const char *sql, int nparams,
                         const char *const *params, struct error *err)
{
    PGresult *res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        set_error_from_result(err, db->conn, res);
        PQclear(res);
        return NULL;
    }
    struct db_rows *rows = xmalloc(sizeof *rows);
    rows->res = res;
    return rows;
}

bool db_exec(struct db *db, const char *sql, struct error *err)
{
    PGresult *res = PQexec(db->conn, sql);
    ExecStatusType st = PQresultStatus(res);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
    if (!ok)
        set_error_from_result(err, db->conn, res);
    PQclear(res);
    return ok;
}

bool db_begin(struct db *db, struct error *err)
{
    return db_exec(db, "BEGIN", err);
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
        error_set(err, ERR_UNAVAILABLE, "The database is not available right now; try again shortly.");
    return ok && sent;
}

void *db_query_blob(struct db *db, const char *sql, int nparams, const char *const *params,
                    size_t *len, bool *found, struct error *err)
{
    *len = 0;
    *found = false;
    PGresult *res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 1);
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
