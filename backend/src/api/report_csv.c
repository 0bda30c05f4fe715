/* report_csv.c -- the report as RFC 4180 CSV for LibreOffice and Excel: one row per
 * unresolved issue (part=issues) or the grouped counts (part=summary). No text cell
 * can start a formula (domain/csv_cell.c). */
#include <stdbool.h>
#include <stdlib.h>

#include "api/report_formats.h"
#include "domain/csv_cell.h"

/* Excel reads a CSV as the local ANSI code page unless it starts with a byte-order mark;
 * with it, Vietnamese diacritics survive a double-click. */
static const char UTF8_BOM[] = "\xEF\xBB\xBF";

/* A row being written: knows whether the next cell needs a separator before it. */
struct csv {
    struct rbuf *b;
    bool row_open;
};

/* One text field through csv_cell (quoting, formula guard); NULL is the empty field.
 * Every text cell goes this way, codes and names as well as titles: an admin's school
 * name reaches the same spreadsheets as a principal's title. */
static void cell(struct csv *c, const char *s)
{
    if (c->row_open)
        rbuf_putc(c->b, ',');
    c->row_open = true;
    char *field = csv_cell(s);
    rbuf_puts(c->b, field);
    free(field);
}

static void cell_int(struct csv *c, long long v)
{
    if (c->row_open)
        rbuf_putc(c->b, ',');
    c->row_open = true;
    rbuf_printf(c->b, "%lld", v);
}

static void row_end(struct csv *c)
{
    rbuf_puts(c->b, "\r\n");
    c->row_open = false;
}

static void header(struct csv *c, const char *const *names)
{
    for (; *names; names++)
        cell(c, *names);
    row_end(c);
}

static const char *const ISSUE_COLUMNS[] = {
    "ref", "school", "school_name", "cluster", "category", "category_kind", "division",
    "status", "priority", "age_days", "overdue", "escalation_level", "schools_affected",
    "schools", "assignee", "title", NULL,
};

static void issue_row(struct csv *c, const struct report_issue *is, int64_t as_of)
{
    cell(c, is->ref);
    cell(c, is->school);
    cell(c, is->school_name);
    cell(c, is->cluster);
    cell(c, is->category);
    cell(c, is->category_kind);
    cell(c, is->division);
    cell(c, is->status);
    cell(c, is->priority);
    cell_int(c, report_age_days(is->filed_at, as_of));
    cell(c, is->overdue ? "true" : "false");
    cell_int(c, is->escalation_level);
    cell_int(c, is->schools_affected);
    cell(c, is->schools);
    cell(c, is->assignee);
    cell(c, is->title);
    row_end(c);
}

void report_csv_issues(struct rbuf *b, const struct report_input *in, const struct report *r)
{
    struct csv c = { b, false };
    rbuf_puts(b, UTF8_BOM);
    header(&c, ISSUE_COLUMNS);
    for (size_t i = 0; i < in->nissues; i++)
        issue_row(&c, report_issue_at(in, r, i), in->as_of);
}

/* ---- summary ---- */

static void summary_row(struct csv *c, const char *group, const char *code, const char *name,
                        long long count)
{
    cell(c, group);
    cell(c, code);
    cell(c, name);
    cell_int(c, count);
    row_end(c);
}

static void summary_list(struct csv *c, const char *group, const struct report_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        summary_row(c, group, list->items[i].code, list->items[i].name, list->items[i].count);
}

static const char *const SUMMARY_COLUMNS[] = { "group", "code", "name", "count", NULL };

/* The groups in the order docs/reports.md lists them; single figures have no code or
 * name, age rows carry the bucket's name as their code. */
void report_csv_summary(struct rbuf *b, const struct report *r)
{
    struct csv c = { b, false };
    rbuf_puts(b, UTF8_BOM);
    header(&c, SUMMARY_COLUMNS);
    summary_row(&c, "total", NULL, NULL, r->unresolved);
    summary_list(&c, "cluster", &r->by_cluster);
    summary_list(&c, "school", &r->by_school);
    summary_list(&c, "category", &r->by_category);
    summary_list(&c, "division", &r->by_division);
    summary_list(&c, "priority", &r->by_priority);
    for (int i = 0; i < REPORT_AGE_BUCKETS; i++)
        summary_row(&c, "age", report_age_bucket_name(i), NULL, r->by_age[i]);
    summary_row(&c, "overdue", NULL, NULL, r->overdue);
    summary_row(&c, "escalated", NULL, NULL, r->escalated);
    summary_row(&c, "filed_in_month", NULL, NULL, (long long)r->filed_in_month);
    summary_row(&c, "resolved_in_month", NULL, NULL, (long long)r->resolved_in_month);
    for (int s = 0; s < DECISION_STATE_COUNT; s++)
        summary_row(&c, "decisions", decision_state_name((enum decision_state)s), NULL,
                    r->decisions[s]);
    for (size_t i = 0; i < r->nratings_by_division; i++) {
        const struct report_ratings *g = &r->ratings_by_division[i];
        summary_row(&c, "ratings", g->code, g->name, g->count);
        summary_row(&c, "low_ratings", g->code, g->name, g->low);
    }
}
