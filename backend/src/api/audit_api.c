/* audit_api.c -- GET /api/audit, and writing the audit row of an admin change. */
#include "api/admin_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/keyset_page.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "db/audit_store.h"
#include "domain/validate.h"

#define AUDIT_DEFAULT_LIMIT 50
#define AUDIT_MAX_LIMIT 200

bool admin_require(struct exchange *ex)
{
    if (ex->user.actor.role == ROLE_ADMIN)
        return true;
    struct error err = {0};
    error_coded(&err, ERR_FORBIDDEN, "admins_only", "Only an admin can do this.");
    reply_error(ex, &err);
    return false;
}

bool audit_record(struct exchange *ex, const char *action, const char *target,
                  cJSON *details, struct error *err)
{
    char *text = cJSON_PrintUnformatted(details);
    cJSON_Delete(details);
    if (!text)
        abort();   /* cJSON fails only when out of memory */
    bool ok = db_audit_write(ex->db, ex->user.actor.user_id, action, target, text, err);
    cJSON_free(text);
    return ok;
}

void audit_change(cJSON *details, const char *field, cJSON *from, cJSON *to)
{
    cJSON *change = cJSON_AddObjectToObject(details, field);
    cJSON_AddItemToObject(change, "from", from ? from : cJSON_CreateNull());
    cJSON_AddItemToObject(change, "to", to ? to : cJSON_CreateNull());
}

void audit_change_text(cJSON *details, const char *field, const char *from, const char *to)
{
    audit_change(details, field, from ? cJSON_CreateString(from) : NULL,
                 to ? cJSON_CreateString(to) : NULL);
}

/* An action name as stored: "user.create". */
static bool action_shaped(const char *s)
{
    const char *dot = strchr(s, '.');
    size_t len = strlen(s);
    return dot && dot != s && dot[1] && len <= 65 &&
           strspn(s, "abcdefghijklmnopqrstuvwxyz_.") == len && !strchr(dot + 1, '.');
}

static void read_filter(const struct exchange *ex, struct audit_filter *f, struct error *err)
{
    static const char *const allowed[] = {"actor", "action", "target", "limit", "cursor", NULL};
    if (!query_check_names(ex, allowed, err))
        return;
    f->actor = exchange_query(ex, "actor");
    if (f->actor)
        validate_login(err, "actor", f->actor);
    f->action = exchange_query(ex, "action");
    if (f->action && !action_shaped(f->action))
        error_field(err, "action", "invalid_format", "must look like user.create");
    f->target = exchange_query(ex, "target");
    if (f->target)
        validate_text(err, "target", f->target, 200);
    f->limit = query_limit(ex, AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT, err);
    f->before_id = query_id_cursor(ex, "cursor", err);
}

static cJSON *event_json(const struct db_rows *rows, int i, const void *unused)
{
    (void)unused;
    cJSON *item = cJSON_CreateObject();
    cJSON_AddNumberToObject(item, "id", (double)db_rows_int(rows, i, "id"));
    const char *login = db_rows_get(rows, i, "actor_login");
    if (login) {
        cJSON *actor = cJSON_AddObjectToObject(item, "actor");
        cJSON_AddStringToObject(actor, "login", login);
        cJSON_AddStringToObject(actor, "name", db_rows_get(rows, i, "actor_name"));
    } else {
        cJSON_AddNullToObject(item, "actor");
    }
    cJSON_AddStringToObject(item, "action", db_rows_get(rows, i, "action"));
    cJSON_AddStringToObject(item, "target", db_rows_get(rows, i, "target"));
    cJSON *details = cJSON_Parse(db_rows_get(rows, i, "details"));
    cJSON_AddItemToObject(item, "details", details ? details : cJSON_CreateObject());
    cJSON_AddStringToObject(item, "created_at", db_rows_get(rows, i, "created_at"));
    return item;
}

void audit_list(struct exchange *ex)
{
    struct error err = {0};
    struct audit_filter f = {0};
    struct db_rows *rows = NULL;
    if (!admin_require(ex))
        return;
    read_filter(ex, &f, &err);
    if (error_is_set(&err) || !api_db(ex, &err) || !(rows = db_audit_list(ex->db, &f, &err))) {
        reply_failure(ex, &err, "The audit log cannot be filtered as asked; see errors.");
        return;
    }
    reply_json(ex, 200, keyset_page_json(rows, f.limit, event_json, NULL, "id", NULL));
    db_rows_free(rows);
}
