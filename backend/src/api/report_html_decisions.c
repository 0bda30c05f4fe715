/* report_html_decisions.c -- the printable report's section "Quyết định từ các cuộc
 * họp": each meeting decision the month is to answer for, as it stood at the month's end
 * (docs/meetings.md), in the page's own table style (report_html.c). */
#include <stdio.h>

#include "api/report_formats.h"

static const char *const STATE_VI[DECISION_STATE_COUNT] = {
    [DECISION_OPEN] = "Đang thực hiện, chưa đến hạn",
    [DECISION_OVERDUE] = "Quá hạn, chưa xong",
    [DECISION_DONE_ON_TIME] = "Đã xong, đúng hạn",
    [DECISION_DONE_LATE] = "Đã xong, trễ hạn",
};

/* YYYY-MM-DD as DD/MM/YYYY. */
static void day(struct rbuf *b, const char *iso)
{
    rbuf_printf(b, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static void cell(struct rbuf *b, const char *cls, const char *text)
{
    rbuf_printf(b, "<td class=\"%s\">", cls);
    rbuf_put_html(b, text ? text : "—");
    rbuf_puts(b, "</td>");
}

static void row(struct rbuf *b, const struct report_input *in, const struct report_decision *d)
{
    enum decision_state state = report_decision_state(in, d);
    rbuf_puts(b, "<tr><td class=\"wide\">");
    rbuf_put_html(b, d->meeting_title);
    rbuf_puts(b, "<br><span class=\"muted\">");
    day(b, d->held_on);
    rbuf_puts(b, "</span></td>");
    cell(b, "title", d->body);
    cell(b, "division", d->division_name);
    cell(b, "nowrap", d->responsible);
    rbuf_puts(b, "<td class=\"nowrap\">");
    day(b, d->due_on);
    rbuf_puts(b, "</td>");
    rbuf_printf(b, "<td class=\"%s\">%s</td>", state == DECISION_OVERDUE ||
                state == DECISION_DONE_LATE ? "od" : "nowrap", STATE_VI[state]);
    cell(b, "muted", d->issues);
    rbuf_puts(b, "</tr>\n");
}

void report_html_decisions(struct rbuf *b, const struct report_input *in,
                           const struct report *r, const char *number)
{
    rbuf_printf(b, "<section>\n<h2><span class=\"no\">%s.</span>Quyết định từ các cuộc họp"
                "<span class=\"sub\">%d đúng hạn, %d trễ hạn, %d quá hạn chưa xong, %d "
                "chưa đến hạn</span></h2>\n<table class=\"list\">\n<thead><tr><th>Cuộc họp"
                "</th><th>Quyết định</th><th>Phòng phụ trách</th><th>Người phụ trách</th>"
                "<th>Hạn</th><th>Tình trạng cuối tháng</th><th>Vấn đề</th></tr></thead>\n"
                "<tbody>\n", number, r->decisions[DECISION_DONE_ON_TIME],
                r->decisions[DECISION_DONE_LATE], r->decisions[DECISION_OVERDUE],
                r->decisions[DECISION_OPEN]);
    for (size_t i = 0; i < in->ndecisions; i++)
        row(b, in, &in->decisions[i]);
    if (in->ndecisions == 0)
        rbuf_puts(b, "<tr><td colspan=\"7\" class=\"muted\">Không có quyết định nào cần "
                     "theo dõi trong tháng.</td></tr>\n");
    rbuf_puts(b, "</tbody>\n</table>\n</section>\n");
}
