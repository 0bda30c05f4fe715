/* serve_cmd.c -- `directline serve`: start the pool and the HTTP server, then wait for
 * SIGTERM or SIGINT and shut down in order (stop accepting, finish, close the pool). */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <limits.h>

#include "api/exchange.h"
#include "cli/cli.h"
#include "cli/serve_memory.h"
#include "db/pool.h"
#include "http/server.h"
#include "jobs/sweep.h"
#include "util/file.h"
#include "util/log.h"

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_THREADS 8
#define DEFAULT_SPARE_CONNECTIONS 2
#define DEFAULT_SESSION_HOURS 12
#define DEFAULT_SESSION_IDLE_MINUTES 30
#define DEFAULT_MAX_UPLOADS 8
#define MAX_SESSION_MINUTES (24 * 365 * 60)

static void usage(void)
{
    printf("usage: directline serve [--listen HOST:PORT] [--threads N] [--spare-connections N]\n"
           "                       [--web-dir DIR] [--migrate] [--tls-cert FILE --tls-key FILE]\n"
           "                       [--trusted-proxy ADDR[,ADDR...]] [connection limits]\n\n"
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
           "  --session-idle-minutes N\n"
           "                      a session unused this long ends (default\n"
           "                      $DIRECTLINE_SESSION_IDLE_MINUTES or %d)\n"
           "  --session-hours N   a session ends this long after the sign-in, however it is\n"
           "                      used (default $DIRECTLINE_SESSION_HOURS or %d)\n"
           "  --sign-in-queue N   sign-ins waiting for their password check; more are\n"
           "                      answered 503 (default $DIRECTLINE_SIGN_IN_QUEUE or %d)\n"
           "  --migrate           apply missing migrations before serving\n"
           "HTTPS and proxies:\n"
           "  --tls-cert FILE     serve HTTPS with this PEM certificate (chain), together with\n"
           "  --tls-key FILE      this PEM private key ($DIRECTLINE_TLS_CERT, $DIRECTLINE_TLS_KEY)\n"
           "  --trusted-proxy ADDR[,ADDR...]\n"
           "                      reverse proxies (addresses or ADDR/PREFIX networks) whose\n"
           "                      X-Forwarded-For and X-Forwarded-Proto are believed, and\n"
           "                      which the per-address cap spares (also\n"
           "                      $DIRECTLINE_TRUSTED_PROXIES; may be repeated)\n"
           "Slow and numerous clients:\n"
           "  --max-connections N open connections in all (default $DIRECTLINE_MAX_CONNECTIONS\n"
           "                      or %d; the open-file limit is raised to fit)\n"
           "  --max-connections-per-address N\n"
           "                      open connections from one client address, trusted proxies\n"
           "                      excepted (default $DIRECTLINE_MAX_CONNECTIONS_PER_ADDRESS\n"
           "                      or %d; 0: no cap)\n"
           "  --head-timeout S    seconds to send a request's line and headers, counted from\n"
           "                      the connection's start or the previous answer (default\n"
           "                      $DIRECTLINE_HEAD_TIMEOUT or %d)\n"
           "  --body-grace S      seconds before a request body's rate is judged (default\n"
           "                      $DIRECTLINE_BODY_GRACE or %d)\n"
           "  --min-body-rate B   bytes per second a body must average after the grace,\n"
           "                      else the connection is closed (default\n"
           "                      $DIRECTLINE_MIN_BODY_RATE or %d; 0: no minimum)\n"
           "The SLA sweep runs every $DIRECTLINE_SWEEP_SECONDS seconds (default %d, 0: off),\n"
           "closing resolutions after $DIRECTLINE_AUTO_CLOSE_DAYS days (default %d).\n"
           "Stops cleanly on SIGTERM or SIGINT.\n", DEFAULT_THREADS, DEFAULT_SPARE_CONNECTIONS,
           DEFAULT_SESSION_IDLE_MINUTES, DEFAULT_SESSION_HOURS, HTTP_SIGN_IN_QUEUE_DEFAULT,
           HTTP_DEFAULT_MAX_CONNECTIONS, HTTP_DEFAULT_PER_ADDRESS, HTTP_DEFAULT_HEAD_TIMEOUT,
           HTTP_DEFAULT_BODY_GRACE, HTTP_DEFAULT_MIN_BODY_RATE,
           SWEEP_DEFAULT_INTERVAL_SECONDS, SWEEP_DEFAULT_AUTO_CLOSE_DAYS);
}

struct serve_options {
    const char *listen;
    const char *web_dir;      /* NULL: serve the API only */
    int threads, spare_connections;
    int max_uploads;
    int session_idle_minutes, session_hours, sign_in_queue;
    bool migrate;
    const char *tls_cert, *tls_key;
    int max_connections, per_address, head_timeout, body_grace, min_body_rate;
    struct trusted_proxies proxies;
};

enum { OPT_TLS_CERT = 256, OPT_TLS_KEY, OPT_PROXY, OPT_MAX_CONN, OPT_PER_ADDRESS,
       OPT_HEAD_TIMEOUT, OPT_BODY_GRACE, OPT_MIN_BODY_RATE };

