/* report_api.c -- the monthly report: parse the request, load the month from the
 * history, compute, render. The scope follows the role: the whole Department for its
 * staff, the cluster for a cluster leader, the school for a principal. */
#include "api/report_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/reply.h"
#include "util/gzip.h"
#include "util/log.h"
#include "util/xalloc.h"

int64_t report_clock_now(void)
{
    return (int64_t)time(NULL) + 1;
}

bool report_parse_month(const char *text, int *year, int *month)
{
    if (!text || strlen(text) != 7 || text[4] != '-' ||
        strspn(text, "0123456789") != 4 || strspn(text + 5, "0123456789") != 2)
        return false;
    *year = atoi(text);
    *month = atoi(text + 5);
    return *year >= 2000 && *year <= 2100 && *month >= 1 && *month <= 12;
}

bool report_parse_format(const char *text, enum report_format *format)
{
    static const char *const names[] = {[REPORT_JSON] = "json", [REPORT_CSV] = "csv",
                                        [REPORT_HTML] = "html"};
    for (int i = 0; i < 3; i++)
        if (text && strcmp(text, names[i]) == 0) {
            *format = (enum report_format)i;
            return true;
        }
    return false;
}

bool report_parse_part(const char *text, enum report_part *part)
{
    if (text && strcmp(text, "issues") == 0)
        *part = REPORT_PART_ISSUES;
    else if (text && strcmp(text, "summary") == 0)
        *part = REPORT_PART_SUMMARY;
    else
        return false;
    return true;
}

/* The cache's name for a format (and, for CSV, its part). */
static const char *report_variant(const struct report_request *req)
{
    if (req->format == REPORT_CSV)
        return req->part == REPORT_PART_SUMMARY ? "csv-summary" : "csv-issues";
    return req->format == REPORT_HTML ? "html" : "json";
}

/* Keeps a finished month's document, compressed once for every later reader. */
static void report_keep(struct db *db, const struct report_cache_key *key,
                        const struct report_cache_stamp *stamp, struct report_document *doc)
{
    if (!stamp->keep)
        return;
    doc->gzip = gzip_compress(doc->text, doc->len, GZIP_FAST, &doc->gzip_len);
    if (doc->gzip)
        db_report_cache_put(db, key, stamp, doc->gzip, doc->gzip_len);
}

/* Computed from the history; kept when it is a finished month's (report_cache.h). */
static bool report_compute(struct db *db, struct db *helper, const struct report_request *req,
                           const struct report_cache_key *key, struct report_document *doc,
                           struct error *err)
{
    struct report_period period;
    struct report_data data;
    if (!db_report_period(db, req->year, req->month, req->now, &period, err) ||
        !db_report_load_unresolved(db, helper, &period, &req->scope, &data, err))
        return false;
    /* The unresolved issues' part is computed while the month's reads finish. */
    struct report report;
    report_build_unresolved(&data.input, &report);
    char *scope_name = NULL;
    if (!db_report_load_month(&data, err))
        goto done;
    report_add_month(&data.input, &report);
    bool scoped = req->scope.school || req->scope.cluster;
    scope_name = db_report_scope_name(db, &req->scope, err);
    if (!scope_name && scoped) {
        error_field(err, "scope", "unknown_code",
                    "there is no %s %s", req->scope.school ? "school" : "cluster",
                    req->scope.school ? req->scope.school : req->scope.cluster);
        goto done;
    }
    struct report_meta meta = {
        .department = REPORT_DEPARTMENT,
        .scope_kind = req->scope.school ? "school" : scoped ? "cluster" : "department",
        .scope_code = req->scope.school ? req->scope.school : req->scope.cluster,
        .scope_name = scope_name,
        .as_of = period.as_of_text,
    };
    doc->text = report_render(&data.input, &report, &meta, req->format, req->part, &doc->len);
    if (doc->text)
        report_keep(db, key, &data.stamp, doc);
done:
    report_free(&report);
    report_data_free(&data);
    free(scope_name);
    return doc->text != NULL;
}

/* Whether the kept copy can be answered: inflated when the text is needed, else at least
 * the head of a gzip member (inflating the largest costs more than sending it). */
static bool kept_copy_usable(struct report_document *doc, bool need_text)
{
    if (need_text)
        doc->text = gzip_inflate(doc->gzip, doc->gzip_len, &doc->len);
    return need_text ? doc->text != NULL : gzip_has_header(doc->gzip, doc->gzip_len);
}

