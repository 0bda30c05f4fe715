/* user_store.c -- SQL for users and sessions. Tokens reach the database only as hashes. */
#include "db/user_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/types.h"

#define PROFILE_COLUMNS \
    "u.id, u.login, u.full_name, u.email, u.role, u.password_hash, u.must_change_password," \
    " coalesce(u.school_id, 0) AS school_id, coalesce(u.division_id, 0) AS division_id," \
    " coalesce(u.cluster_id, s.cluster_id, 0) AS cluster_id," \
    " s.code AS school, coalesce(c.code, sc.code) AS cluster, d.code AS division"
#define PROFILE_JOINS \
    " LEFT JOIN schools s ON s.id = u.school_id" \
    " LEFT JOIN clusters sc ON sc.id = s.cluster_id" \
    " LEFT JOIN clusters c ON c.id = u.cluster_id" \
    " LEFT JOIN divisions d ON d.id = u.division_id"

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static void read_profile(const struct db_rows *rows, struct user_profile *p)
{
    memset(p, 0, sizeof *p);
    p->actor.user_id = (int)db_rows_int(rows, 0, "id");
    role_parse(db_rows_get(rows, 0, "role"), &p->actor.role);
    p->actor.school_id = (int)db_rows_int(rows, 0, "school_id");
    p->actor.division_id = (int)db_rows_int(rows, 0, "division_id");
    /* A principal's cluster is the school's: it lets access.c answer cluster questions. */
    p->actor.cluster_id = (int)db_rows_int(rows, 0, "cluster_id");
    p->must_change_password = db_rows_bool(rows, 0, "must_change_password");
    copy_text(p->login, sizeof p->login, db_rows_get(rows, 0, "login"));
    copy_text(p->full_name, sizeof p->full_name, db_rows_get(rows, 0, "full_name"));
    copy_text(p->email, sizeof p->email, db_rows_get(rows, 0, "email"));
    copy_text(p->school, sizeof p->school, db_rows_get(rows, 0, "school"));
    copy_text(p->division, sizeof p->division, db_rows_get(rows, 0, "division"));
    if (p->actor.role == ROLE_CLUSTER_LEADER)
        copy_text(p->cluster, sizeof p->cluster, db_rows_get(rows, 0, "cluster"));
}

/* Resolves a binding code to its id; 0 when code is NULL. */
static bool lookup_code(struct db *db, const char *table, const char *code, char id[16],
                        struct error *err)
{
    id[0] = '\0';
    if (!code)
        return true;
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE code = $1", table);
    const char *params[] = {code};
    struct db_rows *rows = db_query(db, sql, 1, params, err);
    if (!rows)
        return false;
    bool found = db_rows_count(rows) == 1;
    if (found)
        copy_text(id, 16, db_rows_get(rows, 0, "id"));
    db_rows_free(rows);
    if (!found)
        return error_set(err, ERR_INVALID, "There is no %s with code %s.",
                         strcmp(table, "schools") == 0 ? "school" :
                         strcmp(table, "clusters") == 0 ? "cluster" : "division", code);
    return true;
}

bool db_user_insert(struct db *db, const struct new_user *u, struct error *err)
{
    char school_id[16], cluster_id[16], division_id[16];
    if (!lookup_code(db, "schools", u->school, school_id, err) ||
        !lookup_code(db, "clusters", u->cluster, cluster_id, err) ||
        !lookup_code(db, "divisions", u->division, division_id, err))
        return false;
    const char *params[] = {
        u->login, u->full_name, u->email, u->role,
        school_id[0] ? school_id : NULL, cluster_id[0] ? cluster_id : NULL,
        division_id[0] ? division_id : NULL, u->password_hash,
    };
    struct db_rows *rows = db_query(db,
        "INSERT INTO users (login, full_name, email, role, school_id, cluster_id, division_id,"
        " password_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", 8, params, err);
    if (!rows) {
        if (err->kind == ERR_CONFLICT)
            error_coded(err, ERR_CONFLICT, "login_taken", "A user with login %s already exists.",
                        u->login);
        return false;
    }
    db_rows_free(rows);
    return true;
}

