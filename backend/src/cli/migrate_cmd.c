/* migrate_cmd.c -- `directline migrate`. */
#include <stdio.h>

#include "cli/cli.h"

int cli_migrate(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: directline migrate\n\n"
               "Applies the migrations in $DIRECTLINE_SQL_DIR/migrations (default: the source\n"
               "tree's sql/migrations) that the database lacks, each in its own transaction,\n"
               "under an advisory lock. Running it again does nothing. It connects as the\n"
               "tables' owner, $DATABASE_OWNER_URL (else $DATABASE_URL), and grants the role of\n"
               "$DATABASE_URL, which the server uses, what the server needs.\n");
        return 0;
    }
    if (argc > 1) {
        fprintf(stderr, "directline migrate: unexpected argument \"%s\"\n", argv[1]);
        return 2;
    }
    return cli_migrate_as_owner() ? 0 : 1;
}
