/* issue_actions_api.c -- POST /api/issues/{ref}/actions: access first, then the lifecycle
 * decides, then the change and its event are stored in one transaction. */
#include "api/issues_api.h"

#include <string.h>

#include "api/idempotency.h"
#include "api/issue_access.h"
#include "api/json_input.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "db/issue_store.h"
#include "domain/lifecycle.h"
#include "domain/rating.h"
#include "domain/validate.h"

cJSON *issue_action_body(const struct exchange *ex, struct action_request *r,
                         struct error *err)
{
    static const char *const allowed[] = {"action", "note", "duplicate_of", "rating", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    const char *name = NULL;
    if (json_string_field(doc, "action", true, false, false, 32, &name, err) &&
        !action_parse(name, &r->action))
        error_field(err, "action", "invalid_value",
                    "%s is not an action: use triage, start, request_info, "
                    "answer_info, resolve, confirm, reopen, decline, mark_duplicate or escalate",
                    name);
    json_string_field(doc, "note", false, true, true, TEXT_MAX_CHARS, &r->note, err);
    if (json_string_field(doc, "duplicate_of", false, true, false, 40, &r->duplicate_of, err) &&
        r->duplicate_of && !validate_issue_ref(r->duplicate_of))
        error_field(err, "duplicate_of", "invalid_format",
                    "must be an issue reference like HT-2026-000123");
    if (r->note && !r->note[strspn(r->note, " \t\r\n")])
        r->note = NULL;    /* a blank note is no note */
    /* A rating (1-5) comes with a confirmation only; null is no rating. */
    const cJSON *rating = cJSON_GetObjectItemCaseSensitive(doc, "rating");
    bool known_action = name && action_parse(name, &r->action);
    if (rating && !cJSON_IsNull(rating) &&
        json_int_field(doc, "rating", "rating", RATING_MIN, RATING_MAX, &r->rating, err) &&
        known_action && !rating_belongs_to(r->action))
        error_field(err, "rating", "not_applicable", "only a confirmation carries a rating");
    return doc;
}

/* A refusal that depends on other issues' state, not on the value sent: 409, with the
 * field error added just before it. */
static bool chain_refusal(struct error *err)
{
    return error_coded(err, ERR_CONFLICT, "duplicate_chain",
                       "A duplicate must point straight at the surviving issue; see errors.");
}

/* The surviving issue of mark_duplicate: another issue, readable, not itself a duplicate,
 * and this issue no other's target (lifecycle_duplicate_check). Both rows are locked by
 * now (lock_duplicate_pair), so what is read here stays true until the commit. */
static bool find_duplicate_target(struct exchange *ex, const struct action_request *r,
                                  long long self_id, long long *target_id, struct error *err)
{
    struct db_rows *rows = db_issue_find(ex->db, r->duplicate_of, false, err);
    if (!rows)
        return false;
    bool found = db_rows_count(rows) == 1;
    struct issue_scope scope = found ? issue_scope_of(rows, 0) : (struct issue_scope){0};
    enum status target_status = STATUS_NEW;
    bool has_duplicates = false;
    if (!found || access_read(&ex->user.actor, &scope) != ACCESS_OK) {
        db_rows_free(rows);
        return error_field(err, "duplicate_of", "unknown_issue",
                           "%s is not a known issue", r->duplicate_of);
    }
    *target_id = db_rows_int(rows, 0, "id");
    status_parse(db_rows_get(rows, 0, "status"), &target_status);
    db_rows_free(rows);
    if (!db_issue_has_duplicates(ex->db, self_id, &has_duplicates, err))
        return false;
    switch (lifecycle_duplicate_check(self_id, *target_id, target_status, has_duplicates)) {
    case DUPLICATE_OK:
        return true;
    case DUPLICATE_OF_SELF:
        return error_field(err, "duplicate_of", "self_duplicate",
                           "an issue cannot be a duplicate of itself");
    case DUPLICATE_OF_DUPLICATE:
        error_field(err, "duplicate_of", "is_duplicate",
                    "%s is itself a duplicate; name the issue it points at", r->duplicate_of);
        return chain_refusal(err);
    case DUPLICATE_HAS_DUPLICATES:
        break;
    }
    error_field(err, "duplicate_of", "has_duplicates",
                "other issues are duplicates of this one; mark %s as a duplicate of this "
                "issue instead", r->duplicate_of);
    return chain_refusal(err);
}

/* mark_duplicate touches two issues: both are locked first, in id order, so that two
 * officers marking A onto B and B onto A at once queue (the second then sees the first's
 * duplicate) instead of both succeeding into a loop or deadlocking. */
static bool lock_duplicate_pair(struct exchange *ex, const struct action_request *r,
                                struct error *err)
{
    if (r->action != ACTION_MARK_DUPLICATE || !r->duplicate_of)
        return true;
    struct db *db = api_db(ex, err);
    return db && db_issue_lock_pair(db, exchange_path_param(ex, "ref"), r->duplicate_of, err);
}

static bool check_requirements(const struct transition *t, const struct action_request *r,
                               struct error *err)
{
    if (t->note_required && !r->note)
        error_field(err, "note", "required", "is required for %s", action_name(r->action));
    if (t->needs_duplicate_of && !r->duplicate_of)
        error_field(err, "duplicate_of", "required", "is required for mark_duplicate");
    return !error_is_set(err);
}

static bool act(struct exchange *ex, const struct action_request *r, struct error *err)
{
    if (!lock_duplicate_pair(ex, r, err))
        return false;
    struct db_rows *issue = issue_load_readable(ex, true, err);
    if (!issue)
        return false;
    struct issue_scope scope = issue_scope_of(issue, 0);
    struct issue_transition change = {
        .issue_id = db_rows_int(issue, 0, "id"),
        .actor_id = ex->user.actor.user_id,
        .action = r->action,
        .note = r->note,
        .rating = r->rating,
    };
    status_parse(db_rows_get(issue, 0, "status"), &change.from);
    int level = (int)db_rows_int(issue, 0, "escalation_level");
    int child_count = (int)db_rows_int(issue, 0, "child_count");
    db_rows_free(issue);

    if (!issue_check(access_act(&ex->user.actor, &scope), "act on", err))
        return false;
    struct transition t = lifecycle_decide(change.from, r->action, ex->user.actor.role, level);
    if (!t.allowed)
        return error_coded(err, ERR_CONFLICT, t.code, "%s", t.reason);
    if (!check_requirements(&t, r, err))
        return false;
    if (t.needs_duplicate_of &&
        !find_duplicate_target(ex, r, change.issue_id, &change.duplicate_of_id, err))
        return false;
    change.to = t.next;
    change.raises_escalation = t.raises_escalation;
    change.counts_reopen = t.counts_reopen;
    change.is_first_response = t.is_first_response;
    if (!db_issue_transition(ex->db, &change, err))
        return false;
    /* A systemic problem's answer is every child's (lifecycle_resolve_with_parent). */
    return r->action != ACTION_RESOLVE || child_count == 0 ||
           issue_resolve_children(ex, change.issue_id, exchange_path_param(ex, "ref"),
                                  r->note, err);
}

void issues_act(struct exchange *ex)
{
    struct error err = {0};
    struct action_request request = {0};
    cJSON *doc = issue_action_body(ex, &request, &err);
    if (error_is_set(&err))
        goto fail;
    struct db *db = api_db(ex, &err);
    if (!db || !db_begin(db, &err))
        goto fail;
    if (!act(ex, &request, &err)) {
        db_rollback(db);
        goto fail;
    }
    issue_reply_full(ex, 200, exchange_path_param(ex, "ref"));
    if (!idempotency_commit(ex, &err)) {
        db_rollback(db);
        goto fail;
    }
    cJSON_Delete(doc);
    return;
fail:
    reply_failure(ex, &err, "The action cannot be taken as sent; see errors.");
    cJSON_Delete(doc);
}
