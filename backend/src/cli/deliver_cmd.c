/* deliver_cmd.c -- `directline deliver`: the delivery worker (notification emails and
 * webhooks), run beside the server (one or several: they share the work). Stops after
 * the message in hand on SIGTERM or SIGINT. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "jobs/deliver.h"
#include "jobs/webhook_deliver.h"
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
           "Posts the webhook deliveries that are due, and sends the notification emails\n"
           "that are due (docs/notifications.md) through the SMTP server of\n"
           "$DIRECTLINE_SMTP_URL (smtp://host:port or smtps://host:port) from\n"
           "$DIRECTLINE_SMTP_FROM (without these two, emails wait); links go to\n"
           "$DIRECTLINE_PUBLIC_URL. A login from $DIRECTLINE_SMTP_USER and\n"
           "$DIRECTLINE_SMTP_PASSWORD if set (TLS is then required). A failed message is\n"
           "tried again later (a minute, doubling, up to ten tries).\n"
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

static const char *optional_env(const char *name)
{
    const char *value = getenv(name);
    return value && value[0] ? value : NULL;
}

/* Emails go when the SMTP server and the sender are both set; webhooks always. */
static bool read_config(struct deliver_config *cfg)
{
    cfg->smtp.url = optional_env("DIRECTLINE_SMTP_URL");
    cfg->from = optional_env("DIRECTLINE_SMTP_FROM");
    if (!cfg->smtp.url != !cfg->from) {
        fprintf(stderr, "directline deliver: set both DIRECTLINE_SMTP_URL and"
                        " DIRECTLINE_SMTP_FROM, or neither (no emails)\n");
        return false;
    }
    cfg->public_url = required_env("DIRECTLINE_PUBLIC_URL");
    cfg->smtp.user = optional_env("DIRECTLINE_SMTP_USER");
    cfg->smtp.password = getenv("DIRECTLINE_SMTP_PASSWORD");
    cfg->smtp.require_tls = cfg->smtp.user != NULL;   /* never a password in the clear */
    cfg->smtp.timeout_seconds = 60;
    cfg->people_per_claim = 20;
    cfg->lease_seconds = 300;
    return cfg->public_url != NULL;
}

/* The emails' pass (when configured), then the webhooks'. */
static bool pass(struct db *db, const struct deliver_config *cfg, struct deliver_counts *n,
                 struct error *err)
{
    if (cfg->smtp.url && !deliver_pass(db, cfg, n, err))
        return false;
    return webhook_pass(db, cfg, n, err);
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
        bool ok = pass(db, cfg, &n, &err);
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
