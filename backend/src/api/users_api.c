/* users_api.c -- user administration: GET/POST /api/users, GET /api/users/{login},
 * POST /api/users/{login}/password-reset (PATCH is in user_patch_api.c). Admin only.
 * Each change and its audit row are one transaction; a temporary password is shown once,
 * in the answer, and kept only as an argon2id hash. */
#include "api/admin_api.h"

#include <stdlib.h>
#include <string.h>

#include "api/json_input.h"
#include "api/keyset_page.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "api/user_admin.h"
#include "domain/validate.h"
#include "util/secret.h"
#include "util/temp_password.h"
#include "util/xalloc.h"

#define USERS_DEFAULT_LIMIT 50
#define USERS_MAX_LIMIT 200

/* ----------------------------------------------------------------------- GET (list) */

static void read_list_filter(struct exchange *ex, struct user_list_filter *f, struct error *err)
{
    static const char *const allowed[] = {"role", "school", "cluster", "division", "q", "active",
                                          "limit", "cursor", NULL};
    enum role role;
    if (!query_check_names(ex, allowed, err))
        return;
    f->role = exchange_query(ex, "role");
    if (f->role && !role_parse(f->role, &role))
        error_field(err, "role", "invalid_value",
                    "must be principal, cluster_leader, officer, supervisor or admin");
    const char **codes[] = {&f->school, &f->cluster, &f->division};
    for (int b = 0; b < 3; b++) {
        *codes[b] = exchange_query(ex, USER_BINDINGS[b]);
        if (*codes[b] && !validate_code(err, USER_BINDINGS[b], *codes[b]))
            *codes[b] = NULL;
    }
    f->q = exchange_query(ex, "q");
    if (f->q && !validate_text(err, "q", f->q, USER_NAME_MAX_CHARS))
        f->q = NULL;
    f->active = query_flag(ex, "active", err);
    f->after_login = exchange_query(ex, "cursor");
    if (f->after_login && !validate_login(NULL, "cursor", f->after_login))
        error_field(err, "cursor", "invalid_cursor", "is not a cursor this server gave out");
    f->limit = query_limit(ex, USERS_DEFAULT_LIMIT, USERS_MAX_LIMIT, err);
}

static cJSON *user_item(const struct db_rows *rows, int row, const void *unused)
{
    (void)unused;
    return user_admin_json(rows, row);
}

void users_list(struct exchange *ex)
{
    struct error err = {0};
    struct user_list_filter f = {0};
    struct db_rows *rows = NULL;
    if (!admin_require(ex))
        return;
    read_list_filter(ex, &f, &err);
    const char *codes[] = {f.school, f.cluster, f.division};
    for (int b = 0; b < 3 && !error_is_set(&err); b++)
        if (api_db(ex, &err))
            user_admin_code_exists(ex->db, USER_BINDING_KINDS[b], USER_BINDINGS[b], codes[b], &err);
    if (error_is_set(&err) || !(rows = db_users_list(ex->db, &f, &err))) {
        reply_failure(ex, &err, "The users cannot be listed as asked; see errors.");
        return;
    }
    reply_json(ex, 200, keyset_page_json(rows, f.limit, user_item, NULL, "login", NULL));
    db_rows_free(rows);
}

void users_get(struct exchange *ex)
{
    struct error err = {0};
    if (!admin_require(ex))
        return;
    if (!api_db(ex, &err)) {
        reply_error(ex, &err);
        return;
    }
    user_admin_reply(ex, 200, exchange_path_param(ex, "login"), NULL);
}

/* ----------------------------------------------------------------------- POST */