static bool add_proxies(struct trusted_proxies *tp, const char *list)
{
    char bad[64];
    if (trusted_proxies_parse(list, tp, bad, sizeof bad))
        return true;
    fprintf(stderr, "directline serve: \"%s\" is not a proxy address (ADDR or ADDR/PREFIX, "
            "at most %d)\n", bad, TRUSTED_PROXIES_MAX);
    return false;
}

/* A whole decimal number in [min, max] into *out; false otherwise. */
static bool int_arg(const char *text, int min, int max, int *out)
{
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (!text[0] || *end || v < min || v > max)
        return false;
    *out = (int)v;
    return true;
}

static void option_defaults(struct serve_options *o)
{
    const char *env_listen = getenv("DIRECTLINE_LISTEN");
    o->listen = env_listen && env_listen[0] ? env_listen : DEFAULT_LISTEN;
    o->threads = cli_env_int("DIRECTLINE_THREADS", DEFAULT_THREADS, 1, 256);
    o->spare_connections = DEFAULT_SPARE_CONNECTIONS;
    o->max_uploads = cli_env_int("DIRECTLINE_MAX_UPLOADS", DEFAULT_MAX_UPLOADS, 1, 1000);
    o->tls_cert = getenv("DIRECTLINE_TLS_CERT");
    o->tls_key = getenv("DIRECTLINE_TLS_KEY");
    o->max_connections = cli_env_int("DIRECTLINE_MAX_CONNECTIONS", HTTP_DEFAULT_MAX_CONNECTIONS,
                                     16, 1000000);
    o->per_address = cli_env_int("DIRECTLINE_MAX_CONNECTIONS_PER_ADDRESS",
                                 HTTP_DEFAULT_PER_ADDRESS, 0, 1000000);
    o->head_timeout = cli_env_int("DIRECTLINE_HEAD_TIMEOUT", HTTP_DEFAULT_HEAD_TIMEOUT, 1, 3600);
    o->body_grace = cli_env_int("DIRECTLINE_BODY_GRACE", HTTP_DEFAULT_BODY_GRACE, 1, 3600);
    o->min_body_rate = cli_env_int("DIRECTLINE_MIN_BODY_RATE", HTTP_DEFAULT_MIN_BODY_RATE, 0,
                                   INT_MAX);
    o->session_idle_minutes = cli_env_int("DIRECTLINE_SESSION_IDLE_MINUTES",
                                          DEFAULT_SESSION_IDLE_MINUTES, 1, MAX_SESSION_MINUTES);
    o->session_hours = cli_env_int("DIRECTLINE_SESSION_HOURS", DEFAULT_SESSION_HOURS, 1,
                                   MAX_SESSION_MINUTES / 60);
    o->sign_in_queue = cli_env_int("DIRECTLINE_SIGN_IN_QUEUE", HTTP_SIGN_IN_QUEUE_DEFAULT, 1,
                                   100000);
}

