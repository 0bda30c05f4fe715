/* sweep_cmd.c -- `directline sweep`: one pass of the SLA sweep, for cron or by hand. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli/cli.h"
#include "jobs/sweep.h"

static void usage(void)
{
    printf("usage: directline sweep [--now TIME] [--auto-close-days N]\n\n"
           "One pass of the SLA sweep on $DATABASE_URL: escalates open issues past a due\n"
           "time (first response: level 1; resolution: level 2), and closes resolved issues\n"
           "the school neither confirmed nor reopened within N days (default\n"
           "$DIRECTLINE_AUTO_CLOSE_DAYS or %d). Skips the pass if another process is sweeping.\n"
           "  --now TIME   the sweep's clock, e.g. 2026-11-30T09:00:00+07:00 (tests, replays)\n",
           SWEEP_DEFAULT_AUTO_CLOSE_DAYS);
}

int cli_sweep(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"now", required_argument, NULL, 'n'},
        {"auto-close-days", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *now_text = NULL;
    int days = cli_env_int("DIRECTLINE_AUTO_CLOSE_DAYS", SWEEP_DEFAULT_AUTO_CLOSE_DAYS, 1, 3650);
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'n': now_text = optarg; break;
        case 'd': days = atoi(optarg); break;
        case 'h': usage(); return 0;
        default: return 2;
        }
    }
    if (optind < argc || days < 1 || days > 3650) {
        fprintf(stderr, "directline sweep: bad arguments; see directline sweep --help\n");
        return 2;
    }
    struct db *db = cli_connect();
    if (!db)
        return 1;
    int64_t now = (int64_t)time(NULL);
    struct error err = {0};
    struct sweep_result r;
    int rc = 1;
    if (now_text && !cli_parse_time(db, now_text, &now))
        fprintf(stderr, "directline sweep: --now %s is not a time\n", now_text);
    else if (!sweep_run(db, now, days, NULL, &r, &err))
        fprintf(stderr, "directline sweep: %s\n", err.message);
    else {
        if (r.skipped)
            printf("sweep: skipped, another process is sweeping\n");
        else
            printf("sweep: %d escalated, %d closed automatically, %d decisions falling due"
                   " told, %d schools reminded of directives\n", r.escalated, r.closed,
                   r.decisions_due, r.directives_reminded);
        rc = 0;
    }
    db_close(db);
    return rc;
}
