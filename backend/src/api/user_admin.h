/* user_admin.h -- what the user-administration handlers share: the USER_ITEM answer,
 * loading a user, and the rules that bind a role to a school, cluster or division. */
#ifndef DL_API_USER_ADMIN_H
#define DL_API_USER_ADMIN_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include "api/exchange.h"
#include "db/reference_store.h"
#include "db/user_admin_store.h"
#include "domain/types.h"

#define USER_NAME_MAX_CHARS 200

/* The binding fields, in the order of struct user_values, and the kind each names. */
extern const char *const USER_BINDINGS[3];
extern const enum reference_kind USER_BINDING_KINDS[3];

/* USER plus what an admin sees: active, must_change_password, created_at. */
cJSON *user_admin_json(const struct db_rows *rows, int i);
/* The editable state of the first row (pointers into rows). */
struct user_values user_admin_values(const struct db_rows *rows);
/* A code that must name an existing row (field error unknown_code otherwise); NULL is. */
bool user_admin_code_exists(struct db *db, enum reference_kind kind, const char *field,
                            const char *code, struct error *err);
/* Reads the user with `login` into *rows (locked when lock); 404 unknown_user when there
 * is none. The caller frees *rows either way. */
bool user_admin_load(struct exchange *ex, const char *login, bool lock, struct db_rows **rows,
                     struct error *err);
/* Answers with the user as stored now; with a temporary password,
 * {"user": USER_ITEM, "temporary_password": ...}. */
void user_admin_reply(struct exchange *ex, int status, const char *login,
                      const char *temporary_password);

/* Which binding fields the body sent (even as null), and their values. */
struct binding_input {
    bool sent[3], invalid[3];
    const char *value[3];
};

void user_admin_read_bindings(const cJSON *doc, struct binding_input *in, struct error *err);
/* The role's one binding from the body or, when the body does not name it, as it was;
 * the others cleared. A binding the role does not take may only be sent as null. */
void user_admin_apply_bindings(struct user_values *v, const struct binding_input *in,
                               enum role role, struct error *err);
bool user_admin_bindings_exist(struct db *db, const struct user_values *v, struct error *err);

#endif
