/* report.h -- the monthly unresolved-issue report as data: what the database gives
 * (the issues unresolved at the month's end, the previous month-end's set, the month's
 * resolutions, the trend) and what is computed from it (totals, groups, age buckets,
 * response-time percentiles, change since last month). Pure C, no I/O. */
#ifndef DL_DOMAIN_REPORT_H
#define DL_DOMAIN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/decision_rules.h"

#define REPORT_TREND_MONTHS 12
#define REPORT_AGE_BUCKETS 4
#define REPORT_TOP_SCHOOLS 10
#define REPORT_RECURRING_MIN_SCHOOLS 3

/* One issue unresolved at the month's end, with its state at that moment. Strings are
 * borrowed from the caller and must outlive the report. */
struct report_issue {
    int64_t id;                      /* the issue's key: last month's set is compared by it */
    const char *ref, *title;
    const char *school, *school_name, *cluster, *cluster_name;
    const char *category, *category_name, *category_kind;   /* kind: management|teaching */
    const char *division, *division_name;
    const char *status, *priority;
    const char *assignee;            /* login, or NULL */
    int64_t filed_at;                /* epoch seconds */
    bool overdue;
    int escalation_level;
    int schools_affected;            /* the filing school, those that co-signed by then, and
                                        a systemic problem's children's schools then */
    const char *schools;             /* those schools' codes, space-separated, sorted; NULL
                                        when it is the filing school alone */
};

/* One issue resolved during the month. */
struct report_resolution {
    const char *division, *division_name;   /* where it was when resolved */
    double first_response_hours;            /* < 0: no first response recorded */
    double resolution_hours;
};

/* A meeting's decision as it stood at the report's instant (docs/meetings.md): recorded
 * during the month, or open at its start, or open at its end. */
struct report_decision {
    int64_t id, meeting_id;
    const char *meeting_title, *held_on, *meeting_kind, *meeting_cluster;   /* cluster: NULL */
    const char *body, *division, *division_name;
    const char *responsible;         /* login, or NULL */
    const char *due_on;              /* YYYY-MM-DD */
    int due_days;                    /* the same, as days since 1970-01-01 */
    bool done;                       /* then */
    int64_t done_at;                 /* epoch seconds, when done */
    const char *issues;              /* its issues' refs, space-separated; NULL: none */
};

/* A school's rating (1-5) of a resolution it confirmed during the month, with the
 * division the issue was in then. */
struct report_rating {
    const char *division, *division_name;
    int rating;
};

struct report_input {
    int year, month;                       /* the reported month */
    int64_t as_of;                         /* T: the first instant after the month */
    const struct report_issue *issues;     /* unresolved at T */
    size_t nissues;
    const int64_t *previous_ids;           /* ids unresolved at the month's start */
    size_t nprevious;
    size_t filed_in_month;
    const struct report_resolution *resolved;
    size_t nresolved;
    int trend[REPORT_TREND_MONTHS];        /* unresolved at month-ends, oldest first; last = T */
    const struct report_decision *decisions;   /* in the order of their meetings' days */
    size_t ndecisions;
    const struct report_rating *ratings;
    size_t nratings;
};

/* A group's row. Strings borrowed from the input. */
struct report_count {
    const char *code, *name;
    const char *extra;       /* school: its cluster code; category: its kind; else NULL */
    int count;               /* unresolved issues */
    int schools;             /* distinct schools among them (categories) */
    int overdue;             /* of them overdue */
};

struct report_times {
    size_t resolved;
    bool has_first_response, has_resolution;
    double first_response_median, first_response_p90;
    double resolution_median, resolution_p90;
};

struct report_division_times {
    const char *code, *name;
    struct report_times times;
};

/* Ratings counted together: how many, their sum (the average is sum / count) and how many
 * were 1 or 2 (domain/rating.h). */
struct report_ratings {
    const char *code, *name;      /* a division's; NULL for all of them */
    int count, sum, low;
};

struct report_list {
    struct report_count *items;
    size_t count;
};

struct report {
    int unresolved, overdue, escalated;
    size_t filed_in_month, resolved_in_month;
    /* Sorted by count descending, then code; by_priority in urgent, high, normal, low order
     * (all four, zeros included). */
    struct report_list by_cluster, by_school, by_category, by_division, by_priority;
    int by_age[REPORT_AGE_BUCKETS];
    struct report_times overall;
    struct report_division_times *times_by_division;   /* sorted by code */
    size_t ntimes_by_division;
    struct report_list top_schools;          /* at most REPORT_TOP_SCHOOLS */
    struct report_list recurring_categories; /* schools >= REPORT_RECURRING_MIN_SCHOOLS */
    int carried_over, newly_unresolved, resolved_since;
    size_t *issue_order;                     /* indexes into input issues: age desc, then ref */
    int decisions[DECISION_STATE_COUNT];     /* the decisions by their state at as_of */
    struct report_ratings ratings;           /* the month's ratings, all divisions */
    struct report_ratings *ratings_by_division;   /* sorted by code */
    size_t nratings_by_division;
};

/* Computes the report; the caller frees it with report_free. Aborts only on OOM. */
void report_build(const struct report_input *in, struct report *out);
/* report_build in two halves, for a caller whose inputs arrive in two parts: the first
 * reads only the unresolved issues and previous_ids (out need not be initialised); the
 * second adds what the month's filings and resolutions give (filed_in_month, resolved,
 * response times). */
void report_build_unresolved(const struct report_input *in, struct report *out);
void report_add_month(const struct report_input *in, struct report *out);
void report_free(struct report *r);

/* How a decision stood at the report's instant. */
enum decision_state report_decision_state(const struct report_input *in,
                                          const struct report_decision *d);
/* Whole days from filing to as_of (0 when filed within the last day). */
int report_age_days(int64_t filed_at, int64_t as_of);
/* 0: 0-7 days, 1: 8-30, 2: 31-90, 3: over 90. */
int report_age_bucket(int age_days);
const char *report_age_bucket_name(int bucket);   /* "0-7", "8-30", "31-90", "over-90" */
/* Nearest-rank percentile (0 < p <= 100) of n values (sorted in place). */
double report_percentile(double *values, size_t n, double p);

#endif
