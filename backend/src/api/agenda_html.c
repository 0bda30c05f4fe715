/* agenda_html.c -- the printable agenda, as agenda_html.h says: self-contained HTML with
 * inline CSS for A4, no scripts; every piece of data escaped (rbuf_put_html). */
#include "api/agenda_html.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api/report_formats.h"
#include "db/meeting_store.h"

#define DESCRIPTION_CHARS 600
#define EVENT_BODY_CHARS 220

/* The page's words, Vietnamese then English. */
enum word {
    W_DEPARTMENT, W_AGENDA, W_DAY, W_CLUSTER, W_ISSUES, W_SCHOOL, W_DIVISION, W_STATUS,
    W_FILED, W_OVERDUE, W_SCHOOLS_AFFECTED, W_PROBLEM, W_PROPOSAL, W_HISTORY, W_NO_HISTORY,
    W_NOTES, W_EMPTY, W_MORE_SCHOOLS, W_COUNT
};
static const char *const WORDS[W_COUNT][2] = {
    [W_DEPARTMENT] = {"Sở Giáo dục và Đào tạo Hà Tĩnh", "Ha Tinh Department of Education and Training"},
    [W_AGENDA] = {"Chương trình họp", "Meeting agenda"},
    [W_DAY] = {"Ngày họp", "Day"},
    [W_CLUSTER] = {"Cụm trường", "Cluster"},
    [W_ISSUES] = {"vấn đề", "issues"},
    [W_SCHOOL] = {"Trường", "School"},
    [W_DIVISION] = {"Phòng phụ trách", "Division"},
    [W_STATUS] = {"Trạng thái", "Status"},
    [W_FILED] = {"Gửi ngày", "Filed"},
    [W_OVERDUE] = {"Quá hạn", "Overdue"},
    [W_SCHOOLS_AFFECTED] = {"trường cùng gặp", "schools affected"},
    [W_PROBLEM] = {"Vấn đề", "Problem"},
    [W_PROPOSAL] = {"Đề xuất của nhà trường", "The school's proposal"},
    [W_HISTORY] = {"Diễn biến gần đây", "Recent history"},
    [W_NO_HISTORY] = {"Chưa có diễn biến.", "Nothing yet."},
    [W_NOTES] = {"Ghi chú và kết luận của cuộc họp", "The meeting's notes and conclusions"},
    [W_EMPTY] = {"Chương trình họp chưa có vấn đề nào.", "The agenda has no issues yet."},
    [W_MORE_SCHOOLS] = {"trường khác", "more"},
};

static const struct { const char *code, *vi, *en; } STATUSES[] = {
    {"new", "Mới gửi", "New"}, {"triaged", "Đã tiếp nhận", "Triaged"},
    {"in_progress", "Đang xử lý", "In progress"},
    {"awaiting_school", "Chờ trường bổ sung", "Awaiting the school"},
    {"resolved", "Đã giải quyết", "Resolved"}, {"closed", "Đã đóng", "Closed"},
    {"declined", "Từ chối", "Declined"}, {"duplicate", "Trùng lặp", "Duplicate"},
};

static const struct { const char *code, *vi, *en; } ACTIONS[] = {
    {"filed", "Trường gửi vấn đề", "Filed by the school"},
    {"triage", "Sở tiếp nhận", "Triaged"}, {"start", "Bắt đầu xử lý", "Work started"},
    {"request_info", "Sở đề nghị bổ sung thông tin", "Information requested"},
    {"answer_info", "Trường bổ sung thông tin", "The school answered"},
    {"comment", "Trao đổi", "Comment"}, {"resolve", "Đã giải quyết", "Resolved"},
    {"confirm", "Trường xác nhận đã giải quyết", "The school confirmed"},
    {"reopen", "Trường mở lại", "Reopened"}, {"decline", "Từ chối", "Declined"},
    {"mark_duplicate", "Trùng với vấn đề khác", "Marked duplicate"},
    {"escalate", "Chuyển lên lãnh đạo", "Escalated"},
    {"escalated", "Tự động chuyển lên do quá hạn", "Escalated for lateness"},
    {"set_division", "Chuyển phòng", "Division changed"},
    {"set_assignee", "Giao cán bộ", "Assigned"}, {"set_priority", "Đổi mức ưu tiên", "Priority changed"},
    {"set_category", "Đổi lĩnh vực", "Category changed"}, {"closed", "Đóng", "Closed"},
    {"attach", "Đính kèm tệp", "File attached"}, {"cosign", "Trường khác cùng gặp", "Co-signed"},
    {"share", "Chia sẻ với các trường", "Shared"}, {"unshare", "Thôi chia sẻ", "Unshared"},
    {"link", "Gộp vấn đề chung", "Linked"}, {"unlink", "Tách khỏi vấn đề chung", "Unlinked"},
    {"decision", "Cuộc họp quyết định", "Meeting decision"},
    {"decision_done", "Quyết định đã thực hiện", "Decision done"},
    {"decision_reopened", "Quyết định mở lại", "Decision reopened"},
};

