/* demo_cmd.c -- `directline demo`: load the Ha Tinh demo data (sql/demo/hatinh_demo.sql)
 * into a migrated, empty database, in one transaction. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db_context.h"
#include "jobs/sweep.h"
#include "util/file.h"
#include "util/secret.h"
#include "util/xalloc.h"

#define DEMO_PASSWORD "hatinh-demo-2026"

/* The issue history, its co-signatures, the admin audit log and the attachments (only ever hidden) are
 * append-only even for us: --force may only wipe them by switching their guards off
 * inside the same transaction that reloads everything. CASCADE: tables added later that
 * point at these are emptied with them; notifications and webhook deliveries name them
 * without a key (0022), so they are listed. */
static const char WIPE_SQL[] =
    "ALTER TABLE issue_events DISABLE TRIGGER USER;"
    "ALTER TABLE issue_cosigns DISABLE TRIGGER USER;"
    "ALTER TABLE admin_events DISABLE TRIGGER USER;"
    "ALTER TABLE attachments DISABLE TRIGGER USER;"
    "ALTER TABLE attachment_contents DISABLE TRIGGER USER;"
    "TRUNCATE attachment_contents, attachments, issue_events, issue_cosigns, issue_states,"
    " admin_events, notifications, webhook_deliveries, webhooks, decision_events,"
    " decision_issues, decisions, meeting_agenda, meetings, practice_attachments, practices,"
    " directive_schools, directive_clusters, directives,"
    " issues, sessions, users, categories, divisions, schools, clusters"
    " RESTART IDENTITY CASCADE;"
    "SELECT dl_issue_ref_reset();"
    "ALTER TABLE attachment_contents ENABLE TRIGGER USER;"
    "ALTER TABLE attachments ENABLE TRIGGER USER;"
    "ALTER TABLE admin_events ENABLE TRIGGER USER;"
    "ALTER TABLE issue_cosigns ENABLE TRIGGER USER;"
    "ALTER TABLE issue_events ENABLE TRIGGER USER;";

/* The script reads its settings from the transaction: the password hash, the demo's
 * clock (the stories end just before it, and every SLA breach before it is already
 * escalated) and the sweep's auto-close delay (resolutions older than that are already
 * closed), so that the server's first sweep finds nothing left to do. */
static const char SETTINGS_SQL[] =
    "SELECT set_config('directline.demo_password_hash', $1, true),"
    " set_config('directline.demo_now',"
    "            coalesce(to_timestamp($2::bigint), now())::text, true),"
    " set_config('directline.demo_auto_close_days', $3, true)";

static void usage(void)
{
    printf("usage: directline demo [--force] [--now TIME]\n\n"
           "Loads the Ha Tinh demo data (12 clusters, 250 schools, users, categories, about\n"
           "600 issues with histories) into the migrated database, as its owner\n"
           "($DATABASE_OWNER_URL, else $DATABASE_URL).\n"
           "Refuses when the database already holds schools; --force first deletes ALL\n"
           "data (issues, history, users, schools) and then loads the demo.\n"
           "The stories end just before the demo's clock (default: now), with the SLA\n"
           "sweep's escalations and automatic closes (after $DIRECTLINE_AUTO_CLOSE_DAYS or\n"
           "%d days) already in them; the same clock always gives the same data.\n"
           "  --now TIME   the demo's clock, e.g. 2026-11-30T09:00:00+07:00 (tests)\n"
           "Every demo user's password is " DEMO_PASSWORD ".\n",
           SWEEP_DEFAULT_AUTO_CLOSE_DAYS);
}

static bool holds_schools(struct db *db, bool *holds, struct error *err)
{
    struct db_rows *rows = db_query(db, "SELECT EXISTS (SELECT 1 FROM schools) AS holds",
                                    0, NULL, err);
    if (!rows)
        return false;
    *holds = db_rows_bool(rows, 0, "holds");
    db_rows_free(rows);
    return true;
}

