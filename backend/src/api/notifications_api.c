/* notifications_api.c -- GET /api/notifications?unread=&limit=&cursor= (unread first,
 * newest first within each; cursor "<0 unread|1 read>.<id>"), GET
 * /api/notifications/unread-count, POST /api/notifications/{id}/read and POST
 * /api/notifications/read-all ({"up_to": id, "issue": ref}, both optional), and GET or
 * PUT /api/me/notification-settings (one email each, or the day's digest). Everyone
 * signed in has a list of their own; nobody reaches another's (row-level security holds
 * it a second time). Who hears what is the trigger's (sql/migrations/0022_*). */
#include "api/notifications_api.h"

#include <stdlib.h>


#include "api/json_input.h"
#include "api/keyset_page.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "db/notification_store.h"
#include "domain/validate.h"

#define DEFAULT_LIMIT 30
#define MAX_LIMIT 100

static const char *const LIST_NAMES[] = {"unread", "limit", "cursor", NULL};

static bool read_filter(struct exchange *ex, struct notification_filter *f, struct error *err)
{
    query_check_names(ex, LIST_NAMES, err);
    f->user_id = ex->user.actor.user_id;
    f->unread_only = query_flag(ex, "unread", err) == 1;
    f->limit = query_limit(ex, DEFAULT_LIMIT, MAX_LIMIT, err);
    f->has_cursor = query_pair_cursor(ex, &f->cursor_read, &f->cursor_id, err);
    if (f->has_cursor && f->cursor_read > 1)
        error_field(err, "cursor", "invalid_cursor", "is not a cursor this server gave out");
    return !error_is_set(err);
}

/* The issue it is about; null for a decision's own notification. */
static void add_issue(cJSON *item, const struct db_rows *rows, int row)
{
    if (!db_rows_get(rows, row, "ref")) {
        cJSON_AddNullToObject(item, "issue");
        return;
    }
    cJSON *issue = cJSON_AddObjectToObject(item, "issue");
    cJSON_AddStringToObject(issue, "ref", db_rows_get(rows, row, "ref"));
    cJSON_AddStringToObject(issue, "title", db_rows_get(rows, row, "title"));
    cJSON_AddStringToObject(issue, "status", db_rows_get(rows, row, "status"));
    cJSON_AddStringToObject(issue, "school", db_rows_get(rows, row, "school"));
    cJSON_AddStringToObject(issue, "school_name", db_rows_get(rows, row, "school_name"));
}

/* The event of the history that caused it (null when none did), and who acted: null for
 * the system (the SLA sweep). */
static void add_event(cJSON *item, const struct db_rows *rows, int row)
{
    if (!db_rows_get(rows, row, "action")) {
        cJSON_AddNullToObject(item, "event");
        return;
    }
    cJSON *event = cJSON_AddObjectToObject(item, "event");
    cJSON_AddStringToObject(event, "action", db_rows_get(rows, row, "action"));
    json_add_text_or_null(event, "excerpt", db_rows_get(rows, row, "excerpt"));
    /* A co-signature names the school that joined (its event carries it). */
    const char *school = db_rows_get(rows, row, "cosigning_school");
    if (school) {
        cJSON *joined = cJSON_AddObjectToObject(event, "school");
        cJSON_AddStringToObject(joined, "code", school);
        cJSON_AddStringToObject(joined, "name", db_rows_get(rows, row, "cosigning_school_name"));
    }
    const char *login = db_rows_get(rows, row, "actor_login");
    if (!login) {
        cJSON_AddNullToObject(event, "actor");
        return;
    }
    cJSON *actor = cJSON_AddObjectToObject(event, "actor");
    cJSON_AddStringToObject(actor, "login", login);
    cJSON_AddStringToObject(actor, "name", db_rows_get(rows, row, "actor_name"));
}

/* The meeting's decision it is about (docs/meetings.md), or null. */
static void add_decision(cJSON *item, const struct db_rows *rows, int row)
{
    if (!db_rows_get(rows, row, "decision_id")) {
        cJSON_AddNullToObject(item, "decision");
        return;
    }
    cJSON *d = cJSON_AddObjectToObject(item, "decision");
    cJSON_AddNumberToObject(d, "id", (double)db_rows_int(rows, row, "decision_id"));
    cJSON_AddNumberToObject(d, "meeting_id", (double)db_rows_int(rows, row, "meeting_id"));
    cJSON_AddStringToObject(d, "body", db_rows_get(rows, row, "decision_body"));
    cJSON_AddStringToObject(d, "due_on", db_rows_get(rows, row, "decision_due_on"));
}

/* The directive it is about (docs/ratings-and-directives.md), or null. */
static void add_directive(cJSON *item, const struct db_rows *rows, int row)
{
    if (!db_rows_get(rows, row, "directive_id")) {
        cJSON_AddNullToObject(item, "directive");
        return;
    }
    cJSON *d = cJSON_AddObjectToObject(item, "directive");
    cJSON_AddNumberToObject(d, "id", (double)db_rows_int(rows, row, "directive_id"));
    cJSON_AddStringToObject(d, "title", db_rows_get(rows, row, "directive_title"));
}

static cJSON *notification_item(const struct db_rows *rows, int row, const void *context)
{
    (void)context;
    cJSON *item = cJSON_CreateObject();
    cJSON_AddNumberToObject(item, "id", (double)db_rows_int(rows, row, "id"));
    cJSON_AddStringToObject(item, "reason", db_rows_get(rows, row, "reason"));
    cJSON_AddBoolToObject(item, "read", db_rows_bool(rows, row, "read"));
    cJSON_AddStringToObject(item, "created_at", db_rows_get(rows, row, "created_at"));
    add_issue(item, rows, row);
    add_event(item, rows, row);
    add_decision(item, rows, row);
    add_directive(item, rows, row);
    return item;
}

