/* user_admin_store.c -- SQL for user administration. Every statement is parameterised;
 * optional filters are `$n IS NULL OR ...`, never spliced text. */
#include "db/user_admin_store.h"

#include <stdio.h>
#include <string.h>

#define USER_COLUMNS \
    "u.id, u.login, u.full_name, u.email, u.role, s.code AS school, c.code AS cluster," \
    " d.code AS division, u.active, u.must_change_password, dl_time(u.created_at) AS created_at"
#define USER_JOINS \
    " LEFT JOIN schools s ON s.id = u.school_id" \
    " LEFT JOIN clusters c ON c.id = u.cluster_id" \
    " LEFT JOIN divisions d ON d.id = u.division_id"

/* Runs a statement whose rows do not matter. */
static bool run(struct db *db, const char *sql, int n, const char *const *params,
                struct error *err)
{
    struct db_rows *rows = db_query(db, sql, n, params, err);
    db_rows_free(rows);
    return rows != NULL;
}

struct db_rows *db_users_list(struct db *db, const struct user_list_filter *f,
                              struct error *err)
{
    char limit[16];
    snprintf(limit, sizeof limit, "%d", f->limit + 1);
    const char *active = f->active < 0 ? NULL : f->active ? "true" : "false";
    const char *params[] = {f->role, f->school, f->cluster, f->division, f->q, active,
                            f->after_login, limit};
    /* A principal belongs to the cluster of the school; LIKE's own characters in q are
     * escaped so they match themselves. */
    return db_query(db,
        "SELECT " USER_COLUMNS " FROM users u" USER_JOINS
        " WHERE ($1::text IS NULL OR u.role = $1)"
        "   AND ($2::text IS NULL OR s.code = $2)"
        "   AND ($3::text IS NULL OR c.code = $3 OR s.cluster_id ="
        "        (SELECT id FROM clusters WHERE code = $3))"
        "   AND ($4::text IS NULL OR d.code = $4)"
        "   AND ($5::text IS NULL OR strpos(dl_fold(u.full_name), dl_fold($5)) > 0"
        "        OR strpos(u.login, lower($5)) > 0)"
        "   AND ($6::boolean IS NULL OR u.active = $6)"
        "   AND ($7::text IS NULL OR u.login > $7)"
        " ORDER BY u.login LIMIT $8::int", 8, params, err);
}

/* The lock is NO KEY UPDATE, what an UPDATE of a user's other columns takes anyway: a
 * plain FOR UPDATE would also block the key-share lock that every foreign key to users
 * takes (the audit entry's actor, a session), so two admins changing each other at once
 * each waited for the other's row: a deadlock. */
struct db_rows *db_user_row(struct db *db, const char *login, bool lock, struct error *err)
{
    const char *params[] = {login};
    return db_query(db, lock ? "SELECT " USER_COLUMNS " FROM users u" USER_JOINS
                               " WHERE u.login = $1 FOR NO KEY UPDATE OF u"
                             : "SELECT " USER_COLUMNS " FROM users u" USER_JOINS
                               " WHERE u.login = $1", 1, params, err);
}

bool db_user_create(struct db *db, const struct user_values *v, const char *password_hash,
                    struct error *err)
{
    const char *params[] = {v->login, v->full_name, v->email, v->role, v->school, v->cluster,
                            v->division, password_hash};
    bool ok = run(db,
        "INSERT INTO users (login, full_name, email, role, school_id, cluster_id, division_id,"
        " password_hash, must_change_password)"
        " VALUES ($1, $2, $3, $4, (SELECT id FROM schools WHERE code = $5),"
        " (SELECT id FROM clusters WHERE code = $6),"
        " (SELECT id FROM divisions WHERE code = $7), $8, true)", 8, params, err);
    if (!ok && err->kind == ERR_CONFLICT)
        error_coded(err, ERR_CONFLICT, "login_taken", "A user with login %s already exists.",
                    v->login);
    return ok;
}

