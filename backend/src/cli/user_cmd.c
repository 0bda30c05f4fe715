/* user_cmd.c -- `directline user add`: create a user, reading the password from standard
 * input so it never shows in the process list or shell history. The user and its audit
 * row (actor: none, the change came from outside the API) are one transaction. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "db/audit_store.h"
#include "db/db_context.h"
#include "db/user_store.h"
#include "domain/types.h"
#include "domain/validate.h"
#include "util/secret.h"

static void usage(void)
{
    printf("usage: directline user add --login L --name \"Full Name\"\n"
           "           --role principal|cluster_leader|officer|supervisor|admin\n"
           "           [--school CODE | --cluster CODE | --division CODE] [--email E]\n\n"
           "Reads the password (at least 10 characters) from standard input.\n"
           "A principal needs --school, a cluster leader --cluster, an officer --division;\n"
           "supervisors and admins take none of them.\n");
}

static bool parse_args(int argc, char **argv, struct new_user *u)
{
    static const struct option longopts[] = {
        {"login", required_argument, NULL, 'l'}, {"name", required_argument, NULL, 'n'},
        {"role", required_argument, NULL, 'r'}, {"school", required_argument, NULL, 's'},
        {"cluster", required_argument, NULL, 'c'}, {"division", required_argument, NULL, 'd'},
        {"email", required_argument, NULL, 'e'}, {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'l': u->login = optarg; break;
        case 'n': u->full_name = optarg; break;
        case 'r': u->role = optarg; break;
        case 's': u->school = optarg; break;
        case 'c': u->cluster = optarg; break;
        case 'd': u->division = optarg; break;
        case 'e': u->email = optarg; break;
        default: return false;
        }
    }
    return optind == argc;
}

/* Each role is bound to exactly what it needs (the users table checks it too). */
static void check_binding(const struct new_user *u, enum role role, struct error *err)
{
    bool want_school = role == ROLE_PRINCIPAL, want_cluster = role == ROLE_CLUSTER_LEADER,
         want_division = role == ROLE_OFFICER;
    if (want_school != (u->school != NULL))
        error_field(err, "school", want_school ? "required" : "not_applicable",
                    want_school ? "is required for a principal"
                                : "is only for principals");
    if (want_cluster != (u->cluster != NULL))
        error_field(err, "cluster", want_cluster ? "required" : "not_applicable",
                    want_cluster ? "is required for a cluster leader"
                                 : "is only for cluster leaders");
    if (want_division != (u->division != NULL))
        error_field(err, "division", want_division ? "required" : "not_applicable",
                    want_division ? "is required for an officer"
                                  : "is only for officers");
    if (u->school) validate_code(err, "school", u->school);
    if (u->cluster) validate_code(err, "cluster", u->cluster);
    if (u->division) validate_code(err, "division", u->division);
}

static bool check_user(const struct new_user *u, const char *password, struct error *err)
{
    enum role role;
    if (!u->login || !u->full_name || !u->role)
        return error_field(err, "arguments", "required",
                           "--login, --name and --role are required");
    validate_login(err, "login", u->login);
    validate_text(err, "name", u->full_name, 200);
    if (u->email)
        validate_email(err, "email", u->email);
    if (!role_parse(u->role, &role))
        error_field(err, "role", "invalid_value",
                    "must be principal, cluster_leader, officer, supervisor or admin");
    else
        check_binding(u, role, err);
    validate_password(err, "password", password);
    return !error_is_set(err);
}

static void read_password(char *buf, size_t size)
{
    if (!fgets(buf, (int)size, stdin))
        buf[0] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
}

static void print_errors(const struct error *err)
{
    if (err->nfields == 0)
        fprintf(stderr, "directline user add: %s\n", err->message);
    for (int i = 0; i < err->nfields; i++)
        fprintf(stderr, "directline user add: %s %s\n", err->fields[i].field,
                err->fields[i].message);
}

/* The audit row's details: every field set, from null (never the password). */
static char *creation_details(const struct new_user *u)
{
    const char *keys[] = {"login", "name", "role", "email", "school", "cluster", "division"};
    const char *values[] = {u->login, u->full_name, u->role, u->email, u->school, u->cluster,
                            u->division};
    cJSON *details = cJSON_CreateObject();
    for (int i = 0; i < 7; i++) {
        if (!values[i])
            continue;
        cJSON *change = cJSON_AddObjectToObject(details, keys[i]);
        cJSON_AddNullToObject(change, "from");
        cJSON_AddStringToObject(change, "to", values[i]);
    }
    char *text = cJSON_PrintUnformatted(details);
    cJSON_Delete(details);
    if (!text)
        abort();   /* cJSON fails only when out of memory */
    return text;
}

static bool insert_audited(struct db *db, const struct new_user *u, struct error *err)
{
    char *details = creation_details(u);
    bool ok = db_begin(db, err) && db_user_insert(db, u, err) &&
              db_audit_write(db, 0, "user.create", u->login, details, err) && db_commit(db, err);
    if (!ok)
        db_rollback(db);
    cJSON_free(details);
    return ok;
}

static int user_add(int argc, char **argv)
{
    struct new_user u = {0};
    struct error err = {0};
    char password[1100], hash[SECRET_HASH_SIZE];
    if (!parse_args(argc, argv, &u)) {
        fprintf(stderr, "directline user add: bad arguments; see directline user add --help\n");
        return 2;
    }
    read_password(password, sizeof password);
    if (!check_user(&u, password, &err)) {
        print_errors(&err);
        return 1;
    }
    if (!secret_hash_password(password, hash))
        return 1;
    u.password_hash = hash;
    struct db *db = cli_connect();
    if (!db)
        return 1;
    db_act_as_system(db, DB_CONTEXT_USER_CLI);
    bool ok = insert_audited(db, &u, &err);
    db_close(db);
    if (!ok) {
        print_errors(&err);
        return 1;
    }
    printf("user %s added as %s\n", u.login, u.role);
    return 0;
}

int cli_user(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "add") == 0) {
        if (cli_wants_help(argc - 1, argv + 1)) {
            usage();
            return 0;
        }
        return user_add(argc - 1, argv + 1);
    }
    if (cli_wants_help(argc, argv)) {
        usage();
        return 0;
    }
    fprintf(stderr, "directline user: say \"user add\"; see directline user --help\n");
    return 2;
}