cJSON *user_new_body(const struct exchange *ex, struct user_values *v, struct error *err)
{
    static const char *const allowed[] = {"login", "name", "role", "school", "cluster",
                                          "division", "email", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    enum role role = ROLE_PRINCIPAL;
    struct binding_input in = {0};
    if (json_string_field(doc, "login", true, false, false, 64, &v->login, err))
        validate_login(err, "login", v->login);
    json_string_field(doc, "name", true, false, false, USER_NAME_MAX_CHARS, &v->full_name, err);
    if (json_string_field(doc, "email", false, true, false, 254, &v->email, err) && v->email)
        validate_email(err, "email", v->email);
    bool role_ok = json_string_field(doc, "role", true, false, false, 32, &v->role, err) &&
                   role_parse(v->role, &role);
    if (v->role && !role_ok)
        error_field(err, "role", "invalid_value",
                    "must be principal, cluster_leader, officer, supervisor or admin");
    user_admin_read_bindings(doc, &in, err);
    if (role_ok)
        user_admin_apply_bindings(v, &in, role, err);
    v->active = true;
    return doc;
}

static cJSON *creation_details(const struct user_values *v)
{
    cJSON *details = cJSON_CreateObject();
    audit_change_text(details, "login", NULL, v->login);
    audit_change_text(details, "name", NULL, v->full_name);
    audit_change_text(details, "role", NULL, v->role);
    if (v->email)
        audit_change_text(details, "email", NULL, v->email);
    const char *codes[] = {v->school, v->cluster, v->division};
    for (int b = 0; b < 3; b++)
        if (codes[b])
            audit_change_text(details, USER_BINDINGS[b], NULL, codes[b]);
    return details;
}

/* A new account or a reset between its two halves on workers: the temporary password's
 * argon2id hash (64 MiB) is made between them by the bounded password pool
 * (exchange_defer), never on a worker. */
struct temp_hashing {
    cJSON *doc;                           /* holds the strings of v */
    struct user_values v;
    const char *login;                    /* a reset's target */
    char password[TEMP_PASSWORD_SIZE], hash[SECRET_HASH_SIZE];
    bool hashed;
};

static struct temp_hashing *temp_hashing_new(void)
{
    struct temp_hashing *t = xcalloc(1, sizeof *t);
    temp_password_new(t->password);
    return t;
}

static void temp_hashing_free(void *state)
{
    struct temp_hashing *t = state;
    temp_password_wipe(t->password, sizeof t->password);
    cJSON_Delete(t->doc);
    free(t);
}

static void temp_hash(void *state)
{
    struct temp_hashing *t = state;
    t->hashed = secret_hash_password(t->password, t->hash);
}

static bool create_user(struct exchange *ex, const struct temp_hashing *t, struct error *err)
{
    if (!api_db(ex, err) || !db_begin(ex->db, err))
        return false;
    if (!db_user_create(ex->db, &t->v, t->hash, err) ||
        !audit_record(ex, "user.create", t->v.login, creation_details(&t->v), err) ||
        !db_commit(ex->db, err)) {
        db_rollback(ex->db);
        return false;
    }
    return true;
}

static void create_answer(struct exchange *ex, void *state)
{
    struct temp_hashing *t = state;
    struct error err = {0};
    if (!t->hashed)
        error_set(&err, ERR_INTERNAL, "The password could not be hashed.");
    else if (create_user(ex, t, &err)) {
        ex->location = xasprintf("/api/users/%s", t->v.login);
        user_admin_reply(ex, 201, t->v.login, t->password);
    }
    if (error_is_set(&err))
        reply_failure(ex, &err, "The user cannot be created as sent; see errors.");
}

void users_create(struct exchange *ex)
{
    struct error err = {0};
    if (!admin_require(ex))
        return;
    struct temp_hashing *t = temp_hashing_new();
    t->doc = user_new_body(ex, &t->v, &err);
    if (error_is_set(&err) || !api_db(ex, &err) ||
        !user_admin_bindings_exist(ex->db, &t->v, &err)) {
        reply_failure(ex, &err, "The user cannot be created as sent; see errors.");
        temp_hashing_free(t);
        return;
    }
    exchange_defer(ex, temp_hash, create_answer, temp_hashing_free, t);
}

/* ----------------------------------------------------------------------- reset */

static bool store_reset(struct exchange *ex, const char *login, const char *hash,
                        struct error *err)
{
    struct db_rows *row = NULL;
    bool updated = false;
    int ended = 0;
    bool ok = user_admin_load(ex, login, true, &row, err);
    int id = ok ? (int)db_rows_int(row, 0, "id") : 0;
    bool was_required = ok && db_rows_bool(row, 0, "must_change_password");
    db_rows_free(row);
    ok = ok && db_user_set_password(ex->db, id, hash, true, NULL, &updated, err) &&
         db_user_end_sessions(ex->db, id, NULL, &ended, err);
    if (!ok)
        return false;
    cJSON *details = cJSON_CreateObject();
    if (!was_required)
        audit_change(details, "must_change_password", cJSON_CreateFalse(), cJSON_CreateTrue());
    cJSON_AddNumberToObject(details, "sessions_ended", ended);
    return audit_record(ex, "user.password_reset", login, details, err);
}

bool user_reset_body(const struct exchange *ex, struct error *err)
{
    static const char *const nothing[] = {NULL};
    cJSON *body = ex->body_len > 0 ? json_body_object(ex, nothing, err) : NULL;
    cJSON_Delete(body);
    return !error_is_set(err);
}

static void reset_answer(struct exchange *ex, void *state)
{
    struct temp_hashing *t = state;
    struct error err = {0};
    if (!t->hashed)
        error_set(&err, ERR_INTERNAL, "The password could not be hashed.");
    else if (api_db(ex, &err) && db_begin(ex->db, &err)) {
        if (!store_reset(ex, t->login, t->hash, &err) || !db_commit(ex->db, &err))
            db_rollback(ex->db);
    }
    if (error_is_set(&err)) {
        reply_failure(ex, &err, "The password cannot be reset as asked; see errors.");
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "temporary_password", t->password);
    reply_json(ex, 200, doc);
}

void users_reset_password(struct exchange *ex)
{
    struct error err = {0};
    if (!admin_require(ex))
        return;
    if (!user_reset_body(ex, &err)) {
        reply_failure(ex, &err, "The password cannot be reset as asked; see errors.");
        return;
    }
    struct temp_hashing *t = temp_hashing_new();
    t->login = exchange_path_param(ex, "login");
    exchange_defer(ex, temp_hash, reset_answer, temp_hashing_free, t);
}
