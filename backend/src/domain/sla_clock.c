/* sla_clock.c -- when an SLA target falls due and how much of it has been used, on the
 * calendar clock (every second counts) or the working clock (the Department's calendar). */
#include "domain/sla_clock.h"

#include <string.h>

#define DAY_SECONDS INT64_C(86400)
#define WEEK_DAYS 7
/* A working-clock walk gives up after this many days in a row without working time. */
#define MAX_IDLE_DAYS 400
/* Instants are kept within +-2^61 s (about 73 billion years) so that day arithmetic,
 * the local offset and a target of INT_MAX hours can never overflow int64_t. */
#define INSTANT_LIMIT (INT64_C(1) << 61)
#define NO_HOLIDAY INT64_MAX

static const char *const CLOCK_NAMES[] = {
    [SLA_CALENDAR] = "calendar", [SLA_WORKING] = "working",
};
#define CLOCK_COUNT ((int)(sizeof CLOCK_NAMES / sizeof CLOCK_NAMES[0]))

/* Out-of-range values get a fixed string rather than NULL, as in types.c. */
const char *sla_clock_name(enum sla_clock clock)
{
    if ((int)clock < 0 || (int)clock >= CLOCK_COUNT)
        return "unknown";
    return CLOCK_NAMES[clock];
}

bool sla_clock_parse(const char *name, enum sla_clock *out)
{
    if (name == NULL)
        return false;
    for (int i = 0; i < CLOCK_COUNT; i++) {
        if (strcmp(CLOCK_NAMES[i], name) == 0) {
            *out = (enum sla_clock)i;
            return true;
        }
    }
    return false;
}

/* C division truncates toward zero; days before 1970 need floor division. b > 0. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b < 0)
        q--;
    return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    return r < 0 ? r + b : r;
}

/* An instant as a local day and a second of that day (0..86399). The offset is added to
 * the remainder, not the instant, so that no instant can overflow. */
static void split_local(int64_t instant, int64_t *day, int64_t *sec)
{
    *day = floor_div(instant, DAY_SECONDS);
    *sec = floor_mod(instant, DAY_SECONDS) + SLA_LOCAL_OFFSET_SECONDS;
    if (*sec >= DAY_SECONDS) {
        *sec -= DAY_SECONDS;
        (*day)++;
    }
}

/* Only for day and second values that came from an instant within INSTANT_LIMIT. */
static int64_t join_local(int64_t day, int64_t sec)
{
    return day * DAY_SECONDS + sec - SLA_LOCAL_OFFSET_SECONDS;
}

int32_t sla_local_day(int64_t instant)
{
    int64_t day, sec;
    split_local(instant, &day, &sec);
    /* Only absurd instants (beyond year 5 million) miss int32_t; clamp rather than wrap. */
    if (day > INT32_MAX)
        return INT32_MAX;
    if (day < INT32_MIN)
        return INT32_MIN;
    return (int32_t)day;
}

static int64_t clamp_instant(int64_t t)
{
    if (t > INSTANT_LIMIT)
        return INSTANT_LIMIT;
    if (t < -INSTANT_LIMIT)
        return -INSTANT_LIMIT;
    return t;
}

/* ISO weekday of a local day: 1970-01-01 was a Thursday (4). */
static int weekday_of(int64_t day)
{
    return (int)floor_mod(day + 3, WEEK_DAYS) + 1;
}

static bool is_holiday(const struct work_calendar *cal, int64_t day)
{
    for (size_t i = 0; i < cal->nholidays; i++) {
        if (cal->holidays[i] == day)
            return true;
    }
    return false;
}

/* The first holiday on or after `day`, or NO_HOLIDAY; the list is in any order. */
static int64_t next_holiday(const struct work_calendar *cal, int64_t day)
{
    int64_t best = NO_HOLIDAY;
    for (size_t i = 0; i < cal->nholidays; i++) {
        int64_t h = cal->holidays[i];
        if (h >= day && h < best)
            best = h;
    }
    return best;
}

