/* users_api.c -- user administration: GET/POST /api/users, GET/PATCH /api/users/{login},
 * POST /api/users/{login}/password-reset. Admin only. Each change and its audit row are
 * one transaction; a temporary password is shown once, in the answer, and kept only as
 * an argon2id hash. */
#include "api/admin_api.h"

#include <string.h>

#include "api/json_input.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "db/reference_store.h"
#include "db/user_admin_store.h"
#include "domain/account_rules.h"
#include "domain/validate.h"
#include "util/secret.h"
#include "util/temp_password.h"
#include "util/xalloc.h"

#define USERS_DEFAULT_LIMIT 50
#define USERS_MAX_LIMIT 200
#define NAME_MAX_CHARS 200

static const char *const BINDINGS[] = {"school", "cluster", "division"};
static const enum reference_kind BINDING_KINDS[] = {REF_SCHOOLS, REF_CLUSTERS, REF_DIVISIONS};

static void add_text_or_null(cJSON *obj, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(obj, key, value);
    else
        cJSON_AddNullToObject(obj, key);
}

/* USER plus what an admin sees: active, must_change_password, created_at. */
static cJSON *user_item_json(const struct db_rows *rows, int i)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "login", db_rows_get(rows, i, "login"));
    cJSON_AddStringToObject(obj, "name", db_rows_get(rows, i, "full_name"));
    cJSON_AddStringToObject(obj, "role", db_rows_get(rows, i, "role"));
    add_text_or_null(obj, "email", db_rows_get(rows, i, "email"));
    for (int b = 0; b < 3; b++)
        add_text_or_null(obj, BINDINGS[b], db_rows_get(rows, i, BINDINGS[b]));
    cJSON_AddBoolToObject(obj, "active", db_rows_bool(rows, i, "active"));
    cJSON_AddBoolToObject(obj, "must_change_password",
                          db_rows_bool(rows, i, "must_change_password"));
    cJSON_AddStringToObject(obj, "created_at", db_rows_get(rows, i, "created_at"));
    return obj;
}

static struct user_values values_of_row(const struct db_rows *rows)
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
static bool code_exists(struct db *db, enum reference_kind kind, const char *field,
                        const char *code, struct error *err)
{
    bool exists = false;
    if (!code || !db_reference_exists(db, kind, code, &exists, err))
        return !code;
    return exists || error_field(err, field, "unknown_code", "%s is not a known code", code);
}

