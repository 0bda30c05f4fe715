/* report_render.h -- the monthly report as JSON, CSV (issues or summary) and a
 * self-contained HTML page. The API and `directline report` both call this, so they give
 * the same bytes. */
#ifndef DL_API_REPORT_RENDER_H
#define DL_API_REPORT_RENDER_H

#include <stddef.h>
#include "domain/report.h"

enum report_format { REPORT_JSON, REPORT_CSV, REPORT_HTML };
enum report_part { REPORT_PART_ISSUES, REPORT_PART_SUMMARY };

/* What the page says about itself, beside the numbers. */
struct report_meta {
    const char *department;       /* "Sở Giáo dục và Đào tạo Hà Tĩnh" */
    const char *scope_kind;       /* "department", "cluster", "school" */
    const char *scope_code;       /* NULL for the department */
    const char *scope_name;       /* NULL for the department; else the cluster/school name */
    const char *as_of;            /* RFC 3339 in +07:00; no other clock reading appears, so
                                   * the same month renders to the same bytes every time */
};

/* "YYYY-MM" of the month `offset` months after (year, month); offset may be negative. */
void report_month_label(int year, int month, int offset, char out[8]);

/* The rendered document (caller frees with free()) and its byte length; `part` applies to
 * CSV only. The same inputs give the same bytes. NULL, with *len 0, for a format outside
 * the enum. r must be built from in (issue_order indexes in->issues). */
char *report_render(const struct report_input *in, const struct report *r,
                    const struct report_meta *meta, enum report_format format,
                    enum report_part part, size_t *len);
/* The Content-Security-Policy of the HTML page: its own inline style, by hash, only. */
const char *report_html_csp(void);
/* The policy of a self-contained page whose one <style> element holds exactly `style`:
 * that style by its hash, images inline, nothing else (no script, no other style). */
#define HTML_CSP_MAX 320
void html_page_csp(const char *style, char out[HTML_CSP_MAX]);
/* The Content-Type header for a format (the text formats say charset=utf-8). */
const char *report_content_type(enum report_format format);

#endif
