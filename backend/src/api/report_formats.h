/* report_formats.h -- internals shared by the report renderers: report_render.c (entry
 * point, the byte buffer), report_json.c, report_csv.c (both CSVs) and report_html.c. */
#ifndef DL_API_REPORT_FORMATS_H
#define DL_API_REPORT_FORMATS_H

#include <stddef.h>

#include "api/report_render.h"

/* A growable byte buffer. Appending never fails (xalloc aborts on out-of-memory), so the
 * renderers carry no error paths; the contents are always NUL-terminated. */
struct rbuf {
    char *data;
    size_t len, cap;
};

void rbuf_init(struct rbuf *b);
void rbuf_putn(struct rbuf *b, const char *s, size_t n);
void rbuf_puts(struct rbuf *b, const char *s);   /* NULL appends nothing */
void rbuf_putc(struct rbuf *b, char c);
void rbuf_printf(struct rbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the contents to the caller (who frees them) and leaves the buffer empty. */
/* Appends text with the five characters that could end an attribute or open markup
 * escaped; every piece of data on an HTML page goes through here. NULL appends nothing. */
void rbuf_put_html(struct rbuf *b, const char *s);
void rbuf_put_html_n(struct rbuf *b, const char *s, size_t n);
char *rbuf_take(struct rbuf *b, size_t *len);

/* The i-th issue in report order (age descending, then ref). */
const struct report_issue *report_issue_at(const struct report_input *in,
                                           const struct report *r, size_t i);

/* The formats; each appends the whole document to b. */
void report_json(struct rbuf *b, const struct report_input *in, const struct report *r,
                 const struct report_meta *meta);
void report_csv_issues(struct rbuf *b, const struct report_input *in, const struct report *r);
void report_csv_summary(struct rbuf *b, const struct report *r);
/* The report page's section of meeting decisions, numbered `number` ("V"). */
void report_html_decisions(struct rbuf *b, const struct report_input *in,
                           const struct report *r, const char *number);
/* The report page's section of the month's ratings, numbered `number` ("VI"). */
void report_html_ratings(struct rbuf *b, const struct report *r, const char *number);
void report_html(struct rbuf *b, const struct report_input *in, const struct report *r,
                 const struct report_meta *meta);

#endif
