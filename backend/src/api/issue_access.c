/* issue_access.c -- load-then-authorize for issue endpoints. */
#include "api/issue_access.h"

#include "api/attachment_json.h"
#include "api/issue_json.h"
#include "api/issue_permissions_json.h"
#include "api/reply.h"
#include "db/issue_store.h"
#include "domain/validate.h"

static bool not_found(const char *ref, struct error *err)
{
    return error_set(err, ERR_NOT_FOUND, "There is no issue %s.", ref);
}

struct issue_scope issue_scope_of(const struct db_rows *rows, int row)
{
    struct issue_scope s = {
        .school_id = (int)db_rows_int(rows, row, "school_id"),
        .cluster_id = (int)db_rows_int(rows, row, "cluster_id"),
        .division_id = (int)db_rows_int(rows, row, "division_id"),
    };
    return s;
}

struct db_rows *issue_load_readable(struct exchange *ex, bool for_update, struct error *err)
{
    const char *ref = exchange_path_param(ex, "ref");
    if (!ref || !validate_issue_ref(ref)) {
        not_found(ref ? ref : "", err);
        return NULL;
    }
    struct db *db = api_db(ex, err);
    if (!db)
        return NULL;
    struct db_rows *rows = db_issue_find(db, ref, for_update, err);
    if (!rows)
        return NULL;
    struct issue_scope scope = db_rows_count(rows) == 1 ? issue_scope_of(rows, 0)
                                                         : (struct issue_scope){0};
    if (db_rows_count(rows) != 1 || access_read(&ex->user.actor, &scope) != ACCESS_OK) {
        db_rows_free(rows);
        not_found(ref, err);
        return NULL;
    }
    return rows;
}

bool issue_check(enum access_verdict verdict, const char *what, struct error *err)
{
    switch (verdict) {
    case ACCESS_OK:
        return true;
    case ACCESS_HIDDEN:
        return error_set(err, ERR_NOT_FOUND, "There is no such issue.");
    case ACCESS_FORBIDDEN:
        break;
    }
    return error_coded(err, ERR_FORBIDDEN, "role_may_not", "Your role may not %s this issue.",
                       what);
}

void issue_reply_with_events(struct exchange *ex, int status, const struct db_rows *issue)
{
    struct error err = {0};
    struct db_rows *events = db_issue_events(ex->db, db_rows_int(issue, 0, "id"),
                                             access_sees_internal(&ex->user.actor), &err);
    if (!events) {
        reply_error(ex, &err);
        return;
    }
    cJSON *doc = issue_with_events_json(issue, events);
    db_rows_free(events);
    issue_json_add_permissions(doc, issue, 0, &ex->user.actor);
    /* attachments: the files of the issue as this reader may see them */
    if (!attachment_json_add_to_issue(ex, doc, db_rows_int(issue, 0, "id"), &err)) {
        cJSON_Delete(doc);
        reply_error(ex, &err);
        return;
    }
    reply_json(ex, status, doc);
}

void issue_reply_full(struct exchange *ex, int status, const char *ref)
{
    struct error err = {0};
    struct db_rows *issue = db_issue_find(ex->db, ref, false, &err);
    if (issue && db_rows_count(issue) == 1)
        issue_reply_with_events(ex, status, issue);
    else
        reply_error(ex, error_is_set(&err) ? &err
                        : &(struct error){.kind = ERR_NOT_FOUND, .message = "No such issue."});
    db_rows_free(issue);
}
