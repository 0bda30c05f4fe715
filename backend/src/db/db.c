/* db.c -- libpq behind a small interface: connect, parameterised statements (prepared
 * per connection and sent in pipelines by db_pipeline.c), rows by column name,
 * transactions; a connection the server closed is replaced before it fails a statement
 * that could safely run again (db_errors.c says what a failure means). */
#include "db/db.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_errors.h"
#include "db/db_pipeline.h"
#include "db/statement_cache.h"
#include "util/log.h"
#include "util/xalloc.h"

/* Transaction-local settings that the policies of 0010 read: who is acting, and what
 * it may reach. A cluster leader's transaction also carries the cluster's schools, so
 * that the policies compare a column with settings and look nothing up per row. */
#define CONTEXT_VALUES 8
#define CONTEXT_SQL_START \
    "SELECT set_config('directline.context', $1, true)," \
    " set_config('directline.user_id', $2, true)," \
    " set_config('directline.school_id', $3, true)," \
    " set_config('directline.cluster_id', $4, true)," \
    " set_config('directline.division_id', $5, true)," \
    " set_config('directline.reads', $6, true)," \
    " set_config('directline.writes', $7, true)," \
    " set_config('directline.internal', $8, true),"
/* Every context sets the schools, so a change of context inside a transaction leaves
 * none of a cluster leader's behind; only a cluster names a table (which `migrate` on an
 * empty database does not have yet). The reach (0021) is the schools whose issues the
 * reader reaches as a school: a principal's own, a cluster leader's cluster. */
#define CONTEXT_SQL CONTEXT_SQL_START " set_config('directline.schools', '', true)," \
    " set_config('directline.reach', CASE WHEN $3 = '' THEN '' ELSE '{' || $3 || '}' END, true)"
#define CLUSTER_CONTEXT_SQL CONTEXT_SQL_START \
    " set_config('directline.schools', s.ids, true), set_config('directline.reach', s.ids, true)" \
    " FROM (SELECT coalesce(array_agg(id), '{}')::text AS ids" \
    "       FROM schools WHERE cluster_id = $4::text::integer) AS s"

struct db {
    PGconn *conn;
    struct statement_cache *statements;   /* what this session has prepared */
    /* Borrowed and not used yet: a first statement that cannot have changed anything
     * may be run again on a new connection when this one turns out to be dead. */
    bool fresh;
    /* Row-level security context (see db_set_context and "the acting context" below). */
    bool has_context;
    bool context_sent;        /* already sent inside the transaction now open */
    bool begin_pending;       /* db_begin was called: BEGIN goes with the next statement */
    bool broken;              /* a pipeline could not be left: drop the connection */
    char context[CONTEXT_VALUES][24];  /* see CONTEXT_SQL; "" for 0 and false */
};

/* Callers name columns by string literals, row after row (a page of 50 issues asks for
 * some 1,700 values), and PQfnumber compares the name with every column's each time.
 * So each result remembers, by the name's address, the columns it has found: a literal
 * keeps its address, and another pointer with the same text only misses. A name looks in
 * COLUMN_MEMO_WAYS slots from its own: with one, the forty names of an issue row met in
 * a slot often enough that PQfnumber still took 1% of the server's time. */
#define COLUMN_MEMO_SLOTS 64   /* the top 6 bits of a spread address */
#define COLUMN_MEMO_WAYS 4
struct column_memo {
    const char *name;
    int column;
};

struct db_rows {
    PGresult *res;
    struct column_memo memo[COLUMN_MEMO_SLOTS];
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
    /* Every session speaks UTC internally; times leave in the Department's zone, by
     * dl_time() or as epoch microseconds the API writes (domain/department_time.c). */
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
    /* A database that does not answer must not hang a request or a shutdown for long:
     * connecting gives up after 10 s, and a host that vanishes without closing the
     * connection (frozen, or cut off by the network) is noticed by TCP keepalives and by
     * unacknowledged data within about a minute, not the kernel's hours. A long query
     * is not cut: a busy server still answers keepalives. The URL's own values win
     * (expand_dbname reads it after these). */
    const char *const keywords[] = {"connect_timeout", "keepalives_idle",
                                    "keepalives_interval", "keepalives_count",
                                    "tcp_user_timeout", "dbname", NULL};
    const char *const values[] = {"10", "30", "10", "3", "60000", url, NULL};
    PGconn *conn = PQconnectdbParams(keywords, values, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
        if (!quiet)
            log_error("database connection failed: %s", PQerrorMessage(conn));
        PQfinish(conn);
        error_set(err, ERR_UNAVAILABLE, DB_UNAVAILABLE_MESSAGE);
        return NULL;
    }
    session_setup(conn);
    struct db *db = xcalloc(1, sizeof *db);
    db->conn = conn;
    db->statements = statement_cache_new(STATEMENT_CACHE_SIZE);
    db->fresh = false;
    return db;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    PQfinish(db->conn);
    statement_cache_free(db->statements);
    free(db);
}