/* How many whole weeks from `day` hold no holiday, capped at `cap`. Whole weeks are
 * what lets a walk jump ahead: without holidays every week has the same working time. */
static int64_t free_weeks(const struct work_calendar *cal, int64_t day, int64_t cap)
{
    int64_t h = next_holiday(cal, day);
    if (h == NO_HOLIDAY)
        return cap;
    int64_t weeks = (h - day) / WEEK_DAYS;
    return weeks < cap ? weeks : cap;
}

/* Working seconds in a week without holidays. */
static int64_t week_seconds(const struct work_calendar *cal)
{
    int64_t total = 0;
    for (size_t i = 0; i < cal->nintervals; i++)
        total += (int64_t)(cal->intervals[i].end_minute - cal->intervals[i].start_minute) * 60;
    return total;
}

/* Working seconds of local day `day` inside [from, to) (seconds of that day). Intervals
 * do not overlap, so their overlaps with [from, to) simply add up. */
static int64_t day_work(const struct work_calendar *cal, int64_t day, int64_t from, int64_t to)
{
    if (is_holiday(cal, day))
        return 0;
    int wd = weekday_of(day);
    int64_t total = 0;
    for (size_t i = 0; i < cal->nintervals; i++) {
        const struct work_interval *iv = &cal->intervals[i];
        if (iv->weekday != wd)
            continue;
        int64_t a = (int64_t)iv->start_minute * 60, b = (int64_t)iv->end_minute * 60;
        if (a < from)
            a = from;
        if (b > to)
            b = to;
        if (b > a)
            total += b - a;
    }
    return total;
}

/* The interval on `wd` that is the first not yet over at second `pos`, or NULL. Since
 * intervals on one weekday do not overlap, the earliest start is the earliest end. */
static const struct work_interval *next_interval(const struct work_calendar *cal, int wd,
                                                 int64_t pos)
{
    const struct work_interval *best = NULL;
    for (size_t i = 0; i < cal->nintervals; i++) {
        const struct work_interval *iv = &cal->intervals[i];
        if (iv->weekday != wd || (int64_t)iv->end_minute * 60 <= pos)
            continue;
        if (best == NULL || iv->start_minute < best->start_minute)
            best = iv;
    }
    return best;
}

/* Spends the working time of local day `day` from second `pos` on against *need. When
 * *need runs out that day, sets *at to the second where it does and returns true; else
 * takes the day's working time off *need and returns false. A need that runs out exactly
 * at an interval's end falls due at that end (11:30), not at the next start (13:30). */
static bool day_spend(const struct work_calendar *cal, int64_t day, int64_t pos,
                      int64_t *need, int64_t *at)
{
    if (is_holiday(cal, day))
        return false;
    int wd = weekday_of(day);
    const struct work_interval *iv;
    while ((iv = next_interval(cal, wd, pos)) != NULL) {
        int64_t a = (int64_t)iv->start_minute * 60, b = (int64_t)iv->end_minute * 60;
        if (a < pos)
            a = pos;
        if (*need <= b - a) {
            *at = a + *need;
            return true;
        }
        *need -= b - a;
        pos = b;
    }
    return false;
}

/* The working clock's due instant: the first day is walked from the start's second, the
 * rest from midnight; holiday-free weeks are jumped whole while more than a week of
 * working time remains, so even an absurd target finishes in a few steps. */
static bool working_due(int64_t start, int64_t need, const struct work_calendar *cal,
                        int64_t *due)
{
    int64_t week = week_seconds(cal);
    if (week == 0)
        return false;
    int64_t day, pos;
    split_local(start, &day, &pos);
    int idle = 0;
    for (;;) {
        if (pos == 0 && need > week) {
            /* Keep at least one second back so the due instant is found by the walk. */
            int64_t k = free_weeks(cal, day, (need - 1) / week);
            day += k * WEEK_DAYS;
            need -= k * week;
            if (k > 0)
                idle = 0;
        }
        int64_t before = need, at;
        if (day_spend(cal, day, pos, &need, &at)) {
            *due = join_local(day, at);
            return true;
        }
        idle = need < before ? 0 : idle + 1;
        if (idle >= MAX_IDLE_DAYS)
            return false;
        day++;
        pos = 0;
    }
}

