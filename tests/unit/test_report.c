/* test_report.c -- the monthly report's numbers (docs/reports.md): a hand-built month of
 * 12 issues whose every expected count and percentile is worked out by hand below, the
 * edge cases (empty month, percentiles of 1, 2 and 10 values, ties), and a 200,000-issue
 * month that must simply build. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/report.h"

#define DAY INT64_C(86400)
#define HOUR INT64_C(3600)
/* T for October 2026: 2026-11-01T00:00:00+07:00 = 2026-10-31T17:00:00Z. */
#define AS_OF INT64_C(1793466000)

/* Percentiles pick one of the input values, so the comparison is exact (and in double:
 * cmocka's assert_float_equal rounds to float). */
#define assert_same(actual, expected) do { \
        double a_ = (actual), e_ = (expected); \
        if (!(a_ == e_)) \
            fail_msg("%s is %.17g, expected %.17g", #actual, a_, e_); \
    } while (0)

/* ---- the hand-built month ---- */

struct school { const char *code, *name, *cluster, *cluster_name; };
struct category { const char *code, *name, *kind, *division, *division_name; };

static const struct school SCHOOLS[] = {
    /* 0 */ { "TH001", "Trường Tiểu học Bắc Hà", "CM01", "Cụm 1 – Thành phố Hà Tĩnh" },
    /* 1 */ { "TH002", "Trường Tiểu học Nam Hà", "CM01", "Cụm 1 – Thành phố Hà Tĩnh" },
    /* 2 */ { "TH031", "Trường Tiểu học Trung Lương", "CM02", "Cụm 2 – Thị xã Hồng Lĩnh" },
    /* 3 */ { "TH032", "Trường Tiểu học Đức Thuận", "CM02", "Cụm 2 – Thị xã Hồng Lĩnh" },
    /* 4 */ { "TH061", "Trường Tiểu học Xuân Thành", "CM03", "Cụm 3 – Nghi Xuân" },
};

static const struct category CATEGORIES[] = {
    /* 0 */ { "THIET-BI-DH", "Thiết bị dạy học", "management", "CSVC", "Cơ sở vật chất" },
    /* 1 */ { "DAY-HOC-TV", "Dạy học Tiếng Việt", "teaching", "GDTH", "Giáo dục Tiểu học" },
    /* 2 */ { "TUYEN-DUNG", "Tuyển dụng, điều động, biên chế", "management", "TCCB",
              "Tổ chức cán bộ" },
    /* 3 */ { "CT-GDPT-2018", "Chương trình GDPT 2018", "teaching", "GDTH",
              "Giáo dục Tiểu học" },
};

struct row { const char *ref; int school, category; const char *priority; int64_t filed_at;
             bool overdue; int level; };

/* Ages 7, 8, 30, 31, 90 and 91 days are filed exactly that many days before T, so each
 * sits on a bucket boundary. 000009 and 000012 are both 45 days old, 000012 two hours
 * older: they must still come in ref order (age is whole days). Deliberately not in ref
 * or age order. */
static const struct row ROWS[] = {
    /* #  ref               school cat priority  filed                   overdue level */
    { "HT-2026-000001", 0, 0, "high",   AS_OF - 91 * DAY,            true,  2 },
    { "HT-2026-000002", 0, 0, "high",   AS_OF - 90 * DAY,            true,  1 },
    { "HT-2026-000003", 1, 0, "normal", AS_OF - 31 * DAY,            false, 0 },
    { "HT-2026-000004", 2, 0, "high",   AS_OF - 30 * DAY,            true,  1 },
    { "HT-2026-000005", 2, 1, "normal", AS_OF - 8 * DAY,             false, 0 },
    { "HT-2026-000006", 3, 1, "low",    AS_OF - 7 * DAY,             false, 0 },
    { "HT-2026-000007", 4, 2, "normal", AS_OF - 1 * HOUR,            false, 0 },
    { "HT-2026-000008", 4, 2, "normal", AS_OF - 15 * DAY - 5 * HOUR, true,  0 },
    { "HT-2026-000009", 1, 3, "high",   AS_OF - 45 * DAY,            false, 0 },
    { "HT-2026-000010", 4, 3, "low",    AS_OF - 3 * DAY - 1,         false, 0 },
    { "HT-2026-000011", 3, 1, "normal", AS_OF - 100 * DAY,           true,  2 },
    { "HT-2026-000012", 3, 2, "normal", AS_OF - 45 * DAY - 2 * HOUR, false, 0 },
};
#define NROWS (sizeof ROWS / sizeof ROWS[0])

/* Unresolved at the month's start: 000001, 000002, 000003, 000009 and 000011 are still
 * unresolved (carried over: 5), 000020 and 000021 are not (resolved since: 2); the other
 * 7 of the 12 are newly unresolved. Given out of order on purpose. */
static const int64_t PREVIOUS[] = { 11, 21, 1, 9, 20, 3, 2 };

