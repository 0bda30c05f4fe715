/* user_admin_store.h -- the SQL of user administration: the filtered list, one user's
 * row, creating and changing users, setting passwords, ending sessions. */
#ifndef DL_DB_USER_ADMIN_STORE_H
#define DL_DB_USER_ADMIN_STORE_H

#include <stdbool.h>
#include "db/db.h"

struct user_list_filter {
    const char *role, *school, *cluster, *division;  /* codes, NULL: any */
    const char *q;              /* part of the login or of the name, accents ignored */
    int active;                 /* -1 any, 0 inactive, 1 active */
    const char *after_login;    /* keyset: logins after this one */
    int limit;                  /* rows wanted; one more is read to tell if a page follows */
};

/* Every list and row has: id, login, full_name, email, role, school, cluster, division
 * (binding codes, NULL when not bound), active, must_change_password, created_at. */
struct db_rows *db_users_list(struct db *db, const struct user_list_filter *f,
                              struct error *err);
/* The user's row (no rows when there is none); lock: FOR UPDATE, inside a transaction. */
struct db_rows *db_user_row(struct db *db, const char *login, bool lock, struct error *err);

/* A user's whole editable state, binding as codes (NULL when not bound). */
struct user_values {
    const char *login, *full_name, *email, *role;
    const char *school, *cluster, *division;
    bool active;
};

/* Inserts a user who must change the temporary password at first sign-in. A taken login
 * is ERR_CONFLICT code login_taken. */
bool db_user_create(struct db *db, const struct user_values *v, const char *password_hash,
                    struct error *err);
/* Writes every field of v to the user with v->login. */
bool db_user_update(struct db *db, const struct user_values *v, struct error *err);
/* Sets the password hash and must_change_password. With expected_hash, only when the
 * stored hash is still that one (*updated says whether it was). */
bool db_user_set_password(struct db *db, int user_id, const char *hash, bool must_change,
                          const char *expected_hash, bool *updated, struct error *err);
/* How many active admins there are besides user_id. Takes a transaction-level advisory
 * lock first, so two admins demoting each other at once cannot leave none. */
bool db_user_other_admins(struct db *db, int user_id, int *count, struct error *err);
/* Ends the user's sessions, except the one whose token hash is keep_token_hash (NULL:
 * all); *ended receives how many. */
/* Lets go of the unfinished issues that user_id may no longer hold (deactivated, or no
 * longer an officer of the issue's division nor a supervisor): each loses its assignee
 * with a set_assignee event by actor_id. *count: how many. */
bool db_user_release_issues(struct db *db, int user_id, int actor_id, int *count,
                            struct error *err);
bool db_user_end_sessions(struct db *db, int user_id, const char *keep_token_hash,
                          int *ended, struct error *err);

#endif
