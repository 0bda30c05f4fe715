/* report_store.h -- what the monthly report reads from PostgreSQL: the issues unresolved
 * at an instant (from issue_states, the history's index), the month's filings and
 * resolutions, and the trend of month-ends. */
#ifndef DL_DB_REPORT_STORE_H
#define DL_DB_REPORT_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "db/report_cache.h"
#include "db/report_names.h"
#include "domain/report.h"

/* Whose issues: all (both NULL), one cluster's or one school's (codes). */
struct report_scope {
    const char *cluster;
    const char *school;
};

/* The month's bounds: start and end (the first instant of the next month), epoch seconds,
 * in Asia/Ho_Chi_Minh; and its as-of instant (end, or now for the current month). */
struct report_period {
    int year, month;
    int64_t start, end, as_of;
    char as_of_text[40];          /* RFC 3339, +07:00 */
};

/* Computes the period; ERR_INVALID on "month" when it starts after `now`. */
bool db_report_period(struct db *db, int year, int month, int64_t now,
                      struct report_period *period, struct error *err);

struct report_month_reads;

/* Everything report_build needs, owning the rows its strings point into. */
struct report_data {
    struct report_input input;
    struct report_issue *issues;
    int64_t *previous_ids;
    struct report_resolution *resolved;
    struct report_decision *decisions;
    struct report_rating *ratings;
    struct report_names names;
    struct db_rows *rows[6];
    struct report_month_reads *month;   /* the month's reads not yet collected */
    struct report_cache_stamp stamp;    /* whether and how the document may be kept */
};

/* The report is read in two steps, so the caller can start on the unresolved issues while
 * the rest is still being read: first the issues unresolved at the month's end and at its
 * start (input.issues, input.previous_ids); then, by db_report_load_month, the month's
 * filings, resolutions and trend. Both read one snapshot. helper: a second connection, or
 * NULL; with one, the month's reads run on it (on a thread of their own) from the first
 * step on, which makes it faster and changes nothing else. On failure the data is freed;
 * after db_report_load_month fails, free it with report_data_free. */
bool db_report_load_unresolved(struct db *db, struct db *helper,
                               const struct report_period *period,
                               const struct report_scope *scope, struct report_data *out,
                               struct error *err);
bool db_report_load_month(struct report_data *data, struct error *err);
/* Also waits for, and rolls back, reads still running. */
void report_data_free(struct report_data *data);

/* The display name of the scope's cluster or school (caller frees); NULL when unknown. */
char *db_report_scope_name(struct db *db, const struct report_scope *scope, struct error *err);

#endif