bool db_user_update(struct db *db, const struct user_values *v, struct error *err)
{
    const char *params[] = {v->login, v->full_name, v->email, v->role, v->school, v->cluster,
                            v->division, v->active ? "true" : "false"};
    return run(db,
        "UPDATE users SET full_name = $2, email = $3, role = $4,"
        " school_id = (SELECT id FROM schools WHERE code = $5),"
        " cluster_id = (SELECT id FROM clusters WHERE code = $6),"
        " division_id = (SELECT id FROM divisions WHERE code = $7), active = $8::boolean"
        " WHERE login = $1", 8, params, err);
}

static const char RELEASE_ISSUES_SQL[] =
    "WITH old AS (SELECT i.id, u.login FROM issues i JOIN users u ON u.id = i.assignee_id"
    "             WHERE i.assignee_id = $1"
    "               AND i.status NOT IN ('closed', 'declined', 'duplicate')"
    "               AND NOT (u.active AND (u.role = 'supervisor' OR"
    "                        (u.role = 'officer' AND u.division_id = i.division_id)))"
    "             ORDER BY i.id FOR NO KEY UPDATE OF i),"
    " upd AS (UPDATE issues SET assignee_id = NULL, updated_at = now()"
    "         FROM old WHERE issues.id = old.id RETURNING issues.id)"
    " INSERT INTO issue_events (issue_id, actor_id, action, details)"
    " SELECT upd.id, $2, 'set_assignee',"
    "        jsonb_build_object('field', 'assignee', 'from', old.login, 'to', NULL,"
    "                           'reason', 'assignee_changed')"
    " FROM upd JOIN old ON old.id = upd.id RETURNING issue_id";

bool db_user_release_issues(struct db *db, int user_id, int actor_id, int *count,
                            struct error *err)
{
    char user[16], actor[16];
    snprintf(user, sizeof user, "%d", user_id);
    snprintf(actor, sizeof actor, "%d", actor_id);
    const char *params[] = {user, actor};
    struct db_rows *rows = db_query(db, RELEASE_ISSUES_SQL, 2, params, err);
    if (!rows)
        return false;
    *count = db_rows_count(rows);
    db_rows_free(rows);
    return true;
}

bool db_user_set_password(struct db *db, int user_id, const char *hash, bool must_change,
                          const char *expected_hash, bool *updated, struct error *err)
{
    char id[16];
    snprintf(id, sizeof id, "%d", user_id);
    const char *params[] = {id, hash, must_change ? "true" : "false", expected_hash};
    struct db_rows *rows = db_query(db,
        "UPDATE users SET password_hash = $2, must_change_password = $3::boolean"
        " WHERE id = $1 AND ($4::text IS NULL OR password_hash = $4) RETURNING id",
        4, params, err);
    if (!rows)
        return false;
    *updated = db_rows_count(rows) == 1;
    db_rows_free(rows);
    return true;
}

/* An arbitrary constant shared by every directline process: "dl" + "admins". */
#define ADMIN_ROLE_LOCK_KEY "7310041090"

bool db_user_other_admins(struct db *db, int user_id, int *count, struct error *err)
{
    char id[16];
    snprintf(id, sizeof id, "%d", user_id);
    const char *params[] = {id};
    if (!db_exec(db, "SELECT pg_advisory_xact_lock(" ADMIN_ROLE_LOCK_KEY ")", err))
        return false;
    struct db_rows *rows = db_query(db,
        "SELECT count(*) AS n FROM users WHERE role = 'admin' AND active AND id <> $1",
        1, params, err);
    if (!rows)
        return false;
    *count = (int)db_rows_int(rows, 0, "n");
    db_rows_free(rows);
    return true;
}

bool db_user_end_sessions(struct db *db, int user_id, const char *keep_token_hash,
                          int *ended, struct error *err)
{
    char id[16];
    snprintf(id, sizeof id, "%d", user_id);
    const char *params[] = {id, keep_token_hash};
    struct db_rows *rows = db_query(db,
        "WITH gone AS (DELETE FROM sessions WHERE user_id = $1"
        " AND ($2::text IS NULL OR token_hash <> decode($2, 'hex')) RETURNING 1)"
        " SELECT count(*) AS n FROM gone", 2, params, err);
    if (!rows)
        return false;
    *ended = (int)db_rows_int(rows, 0, "n");
    db_rows_free(rows);
    return true;
}