bool db_user_credentials(struct db *db, const char *login, struct user_profile *profile,
                         char *hash, size_t hash_size, struct error *err)
{
    const char *params[] = {login};
    struct db_rows *rows = db_query(db,
        "SELECT " PROFILE_COLUMNS " FROM users u" PROFILE_JOINS
        " WHERE u.login = $1 AND u.active", 1, params, err);
    if (!rows)
        return false;
    bool found = db_rows_count(rows) == 1;
    if (found) {
        read_profile(rows, profile);
        copy_text(hash, hash_size, db_rows_get(rows, 0, "password_hash"));
    }
    db_rows_free(rows);
    return found;
}

bool db_session_create(struct db *db, const char *token_hash_hex, int user_id,
                       int max_seconds, char expires_at[40], struct error *err)
{
    char uid[16], max[16];
    snprintf(uid, sizeof uid, "%d", user_id);
    snprintf(max, sizeof max, "%d", max_seconds);
    const char *params[] = {token_hash_hex, uid, max};
    struct db_rows *rows = db_query(db,
        "INSERT INTO sessions (token_hash, user_id, expires_at)"
        " VALUES (decode($1, 'hex'), $2, now() + make_interval(secs => $3::int))"
        " RETURNING dl_time(expires_at) AS expires_at", 3, params, err);
    if (!rows)
        return false;
    copy_text(expires_at, 40, db_rows_get(rows, 0, "expires_at"));
    db_rows_free(rows);
    return true;
}

/* A session is alive before its end and while its last marked use is within the idle
 * limit. The mark is moved only when older than the bound: a data-modifying CTE that
 * updates no row takes no transaction id and writes no WAL, so the usual request reads
 * only. Two requests that both find the mark old queue on the row once; the second
 * re-checks the condition against the first's new mark and updates nothing. */
bool db_session_touch(struct db *db, const char *token_hash_hex, int idle_seconds,
                      struct user_profile *profile, struct error *err)
{
    char idle[16], mark[16];
    snprintf(idle, sizeof idle, "%d", idle_seconds);
    snprintf(mark, sizeof mark, "%d", SESSION_MARK_SECONDS(idle_seconds));
    const char *params[] = {token_hash_hex, idle, mark};
    struct db_rows *rows = db_query(db,
        "WITH live AS ("
        "  SELECT user_id FROM sessions"
        "   WHERE token_hash = decode($1, 'hex') AND expires_at > now()"
        "     AND last_seen_at > now() - make_interval(secs => $2::int)),"
        " marked AS ("
        "  UPDATE sessions SET last_seen_at = now()"
        "   WHERE token_hash = decode($1, 'hex') AND expires_at > now()"
        "     AND last_seen_at > now() - make_interval(secs => $2::int)"
        "     AND last_seen_at < now() - make_interval(secs => $3::int))"
        " SELECT " PROFILE_COLUMNS " FROM live JOIN users u ON u.id = live.user_id"
        PROFILE_JOINS " WHERE u.active", 3, params, err);
    if (!rows)
        return false;
    bool found = db_rows_count(rows) == 1;
    if (found)
        read_profile(rows, profile);
    db_rows_free(rows);
    return found;
}

bool db_session_delete(struct db *db, const char *token_hash_hex, struct error *err)
{
    const char *params[] = {token_hash_hex};
    struct db_rows *rows = db_query(db, "DELETE FROM sessions WHERE token_hash = decode($1, 'hex')",
                                    1, params, err);
    bool ok = rows != NULL;
    db_rows_free(rows);
    return ok;
}

bool db_session_purge(struct db *db, long long *purged, struct error *err)
{
    struct db_rows *rows = db_query(db,
        "WITH gone AS (DELETE FROM sessions WHERE expires_at <= now() RETURNING 1)"
        " SELECT count(*) AS n FROM gone", 0, NULL, err);
    if (!rows)
        return false;
    *purged = db_rows_int(rows, 0, "n");
    db_rows_free(rows);
    return true;
}
