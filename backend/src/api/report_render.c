/* report_render.c -- the report's entry point (format dispatch, content types, month
 * labels) and the byte buffer the JSON, CSV and HTML renderers share. */
#include "api/report_render.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/report_formats.h"
#include "util/secret.h"
#include "util/xalloc.h"

/* ---- the byte buffer ---- */

void rbuf_init(struct rbuf *b)
{
    b->cap = 4096;
    b->len = 0;
    b->data = xmalloc(b->cap);
    b->data[0] = '\0';
}

/* Makes room for n more bytes plus the terminating NUL; doubling keeps appends amortised
 * O(1) while the HTML page grows to a few hundred kilobytes. */
static void rbuf_reserve(struct rbuf *b, size_t n)
{
    if (b->len + n + 1 <= b->cap)
        return;
    while (b->len + n + 1 > b->cap)
        b->cap *= 2;
    b->data = xrealloc(b->data, b->cap);
}

void rbuf_putn(struct rbuf *b, const char *s, size_t n)
{
    rbuf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void rbuf_puts(struct rbuf *b, const char *s)
{
    if (s)
        rbuf_putn(b, s, strlen(s));
}

void rbuf_putc(struct rbuf *b, char c)
{
    rbuf_putn(b, &c, 1);
}

void rbuf_printf(struct rbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;   /* nothing to add; a format error cannot happen with our literals */
    rbuf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Escapes the five characters that could end an attribute or open markup; every piece
 * of data on the page goes through here, titles typed by principals included. */
void rbuf_put_html_n(struct rbuf *b, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&':  rep = "&amp;"; break;
        case '<':  rep = "&lt;"; break;
        case '>':  rep = "&gt;"; break;
        case '"':  rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:   continue;
        }
        rbuf_putn(b, s + start, i - start);
        rbuf_puts(b, rep);
        start = i + 1;
    }
    rbuf_putn(b, s + start, n - start);
}

void rbuf_put_html(struct rbuf *b, const char *s)
{
    if (s)
        rbuf_put_html_n(b, s, strlen(s));
}

void html_page_csp(const char *style, char out[HTML_CSP_MAX])
{
    char hash[SECRET_SHA256_BASE64];
    secret_sha256_base64(style, strlen(style), hash);
    snprintf(out, HTML_CSP_MAX,
             "default-src 'none'; style-src 'sha256-%s'; img-src data:; "
             "frame-ancestors 'none'; base-uri 'none'; form-action 'none'", hash);
}

char *rbuf_take(struct rbuf *b, size_t *len)
{
    char *s = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

const struct report_issue *report_issue_at(const struct report_input *in,
                                           const struct report *r, size_t i)
{
    /* Without an order (an empty report may not allocate one) fall back to input order. */
    return &in->issues[r->issue_order ? r->issue_order[i] : i];
}

/* ---- month labels ---- */

static void put_digits(char *out, int value, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + value % 10);
        value /= 10;
    }
}

void report_month_label(int year, int month, int offset, char out[8])
{
    /* Count months from year 0 so that offsets cross year ends (and go negative) with one
     * floor division; the label has room for four-digit years only, so clamp to those. */
    long long index = (long long)year * 12 + (month - 1) + offset;
    long long y = index >= 0 ? index / 12 : -((-index + 11) / 12);
    int m = (int)(index - y * 12) + 1;
    if (y < 0 || y > 9999) {
        y = y < 0 ? 0 : 9999;
        m = y == 0 ? 1 : 12;
    }
    put_digits(out, (int)y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '\0';
}

/* ---- entry points ---- */

char *report_render(const struct report_input *in, const struct report *r,
                    const struct report_meta *meta, enum report_format format,
                    enum report_part part, size_t *len)
{
    if (format != REPORT_JSON && format != REPORT_CSV && format != REPORT_HTML) {
        if (len)
            *len = 0;
        return NULL;
    }
    struct rbuf b;
    rbuf_init(&b);
    if (format == REPORT_JSON)
        report_json(&b, in, r, meta);
    else if (format == REPORT_HTML)
        report_html(&b, in, r, meta);
    else if (part == REPORT_PART_SUMMARY)
        report_csv_summary(&b, r);
    else
        report_csv_issues(&b, in, r);
    return rbuf_take(&b, len);
}

const char *report_content_type(enum report_format format)
{
    switch (format) {
    case REPORT_JSON: return "application/json";
    case REPORT_CSV:  return "text/csv; charset=utf-8";
    case REPORT_HTML: return "text/html; charset=utf-8";
    }
    return "application/octet-stream";
}
