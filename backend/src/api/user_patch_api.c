/* user_patch_api.c -- PATCH /api/users/{login} (admin only): name, e-mail, role and its
 * binding, active. Deactivating ends the user's sessions; an admin cannot lock themself
 * out, and the Department always keeps one active admin. */
#include "api/admin_api.h"

#include <string.h>

#include "api/json_input.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "api/user_admin.h"
#include "domain/account_rules.h"
#include "domain/validate.h"

cJSON *user_patch_body(const struct exchange *ex, struct user_patch *p, struct error *err)
{
    static const char *const allowed[] = {"name", "email", "role", "school", "cluster",
                                          "division", "active", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    enum role role;
    json_string_field(doc, "name", false, false, false, USER_NAME_MAX_CHARS, &p->full_name, err);
    p->email_sent = json_has(doc, "email");
    if (json_string_field(doc, "email", false, true, false, 254, &p->email, err) && p->email)
        validate_email(err, "email", p->email);
    if (json_string_field(doc, "role", false, false, false, 32, &p->role, err) && p->role &&
        !role_parse(p->role, &role))
        error_field(err, "role", "invalid_value",
                    "must be principal, cluster_leader, officer, supervisor or admin");
    p->active_sent = json_has(doc, "active");
    json_bool_field(doc, "active", &p->active, err);
    user_admin_read_bindings(doc, &p->bindings, err);
    if (!doc->child && !error_is_set(err))
        error_field(err, "body", "nothing_to_change",
                    "names nothing to change (name, email, role, school, cluster, division,"
                    " active)");
    return doc;
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
    user_admin_apply_bindings(v, &p->bindings, role, err);
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
    struct user_values was = user_admin_values(row), now = was;
    enum role role = ROLE_PRINCIPAL;
    apply_patch(&now, p, err);
    role_parse(now.role, &role);
    int target_id = (int)db_rows_int(row, 0, "id");
    if (error_is_set(err) || !user_admin_bindings_exist(ex->db, &now, err))
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
    int ended = 0, released = 0;
    if (!db_user_update(ex->db, &now, err) ||
        (deactivating && !db_user_end_sessions(ex->db, target_id, NULL, &ended, err)) ||
        !db_user_release_issues(ex->db, target_id, ex->user.actor.user_id, &released, err)) {
        cJSON_Delete(details);
        return false;
    }
    if (deactivating)
        cJSON_AddNumberToObject(details, "sessions_ended", ended);
    /* An officer moved to another division, or gone, no longer holds the old issues. */
    if (released > 0)
        cJSON_AddNumberToObject(details, "issues_released", released);
    return audit_record(ex, deactivating ? "user.deactivate" : "user.update", was.login,
                        details, err);
}

void users_patch(struct exchange *ex)
{
    struct error err = {0};
    struct user_patch p = {0};
    struct db_rows *row = NULL;
    bool changed = false;
    const char *login = exchange_path_param(ex, "login");
    if (!admin_require(ex))
        return;
    cJSON *doc = user_patch_body(ex, &p, &err);
    if (error_is_set(&err) || !api_db(ex, &err) || !db_begin(ex->db, &err))
        goto out;
    if (!db_assignee_hold(ex->db, login, true, &err) ||
        !user_admin_load(ex, login, true, &row, &err) ||
        !store_patch(ex, row, &p, &changed, &err) || !db_commit(ex->db, &err)) {
        db_rollback(ex->db);
        goto out;
    }
    user_admin_reply(ex, 200, login, NULL);
out:
    if (error_is_set(&err))
        reply_failure(ex, &err, "The user cannot be changed as sent; see errors.");
    db_rows_free(row);
    cJSON_Delete(doc);
}
