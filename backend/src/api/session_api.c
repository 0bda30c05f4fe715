/* session_api.c -- POST/DELETE /api/session, GET /api/me, and authentication. */
#include "api/session_api.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/admin_api.h"
#include "api/csrf.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "db/db_context.h"
#include "db/sign_in_throttle_store.h"
#include "domain/sign_in_rules.h"
#include "util/secret.h"
#include "util/xalloc.h"

#define BAD_LOGIN "The login or the password is not right."

static cJSON *user_json(const struct user_profile *u)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "login", u->login);
    cJSON_AddStringToObject(obj, "name", u->full_name);
    cJSON_AddStringToObject(obj, "role", role_name(u->actor.role));
    const char *values[] = {u->email, u->school, u->cluster, u->division};
    const char *keys[] = {"email", "school", "cluster", "division"};
    for (int i = 0; i < 4; i++) {
        if (values[i][0])
            cJSON_AddStringToObject(obj, keys[i], values[i]);
        else
            cJSON_AddNullToObject(obj, keys[i]);
    }
    cJSON_AddBoolToObject(obj, "must_change_password", u->must_change_password);
    return obj;
}

/* The presented token: the Bearer header wins over the cookie. */
static const char *presented_token(const struct exchange *ex, bool *by_cookie)
{
    const char *auth = ex->authorization;
    *by_cookie = false;
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0)
        return auth + 7;
    *by_cookie = ex->cookie_token != NULL;
    return ex->cookie_token;
}

static bool token_shape_ok(const char *token)
{
    if (strlen(token) != SECRET_TOKEN_HEX - 1)
        return false;
    return strspn(token, "0123456789abcdef") == SECRET_TOKEN_HEX - 1;
}

bool api_authenticate(struct exchange *ex, struct error *err)
{
    bool by_cookie = false;
    const char *token = presented_token(ex, &by_cookie);
    if (!token || !token_shape_ok(token))
        return error_set(err, ERR_UNAUTHENTICATED, "Sign in first: no valid session was presented.");
    secret_token_hash(token, ex->token_hash);
    struct db *db = api_db(ex, err);
    if (!db)
        return false;
    if (!db_session_touch(db, ex->token_hash, ex->app->session_idle_seconds, &ex->user, err)) {
        if (!error_is_set(err))
            error_coded(err, ERR_UNAUTHENTICATED, "session_ended",
                        "Your session has ended; sign in again.");
        return false;
    }
    ex->authenticated = true;
    exchange_act(ex, db);       /* from here on the database sees this user acting */
    ex->by_cookie = by_cookie;
    csrf_token_for(token, ex->csrf_token);
    /* A temporary password opens nothing but the way to replace it. */
    if (ex->user.must_change_password && !account_allowed_before_change(ex))
        return error_coded(err, ERR_FORBIDDEN, "password_change_required",
                           "Change your temporary password first (PUT /api/me/password).");
    return true;
}

/* `token` NULL: tell the browser to forget the cookie. */
static void set_session_cookie(struct exchange *ex, const char *token)
{
    /* No Max-Age on a session: its lifetime slides on the server with each use, and a
     * browser-side expiry would cut it short. */
    ex->set_cookie = xasprintf("%s=%s; %sHttpOnly; SameSite=Strict; Path=/%s",
                               ex->https ? SESSION_COOKIE_HTTPS : SESSION_COOKIE_HTTP,
                               token ? token : "", ex->https ? "Secure; " : "",
                               token ? "" : "; Max-Age=0");
}

/* A sign-in between its two halves, which run on workers; the password check runs
 * between them on a thread of its own (exchange_defer). */
struct sign_in {
    cJSON *doc;                              /* holds password */
    const char *password;
    char login_key[SIGN_IN_LOGIN_KEY];
    char address_key[SIGN_IN_ADDRESS_KEY];
    bool found;                              /* an active user has this login */
    bool ok;                                 /* ...and this password */
    struct user_profile user;
    char hash[SECRET_HASH_SIZE];
};

static void sign_in_free(void *state)
{
    struct sign_in *s = state;
    cJSON_Delete(s->doc);
    free(s);
}

/* Off the worker. Unknown login and wrong password are the same answer, after the same
 * work (a NULL hash is checked against a dummy). */
static void sign_in_check(void *state)
{
    struct sign_in *s = state;
    s->ok = secret_verify_password(s->found ? s->hash : NULL, s->password) && s->found;
}

