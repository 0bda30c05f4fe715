/* exchange.c -- the lifetime of an exchange's borrowed connection and response. */
#include "api/exchange.h"

#include "db/db_context.h"
#include "db/idempotency_store.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct db *api_db(struct exchange *ex, struct error *err)
{
    if (!ex->db)
        ex->db = db_pool_acquire(ex->app->pool, err);
    if (ex->db)
        exchange_act(ex, ex->db);
    return ex->db;
}

void exchange_act(const struct exchange *ex, struct db *db)
{
    db_act_as(db, ex->authenticated ? &ex->user.actor : NULL);
}

void exchange_release_db(struct exchange *ex)
{
    if (!ex->db)
        return;
    /* A session-level lock must not travel with the connection to another request; the
     * unlock needs a connection outside any failed transaction a handler left behind. */
    if (ex->idempotency.locked) {
        db_rollback(ex->db);
        db_idempotency_unlock(ex->db, ex->user.actor.user_id, ex->idempotency.key);
    }
    ex->idempotency.locked = false;
    db_set_context(ex->db, NULL);       /* the next borrower says who it is */
    db_pool_release(ex->app->pool, ex->db);
    ex->db = NULL;
}

void exchange_set_body(struct exchange *ex, char *body, size_t binary_len)
{
    free(ex->response_body);
    free(ex->response_gzip);
    ex->response_body = body;
    ex->response_len = binary_len;
    ex->response_gzip = NULL;
    ex->response_gzip_len = 0;
}

void exchange_set_gzip_body(struct exchange *ex, unsigned char *gzip, size_t len)
{
    exchange_set_body(ex, NULL, 0);
    ex->response_gzip = gzip;
    ex->response_gzip_len = len;
}

void exchange_finish(struct exchange *ex)
{
    exchange_release_db(ex);
    exchange_set_body(ex, NULL, 0);
    free(ex->location);
    free(ex->set_cookie);
    free(ex->disposition);
    exchange_drop_deferral(ex);
    ex->location = ex->set_cookie = ex->disposition = NULL;
    ex->response_secret = false;
}

void exchange_defer(struct exchange *ex, void (*run)(void *state),
                    void (*then)(struct exchange *ex, void *state),
                    void (*free_state)(void *state), void *state)
{
    ex->deferred = (struct exchange_deferral){run, then, free_state, state};
}

void exchange_drop_deferral(struct exchange *ex)
{
    if (ex->deferred.free_state)
        ex->deferred.free_state(ex->deferred.state);
    ex->deferred = (struct exchange_deferral){0};
}

const char *exchange_path_param(const struct exchange *ex, const char *name)
{
    if (!ex->path_param_name || strcmp(ex->path_param_name, name) != 0)
        return NULL;
    return ex->path_param;
}

int exchange_path_id(const struct exchange *ex)
{
    const char *text = exchange_path_param(ex, "id");
    long long id = text ? strtoll(text, NULL, 10) : 0;
    return id > 0 && id <= INT_MAX ? (int)id : 0;
}

const char *exchange_query(const struct exchange *ex, const char *key)
{
    for (int i = 0; i < ex->nquery; i++)
        if (strcmp(ex->query[i].key, key) == 0)
            return ex->query[i].value;
    return NULL;
}
