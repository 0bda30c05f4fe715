/* main.c -- the directline binary: picks the subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/serve_memory.h"
#include "util/secret.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} COMMANDS[] = {
    {"serve",   cli_serve,   "serve the HTTP API"},
    {"migrate", cli_migrate, "bring the database schema up to date"},
    {"user",    cli_user,    "manage users (user add ...)"},
    {"demo",    cli_demo,    "load the Ha Tinh demo data into an empty database"},
    {"sweep",   cli_sweep,   "one pass of the SLA sweep (escalations, auto-close)"},
    {"report",  cli_report,  "the monthly unresolved-issue report (json, csv, html)"},
    {"deliver", cli_deliver, "send the notification emails that are due"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: directline COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        fprintf(out, "  %-8s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(out, "\nEach command takes --help. The database is $DATABASE_URL.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "serve") == 0)
        serve_memory_restart_tuned(argv);
    if (!secret_init()) {
        fprintf(stderr, "directline: libsodium failed to initialise\n");
        return 1;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        if (strcmp(argv[1], COMMANDS[i].name) == 0)
            return COMMANDS[i].run(argc - 1, argv + 1);
    fprintf(stderr, "directline: unknown command \"%s\"\n\n", argv[1]);
    usage(stderr);
    return 2;
}
