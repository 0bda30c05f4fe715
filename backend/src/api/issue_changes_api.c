/* issue_changes_api.c -- PATCH /api/issues/{ref}: category, division, priority and
 * assignee, each change one event, all in one transaction. */
#include "api/issues_api.h"

#include <string.h>

#include "api/issue_access.h"
#include "api/json_input.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "db/issue_store.h"
#include "api/issue_due.h"
#include "db/reference_store.h"
#include "domain/validate.h"

cJSON *issue_changes_body(const struct exchange *ex, struct issue_changes *c,
                          struct error *err)
{
    static const char *const allowed[] = {"category", "division", "priority", "assignee", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    enum priority p;
    if (json_string_field(doc, "category", false, false, false, 32, &c->category, err) &&
        c->category)
        validate_code(err, "category", c->category);
    if (json_string_field(doc, "division", false, false, false, 32, &c->division, err) &&
        c->division)
        validate_code(err, "division", c->division);
    if (json_string_field(doc, "priority", false, false, false, 16, &c->priority, err) &&
        c->priority && !priority_parse(c->priority, &p))
        error_field(err, "priority", "invalid_value", "must be one of low, normal, high, urgent");
    c->set_assignee = json_has(doc, "assignee");
    if (json_string_field(doc, "assignee", false, true, false, 64, &c->assignee, err) &&
        c->assignee)
        validate_login(err, "assignee", c->assignee);
    if (!c->category && !c->division && !c->priority && !c->set_assignee &&
        !error_is_set(err))
        error_field(err, "body", "nothing_to_change",
                    "names nothing to change (category, division, priority, assignee)");
    return doc;
}

/* Codes must name something that exists; checked with the other input errors so that
 * one answer lists them all. */
static void check_codes(struct db *db, const struct issue_changes *c, struct error *err)
{
    bool exists = true;
    if (c->category && db_reference_exists(db, REF_CATEGORIES, c->category, &exists, err) &&
        !exists)
        error_field(err, "category", "unknown_code", "%s is not a known category", c->category);
    if (c->division && db_reference_exists(db, REF_DIVISIONS, c->division, &exists, err) &&
        !exists)
        error_field(err, "division", "unknown_code", "%s is not a known division", c->division);
}

/* The assignee must be able to hold the issue in the division it will be in after this
 * change. */
static bool check_assignee(struct db *db, const struct issue_changes *c,
                           const char *division_after, struct error *err)
{
    bool exists = true;
    if (c->assignee && db_user_assignable(db, c->assignee, division_after, &exists, err) &&
        !exists)
        error_field(err, "assignee", "not_assignable",
                    "%s is not an officer of division %s or a supervisor",
                    c->assignee, division_after);
    return !error_is_set(err);
}

/* A new priority's due times count from the filing second, plus the time paused. */
static bool set_priority(struct db *db, const struct db_rows *issue, int actor,
                         const char *priority, struct error *err)
{
    int64_t first, resolution;
    return issue_due_offsets(db, priority, db_rows_int(issue, 0, "filed_epoch"),
                             db_rows_int(issue, 0, "paused_seconds"), &first, &resolution,
                             err) &&
           db_issue_set_field(db, db_rows_int(issue, 0, "id"), actor, FIELD_PRIORITY, priority,
                              first, resolution, err);
}

/* The assignee before the division: a move lets go of an assignee who may not hold the
 * issue in the new division, so the new division's officer named with it must already
 * be in place (checked against division_after). */
static bool apply_changes(struct db *db, const struct db_rows *issue, int actor,
                          const struct issue_changes *c, struct error *err)
{
    long long id = db_rows_int(issue, 0, "id");
    return (!c->category ||
            db_issue_set_field(db, id, actor, FIELD_CATEGORY, c->category, 0, 0, err)) &&
           (!c->priority || set_priority(db, issue, actor, c->priority, err)) &&
           (!c->set_assignee ||
            db_issue_set_field(db, id, actor, FIELD_ASSIGNEE, c->assignee, 0, 0, err)) &&
           (!c->division ||
            db_issue_set_field(db, id, actor, FIELD_DIVISION, c->division, 0, 0, err));
}

static bool change_issue(struct exchange *ex, const struct issue_changes *c, struct error *err)
{
    struct db_rows *issue = issue_load_readable(ex, true, err);
    if (!issue)
        return false;
    struct issue_scope scope = issue_scope_of(issue, 0);
    enum status status = STATUS_NEW;
    status_parse(db_rows_get(issue, 0, "status"), &status);
    const char *division_after = c->division ? c->division : db_rows_get(issue, 0, "division");
    bool ok = issue_check(access_modify(&ex->user.actor, &scope), "change", err);
    if (ok && !status_is_open(status))
        ok = error_coded(err, ERR_CONFLICT, "issue_finished",
                         "An issue that is %s can no longer be changed.",
                       status_name(status));
    ok = ok && check_assignee(ex->db, c, division_after, err) &&
         apply_changes(ex->db, issue, ex->user.actor.user_id, c, err);
    db_rows_free(issue);
    return ok;
}

void issues_patch(struct exchange *ex)
{
    struct error err = {0};
    struct issue_changes changes = {0};
    cJSON *doc = issue_changes_body(ex, &changes, &err);
    if (!doc)
        goto fail;
    struct db *db = api_db(ex, &err);
    if (db && err.kind != ERR_UNAVAILABLE)
        check_codes(db, &changes, &err);
    if (!db || error_is_set(&err) || !db_begin(db, &err))
        goto fail;
    if ((changes.assignee && !db_assignee_hold(db, changes.assignee, false, &err)) ||
        !change_issue(ex, &changes, &err) || !db_commit(db, &err)) {
        db_rollback(db);
        goto fail;
    }
    issue_reply_full(ex, 200, exchange_path_param(ex, "ref"));
    cJSON_Delete(doc);
    return;
fail:
    reply_failure(ex, &err, "The issue cannot be changed as asked; see errors.");
    cJSON_Delete(doc);
}
