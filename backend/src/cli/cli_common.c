/* cli_common.c -- what the subcommands share: connecting, finding the SQL, migrating. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/migrate.h"
#include "util/xalloc.h"

#ifndef DIRECTLINE_SOURCE_DIR
#define DIRECTLINE_SOURCE_DIR "."
#endif

struct db *cli_connect(void)
{
    const char *url = getenv("DATABASE_URL");
    if (!url || !url[0]) {
        fprintf(stderr, "directline: DATABASE_URL is not set; give a libpq connection string,"
                        " e.g. postgresql://user@127.0.0.1:5432/directline\n");
        return NULL;
    }
    struct error err = {0};
    struct db *db = db_connect(url, &err);
    if (!db)
        fprintf(stderr, "directline: cannot connect to the database named by DATABASE_URL\n");
    return db;
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