/* The session the client came with, if any, ends: a sign-in never carries one on. */
static bool end_presented_session(struct exchange *ex, struct db *db, struct error *err)
{
    bool by_cookie = false;
    const char *token = presented_token(ex, &by_cookie);
    if (!token || !token_shape_ok(token))
        return true;
    char token_hash[SECRET_TOKEN_HEX];
    secret_token_hash(token, token_hash);
    return db_session_delete(db, token_hash, err);
}

static bool start_session(struct exchange *ex, struct db *db, const struct sign_in *s,
                          struct error *err)
{
    char token[SECRET_TOKEN_HEX], token_hash[SECRET_TOKEN_HEX], expires_at[40];
    char csrf[CSRF_TOKEN_HEX];
    secret_new_token(token);
    secret_token_hash(token, token_hash);
    if (!sign_in_forget(ex, s->login_key, s->address_key, err) ||
        !end_presented_session(ex, db, err) ||
        !db_session_create(db, token_hash, s->user.actor.user_id,
                           ex->app->session_max_seconds, expires_at, err))
        return false;
    csrf_token_for(token, csrf);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "token", token);
    cJSON_AddStringToObject(out, "csrf_token", csrf);
    cJSON_AddItemToObject(out, "user", user_json(&s->user));
    cJSON_AddStringToObject(out, "expires_at", expires_at);
    set_session_cookie(ex, token);
    reply_json(ex, 200, out);
    ex->response_secret = true;
    return true;
}

/* Back on a worker, after the check. A wrong password writes nothing more: the try was
 * counted as a failure before the check (sign_in_attempt). */
static void sign_in_answer(struct exchange *ex, void *state)
{
    struct sign_in *s = state;
    struct error err = {0};
    struct db *db = api_db(ex, &err);
    if (db && !s->ok)
        error_coded(&err, ERR_UNAUTHENTICATED, "bad_login", BAD_LOGIN);
    if (db && s->ok)
        start_session(ex, db, s, &err);
    if (error_is_set(&err))
        reply_error(ex, &err);
}

bool sign_in_attempt(struct exchange *ex, const char *login_key, const char *address_key,
                     struct error *err)
{
    int wait = 0;
    struct db *db = api_db(ex, err);
    if (!db)
        return false;
    db_act_as(db, NULL);        /* the counters are the sign-in context's, whoever asks */
    bool ok = db_sign_in_attempt(db, login_key, address_key, &wait, err);
    exchange_act(ex, db);
    if (!ok || wait == 0)
        return ok;
    error_coded(err, ERR_TOO_MANY, "too_many_sign_ins",
                "Too many failed sign-ins from your address; try again in %d seconds.", wait);
    ex->retry_after = wait;
    return false;
}

bool sign_in_forget(struct exchange *ex, const char *login_key, const char *address_key,
                    struct error *err)
{
    struct db *db = api_db(ex, err);
    if (!db)
        return false;
    db_act_as(db, NULL);
    bool ok = db_sign_in_succeeded(db, login_key, address_key, err);
    exchange_act(ex, db);
    return ok;
}

void session_create(struct exchange *ex)
{
    struct error err = {0};
    struct sign_in *s = xcalloc(1, sizeof *s);
    const char *login = NULL;
    struct db *db = NULL;
    if (!session_credentials_body(ex, &s->doc, &login, &s->password, &err))
        goto fail;
    sign_in_login_key(login, s->login_key);
    sign_in_address_key(ex->client_address, s->address_key);
    if (!sign_in_attempt(ex, s->login_key, s->address_key, &err) || !(db = api_db(ex, &err)))
        goto fail;
    s->found = db_user_credentials(db, login, &s->user, s->hash, sizeof s->hash, &err);
    if (error_is_set(&err))
        goto fail;
    exchange_defer(ex, sign_in_check, sign_in_answer, sign_in_free, s);
    return;
fail:
    reply_error(ex, &err);
    sign_in_free(s);
}

void session_delete(struct exchange *ex)
{
    struct error err = {0};
    struct db *db = api_db(ex, &err);
    if (!db || !db_session_delete(db, ex->token_hash, &err)) {
        reply_error(ex, &err);
        return;
    }
    /* Tell the browser to forget the cookie too. */
    set_session_cookie(ex, NULL);
    reply_empty(ex, 204);
}

void session_me(struct exchange *ex)
{
    cJSON *me = user_json(&ex->user);
    cJSON_AddStringToObject(me, "csrf_token", ex->csrf_token);
    reply_json(ex, 200, me);
    ex->response_secret = true;
}
