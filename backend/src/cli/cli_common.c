/* cli_common.c -- what the subcommands share: connecting, finding the SQL, migrating. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_context.h"
#include "db/migrate.h"
#include "util/log.h"
#include "util/xalloc.h"

#ifndef DIRECTLINE_SOURCE_DIR
#define DIRECTLINE_SOURCE_DIR "."
#endif

static struct db *connect_named(const char *name, const char *url)
{
    struct error err = {0};
    struct db *db = db_connect(url, &err);
    if (!db)
        fprintf(stderr, "directline: cannot connect to the database named by %s\n", name);
    return db;
}

struct db *cli_connect(void)
{
    const char *url = getenv("DATABASE_URL");
    if (!url || !url[0]) {
        fprintf(stderr, "directline: DATABASE_URL is not set; give a libpq connection string,"
                        " e.g. postgresql://user@127.0.0.1:5432/directline\n");
        return NULL;
    }
    return connect_named("DATABASE_URL", url);
}

/* The owner's URL, else (one role for everything, as in a quick try-out) the app's. */
struct db *cli_connect_owner(void)
{
    const char *url = getenv("DATABASE_OWNER_URL");
    if (url && url[0])
        return connect_named("DATABASE_OWNER_URL", url);
    return cli_connect();
}

/* The role the server connects as, asked of the server itself: the one the migrations
 * grant to. "" when there is no separate one (no owner URL, or the same URL). */
static bool app_role(char out[128])
{
    out[0] = '\0';
    const char *owner = getenv("DATABASE_OWNER_URL"), *app = getenv("DATABASE_URL");
    if (!owner || !owner[0] || !app || !app[0] || strcmp(owner, app) == 0)
        return true;
    struct db *db = connect_named("DATABASE_URL", app);
    struct error err = {0};
    struct db_rows *rows = db ? db_query(db, "SELECT current_user AS role", 0, NULL, &err) : NULL;
    if (rows)
        snprintf(out, 128, "%s", db_rows_get(rows, 0, "role"));
    db_rows_free(rows);
    db_close(db);
    return rows != NULL;
}

/* After the migrations: the server's role gets what it needs (0010's function). */
static bool grant_server_role(struct db *db, const char *role)
{
    if (!role[0]) {
        printf("migrations: no separate role for the server (DATABASE_URL and"
               " DATABASE_OWNER_URL name one role, or one is unset): nothing granted\n");
        return true;
    }
    struct error err = {0};
    const char *params[] = {role};
    struct db_rows *rows = db_query(db, "SELECT dl_grant_server_role($1)", 1, params, &err);
    if (!rows)
        fprintf(stderr, "directline: granting the server's role %s failed: %s\n", role,
                err.message);
    else
        printf("migrations: the server's role %s may do what the server needs\n", role);
    db_rows_free(rows);
    return rows != NULL;
}

bool cli_migrate_as_owner(void)
{
    char role[128];
    if (!app_role(role))
        return false;
    struct db *db = cli_connect_owner();
    if (!db)
        return false;
    db_act_as_system(db, DB_CONTEXT_MIGRATE);
    bool ok = cli_run_migrations(db) && grant_server_role(db, role);
    db_close(db);
    return ok;
}

void cli_check_app_role(const char *url)
{
    struct db *db = db_connect_optional(url);
    if (!db)
        return;     /* the pool will say why soon enough */
    struct error err = {0};
    struct db_rows *rows = db_query(db,
        "SELECT r.rolsuper OR r.rolbypassrls AS bypasses,"
        " EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid AND c.relkind = 'r'"
        "         AND c.relnamespace = 'public'::regnamespace) AS owns"
        " FROM pg_roles r WHERE r.rolname = current_user", 0, NULL, &err);
    if (rows && db_rows_count(rows) == 1 && db_rows_bool(rows, 0, "bypasses"))
        log_warn("the database role of DATABASE_URL is a superuser or has BYPASSRLS: row-level"
                 " security does not apply to the server (see docs/design.md)");
    else if (rows && db_rows_count(rows) == 1 && db_rows_bool(rows, 0, "owns"))
        log_warn("the database role of DATABASE_URL owns the tables: it could change the"
                 " history; give the server a role of its own (DATABASE_OWNER_URL migrates)");
    db_rows_free(rows);
    db_close(db);
}

const char *cli_sql_dir(void)
{
    const char *dir = getenv("DIRECTLINE_SQL_DIR");
    return dir && dir[0] ? dir : DIRECTLINE_SOURCE_DIR "/sql";
}

bool cli_run_migrations(struct db *db)
{
    struct error err = {0};
    int applied = 0;
    char *dir = xasprintf("%s/migrations", cli_sql_dir());
    bool ok = db_migrate(db, dir, &applied, &err);
    if (ok)
        printf("migrations: %d applied, database is up to date\n", applied);
    else
        fprintf(stderr, "directline: %s\n", err.message);
    free(dir);
    return ok;
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    return false;
}

int cli_env_int(const char *name, int fallback, int min, int max)
{
    const char *v = getenv(name);
    if (!v || !v[0])
        return fallback;
    char *end = NULL;
    long n = strtol(v, &end, 10);
    return *end == '\0' && n >= min && n <= max ? (int)n : fallback;
}

bool cli_parse_time(struct db *db, const char *text, int64_t *out)
{
    struct error err = {0};
    const char *params[] = {text};
    struct db_rows *rows = db_query(db, "SELECT floor(extract(epoch FROM $1::timestamptz))::bigint"
                                        " AS epoch", 1, params, &err);
    if (!rows)
        return false;
    *out = db_rows_int(rows, 0, "epoch");
    db_rows_free(rows);
    return true;
}
