/* sla_store.c -- SQL for SLA policies, working hours and holidays. */
#include "db/sla_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/xalloc.h"

static bool load_policies(struct db *db, struct sla_settings *out, struct error *err)
{
    struct db_rows *rows = db_sla_policy_rows(db, err);
    if (!rows)
        return false;
    int found = 0;
    for (int i = 0; i < db_rows_count(rows); i++) {
        enum priority p;
        if (!priority_parse(db_rows_get(rows, i, "priority"), &p))
            continue;
        struct sla_policy *policy = &out->policies[p];
        policy->first_response_hours = (int)db_rows_int(rows, i, "first_response_hours");
        policy->resolution_hours = (int)db_rows_int(rows, i, "resolution_hours");
        sla_clock_parse(db_rows_get(rows, i, "clock"), &policy->clock);
        found++;
    }
    db_rows_free(rows);
    if (found != PRIORITY_COUNT)
        return error_set(err, ERR_INTERNAL, "SLA policies are missing for some priorities");
    return true;
}

static bool load_calendar(struct db *db, struct sla_settings *out, struct error *err)
{
    struct db_rows *hours = db_query(db,
        "SELECT weekday, extract(epoch FROM starts)::int / 60 AS start_minute,"
        " extract(epoch FROM ends)::int / 60 AS end_minute FROM working_hours"
        " ORDER BY weekday, starts", 0, NULL, err);
    struct db_rows *days = hours ? db_query(db,
        "SELECT (day - date '1970-01-01') AS day_number FROM holidays ORDER BY day",
        0, NULL, err) : NULL;
    bool ok = days != NULL;
    if (ok) {
        int nh = db_rows_count(hours), nd = db_rows_count(days);
        out->intervals = xcalloc((size_t)nh, sizeof *out->intervals);
        out->holidays = xcalloc((size_t)nd, sizeof *out->holidays);
        for (int i = 0; i < nh; i++)
            out->intervals[i] = (struct work_interval){
                .weekday = (int)db_rows_int(hours, i, "weekday"),
                .start_minute = (int)db_rows_int(hours, i, "start_minute"),
                .end_minute = (int)db_rows_int(hours, i, "end_minute"),
            };
        for (int i = 0; i < nd; i++)
            out->holidays[i] = (int32_t)db_rows_int(days, i, "day_number");
        out->calendar = (struct work_calendar){out->intervals, (size_t)nh,
                                               out->holidays, (size_t)nd};
    }
    db_rows_free(hours);
    db_rows_free(days);
    return ok;
}

bool db_sla_version(struct db *db, long long *version, struct error *err)
{
    struct db_rows *rows = db_query(db, "SELECT version FROM sla_settings_version", 0, NULL, err);
    if (!rows)
        return false;
    bool found = db_rows_count(rows) == 1;
    if (found)
        *version = db_rows_int(rows, 0, "version");
    db_rows_free(rows);
    return found || error_set(err, ERR_INTERNAL, "the SLA settings have no version row");
}

bool db_sla_load(struct db *db, struct sla_settings *out, struct error *err)
{
    *out = (struct sla_settings){0};
    if (load_policies(db, out, err) && load_calendar(db, out, err))
        return true;
    sla_settings_free(out);
    return false;
}

void sla_settings_free(struct sla_settings *s)
{
    free(s->intervals);
    free(s->holidays);
    *s = (struct sla_settings){0};
}

struct db_rows *db_sla_policy_rows(struct db *db, struct error *err)
{
    return db_query(db, "SELECT priority, first_response_hours, resolution_hours, clock"
                        " FROM sla_policies ORDER BY CASE priority WHEN 'urgent' THEN 0"
                        " WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END", 0, NULL, err);
}

struct db_rows *db_working_hour_rows(struct db *db, struct error *err)
{
    return db_query(db, "SELECT weekday, to_char(starts, 'HH24:MI') AS start,"
                        " to_char(ends, 'HH24:MI') AS end FROM working_hours"
                        " ORDER BY weekday, starts", 0, NULL, err);
}

struct db_rows *db_holiday_rows(struct db *db, struct error *err)
{
    return db_query(db, "SELECT to_char(day, 'YYYY-MM-DD') AS date, name FROM holidays"
                        " ORDER BY day", 0, NULL, err);
}

/* Runs a statement that returns nothing worth reading. */
static bool run(struct db *db, const char *sql, int n, const char *const *params,
                struct error *err)
{
    struct db_rows *rows = db_query(db, sql, n, params, err);
    bool ok = rows != NULL;
    db_rows_free(rows);
    return ok;
}

bool db_sla_policy_set(struct db *db, enum priority p, const struct sla_policy *policy,
                       struct error *err)
{
    char first[16], resolution[16];
    snprintf(first, sizeof first, "%d", policy->first_response_hours);
    snprintf(resolution, sizeof resolution, "%d", policy->resolution_hours);
    const char *params[] = {priority_name(p), first, resolution, sla_clock_name(policy->clock)};
    return run(db, "UPDATE sla_policies SET first_response_hours = $2, resolution_hours = $3,"
                   " clock = $4 WHERE priority = $1", 4, params, err);
}

bool db_calendar_clear(struct db *db, struct error *err)
{
    return run(db, "DELETE FROM working_hours", 0, NULL, err) &&
           run(db, "DELETE FROM holidays", 0, NULL, err);
}

bool db_working_hours_add(struct db *db, int weekday, const char *start, const char *end,
                          struct error *err)
{
    char day[8];
    snprintf(day, sizeof day, "%d", weekday);
    const char *params[] = {day, start, end};
    return run(db, "INSERT INTO working_hours (weekday, starts, ends) VALUES ($1, $2, $3)",
               3, params, err);
}

bool db_holiday_add(struct db *db, const char *date, const char *name, struct error *err)
{
    const char *params[] = {date, name};
    return run(db, "INSERT INTO holidays (day, name) VALUES ($1, $2)", 2, params, err);
}
