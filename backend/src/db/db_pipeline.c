/* db_pipeline.c -- statements by their prepared names in one round trip. PostgreSQL then
 * parses and plans a statement once per connection instead of once per use; a statement
 * seen for the first time goes as a PREPARE followed by its run, in the same pipeline, so
 * preparing costs no round trip either. A statement the cache has no room for runs
 * unnamed, as before. Prepared statements outlive transactions (a rollback keeps them). */
#include "db/db_pipeline.h"

#include <stdio.h>
#include <string.h>

/* How many statements set aside by the cache one round trip closes at most. */
#define CLOSE_MAX 4

enum item_kind { ITEM_CLOSE, ITEM_PREPARE, ITEM_RUN };

/* Each message that answers with a result, in the order sent. */
struct item {
    enum item_kind kind;
    int slot;             /* the cache's slot; -1: an unnamed statement */
    int statement;        /* ITEM_RUN: the caller's statement */
    PGresult *res;
};

struct pipeline {
    PGconn *conn;
    struct statement_cache *cache;
    struct item items[CLOSE_MAX + 2 * PIPELINE_MAX];
    int n;
    int closes;           /* items[0, closes) are the closes, in a sync of their own */
};

static const char *sqlstate(const PGresult *r)
{
    return r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
}

static bool state_is(const PGresult *r, const char *state)
{
    const char *s = sqlstate(r);
    return s && strcmp(s, state) == 0;
}

static bool succeeded(const PGresult *r)
{
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    return st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK || st == PGRES_EMPTY_QUERY;
}

/* In a pipeline, the statements after a failure come back aborted: not the cause. */
static bool is_cause(const PGresult *r)
{
    return r && !succeeded(r) && PQresultStatus(r) != PGRES_PIPELINE_ABORTED;
}

static struct item *push(struct pipeline *p, enum item_kind kind, int slot, int statement)
{
    struct item *it = &p->items[p->n++];
    *it = (struct item){.kind = kind, .slot = slot, .statement = statement};
    return it;
}

/* DEALLOCATE fails the transaction it runs in when the statement is missing, so the
 * closes go only outside a transaction, before a sync that ends their own. */
static bool send_closes(struct pipeline *p)
{
    int slots[CLOSE_MAX];
    if (PQtransactionStatus(p->conn) != PQTRANS_IDLE)
        return true;
    int n = statement_cache_to_close(p->cache, slots, CLOSE_MAX);
    for (int i = 0; i < n; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", statement_cache_name(p->cache, slots[i]));
        push(p, ITEM_CLOSE, slots[i], -1);
        if (PQsendQueryParams(p->conn, sql, 0, NULL, NULL, NULL, NULL, 0) != 1)
            return false;
    }
    p->closes = n;
    return n == 0 || PQpipelineSync(p->conn) == 1;
}

static bool send_statement(struct pipeline *p, int i, const struct db_statement *st,
                           int format)
{
    int slot = statement_cache_find(p->cache, st->sql);
    if (slot < 0 && (slot = statement_cache_add(p->cache, st->sql)) >= 0) {
        push(p, ITEM_PREPARE, slot, i);
        if (PQsendPrepare(p->conn, statement_cache_name(p->cache, slot), st->sql, st->nparams,
                          NULL) != 1)
            return false;
    }
    push(p, ITEM_RUN, slot, i);
    if (slot < 0)
        return PQsendQueryParams(p->conn, st->sql, st->nparams, NULL, st->params, NULL, NULL,
                                 format) == 1;
    return PQsendQueryPrepared(p->conn, statement_cache_name(p->cache, slot), st->nparams,
                               st->params, NULL, NULL, format) == 1;
}

/* A message's result: the first that comes; anything after it is cleared. */
static PGresult *next_result(PGconn *conn)
{
    PGresult *first = PQgetResult(conn), *r;
    if (first)
        while ((r = PQgetResult(conn)) != NULL)
            PQclear(r);
    return first;
}

