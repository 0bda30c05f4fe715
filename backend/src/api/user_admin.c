/* user_admin.c -- the pieces users_api.c and user_patch_api.c share. */
#include "api/user_admin.h"

#include <string.h>

#include "api/json_input.h"
#include "api/reply.h"
#include "domain/account_rules.h"
#include "domain/validate.h"

const char *const USER_BINDINGS[3] = {"school", "cluster", "division"};
const enum reference_kind USER_BINDING_KINDS[3] = {REF_SCHOOLS, REF_CLUSTERS, REF_DIVISIONS};

/* USER plus what an admin sees: active, must_change_password, created_at. */
cJSON *user_admin_json(const struct db_rows *rows, int i)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "login", db_rows_get(rows, i, "login"));
    cJSON_AddStringToObject(obj, "name", db_rows_get(rows, i, "full_name"));
    cJSON_AddStringToObject(obj, "role", db_rows_get(rows, i, "role"));
    json_add_text_or_null(obj, "email", db_rows_get(rows, i, "email"));
    for (int b = 0; b < 3; b++)
        json_add_text_or_null(obj, USER_BINDINGS[b], db_rows_get(rows, i, USER_BINDINGS[b]));
    cJSON_AddBoolToObject(obj, "active", db_rows_bool(rows, i, "active"));
    cJSON_AddBoolToObject(obj, "must_change_password",
                          db_rows_bool(rows, i, "must_change_password"));
    cJSON_AddStringToObject(obj, "created_at", db_rows_get(rows, i, "created_at"));
    return obj;
}

struct user_values user_admin_values(const struct db_rows *rows)
{
    return (struct user_values){
        .login = db_rows_get(rows, 0, "login"), .full_name = db_rows_get(rows, 0, "full_name"),
        .email = db_rows_get(rows, 0, "email"), .role = db_rows_get(rows, 0, "role"),
        .school = db_rows_get(rows, 0, "school"), .cluster = db_rows_get(rows, 0, "cluster"),
        .division = db_rows_get(rows, 0, "division"), .active = db_rows_bool(rows, 0, "active"),
    };
}

static const char **binding_slot(struct user_values *v, int b)
{
    return b == 0 ? &v->school : b == 1 ? &v->cluster : &v->division;
}

/* A code that must name an existing row (field error unknown_code otherwise). */
bool user_admin_code_exists(struct db *db, enum reference_kind kind, const char *field,
                            const char *code, struct error *err)
{
    bool exists = false;
    if (!code || !db_reference_exists(db, kind, code, &exists, err))
        return !code;
    return exists || error_field(err, field, "unknown_code", "%s is not a known code", code);
}

/* Reads the user with `login` into *rows (locked); 404 when there is none. */
bool user_admin_load(struct exchange *ex, const char *login, bool lock, struct db_rows **rows,
                     struct error *err)
{
    *rows = db_user_row(ex->db, login, lock, err);
    if (!*rows)
        return false;
    if (db_rows_count(*rows) == 1)
        return true;
    return error_coded(err, ERR_NOT_FOUND, "unknown_user", "There is no user %s.", login);
}

/* Answers with the user as stored now. */
void user_admin_reply(struct exchange *ex, int status, const char *login,
                      const char *temporary_password)
{
    struct error err = {0};
    struct db_rows *rows = NULL;
    if (!user_admin_load(ex, login, false, &rows, &err)) {
        db_rows_free(rows);
        reply_error(ex, &err);
        return;
    }
    cJSON *user = user_admin_json(rows, 0);
    db_rows_free(rows);
    if (!temporary_password) {
        reply_json(ex, status, user);
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddItemToObject(doc, "user", user);
    cJSON_AddStringToObject(doc, "temporary_password", temporary_password);
    reply_json(ex, status, doc);
}

/* ----------------------------------------------------------------------- bindings */

void user_admin_read_bindings(const cJSON *doc, struct binding_input *in, struct error *err)
{
    for (int b = 0; b < 3; b++) {
        in->sent[b] = json_has(doc, USER_BINDINGS[b]);
        const char *name = USER_BINDINGS[b];
        in->invalid[b] =
            !json_string_field(doc, name, false, true, false, 32, &in->value[b], err) ||
            (in->value[b] && !validate_code(err, name, in->value[b]));
        if (in->invalid[b])
            in->value[b] = NULL;
    }
}

/* The role's one binding from the body or, when the body does not name it, as it was;
 * the others cleared. A binding the role does not take may only be sent as null. */
void user_admin_apply_bindings(struct user_values *v, const struct binding_input *in,
                               enum role role, struct error *err)
{
    const char *want = account_binding_field(account_binding_of(role));
    for (int b = 0; b < 3; b++) {
        const char **slot = binding_slot(v, b);
        bool wanted = want && strcmp(want, USER_BINDINGS[b]) == 0;
        if (in->sent[b])
            *slot = in->value[b];
        if (!wanted) {
            if (in->sent[b] && in->value[b])
                error_field(err, USER_BINDINGS[b], "not_applicable", "is not for a %s",
                            role_name(role));
            *slot = NULL;
        } else if (!*slot && !in->invalid[b]) {
            error_field(err, USER_BINDINGS[b], "required", "is required for a %s", role_name(role));
        }
    }
}

bool user_admin_bindings_exist(struct db *db, const struct user_values *v, struct error *err)
{
    const char *codes[] = {v->school, v->cluster, v->division};
    for (int b = 0; b < 3; b++)
        user_admin_code_exists(db, USER_BINDING_KINDS[b], USER_BINDINGS[b], codes[b], err);
    return !error_is_set(err);
}
