/* report_api.h -- GET /api/reports/monthly, and the one function that produces a report
 * document, shared with `directline report` so both give the same bytes. */
#ifndef DL_API_REPORT_API_H
#define DL_API_REPORT_API_H

#include <stdint.h>
#include "api/exchange.h"
#include "api/report_render.h"
#include "db/report_store.h"

#define REPORT_DEPARTMENT "Sở Giáo dục và Đào tạo Hà Tĩnh"

struct report_request {
    int year, month;
    enum report_format format;
    enum report_part part;
    struct report_scope scope;
    int64_t now;                 /* the clock: what "the current month" means */
};

/* The real clock for reports: the end of the current second, so that the current month
 * includes everything that has happened, even earlier in this second. */
int64_t report_clock_now(void);

/* Parses "YYYY-MM"; false when it is not a month. */
bool report_parse_month(const char *text, int *year, int *month);
bool report_parse_format(const char *text, enum report_format *format);
bool report_parse_part(const char *text, enum report_part *part);

/* The rendered document (caller frees) and its length; NULL with err set. A finished
 * month's document kept in the database is answered as it is, while nothing it shows has
 * changed (db/report_cache.h); otherwise it is computed, and kept when it may be. helper:
 * a second connection that makes the computation faster, or NULL (see
 * db_report_load_unresolved). */
char *report_produce(struct db *db, struct db *helper, const struct report_request *req,
                     size_t *len, struct error *err);

void reports_monthly(struct exchange *ex);

#endif
