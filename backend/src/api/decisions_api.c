/* decisions_api.c -- a meeting's decisions (docs/meetings.md): recorded on a meeting,
 * changed, marked done or reopened by those who answer for them (decision_rules.h), and
 * listed for staff and on each of their issues. Every change is a timed event, and the
 * issues' own history says what the meeting decided on them. */
#include "api/meetings_api.h"

#include <stdlib.h>
#include <string.h>

#include "api/decision_json.h"
#include "api/issue_access.h"
#include "api/issue_ref_list.h"
#include "api/json_input.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "db/decision_store.h"
#include "db/meeting_store.h"
#include "domain/civil_date.h"
#include "domain/decision_rules.h"
#include "domain/validate.h"

#define DECISIONS_DEFAULT_LIMIT 100
#define DECISIONS_MAX_LIMIT 500

/* The fields a new decision and a change share; `required` for a new one. */
static void decision_fields(const cJSON *doc, struct decision_input *in, bool required,
                            struct error *err)
{
    json_string_field(doc, "body", required, false, false, DECISION_BODY_MAX, &in->body, err);
    if (json_string_field(doc, "division", required, false, false, 32, &in->division, err) &&
        in->division)
        validate_code(err, "division", in->division);
    in->has_responsible = json_has(doc, "responsible");
    if (json_string_field(doc, "responsible", false, true, false, 64, &in->responsible, err) &&
        in->responsible)
        validate_login(err, "responsible", in->responsible);
    meeting_date_field(doc, "due_on", required, &in->due_on, err);
}

cJSON *decision_new_body(const struct exchange *ex, struct decision_input *in,
                         struct error *err)
{
    static const char *const allowed[] = {"body", "division", "responsible", "due_on",
                                          "issues", NULL};
    *in = (struct decision_input){0};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    decision_fields(doc, in, true, err);
    in->issues = issue_ref_list(doc, "issues", DECISION_ISSUES_MAX, false, err);
    return doc;
}

cJSON *decision_patch_body(const struct exchange *ex, struct decision_input *in,
                           struct error *err)
{
    static const char *const allowed[] = {"body", "division", "responsible", "due_on", NULL};
    *in = (struct decision_input){0};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    if (!doc->child)
        error_set(err, ERR_INVALID, "Nothing to change: send body, division, responsible "
                                    "or due_on.");
    decision_fields(doc, in, false, err);
    return doc;
}

cJSON *decision_action_body(const struct exchange *ex, bool *done, const char **note,
                            struct error *err)
{
    static const char *const allowed[] = {"action", "note", NULL};
    const char *action = NULL;
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    if (json_string_field(doc, "action", true, false, false, 16, &action, err)) {
        *done = strcmp(action, "done") == 0;
        if (!*done && strcmp(action, "reopen") != 0)
            error_field(err, "action", "invalid_value", "must be done or reopen");
    }
    bool need_note = action && strcmp(action, "reopen") == 0;
    json_string_field(doc, "note", need_note, true, false, DECISION_NOTE_MAX, note, err);
    return doc;
}

/* The division and responsible a decision is to have, checked against each other. */
static bool people(struct exchange *ex, const char *division, const struct decision_input *in,
                   int *division_id, int *responsible_id, struct error *err)
{
    const char *responsible = in->has_responsible ? in->responsible : NULL;
    if (!db_decision_people(ex->db, division, responsible, division_id, responsible_id, err))
        return false;
    if (!*division_id)
        return error_field(err, "division", "unknown_code", "%s is not a known division",
                           division);
    if (*responsible_id < 0)
        return error_field(err, "responsible", "not_responsible",
                           "%s is not an active officer of division %s nor a supervisor",
                           responsible, division);
    return true;
}

static bool due_after_meeting(const char *held_on, const char *due_on, struct error *err)
{
    int held = 0, due = 0;
    if (!due_on || !civil_date_parse(held_on, &held) || !civil_date_parse(due_on, &due) ||
        decision_due_allowed(held, due))
        return true;
    return error_field(err, "due_on", "before_meeting", "must be on or after the meeting's "
                       "day, %s", held_on);
}