/* {"unread": n} added to doc; false with err when the count fails. */
static bool add_unread(struct exchange *ex, cJSON *doc, struct error *err)
{
    long long unread = db_notifications_unread(ex->db, ex->user.actor.user_id, err);
    if (unread < 0)
        return false;
    cJSON_AddNumberToObject(doc, "unread", (double)unread);
    return true;
}

void notifications_list(struct exchange *ex)
{
    struct error err = {0};
    struct notification_filter f = {0};
    struct db_rows *rows = NULL;
    if (read_filter(ex, &f, &err) && api_db(ex, &err))
        rows = db_notifications_page(ex->db, &f, &err);
    cJSON *doc = rows ? keyset_page_json(rows, f.limit, notification_item, NULL,
                                         "keyset_read", "id")
                      : NULL;
    if (doc && add_unread(ex, doc, &err))
        reply_json(ex, 200, doc);
    else {
        cJSON_Delete(doc);
        reply_failure(ex, &err, "The notifications cannot be listed as asked; see errors.");
    }
    db_rows_free(rows);
}

void notifications_unread_count(struct exchange *ex)
{
    struct error err = {0};
    static const char *const none[] = {NULL};
    cJSON *doc = cJSON_CreateObject();
    if (query_check_names(ex, none, &err) && api_db(ex, &err) && add_unread(ex, doc, &err)) {
        reply_json(ex, 200, doc);
        return;
    }
    cJSON_Delete(doc);
    reply_failure(ex, &err, "The unread count cannot be given; see errors.");
}

void notifications_mark_read(struct exchange *ex)
{
    struct error err = {0};
    bool found = false;
    long long id = strtoll(exchange_path_param(ex, "id"), NULL, 10);
    cJSON *doc = cJSON_CreateObject();
    if (api_db(ex, &err) &&
        db_notification_mark_read(ex->db, ex->user.actor.user_id, id, &found, &err) &&
        (found || error_set(&err, ERR_NOT_FOUND, "You have no notification %lld.", id)) &&
        add_unread(ex, doc, &err)) {
        cJSON_AddNumberToObject(doc, "id", (double)id);
        cJSON_AddBoolToObject(doc, "read", true);
        reply_json(ex, 200, doc);
        return;
    }
    cJSON_Delete(doc);
    reply_failure(ex, &err, "The notification cannot be marked read; see errors.");
}

cJSON *notifications_read_all_body(const struct exchange *ex, long long *up_to,
                                   const char **issue, struct error *err)
{
    static const char *const allowed[] = {"up_to", "issue", NULL};
    if (ex->body_len == 0)
        return cJSON_CreateObject();
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    json_id_field(doc, "up_to", up_to, err);
    if (json_string_field(doc, "issue", false, true, false, 40, issue, err) && *issue &&
        !validate_issue_ref(*issue))
        error_field(err, "issue", "invalid_format",
                    "must be an issue reference like HT-2026-000123");
    return doc;
}

void notifications_mark_all_read(struct exchange *ex)
{
    struct error err = {0};
    long long up_to = 0, marked = -1;
    const char *issue = NULL;
    cJSON *body = notifications_read_all_body(ex, &up_to, &issue, &err);
    cJSON *doc = cJSON_CreateObject();
    if (!error_is_set(&err) && api_db(ex, &err))
        marked = db_notifications_mark_all_read(ex->db, ex->user.actor.user_id, up_to, issue,
                                                &err);
    if (marked >= 0 && add_unread(ex, doc, &err)) {
        cJSON_AddNumberToObject(doc, "marked", (double)marked);
        reply_json(ex, 200, doc);
    } else {
        cJSON_Delete(doc);
        reply_failure(ex, &err, "The notifications cannot be marked read as asked; see errors.");
    }
    cJSON_Delete(body);
}

/* The settings as they are after set_digest (-1: unchanged). */
static void reply_settings(struct exchange *ex, int set_digest, struct error *err)
{
    char *address = NULL;
    bool digest = false;
    if (!api_db(ex, err) ||
        !db_notification_settings(ex->db, ex->user.actor.user_id, set_digest, &address, &digest,
                                  err)) {
        reply_failure(ex, err, "The notification settings cannot be changed as sent; see errors.");
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    json_add_text_or_null(doc, "email", address);
    cJSON_AddBoolToObject(doc, "email_digest", digest);
    reply_json(ex, 200, doc);
    free(address);
}

void notification_settings_get(struct exchange *ex)
{
    struct error err = {0};
    static const char *const none[] = {NULL};
    if (!query_check_names(ex, none, &err)) {
        reply_failure(ex, &err, "The notification settings take no parameters; see errors.");
        return;
    }
    reply_settings(ex, -1, &err);
}

void notification_settings_put(struct exchange *ex)
{
    static const char *const allowed[] = {"email_digest", NULL};
    struct error err = {0};
    bool digest = false;
    cJSON *doc = json_body_object(ex, allowed, &err);
    if (doc && !json_has(doc, "email_digest"))
        error_field(&err, "email_digest", "required", "is required: true for one email a day,"
                    " false for one email per notification");
    else if (doc)
        json_bool_field(doc, "email_digest", &digest, &err);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The notification settings cannot be changed as sent; see errors.");
    else
        reply_settings(ex, digest ? 1 : 0, &err);
    cJSON_Delete(doc);
}
