/* decision_json.c -- meetings and decisions as JSON, as decision_json.h says. */
#include "api/decision_json.h"

#include "api/reply.h"

struct decision_facts decision_facts_of(const struct db_rows *rows, int row)
{
    return (struct decision_facts){
        .division_id = (int)db_rows_int(rows, row, "division_id"),
        .recorded_by = (int)db_rows_int(rows, row, "recorded_by_id"),
        .done = db_rows_bool(rows, row, "done"),
    };
}

static cJSON *meeting_ref(const struct db_rows *rows, int row)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "id", (double)db_rows_int(rows, row, "meeting_id"));
    cJSON_AddStringToObject(m, "title", db_rows_get(rows, row, "meeting_title"));
    cJSON_AddStringToObject(m, "held_on", db_rows_get(rows, row, "held_on"));
    cJSON_AddStringToObject(m, "kind", db_rows_get(rows, row, "meeting_kind"));
    json_add_text_or_null(m, "cluster", db_rows_get(rows, row, "meeting_cluster"));
    return m;
}

static cJSON *permissions(const struct db_rows *rows, int row, const struct actor *a)
{
    struct decision_facts f = decision_facts_of(rows, row);
    bool may = decision_may_change(a, &f);
    cJSON *can = cJSON_CreateObject();
    cJSON_AddBoolToObject(can, "change", may && decision_act_decide(&f, DECISION_ACT_CHANGE).allowed);
    cJSON_AddBoolToObject(can, "done", may && decision_act_decide(&f, DECISION_ACT_DONE).allowed);
    cJSON_AddBoolToObject(can, "reopen", may && decision_act_decide(&f, DECISION_ACT_REOPEN).allowed);
    return can;
}

cJSON *decision_json(const struct db_rows *rows, int row, const struct actor *a)
{
    bool done = db_rows_bool(rows, row, "done");
    enum decision_state state = decision_state_at(
        done, done ? db_rows_int(rows, row, "done_epoch") : 0,
        (int)db_rows_int(rows, row, "due_days"), db_rows_int(rows, row, "now_epoch"));
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "id", (double)db_rows_int(rows, row, "id"));
    cJSON_AddItemToObject(d, "meeting", meeting_ref(rows, row));
    cJSON_AddStringToObject(d, "body", db_rows_get(rows, row, "body"));
    cJSON_AddStringToObject(d, "division", db_rows_get(rows, row, "division"));
    cJSON_AddStringToObject(d, "division_name", db_rows_get(rows, row, "division_name"));
    json_add_text_or_null(d, "responsible", db_rows_get(rows, row, "responsible"));
    json_add_text_or_null(d, "responsible_name", db_rows_get(rows, row, "responsible_name"));
    cJSON_AddStringToObject(d, "due_on", db_rows_get(rows, row, "due_on"));
    cJSON_AddStringToObject(d, "recorded_by", db_rows_get(rows, row, "recorded_by"));
    cJSON_AddStringToObject(d, "recorded_by_name", db_rows_get(rows, row, "recorded_by_name"));
    cJSON_AddStringToObject(d, "recorded_at", db_rows_get(rows, row, "recorded_at"));
    json_add_text_or_null(d, "done_at", db_rows_get(rows, row, "done_at"));
    json_add_text_or_null(d, "done_by", db_rows_get(rows, row, "done_by"));
    json_add_text_or_null(d, "done_by_name", db_rows_get(rows, row, "done_by_name"));
    json_add_text_or_null(d, "done_note", db_rows_get(rows, row, "done_note"));
    cJSON_AddStringToObject(d, "state", decision_state_name(state));
    cJSON *issues = cJSON_Parse(db_rows_get(rows, row, "issues"));
    cJSON_AddItemToObject(d, "issues", issues ? issues : cJSON_CreateArray());
    cJSON_AddItemToObject(d, "can", permissions(rows, row, a));
    return d;
}

cJSON *meeting_json(const struct db_rows *rows, int row)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "id", (double)db_rows_int(rows, row, "id"));
    cJSON_AddStringToObject(m, "kind", db_rows_get(rows, row, "kind"));
    json_add_text_or_null(m, "cluster", db_rows_get(rows, row, "cluster"));
    json_add_text_or_null(m, "cluster_name", db_rows_get(rows, row, "cluster_name"));
    cJSON_AddStringToObject(m, "held_on", db_rows_get(rows, row, "held_on"));
    cJSON_AddStringToObject(m, "title", db_rows_get(rows, row, "title"));
    cJSON_AddStringToObject(m, "created_by", db_rows_get(rows, row, "created_by"));
    cJSON_AddStringToObject(m, "created_at", db_rows_get(rows, row, "created_at"));
    cJSON_AddNumberToObject(m, "agenda_count", (double)db_rows_int(rows, row, "agenda_count"));
    cJSON *counts = cJSON_AddObjectToObject(m, "decisions");
    cJSON_AddNumberToObject(counts, "open", (double)db_rows_int(rows, row, "open"));
    cJSON_AddNumberToObject(counts, "overdue", (double)db_rows_int(rows, row, "overdue"));
    cJSON_AddNumberToObject(counts, "done", (double)db_rows_int(rows, row, "done"));
    return m;
}
