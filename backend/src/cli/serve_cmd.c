/* serve_cmd.c -- `directline serve`: start the pool and the HTTP server, then wait for
 * SIGTERM or SIGINT and shut down in order (stop accepting, finish, close the pool). */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api/exchange.h"
#include "cli/cli.h"
#include "db/pool.h"
#include "http/server.h"
#include "jobs/sweep.h"
#include "util/log.h"

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_THREADS 8
#define DEFAULT_SPARE_CONNECTIONS 2
#define DEFAULT_SESSION_HOURS 12
#define DEFAULT_MAX_UPLOADS 8

static void usage(void)
{
    printf("usage: directline serve [--listen HOST:PORT] [--threads N] [--spare-connections N]\n"
           "                       [--web-dir DIR] [--migrate]\n\n"
           "Serves the HTTP API and the browser app. The database is $DATABASE_URL, with a\n"
           "role that owns no table; --migrate migrates as $DATABASE_OWNER_URL.\n"
           "  --listen HOST:PORT  where to listen (default $DIRECTLINE_LISTEN or " DEFAULT_LISTEN ")\n"
           "  --web-dir DIR       the browser app's files (default $DIRECTLINE_WEB_DIR, else\n"
           "                      the source tree's backend/web when it is there)\n"
           "  --threads N         worker threads and database connections (default %d)\n"
           "  --spare-connections N\n"
           "                      extra connections on which monthly reports read in\n"
           "                      parallel (default %d; 0: each reads on one connection)\n"
           "  --max-uploads N     file uploads in progress at once; more are answered 503\n"
           "                      (default $DIRECTLINE_MAX_UPLOADS or 8)\n"
           "  --migrate           apply missing migrations before serving\n"
           "Sessions last $DIRECTLINE_SESSION_HOURS hours after their last use (default %d).\n"
           "The SLA sweep runs every $DIRECTLINE_SWEEP_SECONDS seconds (default %d, 0: off),\n"
           "closing resolutions after $DIRECTLINE_AUTO_CLOSE_DAYS days (default %d).\n"
           "Stops cleanly on SIGTERM or SIGINT.\n", DEFAULT_THREADS, DEFAULT_SPARE_CONNECTIONS,
           DEFAULT_SESSION_HOURS,
           SWEEP_DEFAULT_INTERVAL_SECONDS, SWEEP_DEFAULT_AUTO_CLOSE_DAYS);
}

struct serve_options {
    const char *listen;
    const char *web_dir;      /* NULL: serve the API only */
    int threads, spare_connections;
    int max_uploads;
    bool migrate;
};

/* $DIRECTLINE_WEB_DIR (which must then be readable), else the source tree's app if this
 * binary still sits beside it; an installed server without either serves the API only. */
static const char *default_web_dir(void)
{
    const char *dir = getenv("DIRECTLINE_WEB_DIR");
    if (dir && dir[0])
        return dir;
    struct stat st;
    if (stat(DIRECTLINE_SOURCE_DIR "/backend/web/index.html", &st) == 0)
        return DIRECTLINE_SOURCE_DIR "/backend/web";
    log_warn("no browser app: set DIRECTLINE_WEB_DIR or --web-dir; serving the API only");
    return NULL;
}

static int parse_options(int argc, char **argv, struct serve_options *o)
{
    static const struct option longopts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"spare-connections", required_argument, NULL, 's'},
        {"migrate", no_argument, NULL, 'm'},
        {"web-dir", required_argument, NULL, 'w'},
        {"max-uploads", required_argument, NULL, 'u'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *env_listen = getenv("DIRECTLINE_LISTEN");
    o->listen = env_listen && env_listen[0] ? env_listen : DEFAULT_LISTEN;
    o->threads = cli_env_int("DIRECTLINE_THREADS", DEFAULT_THREADS, 1, 256);
    o->spare_connections = DEFAULT_SPARE_CONNECTIONS;
    o->max_uploads = cli_env_int("DIRECTLINE_MAX_UPLOADS", DEFAULT_MAX_UPLOADS, 1, 1000);
    int c;
    while ((c = getopt_long(argc, argv, "l:t:s:mw:u:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'l': o->listen = optarg; break;
        case 't': o->threads = atoi(optarg); break;
        case 's': o->spare_connections = atoi(optarg); break;
        case 'm': o->migrate = true; break;
        case 'w': o->web_dir = optarg; break;
        case 'u': o->max_uploads = atoi(optarg); break;
        case 'h': usage(); return 0;
        default: return 2;
        }
    }
    if (optind < argc || o->threads < 1 || o->threads > 256 || o->spare_connections < 0 ||
        o->spare_connections > 64 || o->max_uploads < 1 || o->max_uploads > 1000) {
        fprintf(stderr, "directline serve: bad arguments; see directline serve --help\n");
        return 2;
    }
    if (!o->web_dir)
        o->web_dir = default_web_dir();
    return -1;
}

static bool migrate_first(void)
{
    return cli_migrate_as_owner();
}

int cli_serve(int argc, char **argv)
{
    struct serve_options o = {0};
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0)
        return rc;
    const char *url = getenv("DATABASE_URL");
    if (!url || !url[0]) {
        fprintf(stderr, "directline serve: DATABASE_URL is not set\n");
        return 1;
    }
    if (o.migrate && !migrate_first())
        return 1;
    cli_check_app_role(url);

    /* Block the stop signals in every thread (the server's inherit this mask), and take
     * them synchronously here. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct app app = {
        .pool = db_pool_create(url, o.threads, o.spare_connections),
        .session_ttl_seconds = cli_env_int("DIRECTLINE_SESSION_HOURS", DEFAULT_SESSION_HOURS,
                                       1, 24 * 365) * 3600,
        .secure_cookies = getenv("DIRECTLINE_SECURE_COOKIES") != NULL,
    };
    struct server_config config = {.listen = o.listen, .threads = o.threads,
                                   .web_dir = o.web_dir, .max_uploads = o.max_uploads,
                                   .app = &app};
    struct http_server *server = http_server_start(&config);
    if (!server) {
        db_pool_destroy(app.pool);
        return 1;
    }
    struct sweeper *sweeper = sweeper_start(
        url, cli_env_int("DIRECTLINE_SWEEP_SECONDS", SWEEP_DEFAULT_INTERVAL_SECONDS, 0, 86400),
        cli_env_int("DIRECTLINE_AUTO_CLOSE_DAYS", SWEEP_DEFAULT_AUTO_CLOSE_DAYS, 1, 3650));
    int sig = 0;
    sigwait(&stop_signals, &sig);
    log_info("received %s, stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    sweeper_stop(sweeper);
    http_server_stop(server);
    db_pool_destroy(app.pool);
    log_info("stopped");
    return 0;
}
