/* report_cmd.c -- `directline report`: the monthly report to a file or standard output,
 * byte for byte what GET /api/reports/monthly answers for the same month and scope. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/report_api.h"
#include "cli/cli.h"
#include "db/db_context.h"

static void usage(void)
{
    printf("usage: directline report --month YYYY-MM [--format json|csv|html]\n"
           "           [--part issues|summary] [--scope department|cluster:CODE|school:CODE]\n"
           "           [--out FILE] [--now TIME]\n\n"
           "The unresolved-issue report of a month (Asia/Ho_Chi_Minh), as of the month's end,\n"
           "from the history in $DATABASE_URL. --part applies to CSV. --now sets the clock\n"
           "(what counts as the current month), for tests and replays.\n");
}

static bool parse_scope(const char *text, struct report_scope *scope)
{
    *scope = (struct report_scope){0};
    if (strcmp(text, "department") == 0)
        return true;
    if (strncmp(text, "cluster:", 8) == 0 && text[8])
        scope->cluster = text + 8;
    else if (strncmp(text, "school:", 7) == 0 && text[7])
        scope->school = text + 7;
    else
        return false;
    return true;
}

struct report_options {
    struct report_request req;
    const char *month, *out, *now;
    bool part_given;
};

static int parse_options(int argc, char **argv, struct report_options *o)
{
    static const struct option longopts[] = {
        {"month", required_argument, NULL, 'm'}, {"format", required_argument, NULL, 'f'},
        {"part", required_argument, NULL, 'p'}, {"scope", required_argument, NULL, 's'},
        {"out", required_argument, NULL, 'o'}, {"now", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    int c;
    bool ok = true;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': o->month = optarg; break;
        case 'f': ok = ok && report_parse_format(optarg, &o->req.format); break;
        case 'p': ok = ok && report_parse_part(optarg, &o->req.part); o->part_given = true; break;
        case 's': ok = ok && parse_scope(optarg, &o->req.scope); break;
        case 'o': o->out = optarg; break;
        case 'n': o->now = optarg; break;
        case 'h': usage(); return 0;
        default: return 2;
        }
    }
    ok = ok && optind == argc && o->month &&
         report_parse_month(o->month, &o->req.year, &o->req.month) &&
         (!o->part_given || o->req.format == REPORT_CSV);
    if (!ok) {
        fprintf(stderr, "directline report: bad arguments; see directline report --help\n");
        return 2;
    }
    return -1;
}

static bool write_out(const char *path, const char *doc, size_t len)
{
    FILE *f = path ? fopen(path, "wb") : stdout;
    if (!f)
        return false;
    bool ok = fwrite(doc, 1, len, f) == len;
    if (path)
        ok = fclose(f) == 0 && ok;
    else
        ok = fflush(f) == 0 && ok;
    return ok;
}

int cli_report(int argc, char **argv)
{
    struct report_options o = {.req = {.format = REPORT_JSON, .part = REPORT_PART_ISSUES,
                                       .now = report_clock_now()}};
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0)
        return rc;
    struct db *db = cli_connect();
    if (!db)
        return 1;
    struct error err = {0};
    /* A second connection lets the report read on two at once; without one it is slower,
     * not wrong. */
    struct db *helper = db_connect_optional(getenv("DATABASE_URL"));
    db_act_as_system(db, DB_CONTEXT_REPORT);
    if (helper)
        db_act_as_system(helper, DB_CONTEXT_REPORT);
    struct report_document doc = {0};
    rc = 1;
    if (o.now && !cli_parse_time(db, o.now, &o.req.now))
        fprintf(stderr, "directline report: --now %s is not a time\n", o.now);
    else if (!report_produce(db, helper, &o.req, true, &doc, &err))
        fprintf(stderr, "directline report: %s\n", err.message);
    else if (!write_out(o.out, doc.text, doc.len))
        fprintf(stderr, "directline report: cannot write %s\n", o.out ? o.out : "the output");
    else
        rc = 0;
    report_document_free(&doc);
    db_close(helper);
    db_close(db);
    return rc;
}
