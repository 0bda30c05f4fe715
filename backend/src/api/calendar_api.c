/* calendar_api.c -- GET/PUT /api/calendar: working hours per weekday and public holidays.
 * The whole calendar is checked (times, dates, overlaps) before any of it is stored. */
#include "api/sla_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/admin_api.h"
#include "api/json_input.h"
#include "api/json_item.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "db/sla_store.h"
#include "domain/civil_date.h"
#include "domain/sla_clock.h"
#include "util/xalloc.h"

static cJSON *working_hours_json(const struct db_rows *rows)
{
    cJSON *list = cJSON_CreateArray();
    for (int i = 0; i < db_rows_count(rows); i++) {
        cJSON *item = cJSON_CreateObject();
        cJSON_AddNumberToObject(item, "weekday", (double)db_rows_int(rows, i, "weekday"));
        cJSON_AddStringToObject(item, "start", db_rows_get(rows, i, "start"));
        cJSON_AddStringToObject(item, "end", db_rows_get(rows, i, "end"));
        cJSON_AddItemToArray(list, item);
    }
    return list;
}

static cJSON *holidays_json(const struct db_rows *rows)
{
    cJSON *list = cJSON_CreateArray();
    for (int i = 0; i < db_rows_count(rows); i++) {
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "date", db_rows_get(rows, i, "date"));
        cJSON_AddStringToObject(item, "name", db_rows_get(rows, i, "name"));
        cJSON_AddItemToArray(list, item);
    }
    return list;
}

static void reply_calendar(struct exchange *ex)
{
    struct error err = {0};
    struct db_rows *hours = db_working_hour_rows(ex->db, &err);
    struct db_rows *days = hours ? db_holiday_rows(ex->db, &err) : NULL;
    if (days) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddItemToObject(doc, "working_hours", working_hours_json(hours));
        cJSON_AddItemToObject(doc, "holidays", holidays_json(days));
        reply_json(ex, 200, doc);
    } else {
        reply_error(ex, &err);
    }
    db_rows_free(hours);
    db_rows_free(days);
}

void calendar_get(struct exchange *ex)
{
    struct error err = {0};
    if (!api_db(ex, &err)) {
        reply_error(ex, &err);
        return;
    }
    reply_calendar(ex);
}

/* "HH:MM" (00:00-24:00) to minutes after midnight; -1 when it is not one. */
static bool digits_at(const char *s, const int *positions, int n)
{
    for (int i = 0; i < n; i++)
        if (s[positions[i]] < '0' || s[positions[i]] > '9')
            return false;
    return true;
}

static int parse_clock_time(const char *s)
{
    static const int digits[] = {0, 1, 3, 4};
    if (!s || strlen(s) != 5 || s[2] != ':' || !digits_at(s, digits, 4))
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0))
        return -1;
    return h * 60 + m;
}

static bool valid_date(const char *s)
{
    int days;
    return civil_date_parse(s, &days);
}

static void read_interval(const cJSON *item, int i, struct calendar_input *in, struct error *err)
{
    static const char *const allowed[] = {"weekday", "start", "end", NULL};
    char label[48], field[80];
    snprintf(label, sizeof label, "working_hours[%d]", i);
    if (!cJSON_IsObject(item) || !json_keys_allowed(item, allowed, label, err)) {
        if (!cJSON_IsObject(item))
            error_field(err, label, "not_object", "must be an object");
        return;
    }
    struct work_interval w = {0};
    snprintf(field, sizeof field, "%s.weekday", label);
    json_int_field(item, "weekday", field, 1, 7, &w.weekday, err);
    const char *start = NULL, *end = NULL;
    json_item_string(item, label, "start", 5, &start, err);
    json_item_string(item, label, "end", 5, &end, err);
    w.start_minute = parse_clock_time(start);
    w.end_minute = parse_clock_time(end);
    if (start && w.start_minute < 0)
        error_field(err, label, "invalid_format", "start must be a time HH:MM");
    if (end && w.end_minute < 0)
        error_field(err, label, "invalid_format", "end must be a time HH:MM");
    if (w.start_minute >= 0 && w.end_minute >= 0 && w.start_minute >= w.end_minute)
        error_field(err, label, "invalid_range", "must end after it starts");
    in->starts[in->nintervals] = start;
    in->ends[in->nintervals] = end;
    in->intervals[in->nintervals++] = w;
}

