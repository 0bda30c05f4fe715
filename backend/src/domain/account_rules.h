/* account_rules.h -- the rules for accounts that need no database: what a new password
 * must be, what each role is bound to, and what an admin may not do to themself. */
#ifndef DL_DOMAIN_ACCOUNT_RULES_H
#define DL_DOMAIN_ACCOUNT_RULES_H

#include <stdbool.h>
#include "domain/error.h"
#include "domain/types.h"

#define NEW_PASSWORD_MIN_CHARS 10
#define NEW_PASSWORD_MAX_CHARS 200
/* What a presented password (sign-in, current password) may be at most, in bytes: the
 * bound on the work one try costs, and no rule of its own beyond that. */
#define PASSWORD_MAX_BYTES 1024

/* A password a person chooses: validate_password's rules, 10 to 200 characters, not
 * only white space, and not the login itself. Adds a field error under `field` and returns false otherwise. */
bool account_password_check(struct error *err, const char *field, const char *password,
                            const char *login);

/* The one binding a role carries. */
enum binding { BINDING_NONE, BINDING_SCHOOL, BINDING_CLUSTER, BINDING_DIVISION };
enum binding account_binding_of(enum role role);
/* The request field that names a binding ("school", ...); NULL for BINDING_NONE. */
const char *account_binding_field(enum binding b);

/* Whether an admin changing their own account would lock themself out: deactivating
 * themself or giving up the admin role (so the Department always keeps an admin). */
bool account_self_lockout(int actor_id, int target_id, enum role new_role, bool new_active);

#endif
