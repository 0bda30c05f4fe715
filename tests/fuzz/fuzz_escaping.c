/* fuzz_escaping.c -- libFuzzer target: the monthly report's CSV (api/report_csv.c) and HTML
 * (api/report_html.c) escaping, through report_render with texts taken from the input (titles,
 * names, codes, refs, logins, the page's scope), and the JSON rendering too. Input: a few
 * bytes of choices, then NUL-separated texts (see corpus/escaping/). Besides crashes, leaks
 * and undefined behaviour it finds:
 *   - a CSV that does not read back, as RFC 4180, to the texts that went in (a cell may
 *     only gain a ' before a character that can start a formula), whose text fields are
 *     not exactly csv_cell's (domain/csv_cell.c), or with a cell that a spreadsheet would
 *     read as a formula (CSV injection);
 *   - markup from a text reaching the HTML page: the page must hold as many < > " ' as the
 *     same page whose texts have those five characters replaced by harmless ones;
 *   - a JSON rendering that does not parse.
 * At most 8 issues, so no top-N list drops one and both pages list the same rows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "api/report_render.h"
#include "domain/csv_cell.h"
#include "domain/report.h"
#include "fuzz_check.h"

#define MAX_ISSUES 8
#define MAX_TEXTS 256
#define DAY 86400
#define AS_OF ((int64_t)1793466000)   /* 2026-11-01T00:00:00+07:00 */

/* The input's bytes, consumed front to back: choices, then texts. */
struct reader {
    const unsigned char *p;
    size_t left;
    char *texts[MAX_TEXTS];
    int ntexts;
};

static unsigned byte(struct reader *r)
{
    if (!r->left)
        return 0;
    r->left--;
    return *r->p++;
}

/* The next NUL-ended text (owned by the reader); "" when the input is used up. */
static const char *text(struct reader *r)
{
    const unsigned char *end = memchr(r->p, '\0', r->left);
    size_t n = end ? (size_t)(end - r->p) : r->left;
    char *s = malloc(n + 1);
    memcpy(s, r->p, n);
    s[n] = '\0';
    r->p += n + (end ? 1 : 0);
    r->left -= n + (end ? 1 : 0);
    if (r->ntexts < MAX_TEXTS)
        r->texts[r->ntexts++] = s;
    else
        abort();
    return s;
}

static const char *or_null(const char *s) { return *s ? s : NULL; }

static const char *const STATUSES[] = {"new", "triaged", "in_progress", "awaiting_school"};
static const char *const PRIORITIES[] = {"low", "normal", "high", "urgent"};

static void read_issue(struct reader *r, struct report_issue *is, int64_t id)
{
    unsigned choice = byte(r);
    is->id = id;
    is->ref = text(r);
    is->title = text(r);
    is->school = text(r);
    is->school_name = or_null(text(r));
    is->cluster = text(r);
    is->cluster_name = or_null(text(r));
    is->category = text(r);
    is->category_name = or_null(text(r));
    is->category_kind = choice & 1 ? "teaching" : "management";
    is->division = text(r);
    is->division_name = or_null(text(r));
    is->status = STATUSES[(choice >> 1) & 3];
    is->priority = PRIORITIES[(choice >> 3) & 3];
    is->assignee = or_null(text(r));
    is->filed_at = AS_OF - (int64_t)byte(r) * DAY - (int64_t)byte(r) * 600;
    is->overdue = choice & 0x20;
    is->escalation_level = (int)(choice >> 6);
    is->schools_affected = 1 + (int)(byte(r) % 8);
    is->schools = or_null(text(r));
}

/* ---- CSV read back (RFC 4180) ---- */

/* The next cell from *s, decoded (malloc'd); *raw_len: its length as written;
 * *end_of_row when the row ends after it. */
static char *read_cell(const char **s, bool *end_of_row, size_t *raw_len)
{
    const char *p = *s;
    size_t cap = strlen(p) + 1, n = 0;
    char *out = malloc(cap);
    if (*p == '"') {
        for (p++;; p++) {
            FUZZ_CHECK(*p != '\0');                /* a quoted cell is closed */
            if (*p == '"' && p[1] == '"')
                out[n++] = *p++;
            else if (*p == '"')
                break;
            else
                out[n++] = *p;
        }
        p++;
    } else {
        while (*p && *p != ',' && *p != '\r' && *p != '\n' && *p != '"')
            out[n++] = *p++;
    }
    out[n] = '\0';
    *raw_len = (size_t)(p - *s);
    FUZZ_CHECK(*p == ',' || (p[0] == '\r' && p[1] == '\n'));
    /* What a spreadsheet reads from the cell must not be a formula (OWASP CSV injection). */
    FUZZ_CHECK(!csv_starts_formula(out));
    *end_of_row = *p == '\r';
    *s = p + (*end_of_row ? 2 : 1);
    return out;
}

