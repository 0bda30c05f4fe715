/* meetings_api.c -- the Department's meetings and their agendas (docs/meetings.md):
 * staff list and read them; officers and supervisors record one, from the report's
 * ticked issues or by hand, and change its agenda. The printed agenda is
 * agenda_html.c's; the decisions are decisions_api.c's. */
#include "api/meetings_api.h"

#include <stdlib.h>
#include <string.h>

#include "api/agenda_html.h"
#include "api/decision_json.h"
#include "api/issue_ref_list.h"
#include "api/json_input.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "db/decision_store.h"
#include "db/meeting_store.h"
#include "domain/civil_date.h"
#include "domain/decision_rules.h"
#include "domain/validate.h"

#define MEETINGS_DEFAULT_LIMIT 50
#define MEETINGS_MAX_LIMIT 200
#define AGENDA_HISTORY_PER_ISSUE 6

bool meeting_staff_only(struct exchange *ex)
{
    if (decision_reads_all(&ex->user.actor))
        return true;
    reply_problem(ex, ERR_FORBIDDEN, "Meetings are the Department's: staff read them.");
    return false;
}

bool meeting_recorders_only(struct exchange *ex)
{
    if (decision_may_record(&ex->user.actor))
        return true;
    reply_problem(ex, ERR_FORBIDDEN,
                  "Only officers and supervisors record meetings and their decisions.");
    return false;
}

bool meeting_date_field(const cJSON *doc, const char *name, bool required, const char **out,
                        struct error *err)
{
    int days;
    if (!json_string_field(doc, name, required, false, false, 10, out, err) || !*out)
        return false;
    if (!civil_date_parse(*out, &days))
        return error_field(err, name, "invalid_format", "must be a real day YYYY-MM-DD");
    return true;
}

cJSON *meeting_new_body(const struct exchange *ex, struct meeting_input *in,
                        struct error *err)
{
    static const char *const allowed[] = {"kind", "cluster", "held_on", "title", "agenda",
                                          NULL};
    *in = (struct meeting_input){0};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    if (json_string_field(doc, "kind", true, false, false, 16, &in->kind, err) &&
        strcmp(in->kind, "province") != 0 && strcmp(in->kind, "cluster") != 0)
        error_field(err, "kind", "invalid_value", "must be province or cluster");
    bool cluster_kind = in->kind && strcmp(in->kind, "cluster") == 0;
    if (json_string_field(doc, "cluster", cluster_kind, true, false, 32, &in->cluster, err) &&
        in->cluster) {
        if (!cluster_kind)
            error_field(err, "cluster", "not_allowed", "is given only for a cluster meeting");
        else
            validate_code(err, "cluster", in->cluster);
    }
    meeting_date_field(doc, "held_on", true, &in->held_on, err);
    json_string_field(doc, "title", true, false, false, MEETING_TITLE_MAX, &in->title, err);
    in->agenda = issue_ref_list(doc, "agenda", MEETING_AGENDA_MAX, false, err);
    return doc;
}

