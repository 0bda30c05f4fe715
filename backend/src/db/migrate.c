/* migrate.c -- each migration runs in its own transaction together with its row in
 * schema_migrations; a session-level advisory lock serialises concurrent migrators. */
#include "db/migrate.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "util/log.h"
#include "util/xalloc.h"

/* An arbitrary constant shared by every directline process: "dl" + "migr". */
#define MIGRATION_LOCK_KEY "7310093817"

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* NNNN_name.sql: four digits, an underscore, ending in .sql. */
static bool is_migration_name(const char *name)
{
    size_t len = strlen(name);
    if (len < 10 || strcmp(name + len - 4, ".sql") != 0 || name[4] != '_')
        return false;
    for (int i = 0; i < 4; i++)
        if (name[i] < '0' || name[i] > '9')
            return false;
    return true;
}

/* Sorted migration file names; caller frees each and the array. */
static char **list_migrations(const char *dir, int *count, struct error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        error_set(err, ERR_INTERNAL, "cannot open the migrations folder %s", dir);
        return NULL;
    }
    char **names = NULL;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!is_migration_name(e->d_name))
            continue;
        names = xrealloc(names, sizeof *names * (size_t)(n + 1));
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, compare_names);
    *count = n;
    return names;
}

static bool is_applied(struct db *db, const char *version, bool *applied, struct error *err)
{
    const char *params[] = {version};
    struct db_rows *rows = db_query(db, "SELECT 1 FROM schema_migrations WHERE version = $1",
                                    1, params, err);
    if (!rows)
        return false;
    *applied = db_rows_count(rows) > 0;
    db_rows_free(rows);
    return true;
}

static bool apply_one(struct db *db, const char *dir, const char *name, struct error *err)
{
    char *path = xasprintf("%s/%s", dir, name);
    char *sql = file_read_all(path, NULL);
    free(path);
    if (!sql)
        return error_set(err, ERR_INTERNAL, "cannot read migration %s", name);
    char version[5];
    memcpy(version, name, 4);
    version[4] = '\0';
    const char *params[] = {version, name};
    bool ok = db_begin(db, err) && db_exec(db, sql, err);
    struct db_rows *rows = ok ? db_query(db, "INSERT INTO schema_migrations (version, name) "
                                             "VALUES ($1, $2)", 2, params, err) : NULL;
    ok = rows && db_commit(db, err);
    db_rows_free(rows);
    free(sql);
    if (!ok) {
        db_rollback(db);
        return error_set(err, err->kind ? err->kind : ERR_INTERNAL,
                         "migration %s failed: %s", name, err->message);
    }
    log_info("applied migration %s", name);
    return true;
}

static bool apply_missing(struct db *db, const char *dir, int *applied, struct error *err)
{
    int count = 0;
    char **names = list_migrations(dir, &count, err);
    if (!names && count == 0 && error_is_set(err))
        return false;
    bool ok = true;
    for (int i = 0; i < count && ok; i++) {
        bool done = false;
        char version[5] = {0};
        memcpy(version, names[i], 4);
        ok = is_applied(db, version, &done, err);
        if (ok && !done) {
            ok = apply_one(db, dir, names[i], err);
            *applied += ok;
        }
    }
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return ok;
}

bool db_migrate(struct db *db, const char *dir, int *applied, struct error *err)
{
    *applied = 0;
    if (!db_exec(db, "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")", err))
        return false;
    bool ok = db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          " version text PRIMARY KEY,"
                          " name text NOT NULL,"
                          " applied_at timestamptz NOT NULL DEFAULT now())", err)
              && apply_missing(db, dir, applied, err);
    struct error unlock_err = {0};
    db_exec(db, "SELECT pg_advisory_unlock(" MIGRATION_LOCK_KEY ")", &unlock_err);
    return ok;
}
