/* user_store.h -- users and their sessions in PostgreSQL. */
#ifndef DL_DB_USER_STORE_H
#define DL_DB_USER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include "db/db.h"
#include "domain/access.h"

struct user_profile {
    struct actor actor;          /* id, role and binding ids */
    char login[65];
    char full_name[801];         /* 200 characters of up to 4 bytes */
    char email[255];             /* empty when none */
    char school[33];             /* binding codes; empty when not bound */
    char cluster[33];
    char division[33];
    bool must_change_password;   /* a temporary password: only changing it is allowed */
};

struct new_user {
    const char *login, *full_name, *email, *role;
    const char *school, *cluster, *division;   /* codes, NULL when not given */
    const char *password_hash;
};

/* Inserts the user; unknown binding codes and duplicate logins are ERR_INVALID /
 * ERR_CONFLICT with a message naming them. */
bool db_user_insert(struct db *db, const struct new_user *u, struct error *err);

/* Finds an active user by login: true and fills profile and hash (a buffer of
 * hash_size bytes); false when there is none or on error (err says which). */
bool db_user_credentials(struct db *db, const char *login, struct user_profile *profile,
                         char *hash, size_t hash_size, struct error *err);

/* A new session for the user, ending max_seconds from now however it is used;
 * expires_at receives that end (RFC 3339). */
bool db_session_create(struct db *db, const char *token_hash_hex, int user_id,
                       int max_seconds, char expires_at[40], struct error *err);
/* Finds a live session (before its end, and last marked used within idle_seconds) and
 * marks it used now, but only when the mark is older than SESSION_MARK_SECONDS(idle):
 * most requests thus only read, and a session may end up to that much before its idle
 * limit, never after it. False when there is none (err unset). */
#define SESSION_MARK_SECONDS(idle) ((idle) / 10 < 60 ? (idle) / 10 : 60)
bool db_session_touch(struct db *db, const char *token_hash_hex, int idle_seconds,
                      struct user_profile *profile, struct error *err);
bool db_session_delete(struct db *db, const char *token_hash_hex, struct error *err);
/* For the sweep: deletes the sessions past their end. */
bool db_session_purge(struct db *db, long long *purged, struct error *err);

#endif
