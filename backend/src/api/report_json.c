/* report_json.c -- the report as one JSON document, written straight into the byte buffer.
 * A document tree (cJSON) would allocate a node per value: nearly a million for a month
 * with 60,000 unresolved issues, most of the time the report took. The text is what
 * cJSON_PrintUnformatted gave: no spaces, UTF-8 kept as is, members in documented order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/report_formats.h"

/* ---- values ---- */

/* A JSON string: quote, backslash and control characters escaped, all else verbatim (the
 * database hands over valid UTF-8). Most texts need no escape: one copy then. */
static void put_string(struct rbuf *b, const char *s)
{
    if (!s) {
        rbuf_puts(b, "null");
        return;
    }
    size_t plain = 0;
    while (s[plain] && (unsigned char)s[plain] >= 0x20 && s[plain] != '"' && s[plain] != '\\')
        plain++;
    rbuf_putc(b, '"');
    rbuf_putn(b, s, plain);
    for (s += plain; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"':  rbuf_puts(b, "\\\""); break;
        case '\\': rbuf_puts(b, "\\\\"); break;
        case '\b': rbuf_puts(b, "\\b"); break;
        case '\f': rbuf_puts(b, "\\f"); break;
        case '\n': rbuf_puts(b, "\\n"); break;
        case '\r': rbuf_puts(b, "\\r"); break;
        case '\t': rbuf_puts(b, "\\t"); break;
        default:
            if (c < 0x20)
                rbuf_printf(b, "\\u%04x", c);
            else
                rbuf_putc(b, (char)c);
            break;
        }
    }
    rbuf_putc(b, '"');
}

static void put_int(struct rbuf *b, long long v)
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", v);
    rbuf_putn(b, digits, (size_t)n);
}

/* Shortest of 15 or 17 significant digits that reads back as the same double. */
static void put_double(struct rbuf *b, double v)
{
    char text[32];
    if (v > -1e15 && v < 1e15 && (double)(long long)v == v) {
        put_int(b, (long long)v);
        return;
    }
    snprintf(text, sizeof text, "%1.15g", v);
    if (strtod(text, NULL) != v)
        snprintf(text, sizeof text, "%1.17g", v);
    rbuf_puts(b, text);
}

/* ---- members: each writes its comma first unless it opens an object or array ---- */

struct json {
    struct rbuf *b;
    bool first;        /* nothing written yet in the innermost object or array */
};

static void member(struct json *j, const char *key)
{
    if (!j->first)
        rbuf_putc(j->b, ',');
    j->first = false;
    if (key) {
        put_string(j->b, key);
        rbuf_putc(j->b, ':');
    }
}

static void open_(struct json *j, const char *key, char bracket)
{
    member(j, key);
    rbuf_putc(j->b, bracket);
    j->first = true;
}

static void close_(struct json *j, char bracket)
{
    rbuf_putc(j->b, bracket);
    j->first = false;
}

static void text(struct json *j, const char *key, const char *value)
{
    member(j, key);
    put_string(j->b, value);
}

/* Space-separated codes as an array of strings; null when there are none. */
static void school_codes(struct json *j, const char *key, const char *codes)
{
    if (!codes) {
        text(j, key, NULL);
        return;
    }
    open_(j, key, '[');
    for (const char *s = codes; *s;) {
        size_t len = strcspn(s, " ");
        char code[64];
        if (len > 0 && len < sizeof code) {
            memcpy(code, s, len);
            code[len] = '\0';
            text(j, NULL, code);
        }
        s += len + (s[len] == ' ');
    }
    close_(j, ']');
}

static void integer(struct json *j, const char *key, long long value)
{
    member(j, key);
    put_int(j->b, value);
}

static void boolean(struct json *j, const char *key, bool value)
{
    member(j, key);
    rbuf_puts(j->b, value ? "true" : "false");
}

/* Hours to one decimal, by hand: the program does not link libm, and the values are
 * durations (never negative), so adding a half and truncating rounds half up. */
static double hours_1dp(double hours)
{
    if (!(hours > 0.0))
        return 0.0;
    return (double)(long long)(hours * 10.0 + 0.5) / 10.0;
}

/* {"median": h, "p90": h}, or nulls when there was nothing to measure. */
static void hours(struct json *j, const char *key, bool has, double median, double p90)
{
    open_(j, key, '{');
    member(j, "median");
    if (has)
        put_double(j->b, hours_1dp(median));
    else
        rbuf_puts(j->b, "null");
    member(j, "p90");
    if (has)
        put_double(j->b, hours_1dp(p90));
    else
        rbuf_puts(j->b, "null");
    close_(j, '}');
}