static void read_sync(PGconn *conn)
{
    PGresult *r;
    while ((r = PQgetResult(conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        PQclear(r);
        if (st == PGRES_PIPELINE_SYNC || st == PGRES_FATAL_ERROR)
            break;
    }
}

static void read_all(struct pipeline *p)
{
    for (int i = 0; i < p->n; i++) {
        p->items[i].res = next_result(p->conn);
        if (i + 1 == p->closes)
            read_sync(p->conn);
    }
    read_sync(p->conn);
}

/* 0A000 is any "feature not supported"; the stale plan is the one the plan cache raises
 * when DDL changed a prepared statement's result type. Another 0A000 (a statement the
 * planner refuses) must not be prepared and run again on every request. */
static bool stale_plan(const PGresult *r)
{
    const char *where = r ? PQresultErrorField(r, PG_DIAG_SOURCE_FUNCTION) : NULL;
    return state_is(r, "0A000") && where && strcmp(where, "RevalidateCachedQuery") == 0;
}

/* Tells the cache how its PREPAREs and closes went, and which prepared statements the
 * server refused: 26000, it has no such statement (a DISCARD), or a stale plan. Returns
 * whether such a refusal happened. */
static bool settle(struct pipeline *p)
{
    bool stale = false;
    for (int i = 0; i < p->n; i++) {
        struct item *it = &p->items[i];
        if (it->kind == ITEM_CLOSE && (succeeded(it->res) || state_is(it->res, "26000")))
            statement_cache_closed(p->cache, it->slot);
        else if (it->kind == ITEM_PREPARE)
            statement_cache_prepared(p->cache, it->slot, succeeded(it->res));
        else if (it->kind == ITEM_RUN && it->slot >= 0 &&
                 (state_is(it->res, "26000") || stale_plan(it->res))) {
            statement_cache_drop(p->cache, it->slot, stale_plan(it->res));
            stale = true;
        }
    }
    return stale;
}

/* Hands the caller its results, or the first failure among its own messages (a close
 * that failed only counts when it lost the connection: it has no SQLSTATE). When sending
 * stopped early, some of the caller's statements were never sent: no success then. */
static void hand_over(struct pipeline *p, int statements, struct pipeline_reply *reply)
{
    int runs = 0;
    bool ok = true;
    for (int i = 0; i < p->n; i++) {
        struct item *it = &p->items[i];
        bool mine = it->kind != ITEM_CLOSE;
        runs += it->kind == ITEM_RUN;
        if (mine && !succeeded(it->res))
            ok = false;
        if (!reply->failure && is_cause(it->res) && (mine || !sqlstate(it->res))) {
            reply->failure = it->res;
            it->res = NULL;
        }
    }
    reply->ok = ok && runs == statements && statements > 0 && !reply->failure;
    for (int i = 0; i < p->n; i++) {
        struct item *it = &p->items[i];
        if (reply->ok && it->kind == ITEM_RUN) {
            reply->res[it->statement] = it->res;
            it->res = NULL;
        }
        PQclear(it->res);
    }
}

bool pipeline_run(PGconn *conn, struct statement_cache *cache, const struct db_statement *st,
                  int n, int format, struct pipeline_reply *reply)
{
    struct pipeline p = {.conn = conn, .cache = cache};
    *reply = (struct pipeline_reply){0};
    if (PQenterPipelineMode(conn) != 1)
        return false;               /* results of something else still pending: unusable */
    bool sent = send_closes(&p);
    for (int i = 0; sent && i < n; i++)
        sent = send_statement(&p, i, &st[i], format);
    sent = sent && PQpipelineSync(conn) == 1;
    if (sent)
        read_all(&p);
    bool left = PQexitPipelineMode(conn) == 1;
    reply->stale = settle(&p);
    hand_over(&p, n, reply);
    return left;
}

void pipeline_reply_clear(struct pipeline_reply *reply)
{
    for (int i = 0; i < PIPELINE_MAX; i++)
        PQclear(reply->res[i]);
    PQclear(reply->failure);
    *reply = (struct pipeline_reply){0};
}
