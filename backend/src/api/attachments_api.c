/* attachments_api.c -- GET /api/attachments/{id} (the bytes, with the issue's read rights)
 * and POST /api/attachments/{id}/hide (staff who may modify the issue; never deleted). */
#include "api/attachments_api.h"

#include <stdlib.h>

#include "api/attachment_json.h"
#include "api/issue_access.h"
#include "api/json_input.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "db/attachment_store.h"
#include "domain/attachment_name.h"
#include "domain/attachment_rules.h"

/* The attachment of {id} if this user may read it (rows with one row), else NULL with err:
 * 404 for a missing one, one on an issue the user may not read, or a hidden one shown to
 * someone who may not see it. */
static struct db_rows *readable(struct exchange *ex, bool for_update, struct error *err)
{
    const char *param = exchange_path_param(ex, "id");
    long long id = param ? strtoll(param, NULL, 10) : 0;
    struct db *db = api_db(ex, err);
    if (!db)
        return NULL;
    struct db_rows *rows = db_attachment_find(db, id, for_update, err);
    if (!rows)
        return NULL;
    struct issue_scope scope = db_rows_count(rows) == 1 ? issue_scope_of(rows, 0)
                                                         : (struct issue_scope){0};
    if (db_rows_count(rows) != 1 ||
        attachment_access_read(&ex->user.actor, &scope, db_rows_bool(rows, 0, "hidden")) !=
            ACCESS_OK) {
        db_rows_free(rows);
        error_set(err, ERR_NOT_FOUND, "There is no attachment %lld.", id);
        return NULL;
    }
    return rows;
}

void attachments_get(struct exchange *ex)
{
    struct error err = {0};
    struct db_rows *rows = readable(ex, false, &err);
    if (!rows) {
        reply_error(ex, &err);
        return;
    }
    size_t len = (size_t)db_rows_int(rows, 0, "size");
    char *bytes = db_attachment_content(ex->db, db_rows_int(rows, 0, "id"), len,
                                         ATTACHMENT_OF_ISSUE, &err);
    if (!bytes) {
        reply_error(ex, &err);
        db_rows_free(rows);
        return;
    }
    ex->disposition = attachment_name_disposition(db_rows_get(rows, 0, "name"));
    ex->response_type = attachment_media_type(attachment_type_parse(db_rows_get(rows, 0, "type")));
    ex->status = 200;
    exchange_set_body(ex, bytes, len);
    db_rows_free(rows);
}

/* Inside a transaction: the attachment locked, the rights checked, then hidden. */
static struct db_rows *hide(struct exchange *ex, const char *reason, struct error *err)
{
    struct db_rows *rows = readable(ex, true, err);
    if (!rows)
        return NULL;
    struct issue_scope scope = issue_scope_of(rows, 0);
    struct db_rows *hidden = NULL;
    if (!issue_check(attachment_access_hide(&ex->user.actor, &scope), "hide files of", err))
        goto out;
    if (db_rows_bool(rows, 0, "hidden")) {
        error_coded(err, ERR_CONFLICT, "already_hidden", "This file is hidden already.");
        goto out;
    }
    hidden = db_attachment_hide(ex->db, db_rows_int(rows, 0, "id"), ex->user.actor.user_id,
                                reason, err);
out:
    db_rows_free(rows);
    return hidden;
}

cJSON *attachment_hide_body(const struct exchange *ex, const char **reason, struct error *err)
{
    static const char *const allowed[] = {"reason", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (doc)
        json_string_field(doc, "reason", true, false, false, ATTACHMENT_REASON_MAX_CHARS,
                          reason, err);
    return doc;
}

void attachments_hide(struct exchange *ex)
{
    struct error err = {0};
    const char *reason = NULL;
    struct db_rows *row = NULL;
    cJSON *doc = attachment_hide_body(ex, &reason, &err);
    if (error_is_set(&err))
        goto out;
    struct db *db = api_db(ex, &err);
    if (!db || !db_begin(db, &err))
        goto out;
    row = hide(ex, reason, &err);
    if (!row || db_rows_count(row) != 1 || !db_commit(db, &err)) {
        db_rollback(db);
        if (!error_is_set(&err))
            error_coded(&err, ERR_CONFLICT, "already_hidden", "This file is hidden already.");
        goto out;
    }
    reply_json(ex, 200, attachment_json(row, 0));
out:
    if (error_is_set(&err))
        reply_failure(ex, &err, "The file cannot be hidden as asked; see errors.");
    db_rows_free(row);
    cJSON_Delete(doc);
}
