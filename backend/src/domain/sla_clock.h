/* sla_clock.h -- SLA arithmetic: when a target of N hours falls due, counting either
 * every hour (calendar clock) or only working hours on non-holidays (working clock).
 * Instants are seconds since the Unix epoch; the Department's local time is UTC+7
 * (Asia/Ho_Chi_Minh has had no daylight saving since 1975). Pure C, no I/O. */
#ifndef DL_DOMAIN_SLA_CLOCK_H
#define DL_DOMAIN_SLA_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLA_LOCAL_OFFSET_SECONDS (7 * 3600)

enum sla_clock { SLA_CALENDAR, SLA_WORKING };

/* One stretch of working time on a weekday, in local minutes after midnight. */
struct work_interval {
    int weekday;          /* 1 = Monday ... 7 = Sunday (ISO) */
    int start_minute;     /* inclusive, 0..1439 */
    int end_minute;       /* exclusive, start_minute < end_minute <= 1440 */
};

struct work_calendar {
    const struct work_interval *intervals;
    size_t nintervals;
    const int32_t *holidays;   /* local dates as days since 1970-01-01, any order */
    size_t nholidays;
};

const char *sla_clock_name(enum sla_clock clock);
bool sla_clock_parse(const char *name, enum sla_clock *out);

/* The local date (days since 1970-01-01) of an instant. */
int32_t sla_local_day(int64_t instant);

/* The instant at which `hours` hours of counted time have passed since `start`.
 * With the working clock, time counts only inside the calendar's intervals on days that
 * are not holidays; a start outside working time begins counting at the next working
 * minute. Returns false (and leaves *due alone) when the working calendar has no working
 * time in the next 400 days, so a broken calendar cannot hang the server. */
bool sla_due(int64_t start, int hours, enum sla_clock clock, const struct work_calendar *cal,
             int64_t *due);

/* Counted seconds between two instants (0 when to <= from). */
int64_t sla_counted_seconds(int64_t from, int64_t to, enum sla_clock clock,
                            const struct work_calendar *cal);

/* Checks a calendar: intervals in range and not overlapping on the same weekday.
 * Returns false with a reason (a static sentence) when it is not usable. */
bool sla_calendar_valid(const struct work_calendar *cal, const char **reason);

#endif
