/* report_render.c -- the report's entry point (format dispatch, content types, month
 * labels), the JSON document, and the byte buffer the CSV and HTML renderers share. */
#include "api/report_render.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "api/report_formats.h"
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

/* ---- JSON ---- */

static void add_text(cJSON *obj, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(obj, key, value);
    else
        cJSON_AddNullToObject(obj, key);
}

static void add_number(cJSON *obj, const char *key, double value)
{
    cJSON_AddNumberToObject(obj, key, value);
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
static void add_hours(cJSON *obj, const char *key, bool has, double median, double p90)
{
    cJSON *o = cJSON_AddObjectToObject(obj, key);
    if (has) {
        add_number(o, "median", hours_1dp(median));
        add_number(o, "p90", hours_1dp(p90));
    } else {
        cJSON_AddNullToObject(o, "median");
        cJSON_AddNullToObject(o, "p90");
    }
}

static void add_times(cJSON *obj, const struct report_times *t)
{
    add_number(obj, "resolved", (double)t->resolved);
    add_hours(obj, "first_response_hours", t->has_first_response,
              t->first_response_median, t->first_response_p90);
    add_hours(obj, "resolution_hours", t->has_resolution, t->resolution_median,
              t->resolution_p90);
}

/* Each group's members, in the documented key order (which differs between groups). */
enum field { F_END, F_CODE, F_NAME, F_CLUSTER, F_KIND, F_COUNT, F_SCHOOLS };

static const enum field CLUSTER_FIELDS[] = { F_CODE, F_NAME, F_COUNT, F_END };
static const enum field SCHOOL_FIELDS[] = { F_CODE, F_NAME, F_CLUSTER, F_COUNT, F_END };
static const enum field CATEGORY_FIELDS[] = { F_CODE, F_NAME, F_KIND, F_COUNT, F_SCHOOLS, F_END };
static const enum field PRIORITY_FIELDS[] = { F_CODE, F_COUNT, F_END };
static const enum field RECURRING_FIELDS[] = {
    F_CODE, F_NAME, F_KIND, F_SCHOOLS, F_COUNT, F_END,
};

static cJSON *count_json(const struct report_count *c, const enum field *fields)
{
    cJSON *o = cJSON_CreateObject();
    for (; *fields != F_END; fields++) {
        switch (*fields) {
        case F_CODE:    add_text(o, "code", c->code); break;
        case F_NAME:    add_text(o, "name", c->name); break;
        case F_CLUSTER: add_text(o, "cluster", c->extra); break;
        case F_KIND:    add_text(o, "kind", c->extra); break;
        case F_COUNT:   add_number(o, "count", c->count); break;
        case F_SCHOOLS: add_number(o, "schools", c->schools); break;
        case F_END:     break;
        }
    }
    return o;
}

static void add_list(cJSON *obj, const char *key, const struct report_list *list,
                     const enum field *fields)
{
    cJSON *arr = cJSON_AddArrayToObject(obj, key);
    for (size_t i = 0; i < list->count; i++)
        cJSON_AddItemToArray(arr, count_json(&list->items[i], fields));
}

static void add_scope(cJSON *root, const struct report_meta *meta)
{
    cJSON *scope = cJSON_AddObjectToObject(root, "scope");
    add_text(scope, "kind", meta->scope_kind ? meta->scope_kind : "department");
    add_text(scope, "code", meta->scope_code);
}

static void add_totals(cJSON *root, const struct report *r)
{
    cJSON *t = cJSON_AddObjectToObject(root, "totals");
    add_number(t, "unresolved", r->unresolved);
    add_number(t, "overdue", r->overdue);
    add_number(t, "escalated", r->escalated);
    add_number(t, "filed_in_month", (double)r->filed_in_month);
    add_number(t, "resolved_in_month", (double)r->resolved_in_month);
}

static void add_age(cJSON *root, const struct report *r)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "by_age");
    for (int i = 0; i < REPORT_AGE_BUCKETS; i++) {
        cJSON *o = cJSON_CreateObject();
        add_text(o, "bucket", report_age_bucket_name(i));
        add_number(o, "count", r->by_age[i]);
        cJSON_AddItemToArray(arr, o);
    }
}

