/* notification_store.c -- the SQL of a person's notifications (notification_store.h). */
#include "db/notification_store.h"

#include <stdio.h>

#include "util/xalloc.h"

/* The issue is one the person may read now (its policy applies inside the EXISTS): a
 * school unlinked from a parent no longer hears of it, nor reads what it was told. A
 * decision's own notifications (its responsible's: staff) and a directive's name no issue. */
#define READABLE_SQL \
    " AND (notifications.issue_id IS NULL" \
    "      OR EXISTS (SELECT 1 FROM issues i WHERE i.id = notifications.issue_id))"

/* The page is the unread ones, then the read ones, each newest first: two index walks
 * (unread: the partial index) under the cursor, then the names for the page's rows only.
 * A busy officer's thousands of old rows are never sorted. */
static const char PAGE_SQL[] =
    "WITH mine AS ("
    "  (SELECT id, 0 AS keyset_read FROM notifications"
    "    WHERE user_id = $1 AND read_at IS NULL" READABLE_SQL
    "      AND ($2::int IS NULL OR ($2 = 0 AND id < $3::bigint))"
    "    ORDER BY id DESC LIMIT $4)"
    "  UNION ALL"
    "  (SELECT id, 1 FROM notifications"
    "    WHERE user_id = $1 AND read_at IS NOT NULL AND NOT $5::boolean" READABLE_SQL
    "      AND ($2::int IS NULL OR $2 = 0 OR id < $3::bigint)"
    "    ORDER BY id DESC LIMIT $4))"
    " SELECT n.id, n.reason, n.read_at IS NOT NULL AS read, dl_time(n.created_at) AS created_at,"
    "        i.ref, i.title, i.status, s.code AS school, s.name AS school_name,"
    "        e.action, left(e.body, 240) AS excerpt,"
    "        CASE WHEN e.action = 'cosign' THEN e.details->>'school' END AS cosigning_school,"
    "        CASE WHEN e.action = 'cosign' THEN e.details->>'school_name' END"
    "          AS cosigning_school_name,"
    "        u.login AS actor_login, u.full_name AS actor_name, m.keyset_read,"
    "        n.decision_id, d.meeting_id, left(d.body, 240) AS decision_body,"
    "        d.due_on::text AS decision_due_on, n.directive_id, dr.title AS directive_title"
    " FROM mine m"
    " JOIN notifications n ON n.id = m.id"
    " LEFT JOIN issues i ON i.id = n.issue_id"
    " LEFT JOIN schools s ON s.id = i.school_id"
    " LEFT JOIN issue_events e ON e.id = n.event_id"
    " LEFT JOIN users u ON u.id = e.actor_id"
    " LEFT JOIN decisions d ON d.id = n.decision_id"
    " LEFT JOIN directives dr ON dr.id = n.directive_id"
    " ORDER BY m.keyset_read, n.id DESC"
    " LIMIT $4";

struct db_rows *db_notifications_page(struct db *db, const struct notification_filter *f,
                                      struct error *err)
{
    char user[16], read[8], id[24], limit[16];
    snprintf(user, sizeof user, "%d", f->user_id);
    snprintf(read, sizeof read, "%lld", f->cursor_read);
    snprintf(id, sizeof id, "%lld", f->cursor_id);
    snprintf(limit, sizeof limit, "%d", f->limit + 1);
    const char *params[] = {user, f->has_cursor ? read : NULL, f->has_cursor ? id : NULL,
                            limit, f->unread_only ? "true" : "false"};
    return db_query(db, PAGE_SQL, 5, params, err);
}

long long db_notifications_unread(struct db *db, int user_id, struct error *err)
{
    char user[16];
    snprintf(user, sizeof user, "%d", user_id);
    const char *params[] = {user};
    struct db_rows *rows = db_query(db,
        "SELECT count(*) AS unread FROM notifications"
        " WHERE user_id = $1 AND read_at IS NULL" READABLE_SQL, 1, params, err);
    if (!rows)
        return -1;
    long long unread = db_rows_int(rows, 0, "unread");
    db_rows_free(rows);
    return unread;
}

bool db_notification_mark_read(struct db *db, int user_id, long long id, bool *found,
                               struct error *err)
{
    char user[16], nid[24];
    snprintf(user, sizeof user, "%d", user_id);
    snprintf(nid, sizeof nid, "%lld", id);
    const char *params[] = {user, nid};
    struct db_rows *rows = db_query(db,
        "UPDATE notifications SET read_at = coalesce(read_at, now())"
        " WHERE user_id = $1 AND id = $2 RETURNING id", 2, params, err);
    if (!rows)
        return false;
    *found = db_rows_count(rows) == 1;
    db_rows_free(rows);
    return true;
}

long long db_notifications_mark_all_read(struct db *db, int user_id, long long up_to,
                                         const char *issue_ref, struct error *err)
{
    char user[16], last[24];
    snprintf(user, sizeof user, "%d", user_id);
    snprintf(last, sizeof last, "%lld", up_to);
    const char *params[] = {user, up_to > 0 ? last : NULL, issue_ref};
    struct db_rows *rows = db_query(db,
        "WITH marked AS (UPDATE notifications SET read_at = now()"
        "   WHERE user_id = $1 AND read_at IS NULL"
        "     AND ($2::bigint IS NULL OR id <= $2::bigint)"
        "     AND ($3::text IS NULL OR issue_id = (SELECT id FROM issues WHERE ref = $3))"
        "   RETURNING 1)"
        " SELECT count(*) AS marked FROM marked", 3, params, err);
    if (!rows)
        return -1;
    long long marked = db_rows_int(rows, 0, "marked");
    db_rows_free(rows);
    return marked;
}

static const char SETTINGS_SQL[] =
    "WITH me AS (UPDATE users SET email_digest = coalesce($2::boolean, email_digest)"
    "            WHERE id = $1 RETURNING id, email, email_digest),"
    " moved AS (UPDATE notifications n"
    "              SET email_due_at = CASE WHEN me.email_digest"
    "                                      THEN dl_next_digest(n.created_at)"
    "                                      ELSE n.created_at END"
    "             FROM me WHERE $2::boolean IS NOT NULL AND n.user_id = me.id"
    "              AND n.email_due_at IS NOT NULL AND n.email_attempts = 0)"
    " SELECT email, email_digest FROM me";

bool db_notification_settings(struct db *db, int user_id, int set_digest, char **address,
                              bool *digest, struct error *err)
{
    char user[16];
    snprintf(user, sizeof user, "%d", user_id);
    const char *params[] = {user, set_digest < 0 ? NULL : set_digest ? "true" : "false"};
    struct db_rows *rows = db_query(db, SETTINGS_SQL, 2, params, err);
    if (!rows)
        return false;
    bool found = db_rows_count(rows) == 1;
    if (found) {
        const char *email = db_rows_get(rows, 0, "email");
        *address = email ? xstrdup(email) : NULL;
        *digest = db_rows_bool(rows, 0, "email_digest");
    } else {
        error_set(err, ERR_NOT_FOUND, "Your account was not found.");
    }
    db_rows_free(rows);
    return found;
}
