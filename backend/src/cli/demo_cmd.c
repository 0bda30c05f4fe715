/* demo_cmd.c -- `directline demo`: load the Ha Tinh demo data (sql/demo/hatinh_demo.sql)
 * into a migrated, empty database, in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/file.h"
#include "util/secret.h"
#include "util/xalloc.h"

#define DEMO_PASSWORD "hatinh-demo-2026"

/* The history is append-only even for us: --force may only wipe it by switching the
 * guard off inside the same transaction that reloads everything. */
static const char WIPE_SQL[] =
    "ALTER TABLE issue_events DISABLE TRIGGER USER;"
    "ALTER TABLE admin_events DISABLE TRIGGER USER;"
    "TRUNCATE issue_events, admin_events, issues, issue_ref_counters, sessions, users,"
    " categories, divisions, schools, clusters RESTART IDENTITY;"
    "ALTER TABLE admin_events ENABLE TRIGGER USER;"
    "ALTER TABLE issue_events ENABLE TRIGGER USER;";

static void usage(void)
{
    printf("usage: directline demo [--force]\n\n"
           "Loads the Ha Tinh demo data (12 clusters, 250 schools, users, categories, about\n"
           "600 issues with histories) into the migrated database named by $DATABASE_URL.\n"
           "Refuses when the database already holds schools; --force first deletes ALL\n"
           "data (issues, history, users, schools) and then loads the demo.\n"
           "Every demo user's password is " DEMO_PASSWORD ".\n");
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

static bool load(struct db *db, bool wipe, const char *script, struct error *err)
{
    char hash[SECRET_HASH_SIZE];
    if (!secret_hash_password(DEMO_PASSWORD, hash))
        return error_set(err, ERR_INTERNAL, "cannot hash the demo password");
    const char *params[] = {hash};
    struct db_rows *set = NULL;
    bool ok = db_begin(db, err) && (!wipe || db_exec(db, WIPE_SQL, err)) &&
              (set = db_query(db, "SELECT set_config('directline.demo_password_hash', $1, true)",
                              1, params, err)) != NULL &&
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
    if (cli_wants_help(argc, argv)) {
        usage();
        return 0;
    }
    bool force = argc == 2 && strcmp(argv[1], "--force") == 0;
    if (argc > 2 || (argc == 2 && !force)) {
        fprintf(stderr, "directline demo: bad arguments; see directline demo --help\n");
        return 2;
    }
    char *path = xasprintf("%s/demo/hatinh_demo.sql", cli_sql_dir());
    char *script = file_read_all(path, NULL);
    struct db *db = script ? cli_connect() : NULL;
    struct error err = {0};
    bool holds = false;
    int rc = 1;
    if (!script)
        fprintf(stderr, "directline demo: cannot read %s\n", path);
    else if (db && holds_schools(db, &holds, &err) && holds && !force)
        fprintf(stderr, "directline demo: the database already holds schools; not loading the"
                        " demo over them (use --force to delete all data and reload)\n");
    else if (db && !error_is_set(&err) && load(db, holds, script, &err)) {
        print_summary(db);
        rc = 0;
    } else if (db)
        fprintf(stderr, "directline demo: %s\n", err.message[0] ? err.message : "failed");
    db_close(db);
    free(script);
    free(path);
    return rc;
}