/* first_response_hours < 0: no first response recorded. */
static const struct report_resolution RESOLVED[] = {
    { "CSVC", "Cơ sở vật chất", 2, 30 },
    { "GDTH", "Giáo dục Tiểu học", 5, 48 },
    { "GDTH", "Giáo dục Tiểu học", -1, 12 },
    { "TCCB", "Tổ chức cán bộ", 1.5, 100 },
    { "CSVC", "Cơ sở vật chất", 8, 72 },
    { "GDTH", "Giáo dục Tiểu học", 3, 24 },
    { "CSVC", "Cơ sở vật chất", -1, 200 },
    { "GDTH", "Giáo dục Tiểu học", 20, 6 },
    { "VP", "Văn phòng", -1, 5 },
    { "TCCB", "Tổ chức cán bộ", 4, 60 },
    { "CSVC", "Cơ sở vật chất", 10, 96 },
};
#define NRESOLVED (sizeof RESOLVED / sizeof RESOLVED[0])

struct fixture {
    struct report_issue issues[NROWS];
    struct report_input in;
    struct report r;
};

/* The id is the ref's number, as the database would give it. */
static void fill_issue(const struct row *w, struct report_issue *is)
{
    const struct school *s = &SCHOOLS[w->school];
    const struct category *c = &CATEGORIES[w->category];
    *is = (struct report_issue){
        .id = strtoll(w->ref + strlen("HT-2026-"), NULL, 10), .ref = w->ref, .title = "Tiêu đề",
        .school = s->code, .school_name = s->name,
        .cluster = s->cluster, .cluster_name = s->cluster_name,
        .category = c->code, .category_name = c->name, .category_kind = c->kind,
        .division = c->division, .division_name = c->division_name,
        .status = "in_progress", .priority = w->priority, .assignee = NULL,
        .filed_at = w->filed_at, .overdue = w->overdue, .escalation_level = w->level,
    };
}

static int month_setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    for (size_t i = 0; i < NROWS; i++)
        fill_issue(&ROWS[i], &f->issues[i]);
    f->in = (struct report_input){
        .year = 2026, .month = 10, .as_of = AS_OF,
        .issues = f->issues, .nissues = NROWS,
        .previous_ids = PREVIOUS, .nprevious = sizeof PREVIOUS / sizeof PREVIOUS[0],
        .filed_in_month = 4,
        .resolved = RESOLVED, .nresolved = NRESOLVED,
        .trend = { 3, 4, 5, 6, 7, 8, 9, 8, 7, 9, 7, 12 },
    };
    report_build(&f->in, &f->r);
    *state = f;
    return 0;
}

static int month_teardown(void **state)
{
    struct fixture *f = *state;
    report_free(&f->r);
    free(f);
    return 0;
}

static void assert_row(const struct report_count *row, const char *code, const char *name,
                       const char *extra, int count)
{
    assert_string_equal(row->code, code);
    if (name == NULL)
        assert_null(row->name);
    else
        assert_string_equal(row->name, name);
    if (extra == NULL)
        assert_null(row->extra);
    else
        assert_string_equal(row->extra, extra);
    assert_int_equal(row->count, count);
}

/* Overdue per row, in the list's order; the overdue issues are 1, 2, 4, 8 and 11. */
static void assert_overdue(const struct report_list *l, const int *expected)
{
    for (size_t i = 0; i < l->count; i++)
        assert_int_equal(l->items[i].overdue, expected[i]);
}

/* Overdue: 000001, 000002, 000004, 000008, 000011 = 5. Escalated (level > 0): 000001,
 * 000002, 000004, 000011 = 4. */
static void month_totals(void **state)
{
    const struct report *r = &((struct fixture *)*state)->r;
    assert_int_equal(r->unresolved, 12);
    assert_int_equal(r->overdue, 5);
    assert_int_equal(r->escalated, 4);
    assert_int_equal(r->filed_in_month, 4);
    assert_int_equal(r->resolved_in_month, 11);
}

/* CM01: 1,2,3,9 = 4; CM02: 4,5,6,11,12 = 5; CM03: 7,8,10 = 3. */
static void month_by_cluster(void **state)
{
    const struct report_list *l = &((struct fixture *)*state)->r.by_cluster;
    assert_int_equal(l->count, 3);
    assert_row(&l->items[0], "CM02", "Cụm 2 – Thị xã Hồng Lĩnh", NULL, 5);
    assert_row(&l->items[1], "CM01", "Cụm 1 – Thành phố Hà Tĩnh", NULL, 4);
    assert_row(&l->items[2], "CM03", "Cụm 3 – Nghi Xuân", NULL, 3);
    assert_overdue(l, (const int[]){ 2, 2, 1 });
}

/* TH001: 1,2; TH002: 3,9; TH031: 4,5; TH032: 6,11,12; TH061: 7,8,10. Ties by code:
 * TH032 before TH061 at 3, TH001 < TH002 < TH031 at 2. */
static void month_by_school(void **state)
{
    const struct report_list *l = &((struct fixture *)*state)->r.by_school;
    assert_int_equal(l->count, 5);
    assert_row(&l->items[0], "TH032", "Trường Tiểu học Đức Thuận", "CM02", 3);
    assert_row(&l->items[1], "TH061", "Trường Tiểu học Xuân Thành", "CM03", 3);
    assert_row(&l->items[2], "TH001", "Trường Tiểu học Bắc Hà", "CM01", 2);
    assert_row(&l->items[3], "TH002", "Trường Tiểu học Nam Hà", "CM01", 2);
    assert_row(&l->items[4], "TH031", "Trường Tiểu học Trung Lương", "CM02", 2);
    assert_overdue(l, (const int[]){ 1, 1, 2, 0, 1 });
}

