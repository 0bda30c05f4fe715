/* report_html.c -- the report as one self-contained, printable HTML page in Vietnamese
 * (inline CSS, SVG charts drawn here, no scripts) for the principals' monthly meeting. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/report_formats.h"
#include "util/xalloc.h"

#define DEFAULT_DEPARTMENT "Sở Giáo dục và Đào tạo Hà Tĩnh"
#define TOP_CATEGORIES 12
#define CHART_W 600   /* every chart's viewBox width; the page scales them to the column */

/* Everything a section needs, gathered once. */
struct page {
    struct rbuf *b;
    const struct report_input *in;
    const struct report *r;
    const struct report_meta *meta;
    char month[8];      /* "10/2026" */
    char previous[8];   /* "09/2026" */
};

/* ---- text ---- */

/* Byte offset where character `nth` (0-based; UTF-8 code points) starts, or the length. */
static size_t utf8_offset(const char *s, int nth)
{
    int chars = 0;
    size_t i = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == nth)
            return i;   /* continuation bytes (10xxxxxx) belong to the previous character */
    return i;
}

static bool longer_than(const char *s, int max_chars)
{
    return s && s[utf8_offset(s, max_chars)] != '\0';
}

/* At most max_chars characters, the last an ellipsis when some were dropped: chart labels
 * have a fixed width and SVG cannot wrap. Cuts between code points, never inside one. */
static void esc_clip(struct rbuf *b, const char *s, int max_chars)
{
    if (!longer_than(s, max_chars)) {
        rbuf_put_html(b, s);
        return;
    }
    size_t cut = utf8_offset(s, max_chars - 1);
    while (cut > 0 && s[cut - 1] == ' ')
        cut--;
    rbuf_put_html_n(b, s, cut);
    rbuf_puts(b, "…");
}

static const char *or_else(const char *s, const char *fallback)
{
    return s && *s ? s : fallback;
}

/* Counts the Vietnamese way: a dot between thousands (1.234). */
static void put_count(struct rbuf *b, long long v)
{
    if (v < 0) {
        rbuf_puts(b, "−");
        v = -v;
    }
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", v);
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            rbuf_putc(b, '.');
        rbuf_putc(b, digits[i]);
    }
}

/* Hours to one decimal with a decimal comma (12,5), or a dash when nothing was measured.
 * Formatted by hand so the output never depends on the process locale. */
static void put_hours(struct rbuf *b, bool has, double hours)
{
    if (!has) {
        rbuf_puts(b, "<span class=\"muted\">—</span>");
        return;
    }
    long long tenths = hours > 0.0 ? (long long)(hours * 10.0 + 0.5) : 0;
    put_count(b, tenths / 10);
    rbuf_printf(b, ",%lld", tenths % 10);
}

/* A change as +3, −2 or 0, with a true minus sign. */
static void put_signed(struct rbuf *b, long long v)
{
    if (v > 0)
        rbuf_putc(b, '+');
    put_count(b, v);
}

static int percent(long long part, long long whole)
{
    return whole > 0 ? (int)((part * 100 + whole / 2) / whole) : 0;
}

/* "MM/YYYY" of the month offset from the reported one, from the shared YYYY-MM label. */
static void month_vi(const struct report_input *in, int offset, char out[8])
{
    char label[8];
    report_month_label(in->year, in->month, offset, label);
    memcpy(out, label + 5, 2);
    out[2] = '/';
    memcpy(out + 3, label, 4);
    out[7] = '\0';
}

/* ---- Vietnamese names of the wire codes ---- */

struct label {
    const char *code, *vi;
};

static const struct label STATUS_VI[] = {
    { "new", "Mới" }, { "triaged", "Đã phân loại" }, { "in_progress", "Đang xử lý" },
    { "awaiting_school", "Chờ trường bổ sung" }, { NULL, NULL },
};
static const struct label PRIORITY_VI[] = {
    { "urgent", "Khẩn" }, { "high", "Cao" }, { "normal", "Bình thường" }, { "low", "Thấp" },
    { NULL, NULL },
};
static const struct label KIND_VI[] = {
    { "management", "Quản lý" }, { "teaching", "Chuyên môn" }, { NULL, NULL },
};
static const char *const AGE_VI[REPORT_AGE_BUCKETS] = {
    "0–7 ngày", "8–30 ngày", "31–90 ngày", "Trên 90 ngày",
};

/* An unknown code is shown as it is rather than hidden: a new status must stay visible. */
static const char *vi(const struct label *table, const char *code)
{
    for (; code && table->code; table++)
        if (strcmp(table->code, code) == 0)
            return table->vi;
    return or_else(code, "");
}

/* ---- lookups over the input (small n; a linear scan keeps the order obvious) ---- */

static const char *cluster_name(const struct page *p, const char *code)
{
    for (size_t i = 0; code && i < p->r->by_cluster.count; i++)
        if (p->r->by_cluster.items[i].code && strcmp(p->r->by_cluster.items[i].code, code) == 0)
            return or_else(p->r->by_cluster.items[i].name, code);
    for (size_t i = 0; code && i < p->in->nissues; i++)
        if (p->in->issues[i].cluster && strcmp(p->in->issues[i].cluster, code) == 0)
            return or_else(p->in->issues[i].cluster_name, code);
    return or_else(code, "");
}

static int overdue_in_bucket(const struct page *p, int bucket)
{
    int n = 0;
    for (size_t i = 0; i < p->in->nissues; i++) {
        const struct report_issue *is = &p->in->issues[i];
        int age = report_age_days(is->filed_at, p->in->as_of);
        n += is->overdue && report_age_bucket(age) == bucket;
    }
    return n;
}

static int escalated_at(const struct page *p, int level)
{
    int n = 0;
    for (size_t i = 0; i < p->in->nissues; i++)
        n += level == 2 ? p->in->issues[i].escalation_level >= 2
                        : p->in->issues[i].escalation_level == level;
    return n;
}

