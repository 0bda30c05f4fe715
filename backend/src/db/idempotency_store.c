/* idempotency_store.c -- the SQL of idempotency keys (see idempotency_store.h). */
#include "db/idempotency_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/xalloc.h"

#define TTL "interval '24 hours'"

static void int_text(int value, char out[16])
{
    snprintf(out, 16, "%d", value);
}

bool db_idempotency_lock(struct db *db, int user_id, const char *key, bool *got,
                         struct error *err)
{
    char user[16];
    int_text(user_id, user);
    const char *params[] = {user, key};
    struct db_rows *rows = db_query(db, "SELECT idempotency_lock($1, $2) AS got", 2, params,
                                    err);
    if (!rows)
        return false;
    *got = db_rows_bool(rows, 0, "got");
    db_rows_free(rows);
    return true;
}

void db_idempotency_unlock(struct db *db, int user_id, const char *key)
{
    struct error ignored = {0};
    char user[16];
    int_text(user_id, user);
    const char *params[] = {user, key};
    /* A broken connection has lost the lock with it: nothing to report. */
    db_rows_free(db_query(db, "SELECT pg_advisory_unlock($1, hashtext($2))", 2, params,
                          &ignored));
}

bool db_idempotency_find(struct db *db, int user_id, const char *key,
                         struct stored_response *out, struct error *err)
{
    char user[16];
    int_text(user_id, user);
    const char *params[] = {user, key};
    struct db_rows *rows = db_query(
        db, "SELECT encode(request_hash, 'hex') AS request_hash, status, location, body"
            "  FROM idempotency_keys"
            " WHERE user_id = $1 AND key = $2 AND created_at > now() - " TTL,
        2, params, err);
    if (!rows)
        return false;
    *out = (struct stored_response){.found = db_rows_count(rows) == 1};
    if (out->found) {
        snprintf(out->request_hash, sizeof out->request_hash, "%s",
                 db_rows_get(rows, 0, "request_hash"));
        out->status = (int)db_rows_int(rows, 0, "status");
        const char *location = db_rows_get(rows, 0, "location");
        out->location = location ? xstrdup(location) : NULL;
        out->body = xstrdup(db_rows_get(rows, 0, "body"));
    }
    db_rows_free(rows);
    return true;
}

bool db_idempotency_store(struct db *db, int user_id, const char *key,
                          const char *request_hash, int status, const char *location,
                          const char *body, struct error *err)
{
    char user[16], code[16];
    int_text(user_id, user);
    int_text(status, code);
    const char *params[] = {user, key, request_hash, code, location, body};
    /* The key's lock is held, so a conflict can only be with an expired row. */
    struct db_rows *rows = db_query(
        db, "INSERT INTO idempotency_keys (user_id, key, request_hash, status, location, body)"
            " VALUES ($1, $2, decode($3, 'hex'), $4, $5, $6)"
            " ON CONFLICT (user_id, key) DO UPDATE"
            "   SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status,"
            "       location = EXCLUDED.location, body = EXCLUDED.body, created_at = now()"
            " WHERE idempotency_keys.created_at <= now() - " TTL,
        6, params, err);
    bool ok = rows != NULL;
    db_rows_free(rows);
    return ok;
}

bool db_idempotency_purge(struct db *db, long long *deleted, struct error *err)
{
    struct db_rows *rows = db_query(
        db, "WITH gone AS (DELETE FROM idempotency_keys WHERE created_at <= now() - " TTL
            " RETURNING 1) SELECT count(*) AS n FROM gone", 0, NULL, err);
    if (!rows)
        return false;
    *deleted = db_rows_int(rows, 0, "n");
    db_rows_free(rows);
    return true;
}

void stored_response_free(struct stored_response *r)
{
    free(r->location);
    free(r->body);
    r->location = r->body = NULL;
}
