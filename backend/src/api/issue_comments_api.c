/* issue_comments_api.c -- POST /api/issues/{ref}/comments: public or (staff only)
 * internal. A public comment by the Department is a first response. */
#include "api/issues_api.h"

#include "api/idempotency.h"
#include "api/issue_access.h"
#include "api/issue_json.h"
#include "api/json_input.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "db/issue_store.h"
#include "domain/validate.h"

static bool comment(struct exchange *ex, const char *body, bool internal, struct error *err)
{
    struct db_rows *issue = issue_load_readable(ex, false, err);
    if (!issue)
        return false;
    struct issue_scope scope = issue_scope_of(issue, 0);
    long long id = db_rows_int(issue, 0, "id");
    db_rows_free(issue);
    if (!issue_check(access_comment(&ex->user.actor, &scope, internal),
                     internal ? "add internal notes to" : "comment on", err))
        return false;
    bool first_response = !internal && role_is_staff(ex->user.actor.role);
    /* A co-signing school comments on another school's issue, whose row it may not change. */
    bool cosigner = ex->user.actor.role == ROLE_PRINCIPAL &&
                    ex->user.actor.school_id != scope.school_id;
    struct db_rows *event = db_issue_comment(ex->db, id, ex->user.actor.user_id, body,
                                             internal, first_response, !cosigner, err);
    if (!event)
        return false;
    reply_json(ex, 201, event_json(event, 0));
    db_rows_free(event);
    return true;
}

cJSON *issue_comment_body(const struct exchange *ex, struct comment_request *r,
                          struct error *err)
{
    static const char *const allowed[] = {"body", "internal", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (doc) {
        json_string_field(doc, "body", true, false, false, TEXT_MAX_CHARS, &r->body, err);
        json_bool_field(doc, "internal", &r->internal, err);
    }
    return doc;
}

void issues_comment(struct exchange *ex)
{
    struct error err = {0};
    struct comment_request r = {0};
    cJSON *doc = issue_comment_body(ex, &r, &err);
    struct db *db = error_is_set(&err) ? NULL : api_db(ex, &err);
    if (db && db_begin(db, &err) &&
        !(comment(ex, r.body, r.internal, &err) && idempotency_commit(ex, &err)))
        db_rollback(db);
    if (error_is_set(&err)) {
        reply_failure(ex, &err, "The comment cannot be added as sent; see errors.");
    }
    cJSON_Delete(doc);
}