static void reply_decision(struct exchange *ex, int status, int id)
{
    struct error err = {0};
    struct db_rows *rows = api_db(ex, &err) ? db_decision_get(ex->db, id, false, &err) : NULL;
    if (rows && db_rows_count(rows) == 1)
        reply_json(ex, status, decision_json(rows, 0, &ex->user.actor));
    else
        reply_failure(ex, &err, "The decision cannot be read.");
    db_rows_free(rows);
}

static bool record(struct exchange *ex, int meeting_id, const struct decision_input *in,
                   int *id, struct error *err)
{
    struct db_rows *m = db_meeting_get(ex->db, meeting_id, err);
    if (!m)
        return false;
    bool found = db_rows_count(m) == 1;
    bool ok = found && due_after_meeting(db_rows_get(m, 0, "held_on"), in->due_on, err);
    db_rows_free(m);
    if (!found)
        return error_set(err, ERR_NOT_FOUND, "There is no meeting %d.", meeting_id);
    int division_id = 0, responsible_id = 0;
    return ok && people(ex, in->division, in, &division_id, &responsible_id, err) &&
           issue_refs_known(ex->db, in->issues, "issues", err) &&
           db_decision_record(ex->db, meeting_id, in->body, division_id, responsible_id,
                              in->due_on, in->issues, ex->user.actor.user_id, id, err);
}

void decisions_create(struct exchange *ex)
{
    struct error err = {0};
    struct decision_input in;
    int id = 0;
    if (!meeting_recorders_only(ex))
        return;
    cJSON *doc = decision_new_body(ex, &in, &err);
    struct db *db = error_is_set(&err) ? NULL : api_db(ex, &err);
    if (db && db_begin(db, &err) &&
        !(record(ex, exchange_path_id(ex), &in, &id, &err) && db_commit(db, &err)))
        db_rollback(db);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The decision cannot be recorded as sent; see errors.");
    else
        reply_decision(ex, 201, id);
    free(in.issues);
    cJSON_Delete(doc);
}