static void times(struct json *j, const struct report_times *t)
{
    integer(j, "resolved", (long long)t->resolved);
    hours(j, "first_response_hours", t->has_first_response, t->first_response_median,
          t->first_response_p90);
    hours(j, "resolution_hours", t->has_resolution, t->resolution_median, t->resolution_p90);
}

/* ---- the groups ---- */

/* Each group's members, in the documented key order (which differs between groups). */
enum field { F_END, F_CODE, F_NAME, F_CLUSTER, F_KIND, F_COUNT, F_SCHOOLS };

static const enum field CLUSTER_FIELDS[] = { F_CODE, F_NAME, F_COUNT, F_END };
static const enum field SCHOOL_FIELDS[] = { F_CODE, F_NAME, F_CLUSTER, F_COUNT, F_END };
static const enum field CATEGORY_FIELDS[] = { F_CODE, F_NAME, F_KIND, F_COUNT, F_SCHOOLS, F_END };
static const enum field PRIORITY_FIELDS[] = { F_CODE, F_COUNT, F_END };
static const enum field RECURRING_FIELDS[] = {
    F_CODE, F_NAME, F_KIND, F_SCHOOLS, F_COUNT, F_END,
};

static void count_object(struct json *j, const struct report_count *c, const enum field *f)
{
    open_(j, NULL, '{');
    for (; *f != F_END; f++) {
        switch (*f) {
        case F_CODE:    text(j, "code", c->code); break;
        case F_NAME:    text(j, "name", c->name); break;
        case F_CLUSTER: text(j, "cluster", c->extra); break;
        case F_KIND:    text(j, "kind", c->extra); break;
        case F_COUNT:   integer(j, "count", c->count); break;
        case F_SCHOOLS: integer(j, "schools", c->schools); break;
        case F_END:     break;
        }
    }
    close_(j, '}');
}

static void list(struct json *j, const char *key, const struct report_list *l,
                 const enum field *fields)
{
    open_(j, key, '[');
    for (size_t i = 0; i < l->count; i++)
        count_object(j, &l->items[i], fields);
    close_(j, ']');
}

/* ---- the sections ---- */

static void scope(struct json *j, const struct report_meta *meta)
{
    open_(j, "scope", '{');
    text(j, "kind", meta->scope_kind ? meta->scope_kind : "department");
    text(j, "code", meta->scope_code);
    close_(j, '}');
}

static void totals(struct json *j, const struct report *r)
{
    open_(j, "totals", '{');
    integer(j, "unresolved", r->unresolved);
    integer(j, "overdue", r->overdue);
    integer(j, "escalated", r->escalated);
    integer(j, "filed_in_month", (long long)r->filed_in_month);
    integer(j, "resolved_in_month", (long long)r->resolved_in_month);
    close_(j, '}');
}

static void ages(struct json *j, const struct report *r)
{
    open_(j, "by_age", '[');
    for (int i = 0; i < REPORT_AGE_BUCKETS; i++) {
        open_(j, NULL, '{');
        text(j, "bucket", report_age_bucket_name(i));
        integer(j, "count", r->by_age[i]);
        close_(j, '}');
    }
    close_(j, ']');
}

static void response_times(struct json *j, const struct report *r)
{
    open_(j, "response_times", '{');
    open_(j, "overall", '{');
    times(j, &r->overall);
    close_(j, '}');
    open_(j, "by_division", '[');
    for (size_t i = 0; i < r->ntimes_by_division; i++) {
        const struct report_division_times *d = &r->times_by_division[i];
        open_(j, NULL, '{');
        text(j, "code", d->code);
        text(j, "name", d->name);
        times(j, &d->times);
        close_(j, '}');
    }
    close_(j, ']');
    close_(j, '}');
}

static void change(struct json *j, const struct report_input *in, const struct report *r)
{
    char previous[8];
    report_month_label(in->year, in->month, -1, previous);
    open_(j, "change", '{');
    text(j, "previous_month", previous);
    integer(j, "carried_over", r->carried_over);
    integer(j, "newly_unresolved", r->newly_unresolved);
    integer(j, "resolved_since", r->resolved_since);
    close_(j, '}');
}

static void trend(struct json *j, const struct report_input *in)
{
    open_(j, "trend", '[');
    for (int i = 0; i < REPORT_TREND_MONTHS; i++) {
        char label[8];
        report_month_label(in->year, in->month, i - (REPORT_TREND_MONTHS - 1), label);
        open_(j, NULL, '{');
        text(j, "month", label);
        integer(j, "unresolved", in->trend[i]);
        close_(j, '}');
    }
    close_(j, ']');
}