static void read_holiday(const cJSON *item, int i, struct calendar_input *in, struct error *err)
{
    static const char *const allowed[] = {"date", "name", NULL};
    char label[48];
    snprintf(label, sizeof label, "holidays[%d]", i);
    if (!cJSON_IsObject(item)) {
        error_field(err, label, "not_object", "must be an object");
        return;
    }
    json_keys_allowed(item, allowed, label, err);
    const char *date = NULL, *name = NULL;
    json_item_string(item, label, "date", 10, &date, err);
    json_item_string(item, label, "name", 200, &name, err);
    if (date && !valid_date(date))
        error_field(err, label, "invalid_format", "date must be a real day YYYY-MM-DD");
    for (size_t k = 0; date && k < in->nholidays; k++)
        if (in->dates[k] && strcmp(in->dates[k], date) == 0)
            error_field(err, label, "repeated", "%s appears more than once", date);
    in->dates[in->nholidays] = date;
    in->names[in->nholidays++] = name;
}

static bool read_list(const cJSON *doc, const char *key, struct calendar_input *in,
                      void (*read)(const cJSON *, int, struct calendar_input *, struct error *),
                      struct error *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, key);
    if (!cJSON_IsArray(list))
        return error_field(err, key, "not_array", "must be a list");
    if (cJSON_GetArraySize(list) > MAX_CALENDAR_ROWS)
        return error_field(err, key, "too_many",
                           "must have at most %d entries", MAX_CALENDAR_ROWS)
               || error_param(err, "max", MAX_CALENDAR_ROWS);
    int i = 0;
    for (const cJSON *item = list->child; item; item = item->next)
        read(item, i++, in, err);
    return !error_is_set(err);
}

cJSON *calendar_body(const struct exchange *ex, struct calendar_input *in, struct error *err)
{
    static const char *const allowed[] = {"working_hours", "holidays", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    read_list(doc, "working_hours", in, read_interval, err);
    read_list(doc, "holidays", in, read_holiday, err);
    if (error_is_set(err))
        return doc;
    const char *reason = NULL;
    struct work_calendar cal = {in->intervals, in->nintervals, NULL, 0};
    if (!sla_calendar_valid(&cal, &reason))
        error_field(err, "working_hours", "invalid_value", "%s", reason);
    return doc;
}

static bool store_calendar(struct exchange *ex, const cJSON *doc,
                           const struct calendar_input *in, struct error *err)
{
    struct db *db = ex->db;
    bool ok = db_begin(db, err) && audit_calendar_change(ex, doc, err) &&
              db_calendar_clear(db, err);
    for (size_t i = 0; ok && i < in->nintervals; i++)
        ok = db_working_hours_add(db, in->intervals[i].weekday, in->starts[i], in->ends[i], err);
    for (size_t i = 0; ok && i < in->nholidays; i++)
        ok = db_holiday_add(db, in->dates[i], in->names[i], err);
    ok = ok && db_commit(db, err);
    if (!ok)
        db_rollback(db);
    return ok;
}

void calendar_put(struct exchange *ex)
{
    struct error err = {0};
    if (ex->user.actor.role != ROLE_ADMIN) {
        reply_problem(ex, ERR_FORBIDDEN, "Only an admin can change the calendar.");
        return;
    }
    struct calendar_input *in = xcalloc(1, sizeof *in);
    cJSON *doc = calendar_body(ex, in, &err);
    bool ok = !error_is_set(&err) && api_db(ex, &err) &&
              store_calendar(ex, doc, in, &err);
    if (ok) {
        reply_calendar(ex);
    } else {
        reply_failure(ex, &err, "The calendar cannot be saved as sent; see errors.");
    }
    cJSON_Delete(doc);
    free(in);
}