/* THIET-BI-DH: 1,2,3,4 from TH001, TH002, TH031 (3 schools); DAY-HOC-TV: 5,6,11 from
 * TH031, TH032 (2); TUYEN-DUNG: 7,8,12 from TH061, TH032 (2); CT-GDPT-2018: 9,10 from
 * TH002, TH061 (2). DAY-HOC-TV before TUYEN-DUNG at 3 by code. */
static void month_by_category(void **state)
{
    const struct report_list *l = &((struct fixture *)*state)->r.by_category;
    assert_int_equal(l->count, 4);
    assert_row(&l->items[0], "THIET-BI-DH", "Thiết bị dạy học", "management", 4);
    assert_int_equal(l->items[0].schools, 3);
    assert_row(&l->items[1], "DAY-HOC-TV", "Dạy học Tiếng Việt", "teaching", 3);
    assert_int_equal(l->items[1].schools, 2);
    assert_row(&l->items[2], "TUYEN-DUNG", "Tuyển dụng, điều động, biên chế",
               "management", 3);
    assert_int_equal(l->items[2].schools, 2);
    assert_row(&l->items[3], "CT-GDPT-2018", "Chương trình GDPT 2018", "teaching", 2);
    assert_int_equal(l->items[3].schools, 2);
    assert_overdue(l, (const int[]){ 3, 1, 1, 0 });
}

/* CSVC: 1-4 = 4; GDTH: 5,6,9,10,11 = 5; TCCB: 7,8,12 = 3. */
static void month_by_division(void **state)
{
    const struct report_list *l = &((struct fixture *)*state)->r.by_division;
    assert_int_equal(l->count, 3);
    assert_row(&l->items[0], "GDTH", "Giáo dục Tiểu học", NULL, 5);
    assert_row(&l->items[1], "CSVC", "Cơ sở vật chất", NULL, 4);
    assert_row(&l->items[2], "TCCB", "Tổ chức cán bộ", NULL, 3);
    assert_overdue(l, (const int[]){ 1, 3, 1 });
}

/* Fixed order, urgent's zero included: high 1,2,4,9; normal 3,5,7,8,11,12; low 6,10. */
static void month_by_priority(void **state)
{
    const struct report_list *l = &((struct fixture *)*state)->r.by_priority;
    assert_int_equal(l->count, 4);
    assert_row(&l->items[0], "urgent", "urgent", NULL, 0);
    assert_row(&l->items[1], "high", "high", NULL, 4);
    assert_row(&l->items[2], "normal", "normal", NULL, 6);
    assert_row(&l->items[3], "low", "low", NULL, 2);
    assert_overdue(l, (const int[]){ 0, 3, 2, 0 });
}

/* 0-7: 000006 (7), 000007 (0), 000010 (3); 8-30: 000004 (30), 000005 (8), 000008 (15);
 * 31-90: 000002 (90), 000003 (31), 000009 (45), 000012 (45); over-90: 000001 (91),
 * 000011 (100). */
static void month_by_age(void **state)
{
    const struct report *r = &((struct fixture *)*state)->r;
    assert_int_equal(r->by_age[0], 3);
    assert_int_equal(r->by_age[1], 3);
    assert_int_equal(r->by_age[2], 4);
    assert_int_equal(r->by_age[3], 2);
}

static void assert_times(const struct report_times *t, size_t resolved, bool has_fr,
                         double fr_median, double fr_p90, double rs_median, double rs_p90)
{
    assert_int_equal(t->resolved, resolved);
    assert_true(t->has_first_response == has_fr);
    assert_true(t->has_resolution);
    if (has_fr) {
        assert_same(t->first_response_median, fr_median);
        assert_same(t->first_response_p90, fr_p90);
    }
    assert_same(t->resolution_median, rs_median);
    assert_same(t->resolution_p90, rs_p90);
}

/* Overall, 11 resolved.
 *   First response, the 8 recorded: 1.5 2 3 4 5 8 10 20.
 *     median: rank ceil(0.5 * 8) = 4 -> 4;  p90: rank ceil(0.9 * 8) = ceil(7.2) = 8 -> 20.
 *   Resolution, all 11: 5 6 12 24 30 48 60 72 96 100 200.
 *     median: rank ceil(5.5) = 6 -> 48;     p90: rank ceil(9.9) = 10 -> 100.
 * By division, in code order:
 *   CSVC (4): first 2 8 10 -> median rank 2 = 8, p90 rank ceil(2.7) = 3 = 10;
 *             resolution 30 72 96 200 -> median rank 2 = 72, p90 rank ceil(3.6) = 4 = 200.
 *   GDTH (4): first 3 5 20 -> 5, 20; resolution 6 12 24 48 -> 12, 48.
 *   TCCB (2): first 1.5 4 -> median rank 1 = 1.5, p90 rank ceil(1.8) = 2 = 4;
 *             resolution 60 100 -> 60, 100.
 *   VP (1):   no first response at all; resolution 5 -> 5, 5. */
