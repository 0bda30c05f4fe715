/* account_api.c -- PUT /api/me/password: a user changes their own password, proving the
 * current one with the same bounded argon2id check as signing in, run like it off the
 * worker threads and throttled like it (each try counts as a failed sign-in of the user's
 * login from the client's address until the password proves right). Success clears must_change_password and ends the user's other sessions;
 * the session that made the change goes on. */
#include "api/admin_api.h"

#include <stdlib.h>
#include <string.h>

#include "api/reply.h"
#include "api/request_bodies.h"
#include "api/session_api.h"
#include "db/user_admin_store.h"
#include "domain/account_rules.h"
#include "domain/sign_in_rules.h"
#include "util/secret.h"
#include "util/xalloc.h"

bool account_allowed_before_change(const struct exchange *ex)
{
    bool get = ex->method == METHOD_GET || ex->method == METHOD_HEAD;
    return (get && strcmp(ex->path, "/api/me") == 0) ||
           (ex->method == METHOD_PUT && strcmp(ex->path, "/api/me/password") == 0) ||
           (ex->method == METHOD_DELETE && strcmp(ex->path, "/api/session") == 0);
}

/* The stored hash of the signed-in user (found: false when the account is gone). */
static bool stored_hash(struct exchange *ex, char hash[SECRET_HASH_SIZE], struct error *err)
{
    struct user_profile profile;
    if (!api_db(ex, err))
        return false;
    bool found = db_user_credentials(ex->db, ex->user.login, &profile, hash, SECRET_HASH_SIZE,
                                     err);
    if (!found && !error_is_set(err))
        error_coded(err, ERR_UNAUTHENTICATED, "session_ended",
                    "Your session has ended; sign in again.");
    return found;
}

static bool store_password(struct exchange *ex, const char *old_hash, const char *new_hash,
                           struct error *err)
{
    bool updated = false;
    int ended = 0;
    int id = ex->user.actor.user_id;
    if (!api_db(ex, err) || !db_begin(ex->db, err))
        return false;
    bool ok = db_user_set_password(ex->db, id, new_hash, false, old_hash, &updated, err) &&
              (updated || error_coded(err, ERR_CONFLICT, "password_changed_meanwhile",
                                      "The password was changed meanwhile; sign in again.")) &&
              db_user_end_sessions(ex->db, id, ex->token_hash, &ended, err) &&
              db_commit(ex->db, err);
    if (!ok)
        db_rollback(ex->db);
    return ok;
}

/* A change between its two halves on workers; the check of the current password and the
 * hashing of the new one run between them on a thread of their own (exchange_defer). */
struct change {
    cJSON *doc;                            /* holds both passwords */
    const char *current, *next;
    char login_key[SIGN_IN_LOGIN_KEY], address_key[SIGN_IN_ADDRESS_KEY];
    char old_hash[SECRET_HASH_SIZE], new_hash[SECRET_HASH_SIZE];
    bool current_ok, hashed;
};

static void change_free(void *state)
{
    struct change *c = state;
    cJSON_Delete(c->doc);
    free(c);
}

static void change_hash(void *state)
{
    struct change *c = state;
    c->current_ok = secret_verify_password(c->old_hash, c->current);
    c->hashed = c->current_ok && secret_hash_password(c->next, c->new_hash);
}

static void change_answer(struct exchange *ex, void *state)
{
    struct change *c = state;
    struct error err = {0};
    if (!c->current_ok)
        error_field(&err, "current_password", "wrong_password", "is not your current password");
    else if (!c->hashed)
        error_set(&err, ERR_INTERNAL, "The password could not be hashed.");
    else if (sign_in_forget(ex, c->login_key, c->address_key, &err) &&
             store_password(ex, c->old_hash, c->new_hash, &err))
        reply_empty(ex, 204);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The password cannot be changed as sent; see errors.");
}

void account_change_password(struct exchange *ex)
{
    struct error err = {0};
    struct change *c = xcalloc(1, sizeof *c);
    sign_in_login_key(ex->user.login, c->login_key);
    sign_in_address_key(ex->client_address, c->address_key);
    /* A wrong current password counts against the login like a failed sign-in. */
    if (!account_passwords_body(ex, &c->doc, &c->current, &c->next, &err) ||
        !sign_in_attempt(ex, c->login_key, c->address_key, &err) ||
        !stored_hash(ex, c->old_hash, &err)) {
        reply_failure(ex, &err, "The password cannot be changed as sent; see errors.");
        change_free(c);
        return;
    }
    exchange_defer(ex, change_hash, change_answer, change_free, c);
}