static const struct report_times *division_times(const struct page *p, const char *code)
{
    for (size_t i = 0; code && i < p->r->ntimes_by_division; i++)
        if (p->r->times_by_division[i].code && strcmp(p->r->times_by_division[i].code, code) == 0)
            return &p->r->times_by_division[i].times;
    return NULL;
}

static bool division_listed(const struct page *p, const char *code)
{
    for (size_t i = 0; code && i < p->r->by_division.count; i++)
        if (p->r->by_division.items[i].code && strcmp(p->r->by_division.items[i].code, code) == 0)
            return true;
    return false;
}

/* ---- head ---- */

static const char STYLE[] =
    ":root{--ink:#1c2430;--muted:#5d6876;--rule:#d9dfe6;--line:#e7ebf0;--accent:#1f5c96;"
    "--accent-soft:#eef4fa;--red:#b42318}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{margin:0;background:#fff;color:var(--ink);font:14px/1.45 system-ui,-apple-system,"
    "\"Segoe UI\",Roboto,\"Noto Sans\",\"Helvetica Neue\",Arial,\"Liberation Sans\",sans-serif;"
    "font-variant-numeric:tabular-nums;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    ".page{max-width:1440px;margin:0 auto;padding:24px 36px 36px}\n"
    ".mast{display:flex;justify-content:space-between;align-items:flex-end;gap:32px;"
    "border-top:5px solid var(--accent);padding:16px 0 14px;border-bottom:1px solid var(--rule)}\n"
    ".org{margin:0;font-size:13px;font-weight:700;letter-spacing:.06em;text-transform:uppercase;"
    "color:var(--accent)}\n"
    "h1{margin:4px 0 4px;font-size:26px;font-weight:650;letter-spacing:-.01em;line-height:1.2}\n"
    ".scope{margin:0;color:var(--muted)}\n"
    ".scope b{color:var(--ink);font-weight:600}\n"
    ".asof{text-align:right;color:var(--muted);font-size:13px;white-space:nowrap}\n"
    ".asof b{display:block;color:var(--ink);font-size:15px;font-weight:600}\n"
    "h2{margin:26px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--rule);font-size:17px;"
    "font-weight:650}\n"
    "h2 .no{color:var(--accent);margin-right:6px}\n"
    "h2 .sub{font-weight:400;margin-left:8px}\n"
    "h3{margin:0 0 2px;font-size:14.5px;font-weight:600}\n"
    ".sub{font-size:12.5px;color:var(--muted)}\n"
    "p.sub{margin:0 0 8px}\n"
    ".muted{color:var(--muted)}\n"
    ".kpis{display:grid;grid-template-columns:repeat(6,1fr);gap:12px}\n"
    ".kpi{border:1px solid var(--rule);border-radius:8px;padding:11px 14px 10px}\n"
    ".kpi-label{font-size:13px;font-weight:600;color:var(--muted)}\n"
    ".kpi-value{margin:2px 0 1px;font-size:34px;font-weight:650;line-height:1.15}\n"
    ".kpi-note{font-size:12px;color:var(--muted)}\n"
    ".kpi.main{background:var(--accent-soft);border-color:#c8d9eb}\n"
    ".kpi.main .kpi-value{color:var(--accent)}\n"
    ".kpi.alert .kpi-value{color:var(--red)}\n"
    ".charts{display:grid;grid-template-columns:1fr 1fr;gap:16px 24px}\n"
    "figure{margin:0;border:1px solid var(--rule);border-radius:8px;padding:12px 16px 10px}\n"
    "figcaption{margin-bottom:8px}\n"
    ".key{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 12px;"
    "vertical-align:-1px}\n"
    ".key.bar{background:var(--accent)}\n"
    ".key.od{background:var(--red)}\n"
    "svg{display:block;width:100%;height:auto;overflow:visible}\n"
    "svg text{font-family:inherit;fill:var(--ink)}\n"
    ".c-lbl{font-size:12.5px}\n"
    ".c-val{font-size:12.5px;font-weight:600}\n"
    ".c-axis{font-size:11.5px;fill:var(--muted)}\n"
    ".c-axis.yr{font-size:11px;font-weight:600}\n"
    ".c-bar{fill:var(--accent)}\n"
    ".c-od{fill:var(--red)}\n"
    ".c-base{stroke:#98a4b3;stroke-width:1}\n"
    ".c-grid{stroke:#e5e9ee;stroke-width:1}\n"
    ".c-line{fill:none;stroke:var(--accent);stroke-width:2.5;stroke-linejoin:round;"
    "stroke-linecap:round}\n"
    ".c-area{fill:var(--accent);fill-opacity:.07}\n"
    ".c-pt{fill:#fff;stroke:var(--accent);stroke-width:2}\n"
    ".c-pt.last{fill:var(--accent)}\n"
    ".c-empty{font-size:13px;fill:var(--muted)}\n"
    ".pair{display:grid;grid-template-columns:3fr 2fr;gap:24px;align-items:start}\n"
    ".pair.even{grid-template-columns:1fr 1fr}\n"
    "table{width:100%;border-collapse:collapse;font-size:13px}\n"
    "th,td{padding:6px 8px;text-align:left;vertical-align:top;"
    "border-bottom:1px solid var(--line)}\n"
    "thead th{font-size:12px;font-weight:600;color:var(--muted);vertical-align:bottom;"
    "border-bottom:1.5px solid #b8c2ce}\n"
    "thead th.grp{text-align:center;border-bottom:1px solid var(--rule)}\n"
    ".num{text-align:right;white-space:nowrap}\n"
    "tr.total td{font-weight:600;border-top:1.5px solid #b8c2ce;border-bottom:0}\n"
    ".list td{font-size:12.5px}\n"
    ".list td.title{min-width:230px}\n"
    ".list td.wide{min-width:120px}\n"
    ".list td.status{min-width:92px}\n"
    ".list td.division{min-width:96px}\n"
    ".list tbody tr:nth-child(even){background:#f7f9fb}\n"
    ".ref{white-space:nowrap;font-weight:600}\n"
    ".code{color:var(--muted);font-size:11.5px;margin-left:4px}\n"
    ".od{color:var(--red);font-weight:600;white-space:nowrap}\n"
    ".urgent{font-weight:700}\n"
    ".nowrap{white-space:nowrap}\n"
    ".empty{color:var(--muted);font-style:italic}\n"
    ".notes{margin-top:26px;padding-top:10px;border-top:1px solid var(--rule);font-size:12px;"
    "color:var(--muted)}\n"
    ".notes p{margin:3px 0}\n"
    "@page{size:A4 landscape;margin:12mm}\n"
    "@media print{\n"
    "body{font-size:9.5pt}\n"
    ".page{max-width:none;padding:0}\n"
    ".mast{padding-top:8px}\n"
    "h1{font-size:18pt}\n"
    "h2{margin-top:14pt}\n"
    ".kpi-value{font-size:21pt}\n"
    ".kpi-label{font-size:8.5pt}\n"
    ".charts{gap:10pt 16pt}\n"
    "figure,.kpi,.pair>div{break-inside:avoid;page-break-inside:avoid}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n"
    "thead{display:table-header-group}\n"
    "h2,h3{break-after:avoid;page-break-after:avoid}\n"
    "table,.list td{font-size:8.5pt}\n"
    "th,td{padding:4px 5px}\n"
    ".list td.title{min-width:190px}\n"
    ".list td.wide{min-width:96px}\n"
    ".list td.status,.list td.division{min-width:76px}\n"
    "}\n";