static void month_response_times(void **state)
{
    const struct report *r = &((struct fixture *)*state)->r;
    assert_times(&r->overall, 11, true, 4, 20, 48, 100);
    assert_int_equal(r->ntimes_by_division, 4);
    const struct report_division_times *d = r->times_by_division;
    assert_string_equal(d[0].code, "CSVC");
    assert_string_equal(d[0].name, "Cơ sở vật chất");
    assert_times(&d[0].times, 4, true, 8, 10, 72, 200);
    assert_string_equal(d[1].code, "GDTH");
    assert_string_equal(d[1].name, "Giáo dục Tiểu học");
    assert_times(&d[1].times, 4, true, 5, 20, 12, 48);
    assert_string_equal(d[2].code, "TCCB");
    assert_times(&d[2].times, 2, true, 1.5, 4, 60, 100);
    assert_string_equal(d[3].code, "VP");
    assert_string_equal(d[3].name, "Văn phòng");
    assert_times(&d[3].times, 1, false, 0, 0, 5, 5);
}

/* Five schools, all fit in the top ten, in by_school order; only THIET-BI-DH reaches 3
 * schools (DAY-HOC-TV has 3 issues but from 2 schools). */
static void month_top_and_recurring(void **state)
{
    const struct report *r = &((struct fixture *)*state)->r;
    assert_int_equal(r->top_schools.count, 5);
    assert_true(r->top_schools.items != r->by_school.items);
    for (size_t i = 0; i < 5; i++)
        assert_row(&r->top_schools.items[i], r->by_school.items[i].code,
                   r->by_school.items[i].name, r->by_school.items[i].extra,
                   r->by_school.items[i].count);
    assert_string_equal(r->top_schools.items[0].code, "TH032");
    assert_int_equal(r->recurring_categories.count, 1);
    assert_row(&r->recurring_categories.items[0], "THIET-BI-DH", "Thiết bị dạy học",
               "management", 4);
    assert_int_equal(r->recurring_categories.items[0].schools, 3);
}

static void month_change(void **state)
{
    const struct report *r = &((struct fixture *)*state)->r;
    assert_int_equal(r->carried_over, 5);
    assert_int_equal(r->newly_unresolved, 7);
    assert_int_equal(r->resolved_since, 2);
}

/* By age: 000011 (100), 000001 (91), 000002 (90), then 000009 and 000012 (both 45 whole
 * days: ref order, although 000012 was filed two hours earlier), 000003 (31), 000004
 * (30), 000008 (15), 000005 (8), 000006 (7), 000010 (3), 000007 (0). */
static void month_issue_order(void **state)
{
    const struct report *r = &((struct fixture *)*state)->r;
    static const size_t want[NROWS] = { 10, 0, 1, 8, 11, 2, 3, 7, 4, 5, 9, 6 };
    for (size_t i = 0; i < NROWS; i++)
        assert_int_equal(r->issue_order[i], want[i]);
}

/* ---- the small helpers ---- */

static void age_days_are_whole_and_never_negative(void **state)
{
    (void)state;
    assert_int_equal(report_age_days(AS_OF, AS_OF), 0);
    assert_int_equal(report_age_days(AS_OF - DAY + 1, AS_OF), 0);
    assert_int_equal(report_age_days(AS_OF - DAY, AS_OF), 1);
    assert_int_equal(report_age_days(AS_OF - 8 * DAY + 1, AS_OF), 7);   /* floor */
    assert_int_equal(report_age_days(AS_OF - 8 * DAY, AS_OF), 8);
    assert_int_equal(report_age_days(AS_OF + 1, AS_OF), 0);             /* filed after T */
    assert_int_equal(report_age_days(AS_OF + 10 * DAY, AS_OF), 0);
    assert_int_equal(report_age_days(0, 365 * DAY), 365);
}

static void age_buckets_include_their_bounds(void **state)
{
    (void)state;
    static const int ages[] = { 0, 7, 8, 30, 31, 90, 91, 5000 };
    static const int buckets[] = { 0, 0, 1, 1, 2, 2, 3, 3 };
    for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++)
        assert_int_equal(report_age_bucket(ages[i]), buckets[i]);
    assert_string_equal(report_age_bucket_name(0), "0-7");
    assert_string_equal(report_age_bucket_name(1), "8-30");
    assert_string_equal(report_age_bucket_name(2), "31-90");
    assert_string_equal(report_age_bucket_name(3), "over-90");
    assert_null(report_age_bucket_name(4));
    assert_null(report_age_bucket_name(-1));
}

static void percentile_of_one_value(void **state)
{
    (void)state;
    double v[] = { 7.5 };
    assert_same(report_percentile(v, 1, 50), 7.5);
    assert_same(report_percentile(v, 1, 90), 7.5);
    assert_same(report_percentile(v, 1, 100), 7.5);
}

/* n = 2: p50 rank ceil(1) = 1 (the lower, not the mean 15); p90 rank ceil(1.8) = 2. */
static void percentile_of_two_values(void **state)
{
    (void)state;
    double v[] = { 20, 10 };
    assert_same(report_percentile(v, 2, 50), 10);
    assert_same(report_percentile(v, 2, 90), 20);
    assert_same(report_percentile(v, 2, 51), 20);
}

