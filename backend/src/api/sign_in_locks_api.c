/* sign_in_locks_api.c -- what an admin sees of sign-in throttling and how a lock ends
 * early: clearing the failures of a login, of an address, or of a login from an address.
 * A clearing that forgets something is an admin change, audited in its transaction. */
#include "api/sign_in_locks_api.h"

#include <stdlib.h>

#include "api/admin_api.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "db/sign_in_throttle_store.h"
#include "domain/sign_in_rules.h"
#include "domain/validate.h"
#include "util/xalloc.h"

static cJSON *lock_json(const struct db_rows *rows, int i)
{
    cJSON *item = cJSON_CreateObject();
    json_add_text_or_null(item, "login", db_rows_get(rows, i, "login"));
    cJSON_AddStringToObject(item, "address", db_rows_get(rows, i, "address"));
    cJSON_AddNumberToObject(item, "failures", (double)db_rows_int(rows, i, "failures"));
    cJSON_AddStringToObject(item, "last_failure_at", db_rows_get(rows, i, "last_failure_at"));
    cJSON_AddStringToObject(item, "until", db_rows_get(rows, i, "until"));
    return item;
}

void sign_in_locks_list(struct exchange *ex)
{
    static const char *const allowed[] = {NULL};
    struct error err = {0};
    struct db_rows *rows = NULL;
    if (!admin_require(ex))
        return;
    if (!query_check_names(ex, allowed, &err) || !api_db(ex, &err) ||
        !(rows = db_sign_in_locks(ex->db, &err))) {
        reply_failure(ex, &err, "The sign-in locks cannot be listed as asked; see errors.");
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    for (int i = 0; i < db_rows_count(rows); i++)
        cJSON_AddItemToArray(items, lock_json(rows, i));
    db_rows_free(rows);
    cJSON_AddNumberToObject(doc, "window_seconds", SIGN_IN_WINDOW_SECONDS);
    cJSON_AddNumberToObject(doc, "max_per_login", SIGN_IN_MAX_PER_LOGIN);
    cJSON_AddNumberToObject(doc, "max_per_address", SIGN_IN_MAX_PER_ADDRESS);
    reply_json(ex, 200, doc);
}

/* ?login= and ?address=, at least one, as the keys failures are counted under. */
static bool read_target(const struct exchange *ex, char login[SIGN_IN_LOGIN_KEY],
                        char address[SIGN_IN_ADDRESS_KEY], struct error *err)
{
    static const char *const allowed[] = {"login", "address", NULL};
    if (!query_check_names(ex, allowed, err))
        return false;
    const char *l = exchange_query(ex, "login"), *a = exchange_query(ex, "address");
    if (!l && !a)
        return error_field(err, "login", "required", "give a login, an address or both");
    if (l && validate_text(err, "login", l, 64))
        sign_in_login_key(l, login);
    if (a && validate_text(err, "address", a, SIGN_IN_ADDRESS_KEY - 1))
        sign_in_address_key(a, address);
    return !error_is_set(err);
}

static char *target_text(const char *login, const char *address)
{
    if (login[0] && address[0])
        return xasprintf("%s from %s", login, address);
    return xstrdup(login[0] ? login : address);
}

void sign_in_locks_clear(struct exchange *ex)
{
    struct error err = {0};
    char login[SIGN_IN_LOGIN_KEY] = "", address[SIGN_IN_ADDRESS_KEY] = "";
    int cleared = 0;
    if (!admin_require(ex))
        return;
    if (!read_target(ex, login, address, &err) || !api_db(ex, &err) ||
        !db_begin(ex->db, &err))
        goto fail;
    bool ok = db_sign_in_clear(ex->db, login[0] ? login : NULL, address[0] ? address : NULL,
                               &cleared, &err);
    if (ok && cleared > 0) {
        cJSON *details = cJSON_CreateObject();
        json_add_text_or_null(details, "login", login[0] ? login : NULL);
        json_add_text_or_null(details, "address", address[0] ? address : NULL);
        cJSON_AddNumberToObject(details, "failures_cleared", cleared);
        char *target = target_text(login, address);
        ok = audit_record(ex, "sign_in.unlock", target, details, &err);
        free(target);
    }
    if (!ok || !db_commit(ex->db, &err)) {
        db_rollback(ex->db);
        goto fail;
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "cleared", cleared);
    reply_json(ex, 200, out);
    return;
fail:
    reply_failure(ex, &err, "The sign-in lock cannot be cleared as asked; see errors.");
}
