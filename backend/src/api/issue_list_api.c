/* issue_list_api.c -- GET /api/issues: filters checked one by one, the actor's scope cut,
 * keyset pagination with an opaque "<created microseconds>.<id>" cursor. */
#include "api/issues_api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/issue_json.h"
#include "api/reply.h"
#include "db/issue_store.h"
#include "db/reference_store.h"
#include "domain/access.h"
#include "domain/validate.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 200

static const char *const FILTER_NAMES[] = {
    "status", "school", "cluster", "category", "division", "assignee", "priority",
    "overdue", "escalated", "q", "limit", "cursor", NULL,
};

static bool check_names_and_text(const struct exchange *ex, struct error *err)
{
    if (ex->query_overflow)
        error_field(err, "query", "too_many", "has too many parameters");
    for (int i = 0; i < ex->nquery; i++) {
        const char *key = ex->query[i].key, *value = ex->query[i].value;
        bool known = false;
        for (const char *const *n = FILTER_NAMES; *n && !known; n++)
            known = strcmp(*n, key) == 0;
        if (!known)
            error_field(err, key, "unknown_parameter", "is not a known filter");
        else if (!value || !utf8_valid(value, strlen(value)))
            error_field(err, key, "invalid_utf8", "is not valid UTF-8");
        else if (exchange_query(ex, key) != value)
            error_field(err, key, "repeated", "appears more than once");
    }
    return !error_is_set(err);
}

static bool parse_long(const char *s, long long *out)
{
    if (!s[0] || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
        return false;
    *out = strtoll(s, NULL, 10);
    return true;
}

static void read_limit(const char *value, struct issue_filter *f, struct error *err)
{
    long long n = DEFAULT_LIMIT;
    if (value && (!parse_long(value, &n) || n < 1 || n > MAX_LIMIT)) {
        error_field(err, "limit", "out_of_range", "must be a whole number from 1 to %d",
                    MAX_LIMIT);
        error_param(err, "min", 1);
        error_param(err, "max", MAX_LIMIT);
    }
    f->limit = (int)n;
}

static void read_cursor(const char *value, struct issue_filter *f, struct error *err)
{
    if (!value)
        return;
    char micros[24] = "", id[24] = "";
    const char *dot = strchr(value, '.');
    if (dot && (size_t)(dot - value) < sizeof micros && strlen(dot + 1) < sizeof id) {
        memcpy(micros, value, (size_t)(dot - value));
        strcpy(id, dot + 1);
    }
    if (!parse_long(micros, &f->cursor_created_us) || !parse_long(id, &f->cursor_id)) {
        error_field(err, "cursor", "invalid_cursor", "is not a cursor this server gave out");
        return;
    }
    f->has_cursor = true;
}

/* A true|false filter: 1, 0, or -1 when absent. */
static int read_flag(const struct exchange *ex, const char *name, struct error *err)
{
    const char *value = exchange_query(ex, name);
    if (!value)
        return -1;
    if (strcmp(value, "true") == 0)
        return 1;
    if (strcmp(value, "false") == 0)
        return 0;
    error_field(err, name, "not_boolean", "must be true or false");
    return -1;
}

static void read_enums(const struct exchange *ex, struct issue_filter *f, struct error *err)
{
    enum status s;
    enum priority p;
    f->status = exchange_query(ex, "status");
    if (f->status && !status_parse(f->status, &s))
        error_field(err, "status", "invalid_value", "is not a known status");
    f->priority = exchange_query(ex, "priority");
    if (f->priority && !priority_parse(f->priority, &p))
        error_field(err, "priority", "invalid_value", "must be one of low, normal, high, urgent");
    f->overdue = read_flag(ex, "overdue", err);
    f->escalated = read_flag(ex, "escalated", err);
    f->q = exchange_query(ex, "q");
    if (f->q && !validate_text(err, "q", f->q, TITLE_MAX_CHARS))
        f->q = NULL;
}

/* Codes must name something that exists: a typo is an error, not an empty list. */
static bool check_code(struct db *db, enum reference_kind kind, const char *field,
                       const char *code, struct error *err)
{
    if (!code)
        return true;
    bool exists = false;
    if (!validate_code(err, field, code))
        return false;
    if (!db_reference_exists(db, kind, code, &exists, err))
        return false;
    return exists || error_field(err, field, "unknown_code", "%s is not a known code", code);
}

static bool read_codes(struct db *db, const struct exchange *ex, struct issue_filter *f,
                       struct error *err)
{
    f->school = exchange_query(ex, "school");
    f->cluster = exchange_query(ex, "cluster");
    f->category = exchange_query(ex, "category");
    f->division = exchange_query(ex, "division");
    f->assignee = exchange_query(ex, "assignee");
    /* Every code is checked, so one answer names every wrong one. */
    bool ok = check_code(db, REF_SCHOOLS, "school", f->school, err);
    ok = check_code(db, REF_CLUSTERS, "cluster", f->cluster, err) && ok;
    ok = check_code(db, REF_CATEGORIES, "category", f->category, err) && ok;
    ok = check_code(db, REF_DIVISIONS, "division", f->division, err) && ok;
    if (f->assignee && !validate_login(err, "assignee", f->assignee))
        ok = false;
    return ok && err->kind != ERR_UNAVAILABLE && err->kind != ERR_INTERNAL;
}

static cJSON *page_json(const struct db_rows *rows, int limit)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    int count = db_rows_count(rows);
    int shown = count > limit ? limit : count;
    for (int i = 0; i < shown; i++)
        cJSON_AddItemToArray(items, issue_json(rows, i));
    if (count > limit) {
        char cursor[48];
        snprintf(cursor, sizeof cursor, "%s.%s", db_rows_get(rows, shown - 1, "keyset_created_us"),
                 db_rows_get(rows, shown - 1, "id"));
        cJSON_AddStringToObject(doc, "next_cursor", cursor);
    } else {
        cJSON_AddNullToObject(doc, "next_cursor");
    }
    return doc;
}

void issues_list(struct exchange *ex)
{
    struct error err = {0};
    struct issue_filter f = {
        .scope_school_id = access_list_school(&ex->user.actor),
        .scope_cluster_id = access_list_cluster(&ex->user.actor),
    };
    struct db_rows *rows = NULL;
    struct db *db = NULL;
    check_names_and_text(ex, &err);
    read_enums(ex, &f, &err);
    read_limit(exchange_query(ex, "limit"), &f, &err);
    read_cursor(exchange_query(ex, "cursor"), &f, &err);
    if (error_is_set(&err) || !(db = api_db(ex, &err)) || !read_codes(db, ex, &f, &err))
        goto out;
    rows = db_issue_list(db, &f, &err);
    if (rows)
        reply_json(ex, 200, page_json(rows, f.limit));
out:
    if (error_is_set(&err)) {
        reply_failure(ex, &err, "The list cannot be filtered as asked; see errors.");
    }
    db_rows_free(rows);
}