/* n = 10 (1..10 shuffled): p90 rank exactly 9 -> 9 (not 10, which a sloppy ceil of
 * 0.9 * 10 = 9.000...01 would give); p50 rank 5 -> 5; p91 rank ceil(9.1) = 10. The
 * values end up sorted in place. */
static void percentile_of_ten_values(void **state)
{
    (void)state;
    double v[] = { 4, 10, 1, 7, 3, 9, 2, 8, 6, 5 };
    assert_same(report_percentile(v, 10, 90), 9);
    for (size_t i = 0; i < 10; i++)
        assert_same(v[i], (double)(i + 1));
    assert_same(report_percentile(v, 10, 50), 5);
    assert_same(report_percentile(v, 10, 91), 10);
    assert_same(report_percentile(v, 10, 100), 10);
    assert_same(report_percentile(v, 10, 1), 1);
}

/* Whole ranks at other sizes stay whole: p90 of 20 is rank 18, of 30 rank 27, of 100
 * rank 90 (values i + 1 at index i). */
static void percentile_whole_ranks(void **state)
{
    (void)state;
    double v[100];
    static const size_t sizes[] = { 20, 30, 50, 70, 100 };
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        for (size_t i = 0; i < n; i++)
            v[i] = (double)(n - i);     /* descending, so the sort has work to do */
        assert_same(report_percentile(v, n, 90), (double)(n * 9 / 10));
        assert_same(report_percentile(v, n, 50), (double)(n / 2));
    }
}

/* ---- empty and edge inputs ---- */

static void empty_month(void **state)
{
    (void)state;
    struct report_input in = { .year = 2026, .month = 10, .as_of = AS_OF };
    struct report r;
    report_build(&in, &r);
    assert_int_equal(r.unresolved, 0);
    assert_int_equal(r.overdue, 0);
    assert_int_equal(r.escalated, 0);
    assert_int_equal(r.filed_in_month, 0);
    assert_int_equal(r.resolved_in_month, 0);
    assert_int_equal(r.by_cluster.count, 0);
    assert_int_equal(r.by_school.count, 0);
    assert_int_equal(r.by_category.count, 0);
    assert_int_equal(r.by_division.count, 0);
    assert_int_equal(r.by_priority.count, 4);
    static const char *const prio[] = { "urgent", "high", "normal", "low" };
    for (size_t i = 0; i < 4; i++)
        assert_row(&r.by_priority.items[i], prio[i], prio[i], NULL, 0);
    for (size_t i = 0; i < REPORT_AGE_BUCKETS; i++)
        assert_int_equal(r.by_age[i], 0);
    assert_int_equal(r.overall.resolved, 0);
    assert_false(r.overall.has_first_response);
    assert_false(r.overall.has_resolution);
    assert_int_equal(r.ntimes_by_division, 0);
    assert_int_equal(r.top_schools.count, 0);
    assert_int_equal(r.recurring_categories.count, 0);
    assert_int_equal(r.carried_over, 0);
    assert_int_equal(r.newly_unresolved, 0);
    assert_int_equal(r.resolved_since, 0);
    report_free(&r);
    report_free(&r);    /* freeing twice is harmless: report_free zeroes */
    report_free(NULL);
}

static struct report_issue plain_issue(const char *ref, const char *school,
                                       const char *cluster, const char *category)
{
    return (struct report_issue){
        .ref = ref, .title = "t", .school = school, .school_name = school,
        .cluster = cluster, .cluster_name = cluster, .category = category,
        .category_name = category, .category_kind = "management", .division = "VP",
        .division_name = "Văn phòng", .status = "new", .priority = "normal",
        .filed_at = AS_OF - DAY,
    };
}

/* Equal counts fall back to strcmp order of the code, whatever the input order: "CM10"
 * sorts before "CM2" (byte order, not natural order), and upper case before lower. */
static void ties_sort_by_code(void **state)
{
    (void)state;
    struct report_issue is[] = {
        plain_issue("HT-2026-000001", "S", "cm01", "K"),
        plain_issue("HT-2026-000002", "S", "CM2", "K"),
        plain_issue("HT-2026-000003", "S", "CM10", "K"),
        plain_issue("HT-2026-000004", "S", "CM09", "K"),
        plain_issue("HT-2026-000005", "S", "CM3", "K"),
        plain_issue("HT-2026-000006", "S", "CM3", "K"),
    };
    struct report_input in = { .as_of = AS_OF, .issues = is, .nissues = 6 };
    struct report r;
    report_build(&in, &r);
    assert_int_equal(r.by_cluster.count, 5);
    assert_row(&r.by_cluster.items[0], "CM3", "CM3", NULL, 2);
    assert_row(&r.by_cluster.items[1], "CM09", "CM09", NULL, 1);
    assert_row(&r.by_cluster.items[2], "CM10", "CM10", NULL, 1);
    assert_row(&r.by_cluster.items[3], "CM2", "CM2", NULL, 1);
    assert_row(&r.by_cluster.items[4], "cm01", "cm01", NULL, 1);
    /* Same filing time, so issue order is ref order. */
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(r.issue_order[i], i);
    report_free(&r);
}

/* Twelve schools: S01 with 3 issues, S02..S12 with 1 each (11 tied). The top ten are S01
 * then S02..S10 -- the tie is cut by code; S11 and S12 fall off. */
