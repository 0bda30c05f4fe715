/* webhooks_api.c -- the Department's webhook endpoints (webhooks_api.h). Only admins
 * register, switch and read them; each change is in the audit log. The secret is shown
 * once, in the answer to the registration: it is the key of every signature
 * (docs/notifications.md, "Webhooks"). */
#include "api/webhooks_api.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/json_input.h"
#include "api/keyset_page.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "db/audit_store.h"
#include "db/webhook_store.h"
#include "domain/webhook_url.h"

#define DELIVERIES_DEFAULT_LIMIT 50
#define DELIVERIES_MAX_LIMIT 200

static bool admin_only(struct exchange *ex)
{
    if (ex->user.actor.role == ROLE_ADMIN)
        return true;
    reply_problem(ex, ERR_FORBIDDEN, "Only an admin manages the Department's webhooks.");
    return false;
}

cJSON *webhook_new_body(const struct exchange *ex, const char **url, const char **description,
                        struct error *err)
{
    static const char *const allowed[] = {"url", "description", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    if (json_string_field(doc, "url", true, false, false, WEBHOOK_URL_MAX, url, err)) {
        const char *problem = webhook_url_problem(*url);
        if (problem)
            error_field(err, "url", "invalid_url", "%s", problem);
    }
    json_string_field(doc, "description", true, false, false, 200, description, err);
    return doc;
}

cJSON *webhook_patch_body(const struct exchange *ex, bool *active, struct error *err)
{
    static const char *const allowed[] = {"active", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (doc && !json_has(doc, "active"))
        error_field(err, "active", "required", "is required: true or false");
    else if (doc)
        json_bool_field(doc, "active", active, err);
    return doc;
}

static cJSON *webhook_json(const struct db_rows *rows, int row)
{
    cJSON *item = cJSON_CreateObject();
    cJSON_AddNumberToObject(item, "id", (double)db_rows_int(rows, row, "id"));
    cJSON_AddStringToObject(item, "url", db_rows_get(rows, row, "url"));
    cJSON_AddStringToObject(item, "description", db_rows_get(rows, row, "description"));
    cJSON_AddBoolToObject(item, "active", db_rows_bool(rows, row, "active"));
    cJSON_AddStringToObject(item, "created_at", db_rows_get(rows, row, "created_at"));
    json_add_text_or_null(item, "created_by", db_rows_get(rows, row, "created_by"));
    cJSON_AddNumberToObject(item, "pending", (double)db_rows_int(rows, row, "pending"));
    cJSON_AddNumberToObject(item, "given_up", (double)db_rows_int(rows, row, "given_up"));
    json_add_text_or_null(item, "last_delivered_at", db_rows_get(rows, row, "last_delivered_at"));
    return item;
}

void webhooks_list(struct exchange *ex)
{
    struct error err = {0};
    static const char *const none[] = {NULL};
    if (!admin_only(ex))
        return;
    struct db_rows *rows = query_check_names(ex, none, &err) && api_db(ex, &err)
                               ? db_webhooks_list(ex->db, &err) : NULL;
    if (!rows) {
        reply_failure(ex, &err, "The webhooks cannot be listed as asked; see errors.");
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    for (int i = 0; i < db_rows_count(rows); i++)
        cJSON_AddItemToArray(items, webhook_json(rows, i));
    db_rows_free(rows);
    reply_json(ex, 200, doc);
}

/* Registers and audits in one transaction; the new row with its secret, or NULL. */
static struct db_rows *register_endpoint(struct exchange *ex, const char *url,
                                         const char *description, struct error *err)
{
    unsigned char key[32];
    char secret[65], details[64];
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(secret, sizeof secret, key, sizeof key);
    sodium_memzero(key, sizeof key);
    struct db_rows *rows = NULL;
    if (api_db(ex, err) && db_begin(ex->db, err) &&
        (rows = db_webhook_add(ex->db, url, description, secret, ex->user.actor.user_id, err))) {
        snprintf(details, sizeof details, "{\"id\": %lld}", db_rows_int(rows, 0, "id"));
        if (!db_audit_write(ex->db, ex->user.actor.user_id, "webhook.add", url, details, err) ||
            !db_commit(ex->db, err)) {
            db_rows_free(rows);
            rows = NULL;
        }
    }
    if (!rows && ex->db)
        db_rollback(ex->db);
    sodium_memzero(secret, sizeof secret);
    return rows;
}

void webhooks_create(struct exchange *ex)
{
    struct error err = {0};
    const char *url = NULL, *description = NULL;
    if (!admin_only(ex))
        return;
    cJSON *doc = webhook_new_body(ex, &url, &description, &err);
    struct db_rows *rows = error_is_set(&err) ? NULL
                                              : register_endpoint(ex, url, description, &err);
    if (rows) {
        cJSON *item = webhook_json(rows, 0);
        cJSON_AddStringToObject(item, "secret", db_rows_get(rows, 0, "secret"));
        ex->response_secret = true;
        reply_json(ex, 201, item);
    } else {
        reply_failure(ex, &err, "The webhook cannot be registered as sent; see errors.");
    }
    db_rows_free(rows);
    cJSON_Delete(doc);
}

void webhooks_patch(struct exchange *ex)
{
    struct error err = {0};
    bool active = false;
    if (!admin_only(ex))
        return;
    int id = exchange_path_id(ex);
    cJSON *doc = webhook_patch_body(ex, &active, &err);
    struct db_rows *rows = NULL;
    if (!error_is_set(&err) && api_db(ex, &err) && db_begin(ex->db, &err) &&
        (rows = db_webhook_set_active(ex->db, id, active, &err))) {
        bool found = db_rows_count(rows) == 1;
        if (!found)
            error_set(&err, ERR_NOT_FOUND, "There is no webhook %d.", id);
        else if (!db_audit_write(ex->db, ex->user.actor.user_id, "webhook.change",
                                 db_rows_get(rows, 0, "url"),
                                 active ? "{\"active\": true}" : "{\"active\": false}", &err))
            found = false;
        if (!found || !db_commit(ex->db, &err)) {
            db_rows_free(rows);
            rows = NULL;
        }
    }
    if (!rows && ex->db)
        db_rollback(ex->db);
    if (rows)
        reply_json(ex, 200, webhook_json(rows, 0));
    else
        reply_failure(ex, &err, "The webhook cannot be changed as sent; see errors.");
    db_rows_free(rows);
    cJSON_Delete(doc);
}

static cJSON *delivery_json(const struct db_rows *rows, int row, const void *context)
{
    (void)context;
    cJSON *item = cJSON_CreateObject();
    cJSON_AddNumberToObject(item, "id", (double)db_rows_int(rows, row, "id"));
    char event[32];
    snprintf(event, sizeof event, "evt_%s", db_rows_get(rows, row, "event_id"));
    cJSON_AddStringToObject(item, "event_id", event);
    cJSON_AddStringToObject(item, "action", db_rows_get(rows, row, "action"));
    cJSON_AddStringToObject(item, "issue", db_rows_get(rows, row, "ref"));
    cJSON_AddStringToObject(item, "created_at", db_rows_get(rows, row, "created_at"));
    cJSON_AddNumberToObject(item, "attempts", (double)db_rows_int(rows, row, "attempts"));
    json_add_text_or_null(item, "delivered_at", db_rows_get(rows, row, "delivered_at"));
    json_add_text_or_null(item, "next_try_at", db_rows_get(rows, row, "due_at"));
    const char *status = db_rows_get(rows, row, "last_status");
    if (status)
        cJSON_AddNumberToObject(item, "last_status", atoi(status));
    else
        cJSON_AddNullToObject(item, "last_status");
    json_add_text_or_null(item, "last_error", db_rows_get(rows, row, "last_error"));
    return item;
}

void webhooks_deliveries(struct exchange *ex)
{
    static const char *const names[] = {"limit", "cursor", NULL};
    struct error err = {0};
    if (!admin_only(ex))
        return;
    int id = exchange_path_id(ex);
    bool exists = false;
    query_check_names(ex, names, &err);
    int limit = query_limit(ex, DELIVERIES_DEFAULT_LIMIT, DELIVERIES_MAX_LIMIT, &err);
    long long before = query_id_cursor(ex, "cursor", &err);
    struct db_rows *rows = NULL;
    if (!error_is_set(&err) && api_db(ex, &err) &&
        db_webhook_exists(ex->db, id, &exists, &err) &&
        (exists || error_set(&err, ERR_NOT_FOUND, "There is no webhook %d.", id)))
        rows = db_webhook_deliveries(ex->db, id, before, limit, &err);
    if (rows)
        reply_json(ex, 200, keyset_page_json(rows, limit, delivery_json, NULL, "id", NULL));
    else
        reply_failure(ex, &err, "The deliveries cannot be listed as asked; see errors.");
    db_rows_free(rows);
}
