/* issue_json.c -- rows to JSON, column by column, with types from a table. */
#include "api/issue_json.h"

#include <stdlib.h>

enum column_type { COL_TEXT, COL_INT, COL_BOOL, COL_JSON };

struct column {
    const char *name;
    enum column_type type;
};

static const struct column ISSUE_COLUMNS[] = {
    {"ref", COL_TEXT}, {"title", COL_TEXT}, {"description", COL_TEXT},
    {"proposed_solution", COL_TEXT}, {"status", COL_TEXT}, {"priority", COL_TEXT},
    {"category", COL_TEXT}, {"category_kind", COL_TEXT}, {"division", COL_TEXT},
    {"school", COL_TEXT}, {"school_name", COL_TEXT}, {"cluster", COL_TEXT},
    {"escalation_level", COL_INT}, {"reopen_count", COL_INT}, {"duplicate_of", COL_TEXT},
    {"overdue", COL_BOOL}, {"due_first_response_at", COL_TEXT},
    {"due_resolution_at", COL_TEXT}, {"first_response_at", COL_TEXT},
    {"resolved_at", COL_TEXT}, {"closed_at", COL_TEXT}, {"created_at", COL_TEXT},
    {"updated_at", COL_TEXT},
};

static const struct column EVENT_COLUMNS[] = {
    {"id", COL_INT}, {"action", COL_TEXT}, {"from_status", COL_TEXT},
    {"to_status", COL_TEXT}, {"note", COL_TEXT}, {"internal", COL_BOOL},
    {"details", COL_JSON}, {"created_at", COL_TEXT},
};

static void add_column(cJSON *obj, const struct db_rows *rows, int row, const struct column *c)
{
    const char *v = db_rows_get(rows, row, c->name);
    if (!v) {
        cJSON_AddNullToObject(obj, c->name);
        return;
    }
    switch (c->type) {
    case COL_TEXT: cJSON_AddStringToObject(obj, c->name, v); break;
    case COL_INT:  cJSON_AddNumberToObject(obj, c->name, (double)strtoll(v, NULL, 10)); break;
    case COL_BOOL: cJSON_AddBoolToObject(obj, c->name, v[0] == 't'); break;
    case COL_JSON: {
        cJSON *parsed = cJSON_Parse(v);
        cJSON_AddItemToObject(obj, c->name, parsed ? parsed : cJSON_CreateNull());
        break;
    }
    }
}

static void add_columns(cJSON *obj, const struct db_rows *rows, int row,
                        const struct column *columns, size_t count)
{
    for (size_t i = 0; i < count; i++)
        add_column(obj, rows, row, &columns[i]);
}

/* {"login", "name"} from two columns, or null when the login is NULL. */
static void add_person(cJSON *obj, const char *key, const struct db_rows *rows, int row,
                       const char *login_col, const char *name_col, const char *role_col)
{
    const char *login = db_rows_get(rows, row, login_col);
    if (!login) {
        cJSON_AddNullToObject(obj, key);
        return;
    }
    cJSON *person = cJSON_AddObjectToObject(obj, key);
    cJSON_AddStringToObject(person, "login", login);
    cJSON_AddStringToObject(person, "name", db_rows_get(rows, row, name_col));
    if (role_col)
        cJSON_AddStringToObject(person, "role", db_rows_get(rows, row, role_col));
}

cJSON *issue_json(const struct db_rows *rows, int row)
{
    cJSON *obj = cJSON_CreateObject();
    add_columns(obj, rows, row, ISSUE_COLUMNS, sizeof ISSUE_COLUMNS / sizeof *ISSUE_COLUMNS);
    add_person(obj, "filed_by", rows, row, "filed_by_login", "filed_by_name", NULL);
    add_person(obj, "assignee", rows, row, "assignee_login", "assignee_name", NULL);
    return obj;
}

cJSON *event_json(const struct db_rows *rows, int row)
{
    cJSON *obj = cJSON_CreateObject();
    add_columns(obj, rows, row, EVENT_COLUMNS, sizeof EVENT_COLUMNS / sizeof *EVENT_COLUMNS);
    add_person(obj, "actor", rows, row, "actor_login", "actor_name", "actor_role");
    return obj;
}

cJSON *issue_with_events_json(const struct db_rows *issue, const struct db_rows *events)
{
    cJSON *obj = issue_json(issue, 0);
    cJSON *list = cJSON_AddArrayToObject(obj, "events");
    for (int i = 0; i < db_rows_count(events); i++)
        cJSON_AddItemToArray(list, event_json(events, i));
    return obj;
}
