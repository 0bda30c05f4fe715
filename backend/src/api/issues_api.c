/* issues_api.c -- POST /api/issues (file), GET /api/issues/{ref} (read). */
#include "api/issues_api.h"

#include <stdlib.h>
#include <string.h>

#include "api/idempotency.h"
#include "api/issue_access.h"
#include "api/json_input.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "db/issue_store.h"
#include "api/issue_due.h"
#include "domain/validate.h"
#include "util/xalloc.h"

cJSON *issue_new_body(const struct exchange *ex, struct new_issue *issue, struct error *err)
{
    static const char *const allowed[] = {"title", "description", "category",
                                          "proposed_solution", "priority", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    json_string_field(doc, "title", true, false, false, TITLE_MAX_CHARS, &issue->title, err);
    json_string_field(doc, "description", true, false, false, TEXT_MAX_CHARS,
                      &issue->description, err);
    json_string_field(doc, "proposed_solution", false, true, true, TEXT_MAX_CHARS,
                      &issue->proposed_solution, err);
    if (json_string_field(doc, "category", true, false, false, 32, &issue->category, err) &&
        !validate_code(err, "category", issue->category))
        issue->category = NULL;
    enum priority p;
    if (json_string_field(doc, "priority", false, true, false, 16, &issue->priority, err) &&
        issue->priority && !priority_parse(issue->priority, &p))
        error_field(err, "priority", "invalid_value", "must be one of low, normal, high, urgent");
    /* A blank proposal is no proposal. */
    if (issue->proposed_solution &&
        !issue->proposed_solution[strspn(issue->proposed_solution, " \t\r\n")])
        issue->proposed_solution = NULL;
    return doc;
}

/* Inside the filing's transaction: what the filing needs to know (one statement), the
 * priority (suggested or the category's default), the due times on that priority's clock
 * from this instant, then the issue. */
static char *file_issue(struct db *db, struct new_issue *issue, struct error *err)
{
    struct filing_context ctx;
    if (!db_issue_filing_context(db, issue->category, &ctx, err))
        return NULL;
    if (!ctx.known) {
        error_field(err, "category", "unknown_code",
                    "%s is not a known category code", issue->category);
        return NULL;
    }
    if (!ctx.active) {
        error_field(err, "category", "inactive_category",
                    "%s is no longer offered for new issues", issue->category);
        return NULL;
    }
    bool defaulted = !issue->priority;
    if (defaulted)
        issue->priority = ctx.default_priority;
    char *ref = NULL;
    if (issue_due_offsets_at(db, ctx.sla_version, issue->priority, ctx.now, 0,
                             &issue->due_first_response_offset,
                             &issue->due_resolution_offset, err))
        ref = db_issue_file(db, issue, err);
    if (defaulted)
        issue->priority = NULL;          /* it pointed into ctx, gone on return */
    return ref;
}

void issues_create(struct exchange *ex)
{
    struct error err = {0};
    struct new_issue issue = {.school_id = ex->user.actor.school_id,
                              .filed_by = ex->user.actor.user_id};
    cJSON *doc = NULL;
    char *ref = NULL;

    if (!access_can_file(&ex->user.actor)) {
        error_coded(&err, ERR_FORBIDDEN, "principals_only",
                    "Only a school's principal can file an issue.");
        goto out;
    }
    doc = issue_new_body(ex, &issue, &err);
    if (error_is_set(&err))
        goto out;
    struct db *db = api_db(ex, &err);
    if (!db || !db_begin(db, &err))
        goto out;
    ref = file_issue(db, &issue, &err);
    if (ref) {
        /* The reply is built inside the transaction: an idempotency key keeps it there. */
        ex->location = xasprintf("/api/issues/%s", ref);
        issue_reply_full(ex, 201, ref);
    }
    if (!ref || !idempotency_commit(ex, &err))
        db_rollback(db);
out:
    if (error_is_set(&err)) {
        free(ex->location);
        ex->location = NULL;
        reply_failure(ex, &err, "The issue cannot be filed as sent; see errors.");
    }
    free(ref);
    cJSON_Delete(doc);
}

void issues_get(struct exchange *ex)
{
    issue_reply_readable(ex);
}
