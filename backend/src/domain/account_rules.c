/* account_rules.c -- password, binding and self-lockout rules for accounts. */
#include "domain/account_rules.h"

#include <string.h>

#include "domain/validate.h"

bool account_password_check(struct error *err, const char *field, const char *password,
                            const char *login)
{
    if (!validate_password(err, field, password))
        return false;
    /* Refused here, not at sign-in: sign-in takes any password as sent. */
    if (password[strspn(password, " \t\r\n")] == '\0')
        return error_field(err, field, "blank", "must not be only spaces");
    size_t chars = utf8_length(password, strlen(password));
    if (chars < NEW_PASSWORD_MIN_CHARS)
        return error_field(err, field, "too_short", "must be at least %d characters",
                           NEW_PASSWORD_MIN_CHARS) ||
               error_param(err, "min", NEW_PASSWORD_MIN_CHARS);
    if (chars > NEW_PASSWORD_MAX_CHARS)
        return error_field(err, field, "too_long", "must be at most %d characters",
                           NEW_PASSWORD_MAX_CHARS) ||
               error_param(err, "max", NEW_PASSWORD_MAX_CHARS);
    if (login && strcmp(password, login) == 0)
        return error_field(err, field, "same_as_login", "must not be the login");
    return true;
}

enum binding account_binding_of(enum role role)
{
    switch (role) {
    case ROLE_PRINCIPAL: return BINDING_SCHOOL;
    case ROLE_CLUSTER_LEADER: return BINDING_CLUSTER;
    case ROLE_OFFICER: return BINDING_DIVISION;
    default: return BINDING_NONE;
    }
}

const char *account_binding_field(enum binding b)
{
    static const char *const names[] = {
        [BINDING_NONE] = NULL, [BINDING_SCHOOL] = "school",
        [BINDING_CLUSTER] = "cluster", [BINDING_DIVISION] = "division",
    };
    return names[b];
}

bool account_self_lockout(int actor_id, int target_id, enum role new_role, bool new_active)
{
    return actor_id == target_id && (!new_active || new_role != ROLE_ADMIN);
}
