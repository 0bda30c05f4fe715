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

/* A rendered report: its text, its gzip copy, or both. One computed now has its text
 * (and the gzip copy that was kept, if it was); a kept one comes as the gzip copy alone. */
struct report_document {
    char *text;                  /* NUL-terminated, len bytes */
    size_t len;
    unsigned char *gzip;         /* gzip_len bytes */
    size_t gzip_len;
};

/* The document; false with err set. A finished month's document kept in the database is
 * answered as it is, while nothing it shows has changed (db/report_cache.h); otherwise it
 * is computed, and kept when it may be. need_text: doc->text must be there (a kept copy
 * is inflated); else a kept copy may come as gzip alone. A kept copy that is not gzip is
 * made again. helper: a second connection that makes the computation faster, or NULL
 * (see db_report_load_unresolved). */
bool report_produce(struct db *db, struct db *helper, const struct report_request *req,
                    bool need_text, struct report_document *doc, struct error *err);
void report_document_free(struct report_document *doc);

void reports_monthly(struct exchange *ex);

#endif
