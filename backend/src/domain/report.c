/* report.c -- the monthly unresolved-issue report of docs/reports.md computed from its
 * inputs: totals, groups, age buckets, response-time percentiles, change, issue order. */
#include "domain/report.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "domain/code_table.h"
#include "domain/key_set.h"
#include "domain/rating.h"
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

/* Nearest rank of already sorted values; see report_percentile. */
/* The 0-based index of the nearest-rank p-th percentile of n > 0 sorted values. */
static size_t percentile_index(size_t n, double p)
{
    /* rank = ceil(p/100 * n), 1-based. Multiplying before dividing keeps whole ranks
     * (90 * 10 / 100) exact, so 9 does not become 9.000...01 and round up to 10. The
     * ceiling is taken by hand: the domain library does not link libm. */
    double x = p * (double)n / 100.0;
    if (!(x > 1.0))
        return 0;               /* also a NaN or non-positive p */
    if (x >= (double)n)
        return n - 1;
    size_t rank = (size_t)x;    /* floor, since 1 < x < n */
    if ((double)rank < x)
        rank++;
    return rank - 1;
}

/* Moves the k-th smallest of v[0..n) to v[k], smaller or equal ones before it, greater or
 * equal after (Hoare's selection): the percentile without sorting everything. The values
 * are hours computed by the database, never NaN. */
static double select_kth(double *v, size_t n, size_t k)
{
    long lo = 0, hi = (long)n - 1, target = (long)k;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (target <= j)
            hi = j;
        else if (target >= i)
            lo = i;
        else
            break;              /* between the two halves: equal to the pivot, in place */
    }
    return v[k];
}

/* Median and 90th percentile of n > 0 values, reordering them. The 90th lies at or after
 * the median, so its search starts there. */
static void median_p90(double *v, size_t n, double *median, double *p90)
{
    size_t m = percentile_index(n, 50), q = percentile_index(n, 90);
    *median = select_kth(v, n, m);
    *p90 = select_kth(v + m, n - m, q - m);
}

double report_percentile(double *values, size_t n, double p)
{
    if (n == 0)
        return 0.0;   /* no data: callers look at has_* and print null */
    qsort(values, n, sizeof *values, double_cmp);
    return values[percentile_index(n, p)];
}

/* ---- groups: number each issue's key, then count into arrays ---- */

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

/* Each group's row is named by its first issue. Distinct schools are counted for every
 * group, not only categories: a set of (group, school) pairs costs little, and a by_school
 * row saying 1 is simply true. school_numbers: each issue's school, as code_table numbered. */
static void group_issues(const struct report_issue *issues, size_t n, row_fn *fill,
                         const size_t *school_numbers, struct report_list *out)
{
    struct code_table groups;
    struct key_set group_schools;
    code_table_init(&groups, n);
    key_set_init(&group_schools, n);
    out->items = xcalloc(n, sizeof *out->items);
    out->count = 0;
    for (size_t i = 0; i < n; i++) {
        struct report_count row = { 0 };
        fill(&issues[i], &row);
        size_t g = code_table_number(&groups, row.code);
        if (g == out->count)
            out->items[out->count++] = row;
        out->items[g].count++;
        out->items[g].overdue += issues[i].overdue;
        if (key_set_add(&group_schools, (uint64_t)g << 32 | (uint64_t)school_numbers[i]))
            out->items[g].schools++;
    }
    key_set_free(&group_schools);
    code_table_free(&groups);
    /* Sized for one group per issue; give back the rest, which the report would otherwise
     * hold for its lifetime (megabytes at 200,000 issues). */
    out->items = xrealloc(out->items, out->count * sizeof *out->items);
    qsort(out->items, out->count, sizeof *out->items, count_desc_cmp);
}