static void top_schools_stop_at_ten(void **state)
{
    (void)state;
    static const char *const schools[] = { "S12", "S11", "S10", "S09", "S08", "S07",
                                           "S06", "S05", "S04", "S03", "S02", "S01",
                                           "S01", "S01" };
    static const char *const refs[] = { "A01", "A02", "A03", "A04", "A05", "A06", "A07",
                                        "A08", "A09", "A10", "A11", "A12", "A13", "A14" };
    struct report_issue is[14];
    for (size_t i = 0; i < 14; i++)
        is[i] = plain_issue(refs[i], schools[i], "CM01", "K");
    struct report_input in = { .as_of = AS_OF, .issues = is, .nissues = 14 };
    struct report r;
    report_build(&in, &r);
    assert_int_equal(r.by_school.count, 12);
    assert_int_equal(r.top_schools.count, REPORT_TOP_SCHOOLS);
    assert_row(&r.top_schools.items[0], "S01", "S01", "CM01", 3);
    static const char *const want[] = { "S02", "S03", "S04", "S05", "S06", "S07", "S08",
                                        "S09", "S10" };
    for (size_t i = 0; i < 9; i++)
        assert_row(&r.top_schools.items[i + 1], want[i], want[i], "CM01", 1);
    report_free(&r);
}

/* Recurring categories, most schools first, then more issues, then code:
 *   A: 6 issues from 3 schools; B: 4 issues from 4 schools; C and D: 3 issues from 3
 *   schools each (tie: code); E: 5 issues from 2 schools (not recurring).
 * by_category, by count: A 6, E 5, B 4, C 3, D 3. Recurring: B, A, C, D. */
static void recurring_order(void **state)
{
    (void)state;
    static const struct { const char *cat, *school; } spec[] = {
        { "D", "S1" }, { "D", "S2" }, { "D", "S3" },
        { "A", "S1" }, { "A", "S1" }, { "A", "S2" }, { "A", "S2" }, { "A", "S3" },
        { "A", "S3" },
        { "B", "S1" }, { "B", "S2" }, { "B", "S3" }, { "B", "S4" },
        { "C", "S4" }, { "C", "S2" }, { "C", "S3" },
        { "E", "S1" }, { "E", "S1" }, { "E", "S1" }, { "E", "S1" }, { "E", "S5" },
    };
    enum { N = sizeof spec / sizeof spec[0] };
    struct report_issue is[N];
    char refs[N][8];
    for (size_t i = 0; i < N; i++) {
        snprintf(refs[i], sizeof refs[i], "R%02zu", i);
        is[i] = plain_issue(refs[i], spec[i].school, "CM01", spec[i].cat);
    }
    struct report_input in = { .as_of = AS_OF, .issues = is, .nissues = N };
    struct report r;
    report_build(&in, &r);

    assert_int_equal(r.by_category.count, 5);
    static const char *const by_count[] = { "A", "E", "B", "C", "D" };
    static const int counts[] = { 6, 5, 4, 3, 3 };
    static const int nschools[] = { 3, 2, 4, 3, 3 };
    for (size_t i = 0; i < 5; i++) {
        assert_row(&r.by_category.items[i], by_count[i], by_count[i], "management",
                   counts[i]);
        assert_int_equal(r.by_category.items[i].schools, nschools[i]);
    }

    assert_int_equal(r.recurring_categories.count, 4);
    static const char *const rec[] = { "B", "A", "C", "D" };
    static const int rec_schools[] = { 4, 3, 3, 3 };
    static const int rec_counts[] = { 4, 6, 3, 3 };
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(r.recurring_categories.items[i].code, rec[i]);
        assert_int_equal(r.recurring_categories.items[i].schools, rec_schools[i]);
        assert_int_equal(r.recurring_categories.items[i].count, rec_counts[i]);
    }
    report_free(&r);
}

/* Change counts sets of ids: nothing in common; everything in common; an id repeated in
 * previous_ids counts once. */
static void change_between_sets(void **state)
{
    (void)state;
    struct report_issue is[] = {
        plain_issue("B", "S", "C", "K"), plain_issue("D", "S", "C", "K"),
        plain_issue("A", "S", "C", "K"),
    };
    is[0].id = 2, is[1].id = 4, is[2].id = 1;
    struct report r;

    static const int64_t disjoint[] = { 5, 3 };
    struct report_input in = { .as_of = AS_OF, .issues = is, .nissues = 3,
                               .previous_ids = disjoint, .nprevious = 2 };
    report_build(&in, &r);
    assert_int_equal(r.carried_over, 0);
    assert_int_equal(r.newly_unresolved, 3);
    assert_int_equal(r.resolved_since, 2);
    report_free(&r);

    static const int64_t same[] = { 4, 1, 2, 1 };
    in.previous_ids = same;
    in.nprevious = 4;
    report_build(&in, &r);
    assert_int_equal(r.carried_over, 3);
    assert_int_equal(r.newly_unresolved, 0);
    assert_int_equal(r.resolved_since, 0);
    report_free(&r);

    /* No issues left at all: everything previous was resolved since. */
    in.nissues = 0;
    in.previous_ids = disjoint;
    in.nprevious = 2;
    report_build(&in, &r);
    assert_int_equal(r.carried_over, 0);
    assert_int_equal(r.newly_unresolved, 0);
    assert_int_equal(r.resolved_since, 2);
    report_free(&r);
}