bool report_produce(struct db *db, struct db *helper, const struct report_request *req,
                    bool need_text, struct report_document *doc, struct error *err)
{
    *doc = (struct report_document){0};
    struct report_cache_key key = {.year = req->year, .month = req->month,
                                   .variant = report_variant(req), .scope = &req->scope};
    doc->gzip = db_report_cache_get(db, &key, req->now, &doc->gzip_len, err);
    if (error_is_set(err))
        return false;
    if (doc->gzip && kept_copy_usable(doc, need_text))
        return true;
    if (doc->gzip) {   /* written by hand, say: made again, and kept in its place */
        log_warn("the kept report %04d-%02d (%s) is not a gzip document; making it again",
                 req->year, req->month, key.variant);
        report_document_free(doc);
    }
    return report_compute(db, helper, req, &key, doc, err);
}

void report_document_free(struct report_document *doc)
{
    free(doc->text);
    free(doc->gzip);
    *doc = (struct report_document){0};
}

static const char *const REPORT_PARAMS[] = {"month", "format", "part", NULL};

static bool read_request(const struct exchange *ex, struct report_request *req,
                         struct error *err)
{
    for (int i = 0; i < ex->nquery; i++) {
        bool known = false;
        for (const char *const *n = REPORT_PARAMS; *n && !known; n++)
            known = strcmp(*n, ex->query[i].key) == 0;
        if (!known)
            error_field(err, ex->query[i].key, "unknown_parameter", "is not a known parameter");
        else if (exchange_query(ex, ex->query[i].key) != ex->query[i].value)
            error_field(err, ex->query[i].key, "repeated", "appears more than once");
    }
    const char *month = exchange_query(ex, "month");
    const char *format = exchange_query(ex, "format");
    const char *part = exchange_query(ex, "part");
    if (!month)
        error_field(err, "month", "required", "is required, as YYYY-MM");
    else if (!report_parse_month(month, &req->year, &req->month))
        error_field(err, "month", "invalid_format", "must be a month as YYYY-MM, e.g. 2026-10");
    if (format && !report_parse_format(format, &req->format))
        error_field(err, "format", "invalid_value", "must be json, csv or html");
    if (part && !report_parse_part(part, &req->part))
        error_field(err, "part", "invalid_value", "must be issues or summary");
    if (part && req->format != REPORT_CSV && !error_is_set(err))
        error_field(err, "part", "not_applicable", "applies only to format=csv");
    return !error_is_set(err);
}

/* The role decides the scope; staff see the whole Department. */
static void scope_for(const struct user_profile *u, struct report_scope *scope)
{
    *scope = (struct report_scope){0};
    if (u->actor.role == ROLE_PRINCIPAL)
        scope->school = u->school;
    else if (u->actor.role == ROLE_CLUSTER_LEADER)
        scope->cluster = u->cluster;
}

void reports_monthly(struct exchange *ex)
{
    struct error err = {0};
    struct report_request req = {.format = REPORT_JSON, .part = REPORT_PART_ISSUES,
                                 .now = report_clock_now()};
    struct report_document doc = {0};
    bool made = false;
    scope_for(&ex->user, &req.scope);
    if (read_request(ex, &req, &err) && api_db(ex, &err)) {
        /* A spare connection if one is free: the report reads on both at once. */
        struct db *helper = db_pool_acquire_spare(ex->app->pool);
        if (helper)
            exchange_act(ex, helper);
        made = report_produce(ex->db, helper, &req, !ex->takes_gzip, &doc, &err);
        if (helper) {
            db_set_context(helper, NULL);
            db_pool_release_spare(ex->app->pool, helper);
        }
    }
    /* The gzip copy, made once when the report was kept, to every client that takes it. */
    bool as_gzip = made && ex->takes_gzip && doc.gzip;
    if (!made) {
        report_document_free(&doc);
        reply_failure(ex, &err, "The report cannot be made as asked; see errors.");
        return;
    }
    reply_document(ex, 200, report_content_type(req.format), NULL);
    if (as_gzip) {
        exchange_set_gzip_body(ex, doc.gzip, doc.gzip_len);
        doc.gzip = NULL;
    } else {
        exchange_set_body(ex, doc.text, 0);
        doc.text = NULL;
    }
    report_document_free(&doc);
    if (req.format == REPORT_HTML)
        ex->csp = report_html_csp();
    if (req.format == REPORT_CSV)
        ex->disposition = xasprintf("attachment; filename=\"directline-%04d-%02d-%s.csv\"",
                                    req.year, req.month,
                                    req.part == REPORT_PART_SUMMARY ? "summary" : "issues");
}
