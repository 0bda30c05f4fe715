/* test_sla_clock.c -- SLA due times and counted time on both clocks, against cases worked
 * out by hand on the seeded calendar (Mon-Fri 07:00-11:30, 13:30-17:00, 2026 holidays). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "domain/sla_clock.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil),
 * written independently of sla_clock.c so the two cannot share a mistake. */
static int64_t civil_day(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The instant of a local (UTC+7) date and time. */
static int64_t local(int y, int mo, int d, int h, int mi)
{
    return civil_day(y, mo, d) * 86400 + h * 3600 + mi * 60 - 7 * 3600;
}

static const struct work_interval SEEDED_HOURS[] = {
    { 1, 420, 690 }, { 1, 810, 1020 }, { 2, 420, 690 }, { 2, 810, 1020 },
    { 3, 420, 690 }, { 3, 810, 1020 }, { 4, 420, 690 }, { 4, 810, 1020 },
    { 5, 420, 690 }, { 5, 810, 1020 },
};

static int32_t holidays[12];
static struct work_calendar seeded;

/* The 2026 holidays of the seed, deliberately out of order. */
static int setup(void **state)
{
    (void)state;
    static const int dates[][2] = {
        { 5, 1 }, { 4, 30 }, { 2, 16 }, { 2, 17 }, { 2, 18 }, { 2, 19 },
        { 2, 20 }, { 1, 1 }, { 4, 27 }, { 9, 2 }, { 9, 1 },
    };
    size_t n = sizeof dates / sizeof dates[0];
    for (size_t i = 0; i < n; i++)
        holidays[i] = (int32_t)civil_day(2026, dates[i][0], dates[i][1]);
    seeded = (struct work_calendar){ SEEDED_HOURS, sizeof SEEDED_HOURS / sizeof SEEDED_HOURS[0],
                                     holidays, n };
    return 0;
}

/* The due instant, failing the test when there is none. */
static int64_t due_of(int64_t start, int hours, enum sla_clock clock)
{
    int64_t due = 0;
    assert_true(sla_due(start, hours, clock, &seeded, &due));
    return due;
}

static int64_t working_due(int64_t start, int hours)
{
    return due_of(start, hours, SLA_WORKING);
}

static void clock_names(void **state)
{
    (void)state;
    enum sla_clock c = SLA_WORKING;
    assert_string_equal(sla_clock_name(SLA_CALENDAR), "calendar");
    assert_string_equal(sla_clock_name(SLA_WORKING), "working");
    assert_string_equal(sla_clock_name((enum sla_clock)7), "unknown");
    assert_true(sla_clock_parse("calendar", &c));
    assert_int_equal(c, SLA_CALENDAR);
    assert_true(sla_clock_parse("working", &c));
    assert_int_equal(c, SLA_WORKING);
    assert_false(sla_clock_parse("Working", &c));
    assert_false(sla_clock_parse("", &c));
    assert_false(sla_clock_parse(NULL, &c));
    assert_int_equal(c, SLA_WORKING);
}

static void local_day_turns_at_local_midnight(void **state)
{
    (void)state;
    /* 2026-03-01 16:59:59 UTC is 23:59:59 in Ha Tinh; one second later it is 2 March. */
    int64_t utc_1659 = civil_day(2026, 3, 1) * 86400 + 16 * 3600 + 59 * 60 + 59;
    assert_int_equal(sla_local_day(utc_1659), civil_day(2026, 3, 1));
    assert_int_equal(sla_local_day(utc_1659 + 1), civil_day(2026, 3, 2));
    /* Around the epoch: local 1970-01-01 00:00 is 1969-12-31 17:00 UTC. */
    assert_int_equal(sla_local_day(-7 * 3600), 0);
    assert_int_equal(sla_local_day(-7 * 3600 - 1), -1);
    assert_int_equal(sla_local_day(17 * 3600 - 1), 0);
    assert_int_equal(sla_local_day(17 * 3600), 1);
    assert_int_equal(sla_local_day(local(1969, 12, 29, 0, 0)), -3);
    assert_int_equal(sla_local_day(local(1969, 12, 28, 23, 59)), -4);
    /* Absurd instants clamp instead of wrapping or tripping the sanitizer. */
    assert_int_equal(sla_local_day(INT64_MAX), INT32_MAX);
    assert_int_equal(sla_local_day(INT64_MIN), INT32_MIN);
}

static void calendar_clock_adds(void **state)
{
    (void)state;
    int64_t start = local(2026, 3, 2, 8, 0);   /* Monday 08:00 */
    assert_int_equal(due_of(start, 24, SLA_CALENDAR), local(2026, 3, 3, 8, 0));
    assert_int_equal(due_of(start, 72, SLA_CALENDAR), local(2026, 3, 5, 8, 0));
    assert_int_equal(due_of(start, 168, SLA_CALENDAR), local(2026, 3, 9, 8, 0));
    assert_int_equal(due_of(start, 336, SLA_CALENDAR), local(2026, 3, 16, 8, 0));
    assert_int_equal(due_of(start, 720, SLA_CALENDAR), local(2026, 4, 1, 8, 0));
    /* Holidays and nights count; no calendar is needed at all. */
    int64_t due = 0;
    assert_true(sla_due(local(2026, 4, 29, 21, 0), 24, SLA_CALENDAR, NULL, &due));
    assert_int_equal(due, local(2026, 4, 30, 21, 0));
    assert_int_equal(sla_counted_seconds(start, local(2026, 4, 1, 8, 0), SLA_CALENDAR, NULL),
                     720 * 3600);
}

static void working_clock_within_a_week(void **state)
{
    (void)state;
    /* Monday 2 March 2026: 08:00 + 2h. */
    assert_int_equal(working_due(local(2026, 3, 2, 8, 0), 2), local(2026, 3, 2, 10, 0));
    /* 10:00 + 4h: 1h30 to 11:30, 2h30 from 13:30. */
    assert_int_equal(working_due(local(2026, 3, 2, 10, 0), 4), local(2026, 3, 2, 16, 0));
    /* Friday 16:00 + 2h: 1h on Friday, 1h from Monday 07:00. */
    assert_int_equal(working_due(local(2026, 3, 6, 16, 0), 2), local(2026, 3, 9, 8, 0));
    /* Saturday and Sunday count from Monday 07:00. */
    assert_int_equal(working_due(local(2026, 3, 7, 10, 0), 1), local(2026, 3, 9, 8, 0));
    assert_int_equal(working_due(local(2026, 3, 8, 23, 59), 3), local(2026, 3, 9, 10, 0));
    /* Lunch counts from 13:30. */
    assert_int_equal(working_due(local(2026, 3, 2, 12, 0), 1), local(2026, 3, 2, 14, 30));
    /* After 17:00 counts from the next morning. */
    assert_int_equal(working_due(local(2026, 3, 2, 17, 30), 1), local(2026, 3, 3, 8, 0));
    /* Before 07:00 counts from 07:00. */
    assert_int_equal(working_due(local(2026, 3, 3, 5, 0), 5), local(2026, 3, 3, 14, 0));
    /* Seconds are kept: 08:00:30 + 1h. */
    assert_int_equal(working_due(local(2026, 3, 2, 8, 0) + 30, 1), local(2026, 3, 2, 9, 0) + 30);
}

/* A target that runs out exactly at the end of an interval falls due at that end: 11:30,
 * not 13:30; 17:00, not 07:00 next morning. It is the earliest instant with the time used. */
static void due_at_interval_end_stays_there(void **state)
{
    (void)state;
    assert_int_equal(working_due(local(2026, 3, 2, 9, 30), 2), local(2026, 3, 2, 11, 30));
    assert_int_equal(working_due(local(2026, 3, 2, 10, 30), 1), local(2026, 3, 2, 11, 30));
    assert_int_equal(working_due(local(2026, 3, 2, 15, 0), 2), local(2026, 3, 2, 17, 0));
    assert_int_equal(working_due(local(2026, 3, 2, 7, 0), 8), local(2026, 3, 2, 17, 0));
    assert_int_equal(working_due(local(2026, 3, 7, 10, 0), 8), local(2026, 3, 9, 17, 0));
    /* Starting on a boundary: 11:30 is lunch, 13:30 and 07:00 are working time. */
    assert_int_equal(working_due(local(2026, 3, 2, 11, 30), 1), local(2026, 3, 2, 14, 30));
    assert_int_equal(working_due(local(2026, 3, 2, 13, 30), 1), local(2026, 3, 2, 14, 30));
    assert_int_equal(working_due(local(2026, 3, 2, 7, 0), 1), local(2026, 3, 2, 8, 0));
    assert_int_equal(working_due(local(2026, 3, 2, 17, 0), 1), local(2026, 3, 3, 8, 0));
    /* The last second before the end still counts. */
    assert_int_equal(sla_counted_seconds(local(2026, 3, 2, 11, 30) - 1, local(2026, 3, 2, 13, 30),
                                         SLA_WORKING, &seeded), 1);
}

static void working_clock_skips_holidays(void **state)
{
    (void)state;
    /* Thursday 30 April and Friday 1 May are holidays, then the weekend: Monday 4 May. */
    assert_int_equal(working_due(local(2026, 4, 30, 9, 0), 2), local(2026, 5, 4, 9, 0));
    /* Wednesday 29 April 16:00 + 3h: 1h, then Monday 4 May 07:00 + 2h. */
    assert_int_equal(working_due(local(2026, 4, 29, 16, 0), 3), local(2026, 5, 4, 9, 0));
    /* Tết: Friday 13 February 15:00 + 8h: 2h that Friday; 16-20 February are holidays;
     * Monday 23 February: 4h30 in the morning and 1h30 from 13:30. */
    assert_int_equal(working_due(local(2026, 2, 13, 15, 0), 8), local(2026, 2, 23, 15, 0));
    /* Filed during Tết: counts from Monday 23 February 07:00. */
    assert_int_equal(working_due(local(2026, 2, 18, 10, 0), 24), local(2026, 2, 25, 17, 0));
}

static void working_clock_long_targets(void **state)
{
    (void)state;
    /* 72 working hours are nine 8-hour days: Mon 2 March to Thu 12 March. */
    assert_int_equal(working_due(local(2026, 3, 2, 7, 0), 72), local(2026, 3, 12, 17, 0));
    assert_int_equal(working_due(local(2026, 3, 2, 8, 0), 72), local(2026, 3, 13, 8, 0));
    /* 24 = three days; 168 = 21 days (Mon 2 March to Mon 30 March). */
    assert_int_equal(working_due(local(2026, 3, 2, 7, 0), 24), local(2026, 3, 4, 17, 0));
    assert_int_equal(working_due(local(2026, 3, 2, 7, 0), 168), local(2026, 3, 30, 17, 0));
    /* 720 = 90 working days from Mon 2 March: March 22, April 20 (27 and 30 off), May 20
     * (1 off), June 22, July 1-3 and 6-8: the 90th is Wednesday 8 July. */
    assert_int_equal(working_due(local(2026, 3, 2, 7, 0), 720), local(2026, 7, 8, 17, 0));
    /* Across 1 January 2026 (a Thursday holiday): Wed 31 Dec 2025 16:00 + 8h is 1h on
     * Wednesday, then 4h30 and 2h30 on Friday 2 January: 16:00. */
    assert_int_equal(working_due(local(2025, 12, 31, 16, 0), 8), local(2026, 1, 2, 16, 0));
}

static void working_clock_before_1970(void **state)
{
    (void)state;
    /* 29 December 1969 was a Monday; 1 January 1970 a Thursday. */
    assert_int_equal(working_due(local(1969, 12, 29, 8, 0), 8), local(1969, 12, 30, 8, 0));
    assert_int_equal(working_due(local(1969, 12, 31, 16, 0), 2), local(1970, 1, 1, 8, 0));
    assert_int_equal(working_due(local(1969, 12, 27, 3, 0), 1), local(1969, 12, 29, 8, 0));
    assert_int_equal(sla_counted_seconds(local(1969, 12, 26, 0, 0), local(1970, 1, 3, 0, 0),
                                         SLA_WORKING, &seeded), 6 * 8 * 3600);
    /* A holiday on a negative day: 31 December 1969. */
    int32_t eve = (int32_t)civil_day(1969, 12, 31);
    assert_int_equal(eve, -1);
    struct work_calendar cal = seeded;
    cal.holidays = &eve;
    cal.nholidays = 1;
    int64_t due = 0;
    assert_true(sla_due(local(1969, 12, 30, 16, 0), 2, SLA_WORKING, &cal, &due));
    assert_int_equal(due, local(1970, 1, 1, 8, 0));
}

static void counted_seconds_by_hand(void **state)
{
    (void)state;
    const int64_t h = 3600;
    /* Friday 16:00 to Monday 08:00: 1h + 1h. */
    assert_int_equal(sla_counted_seconds(local(2026, 3, 6, 16, 0), local(2026, 3, 9, 8, 0),
                                         SLA_WORKING, &seeded), 2 * h);
    /* 11:00 to 14:00 over lunch: 30 min + 30 min. */
    assert_int_equal(sla_counted_seconds(local(2026, 3, 2, 11, 0), local(2026, 3, 2, 14, 0),
                                         SLA_WORKING, &seeded), h);
    /* Lunch alone, a weekend alone, a night alone: nothing. */
    assert_int_equal(sla_counted_seconds(local(2026, 3, 2, 11, 30), local(2026, 3, 2, 13, 30),
                                         SLA_WORKING, &seeded), 0);
    assert_int_equal(sla_counted_seconds(local(2026, 3, 6, 17, 0), local(2026, 3, 9, 7, 0),
                                         SLA_WORKING, &seeded), 0);
    /* Two weeks from Saturday 7 February: only 9-13 February count, 16-20 is Tết. */
    assert_int_equal(sla_counted_seconds(local(2026, 2, 7, 0, 0), local(2026, 2, 21, 0, 0),
                                         SLA_WORKING, &seeded), 5 * 8 * h);
    /* A whole ordinary week; four weeks of March. */
    assert_int_equal(sla_counted_seconds(local(2026, 3, 2, 0, 0), local(2026, 3, 9, 0, 0),
                                         SLA_WORKING, &seeded), 40 * h);
    assert_int_equal(sla_counted_seconds(local(2026, 3, 2, 0, 0), local(2026, 3, 30, 0, 0),
                                         SLA_WORKING, &seeded), 160 * h);
    /* The same spans as the due-time cases. */
    assert_int_equal(sla_counted_seconds(local(2026, 2, 13, 15, 0), local(2026, 2, 23, 15, 0),
                                         SLA_WORKING, &seeded), 8 * h);
    assert_int_equal(sla_counted_seconds(local(2026, 4, 30, 9, 0), local(2026, 5, 4, 9, 0),
                                         SLA_WORKING, &seeded), 2 * h);
    assert_int_equal(sla_counted_seconds(local(2026, 3, 2, 7, 0), local(2026, 7, 8, 17, 0),
                                         SLA_WORKING, &seeded), 720 * h);
    assert_int_equal(sla_counted_seconds(local(2026, 3, 2, 17, 30), local(2026, 3, 3, 8, 0),
                                         SLA_WORKING, &seeded), h);
    /* Backwards or empty spans count nothing, on both clocks. */
    int64_t t = local(2026, 3, 2, 9, 0);
    assert_int_equal(sla_counted_seconds(t, t, SLA_WORKING, &seeded), 0);
    assert_int_equal(sla_counted_seconds(t + h, t, SLA_WORKING, &seeded), 0);
    assert_int_equal(sla_counted_seconds(t + h, t, SLA_CALENDAR, NULL), 0);
    assert_int_equal(sla_counted_seconds(t, t + 90, SLA_CALENDAR, NULL), 90);
}

/* For starts every 37 minutes over two weeks around Tết, the due time is consistent with
 * the counted time, and it is the earliest such instant. */
static void due_and_counted_agree(void **state)
{
    (void)state;
    static const int hours[] = { 1, 8, 24, 72 };
    int64_t first = local(2026, 2, 9, 0, 0), last = local(2026, 2, 23, 0, 0);
    for (int64_t start = first; start < last; start += 37 * 60) {
        for (size_t i = 0; i < sizeof hours / sizeof hours[0]; i++) {
            int64_t due = working_due(start, hours[i]);
            int64_t want = (int64_t)hours[i] * 3600;
            assert_int_equal(sla_counted_seconds(start, due, SLA_WORKING, &seeded), want);
            assert_int_equal(sla_counted_seconds(start, due - 1, SLA_WORKING, &seeded), want - 1);
            int64_t cal_due = due_of(start, hours[i], SLA_CALENDAR);
            assert_int_equal(sla_counted_seconds(start, cal_due, SLA_CALENDAR, &seeded), want);
        }
    }
}

/* Huge targets and spans finish quickly (whole weeks are jumped) and still agree. */
static void huge_targets_finish(void **state)
{
    (void)state;
    int64_t start = local(2026, 3, 2, 8, 0);
    int64_t due = working_due(start, INT_MAX);
    assert_true(due > start);
    assert_int_equal(sla_counted_seconds(start, due, SLA_WORKING, &seeded),
                     (int64_t)INT_MAX * 3600);
    assert_int_equal(due_of(start, INT_MAX, SLA_CALENDAR), start + (int64_t)INT_MAX * 3600);
    /* Whole-range counts neither overflow nor hang. */
    assert_true(sla_counted_seconds(INT64_MIN, INT64_MAX, SLA_WORKING, &seeded) > 0);
    assert_true(sla_counted_seconds(INT64_MIN, INT64_MAX, SLA_CALENDAR, NULL) > 0);
    /* Starts out of any sensible range are refused, not overflowed. */
    assert_false(sla_due(INT64_MAX, 1, SLA_CALENDAR, NULL, &due));
    assert_false(sla_due(INT64_MIN, 1, SLA_WORKING, &seeded, &due));
}

static void zero_and_negative_hours(void **state)
{
    (void)state;
    /* Zero hours fall due at once, even on a Sunday; a negative target has no due time. */
    int64_t sunday = local(2026, 3, 8, 12, 0);
    assert_int_equal(working_due(sunday, 0), sunday);
    assert_int_equal(due_of(sunday, 0, SLA_CALENDAR), sunday);
    int64_t due = 42;
    assert_false(sla_due(sunday, -1, SLA_WORKING, &seeded, &due));
    assert_false(sla_due(sunday, -1, SLA_CALENDAR, &seeded, &due));
    assert_int_equal(due, 42);
}

static void no_working_time_is_refused(void **state)
{
    (void)state;
    int64_t start = local(2026, 3, 2, 8, 0), due = 42;
    struct work_calendar empty = { NULL, 0, NULL, 0 };
    assert_false(sla_due(start, 1, SLA_WORKING, &empty, &due));
    assert_false(sla_due(start, 1, SLA_WORKING, NULL, &due));
    assert_int_equal(due, 42);
    assert_int_equal(sla_counted_seconds(start, start + 86400 * 7, SLA_WORKING, &empty), 0);
    /* The calendar clock does not need one. */
    assert_true(sla_due(start, 1, SLA_CALENDAR, &empty, &due));
    assert_int_equal(due, start + 3600);
}

/* Only Mondays work, and the next 60 Mondays (420 days) are holidays: nothing in 400 days.
 * With 50 holiday Mondays (350 days) the 51st Monday is found. */
static void four_hundred_day_guard(void **state)
{
    (void)state;
    static const struct work_interval mondays[] = { { 1, 420, 1020 } };
    int32_t days[60];
    int64_t monday = civil_day(2026, 3, 2);
    for (int i = 0; i < 60; i++)
        days[i] = (int32_t)(monday + 7 * i);
    struct work_calendar cal = { mondays, 1, days, 60 };
    int64_t start = local(2026, 3, 2, 6, 0), due = 42;
    assert_false(sla_due(start, 1, SLA_WORKING, &cal, &due));
    assert_int_equal(due, 42);
    cal.nholidays = 50;
    assert_true(sla_due(start, 1, SLA_WORKING, &cal, &due));
    assert_int_equal(due, (monday + 350) * 86400 + 8 * 3600 - 7 * 3600);
}

/* Intervals may touch and may run to midnight; time counts across it. */
static void touching_and_midnight_intervals(void **state)
{
    (void)state;
    static const struct work_interval shifts[] = {
        { 1, 1320, 1440 }, { 2, 0, 120 }, { 2, 120, 180 },
    };
    struct work_calendar cal = { shifts, 3, NULL, 0 };
    assert_true(sla_calendar_valid(&cal, NULL));
    int64_t due = 0;
    /* Monday 22:00 + 4h: 2h to midnight, 2h on Tuesday up to 02:00, which is the end. */
    assert_true(sla_due(local(2026, 3, 2, 22, 0), 4, SLA_WORKING, &cal, &due));
    assert_int_equal(due, local(2026, 3, 3, 2, 0));
    assert_true(sla_due(local(2026, 3, 2, 22, 0), 5, SLA_WORKING, &cal, &due));
    assert_int_equal(due, local(2026, 3, 3, 3, 0));
    assert_int_equal(sla_counted_seconds(local(2026, 3, 2, 0, 0), local(2026, 3, 4, 0, 0),
                                         SLA_WORKING, &cal), 5 * 3600);
}

static void bad_calendar_refused(const struct work_interval *iv, size_t n)
{
    struct work_calendar cal = { iv, n, NULL, 0 };
    const char *reason = NULL;
    assert_false(sla_calendar_valid(&cal, &reason));
    assert_non_null(reason);
    assert_true(strlen(reason) > 0);
    int64_t due = 42;
    assert_false(sla_due(local(2026, 3, 2, 8, 0), 1, SLA_WORKING, &cal, &due));
    assert_int_equal(due, 42);
}

static void calendar_validation(void **state)
{
    (void)state;
    const char *reason = "untouched";
    assert_true(sla_calendar_valid(&seeded, &reason));
    assert_string_equal(reason, "untouched");
    assert_true(sla_calendar_valid(&seeded, NULL));

    static const struct work_interval overlap[] = { { 1, 420, 690 }, { 1, 600, 900 } };
    static const struct work_interval inside[] = { { 3, 420, 1020 }, { 3, 600, 700 } };
    static const struct work_interval same[] = { { 2, 420, 690 }, { 2, 420, 690 } };
    static const struct work_interval weekday0[] = { { 0, 420, 690 } };
    static const struct work_interval weekday8[] = { { 8, 420, 690 } };
    static const struct work_interval empty_iv[] = { { 1, 600, 600 } };
    static const struct work_interval backwards[] = { { 1, 700, 600 } };
    static const struct work_interval early[] = { { 1, -1, 600 } };
    static const struct work_interval late_start[] = { { 1, 1440, 1441 } };
    static const struct work_interval late_end[] = { { 1, 600, 1441 } };
    bad_calendar_refused(overlap, 2);
    bad_calendar_refused(inside, 2);
    bad_calendar_refused(same, 2);
    bad_calendar_refused(weekday0, 1);
    bad_calendar_refused(weekday8, 1);
    bad_calendar_refused(empty_iv, 1);
    bad_calendar_refused(backwards, 1);
    bad_calendar_refused(early, 1);
    bad_calendar_refused(late_start, 1);
    bad_calendar_refused(late_end, 1);
    /* An empty calendar is not usable, nor a missing one or missing arrays. */
    bad_calendar_refused(NULL, 0);
    bad_calendar_refused(NULL, 3);
    assert_false(sla_calendar_valid(NULL, &reason));
    struct work_calendar no_days = { SEEDED_HOURS, 10, NULL, 2 };
    assert_false(sla_calendar_valid(&no_days, &reason));

    /* The same hours on different weekdays, touching intervals and a full day are fine. */
    static const struct work_interval good[] = {
        { 1, 420, 690 }, { 2, 420, 690 }, { 7, 0, 1440 }, { 6, 0, 1 }, { 6, 1, 2 },
    };
    struct work_calendar ok = { good, 5, NULL, 0 };
    assert_true(sla_calendar_valid(&ok, &reason));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clock_names),
        cmocka_unit_test(local_day_turns_at_local_midnight),
        cmocka_unit_test(calendar_clock_adds),
        cmocka_unit_test(working_clock_within_a_week),
        cmocka_unit_test(due_at_interval_end_stays_there),
        cmocka_unit_test(working_clock_skips_holidays),
        cmocka_unit_test(working_clock_long_targets),
        cmocka_unit_test(working_clock_before_1970),
        cmocka_unit_test(counted_seconds_by_hand),
        cmocka_unit_test(due_and_counted_agree),
        cmocka_unit_test(huge_targets_finish),
        cmocka_unit_test(zero_and_negative_hours),
        cmocka_unit_test(no_working_time_is_refused),
        cmocka_unit_test(four_hundred_day_guard),
        cmocka_unit_test(touching_and_midnight_intervals),
        cmocka_unit_test(calendar_validation),
    };
    return cmocka_run_group_tests_name("sla_clock", tests, setup, NULL);
}
