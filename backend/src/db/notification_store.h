/* notification_store.h -- a person's notifications (sql/migrations/0022_*): the page of
 * their list, the unread count, and marking read. Only the owner's trigger writes them;
 * row-level security holds every statement here to the signed-in person's own rows. */
#ifndef DL_DB_NOTIFICATION_STORE_H
#define DL_DB_NOTIFICATION_STORE_H

#include <stdbool.h>
#include "db/db.h"

struct notification_filter {
    int user_id;
    bool unread_only;
    bool has_cursor;
    long long cursor_read;           /* 0: the cursor is among the unread, 1: the read */
    long long cursor_id;
    int limit;
};

/* Up to filter->limit + 1 rows, unread first, newest first within each: id, reason,
 * read, created_at, the issue (ref, title, status, school) and the event (action,
 * excerpt, actor_login, actor_name, and for a co-signature cosigning_school and
 * cosigning_school_name), with keyset_read for the cursor. A notification of
 * an issue the person can no longer read is left out. */
struct db_rows *db_notifications_page(struct db *db, const struct notification_filter *filter,
                                      struct error *err);
/* The person's unread notifications of issues they can read; -1 with err on failure. */
long long db_notifications_unread(struct db *db, int user_id, struct error *err);
/* Marks one read (already read: unchanged). *found is false when the person has no such
 * notification. */
bool db_notification_mark_read(struct db *db, int user_id, long long id, bool *found,
                               struct error *err);
/* Marks the person's unread notifications read: those up to up_to (0: all), of one issue
 * when issue_ref is not NULL. The number marked, or -1 with err. */
long long db_notifications_mark_all_read(struct db *db, int user_id, long long up_to,
                                         const char *issue_ref, struct error *err);

/* The person's email address (NULL: none) and whether they take the daily digest, in
 * *address (caller frees) and *digest. With set_digest (0 or 1; -1 leaves it) the choice
 * is changed first, and the emails waiting to go move to the new rhythm (not those being
 * tried again after a failure). */
bool db_notification_settings(struct db *db, int user_id, int set_digest, char **address,
                              bool *digest, struct error *err);

#endif