static void issue(struct json *j, const struct report_issue *is, int64_t as_of)
{
    open_(j, NULL, '{');
    text(j, "ref", is->ref);
    text(j, "school", is->school);
    text(j, "school_name", is->school_name);
    text(j, "cluster", is->cluster);
    text(j, "category", is->category);
    text(j, "category_kind", is->category_kind);
    text(j, "division", is->division);
    text(j, "status", is->status);
    text(j, "priority", is->priority);
    integer(j, "age_days", report_age_days(is->filed_at, as_of));
    boolean(j, "overdue", is->overdue);
    integer(j, "escalation_level", is->escalation_level);
    integer(j, "schools_affected", is->schools_affected);
    school_codes(j, "schools", is->schools);
    text(j, "assignee", is->assignee);
    text(j, "title", is->title);
    close_(j, '}');
}

static void decision(struct json *j, const struct report_input *in,
                     const struct report_decision *d)
{
    open_(j, NULL, '{');
    integer(j, "id", d->id);
    open_(j, "meeting", '{');
    integer(j, "id", d->meeting_id);
    text(j, "title", d->meeting_title);
    text(j, "held_on", d->held_on);
    text(j, "kind", d->meeting_kind);
    text(j, "cluster", d->meeting_cluster);
    close_(j, '}');
    text(j, "body", d->body);
    text(j, "division", d->division);
    text(j, "division_name", d->division_name);
    text(j, "responsible", d->responsible);
    text(j, "due_on", d->due_on);
    text(j, "state", decision_state_name(report_decision_state(in, d)));
    school_codes(j, "issues", d->issues ? d->issues : "");
    close_(j, '}');
}

/* Average to one decimal, by hand as hours_1dp: null without ratings. */
static void ratings_group(struct json *j, const struct report_ratings *g)
{
    integer(j, "count", g->count);
    member(j, "average");
    if (g->count == 0)
        rbuf_puts(j->b, "null");
    else
        put_double(j->b, (double)((g->sum * 10 + g->count / 2) / g->count) / 10.0);
    integer(j, "low", g->low);
}

/* The month's ratings of confirmed resolutions, all and by division. */
static void ratings(struct json *j, const struct report *r)
{
    open_(j, "ratings", '{');
    ratings_group(j, &r->ratings);
    open_(j, "by_division", '[');
    for (size_t i = 0; i < r->nratings_by_division; i++) {
        open_(j, NULL, '{');
        text(j, "code", r->ratings_by_division[i].code);
        text(j, "name", r->ratings_by_division[i].name);
        ratings_group(j, &r->ratings_by_division[i]);
        close_(j, '}');
    }
    close_(j, ']');
    close_(j, '}');
}

/* The decisions from the last meetings, each as it stood at the report's instant. */
static void decisions(struct json *j, const struct report_input *in, const struct report *r)
{
    open_(j, "decisions", '{');
    open_(j, "counts", '{');
    for (int s = 0; s < DECISION_STATE_COUNT; s++)
        integer(j, decision_state_name((enum decision_state)s), r->decisions[s]);
    close_(j, '}');
    open_(j, "items", '[');
    for (size_t i = 0; i < in->ndecisions; i++)
        decision(j, in, &in->decisions[i]);
    close_(j, ']');
    close_(j, '}');
}

void report_json(struct rbuf *b, const struct report_input *in, const struct report *r,
                 const struct report_meta *meta)
{
    char month[8];
    report_month_label(in->year, in->month, 0, month);
    struct json j = { .b = b, .first = true };
    open_(&j, NULL, '{');
    text(&j, "month", month);
    text(&j, "as_of", meta->as_of);
    scope(&j, meta);
    text(&j, "department", meta->department);
    totals(&j, r);
    list(&j, "by_cluster", &r->by_cluster, CLUSTER_FIELDS);
    list(&j, "by_school", &r->by_school, SCHOOL_FIELDS);
    list(&j, "by_category", &r->by_category, CATEGORY_FIELDS);
    list(&j, "by_division", &r->by_division, CLUSTER_FIELDS);
    list(&j, "by_priority", &r->by_priority, PRIORITY_FIELDS);
    ages(&j, r);
    response_times(&j, r);
    list(&j, "top_schools", &r->top_schools, SCHOOL_FIELDS);
    list(&j, "recurring_categories", &r->recurring_categories, RECURRING_FIELDS);
    change(&j, in, r);
    trend(&j, in);
    decisions(&j, in, r);
    ratings(&j, r);
    open_(&j, "issues", '[');
    for (size_t i = 0; i < in->nissues; i++)
        issue(&j, report_issue_at(in, r, i), in->as_of);
    close_(&j, ']');
    close_(&j, '}');
}
