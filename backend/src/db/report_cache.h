/* report_cache.h -- finished months' reports kept in PostgreSQL (report_cache, migration
 * 0015), shared by every server: looked up before a report is computed, stored after. */
#ifndef DL_DB_REPORT_CACHE_H
#define DL_DB_REPORT_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"

/* Raise it with every change to the report's SQL, computation or rendering that changes a
 * finished month's document: reports kept by an older build are then not used. */
#define REPORT_CACHE_LOGIC 1

struct report_scope;

/* Which document: the month, whose, and the format ("json", "html", "csv-issues",
 * "csv-summary"). */
struct report_cache_key {
    int year, month;
    const char *variant;
    const struct report_scope *scope;
};

/* What a report is computed under, read in the report's own snapshot: the scope's schools
 * (the query parameter), and whether and how it may be kept. */
struct report_cache_stamp {
    char *schools;          /* "{3,17}", or NULL for the Department (caller frees) */
    char *scope_key;        /* report_scope_key(); NULL for an unknown code */
    char *digest;           /* report_names_digest() */
    char epoch[24];         /* report_history_epoch */
    bool keep;              /* a finished month, long enough ago that it is settled */
};

/* The kept document as gzip (caller frees, *len bytes), or NULL: with err unset when
 * there is none that still holds. now: the report's clock (the month must be over by it). */
unsigned char *db_report_cache_get(struct db *db, const struct report_cache_key *key,
                                   int64_t now, size_t *len, struct error *err);
/* Reads the stamp; month_end: the first instant after the month, finished: whether the
 * report is as of that instant (not of a `now` inside the month). */
bool db_report_cache_stamp(struct db *db, const struct report_scope *scope, int64_t month_end,
                           bool finished, struct report_cache_stamp *stamp, struct error *err);
void report_cache_stamp_free(struct report_cache_stamp *stamp);
/* Keeps the document, gzip-compressed (gzip, len bytes), when the stamp allows it. A
 * failure is logged, never passed on: the report has been made and is answered either way. */
void db_report_cache_put(struct db *db, const struct report_cache_key *key,
                         const struct report_cache_stamp *stamp, const unsigned char *gzip,
                         size_t len);

#endif
