/* issue_json.c -- rows to JSON, column by column, with types from a table. */
#include "api/issue_json.h"

#include <stdlib.h>

#include "domain/department_time.h"

/* COL_TIME: the column holds microseconds since the epoch (EPOCH_US in db/issue_sql.h);
 * the field gets the Department's RFC 3339 text. */
enum column_type { COL_TEXT, COL_INT, COL_BOOL, COL_JSON, COL_TIME };

/* name: the field; column: the result's column. */
struct column {
    const char *name;
    enum column_type type;
    const char *column;
};

#define TEXT(name) {name, COL_TEXT, name}
#define INT(name)  {name, COL_INT, name}
#define BOOL(name) {name, COL_BOOL, name}
#define TIME(name) {name, COL_TIME, name "_us"}

static const struct column ISSUE_COLUMNS[] = {
    TEXT("ref"), TEXT("title"), TEXT("description"), TEXT("proposed_solution"),
    TEXT("status"), TEXT("priority"), TEXT("category"), TEXT("category_kind"),
    TEXT("division"), TEXT("school"), TEXT("school_name"), TEXT("cluster"),
    INT("escalation_level"), INT("reopen_count"), TEXT("duplicate_of"), BOOL("overdue"),
    BOOL("category_sensitive"), BOOL("shared"), INT("schools_affected"), BOOL("cosigned"),
    TEXT("parent"), INT("child_count"),
    TIME("due_first_response_at"), TIME("due_resolution_at"), TIME("first_response_at"),
    TIME("resolved_at"), TIME("closed_at"), TIME("created_at"), TIME("updated_at"),
};

static const struct column EVENT_COLUMNS[] = {
    INT("id"), TEXT("action"), TEXT("from_status"), TEXT("to_status"), TEXT("note"),
    BOOL("internal"), {"details", COL_JSON, "details"}, TIME("created_at"),
};

static cJSON *time_item(const char *epoch_us)
{
    char text[DEPARTMENT_TIME_LEN];
    if (!department_time_format(strtoll(epoch_us, NULL, 10), text))
        return cJSON_CreateNull();   /* no stored instant is outside years 1000-9999 */
    return cJSON_CreateString(text);
}

static cJSON *column_item(const char *v, enum column_type type)
{
    if (!v)
        return cJSON_CreateNull();
    switch (type) {
    case COL_TEXT: return cJSON_CreateString(v);
    case COL_INT:  return cJSON_CreateNumber((double)strtoll(v, NULL, 10));
    case COL_BOOL: return cJSON_CreateBool(v[0] == 't');
    case COL_TIME: return time_item(v);
    case COL_JSON: {
        cJSON *parsed = cJSON_Parse(v);
        return parsed ? parsed : cJSON_CreateNull();
    }
    }
    return cJSON_CreateNull();
}

/* The field names are the tables' string literals: added as constants (the CS calls), so
 * a page of 50 issues does not copy some 1,500 of them. */
static void add_column(cJSON *obj, const struct db_rows *rows, int row, const struct column *c)
{
    cJSON_AddItemToObjectCS(obj, c->name, column_item(db_rows_get(rows, row, c->column), c->type));
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
        cJSON_AddItemToObjectCS(obj, key, cJSON_CreateNull());
        return;
    }
    cJSON *person = cJSON_CreateObject();
    cJSON_AddItemToObjectCS(obj, key, person);
    cJSON_AddItemToObjectCS(person, "login", cJSON_CreateString(login));
    cJSON_AddItemToObjectCS(person, "name", cJSON_CreateString(db_rows_get(rows, row, name_col)));
    if (role_col)
        cJSON_AddItemToObjectCS(person, "role",
                                cJSON_CreateString(db_rows_get(rows, row, role_col)));
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
