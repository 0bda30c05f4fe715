/* session_api.c -- POST/DELETE /api/session, GET /api/me, and authentication. */
#include "api/session_api.h"

#include <string.h>
#include <strings.h>

#include "api/admin_api.h"
#include "api/csrf.h"
#include "api/json_input.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "domain/validate.h"
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
    if (!db_session_touch(db, ex->token_hash, ex->app->session_ttl_seconds, &ex->user, err)) {
        if (!error_is_set(err))
            error_coded(err, ERR_UNAUTHENTICATED, "session_ended",
                        "Your session has ended; sign in again.");
        return false;
    }
    ex->authenticated = true;
    ex->by_cookie = by_cookie;
    csrf_token_for(token, ex->csrf_token);
    /* A temporary password opens nothing but the way to replace it. */
    if (ex->user.must_change_password && !account_allowed_before_change(ex))
        return error_coded(err, ERR_FORBIDDEN, "password_change_required",
                           "Change your temporary password first (PUT /api/me/password).");
    return true;
}

bool session_credentials_body(const struct exchange *ex, cJSON **doc, const char **login,
                              const char **password, struct error *err)
{
    static const char *const allowed[] = {"login", "password", NULL};
    *doc = json_body_object(ex, allowed, err);
    if (!*doc)
        return false;
    json_string_field(*doc, "login", true, false, false, 64, login, err);
    json_string_field(*doc, "password", true, false, false, 1024, password, err);
    return !error_is_set(err);
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

void session_create(struct exchange *ex)
{
    struct error err = {0};
    cJSON *doc = NULL;
    const char *login = NULL, *password = NULL;
    struct user_profile user;
    char hash[SECRET_HASH_SIZE] = "";
    char token[SECRET_TOKEN_HEX], token_hash[SECRET_TOKEN_HEX], expires_at[40];

    if (!session_credentials_body(ex, &doc, &login, &password, &err))
        goto fail;
    struct db *db = api_db(ex, &err);
    if (!db)
        goto fail;
    bool found = db_user_credentials(db, login, &user, hash, sizeof hash, &err);
    if (error_is_set(&err))
        goto fail;
    exchange_release_db(ex);   /* hashing takes a while; others may use the connection */
    /* Unknown login and wrong password are the same answer, after the same work. */
    if (!secret_verify_password(found ? hash : NULL, password) || !found) {
        error_coded(&err, ERR_UNAUTHENTICATED, "bad_login", BAD_LOGIN);
        goto fail;
    }
    secret_new_token(token);
    secret_token_hash(token, token_hash);
    if (!(db = api_db(ex, &err)) || !db_session_create(db, token_hash, user.actor.user_id, ex->app->session_ttl_seconds,
                           expires_at, &err))
        goto fail;
    char csrf[CSRF_TOKEN_HEX];
    csrf_token_for(token, csrf);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "token", token);
    cJSON_AddStringToObject(out, "csrf_token", csrf);
    cJSON_AddItemToObject(out, "user", user_json(&user));
    cJSON_AddStringToObject(out, "expires_at", expires_at);
    set_session_cookie(ex, token);
    reply_json(ex, 200, out);
    cJSON_Delete(doc);
    return;
fail:
    cJSON_Delete(doc);
    reply_error(ex, &err);
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
}