/* The long-only options about connections and TLS; false on a bad value. */
static bool connection_option(int c, const char *arg, struct serve_options *o)
{
    switch (c) {
    case OPT_TLS_CERT: o->tls_cert = arg; return true;
    case OPT_TLS_KEY: o->tls_key = arg; return true;
    case OPT_PROXY: return add_proxies(&o->proxies, arg);
    case OPT_MAX_CONN: return int_arg(arg, 16, 1000000, &o->max_connections);
    case OPT_PER_ADDRESS: return int_arg(arg, 0, 1000000, &o->per_address);
    case OPT_HEAD_TIMEOUT: return int_arg(arg, 1, 3600, &o->head_timeout);
    case OPT_BODY_GRACE: return int_arg(arg, 1, 3600, &o->body_grace);
    case OPT_MIN_BODY_RATE: return int_arg(arg, 0, INT_MAX, &o->min_body_rate);
    default: return false;
    }
}

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
        {"tls-cert", required_argument, NULL, OPT_TLS_CERT},
        {"tls-key", required_argument, NULL, OPT_TLS_KEY},
        {"trusted-proxy", required_argument, NULL, OPT_PROXY},
        {"max-connections", required_argument, NULL, OPT_MAX_CONN},
        {"max-connections-per-address", required_argument, NULL, OPT_PER_ADDRESS},
        {"head-timeout", required_argument, NULL, OPT_HEAD_TIMEOUT},
        {"body-grace", required_argument, NULL, OPT_BODY_GRACE},
        {"min-body-rate", required_argument, NULL, OPT_MIN_BODY_RATE},
        {"session-idle-minutes", required_argument, NULL, 'i'},
        {"session-hours", required_argument, NULL, 'H'},
        {"sign-in-queue", required_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    option_defaults(o);
    const char *env_proxies = getenv("DIRECTLINE_TRUSTED_PROXIES");
    if (env_proxies && !add_proxies(&o->proxies, env_proxies))
        return 2;
    int c;
    bool ok = true;
    while (ok && (c = getopt_long(argc, argv, "l:t:s:mw:u:i:H:q:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'l': o->listen = optarg; break;
        case 't': o->threads = atoi(optarg); break;
        case 's': o->spare_connections = atoi(optarg); break;
        case 'm': o->migrate = true; break;
        case 'w': o->web_dir = optarg; break;
        case 'u': o->max_uploads = atoi(optarg); break;
        case 'i': o->session_idle_minutes = atoi(optarg); break;
        case 'H': o->session_hours = atoi(optarg); break;
        case 'q': o->sign_in_queue = atoi(optarg); break;
        case 'h': usage(); return 0;
        case '?': return 2;
        default: ok = connection_option(c, optarg, o); break;
        }
    }
    bool half_tls = (o->tls_cert && o->tls_cert[0]) != (o->tls_key && o->tls_key[0]);
    if (!ok || half_tls || optind < argc || o->threads < 1 || o->threads > 256 ||
        o->spare_connections < 0 || o->spare_connections > 64 || o->max_uploads < 1 ||
        o->max_uploads > 1000 || o->session_idle_minutes < 1 ||
        o->session_idle_minutes > MAX_SESSION_MINUTES || o->session_hours < 1 ||
        o->session_hours > MAX_SESSION_MINUTES / 60 || o->sign_in_queue < 1 ||
        o->sign_in_queue > 100000) {
        fprintf(stderr, "directline serve: bad arguments%s; see directline serve --help\n",
                half_tls ? " (--tls-cert and --tls-key go together)" : "");
        return 2;
    }
    if (!o->web_dir)
        o->web_dir = default_web_dir();
    return -1;
}

/* Frees text that held a secret (the TLS key) after overwriting it. */
static void wipe_free(char *text)
{
    if (!text)
        return;
    sodium_memzero(text, strlen(text));
    free(text);
}

/* Both PEM files read, or neither given; false with a message when one cannot be read. */
static bool read_tls_files(const struct serve_options *o, char **cert, char **key)
{
    *cert = *key = NULL;
    if (!o->tls_cert || !o->tls_cert[0])
        return true;
    *cert = file_read_all(o->tls_cert, NULL);
    *key = file_read_all(o->tls_key, NULL);
    if (*cert && *key)
        return true;
    fprintf(stderr, "directline serve: cannot read %s\n", *cert ? o->tls_key : o->tls_cert);
    free(*cert);
    wipe_free(*key);
    *cert = *key = NULL;
    return false;
}

static bool migrate_first(void)
{
    return cli_migrate_as_owner();
}

/* Waits for SIGTERM or SIGINT and returns it. Meanwhile, once a minute, gives the
 * allocator's free pages back to the system (after a burst, such as a large report). */
static int wait_for_stop(const sigset_t *stop_signals)
{
    const struct timespec minute = {.tv_sec = 60};
    for (;;) {
        int sig = sigtimedwait(stop_signals, NULL, &minute);
        if (sig > 0)
            return sig;
        if (errno == EAGAIN)
            serve_memory_trim();
    }
}

int cli_serve(int argc, char **argv)
{
    struct serve_options o = {0};
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0)
        return rc;
    serve_memory_tune();
    const char *url = getenv("DATABASE_URL");
    if (!url || !url[0]) {
        fprintf(stderr, "directline serve: DATABASE_URL is not set\n");
        return 1;
    }
    if (o.migrate && !migrate_first())
        return 1;
    cli_check_app_role(url);
    char *tls_cert = NULL, *tls_key = NULL;
    if (!read_tls_files(&o, &tls_cert, &tls_key))
        return 1;

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
        .session_idle_seconds = o.session_idle_minutes * 60,
        .session_max_seconds = o.session_hours * 3600,
    };
    struct server_config config = {
        .listen = o.listen, .threads = o.threads,
        .db_connections = o.threads + o.spare_connections, .web_dir = o.web_dir,
        .max_uploads = o.max_uploads, .sign_in_queue = o.sign_in_queue,
        .max_connections = o.max_connections,
        .per_address_limit = o.per_address, .head_timeout_seconds = o.head_timeout,
        .body_grace_seconds = o.body_grace, .min_body_rate = o.min_body_rate,
        .proxies = o.proxies, .tls_cert_pem = tls_cert, .tls_key_pem = tls_key, .app = &app};
    struct http_server *server = http_server_start(&config);
    /* GnuTLS holds the key now; the PEM text is not left behind in freed memory. */
    wipe_free(tls_key);
    free(tls_cert);
    if (!server) {
        db_pool_destroy(app.pool);
        return 1;
    }
    struct sweeper *sweeper = sweeper_start(
        url, cli_env_int("DIRECTLINE_SWEEP_SECONDS", SWEEP_DEFAULT_INTERVAL_SECONDS, 0, 86400),
        cli_env_int("DIRECTLINE_AUTO_CLOSE_DAYS", SWEEP_DEFAULT_AUTO_CLOSE_DAYS, 1, 3650));
    int sig = wait_for_stop(&stop_signals);
    log_info("received %s, stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    sweeper_stop(sweeper);
    http_server_stop(server);
    db_pool_destroy(app.pool);
    log_info("stopped");
    return 0;
}