/* A cell holds its text exactly, except for single quotes put in front of characters that
 * could start a formula (= + - @ tab CR, a full-width form, whose UTF-8 starts 0xEF, or
 * a quote after a semicolon): the neutralising of the formula-injection fix, wherever in
 * the cell it applies it. */
static void check_cell(const char *cell, const char *want)
{
    if (!want)
        want = "";
    while (*cell || *want) {
        if (*cell && *cell == *want) {
            cell++;
            want++;
            continue;
        }
        FUZZ_CHECK(*cell == '\'' && *want && strchr("=+-@\t\r\xEF\"", *want));
        cell++;
    }
}

static void check_csv_issues(const char *csv, const struct report_input *in,
                             const struct report *rep)
{
    FUZZ_CHECK(strncmp(csv, "\xEF\xBB\xBF", 3) == 0);
    const char *s = csv + 3;
    bool eor = false;
    size_t raw_len;
    while (!eor)                                   /* the header row */
        free(read_cell(&s, &eor, &raw_len));
    for (size_t i = 0; i < in->nissues; i++) {
        eor = false;
        const struct report_issue *is = &in->issues[rep->issue_order[i]];
        const char *want[] = {is->ref, is->school, is->school_name, is->cluster, is->category,
                              is->category_kind, is->division, is->status, is->priority,
                              NULL, NULL, NULL, NULL, is->schools, is->assignee, is->title};
        for (size_t c = 0; c < sizeof want / sizeof *want; c++) {
            FUZZ_CHECK(*s != '\0' && !eor);
            const char *raw = s;
            char *cell = read_cell(&s, &eor, &raw_len);
            if (c < 9 || c > 12) {                 /* 9-12: age, overdue, level, schools */
                check_cell(cell, want[c]);
                char *field = csv_cell(want[c]);   /* exactly as the one cell writer writes */
                FUZZ_CHECK(strlen(field) == raw_len && memcmp(field, raw, raw_len) == 0);
                free(field);
            }
            free(cell);
            FUZZ_CHECK(eor == (c == sizeof want / sizeof *want - 1));
        }
    }
    FUZZ_CHECK(*s == '\0');
}

/* Every row of the summary has four cells. */
static void check_csv_summary(const char *csv)
{
    const char *s = csv + 3;
    while (*s) {
        bool eor = false;
        int cells = 0;
        size_t raw_len;
        while (!eor) {
            free(read_cell(&s, &eor, &raw_len));
            cells++;
        }
        FUZZ_CHECK(cells == 4);
    }
}

/* ---- HTML ---- */

/* The text with & < > " ' each replaced by one private-use character, so the two pages
 * have the same characters per text, the same equal texts, the same empty ones. */
static char *defang(const char *s)
{
    static const char MARKUP[] = "&<>\"'";
    char *out = malloc(strlen(s) * 3 + 1), *o = out;
    for (; *s; s++) {
        const char *m = strchr(MARKUP, *s);
        if (!m) {
            *o++ = *s;
            continue;
        }
        *o++ = (char)0xEE;
        *o++ = (char)0x80;
        *o++ = (char)(0x80 + (m - MARKUP));
    }
    *o = '\0';
    return out;
}

static void count_markup(const char *page, size_t counts[4])
{
    for (const char *p = page; *p; p++) {
        switch (*p) {
        case '<': counts[0]++; break;
        case '>': counts[1]++; break;
        case '"': counts[2]++; break;
        case '\'': counts[3]++; break;
        default: break;
        }
    }
}

/* ---- the whole input ---- */

struct fuzz_report {
    struct report_issue issues[MAX_ISSUES];
    int64_t previous[MAX_ISSUES];
    struct report_resolution resolved[4];
    struct report_input in;
    struct report_meta meta;
};