bool sla_due(int64_t start, int hours, enum sla_clock clock, const struct work_calendar *cal,
             int64_t *due)
{
    if (hours < 0 || start > INSTANT_LIMIT || start < -INSTANT_LIMIT)
        return false;
    int64_t need = (int64_t)hours * 3600;
    if (clock == SLA_CALENDAR) {
        *due = start + need;
        return true;
    }
    if (clock != SLA_WORKING || !sla_calendar_valid(cal, NULL))
        return false;
    /* Nothing to count: due at once, even outside working time. */
    if (need == 0) {
        *due = start;
        return true;
    }
    return working_due(start, need, cal, due);
}

/* Working seconds in [from, to), from < to: partial first and last days, whole days
 * between, and holiday-free weeks jumped whole. */
static int64_t working_counted(int64_t from, int64_t to, const struct work_calendar *cal)
{
    int64_t d0, s0, d1, s1;
    split_local(from, &d0, &s0);
    split_local(to, &d1, &s1);
    if (d0 == d1)
        return day_work(cal, d0, s0, s1);
    int64_t week = week_seconds(cal);
    int64_t total = day_work(cal, d0, s0, DAY_SECONDS);
    int64_t day = d0 + 1;
    while (day < d1) {
        int64_t k = free_weeks(cal, day, (d1 - day) / WEEK_DAYS);
        if (k > 0) {
            total += k * week;
            day += k * WEEK_DAYS;
            continue;
        }
        total += day_work(cal, day, 0, DAY_SECONDS);
        day++;
    }
    return total + day_work(cal, d1, 0, s1);
}

int64_t sla_counted_seconds(int64_t from, int64_t to, enum sla_clock clock,
                            const struct work_calendar *cal)
{
    from = clamp_instant(from);
    to = clamp_instant(to);
    if (to <= from)
        return 0;
    if (clock == SLA_CALENDAR)
        return to - from;
    /* A calendar sla_due would refuse counts nothing, rather than something inconsistent. */
    if (clock != SLA_WORKING || !sla_calendar_valid(cal, NULL))
        return 0;
    return working_counted(from, to, cal);
}

static bool refuse(const char **reason, const char *why)
{
    if (reason != NULL)
        *reason = why;
    return false;
}

static bool intervals_overlap(const struct work_interval *a, const struct work_interval *b)
{
    return a->weekday == b->weekday && a->start_minute < b->end_minute
           && b->start_minute < a->end_minute;
}

static const char *interval_problem(const struct work_interval *iv)
{
    if (iv->weekday < 1 || iv->weekday > 7)
        return "A weekday must be 1 (Monday) to 7 (Sunday).";
    if (iv->start_minute < 0 || iv->start_minute > 1439)
        return "Working hours must start between 00:00 and 23:59.";
    if (iv->end_minute <= iv->start_minute || iv->end_minute > 1440)
        return "Working hours must end after they start and no later than 24:00.";
    return NULL;
}

/* An empty calendar is refused too: a working clock could never fall due on it. */
bool sla_calendar_valid(const struct work_calendar *cal, const char **reason)
{
    if (cal == NULL)
        return refuse(reason, "There is no calendar.");
    if (cal->nintervals > 0 && cal->intervals == NULL)
        return refuse(reason, "The working hours are missing.");
    if (cal->nholidays > 0 && cal->holidays == NULL)
        return refuse(reason, "The holidays are missing.");
    if (cal->nintervals == 0)
        return refuse(reason, "The calendar has no working hours.");
    for (size_t i = 0; i < cal->nintervals; i++) {
        const char *why = interval_problem(&cal->intervals[i]);
        if (why != NULL)
            return refuse(reason, why);
        for (size_t j = 0; j < i; j++) {
            if (intervals_overlap(&cal->intervals[i], &cal->intervals[j]))
                return refuse(reason, "Two working intervals on one weekday overlap.");
        }
    }
    return true;
}
