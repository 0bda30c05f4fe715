/* cli.h -- the subcommands of the directline binary and what they share: the database
 * URL, the SQL folder, and the usage convention (exit 0 ok, 1 refused/failed, 2 usage). */
#ifndef DL_CLI_CLI_H
#define DL_CLI_CLI_H

#include <stdint.h>
#include "db/db.h"

int cli_serve(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_sweep(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_deliver(int argc, char **argv);

/* Connects to $DATABASE_URL (the server's role, which owns nothing); NULL after printing
 * why. Caller db_closes. */
struct db *cli_connect(void);
/* Connects to $DATABASE_OWNER_URL (the role that owns the tables), else $DATABASE_URL. */
struct db *cli_connect_owner(void);
/* `migrate`: as the owner, in the migrate context, granting to the role of $DATABASE_URL;
 * false after printing why. */
bool cli_migrate_as_owner(void);
/* Logs a warning when the role of `url` escapes row-level security or owns the tables. */
void cli_check_app_role(const char *url);
/* $DIRECTLINE_SQL_DIR, or the source tree's sql/ folder. */
const char *cli_sql_dir(void);
/* Applies missing migrations and prints what it did; false after printing why. */
bool cli_run_migrations(struct db *db);
/* An integer from the environment, or fallback when unset or out of [min, max]. */
int cli_env_int(const char *name, int fallback, int min, int max);
/* A time as PostgreSQL reads it (e.g. 2026-11-30T09:00:00+07:00) to epoch seconds. */
bool cli_parse_time(struct db *db, const char *text, int64_t *out);
/* True when argv holds -h or --help. */
bool cli_wants_help(int argc, char **argv);

#endif
