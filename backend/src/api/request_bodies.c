/* request_bodies.c -- the two bodies that carry passwords, sign-in and password change,
 * read alike: a password is taken raw (white space and all), so whatever a change can
 * set, a sign-in can present. */
#include "api/request_bodies.h"

#include <string.h>

#include "api/json_input.h"
#include "domain/account_rules.h"

/* Present, a string, at most PASSWORD_MAX_BYTES bytes: no other rule, because a password
 * is not text to tidy (a blank one is refused only when it is being chosen). NULL with a
 * field error otherwise. */
static const char *raw_password(const cJSON *doc, const char *name, struct error *err)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(doc, name);
    if (!item) {
        error_field(err, name, "required", "is required");
        return NULL;
    }
    if (!cJSON_IsString(item)) {
        error_field(err, name, "not_text", "must be a string");
        return NULL;
    }
    if (strlen(item->valuestring) > PASSWORD_MAX_BYTES) {
        error_field(err, name, "too_long_bytes", "must be at most %d bytes", PASSWORD_MAX_BYTES);
        error_param(err, "max", PASSWORD_MAX_BYTES);
        return NULL;
    }
    return item->valuestring;
}

bool session_credentials_body(const struct exchange *ex, cJSON **doc, const char **login,
                              const char **password, struct error *err)
{
    static const char *const allowed[] = {"login", "password", NULL};
    *doc = json_body_object(ex, allowed, err);
    if (!*doc)
        return false;
    json_string_field(*doc, "login", true, false, false, 64, login, err);
    *password = raw_password(*doc, "password", err);
    return !error_is_set(err);
}

bool account_passwords_body(const struct exchange *ex, cJSON **doc, const char **current,
                            const char **next, struct error *err)
{
    static const char *const allowed[] = {"current_password", "new_password", NULL};
    *doc = json_body_object(ex, allowed, err);
    if (!*doc)
        return false;
    *current = raw_password(*doc, "current_password", err);
    *next = raw_password(*doc, "new_password", err);
    if (*next)
        account_password_check(err, "new_password", *next, ex->user.login);
    if (*current && *next && strcmp(*current, *next) == 0)
        error_field(err, "new_password", "unchanged", "must differ from the current password");
    return !error_is_set(err);
}