/* Reads the user with `login` into *rows (locked); 404 when there is none. */
static bool load_user(struct exchange *ex, const char *login, bool lock, struct db_rows **rows,
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
static void reply_user(struct exchange *ex, int status, const char *login,
                       const char *temporary_password)
{
    struct error err = {0};
    struct db_rows *rows = NULL;
    if (!load_user(ex, login, false, &rows, &err)) {
        db_rows_free(rows);
        reply_error(ex, &err);
        return;
    }
    cJSON *user = user_item_json(rows, 0);
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
        *codes[b] = exchange_query(ex, BINDINGS[b]);
        if (*codes[b] && !validate_code(err, BINDINGS[b], *codes[b]))
            *codes[b] = NULL;
    }
    f->q = exchange_query(ex, "q");
    if (f->q && !validate_text(err, "q", f->q, NAME_MAX_CHARS))
        f->q = NULL;
    f->active = query_flag(ex, "active", err);
    f->after_login = exchange_query(ex, "cursor");
    if (f->after_login && !validate_login(NULL, "cursor", f->after_login))
        error_field(err, "cursor", "invalid_cursor", "is not a cursor this server gave out");
    f->limit = query_limit(ex, USERS_DEFAULT_LIMIT, USERS_MAX_LIMIT, err);
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
            code_exists(ex->db, BINDING_KINDS[b], BINDINGS[b], codes[b], &err);
    if (error_is_set(&err) || !(rows = db_users_list(ex->db, &f, &err))) {
        reply_failure(ex, &err, "The users cannot be listed as asked; see errors.");
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    int count = db_rows_count(rows), shown = count > f.limit ? f.limit : count;
    for (int i = 0; i < shown; i++)
        cJSON_AddItemToArray(items, user_item_json(rows, i));
    if (count > f.limit)
        cJSON_AddStringToObject(doc, "next_cursor", db_rows_get(rows, shown - 1, "login"));
    else
        cJSON_AddNullToObject(doc, "next_cursor");
    db_rows_free(rows);
    reply_json(ex, 200, doc);
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
    reply_user(ex, 200, exchange_path_param(ex, "login"), NULL);
}

/* ----------------------------------------------------------------------- bindings */

/* Which binding fields the body sent (even as null), and their values. */
struct binding_input {
    bool sent[3], invalid[3];
    const char *value[3];
};

static void read_bindings(const cJSON *doc, struct binding_input *in, struct error *err)
{
    for (int b = 0; b < 3; b++) {
        in->sent[b] = json_has(doc, BINDINGS[b]);
        in->invalid[b] =
            !json_string_field(doc, BINDINGS[b], false, true, false, 32, &in->value[b], err) ||
            (in->value[b] && !validate_code(err, BINDINGS[b], in->value[b]));
        if (in->invalid[b])
            in->value[b] = NULL;
    }
}

/* The role's one binding from the body or, when the body does not name it, as it was;
 * the others cleared. A binding the role does not take may only be sent as null. */
static void apply_bindings(struct user_values *v, const struct binding_input *in, enum role role,
                           struct error *err)
{
    const char *want = account_binding_field(account_binding_of(role));
    for (int b = 0; b < 3; b++) {
        const char **slot = binding_slot(v, b);
        bool wanted = want && strcmp(want, BINDINGS[b]) == 0;
        if (in->sent[b])
            *slot = in->value[b];
        if (!wanted) {
            if (in->sent[b] && in->value[b])
                error_field(err, BINDINGS[b], "not_applicable", "is not for a %s",
                            role_name(role));
            *slot = NULL;
        } else if (!*slot && !in->invalid[b]) {
            error_field(err, BINDINGS[b], "required", "is required for a %s", role_name(role));
        }
    }
}

static bool bindings_exist(struct db *db, const struct user_values *v, struct error *err)
{
    const char *codes[] = {v->school, v->cluster, v->division};
    for (int b = 0; b < 3; b++)
        code_exists(db, BINDING_KINDS[b], BINDINGS[b], codes[b], err);
    return !error_is_set(err);
}

/* ----------------------------------------------------------------------- POST */

static bool read_new_user(const cJSON *doc, struct user_values *v, struct error *err)
{
    enum role role = ROLE_PRINCIPAL;
    struct binding_input in = {0};
    if (json_string_field(doc, "login", true, false, false, 64, &v->login, err))
        validate_login(err, "login", v->login);
    json_string_field(doc, "name", true, false, false, NAME_MAX_CHARS, &v->full_name, err);
    if (json_string_field(doc, "email", false, true, false, 254, &v->email, err) && v->email)
        validate_email(err, "email", v->email);
    bool role_ok = json_string_field(doc, "role", true, false, false, 32, &v->role, err) &&
                   role_parse(v->role, &role);
    if (v->role && !role_ok)
        error_field(err, "role", "invalid_value",
                    "must be principal, cluster_leader, officer, supervisor or admin");
    read_bindings(doc, &in, err);
    if (role_ok)
        apply_bindings(v, &in, role, err);
    v->active = true;
    return !error_is_set(err);
}

static cJSON *creation_details(const struct user_values *v)
{
    cJSON *details = cJSON_CreateObject();
    audit_change_text(details, "login", NULL, v->login);
    audit_change_text(details, "name", NULL, v->full_name);
    audit_change_text(details, "role", NULL, v->role);
    audit_change_text(details, "email", NULL, v->email);
    const char *codes[] = {v->school, v->cluster, v->division};
    for (int b = 0; b < 3; b++)
        if (codes[b])
            audit_change_text(details, BINDINGS[b], NULL, codes[b]);
    return details;
}

void users_create(struct exchange *ex)
{
    static const char *const allowed[] = {"login", "name", "role", "school", "cluster",
                                          "division", "email", NULL};
    struct error err = {0};
    struct user_values v = {0};
    char password[TEMP_PASSWORD_SIZE], hash[SECRET_HASH_SIZE];
    if (!admin_require(ex))
        return;
    cJSON *doc = json_body_object(ex, allowed, &err);
    if (!doc || !read_new_user(doc, &v, &err))
        goto out;
    temp_password_new(password);
    if (!secret_hash_password(password, hash)) {
        error_set(&err, ERR_INTERNAL, "The password could not be hashed.");
        goto out;
    }
    if (!api_db(ex, &err) || !bindings_exist(ex->db, &v, &err) || !db_begin(ex->db, &err))
        goto out;
    if (!db_user_create(ex->db, &v, hash, &err) ||
        !audit_record(ex, "user.create", v.login, creation_details(&v), &err) ||
        !db_commit(ex->db, &err)) {
        db_rollback(ex->db);
        goto out;
    }
    ex->location = xasprintf("/api/users/%s", v.login);
    reply_user(ex, 201, v.login, password);
out:
    if (error_is_set(&err))
        reply_failure(ex, &err, "The user cannot be created as sent; see errors.");
    temp_password_wipe(password, sizeof password);
    cJSON_Delete(doc);
}

/* ----------------------------------------------------------------------- PATCH */

struct user_patch {
    const char *full_name, *email, *role;
    bool email_sent, active_sent, active;
    struct binding_input bindings;
};

static bool read_patch(const cJSON *doc, struct user_patch *p, struct error *err)
{
    enum role role;
    json_string_field(doc, "name", false, false, false, NAME_MAX_CHARS, &p->full_name, err);
    p->email_sent = json_has(doc, "email");
    if (json_string_field(doc, "email", false, true, false, 254, &p->email, err) && p->email)
        validate_email(err, "email", p->email);
    if (json_string_field(doc, "role", false, false, false, 32, &p->role, err) && p->role &&
        !role_parse(p->role, &role))
        error_field(err, "role", "invalid_value",
                    "must be principal, cluster_leader, officer, supervisor or admin");
    p->active_sent = json_has(doc, "active");
    json_bool_field(doc, "active", &p->active, err);
    read_bindings(doc, &p->bindings, err);
    if (!doc->child && !error_is_set(err))
        error_field(err, "body", "nothing_to_change",
                    "names nothing to change (name, email, role, school, cluster, division,"
                    " active)");
    return !error_is_set(err);
}

static void apply_patch(struct user_values *v, const struct user_patch *p, struct error *err)
{
    enum role role = ROLE_PRINCIPAL;
    if (p->full_name)
        v->full_name = p->full_name;
    if (p->email_sent)
        v->email = p->email;
    if (p->role)
        v->role = p->role;
    if (p->active_sent)
        v->active = p->active;
    role_parse(v->role, &role);
    apply_bindings(v, &p->bindings, role, err);
}

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The fields that differ, from -> to; NULL when nothing does. */
static cJSON *change_details(const struct user_values *was, const struct user_values *now)
{
    cJSON *details = cJSON_CreateObject();
    const char *names[] = {"name", "email", "role", "school", "cluster", "division"};
    const char *from[] = {was->full_name, was->email, was->role, was->school, was->cluster,
                          was->division};
    const char *to[] = {now->full_name, now->email, now->role, now->school, now->cluster,
                        now->division};
    for (int i = 0; i < 6; i++)
        if (!same_text(from[i], to[i]))
            audit_change_text(details, names[i], from[i], to[i]);
    if (was->active != now->active)
        audit_change(details, "active", cJSON_CreateBool(was->active),
                     cJSON_CreateBool(now->active));
    if (details->child)
        return details;
    cJSON_Delete(details);
    return NULL;
}

/* An admin who stops being one (another admin's doing) must leave one behind. */
static bool keeps_an_admin(struct db *db, const struct user_values *was,
                           const struct user_values *now, int target_id, struct error *err)
{
    bool leaving = strcmp(was->role, "admin") == 0 && was->active &&
                   (strcmp(now->role, "admin") != 0 || !now->active);
    int others = 0;
    if (!leaving)
        return true;
    if (!db_user_other_admins(db, target_id, &others, err))
        return false;
    return others > 0 || error_coded(err, ERR_CONFLICT, "last_admin",
                                     "The Department must keep at least one active admin.");
}

/* Inside the transaction, with the row locked: check, store, audit. *changed false when
 * the patch changes nothing (then nothing is written). */
static bool store_patch(struct exchange *ex, const struct db_rows *row, const struct user_patch *p,
                        bool *changed, struct error *err)
{
    struct user_values was = values_of_row(row), now = was;
    enum role role = ROLE_PRINCIPAL;
    apply_patch(&now, p, err);
    role_parse(now.role, &role);
    int target_id = (int)db_rows_int(row, 0, "id");
    if (error_is_set(err) || !bindings_exist(ex->db, &now, err))
        return false;
    if (account_self_lockout(ex->user.actor.user_id, target_id, role, now.active))
        return error_coded(err, ERR_CONFLICT, "self_lockout",
                           "You cannot deactivate yourself or give up your own admin role.");
    if (!keeps_an_admin(ex->db, &was, &now, target_id, err))
        return false;
    cJSON *details = change_details(&was, &now);
    if (!(*changed = details != NULL))
        return true;
    bool deactivating = was.active && !now.active;
    int ended = 0;
    if (!db_user_update(ex->db, &now, err) ||
        (deactivating && !db_user_end_sessions(ex->db, target_id, NULL, &ended, err))) {
        cJSON_Delete(details);
        return false;
    }
    if (deactivating)
        cJSON_AddNumberToObject(details, "sessions_ended", ended);
    return audit_record(ex, deactivating ? "user.deactivate" : "user.update", was.login,
                        details, err);
}

void users_patch(struct exchange *ex)
{
    static const char *const allowed[] = {"name", "email", "role", "school", "cluster",
                                          "division", "active", NULL};
    struct error err = {0};
    struct user_patch p = {0};
    struct db_rows *row = NULL;
    bool changed = false;
    const char *login = exchange_path_param(ex, "login");
    if (!admin_require(ex))
        return;
    cJSON *doc = json_body_object(ex, allowed, &err);
    if (!doc || !read_patch(doc, &p, &err) || !api_db(ex, &err) || !db_begin(ex->db, &err))
        goto out;
    if (!load_user(ex, login, true, &row, &err) || !store_patch(ex, row, &p, &changed, &err) ||
        !db_commit(ex->db, &err)) {
        db_rollback(ex->db);
        goto out;
    }
    reply_user(ex, 200, login, NULL);
out:
    if (error_is_set(&err))
        reply_failure(ex, &err, "The user cannot be changed as sent; see errors.");
    db_rows_free(row);
    cJSON_Delete(doc);
}

/* ----------------------------------------------------------------------- reset */

static bool store_reset(struct exchange *ex, const char *login, const char *hash,
                        struct error *err)
{
    struct db_rows *row = NULL;
    bool updated = false;
    int ended = 0;
    bool ok = load_user(ex, login, true, &row, err);
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

void users_reset_password(struct exchange *ex)
{
    struct error err = {0};
    char password[TEMP_PASSWORD_SIZE], hash[SECRET_HASH_SIZE];
    const char *login = exchange_path_param(ex, "login");
    if (!admin_require(ex))
        return;
    static const char *const nothing[] = {NULL};
    cJSON *body = ex->body_len > 0 ? json_body_object(ex, nothing, &err) : NULL;
    cJSON_Delete(body);
    if (error_is_set(&err))
        goto out;
    temp_password_new(password);
    if (!secret_hash_password(password, hash)) {
        error_set(&err, ERR_INTERNAL, "The password could not be hashed.");
        goto out;
    }
    if (!api_db(ex, &err) || !db_begin(ex->db, &err))
        goto out;
    if (!store_reset(ex, login, hash, &err) || !db_commit(ex->db, &err)) {
        db_rollback(ex->db);
        goto out;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "temporary_password", password);
    reply_json(ex, 200, doc);
out:
    if (error_is_set(&err))
        reply_failure(ex, &err, "The password cannot be reset as asked; see errors.");
    temp_password_wipe(password, sizeof password);
}