/* {"items": [decision]} from rows (freed here), or the failure that left none. */
static void reply_decisions(struct exchange *ex, struct db_rows *rows, struct error *err,
                            const char *failure)
{
    if (!rows) {
        reply_failure(ex, err, failure);
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    for (int i = 0; i < db_rows_count(rows); i++)
        cJSON_AddItemToArray(items, decision_json(rows, i, &ex->user.actor));
    db_rows_free(rows);
    reply_json(ex, 200, doc);
}

void decisions_list(struct exchange *ex)
{
    static const char *const names[] = {"state", "division", "limit", NULL};
    struct error err = {0};
    if (!meeting_staff_only(ex))
        return;
    const char *state = exchange_query(ex, "state");
    const char *division = exchange_query(ex, "division");
    state = state ? state : "open";
    int limit = 0;
    struct db_rows *rows = NULL;
    if (query_check_names(ex, names, &err) &&
        (limit = query_limit(ex, DECISIONS_DEFAULT_LIMIT, DECISIONS_MAX_LIMIT, &err)) > 0) {
        if (strcmp(state, "open") && strcmp(state, "overdue") && strcmp(state, "done") &&
            strcmp(state, "all"))
            error_field(&err, "state", "invalid_value", "must be open, overdue, done or all");
        else if (api_db(ex, &err) &&
                 query_check_code(ex->db, REF_DIVISIONS, "division", division, &err))
            rows = db_decisions_list(ex->db, state, division, limit, &err);
    }
    reply_decisions(ex, rows, &err, "The decisions cannot be listed as asked; see errors.");
}

/* Loads the decision under a lock and asks whether this actor may take the act: 404 when
 * the reader cannot see it, 403 when they may not change it, 409 when the act does not
 * fit its state. */
static struct db_rows *load_for(struct exchange *ex, int id, enum decision_act act,
                                struct error *err)
{
    struct db_rows *rows = db_decision_get(ex->db, id, true, err);
    if (!rows)
        return NULL;
    if (db_rows_count(rows) == 0) {
        error_set(err, ERR_NOT_FOUND, "There is no decision %d.", id);
    } else {
        struct decision_facts f = decision_facts_of(rows, 0);
        struct decision_verdict v = decision_act_decide(&f, act);
        if (!decision_may_change(&ex->user.actor, &f))
            error_set(err, ERR_FORBIDDEN, "Only the responsible division's officers, the "
                      "officer who recorded it and supervisors change a decision.");
        else if (!v.allowed)
            error_coded(err, ERR_CONFLICT, v.code, "%s", v.reason);
    }
    if (!error_is_set(err))
        return rows;
    db_rows_free(rows);
    return NULL;
}

static bool change(struct exchange *ex, int id, const struct decision_input *in,
                   struct error *err)
{
    struct db_rows *rows = load_for(ex, id, DECISION_ACT_CHANGE, err);
    if (!rows)
        return false;
    struct decision_change c = {.body = in->body, .due_on = in->due_on};
    /* A new division without a named officer leaves the decision to the division. */
    const char *division = in->division ? in->division : db_rows_get(rows, 0, "division");
    bool ok = due_after_meeting(db_rows_get(rows, 0, "held_on"), in->due_on, err);
    if (ok && (in->division || in->has_responsible)) {
        ok = people(ex, division, in, &c.division_id, &c.responsible_id, err);
        if (c.responsible_id == 0 && (in->has_responsible || in->division))
            c.responsible_id = -1;
    }
    db_rows_free(rows);
    return ok && db_decision_change(ex->db, id, &c, ex->user.actor.user_id, err);
}

void decisions_patch(struct exchange *ex)
{
    struct error err = {0};
    struct decision_input in;
    if (!meeting_staff_only(ex))
        return;
    cJSON *doc = decision_patch_body(ex, &in, &err);
    int id = exchange_path_id(ex);
    struct db *db = error_is_set(&err) ? NULL : api_db(ex, &err);
    if (db && db_begin(db, &err) && !(change(ex, id, &in, &err) && db_commit(db, &err)))
        db_rollback(db);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The decision cannot be changed as sent; see errors.");
    else
        reply_decision(ex, 200, id);
    cJSON_Delete(doc);
}

static bool mark(struct exchange *ex, int id, bool done, const char *note, struct error *err)
{
    struct db_rows *rows = load_for(ex, id, done ? DECISION_ACT_DONE : DECISION_ACT_REOPEN,
                                    err);
    db_rows_free(rows);
    return rows && db_decision_mark(ex->db, id, done, note, ex->user.actor.user_id, err);
}

void decisions_act(struct exchange *ex)
{
    struct error err = {0};
    bool done = false;
    const char *note = NULL;
    if (!meeting_staff_only(ex))
        return;
    cJSON *doc = decision_action_body(ex, &done, &note, &err);
    int id = exchange_path_id(ex);
    struct db *db = error_is_set(&err) ? NULL : api_db(ex, &err);
    if (db && db_begin(db, &err) && !(mark(ex, id, done, note, &err) && db_commit(db, &err)))
        db_rollback(db);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The decision cannot be marked as sent; see errors.");
    else
        reply_decision(ex, 200, id);
    cJSON_Delete(doc);
}

void issues_decisions(struct exchange *ex)
{
    struct error err = {0};
    struct db_rows *issue = issue_load_readable(ex, false, &err);
    struct db_rows *rows = issue ? db_decisions_of_issue(ex->db, db_rows_int(issue, 0, "id"),
                                                         &err)
                                 : NULL;
    db_rows_free(issue);
    reply_decisions(ex, rows, &err, "The issue's decisions cannot be read.");
}