/* The page's one <style>: the policy (agenda_html_csp) allows exactly this text. */
static const char AGENDA_STYLE[] =
    "@page{size:A4;margin:16mm 14mm}"
    "body{font:11pt/1.45 'Times New Roman',serif;color:#111;max-width:48em;margin:1.5em auto;padding:0 1em}"
    "header{text-align:center;border-bottom:2px solid #111;margin-bottom:1em}"
    ".org{text-transform:uppercase;font-weight:bold;margin:0}"
    "h1{font-size:16pt;margin:.4em 0 .2em}"
    ".meta{margin:.2em 0 .8em}"
    "ol.items{padding:0;list-style:none;margin:0}"
    "ol.items>li{break-inside:avoid;border-bottom:1px solid #999;padding:.6em 0 .8em}"
    "h2{font-size:12.5pt;margin:0 0 .3em}"
    "h3{font-size:11pt;margin:.5em 0 .2em}"
    ".facts{margin:.1em 0 .4em;color:#333}"
    ".overdue{color:#a00;font-weight:bold}"
    "ul.hist{margin:0;padding-left:1.2em}"
    "ul.hist li{margin:.1em 0}"
    ".notes{margin-top:.5em;min-height:4.5em;border:1px dashed #777;padding:.3em .5em;color:#555}"
    "p{margin:.25em 0}";

struct page {
    struct rbuf *b;
    const struct agenda_page *in;
    int lang;                        /* 0 vi, 1 en */
};

static const char *word(const struct page *p, enum word w)
{
    return WORDS[w][p->lang];
}

static const char *status_label(const struct page *p, const char *code)
{
    for (size_t i = 0; i < sizeof STATUSES / sizeof STATUSES[0]; i++)
        if (strcmp(STATUSES[i].code, code) == 0)
            return p->lang ? STATUSES[i].en : STATUSES[i].vi;
    return code;
}

static const char *action_label(const struct page *p, const char *code)
{
    for (size_t i = 0; i < sizeof ACTIONS / sizeof ACTIONS[0]; i++)
        if (strcmp(ACTIONS[i].code, code) == 0)
            return p->lang ? ACTIONS[i].en : ACTIONS[i].vi;
    return code;
}

/* YYYY-MM-DD as DD/MM/YYYY, the way both languages print a day here. */
static void day(struct rbuf *b, const char *iso)
{
    if (iso && strlen(iso) == 10)
        rbuf_printf(b, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    else
        rbuf_put_html(b, iso);
}

/* At most max characters (code points), an ellipsis when some were dropped. */
static void clipped(struct rbuf *b, const char *s, int max)
{
    size_t i = 0;
    int chars = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max)
            break;
    rbuf_put_html_n(b, s, i);
    if (s[i])
        rbuf_puts(b, "…");
}

static void head(struct page *p)
{
    const struct db_rows *m = p->in->meeting;
    rbuf_printf(p->b, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
                "<title>", p->lang ? "en" : "vi");
    rbuf_puts(p->b, word(p, W_AGENDA));
    rbuf_puts(p->b, ": ");
    rbuf_put_html(p->b, db_rows_get(m, 0, "title"));
    rbuf_puts(p->b, "</title><style>");
    rbuf_puts(p->b, AGENDA_STYLE);
    rbuf_puts(p->b, "</style></head><body>");
}

static void header(struct page *p)
{
    const struct db_rows *m = p->in->meeting;
    struct rbuf *b = p->b;
    rbuf_puts(b, "<header><p class=\"org\">");
    rbuf_puts(b, word(p, W_DEPARTMENT));
    rbuf_puts(b, "</p><h1>");
    rbuf_puts(b, word(p, W_AGENDA));
    rbuf_puts(b, "</h1><p class=\"meta\"><strong>");
    rbuf_put_html(b, db_rows_get(m, 0, "title"));
    rbuf_printf(b, "</strong> · %s ", word(p, W_DAY));
    day(b, db_rows_get(m, 0, "held_on"));
    const char *cluster = db_rows_get(m, 0, "cluster_name");
    if (cluster) {
        rbuf_printf(b, " · %s ", word(p, W_CLUSTER));
        rbuf_put_html(b, cluster);
    }
    rbuf_printf(b, " · %d %s</p></header>", db_rows_count(p->in->agenda), word(p, W_ISSUES));
}

/* " · 3 schools affected: A, B" and past AGENDA_OTHER_SCHOOLS names ", +N more": the
 * meeting sees which schools share the problem, not only the one that filed it. */
