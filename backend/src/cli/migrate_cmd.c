/* migrate_cmd.c -- `directline migrate`. */
#include <stdio.h>

#include "cli/cli.h"

int cli_migrate(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: directline migrate\n\n"
               "Applies the migrations in $DIRECTLINE_SQL_DIR/migrations (default: the source\n"
               "tree's sql/migrations) that the database named by $DATABASE_URL lacks, each in\n"
               "its own transaction, under an advisory lock. Running it again does nothing.\n");
        return 0;
    }
    if (argc > 1) {
        fprintf(stderr, "directline migrate: unexpected argument \"%s\"\n", argv[1]);
        return 2;
    }
    struct db *db = cli_connect();
    if (!db)
        return 1;
    bool ok = cli_run_migrations(db);
    db_close(db);
    return ok ? 0 : 1;
}