/* Each issue's school as a dense number, the second half of group_issues' pairs. */
static size_t *number_schools(const struct report_issue *issues, size_t n)
{
    struct code_table schools;
    code_table_init(&schools, n);
    size_t *numbers = xmalloc(n * sizeof *numbers);
    for (size_t i = 0; i < n; i++)
        numbers[i] = code_table_number(&schools, issues[i].school);
    code_table_free(&schools);
    return numbers;
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
            if (str_cmp(issues[i].priority, PRIORITY_CODES[p]) == 0) {
                out->items[p].count++;
                out->items[p].overdue += issues[i].overdue;
            }
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
    for (size_t i = 0; i < in->nissues; i++) {
        const struct report_issue *is = &in->issues[i];
        out->overdue += is->overdue;
        out->escalated += is->escalation_level > 0;
        out->by_age[report_age_bucket(report_age_days(is->filed_at, in->as_of))]++;
    }
}

/* ---- response times ---- */

/* Percentiles of the resolutions res[idx[0..n)]; fr and rs are scratch of n values. */
static void compute_times(const struct report_resolution *res, const size_t *idx, size_t n,
                          double *fr, double *rs, struct report_times *t)
{
    size_t nfr = 0;
    for (size_t i = 0; i < n; i++) {
        const struct report_resolution *r = &res[idx[i]];
        /* A negative first response means none was recorded: it is left out, not 0. */
        if (r->first_response_hours >= 0)
            fr[nfr++] = r->first_response_hours;
        rs[i] = r->resolution_hours;
    }
    t->resolved = n;
    t->has_first_response = nfr > 0;
    t->has_resolution = n > 0;
    if (nfr > 0)
        median_p90(fr, nfr, &t->first_response_median, &t->first_response_p90);
    if (n > 0)
        median_p90(rs, n, &t->resolution_median, &t->resolution_p90);
}

static int division_times_cmp(const void *a, const void *b)
{
    return str_cmp(((const struct report_division_times *)a)->code,
                   ((const struct report_division_times *)b)->code);
}

/* Overall, then per division: the resolutions' indexes laid out division by division (a
 * counting sort on the division's number), each run measured on its own. */
static void response_times(const struct report_input *in, struct report *out)
{
    size_t n = in->nresolved;
    double *fr = xmalloc(n * sizeof *fr);
    double *rs = xmalloc(n * sizeof *rs);
    size_t *number = xmalloc(n * sizeof *number);
    size_t *by_division = xmalloc(n * sizeof *by_division);
    struct code_table divisions;
    code_table_init(&divisions, n);
    struct report_division_times *divs = xcalloc(n, sizeof *divs);
    size_t *ends = xcalloc(n + 1, sizeof *ends);

    for (size_t i = 0; i < n; i++) {
        by_division[i] = i;
        number[i] = code_table_number(&divisions, in->resolved[i].division);
        if (number[i] + 1 == divisions.count)
            divs[number[i]] = (struct report_division_times){
                .code = in->resolved[i].division, .name = in->resolved[i].division_name };
        ends[number[i] + 1]++;
    }
    compute_times(in->resolved, by_division, n, fr, rs, &out->overall);

    size_t ndivs = divisions.count;
    for (size_t g = 0; g < ndivs; g++)
        ends[g + 1] += ends[g];                 /* ends[g]: where division g's run starts */
    for (size_t i = 0; i < n; i++)
        by_division[ends[number[i]]++] = i;     /* now ends[g]: where run g ends */
    for (size_t g = 0, start = 0; g < ndivs; start = ends[g], g++)
        compute_times(in->resolved, by_division + start, ends[g] - start, fr, rs,
                      &divs[g].times);
    qsort(divs, ndivs, sizeof *divs, division_times_cmp);
    out->times_by_division = xrealloc(divs, ndivs * sizeof *divs);   /* keep what is used */
    out->ntimes_by_division = ndivs;
    code_table_free(&divisions);
    free(ends);
    free(by_division);
    free(number);
    free(rs);
    free(fr);
}

/* ---- change since the previous month's end ---- */

/* Both sides are sets: an id listed twice (which the database should never send) counts
 * once, so the three numbers always add up. */