static bool whole_department(const struct report_meta *m)
{
    return !m->scope_kind || strcmp(m->scope_kind, "department") == 0;
}

/* The page's title: what it is, which month, whose, and for a narrower scope, where. */
static void put_title(const struct page *p)
{
    rbuf_printf(p->b, "Báo cáo vấn đề chưa giải quyết — tháng %s — ", p->month);
    rbuf_put_html(p->b, or_else(p->meta->department, DEFAULT_DEPARTMENT));
    if (!whole_department(p->meta)) {
        rbuf_puts(p->b, " — ");
        rbuf_put_html(p->b, or_else(p->meta->scope_name, p->meta->scope_code));
    }
}

/* The page's one <style> element holds "\n" STYLE (see html_head); the policy allows
 * exactly that text, by hash, and nothing else: no script, no other style. */
static char report_csp[HTML_CSP_MAX];

static void make_report_csp(void)
{
    size_t len = strlen(STYLE);
    char *text = xmalloc(len + 2);
    text[0] = '\n';
    memcpy(text + 1, STYLE, len + 1);
    html_page_csp(text, report_csp);
    free(text);
}

const char *report_html_csp(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_report_csp);
    return report_csp;
}

static void html_head(const struct page *p)
{
    rbuf_puts(p->b, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>");
    put_title(p);
    rbuf_puts(p->b, "</title>\n<style>\n");
    rbuf_puts(p->b, STYLE);
    rbuf_puts(p->b, "</style>\n</head>\n<body>\n<div class=\"page\">\n");
}

/* ---- masthead and headline figures ---- */

static void put_scope(const struct page *p)
{
    const struct report_meta *m = p->meta;
    rbuf_puts(p->b, "<p class=\"scope\">Phạm vi: <b>");
    if (whole_department(m)) {
        rbuf_puts(p->b, "Toàn Sở — tất cả các trường tiểu học</b>");
    } else {
        /* The names already say what they are ("Cụm 1 – …", "Trường Tiểu học …"). */
        rbuf_put_html(p->b, or_else(m->scope_name, m->scope_code));
        rbuf_puts(p->b, "</b>");
        if (m->scope_name && m->scope_code) {
            rbuf_puts(p->b, " <span class=\"code\">");
            rbuf_put_html(p->b, m->scope_code);
            rbuf_puts(p->b, "</span>");
        }
    }
    rbuf_puts(p->b, " · Tài liệu họp giao ban trực tuyến hiệu trưởng tiểu học</p>\n");
}

/* "00:00 ngày 01/11/2026" from the RFC 3339 as_of; anything else is shown as given. */
static void put_as_of(const struct page *p)
{
    int y, mo, d, h, mi;
    const char *s = p->meta->as_of;
    if (s && sscanf(s, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) == 5)
        rbuf_printf(p->b, "%02d:%02d ngày %02d/%02d/%04d", h, mi, d, mo, y);
    else
        rbuf_put_html(p->b, or_else(s, "—"));
}

static void html_masthead(const struct page *p)
{
    rbuf_puts(p->b, "<header class=\"mast\">\n<div>\n<p class=\"org\">");
    rbuf_put_html(p->b, or_else(p->meta->department, DEFAULT_DEPARTMENT));
    rbuf_printf(p->b, "</p>\n<h1>Báo cáo vấn đề chưa giải quyết — tháng %s</h1>\n", p->month);
    put_scope(p);
    rbuf_puts(p->b, "</div>\n<div class=\"asof\">Số liệu tính đến<b>");
    put_as_of(p);
    rbuf_puts(p->b, "</b>giờ Việt Nam (UTC+7)</div>\n</header>\n");
}

static void kpi_open(const struct page *p, const char *variant, const char *label)
{
    rbuf_printf(p->b, "<div class=\"kpi%s%s\"><div class=\"kpi-label\">%s</div>"
                      "<div class=\"kpi-value\">", *variant ? " " : "", variant, label);
}

static void kpi_note(const struct page *p)
{
    rbuf_puts(p->b, "</div><div class=\"kpi-note\">");
}

static void kpi_close(const struct page *p)
{
    rbuf_puts(p->b, "</div></div>\n");
}

static void kpi_resolved(const struct page *p)
{
    const struct report_times *t = &p->r->overall;
    kpi_open(p, "", "Giải quyết trong tháng");
    put_count(p->b, (long long)p->r->resolved_in_month);
    kpi_note(p);
    if (t->has_resolution) {
        rbuf_puts(p->b, "trung vị ");
        put_hours(p->b, true, t->resolution_median);
        rbuf_puts(p->b, " giờ/vấn đề");
    } else {
        rbuf_puts(p->b, "chưa có vấn đề được giải quyết");
    }
    kpi_close(p);
}

static void kpi_change(const struct page *p)
{
    const struct report *r = p->r;
    kpi_open(p, "", "So với tháng trước");
    put_signed(p->b, (long long)r->newly_unresolved - r->resolved_since);
    kpi_note(p);
    put_count(p->b, r->newly_unresolved);
    rbuf_puts(p->b, " mới · ");
    put_count(p->b, r->resolved_since);
    rbuf_puts(p->b, " đã xử lý xong");
    kpi_close(p);
}

static void html_kpis(const struct page *p)
{
    const struct report *r = p->r;
    rbuf_puts(p->b, "<h2><span class=\"no\">I.</span>Số liệu chính</h2>\n"
                    "<section class=\"kpis\">\n");
    kpi_open(p, "main", "Chưa giải quyết");
    put_count(p->b, r->unresolved);
    kpi_note(p);
    put_count(p->b, r->carried_over);
    rbuf_printf(p->b, " tồn từ tháng %s", p->previous);
    kpi_close(p);

    kpi_open(p, r->overdue > 0 ? "alert" : "", "Quá hạn");
    put_count(p->b, r->overdue);
    kpi_note(p);
    rbuf_printf(p->b, "%d%% số chưa giải quyết", percent(r->overdue, r->unresolved));
    kpi_close(p);

    kpi_open(p, "", "Đã chuyển cấp");
    put_count(p->b, r->escalated);
    kpi_note(p);
    rbuf_printf(p->b, "cấp 1: %d · cấp 2: %d", escalated_at(p, 1), escalated_at(p, 2));
    kpi_close(p);

    kpi_open(p, "", "Tiếp nhận trong tháng");
    put_count(p->b, (long long)r->filed_in_month);
    kpi_note(p);
    rbuf_puts(p->b, "vấn đề trường gửi lên Sở");
    kpi_close(p);

    kpi_resolved(p);
    kpi_change(p);
    rbuf_puts(p->b, "</section>\n");
}

/* ---- SVG charts ---- */

struct bar {
    const char *label;
    int value;
    int overdue;   /* the part of value drawn in red */
};

static void svg_open(const struct page *p, int height, const char *aria)
{
    rbuf_printf(p->b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                      "role=\"img\" aria-label=\"%s\">\n", CHART_W, height, aria);
}

static void svg_empty(const struct page *p, int height)
{
    rbuf_printf(p->b, "<text class=\"c-empty\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
                      "Không có vấn đề nào</text>\n", CHART_W / 2, height / 2 + 4);
}

static int bars_max(const struct bar *bars, size_t n)
{
    int max = 0;
    for (size_t i = 0; i < n; i++)
        if (bars[i].value > max)
            max = bars[i].value;
    return max;
}

/* A bar's length in the scale where max fills len; a non-zero value stays visible. */
static double scaled(int value, int max, double len)
{
    if (value <= 0 || max <= 0)
        return 0.0;
    double w = len * value / max;
    return w < 2.0 ? 2.0 : w;
}

/* One row of a horizontal bar chart: label, bar with its red overdue part, value. */
static void hbar_row(const struct page *p, const struct bar *bar, double y, int label_w,
                     int clip, int max, double plot)
{
    const double bar_h = 16.0;
    rbuf_printf(p->b, "<text class=\"c-lbl\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
                label_w - 10, y + 12.5);
    if (longer_than(bar->label, clip)) {
        rbuf_puts(p->b, "<title>");   /* the full name as a tooltip; must come first */
        rbuf_put_html(p->b, bar->label);
        rbuf_puts(p->b, "</title>");
    }
    esc_clip(p->b, bar->label, clip);
    double w = scaled(bar->value, max, plot);
    double wo = scaled(bar->overdue, max, plot);
    rbuf_printf(p->b, "</text>\n<rect class=\"c-bar\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" "
                      "height=\"%.0f\" rx=\"2\"/>\n", label_w, y, w, bar_h);
    if (wo > 0.0)
        rbuf_printf(p->b, "<rect class=\"c-od\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" "
                          "height=\"%.0f\" rx=\"2\"/>\n", label_w, y, wo, bar_h);
    rbuf_printf(p->b, "<text class=\"c-val\" x=\"%.1f\" y=\"%.1f\">", label_w + w + 6.0,
                y + 12.5);
    put_count(p->b, bar->value);
    rbuf_puts(p->b, "</text>\n");
}

/* Horizontal bars, longest first as given; labels right-aligned against the axis. */
static void hbar_chart(const struct page *p, const char *aria, const struct bar *bars,
                       size_t n, int label_w, int clip)
{
    const int row = 26, pad = 4;
    int height = n ? (int)n * row + 2 * pad : 60;
    svg_open(p, height, aria);
    int max = bars_max(bars, n);
    if (n == 0 || max == 0) {
        svg_empty(p, height);
    } else {
        double plot = CHART_W - label_w - 44;   /* room on the right for the value */
        for (size_t i = 0; i < n; i++)
            hbar_row(p, &bars[i], pad + 5.0 + (double)i * row, label_w, clip, max, plot);
        rbuf_printf(p->b, "<line class=\"c-base\" x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\"/>\n",
                    label_w, label_w, height);
    }
    rbuf_puts(p->b, "</svg>\n");
}

/* Vertical columns for the four age buckets, with the share of each under its label. */
static void age_chart(const struct page *p, const struct bar *bars)
{
    const int height = 236, base = 184, top = 26, slot = (CHART_W - 40) / REPORT_AGE_BUCKETS;
    const int col_w = 72;
    svg_open(p, height, "Vấn đề chưa giải quyết theo thời gian tồn đọng");
    int max = bars_max(bars, REPORT_AGE_BUCKETS);
    for (int i = 0; i < REPORT_AGE_BUCKETS && max > 0; i++) {
        int cx = 20 + i * slot + slot / 2;
        double h = scaled(bars[i].value, max, base - top);
        double ho = scaled(bars[i].overdue, max, base - top);
        rbuf_printf(p->b, "<rect class=\"c-bar\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
                          "rx=\"2\"/>\n", cx - col_w / 2, base - h, col_w, h);
        if (ho > 0.0)
            rbuf_printf(p->b, "<rect class=\"c-od\" x=\"%d\" y=\"%.1f\" width=\"%d\" "
                              "height=\"%.1f\"/>\n", cx - col_w / 2, base - ho, col_w, ho);
        rbuf_printf(p->b, "<text class=\"c-val\" x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">",
                    cx, base - h - 7.0);
        put_count(p->b, bars[i].value);
        rbuf_puts(p->b, "</text>\n");
    }
    if (max == 0)
        svg_empty(p, base);
    for (int i = 0; i < REPORT_AGE_BUCKETS; i++) {
        int cx = 20 + i * slot + slot / 2;
        rbuf_printf(p->b, "<text class=\"c-lbl\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s"
                          "</text>\n<text class=\"c-axis\" x=\"%d\" y=\"%d\" "
                          "text-anchor=\"middle\">%d%%</text>\n", cx, base + 20, bars[i].label,
                    cx, base + 38, percent(bars[i].value, p->r->unresolved));
    }
    rbuf_printf(p->b, "<line class=\"c-base\" x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n"
                      "</svg>\n", base, CHART_W - 10, base);
}

/* A round step (1, 2 or 5 times a power of ten) giving at most five gridlines up to max,
 * so the axis reads 0, 10, 20, 30 rather than 0, 7, 14, 21. */
static int nice_step(int max)
{
    static const int MULTIPLES[] = { 1, 2, 5 };
    for (long long mag = 1;; mag *= 10)
        for (int i = 0; i < 3; i++)
            if (mag * MULTIPLES[i] * 5 >= max)
                return (int)(mag * MULTIPLES[i]);
}

struct frame {
    double left, right, top, bottom;   /* the plot area in viewBox units */
    int ymax;
};

static double frame_x(const struct frame *f, int i)
{
    return f->left + 16.0 + (f->right - f->left - 32.0) * i / (REPORT_TREND_MONTHS - 1);
}

static double frame_y(const struct frame *f, int v)
{
    return f->bottom - (f->bottom - f->top) * v / f->ymax;
}

static void trend_grid(const struct page *p, const struct frame *f, int step)
{
    for (int v = 0; v <= f->ymax; v += step) {
        double y = frame_y(f, v);
        rbuf_printf(p->b, "<line class=\"%s\" x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\"/>\n"
                          "<text class=\"c-axis\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">",
                    v == 0 ? "c-base" : "c-grid", f->left, y, f->right, y, f->left - 8, y + 4);
        put_count(p->b, v);
        rbuf_puts(p->b, "</text>\n");
    }
}

/* Month labels under the points: "T11", with the year under the first point and under
 * each January so the eye finds where a year begins. */
static void trend_labels(const struct page *p, const struct frame *f)
{
    for (int i = 0; i < REPORT_TREND_MONTHS; i++) {
        char label[8];
        report_month_label(p->in->year, p->in->month, i - (REPORT_TREND_MONTHS - 1), label);
        int month = (label[5] - '0') * 10 + (label[6] - '0');
        double x = frame_x(f, i);
        rbuf_printf(p->b, "<text class=\"c-axis\" x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">"
                          "T%d</text>\n", x, f->bottom + 18, month);
        if (i == 0 || month == 1)
            rbuf_printf(p->b, "<text class=\"c-axis yr\" x=\"%.1f\" y=\"%.0f\" "
                              "text-anchor=\"middle\">%.4s</text>\n", x, f->bottom + 33, label);
    }
}

static void trend_series(const struct page *p, const struct frame *f)
{
    const int *t = p->in->trend;
    const int last = REPORT_TREND_MONTHS - 1;
    rbuf_printf(p->b, "<path class=\"c-area\" d=\"M%.1f %.1f", frame_x(f, 0), f->bottom);
    for (int i = 0; i <= last; i++)
        rbuf_printf(p->b, " L%.1f %.1f", frame_x(f, i), frame_y(f, t[i]));
    rbuf_printf(p->b, " L%.1f %.1f Z\"/>\n<polyline class=\"c-line\" points=\"", frame_x(f, last),
                f->bottom);
    for (int i = 0; i <= last; i++)
        rbuf_printf(p->b, "%s%.1f,%.1f", i ? " " : "", frame_x(f, i), frame_y(f, t[i]));
    rbuf_puts(p->b, "\"/>\n");
    for (int i = 0; i <= last; i++) {
        double x = frame_x(f, i), y = frame_y(f, t[i]);
        rbuf_printf(p->b, "<circle class=\"c-pt%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%d\"/>\n"
                          "<text class=\"c-val\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                    i == last ? " last" : "", x, y, i == last ? 5 : 4, x, y - 10);
        put_count(p->b, t[i]);
        rbuf_puts(p->b, "</text>\n");
    }
}

/* The unresolved count at each of the last twelve month-ends, as a line with its points
 * labelled, so the meeting reads the numbers without a ruler. */
static void trend_chart(const struct page *p)
{
    int max = 0;
    for (int i = 0; i < REPORT_TREND_MONTHS; i++)
        if (p->in->trend[i] > max)
            max = p->in->trend[i];
    int step = nice_step(max);
    struct frame f = { 44.0, CHART_W - 8.0, 26.0, 190.0, 0 };
    f.ymax = ((max + step - 1) / step) * step;
    if (f.ymax == 0 || f.ymax == max)
        f.ymax += step;   /* headroom above the highest point for its label */
    svg_open(p, 236, "Số vấn đề chưa giải quyết tại cuối mỗi tháng, 12 tháng gần nhất");
    trend_grid(p, &f, step);
    trend_series(p, &f);
    trend_labels(p, &f);
    rbuf_puts(p->b, "</svg>\n");
}

static void figure_open(const struct page *p, const char *title, const char *sub, bool legend)
{
    rbuf_printf(p->b, "<figure>\n<figcaption><h3>%s</h3><div class=\"sub\">%s", title, sub);
    if (legend)
        rbuf_puts(p->b, " <span class=\"key bar\"></span>chưa giải quyết"
                        "<span class=\"key od\"></span>trong đó quá hạn");
    rbuf_puts(p->b, "</div></figcaption>\n");
}

static void chart_trend(const struct page *p)
{
    figure_open(p, "Xu hướng 12 tháng", "Số vấn đề chưa giải quyết tại thời điểm cuối mỗi tháng",
                false);
    trend_chart(p);
    rbuf_puts(p->b, "</figure>\n");
}

static void chart_age(const struct page *p)
{
    struct bar bars[REPORT_AGE_BUCKETS];
    for (int i = 0; i < REPORT_AGE_BUCKETS; i++)
        bars[i] = (struct bar){ AGE_VI[i], p->r->by_age[i], overdue_in_bucket(p, i) };
    figure_open(p, "Thời gian tồn đọng", "Tính từ ngày trường gửi đến cuối tháng;", true);
    age_chart(p, bars);
    rbuf_puts(p->b, "</figure>\n");
}

/* Bars of a group list (first `limit` entries), the overdue part in red. */
static size_t list_bars(const struct report_list *list, size_t limit, struct bar *bars)
{
    size_t n = list->count < limit ? list->count : limit;
    for (size_t i = 0; i < n; i++) {
        const struct report_count *c = &list->items[i];
        bars[i] = (struct bar){ or_else(c->name, or_else(c->code, "")), c->count, c->overdue };
    }
    return n;
}

static void chart_clusters(const struct page *p)
{
    const struct report_list *list = &p->r->by_cluster;
    struct bar *bars = xmalloc((list->count ? list->count : 1) * sizeof *bars);
    size_t n = list_bars(list, list->count, bars);
    figure_open(p, "Theo cụm trường", "Xếp theo số vấn đề, nhiều nhất trước;", true);
    hbar_chart(p, "Vấn đề chưa giải quyết theo cụm trường", bars, n, 200, 30);
    rbuf_puts(p->b, "</figure>\n");
    free(bars);
}

static void chart_categories(const struct page *p)
{
    const struct report_list *list = &p->r->by_category;
    struct bar bars[TOP_CATEGORIES];
    size_t n = list_bars(list, TOP_CATEGORIES, bars);
    char sub[96];
    if (list->count > TOP_CATEGORIES)
        snprintf(sub, sizeof sub, "%d lĩnh vực nhiều nhất trên %zu;", TOP_CATEGORIES,
                 list->count);
    else
        snprintf(sub, sizeof sub, "Xếp theo số vấn đề, nhiều nhất trước;");
    figure_open(p, "Theo lĩnh vực", sub, true);
    hbar_chart(p, "Vấn đề chưa giải quyết theo lĩnh vực", bars, n, 250, 38);
    rbuf_puts(p->b, "</figure>\n");
}

static void html_charts(const struct page *p)
{
    rbuf_puts(p->b, "<h2><span class=\"no\">II.</span>Biểu đồ</h2>\n<section class=\"charts\">\n");
    chart_trend(p);
    chart_age(p);
    chart_clusters(p);
    chart_categories(p);
    rbuf_puts(p->b, "</section>\n");
}

/* ---- tables ---- */

static void td_num(const struct page *p, long long v)
{
    rbuf_puts(p->b, "<td class=\"num\">");
    put_count(p->b, v);
    rbuf_puts(p->b, "</td>");
}

/* A text cell, with a class when cls is not NULL. Plain appends, not printf: this runs a
 * dozen times for each of tens of thousands of issue rows. */
static void td_cls(const struct page *p, const char *cls, const char *s)
{
    if (cls) {
        rbuf_puts(p->b, "<td class=\"");
        rbuf_puts(p->b, cls);
        rbuf_puts(p->b, "\">");
    } else {
        rbuf_puts(p->b, "<td>");
    }
    rbuf_put_html(p->b, s);
    rbuf_puts(p->b, "</td>");
}

static void td_text(const struct page *p, const char *s)
{
    td_cls(p, NULL, s);
}

static void td_hours(const struct page *p, bool has, double hours)
{
    rbuf_puts(p->b, "<td class=\"num\">");
    put_hours(p->b, has, hours);
    rbuf_puts(p->b, "</td>");
}

static void empty_row(const struct page *p, int columns, const char *text)
{
    rbuf_printf(p->b, "<tr><td class=\"empty\" colspan=\"%d\">%s</td></tr>\n", columns, text);
}

static void times_cells(const struct page *p, const struct report_times *t)
{
    static const struct report_times none = { 0 };
    if (!t)
        t = &none;
    td_num(p, (long long)t->resolved);
    td_hours(p, t->has_first_response, t->first_response_median);
    td_hours(p, t->has_first_response, t->first_response_p90);
    td_hours(p, t->has_resolution, t->resolution_median);
    td_hours(p, t->has_resolution, t->resolution_p90);
}

static void division_row(const struct page *p, const char *name, const char *code, int count,
                         const struct report_times *t)
{
    rbuf_puts(p->b, "<tr>");
    td_text(p, or_else(name, or_else(code, "")));
    td_num(p, count);
    times_cells(p, t);
    rbuf_puts(p->b, "</tr>\n");
}

/* Divisions with unresolved issues in the report's order, then those that only resolved
 * issues this month (by code), then the whole Department. */
static void division_table(const struct page *p)
{
    const struct report *r = p->r;
    rbuf_puts(p->b, "<div>\n<h3>Theo phòng chuyên môn</h3>\n<p class=\"sub\">Thời gian tính bằng "
                    "giờ, trên các vấn đề giải quyết trong tháng; P90: 90% số vấn đề "
                    "không quá mức này.</p>\n<table>\n<thead><tr><th rowspan=\"2\">Phòng</th>"
                    "<th class=\"num\" rowspan=\"2\">Chưa giải quyết</th>"
                    "<th class=\"num\" rowspan=\"2\">Đã giải quyết<br>trong tháng</th>"
                    "<th class=\"grp\" colspan=\"2\">Phản hồi đầu tiên</th>"
                    "<th class=\"grp\" colspan=\"2\">Giải quyết</th></tr>\n"
                    "<tr><th class=\"num\">Trung vị</th><th class=\"num\">P90</th>"
                    "<th class=\"num\">Trung vị</th><th class=\"num\">P90</th></tr></thead>\n"
                    "<tbody>\n");
    for (size_t i = 0; i < r->by_division.count; i++) {
        const struct report_count *c = &r->by_division.items[i];
        division_row(p, c->name, c->code, c->count, division_times(p, c->code));
    }
    for (size_t i = 0; i < r->ntimes_by_division; i++) {
        const struct report_division_times *d = &r->times_by_division[i];
        if (!division_listed(p, d->code))
            division_row(p, d->name, d->code, 0, &d->times);
    }
    rbuf_puts(p->b, "<tr class=\"total\"><td>Tổng cộng</td>");
    td_num(p, r->unresolved);
    times_cells(p, &r->overall);
    rbuf_puts(p->b, "</tr>\n</tbody>\n</table>\n</div>\n");
}

static void priority_table(const struct page *p)
{
    const struct report_list *list = &p->r->by_priority;
    rbuf_puts(p->b, "<div>\n<h3>Theo mức độ ưu tiên</h3>\n<p class=\"sub\">Mức ưu tiên tại thời "
                    "điểm cuối tháng.</p>\n<table>\n<thead><tr><th>Mức ưu tiên</th>"
                    "<th class=\"num\">Số vấn đề</th><th class=\"num\">Tỷ lệ</th>"
                    "<th class=\"num\">Quá hạn</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < list->count; i++) {
        const struct report_count *c = &list->items[i];
        int od = c->overdue;
        rbuf_puts(p->b, "<tr>");
        td_text(p, vi(PRIORITY_VI, c->code));
        td_num(p, c->count);
        rbuf_printf(p->b, "<td class=\"num\">%d%%</td>", percent(c->count, p->r->unresolved));
        rbuf_printf(p->b, "<td class=\"num%s\">", od ? " od" : " muted");
        put_count(p->b, od);
        rbuf_puts(p->b, "</td></tr>\n");
    }
    if (list->count == 0)
        empty_row(p, 4, "Không có vấn đề nào.");
    rbuf_puts(p->b, "</tbody>\n</table>\n</div>\n");
}

/* A name with its code after it, quieter: the name is read, the code is looked up. */
static void name_code(const struct page *p, const char *name, const char *code)
{
    rbuf_put_html(p->b, or_else(name, or_else(code, "")));
    if (name && code) {
        rbuf_puts(p->b, "<span class=\"code\">");
        rbuf_put_html(p->b, code);
        rbuf_puts(p->b, "</span>");
    }
}

static void schools_table(const struct page *p)
{
    const struct report_list *list = &p->r->top_schools;
    rbuf_printf(p->b, "<div>\n<h3>Trường có nhiều vấn đề chưa giải quyết nhất</h3>\n"
                      "<p class=\"sub\">Tối đa %d trường; cùng số vấn đề thì xếp theo mã trường."
                      "</p>\n<table>\n<thead><tr><th class=\"num\">#</th><th>Trường</th>"
                      "<th>Cụm</th><th class=\"num\">Số vấn đề</th></tr></thead>\n<tbody>\n",
                REPORT_TOP_SCHOOLS);
    for (size_t i = 0; i < list->count; i++) {
        const struct report_count *c = &list->items[i];
        rbuf_printf(p->b, "<tr><td class=\"num muted\">%zu</td><td>", i + 1);
        name_code(p, c->name, c->code);
        rbuf_puts(p->b, "</td>");
        td_text(p, cluster_name(p, c->extra));
        td_num(p, c->count);
        rbuf_puts(p->b, "</tr>\n");
    }
    if (list->count == 0)
        empty_row(p, 4, "Không có trường nào có vấn đề chưa giải quyết.");
    rbuf_puts(p->b, "</tbody>\n</table>\n</div>\n");
}

static void recurring_table(const struct page *p)
{
    const struct report_list *list = &p->r->recurring_categories;
    rbuf_printf(p->b, "<div>\n<h3>Lĩnh vực lặp lại ở nhiều trường</h3>\n<p class=\"sub\">Lĩnh vực "
                      "có vấn đề chưa giải quyết ở từ %d trường trở lên — nên có giải pháp "
                      "chung.</p>\n<table>\n<thead><tr><th>Lĩnh vực</th><th>Loại</th>"
                      "<th class=\"num\">Số trường</th><th class=\"num\">Số vấn đề</th></tr>"
                      "</thead>\n<tbody>\n", REPORT_RECURRING_MIN_SCHOOLS);
    for (size_t i = 0; i < list->count; i++) {
        const struct report_count *c = &list->items[i];
        rbuf_puts(p->b, "<tr>");
        td_text(p, or_else(c->name, c->code));
        td_text(p, vi(KIND_VI, c->extra));
        td_num(p, c->schools);
        td_num(p, c->count);
        rbuf_puts(p->b, "</tr>\n");
    }
    if (list->count == 0)
        empty_row(p, 4, "Không có lĩnh vực nào lặp lại ở nhiều trường.");
    rbuf_puts(p->b, "</tbody>\n</table>\n</div>\n");
}

static void html_tables(const struct page *p)
{
    rbuf_puts(p->b, "<h2><span class=\"no\">III.</span>Phòng chuyên môn và mức độ ưu tiên</h2>\n"
                    "<section class=\"pair\">\n");
    division_table(p);
    priority_table(p);
    rbuf_puts(p->b, "</section>\n<h2><span class=\"no\">IV.</span>Trường và lĩnh vực cần quan "
                    "tâm</h2>\n<section class=\"pair even\">\n");
    schools_table(p);
    recurring_table(p);
    rbuf_puts(p->b, "</section>\n");
}

/* ---- the list of unresolved issues ---- */

static void issue_row(const struct page *p, const struct report_issue *is)
{
    bool urgent = is->priority && strcmp(is->priority, "urgent") == 0;
    rbuf_puts(p->b, "<tr>");
    td_cls(p, "ref", is->ref);
    td_cls(p, "wide", or_else(is->school_name, is->school));
    td_cls(p, "nowrap", is->cluster);
    td_cls(p, "wide", or_else(is->category_name, is->category));
    td_cls(p, "division", or_else(is->division_name, is->division));
    td_cls(p, "status", vi(STATUS_VI, is->status));
    td_cls(p, urgent ? "nowrap urgent" : "nowrap", vi(PRIORITY_VI, is->priority));
    td_num(p, report_age_days(is->filed_at, p->in->as_of));
    rbuf_puts(p->b, is->overdue ? "<td class=\"od\">Quá hạn</td>" : "<td></td>");
    if (is->escalation_level > 0) {
        rbuf_puts(p->b, "<td class=\"nowrap\">Cấp ");
        put_count(p->b, is->escalation_level);
        rbuf_puts(p->b, "</td>");
    } else
        rbuf_puts(p->b, "<td class=\"muted\">—</td>");
    if (is->schools) {
        /* A problem of several schools names them under the count. */
        rbuf_puts(p->b, "<td class=\"num\">");
        put_count(p->b, is->schools_affected);
        rbuf_puts(p->b, "<br><span class=\"muted\">");
        rbuf_put_html(p->b, is->schools);
        rbuf_puts(p->b, "</span></td>");
    } else
        td_num(p, is->schools_affected);
    if (is->assignee)
        td_text(p, is->assignee);
    else
        rbuf_puts(p->b, "<td class=\"muted\">Chưa phân công</td>");
    td_cls(p, "title", is->title);
    rbuf_puts(p->b, "</tr>\n");
}

static void html_issues(const struct page *p)
{
    rbuf_puts(p->b, "<section>\n<h2><span class=\"no\">VII.</span>Danh sách "
                    "vấn đề chưa giải quyết<span class=\"sub\">");
    put_count(p->b, (long long)p->in->nissues);
    rbuf_puts(p->b, " vấn đề, tồn đọng lâu nhất trước</span></h2>\n<table class=\"list\">\n"
                    "<thead><tr><th>Mã</th><th>Trường</th><th>Cụm</th><th>Lĩnh vực</th>"
                    "<th>Phòng phụ trách</th><th>Trạng thái</th><th>Ưu tiên</th>"
                    "<th class=\"num\">Tuổi<br>(ngày)</th><th>Quá hạn</th><th>Cấp chuyển</th>"
                    "<th class=\"num\">Số trường</th>"
                    "<th>Người phụ trách</th><th>Tiêu đề</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < p->in->nissues; i++)
        issue_row(p, report_issue_at(p->in, p->r, i));
    if (p->in->nissues == 0)
        empty_row(p, 13, "Không có vấn đề nào chưa giải quyết.");
    rbuf_puts(p->b, "</tbody>\n</table>\n</section>\n");
}

static void html_notes(const struct page *p)
{
    rbuf_puts(p->b, "<footer class=\"notes\">\n<p><b>Cách tính.</b> Vấn đề chưa giải quyết: "
                    "đã gửi trước thời điểm cuối tháng và khi đó đang ở trạng thái Mới, Đã phân "
                    "loại, Đang xử lý hoặc Chờ trường bổ sung. Tuổi: số ngày từ khi trường gửi "
                    "đến cuối tháng. Quá hạn: đã quá hạn giải quyết, hoặc quá hạn phản hồi đầu "
                    "tiên mà chưa được phản hồi (không tính khi đang chờ trường bổ sung). Chuyển "
                    "cấp: cấp 1 — lãnh đạo phòng; cấp 2 — lãnh đạo Sở. Số trường: trường gửi, "
                    "các trường đã báo cùng gặp vấn đề trước cuối tháng, và với một vấn đề "
                    "chung của nhiều trường, các trường có vấn đề được gộp vào nó khi đó (mỗi "
                    "vấn đề chung được tính một lần, kèm mã các trường).</p>\n<p>Số liệu lấy từ "
                    "lịch sử xử lý của từng vấn đề, nên báo cáo tháng ");
    rbuf_puts(p->b, p->month);
    rbuf_puts(p->b, " in lại vào bất kỳ lúc nào cũng cho cùng kết quả. ");
    rbuf_put_html(p->b, or_else(p->meta->department, DEFAULT_DEPARTMENT));
    rbuf_puts(p->b, " — hệ thống directline.</p>\n</footer>\n");
}

void report_html(struct rbuf *b, const struct report_input *in, const struct report *r,
                 const struct report_meta *meta)
{
    struct page p = { b, in, r, meta, "", "" };
    month_vi(in, 0, p.month);
    month_vi(in, -1, p.previous);
    html_head(&p);
    html_masthead(&p);
    html_kpis(&p);
    html_charts(&p);
    html_tables(&p);
    report_html_decisions(b, in, r, "V");
    report_html_ratings(b, r, "VI");
    html_issues(&p);
    html_notes(&p);
    rbuf_puts(b, "</div>\n</body>\n</html>\n");
}
