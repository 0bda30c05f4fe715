/* report.c -- the monthly unresolved-issue report of docs/reports.md computed from its
 * inputs: totals, groups, age buckets, response-time percentiles, change, issue order. */
#include "domain/report.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define SECONDS_PER_DAY 86400

/* The wire order of by_priority: most urgent first, as the report prints it. */
static const char *const PRIORITY_CODES[] = { "urgent", "high", "normal", "low" };
#define NPRIORITIES (sizeof PRIORITY_CODES / sizeof PRIORITY_CODES[0])

static const char *const AGE_BUCKET_NAMES[REPORT_AGE_BUCKETS] = {
    "0-7", "8-30", "31-90", "over-90",
};

/* strcmp that orders a NULL first instead of crashing: the database never sends one for
 * a code or ref, but a missing string must not take the whole report down. */
static int str_cmp(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int size_cmp(size_t a, size_t b)
{
    return (a > b) - (a < b);
}

/* ---- the small public helpers ---- */

int report_age_days(int64_t filed_at, int64_t as_of)
{
    /* Filed at or after as_of (clock skew, a future --now) counts as age 0, never negative;
     * with a non-negative difference, C's truncating division is the floor. */
    if (filed_at >= as_of)
        return 0;
    int64_t days = (as_of - filed_at) / SECONDS_PER_DAY;
    return days > INT_MAX ? INT_MAX : (int)days;
}

int report_age_bucket(int age_days)
{
    if (age_days <= 7)
        return 0;
    if (age_days <= 30)
        return 1;
    if (age_days <= 90)
        return 2;
    return 3;
}

const char *report_age_bucket_name(int bucket)
{
    if (bucket < 0 || bucket >= REPORT_AGE_BUCKETS)
        return NULL;
    return AGE_BUCKET_NAMES[bucket];
}

static int double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double report_percentile(double *values, size_t n, double p)
{
    if (n == 0)
        return 0.0;   /* no data: callers look at has_* and print null */
    qsort(values, n, sizeof *values, double_cmp);
    /* rank = ceil(p/100 * n), 1-based. Multiplying before dividing keeps whole ranks
     * (90 * 10 / 100) exact, so 9 does not become 9.000...01 and round up to 10. The
     * ceiling is taken by hand: the domain library does not link libm. */
    double x = p * (double)n / 100.0;
    if (!(x > 1.0))
        return values[0];       /* also a NaN or non-positive p */
    if (x >= (double)n)
        return values[n - 1];
    size_t rank = (size_t)x;    /* floor, since 1 < x < n */
    if ((double)rank < x)
        rank++;
    return values[rank - 1];
}

/* ---- groups: sort the issues by key, then count each run ---- */

/* One issue (or resolution) under a group key; sub is the school, so that distinct
 * schools within a run are the changes of sub. */
struct keyed {
    const char *key, *sub;
    size_t idx;
};

/* Ties broken down to the index, so the order (and the row a group's name is taken
 * from) never depends on qsort's instability. */
static int keyed_cmp(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = str_cmp(x->key, y->key);
    if (c == 0)
        c = str_cmp(x->sub, y->sub);
    if (c == 0)
        c = size_cmp(x->idx, y->idx);
    return c;
}

/* Fills a row's code, name and extra from one issue: the group's identity. */
typedef void row_fn(const struct report_issue *is, struct report_count *row);

static void cluster_row(const struct report_issue *is, struct report_count *row)
{
    row->code = is->cluster;
    row->name = is->cluster_name;
}

static void school_row(const struct report_issue *is, struct report_count *row)
{
    row->code = is->school;
    row->name = is->school_name;
    row->extra = is->cluster;
}

static void category_row(const struct report_issue *is, struct report_count *row)
{
    row->code = is->category;
    row->name = is->category_name;
    row->extra = is->category_kind;
}

static void division_row(const struct report_issue *is, struct report_count *row)
{
    row->code = is->division;
    row->name = is->division_name;
}

static int count_desc_cmp(const void *a, const void *b)
{
    const struct report_count *x = a, *y = b;
    if (x->count != y->count)
        return (x->count < y->count) - (x->count > y->count);
    return str_cmp(x->code, y->code);
}

/* Distinct schools for every group, not only categories: it costs nothing once the run
 * is sorted by school, and a by_school row saying 1 is simply true. */
static void group_issues(const struct report_issue *issues, size_t n, row_fn *fill,
                         struct keyed *scratch, struct report_list *out)
{
    for (size_t i = 0; i < n; i++) {
        struct report_count row = { 0 };
        fill(&issues[i], &row);
        scratch[i] = (struct keyed){ row.code, issues[i].school, i };
    }
    qsort(scratch, n, sizeof *scratch, keyed_cmp);

    out->items = xcalloc(n, sizeof *out->items);
    out->count = 0;
    for (size_t i = 0; i < n; i++) {
        struct report_count *row;
        if (i == 0 || str_cmp(scratch[i].key, scratch[i - 1].key) != 0) {
            row = &out->items[out->count++];
            fill(&issues[scratch[i].idx], row);
        } else {
            row = &out->items[out->count - 1];
        }
        row->count++;
        if (row->count == 1 || str_cmp(scratch[i].sub, scratch[i - 1].sub) != 0)
            row->schools++;
    }
    /* Sized for one group per issue; give back the rest, which the report would otherwise
     * hold for its lifetime (megabytes at 200,000 issues). */
    out->items = xrealloc(out->items, out->count * sizeof *out->items);
    qsort(out->items, out->count, sizeof *out->items, count_desc_cmp);
}

/* All four priorities in fixed order, zeros included; an unknown code counts nowhere. */
static void group_priorities(const struct report_issue *issues, size_t n,
                             struct report_list *out)
{
    out->items = xcalloc(NPRIORITIES, sizeof *out->items);
    out->count = NPRIORITIES;
    for (size_t p = 0; p < NPRIORITIES; p++)
        out->items[p].code = out->items[p].name = PRIORITY_CODES[p];
    for (size_t i = 0; i < n; i++)
        for (size_t p = 0; p < NPRIORITIES; p++)
            if (str_cmp(issues[i].priority, PRIORITY_CODES[p]) == 0)
                out->items[p].count++;
}

static void copy_rows(const struct report_count *rows, size_t n, struct report_list *out)
{
    out->items = xcalloc(n, sizeof *out->items);
    if (n > 0)
        memcpy(out->items, rows, n * sizeof *rows);
    out->count = n;
}

static int recurring_cmp(const void *a, const void *b)
{
    const struct report_count *x = a, *y = b;
    if (x->schools != y->schools)
        return (x->schools < y->schools) - (x->schools > y->schools);
    return count_desc_cmp(a, b);
}

static void recurring_categories(const struct report_list *by_category,
                                 struct report_list *out)
{
    out->items = xcalloc(by_category->count, sizeof *out->items);
    out->count = 0;
    for (size_t i = 0; i < by_category->count; i++)
        if (by_category->items[i].schools >= REPORT_RECURRING_MIN_SCHOOLS)
            out->items[out->count++] = by_category->items[i];
    qsort(out->items, out->count, sizeof *out->items, recurring_cmp);
}

/* ---- totals and ages ---- */

static void count_totals(const struct report_input *in, struct report *out)
{
    out->unresolved = in->nissues > INT_MAX ? INT_MAX : (int)in->nissues;
    out->filed_in_month = in->filed_in_month;
    out->resolved_in_month = in->nresolved;
    for (size_t i = 0; i < in->nissues; i++) {
        const struct report_issue *is = &in->issues[i];
        out->overdue += is->overdue;
        out->escalated += is->escalation_level > 0;
        out->by_age[report_age_bucket(report_age_days(is->filed_at, in->as_of))]++;
    }
}

/* ---- response times ---- */

/* Percentiles of the resolutions listed in k[0..n); fr and rs are scratch of n values. */
static void compute_times(const struct report_resolution *res, const struct keyed *k,
                          size_t n, double *fr, double *rs, struct report_times *t)
{
    size_t nfr = 0;
    for (size_t i = 0; i < n; i++) {
        const struct report_resolution *r = &res[k[i].idx];
        /* A negative first response means none was recorded: it is left out, not 0. */
        if (r->first_response_hours >= 0)
            fr[nfr++] = r->first_response_hours;
        rs[i] = r->resolution_hours;
    }
    t->resolved = n;
    t->has_first_response = nfr > 0;
    t->has_resolution = n > 0;
    if (nfr > 0) {
        t->first_response_median = report_percentile(fr, nfr, 50);
        t->first_response_p90 = report_percentile(fr, nfr, 90);
    }
    if (n > 0) {
        t->resolution_median = report_percentile(rs, n, 50);
        t->resolution_p90 = report_percentile(rs, n, 90);
    }
}

static void response_times(const struct report_input *in, struct keyed *scratch,
                           struct report *out)
{
    size_t n = in->nresolved;
    double *fr = xmalloc(n * sizeof *fr);
    double *rs = xmalloc(n * sizeof *rs);

    for (size_t i = 0; i < n; i++)
        scratch[i] = (struct keyed){ in->resolved[i].division, NULL, i };
    qsort(scratch, n, sizeof *scratch, keyed_cmp);
    compute_times(in->resolved, scratch, n, fr, rs, &out->overall);

    struct report_division_times *divs = xcalloc(n, sizeof *divs);
    size_t ndivs = 0;
    for (size_t start = 0, end; start < n; start = end) {
        const struct report_resolution *first = &in->resolved[scratch[start].idx];
        for (end = start + 1; end < n && str_cmp(scratch[end].key, first->division) == 0;)
            end++;
        struct report_division_times *d = &divs[ndivs++];
        d->code = first->division;
        d->name = first->division_name;
        compute_times(in->resolved, scratch + start, end - start, fr, rs, &d->times);
    }
    out->times_by_division = xrealloc(divs, ndivs * sizeof *divs);   /* keep what is used */
    out->ntimes_by_division = ndivs;
    free(rs);
    free(fr);
}

/* ---- change since the previous month's end ---- */

static int ref_ptr_cmp(const void *a, const void *b)
{
    return str_cmp(*(const char *const *)a, *(const char *const *)b);
}

static const char **sorted_refs(const char *const *refs, size_t n)
{
    const char **copy = xmalloc(n * sizeof *copy);
    if (n > 0)
        memcpy(copy, refs, n * sizeof *copy);
    qsort(copy, n, sizeof *copy, ref_ptr_cmp);
    return copy;
}

/* Both sides are sets: a ref listed twice (which the database should never send) counts
 * once, so the three numbers always add up. */
static void count_change(const struct report_input *in, struct report *out)
{
    const char **prev = sorted_refs(in->previous_refs, in->nprevious);
    const char **cur = xmalloc(in->nissues * sizeof *cur);
    for (size_t i = 0; i < in->nissues; i++)
        cur[i] = in->issues[i].ref;
    qsort(cur, in->nissues, sizeof *cur, ref_ptr_cmp);

    size_t i = 0, j = 0;
    while (i < in->nprevious || j < in->nissues) {
        int c = i == in->nprevious ? 1 : j == in->nissues ? -1 : str_cmp(prev[i], cur[j]);
        const char *ref = c <= 0 ? prev[i] : cur[j];
        if (c < 0)
            out->resolved_since++;
        else if (c > 0)
            out->newly_unresolved++;
        else
            out->carried_over++;
        while (i < in->nprevious && str_cmp(prev[i], ref) == 0)
            i++;
        while (j < in->nissues && str_cmp(cur[j], ref) == 0)
            j++;
    }
    free(cur);
    free(prev);
}

/* ---- issue order ---- */

struct aged {
    int age;
    const char *ref;
    size_t idx;
};

static int aged_cmp(const void *a, const void *b)
{
    const struct aged *x = a, *y = b;
    if (x->age != y->age)
        return (x->age < y->age) - (x->age > y->age);
    int c = str_cmp(x->ref, y->ref);
    return c != 0 ? c : size_cmp(x->idx, y->idx);
}

/* "Age" is whole days as docs/reports.md defines it (the number the CSV prints), so two
 * issues of the same age are in ref order even when filed hours apart. */
static void order_issues(const struct report_input *in, struct report *out)
{
    size_t n = in->nissues;
    struct aged *a = xmalloc(n * sizeof *a);
    for (size_t i = 0; i < n; i++)
        a[i] = (struct aged){ report_age_days(in->issues[i].filed_at, in->as_of),
                              in->issues[i].ref, i };
    qsort(a, n, sizeof *a, aged_cmp);
    out->issue_order = xmalloc(n * sizeof *out->issue_order);
    for (size_t i = 0; i < n; i++)
        out->issue_order[i] = a[i].idx;
    free(a);
}

/* ---- the report ---- */

void report_build(const struct report_input *in, struct report *out)
{
    memset(out, 0, sizeof *out);
    size_t nscratch = in->nissues > in->nresolved ? in->nissues : in->nresolved;
    struct keyed *scratch = xmalloc(nscratch * sizeof *scratch);

    count_totals(in, out);
    group_issues(in->issues, in->nissues, cluster_row, scratch, &out->by_cluster);
    group_issues(in->issues, in->nissues, school_row, scratch, &out->by_school);
    group_issues(in->issues, in->nissues, category_row, scratch, &out->by_category);
    group_issues(in->issues, in->nissues, division_row, scratch, &out->by_division);
    group_priorities(in->issues, in->nissues, &out->by_priority);
    response_times(in, scratch, out);

    size_t ntop = out->by_school.count < REPORT_TOP_SCHOOLS ? out->by_school.count
                                                            : REPORT_TOP_SCHOOLS;
    copy_rows(out->by_school.items, ntop, &out->top_schools);
    recurring_categories(&out->by_category, &out->recurring_categories);
    count_change(in, out);
    order_issues(in, out);

    free(scratch);
}

void report_free(struct report *r)
{
    if (r == NULL)
        return;
    struct report_list *lists[] = { &r->by_cluster, &r->by_school, &r->by_category,
                                    &r->by_division, &r->by_priority, &r->top_schools,
                                    &r->recurring_categories };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        free(lists[i]->items);
    free(r->times_by_division);
    free(r->issue_order);
    /* Zeroed so that a second report_free, or reading the counts, is harmless. */
    memset(r, 0, sizeof *r);
}