static void read_report(struct reader *r, struct fuzz_report *f)
{
    unsigned head = byte(r);
    size_t nissues = head % (MAX_ISSUES + 1), nprevious = 0;
    for (size_t i = 0; i < nissues; i++) {
        read_issue(r, &f->issues[i], (int64_t)i + 1);
        if (byte(r) & 1)
            f->previous[nprevious++] = (int64_t)i + 1;
    }
    size_t nresolved = (head >> 4) % 5;
    for (size_t i = 0; i < nresolved; i++) {
        f->resolved[i].division = text(r);
        f->resolved[i].division_name = or_null(text(r));
        f->resolved[i].first_response_hours = (double)byte(r) - 10.0;
        f->resolved[i].resolution_hours = (double)byte(r) * 3.5;
    }
    static const char *const KINDS[] = {"department", "cluster", "school"};
    f->meta.department = or_null(text(r));
    f->meta.scope_kind = KINDS[byte(r) % 3];
    f->meta.scope_code = or_null(text(r));
    f->meta.scope_name = or_null(text(r));
    f->meta.as_of = "2026-11-01T00:00:00+07:00";
    f->in = (struct report_input){
        .year = 2026, .month = 10, .as_of = AS_OF, .issues = f->issues, .nissues = nissues,
        .previous_ids = f->previous, .nprevious = nprevious, .filed_in_month = byte(r),
        .resolved = f->resolved, .nresolved = nresolved,
    };
    for (int m = 0; m < REPORT_TREND_MONTHS; m++)
        f->in.trend[m] = (int)byte(r);
}

/* f with every text defanged (the copies are kept in r so that they are freed with it). */
static void defang_report(const struct fuzz_report *f, struct fuzz_report *g, struct reader *r)
{
    *g = *f;
    g->in.issues = g->issues;
    g->in.previous_ids = g->previous;
    g->in.resolved = g->resolved;
#define DEFANG(field)                                                                     \
    do {                                                                                  \
        if (field) {                                                                      \
            char *copy = defang(field);                                                   \
            FUZZ_CHECK(r->ntexts < MAX_TEXTS);                                            \
            r->texts[r->ntexts++] = copy;                                                 \
            field = copy;                                                                 \
        }                                                                                 \
    } while (0)
    for (size_t i = 0; i < g->in.nissues; i++) {
        struct report_issue *is = &g->issues[i];
        DEFANG(is->ref); DEFANG(is->title); DEFANG(is->school); DEFANG(is->school_name);
        DEFANG(is->cluster); DEFANG(is->cluster_name); DEFANG(is->category);
        DEFANG(is->category_name); DEFANG(is->division); DEFANG(is->division_name);
        DEFANG(is->assignee); DEFANG(is->schools);
    }
    for (size_t i = 0; i < g->in.nresolved; i++) {
        DEFANG(g->resolved[i].division);
        DEFANG(g->resolved[i].division_name);
    }
    DEFANG(g->meta.department); DEFANG(g->meta.scope_code); DEFANG(g->meta.scope_name);
#undef DEFANG
}

static char *render(const struct fuzz_report *f, const struct report *rep,
                    enum report_format format, enum report_part part)
{
    size_t len = 0;
    char *doc = report_render(&f->in, rep, &f->meta, format, part, &len);
    FUZZ_CHECK(doc && strlen(doc) == len);
    return doc;
}

static void check_html(const struct fuzz_report *f, const struct report *rep, struct reader *r)
{
    struct fuzz_report g;
    defang_report(f, &g, r);
    struct report grep;
    report_build(&g.in, &grep);
    char *page = render(f, rep, REPORT_HTML, REPORT_PART_ISSUES);
    char *plain = render(&g, &grep, REPORT_HTML, REPORT_PART_ISSUES);
    size_t got[4] = {0}, want[4] = {0};
    count_markup(page, got);
    count_markup(plain, want);
    FUZZ_CHECK(memcmp(got, want, sizeof got) == 0);
    free(page);
    free(plain);
    report_free(&grep);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    /* The defanged page uses U+E000..U+E004 in place of markup: an input holding them
     * could make two different texts equal there. */
    for (size_t i = 0; i + 2 < size; i++)
        if (data[i] == 0xEE && data[i + 1] == 0x80 && data[i + 2] >= 0x80 && data[i + 2] <= 0x84)
            return -1;
    struct reader r = {.p = data, .left = size};
    struct fuzz_report *f = calloc(1, sizeof *f);
    read_report(&r, f);
    struct report rep;
    report_build(&f->in, &rep);

    char *csv = render(f, &rep, REPORT_CSV, REPORT_PART_ISSUES);
    check_csv_issues(csv, &f->in, &rep);
    free(csv);
    csv = render(f, &rep, REPORT_CSV, REPORT_PART_SUMMARY);
    check_csv_summary(csv);
    free(csv);
    char *json = render(f, &rep, REPORT_JSON, REPORT_PART_ISSUES);
    cJSON *doc = cJSON_Parse(json);
    FUZZ_CHECK(doc != NULL);
    cJSON_Delete(doc);
    free(json);
    check_html(f, &rep, &r);

    report_free(&rep);
    for (int i = 0; i < r.ntexts; i++)
        free(r.texts[i]);
    free(f);
    return 0;
}