cJSON *meeting_agenda_body(const struct exchange *ex, char **refs, struct error *err)
{
    static const char *const allowed[] = {"issues", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    *refs = doc ? issue_ref_list(doc, "issues", MEETING_AGENDA_MAX, true, err) : NULL;
    return doc;
}

void meetings_list(struct exchange *ex)
{
    static const char *const names[] = {"limit", NULL};
    struct error err = {0};
    if (!meeting_staff_only(ex))
        return;
    int limit = 0;
    struct db_rows *rows = NULL;
    if (query_check_names(ex, names, &err) &&
        (limit = query_limit(ex, MEETINGS_DEFAULT_LIMIT, MEETINGS_MAX_LIMIT, &err)) > 0 &&
        api_db(ex, &err))
        rows = db_meetings_list(ex->db, limit, &err);
    if (!rows) {
        reply_failure(ex, &err, "The meetings cannot be listed as asked; see errors.");
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    for (int i = 0; i < db_rows_count(rows); i++)
        cJSON_AddItemToArray(items, meeting_json(rows, i));
    db_rows_free(rows);
    reply_json(ex, 200, doc);
}

static cJSON *agenda_json(const struct db_rows *rows)
{
    cJSON *items = cJSON_CreateArray();
    for (int i = 0; i < db_rows_count(rows); i++) {
        cJSON *it = cJSON_CreateObject();
        cJSON_AddNumberToObject(it, "position", (double)db_rows_int(rows, i, "position"));
        cJSON_AddStringToObject(it, "ref", db_rows_get(rows, i, "ref"));
        cJSON_AddStringToObject(it, "title", db_rows_get(rows, i, "title"));
        cJSON_AddStringToObject(it, "status", db_rows_get(rows, i, "status"));
        cJSON_AddStringToObject(it, "school", db_rows_get(rows, i, "school"));
        cJSON_AddStringToObject(it, "school_name", db_rows_get(rows, i, "school_name"));
        cJSON_AddStringToObject(it, "division", db_rows_get(rows, i, "division"));
        cJSON_AddBoolToObject(it, "overdue", db_rows_bool(rows, i, "overdue"));
        cJSON_AddNumberToObject(it, "schools_affected",
                                (double)db_rows_int(rows, i, "schools_affected"));
        cJSON_AddItemToArray(items, it);
    }
    return items;
}

/* The whole meeting: the summary, its agenda, its decisions. */
static cJSON *meeting_document(struct exchange *ex, int id, struct error *err)
{
    struct db_rows *m = db_meeting_get(ex->db, id, err), *agenda = NULL, *decisions = NULL;
    cJSON *doc = NULL;
    if (m && db_rows_count(m) == 0)
        error_set(err, ERR_NOT_FOUND, "There is no meeting %d.", id);
    else if (m && (agenda = db_meeting_agenda(ex->db, id, err)) &&
             (decisions = db_decisions_of_meeting(ex->db, id, err))) {
        doc = meeting_json(m, 0);
        cJSON_AddItemToObject(doc, "agenda", agenda_json(agenda));
        cJSON *items = cJSON_AddArrayToObject(doc, "decisions");
        for (int i = 0; i < db_rows_count(decisions); i++)
            cJSON_AddItemToArray(items, decision_json(decisions, i, &ex->user.actor));
        cJSON *can = cJSON_AddObjectToObject(doc, "can");
        cJSON_AddBoolToObject(can, "change", decision_may_record(&ex->user.actor));
    }
    db_rows_free(m);
    db_rows_free(agenda);
    db_rows_free(decisions);
    return doc;
}

static void reply_meeting(struct exchange *ex, int status, int id)
{
    struct error err = {0};
    cJSON *doc = api_db(ex, &err) ? meeting_document(ex, id, &err) : NULL;
    if (doc)
        reply_json(ex, status, doc);
    else
        reply_failure(ex, &err, "The meeting cannot be read.");
}

void meetings_get(struct exchange *ex)
{
    if (meeting_staff_only(ex))
        reply_meeting(ex, 200, exchange_path_id(ex));
}

static bool add_meeting(struct exchange *ex, const struct meeting_input *in, int *id,
                        struct error *err)
{
    if (!issue_refs_known(ex->db, in->agenda, "agenda", err) ||
        !db_meeting_add(ex->db, in->kind, in->cluster, in->held_on, in->title,
                        ex->user.actor.user_id, id, err))
        return false;
    if (!*id)
        return error_field(err, "cluster", "unknown_code", "%s is not a known cluster",
                           in->cluster);
    return db_meeting_set_agenda(ex->db, *id, in->agenda, err);
}

void meetings_create(struct exchange *ex)
{
    struct error err = {0};
    struct meeting_input in;
    int id = 0;
    if (!meeting_recorders_only(ex))
        return;
    cJSON *doc = meeting_new_body(ex, &in, &err);
    struct db *db = error_is_set(&err) ? NULL : api_db(ex, &err);
    if (db && db_begin(db, &err) && !(add_meeting(ex, &in, &id, &err) && db_commit(db, &err)))
        db_rollback(db);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The meeting cannot be recorded as sent; see errors.");
    else
        reply_meeting(ex, 201, id);
    free(in.agenda);
    cJSON_Delete(doc);
}

static bool set_agenda(struct exchange *ex, int id, const char *refs, struct error *err)
{
    bool found = false;
    if (!db_meeting_lock(ex->db, id, &found, err))
        return false;
    if (!found)
        return error_set(err, ERR_NOT_FOUND, "There is no meeting %d.", id);
    return issue_refs_known(ex->db, refs, "issues", err) &&
           db_meeting_set_agenda(ex->db, id, refs, err);
}

void meetings_set_agenda(struct exchange *ex)
{
    struct error err = {0};
    char *refs = NULL;
    if (!meeting_recorders_only(ex))
        return;
    int id = exchange_path_id(ex);
    cJSON *doc = meeting_agenda_body(ex, &refs, &err);
    struct db *db = error_is_set(&err) ? NULL : api_db(ex, &err);
    if (db && db_begin(db, &err) && !(set_agenda(ex, id, refs, &err) && db_commit(db, &err)))
        db_rollback(db);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The agenda cannot be set as sent; see errors.");
    else
        reply_meeting(ex, 200, id);
    free(refs);
    cJSON_Delete(doc);
}

static const char *page_language(const struct exchange *ex, struct error *err)
{
    const char *lang = exchange_query(ex, "lang");
    if (!lang || strcmp(lang, "vi") == 0)
        return "vi";
    if (strcmp(lang, "en") == 0)
        return "en";
    error_field(err, "lang", "invalid_value", "must be vi or en");
    return NULL;
}

void meetings_agenda_page(struct exchange *ex)
{
    static const char *const names[] = {"lang", NULL};
    struct error err = {0};
    if (!meeting_staff_only(ex))
        return;
    int id = exchange_path_id(ex);
    const char *lang = query_check_names(ex, names, &err) ? page_language(ex, &err) : NULL;
    struct db_rows *m = NULL, *agenda = NULL, *history = NULL;
    if (lang && api_db(ex, &err) && (m = db_meeting_get(ex->db, id, &err)) &&
        db_rows_count(m) == 0)
        error_set(&err, ERR_NOT_FOUND, "There is no meeting %d.", id);
    else if (m && (agenda = db_meeting_agenda(ex->db, id, &err)))
        history = db_meeting_agenda_history(ex->db, id, AGENDA_HISTORY_PER_ISSUE, &err);
    if (history) {
        struct agenda_page page = {.meeting = m, .agenda = agenda, .history = history,
                                   .english = strcmp(lang, "en") == 0};
        ex->csp = agenda_html_csp();
        reply_document(ex, 200, "text/html; charset=utf-8", agenda_html(&page));
    } else {
        reply_failure(ex, &err, "The agenda cannot be printed as asked; see errors.");
    }
    db_rows_free(m);
    db_rows_free(agenda);
    db_rows_free(history);
}