static void other_schools(struct page *p, int row)
{
    const struct db_rows *a = p->in->agenda;
    long long schools = db_rows_int(a, row, "schools_affected");
    const char *names = db_rows_get(a, row, "other_schools");
    if (schools <= 1)
        return;
    rbuf_printf(p->b, " · %lld %s", schools, word(p, W_SCHOOLS_AFFECTED));
    if (!names || !*names)
        return;
    rbuf_puts(p->b, ": ");
    rbuf_put_html(p->b, names);
    long long more = schools - 1 - AGENDA_OTHER_SCHOOLS;
    if (more > 0)
        rbuf_printf(p->b, ", +%lld %s", more, word(p, W_MORE_SCHOOLS));
}

static void facts(struct page *p, int row)
{
    const struct db_rows *a = p->in->agenda;
    struct rbuf *b = p->b;
    rbuf_printf(b, "<p class=\"facts\">%s: ", word(p, W_SCHOOL));
    rbuf_put_html(b, db_rows_get(a, row, "school_name"));
    rbuf_puts(b, " (");
    rbuf_put_html(b, db_rows_get(a, row, "school"));
    rbuf_printf(b, ") · %s: ", word(p, W_DIVISION));
    rbuf_put_html(b, db_rows_get(a, row, "division_name"));
    rbuf_printf(b, " · %s: %s · %s ", word(p, W_STATUS),
                status_label(p, db_rows_get(a, row, "status")), word(p, W_FILED));
    day(b, db_rows_get(a, row, "filed_on"));
    if (db_rows_bool(a, row, "overdue"))
        rbuf_printf(b, " · <span class=\"overdue\">%s</span>", word(p, W_OVERDUE));
    other_schools(p, row);
    rbuf_puts(b, "</p>");
}

static void text_block(struct page *p, enum word label, const char *text)
{
    if (!text || !*text)
        return;
    rbuf_printf(p->b, "<p><strong>%s:</strong> ", word(p, label));
    clipped(p->b, text, DESCRIPTION_CHARS);
    rbuf_puts(p->b, "</p>");
}

/* The issue's events, in brief; *next is the first history row past them. */
static void history(struct page *p, long long issue_id, int *next)
{
    const struct db_rows *h = p->in->history;
    struct rbuf *b = p->b;
    rbuf_printf(b, "<h3>%s</h3>", word(p, W_HISTORY));
    int start = *next;
    for (; *next < db_rows_count(h) && db_rows_int(h, *next, "issue_id") == issue_id; (*next)++) {
        int r = *next;
        if (r == start)
            rbuf_puts(b, "<ul class=\"hist\">");
        rbuf_puts(b, "<li>");
        rbuf_put_html(b, db_rows_get(h, r, "day"));
        rbuf_puts(b, " · ");
        rbuf_put_html(b, action_label(p, db_rows_get(h, r, "action")));
        const char *actor = db_rows_get(h, r, "actor");
        if (actor) {
            rbuf_puts(b, " (");
            rbuf_put_html(b, actor);
            rbuf_puts(b, ")");
        }
        const char *body = db_rows_get(h, r, "body");
        if (body && *body) {
            rbuf_puts(b, ": ");
            clipped(b, body, EVENT_BODY_CHARS);
        }
        rbuf_puts(b, "</li>");
    }
    rbuf_puts(b, *next > start ? "</ul>" : "");
    if (*next == start)
        rbuf_printf(b, "<p>%s</p>", word(p, W_NO_HISTORY));
}

static void items(struct page *p)
{
    const struct db_rows *a = p->in->agenda;
    struct rbuf *b = p->b;
    if (db_rows_count(a) == 0) {
        rbuf_printf(b, "<p>%s</p>", word(p, W_EMPTY));
        return;
    }
    int next = 0;
    rbuf_puts(b, "<ol class=\"items\">");
    for (int i = 0; i < db_rows_count(a); i++) {
        rbuf_printf(b, "<li><h2>%d. ", i + 1);
        rbuf_put_html(b, db_rows_get(a, i, "ref"));
        rbuf_puts(b, " — ");
        rbuf_put_html(b, db_rows_get(a, i, "title"));
        rbuf_puts(b, "</h2>");
        facts(p, i);
        text_block(p, W_PROBLEM, db_rows_get(a, i, "description"));
        text_block(p, W_PROPOSAL, db_rows_get(a, i, "proposed_solution"));
        history(p, db_rows_int(a, i, "id"), &next);
        rbuf_printf(b, "<div class=\"notes\">%s:</div></li>", word(p, W_NOTES));
    }
    rbuf_puts(b, "</ol>");
}

static char agenda_csp[HTML_CSP_MAX];

static void make_agenda_csp(void)
{
    html_page_csp(AGENDA_STYLE, agenda_csp);
}

const char *agenda_html_csp(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_agenda_csp);
    return agenda_csp;
}

char *agenda_html(const struct agenda_page *in)
{
    struct rbuf b;
    rbuf_init(&b);
    struct page p = {.b = &b, .in = in, .lang = in->english ? 1 : 0};
    head(&p);
    header(&p);
    items(&p);
    rbuf_puts(&b, "</body></html>\n");
    return rbuf_take(&b, NULL);
}
