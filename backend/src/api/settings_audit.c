/* settings_audit.c -- the audit rows of the SLA policies and the working calendar: what
 * is stored is read inside the change's transaction, before the change, and compared
 * with what the request sends. */
#include "api/admin_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/sla_store.h"
#include "util/xalloc.h"

bool audit_sla_change(struct exchange *ex, const struct sla_policy *policies,
                      struct error *err)
{
    struct db_rows *rows = db_sla_policy_rows(ex->db, err);
    if (!rows)
        return false;
    cJSON *details = cJSON_CreateObject();
    char field[64];
    for (int i = 0; i < db_rows_count(rows); i++) {
        enum priority p;
        if (!priority_parse(db_rows_get(rows, i, "priority"), &p))
            continue;
        const struct sla_policy *now = &policies[p];
        int first = (int)db_rows_int(rows, i, "first_response_hours");
        int resolution = (int)db_rows_int(rows, i, "resolution_hours");
        const char *clock = db_rows_get(rows, i, "clock");
        snprintf(field, sizeof field, "%s.first_response_hours", priority_name(p));
        if (first != now->first_response_hours)
            audit_change(details, field, cJSON_CreateNumber(first),
                         cJSON_CreateNumber(now->first_response_hours));
        snprintf(field, sizeof field, "%s.resolution_hours", priority_name(p));
        if (resolution != now->resolution_hours)
            audit_change(details, field, cJSON_CreateNumber(resolution),
                         cJSON_CreateNumber(now->resolution_hours));
        snprintf(field, sizeof field, "%s.clock", priority_name(p));
        if (strcmp(clock, sla_clock_name(now->clock)) != 0)
            audit_change_text(details, field, clock, sla_clock_name(now->clock));
    }
    db_rows_free(rows);
    if (!details->child) {
        cJSON_Delete(details);
        return true;
    }
    return audit_record(ex, "sla.update", "sla_policies", details, err);
}

/* ----------------------------------------------------------------------- calendar */

static int compare_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A sorted list of owned strings, so two calendars compare whatever their order. */
struct text_list {
    char **items;
    int n;
};

static void list_add(struct text_list *l, char *s)
{
    l->items = xrealloc(l->items, sizeof *l->items * (size_t)(l->n + 1));
    l->items[l->n++] = s;
}

static void list_free(struct text_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
}

static bool list_has(const struct text_list *l, const char *s)
{
    return l->n && bsearch(&s, l->items, (size_t)l->n, sizeof *l->items, compare_text);
}

static cJSON *list_json(const struct text_list *l, const struct text_list *minus)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < l->n; i++)
        if (!minus || !list_has(minus, l->items[i]))
            cJSON_AddItemToArray(arr, cJSON_CreateString(l->items[i]));
    return arr;
}

static bool lists_equal(const struct text_list *a, const struct text_list *b)
{
    if (a->n != b->n)
        return false;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->items[i], b->items[i]) != 0)
            return false;
    return true;
}

/* "1 07:00-11:30" per working stretch; "2026-01-01 Tết Dương lịch" per holiday. */
static bool stored_lists(struct db *db, struct text_list *hours, struct text_list *days,
                         struct error *err)
{
    struct db_rows *h = db_working_hour_rows(db, err);
    struct db_rows *d = h ? db_holiday_rows(db, err) : NULL;
    for (int i = 0; d && i < db_rows_count(h); i++)
        list_add(hours, xasprintf("%s %s-%s", db_rows_get(h, i, "weekday"),
                                  db_rows_get(h, i, "start"), db_rows_get(h, i, "end")));
    for (int i = 0; d && i < db_rows_count(d); i++)
        list_add(days, xasprintf("%s %s", db_rows_get(d, i, "date"), db_rows_get(d, i, "name")));
    db_rows_free(h);
    db_rows_free(d);
    return d != NULL;
}

/* The same from a calendar the PUT handler has already checked. */
static void sent_lists(const cJSON *calendar, struct text_list *hours, struct text_list *days)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(calendar, "working_hours"))
        list_add(hours, xasprintf("%d %s-%s",
            cJSON_GetObjectItemCaseSensitive(item, "weekday")->valueint,
            cJSON_GetObjectItemCaseSensitive(item, "start")->valuestring,
            cJSON_GetObjectItemCaseSensitive(item, "end")->valuestring));
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(calendar, "holidays"))
        list_add(days, xasprintf("%s %s",
            cJSON_GetObjectItemCaseSensitive(item, "date")->valuestring,
            cJSON_GetObjectItemCaseSensitive(item, "name")->valuestring));
}

static void sort_list(struct text_list *l)
{
    if (l->n)
        qsort(l->items, (size_t)l->n, sizeof *l->items, compare_text);
}

bool audit_calendar_change(struct exchange *ex, const cJSON *calendar, struct error *err)
{
    struct text_list was_hours = {0}, was_days = {0}, now_hours = {0}, now_days = {0};
    bool ok = stored_lists(ex->db, &was_hours, &was_days, err);
    sent_lists(calendar, &now_hours, &now_days);
    struct text_list *all[] = {&was_hours, &was_days, &now_hours, &now_days};
    for (int i = 0; i < 4; i++)
        sort_list(all[i]);
    cJSON *details = cJSON_CreateObject();
    if (ok && !lists_equal(&was_hours, &now_hours))
        audit_change(details, "working_hours", list_json(&was_hours, NULL),
                     list_json(&now_hours, NULL));
    if (ok && !lists_equal(&was_days, &now_days)) {
        cJSON *holidays = cJSON_AddObjectToObject(details, "holidays");
        cJSON_AddItemToObject(holidays, "added", list_json(&now_days, &was_days));
        cJSON_AddItemToObject(holidays, "removed", list_json(&was_days, &now_days));
    }
    if (ok && details->child)
        ok = audit_record(ex, "calendar.update", "calendar", details, err);
    else
        cJSON_Delete(details);
    for (int i = 0; i < 4; i++)
        list_free(all[i]);
    return ok;
}
