/* sla_api.c -- SLA policies and the working calendar over HTTP. A PUT replaces the whole
 * set in one transaction; due times of issues already filed are not recomputed. */
#include "api/sla_api.h"

#include <stdio.h>
#include <string.h>

#include "api/admin_api.h"
#include "api/json_input.h"
#include "api/json_item.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "db/sla_store.h"
#include "domain/validate.h"

static bool require_admin(struct exchange *ex)
{
    if (ex->user.actor.role == ROLE_ADMIN)
        return true;
    reply_problem(ex, ERR_FORBIDDEN, "Only an admin can change SLA policies and the calendar.");
    return false;
}

/* Each row's columns as strings, except those named in `numbers`. */
static cJSON *rows_json(const struct db_rows *rows, const char *const *columns,
                        const char *const *numbers)
{
    cJSON *list = cJSON_CreateArray();
    for (int i = 0; i < db_rows_count(rows); i++) {
        cJSON *item = cJSON_CreateObject();
        for (const char *const *c = columns; *c; c++)
            cJSON_AddStringToObject(item, *c, db_rows_get(rows, i, *c));
        for (const char *const *n = numbers; *n; n++)
            cJSON_AddNumberToObject(item, *n, (double)db_rows_int(rows, i, *n));
        cJSON_AddItemToArray(list, item);
    }
    return list;
}

static void reply_policies(struct exchange *ex)
{
    static const char *const text[] = {"priority", "clock", NULL};
    static const char *const numbers[] = {"first_response_hours", "resolution_hours", NULL};
    struct error err = {0};
    struct db_rows *rows = db_sla_policy_rows(ex->db, &err);
    if (!rows) {
        reply_error(ex, &err);
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddItemToObject(doc, "items", rows_json(rows, text, numbers));
    db_rows_free(rows);
    reply_json(ex, 200, doc);
}

void sla_policies_get(struct exchange *ex)
{
    struct error err = {0};
    if (!api_db(ex, &err)) {
        reply_error(ex, &err);
        return;
    }
    reply_policies(ex);
}

/* One policy object; fills policies[priority] and marks it seen. */
static void read_policy(const cJSON *item, int index, struct sla_policy *policies, bool *seen,
                        struct error *err)
{
    static const char *const allowed[] = {"priority", "first_response_hours",
                                          "resolution_hours", "clock", NULL};
    char label[48];
    snprintf(label, sizeof label, "items[%d]", index);
    if (!cJSON_IsObject(item)) {
        error_field(err, label, "not_object", "must be an object");
        return;
    }
    json_keys_allowed(item, allowed, label, err);
    const char *name = NULL, *clock = NULL;
    enum priority p;
    struct sla_policy policy = {0};
    char field[80];
    snprintf(field, sizeof field, "%s.priority", label);
    if (!json_item_string(item, label, "priority", 16, &name, err) ||
        !priority_parse(name, &p)) {
        if (name)
            error_field(err, field, "invalid_value", "must be one of low, normal, high, urgent");
        return;
    }
    if (seen[p])
        error_field(err, field, "repeated", "%s appears more than once", name);
    seen[p] = true;
    snprintf(field, sizeof field, "%s.first_response_hours", label);
    json_int_field(item, "first_response_hours", field, 1, 8784, &policy.first_response_hours, err);
    snprintf(field, sizeof field, "%s.resolution_hours", label);
    json_int_field(item, "resolution_hours", field, 1, 8784, &policy.resolution_hours, err);
    snprintf(field, sizeof field, "%s.clock", label);
    if (json_item_string(item, label, "clock", 16, &clock, err) &&
        !sla_clock_parse(clock, &policy.clock))
        error_field(err, field, "invalid_value", "must be calendar or working");
    const char *reason = NULL;
    if (!error_is_set(err) && !sla_policy_valid(&policy, &reason))
        error_field(err, label, "invalid_value", "%s", reason);
    policies[p] = policy;
}

cJSON *sla_policies_body(const struct exchange *ex, struct sla_policy *policies,
                         struct error *err)
{
    static const char *const allowed[] = {"items", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(doc, "items");
    bool seen[PRIORITY_COUNT] = {false};
    if (!cJSON_IsArray(items)) {
        error_field(err, "items", "not_array", "must be a list of the four priorities' policies");
        return doc;
    }
    int index = 0;
    for (const cJSON *item = items->child; item; item = item->next)
        read_policy(item, index++, policies, seen, err);
    for (int p = 0; p < PRIORITY_COUNT; p++)
        if (!seen[p] && !error_is_set(err))
            error_field(err, "items", "missing_item",
                        "has no policy for %s", priority_name((enum priority)p));
    return doc;
}

void sla_policies_put(struct exchange *ex)
{
    struct error err = {0};
    struct sla_policy policies[PRIORITY_COUNT];
    if (!require_admin(ex))
        return;
    cJSON *doc = sla_policies_body(ex, policies, &err);
    bool ok = !error_is_set(&err) && api_db(ex, &err) &&
              db_begin(ex->db, &err) && audit_sla_change(ex, policies, &err);
    for (int p = 0; ok && p < PRIORITY_COUNT; p++)
        ok = db_sla_policy_set(ex->db, (enum priority)p, &policies[p], &err);
    ok = ok && db_commit(ex->db, &err);
    cJSON_Delete(doc);
    if (!ok) {
        if (ex->db)
            db_rollback(ex->db);
        reply_failure(ex, &err, "The SLA policies cannot be saved as sent; see errors.");
        return;
    }
    reply_policies(ex);
}