bool db_healthy(struct db *db)
{
    return !db->broken && PQstatus(db->conn) == CONNECTION_OK;
}

/* --- the acting context ---------------------------------------------------------------- */

static void id_text(char out[24], int id)
{
    if (id > 0)
        snprintf(out, 24, "%d", id);
    else
        out[0] = '\0';
}

void db_set_context(struct db *db, const struct db_context *ctx)
{
    char next[CONTEXT_VALUES][24] = {{0}};
    bool has = ctx && ctx->name && ctx->name[0];
    if (has) {
        snprintf(next[0], sizeof next[0], "%s", ctx->name);
        id_text(next[1], ctx->user_id);
        id_text(next[2], ctx->school_id);
        id_text(next[3], ctx->cluster_id);
        id_text(next[4], ctx->division_id);
        snprintf(next[5], sizeof next[5], "%s", ctx->reads_all ? "all" : "");
        snprintf(next[6], sizeof next[6], "%s", ctx->writes_all ? "all" : "");
        snprintf(next[7], sizeof next[7], "%s", ctx->sees_internal ? "on" : "");
    }
    /* The same context again (api_db is asked many times a request) is not sent again. */
    if (has == db->has_context && memcmp(next, db->context, sizeof next) == 0)
        return;
    memcpy(db->context, next, sizeof next);
    db->has_context = has;
    db->context_sent = false;
}

/* What must precede the next statement: BEGIN when db_begin is owed, and the context
 * when this transaction (or, outside one, this statement's implicit one) lacks it.
 * `anywhere` false: outside a transaction send nothing (db_exec's statements, which
 * may open a transaction themselves or touch no table). */
static void prologue(struct db *db, bool anywhere, bool *begin, bool *context)
{
    bool idle = PQtransactionStatus(db->conn) == PQTRANS_IDLE;
    if (idle)
        db->context_sent = false;        /* whatever was sent ended with its transaction */
    *begin = db->begin_pending;
    *context = db->has_context && !db->context_sent && (anywhere || *begin || !idle);
}

/* BEGIN, the context and the caller's statements as one pipeline with one sync: one
 * round trip (db_pipeline.c). Statements before a sync share one transaction even
 * without BEGIN, so the context's set_config(..., true) holds for autocommit statements
 * too. The caller's results start at reply->res[*first]. */
static void exec_pipelined(struct db *db, bool begin, bool context,
                           const struct db_statement *st, int n, int format,
                           struct pipeline_reply *reply, int *first)
{
    *first = 0;
    if (db->broken) {             /* a pipeline left unread: its results would be taken */
        *reply = (struct pipeline_reply){0};          /* for these: nothing came back */
        return;
    }
    const char *values[CONTEXT_VALUES];
    for (int i = 0; i < CONTEXT_VALUES; i++)
        values[i] = db->context[i];
    struct db_statement all[PIPELINE_MAX];
    int count = 0;
    if (begin)
        all[count++] = (struct db_statement){"BEGIN", 0, NULL};
    if (context)
        all[count++] = (struct db_statement){db->context[3][0] ? CLUSTER_CONTEXT_SQL : CONTEXT_SQL,
                                             CONTEXT_VALUES, values};
    *first = count;
    for (int i = 0; i < n; i++)
        all[count++] = st[i];
    if (!pipeline_run(db->conn, db->statements, all, count, format, reply))
        db->broken = true;
    if (begin)
        db->begin_pending = false;
    if (context && reply->ok && PQtransactionStatus(db->conn) != PQTRANS_IDLE)
        db->context_sent = true;
}

/* The statements with what must precede them (`anywhere`: see prologue). A prepared
 * statement the server refused as stale (dropped by a DISCARD, or its result type
 * changed by DDL) has been let go by the cache; when nothing else was lost with it --
 * outside a transaction, whose implicit one was undone whole, or when BEGIN rode along,
 * so the transaction is rolled back and owed again -- it is prepared afresh and run once
 * more. Inside a transaction already under way it fails like any error. */