static bool load(struct db *db, bool wipe, const char *script, const int64_t *now,
                 int auto_close_days, struct error *err)
{
    char hash[SECRET_HASH_SIZE], clock[24], days[16];
    if (!secret_hash_password(DEMO_PASSWORD, hash))
        return error_set(err, ERR_INTERNAL, "cannot hash the demo password");
    if (now)
        snprintf(clock, sizeof clock, "%lld", (long long)*now);
    snprintf(days, sizeof days, "%d", auto_close_days);
    const char *params[] = {hash, now ? clock : NULL, days};
    struct db_rows *set = NULL;
    bool ok = db_begin(db, err) && (!wipe || db_exec(db, WIPE_SQL, err)) &&
              (set = db_query(db, SETTINGS_SQL, 3, params, err)) != NULL &&
              db_exec(db, script, err) && db_commit(db, err);
    db_rows_free(set);
    if (!ok)
        db_rollback(db);
    return ok;
}

static void print_summary(struct db *db)
{
    struct error err = {0};
    struct db_rows *rows = db_query(db,
        "SELECT (SELECT count(*) FROM clusters) AS clusters, (SELECT count(*) FROM schools) AS schools,"
        " (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM categories) AS categories,"
        " (SELECT count(*) FROM issues) AS issues, (SELECT count(*) FROM issue_events) AS events",
        0, NULL, &err);
    if (!rows)
        return;
    printf("demo loaded: %s clusters, %s schools, %s users, %s categories, %s issues, %s events\n",
           db_rows_get(rows, 0, "clusters"), db_rows_get(rows, 0, "schools"),
           db_rows_get(rows, 0, "users"), db_rows_get(rows, 0, "categories"),
           db_rows_get(rows, 0, "issues"), db_rows_get(rows, 0, "events"));
    printf("logins (password " DEMO_PASSWORD "):\n"
           "  principals       ht.th001 ... ht.th250   (school TH001 ... TH250)\n"
           "  cluster leaders  ct.cm01 ... ct.cm12\n"
           "  officers         cb.gdth1, cb.tccb1, cb.khtc1, cb.ttr1, cb.csvc1, cb.vp1, ...\n"
           "  supervisors      giamsat1, giamsat2\n"
           "  admin            admin\n");
    db_rows_free(rows);
}

int cli_demo(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"force", no_argument, NULL, 'f'},
        {"now", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool force = false;
    const char *now_text = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': force = true; break;
        case 'n': now_text = optarg; break;
        case 'h': usage(); return 0;
        default: return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "directline demo: bad arguments; see directline demo --help\n");
        return 2;
    }
    /* The same delay the server's sweep will use, so it finds no resolution to close. */
    int days = cli_env_int("DIRECTLINE_AUTO_CLOSE_DAYS", SWEEP_DEFAULT_AUTO_CLOSE_DAYS, 1, 3650);
    char *path = xasprintf("%s/demo/hatinh_demo.sql", cli_sql_dir());
    char *script = file_read_all(path, NULL);
    /* As the owner: --force switches the history's guards off to wipe it. */
    struct db *db = script ? cli_connect_owner() : NULL;
    if (db)
        db_act_as_system(db, DB_CONTEXT_DEMO);
    struct error err = {0};
    bool holds = false;
    int64_t now = 0;
    int rc = 1;
    if (!script)
        fprintf(stderr, "directline demo: cannot read %s\n", path);
    else if (db && now_text && !cli_parse_time(db, now_text, &now))
        fprintf(stderr, "directline demo: --now %s is not a time\n", now_text);
    else if (db && holds_schools(db, &holds, &err) && holds && !force)
        fprintf(stderr, "directline demo: the database already holds schools; not loading the"
                        " demo over them (use --force to delete all data and reload)\n");
    else if (db && !error_is_set(&err) &&
             load(db, holds, script, now_text ? &now : NULL, days, &err)) {
        print_summary(db);
        rc = 0;
    } else if (db)
        fprintf(stderr, "directline demo: %s\n", err.message[0] ? err.message : "failed");
    db_close(db);
    free(script);
    free(path);
    return rc;
}
