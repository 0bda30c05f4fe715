/* db_errors.c -- SQLSTATEs and constraint names to error kinds. Only the conditions named
 * below on purpose become a 4xx, each in our own words with the field it concerns; the
 * rest is a server bug (500, "internal error") whose PostgreSQL text stays in the log.
 * An expected conflict raised by SQL (a trigger or a function) names its condition with
 * `RAISE ... USING ERRCODE = 'check_violation', CONSTRAINT = 'the_name'` and gets a row
 * in EXPECTED. */
#include "db/db_errors.h"

#include <stddef.h>
#include <string.h>

/* A violation the API expects and answers: the constraint, and how the client hears it. */
struct expected_violation {
    const char *constraint;
    enum error_kind kind;
    const char *code;          /* the problem's code */
    const char *field;         /* the request field it concerns */
    const char *field_code;
    const char *message;
};

static const struct expected_violation EXPECTED[] = {
    {"users_login_key", ERR_CONFLICT, "login_taken", "login", "taken",
     "A user with this login already exists."},
    {"clusters_code_key", ERR_CONFLICT, "code_taken", "code", "taken",
     "This code is already in use."},
    {"schools_code_key", ERR_CONFLICT, "code_taken", "code", "taken",
     "This code is already in use."},
    {"divisions_code_key", ERR_CONFLICT, "code_taken", "code", "taken",
     "This code is already in use."},
    {"categories_code_key", ERR_CONFLICT, "code_taken", "code", "taken",
     "This code is already in use."},
    {"issues_shared_not_sensitive", ERR_CONFLICT, "sensitive_category", "shared",
     "sensitive_category", "An issue of a sensitive category cannot be shared."},
    {"issue_cosigns_pkey", ERR_CONFLICT, "already_cosigned", "school", "already_cosigned",
     "Your school has already added itself to this issue."},
    {"issue_links_one_level", ERR_CONFLICT, "one_level", "parent", "one_level",
     "A systemic problem is one level deep: a main issue is nobody's child."},
    {"issue_links_current_idx", ERR_CONFLICT, "linked_elsewhere", "parent", "linked_elsewhere",
     "The issue already belongs to a systemic problem."},
};

static bool has_class(const char *sqlstate, const char *cls)
{
    return strncmp(sqlstate, cls, 2) == 0;
}

bool db_error_is_conflict(const char *sqlstate)
{
    return sqlstate && (strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0);
}

/* Connection exceptions (08), insufficient resources (53), operator intervention (57:
 * shutdown, a cancelled statement); no SQLSTATE at all means libpq lost the connection. */
bool db_error_is_unavailable(const char *sqlstate)
{
    return !sqlstate || has_class(sqlstate, "08") || has_class(sqlstate, "53") ||
           has_class(sqlstate, "57");
}

static const struct expected_violation *expected(const char *constraint)
{
    if (!constraint)
        return NULL;
    for (size_t i = 0; i < sizeof EXPECTED / sizeof *EXPECTED; i++)
        if (strcmp(EXPECTED[i].constraint, constraint) == 0)
            return &EXPECTED[i];
    return NULL;
}

void db_error_classify(struct error *err, const char *sqlstate, const char *constraint)
{
    if (db_error_is_unavailable(sqlstate)) {
        error_set(err, ERR_UNAVAILABLE, DB_UNAVAILABLE_MESSAGE);
        return;
    }
    if (db_error_is_conflict(sqlstate)) {
        error_coded(err, ERR_UNAVAILABLE, "transaction_conflict",
                    "Another change to the same data got in the way; try again.");
        return;
    }
    const struct expected_violation *v = expected(constraint);
    if (!v) {
        error_set(err, ERR_INTERNAL, "internal error");
        return;
    }
    /* error_field makes the kind ERR_INVALID; the condition's own kind and code follow. */
    error_field(err, v->field, v->field_code, "%s", v->message);
    error_coded(err, v->kind, v->code, "%s", v->message);
}
