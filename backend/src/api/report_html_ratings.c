/* report_html_ratings.c -- the printable report's section "Đánh giá của nhà trường": how
 * the schools rated the resolutions they confirmed during the month (1-5, was the problem
 * really solved?), by division, with the ratings of 1 or 2 a supervisor looks at. */
#include <stdio.h>

#include "api/report_formats.h"

/* The average to one decimal with a comma, as Vietnamese writes it ("4,3"); a dash
 * without ratings. */
static void average(struct rbuf *b, const struct report_ratings *g)
{
    if (g->count == 0) {
        rbuf_puts(b, "<td class=\"num muted\">—</td>");
        return;
    }
    int tenths = (g->sum * 10 + g->count / 2) / g->count;
    rbuf_printf(b, "<td class=\"num\">%d,%d</td>", tenths / 10, tenths % 10);
}

static void row(struct rbuf *b, const char *name, const struct report_ratings *g, bool total)
{
    rbuf_puts(b, total ? "<tr class=\"total\"><td>" : "<tr><td class=\"division\">");
    rbuf_put_html(b, name);
    rbuf_printf(b, "</td><td class=\"num\">%d</td>", g->count);
    average(b, g);
    rbuf_printf(b, g->low ? "<td class=\"num od\">%d</td></tr>\n" : "<td class=\"num\">%d</td></tr>\n",
                g->low);
}

void report_html_ratings(struct rbuf *b, const struct report *r, const char *number)
{
    rbuf_printf(b, "<section>\n<h2><span class=\"no\">%s.</span>Đánh giá của nhà trường"
                "<span class=\"sub\">khi xác nhận đã giải quyết: 1 (chưa giải quyết được) đến "
                "5 (giải quyết triệt để)</span></h2>\n<table class=\"list\">\n<thead><tr>"
                "<th>Phòng phụ trách</th><th class=\"num\">Số đánh giá</th>"
                "<th class=\"num\">Điểm trung bình</th><th class=\"num\">Đánh giá 1–2</th>"
                "</tr></thead>\n<tbody>\n", number);
    for (size_t i = 0; i < r->nratings_by_division; i++) {
        const struct report_ratings *g = &r->ratings_by_division[i];
        row(b, g->name ? g->name : g->code, g, false);
    }
    if (r->ratings.count == 0)
        rbuf_puts(b, "<tr><td colspan=\"4\" class=\"muted\">Chưa có trường nào đánh giá trong "
                     "tháng.</td></tr>\n");
    else
        row(b, "Toàn Sở", &r->ratings, true);
    rbuf_puts(b, "</tbody>\n</table>\n</section>\n");
}
