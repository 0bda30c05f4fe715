/* deliver_cmd.c -- `directline deliver`: the notification email worker, run beside the
 * server (one or several: they share the work). Stops after the message in hand on
 * SIGTERM or SIGINT. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "jobs/deliver.h"
#include "util/log.h"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static void usage(void)
{
    printf("usage: directline deliver [--once] [--interval SECONDS]\n\n"
           "Sends the notification emails that are due (docs/notifications.md) through the\n"
           "SMTP server of $DIRECTLINE_SMTP_URL (smtp://host:port or smtps://host:port),\n"
           "from $DIRECTLINE_SMTP_FROM, with links to $DIRECTLINE_PUBLIC_URL; a login from\n"
           "$DIRECTLINE_SMTP_USER and $DIRECTLINE_SMTP_PASSWORD if set (TLS is then required).\n"
           "A failed message is tried again later (a minute, doubling, up to ten tries).\n"
           "  --once              one pass, then exit (cron, tests)\n"
           "  --interval SECONDS  the wait when nothing is due (default 10)\n");
}

static const char *required_env(const char *name)
{
    const char *value = getenv(name);
    if (value && value[0])
        return value;
    fprintf(stderr, "directline deliver: %s is not set (see directline deliver --help)\n", name);
    return NULL;
}

static bool read_config(struct deliver_config *cfg)
{
    cfg->smtp.url = required_env("DIRECTLINE_SMTP_URL");
    cfg->from = required_env("DIRECTLINE_SMTP_FROM");
    cfg->public_url = required_env("DIRECTLINE_PUBLIC_URL");
    const char *user = getenv("DIRECTLINE_SMTP_USER");
    cfg->smtp.user = user && user[0] ? user : NULL;
    cfg->smtp.password = getenv("DIRECTLINE_SMTP_PASSWORD");
    cfg->smtp.require_tls = cfg->smtp.user != NULL;   /* never a password in the clear */
    cfg->smtp.timeout_seconds = 60;
    cfg->people_per_claim = 20;
    cfg->lease_seconds = 300;
    return cfg->smtp.url && cfg->from && cfg->public_url;
}

/* Waits up to `seconds`, waking at once when asked to stop. */
static void pause_for(int seconds)
{
    for (int i = 0; i < seconds * 10 && !stopping; i++)
        nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
}

/* One pass, or (forever) a pass and a pause when nothing was due. After a database
 * failure the connection is made anew, in case it was the connection that failed. */
static int run(const struct deliver_config *cfg, bool once, int interval)
{
    struct db *db = cli_connect();
    if (!db)
        return 1;
    int rc = 0;
    while (!stopping) {
        struct deliver_counts n = {0};
        struct error err = {0};
        bool ok = deliver_pass(db, cfg, &n, &err);
        if (n.sent || n.failed || n.given_up)
            log_info("deliver: %d sent, %d to try again, %d given up", n.sent, n.failed,
                     n.given_up);
        if (!ok) {
            log_error("deliver: %s", err.message);
            rc = 1;
        }
        if (once)
            break;
        if (!ok || !(n.sent || n.failed || n.given_up))
            pause_for(interval);
        if (!ok) {
            db_close(db);
            while (!(db = cli_connect()) && !stopping)
                pause_for(interval);
        }
    }
    db_close(db);
    return once ? rc : 0;
}

int cli_deliver(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"once", no_argument, NULL, 'o'},
        {"interval", required_argument, NULL, 'i'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool once = false;
    int interval = 10, c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': once = true; break;
        case 'i': interval = atoi(optarg); break;
        case 'h': usage(); return 0;
        default: return 2;
        }
    }
    struct deliver_config cfg = {0};
    if (optind < argc || interval < 1 || interval > 3600) {
        fprintf(stderr, "directline deliver: bad arguments; see directline deliver --help\n");
        return 2;
    }
    if (!read_config(&cfg))
        return 2;
    if (!smtp_init()) {
        fprintf(stderr, "directline deliver: libcurl failed to initialise\n");
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    return run(&cfg, once, interval);
}