static void exec_statements(struct db *db, bool anywhere, const struct db_statement *st,
                            int n, int format, struct pipeline_reply *reply, int *first)
{
    bool begin_owed = db->begin_pending;
    bool alone = !begin_owed && PQtransactionStatus(db->conn) == PQTRANS_IDLE;
    bool begin, context;
    prologue(db, anywhere, &begin, &context);
    exec_pipelined(db, begin, context, st, n, format, reply, first);
    if (!reply->stale || !(alone || begin_owed) || db->broken)
        return;
    pipeline_reply_clear(reply);
    if (PQtransactionStatus(db->conn) != PQTRANS_IDLE)
        PQclear(PQexec(db->conn, "ROLLBACK"));
    db->begin_pending = begin_owed;
    db->context_sent = false;
    prologue(db, anywhere, &begin, &context);
    exec_pipelined(db, begin, context, st, n, format, reply, first);
}

/* Before a statement that cannot ride in a pipeline (several statements, COPY): what
 * db_begin owes and the context, in one round trip of their own. False when that failed,
 * with *failure its result (NULL: nothing came back; the caller clears it). */
static bool flush_prologue(struct db *db, PGresult **failure)
{
    bool begin, context;
    *failure = NULL;
    prologue(db, false, &begin, &context);
    if (!begin && !context)
        return true;
    struct pipeline_reply reply;
    int first;
    exec_statements(db, false, NULL, 0, 0, &reply, &first);
    bool ok = reply.ok;
    *failure = reply.failure;
    reply.failure = NULL;
    pipeline_reply_clear(&reply);
    return ok;
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
    statement_cache_clear(db->statements);   /* a new session has nothing prepared */
    db->broken = false;          /* a pipeline left half-read went with the old session */
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
 * was to open its transaction (BEGIN rode in its pipeline), which the lost connection
 * rolled back before any commit. */
static bool may_run_again(struct db *db, const PGresult *res, bool opened_transaction)
{
    return db->fresh && PQstatus(db->conn) != CONNECTION_OK &&
           (res == NULL || opened_transaction);
}

/* A new session for a dead one, owing what the old one was owed: BEGIN when the failed
 * statement was to open the transaction, and the context. */
static bool restart_session(struct db *db, bool begin_owed, struct error *err)
{
    if (!reconnect(db, err))
        return false;
    db->begin_pending = begin_owed;
    db->context_sent = false;
    return true;
}

static bool failed(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    return st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && st != PGRES_EMPTY_QUERY;
}

static bool lost_conflict(const struct pipeline_reply *reply)
{
    return !reply->ok && reply->failure &&
           db_error_is_conflict(PQresultErrorField(reply->failure, PG_DIAG_SQLSTATE));
}

/* Statements in one round trip, text or binary results; the caller's results start at
 * reply->res[*first]. Outside a transaction they are a transaction of their own: when it
 * loses to another in a serialization failure or a deadlock it was rolled back whole,
 * and it runs again (a few times) before giving up. */
static void run_statements(struct db *db, const struct db_statement *st, int n, int binary,
                           struct pipeline_reply *reply, int *first)
{
    bool begin_owed = db->begin_pending;
    bool alone = !begin_owed && PQtransactionStatus(db->conn) == PQTRANS_IDLE;
    exec_statements(db, true, st, n, binary, reply, first);
    for (int tries = 0; alone && tries < CONFLICT_RETRIES && lost_conflict(reply); tries++) {
        pipeline_reply_clear(reply);
        exec_statements(db, true, st, n, binary, reply, first);
    }
    if (!reply->ok && may_run_again(db, reply->failure, begin_owed)) {
        struct error ignored = {0};
        pipeline_reply_clear(reply);
        if (restart_session(db, begin_owed, &ignored))
            exec_statements(db, true, st, n, binary, reply, first);
    }
    db->fresh = false;
}

/* The reply's failure as err (PostgreSQL's words to the log), the reply emptied. */
static void fail_with(struct db *db, struct pipeline_reply *reply, struct error *err)
{
    set_error_from_result(err, db->conn, reply->failure);
    pipeline_reply_clear(reply);
}

static struct db_rows *rows_of(PGresult *res)
{
    struct db_rows *rows = xcalloc(1, sizeof *rows);
    rows->res = res;
    return rows;
}

struct db_rows *db_query(struct db *db, const char *sql, int nparams,
                         const char *const *params, struct error *err)
{
    struct db_statement st = {sql, nparams, params};
    struct db_rows *rows = NULL;
    return db_query_many(db, &st, 1, &rows, err) ? rows : NULL;
}

bool db_query_many(struct db *db, const struct db_statement *statements, int n,
                   struct db_rows **rows, struct error *err)
{
    for (int i = 0; i < n; i++)
        rows[i] = NULL;
    if (n < 1 || n > DB_QUERY_MANY_MAX)
        return error_set(err, ERR_INTERNAL, "db_query_many: %d statements", n);
    struct pipeline_reply reply;
    int first;
    run_statements(db, statements, n, 0, &reply, &first);
    if (!reply.ok) {
        fail_with(db, &reply, err);
        return false;
    }
    for (int i = 0; i < n; i++) {
        rows[i] = rows_of(reply.res[first + i]);
        reply.res[first + i] = NULL;
    }
    pipeline_reply_clear(&reply);
    return true;
}

/* The prologue, then sql by the simple protocol (it may hold several statements); the
 * failing result (NULL: nothing came back) or sql's. */
static PGresult *simple_once(struct db *db, const char *sql)
{
    PGresult *failure = NULL;
    if (!flush_prologue(db, &failure))
        return failure;
    return PQexec(db->conn, sql);
}

static bool exec_simple(struct db *db, const char *sql, struct error *err)
{
    bool begin_owed = db->begin_pending;
    PGresult *res = simple_once(db, sql);
    if (failed(res) && may_run_again(db, res, begin_owed)) {
        struct error ignored = {0};
        PQclear(res);
        res = restart_session(db, begin_owed, &ignored) ? simple_once(db, sql) : NULL;
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
    return exec_simple(db, sql, err);
}

bool db_begin(struct db *db, struct error *err)
{
    (void)err;
    db->begin_pending = true;
    return true;
}

bool db_commit(struct db *db, struct error *err)
{
    if (db->begin_pending) {               /* nothing was run: nothing to commit */
        db->begin_pending = false;
        return true;
    }
    return exec_simple(db, "COMMIT", err);
}

void db_rollback(struct db *db)
{
    db->begin_pending = false;
    db->context_sent = false;
    if (PQtransactionStatus(db->conn) == PQTRANS_IDLE)
        return;
    PGresult *res = PQexec(db->conn, "ROLLBACK");
    PQclear(res);
}

bool db_in_transaction(struct db *db)
{
    return db->begin_pending || PQtransactionStatus(db->conn) != PQTRANS_IDLE;
}

int db_rows_count(const struct db_rows *rows)
{
    return PQntuples(rows->res);
}

/* The memo is the only thing a reader changes; rows belong to one request's thread. */
int db_rows_column(const struct db_rows *rows, const char *column)
{
    uint64_t spread = (uint64_t)(uintptr_t)column * 0x9E3779B97F4A7C15u;  /* Fibonacci */
    struct column_memo *memo = (struct column_memo *)rows->memo, *free_slot = NULL;
    for (unsigned way = 0; way < COLUMN_MEMO_WAYS; way++) {
        struct column_memo *slot = &memo[((spread >> 58) + way) % COLUMN_MEMO_SLOTS];
        if (column && slot->name == column &&
            strcmp(PQfname(rows->res, slot->column), column) == 0)   /* the same text still */
            return slot->column;
        if (!free_slot && !slot->name)
            free_slot = slot;
    }
    int col = PQfnumber(rows->res, column);
    if (col < 0) {
        log_error("programming error: no column \"%s\" in result", column);
        abort();
    }
    if (!free_slot)   /* all taken: the name's own slot changes hands */
        free_slot = &memo[spread >> 58];
    *free_slot = (struct column_memo){column, col};
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
    PGresult *failure = NULL;
    db->fresh = false;
    if (!flush_prologue(db, &failure)) {
        set_error_from_result(err, db->conn, failure);
        PQclear(failure);
        return false;
    }
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
    struct db_statement st = {sql, nparams, params};
    struct pipeline_reply reply;
    int first;
    run_statements(db, &st, 1, 1, &reply, &first);
    if (!reply.ok) {
        fail_with(db, &reply, err);
        return NULL;
    }
    const PGresult *res = reply.res[first];
    void *copy = NULL;
    if (PQntuples(res) > 0 && PQnfields(res) > 0 && !PQgetisnull(res, 0, 0)) {
        *len = (size_t)PQgetlength(res, 0, 0);
        copy = xmalloc(*len ? *len : 1);
        memcpy(copy, PQgetvalue(res, 0, 0), *len);
        *found = true;
    }
    pipeline_reply_clear(&reply);
    return copy;
}