static void add_response_times(cJSON *root, const struct report *r)
{
    cJSON *rt = cJSON_AddObjectToObject(root, "response_times");
    add_times(cJSON_AddObjectToObject(rt, "overall"), &r->overall);
    cJSON *arr = cJSON_AddArrayToObject(rt, "by_division");
    for (size_t i = 0; i < r->ntimes_by_division; i++) {
        const struct report_division_times *d = &r->times_by_division[i];
        cJSON *o = cJSON_CreateObject();
        add_text(o, "code", d->code);
        add_text(o, "name", d->name);
        add_times(o, &d->times);
        cJSON_AddItemToArray(arr, o);
    }
}

static void add_change(cJSON *root, const struct report_input *in, const struct report *r)
{
    char previous[8];
    report_month_label(in->year, in->month, -1, previous);
    cJSON *c = cJSON_AddObjectToObject(root, "change");
    add_text(c, "previous_month", previous);
    add_number(c, "carried_over", r->carried_over);
    add_number(c, "newly_unresolved", r->newly_unresolved);
    add_number(c, "resolved_since", r->resolved_since);
}

static void add_trend(cJSON *root, const struct report_input *in)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "trend");
    for (int i = 0; i < REPORT_TREND_MONTHS; i++) {
        char label[8];
        report_month_label(in->year, in->month, i - (REPORT_TREND_MONTHS - 1), label);
        cJSON *o = cJSON_CreateObject();
        add_text(o, "month", label);
        add_number(o, "unresolved", in->trend[i]);
        cJSON_AddItemToArray(arr, o);
    }
}

static cJSON *issue_json(const struct report_issue *is, int64_t as_of)
{
    cJSON *o = cJSON_CreateObject();
    add_text(o, "ref", is->ref);
    add_text(o, "school", is->school);
    add_text(o, "school_name", is->school_name);
    add_text(o, "cluster", is->cluster);
    add_text(o, "category", is->category);
    add_text(o, "category_kind", is->category_kind);
    add_text(o, "division", is->division);
    add_text(o, "status", is->status);
    add_text(o, "priority", is->priority);
    add_number(o, "age_days", report_age_days(is->filed_at, as_of));
    cJSON_AddBoolToObject(o, "overdue", is->overdue);
    add_number(o, "escalation_level", is->escalation_level);
    add_text(o, "assignee", is->assignee);
    add_text(o, "title", is->title);
    return o;
}

static cJSON *report_json(const struct report_input *in, const struct report *r,
                          const struct report_meta *meta)
{
    char month[8];
    report_month_label(in->year, in->month, 0, month);
    cJSON *root = cJSON_CreateObject();
    add_text(root, "month", month);
    add_text(root, "as_of", meta->as_of);
    add_scope(root, meta);
    add_text(root, "department", meta->department);
    add_totals(root, r);
    add_list(root, "by_cluster", &r->by_cluster, CLUSTER_FIELDS);
    add_list(root, "by_school", &r->by_school, SCHOOL_FIELDS);
    add_list(root, "by_category", &r->by_category, CATEGORY_FIELDS);
    add_list(root, "by_division", &r->by_division, CLUSTER_FIELDS);
    add_list(root, "by_priority", &r->by_priority, PRIORITY_FIELDS);
    add_age(root, r);
    add_response_times(root, r);
    add_list(root, "top_schools", &r->top_schools, SCHOOL_FIELDS);
    add_list(root, "recurring_categories", &r->recurring_categories, RECURRING_FIELDS);
    add_change(root, in, r);
    add_trend(root, in);
    cJSON *issues = cJSON_AddArrayToObject(root, "issues");
    for (size_t i = 0; i < in->nissues; i++)
        cJSON_AddItemToArray(issues, issue_json(report_issue_at(in, r, i), in->as_of));
    return root;
}

/* The JSON text, copied into xalloc memory so every format is freed the same way. */
static char *render_json(const struct report_input *in, const struct report *r,
                         const struct report_meta *meta, size_t *len)
{
    cJSON *root = report_json(in, r, meta);
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!text)
        abort();   /* cJSON only fails to print when out of memory: the xalloc policy */
    size_t n = strlen(text);
    char *out = xstrndup(text, n);
    cJSON_free(text);
    if (len)
        *len = n;
    return out;
}

/* ---- entry points ---- */

char *report_render(const struct report_input *in, const struct report *r,
                    const struct report_meta *meta, enum report_format format,
                    enum report_part part, size_t *len)
{
    if (format == REPORT_JSON)
        return render_json(in, r, meta, len);
    if (format != REPORT_CSV && format != REPORT_HTML) {
        if (len)
            *len = 0;
        return NULL;
    }
    struct rbuf b;
    rbuf_init(&b);
    if (format == REPORT_HTML)
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