static void count_change(const struct report_input *in, struct report *out)
{
    struct key_set previous, current;
    key_set_init(&previous, in->nprevious);
    key_set_init(&current, in->nissues);
    for (size_t i = 0; i < in->nprevious; i++)
        key_set_add(&previous, (uint64_t)in->previous_ids[i]);
    for (size_t i = 0; i < in->nissues; i++) {
        uint64_t id = (uint64_t)in->issues[i].id;
        if (!key_set_add(&current, id))
            continue;
        if (key_set_has(&previous, id))
            out->carried_over++;
        else
            out->newly_unresolved++;
    }
    out->resolved_since = (int)previous.count - out->carried_over;
    key_set_free(&current);
    key_set_free(&previous);
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

void report_build_unresolved(const struct report_input *in, struct report *out)
{
    memset(out, 0, sizeof *out);
    size_t *schools = number_schools(in->issues, in->nissues);

    count_totals(in, out);
    group_issues(in->issues, in->nissues, cluster_row, schools, &out->by_cluster);
    group_issues(in->issues, in->nissues, school_row, schools, &out->by_school);
    group_issues(in->issues, in->nissues, category_row, schools, &out->by_category);
    group_issues(in->issues, in->nissues, division_row, schools, &out->by_division);
    group_priorities(in->issues, in->nissues, &out->by_priority);

    size_t ntop = out->by_school.count < REPORT_TOP_SCHOOLS ? out->by_school.count
                                                            : REPORT_TOP_SCHOOLS;
    copy_rows(out->by_school.items, ntop, &out->top_schools);
    recurring_categories(&out->by_category, &out->recurring_categories);
    count_change(in, out);
    order_issues(in, out);

    free(schools);
}

static int ratings_cmp(const void *a, const void *b)
{
    return str_cmp(((const struct report_ratings *)a)->code,
                   ((const struct report_ratings *)b)->code);
}

static void add_rating(struct report_ratings *g, int rating)
{
    g->count++;
    g->sum += rating;
    g->low += rating_is_low(rating);
}

/* The month's ratings, all together and by division (a handful of divisions: a linear
 * look-up per rating is the simplest that is fast enough). */
static void ratings(const struct report_input *in, struct report *out)
{
    out->ratings = (struct report_ratings){0};
    struct report_ratings *divs = xcalloc(in->nratings + 1, sizeof *divs);
    size_t ndivs = 0;
    for (size_t i = 0; i < in->nratings; i++) {
        const struct report_rating *r = &in->ratings[i];
        size_t g = 0;
        while (g < ndivs && str_cmp(divs[g].code, r->division) != 0)
            g++;
        if (g == ndivs)
            divs[ndivs++] = (struct report_ratings){.code = r->division,
                                                    .name = r->division_name};
        add_rating(&divs[g], r->rating);
        add_rating(&out->ratings, r->rating);
    }
    qsort(divs, ndivs, sizeof *divs, ratings_cmp);
    out->ratings_by_division = divs;
    out->nratings_by_division = ndivs;
}

enum decision_state report_decision_state(const struct report_input *in,
                                          const struct report_decision *d)
{
    return decision_state_at(d->done, d->done_at, d->due_days, in->as_of);
}

void report_add_month(const struct report_input *in, struct report *out)
{
    out->filed_in_month = in->filed_in_month;
    out->resolved_in_month = in->nresolved;
    response_times(in, out);
    memset(out->decisions, 0, sizeof out->decisions);
    for (size_t i = 0; i < in->ndecisions; i++)
        out->decisions[report_decision_state(in, &in->decisions[i])]++;
    free(out->ratings_by_division);
    ratings(in, out);
}

void report_build(const struct report_input *in, struct report *out)
{
    report_build_unresolved(in, out);
    report_add_month(in, out);
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
    free(r->ratings_by_division);
    /* Zeroed so that a second report_free, or reading the counts, is harmless. */
    memset(r, 0, sizeof *r);
}