/* ---- volume ---- */

#define BIG 200000
#define BIG_SCHOOLS 2000
#define BIG_CATEGORIES 40
#define BIG_DIVISIONS 6
#define BIG_RESOLVED 50000

struct big {
    char refs[BIG][16];
    int64_t prev[BIG / 2];
    char schools[BIG_SCHOOLS][8];
    char clusters[12][8];
    char categories[BIG_CATEGORIES][8];
    char divisions[BIG_DIVISIONS][8];
    struct report_issue issues[BIG];
    struct report_resolution resolved[BIG_RESOLVED];
};

/* A deterministic spread (a linear congruential step) so that counts are uneven. */
static uint32_t next_rand(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void fill_big(struct big *b, struct report_input *in)
{
    uint32_t seed = 12345;
    for (size_t i = 0; i < 12; i++)
        snprintf(b->clusters[i], sizeof b->clusters[i], "CM%02zu", i + 1);
    for (size_t i = 0; i < BIG_SCHOOLS; i++)
        snprintf(b->schools[i], sizeof b->schools[i], "TH%04zu", i + 1);
    for (size_t i = 0; i < BIG_CATEGORIES; i++)
        snprintf(b->categories[i], sizeof b->categories[i], "K%02zu", i);
    for (size_t i = 0; i < BIG_DIVISIONS; i++)
        snprintf(b->divisions[i], sizeof b->divisions[i], "D%zu", i);
    static const char *const prio[] = { "low", "normal", "high", "urgent" };
    for (size_t i = 0; i < BIG; i++) {
        size_t s = next_rand(&seed) % BIG_SCHOOLS, c = next_rand(&seed) % BIG_CATEGORIES;
        snprintf(b->refs[i], sizeof b->refs[i], "HT-2026-%06zu", BIG - i);
        b->issues[i] = (struct report_issue){
            .id = (int64_t)(BIG - i), .ref = b->refs[i], .title = "t",
            .school = b->schools[s], .school_name = b->schools[s],
            .cluster = b->clusters[s * 12 / BIG_SCHOOLS],
            .cluster_name = b->clusters[s * 12 / BIG_SCHOOLS],
            .category = b->categories[c], .category_name = b->categories[c],
            .category_kind = c % 2 ? "teaching" : "management",
            .division = b->divisions[c % BIG_DIVISIONS],
            .division_name = b->divisions[c % BIG_DIVISIONS],
            .status = "new", .priority = prio[next_rand(&seed) % 4],
            .filed_at = AS_OF - (int64_t)(next_rand(&seed) % (400 * 86400)),
            .overdue = next_rand(&seed) % 3 == 0,
            .escalation_level = (int)(next_rand(&seed) % 3),
        };
    }
    /* Previous: every other current id, plus as many that are gone. */
    for (size_t i = 0; i < BIG / 2; i++)
        b->prev[i] = i % 2 == 0 ? (int64_t)(BIG - i) : (int64_t)(BIG + i);
    for (size_t i = 0; i < BIG_RESOLVED; i++) {
        size_t d = next_rand(&seed) % BIG_DIVISIONS;
        b->resolved[i] = (struct report_resolution){
            b->divisions[d], b->divisions[d],
            next_rand(&seed) % 10 == 0 ? -1.0 : (double)(next_rand(&seed) % 500) / 4,
            (double)(next_rand(&seed) % 4000) / 4,
        };
    }
    *in = (struct report_input){
        .year = 2026, .month = 10, .as_of = AS_OF, .issues = b->issues, .nissues = BIG,
        .previous_ids = b->prev, .nprevious = BIG / 2, .filed_in_month = 9000,
        .resolved = b->resolved, .nresolved = BIG_RESOLVED,
    };
}

static int list_total(const struct report_list *l)
{
    int total = 0;
    for (size_t i = 0; i < l->count; i++) {
        total += l->items[i].count;
        if (i > 0) {
            const struct report_count *a = &l->items[i - 1], *b = &l->items[i];
            assert_true(a->count > b->count ||
                        (a->count == b->count && strcmp(a->code, b->code) < 0));
        }
    }
    return total;
}

/* The report's medians and 90th percentiles (found by selection, without sorting) are
 * those of the fully sorted values, overall and for each division: many ties, as hours on
 * a quarter-hour grid give. */
static void assert_percentiles_by_sorting(const struct report_input *in, const struct report *r)
{
    double *fr = malloc(in->nresolved * sizeof *fr), *rs = malloc(in->nresolved * sizeof *rs);
    assert_true(fr && rs);
    for (size_t d = 0; d <= r->ntimes_by_division; d++) {
        const struct report_times *t = d == 0 ? &r->overall : &r->times_by_division[d - 1].times;
        const char *division = d == 0 ? NULL : r->times_by_division[d - 1].code;
        size_t nfr = 0, nrs = 0;
        for (size_t i = 0; i < in->nresolved; i++) {
            const struct report_resolution *x = &in->resolved[i];
            if (division && strcmp(x->division, division) != 0)
                continue;
            if (x->first_response_hours >= 0)
                fr[nfr++] = x->first_response_hours;
            rs[nrs++] = x->resolution_hours;
        }
        assert_true(nfr > 0 && nrs == t->resolved);
        assert_same(t->first_response_median, report_percentile(fr, nfr, 50));
        assert_same(t->first_response_p90, report_percentile(fr, nfr, 90));
        assert_same(t->resolution_median, report_percentile(rs, nrs, 50));
        assert_same(t->resolution_p90, report_percentile(rs, nrs, 90));
    }
    free(rs);
    free(fr);
}

/* No timing assertion: it has to build, add up and stay sorted (and, under ASan, leak
 * nothing). An O(n^2) count would not finish here in reasonable time. */
static void two_hundred_thousand_issues(void **state)
{
    (void)state;
    struct big *b = calloc(1, sizeof *b);
    assert_non_null(b);
    struct report_input in;
    fill_big(b, &in);
    struct report r;
    report_build(&in, &r);

    assert_int_equal(r.unresolved, BIG);
    assert_int_equal(r.by_cluster.count, 12);
    assert_int_equal(r.by_school.count, BIG_SCHOOLS);   /* 100 per school on average */
    assert_int_equal(r.by_category.count, BIG_CATEGORIES);
    assert_int_equal(r.by_division.count, BIG_DIVISIONS);
    assert_int_equal(list_total(&r.by_cluster), BIG);
    assert_int_equal(list_total(&r.by_school), BIG);
    assert_int_equal(list_total(&r.by_category), BIG);
    assert_int_equal(list_total(&r.by_division), BIG);
    int prio_total = 0, age_total = 0;
    for (size_t i = 0; i < 4; i++)
        prio_total += r.by_priority.items[i].count;
    for (size_t i = 0; i < REPORT_AGE_BUCKETS; i++)
        age_total += r.by_age[i];
    assert_int_equal(prio_total, BIG);
    assert_int_equal(age_total, BIG);
    assert_int_equal(r.top_schools.count, REPORT_TOP_SCHOOLS);
    /* 5,000 issues per category from ~2,000 schools: every category recurs. */
    assert_int_equal(r.recurring_categories.count, BIG_CATEGORIES);

    assert_int_equal(r.overall.resolved, BIG_RESOLVED);
    assert_int_equal(r.ntimes_by_division, BIG_DIVISIONS);
    size_t resolved_total = 0;
    for (size_t i = 0; i < r.ntimes_by_division; i++)
        resolved_total += r.times_by_division[i].times.resolved;
    assert_int_equal(resolved_total, BIG_RESOLVED);
    assert_percentiles_by_sorting(&in, &r);

    assert_int_equal(r.carried_over, BIG / 4);
    assert_int_equal(r.newly_unresolved, BIG - BIG / 4);
    assert_int_equal(r.resolved_since, BIG / 4);

    /* issue_order: a permutation, oldest (whole days) first, then ref. */
    char *seen = calloc(BIG, 1);
    assert_non_null(seen);
    for (size_t i = 0; i < BIG; i++) {
        size_t k = r.issue_order[i];
        assert_true(k < BIG && !seen[k]);
        seen[k] = 1;
        if (i > 0) {
            const struct report_issue *a = &b->issues[r.issue_order[i - 1]];
            const struct report_issue *c = &b->issues[k];
            int age_a = report_age_days(a->filed_at, AS_OF);
            int age_c = report_age_days(c->filed_at, AS_OF);
            assert_true(age_a > age_c || (age_a == age_c && strcmp(a->ref, c->ref) < 0));
        }
    }
    free(seen);
    report_free(&r);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(month_totals, month_setup, month_teardown),
        cmocka_unit_test_setup_teardown(month_by_cluster, month_setup, month_teardown),
        cmocka_unit_test_setup_teardown(month_by_school, month_setup, month_teardown),
        cmocka_unit_test_setup_teardown(month_by_category, month_setup, month_teardown),
        cmocka_unit_test_setup_teardown(month_by_division, month_setup, month_teardown),
        cmocka_unit_test_setup_teardown(month_by_priority, month_setup, month_teardown),
        cmocka_unit_test_setup_teardown(month_by_age, month_setup, month_teardown),
        cmocka_unit_test_setup_teardown(month_response_times, month_setup, month_teardown),
        cmocka_unit_test_setup_teardown(month_top_and_recurring, month_setup,
                                        month_teardown),
        cmocka_unit_test_setup_teardown(month_change, month_setup, month_teardown),
        cmocka_unit_test_setup_teardown(month_issue_order, month_setup, month_teardown),
        cmocka_unit_test(age_days_are_whole_and_never_negative),
        cmocka_unit_test(age_buckets_include_their_bounds),
        cmocka_unit_test(percentile_of_one_value),
        cmocka_unit_test(percentile_of_two_values),
        cmocka_unit_test(percentile_of_ten_values),
        cmocka_unit_test(percentile_whole_ranks),
        cmocka_unit_test(empty_month),
        cmocka_unit_test(ties_sort_by_code),
        cmocka_unit_test(top_schools_stop_at_ten),
        cmocka_unit_test(recurring_order),
        cmocka_unit_test(change_between_sets),
        cmocka_unit_test(two_hundred_thousand_issues),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
