/* sla_store.h -- SLA policies and the Department's working calendar in PostgreSQL. */
#ifndef DL_DB_SLA_STORE_H
#define DL_DB_SLA_STORE_H

#include <stdbool.h>
#include "db/db.h"
#include "domain/sla_policy.h"

struct sla_settings {
    struct sla_policy policies[PRIORITY_COUNT];
    struct work_interval *intervals;
    int32_t *holidays;
    struct work_calendar calendar;      /* points into the arrays above */
};

/* The version of the settings (sql/migrations/0013_*): any change to a policy, the
 * working hours or the holidays moves it in the change's own transaction. Read it before
 * the settings, in the same transaction, and settings cached under it are never older
 * than it says. */
bool db_sla_version(struct db *db, long long *version, struct error *err);
/* Loads all four policies and the calendar; free with sla_settings_free. */
bool db_sla_load(struct db *db, struct sla_settings *out, struct error *err);
void sla_settings_free(struct sla_settings *s);

/* The rows for GET: policies (priority, first_response_hours, resolution_hours, clock);
 * working hours (weekday, start, end as HH:MM); holidays (date, name). */
struct db_rows *db_sla_policy_rows(struct db *db, struct error *err);
struct db_rows *db_working_hour_rows(struct db *db, struct error *err);
struct db_rows *db_holiday_rows(struct db *db, struct error *err);

bool db_sla_policy_set(struct db *db, enum priority p, const struct sla_policy *policy,
                       struct error *err);
/* Replace the calendar: call db_calendar_clear, then add each row, in one transaction. */
bool db_calendar_clear(struct db *db, struct error *err);
bool db_working_hours_add(struct db *db, int weekday, const char *start, const char *end,
                          struct error *err);
bool db_holiday_add(struct db *db, const char *date, const char *name, struct error *err);

#endif
