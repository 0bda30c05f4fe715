/* delivery_store.h -- the email worker's SQL (sql/migrations/0022_*): claiming the
 * notifications whose email is due, reading what to write, and recording how it went. A
 * claim moves email_due_at a lease ahead and counts the try, in its own transaction: a
 * worker that dies mid-send leaves the rows due again when the lease ends. */
#ifndef DL_DB_DELIVERY_STORE_H
#define DL_DB_DELIVERY_STORE_H

#include <stdbool.h>
#include "db/db.h"

/* Claims up to `limit` due notifications and returns them with all an email needs:
 * id, user_id, reason, action, ref, title, school_name, actor_name, excerpt, email,
 * full_name, digest, email_attempts; ordered by user, then id. */
struct db_rows *db_delivery_claim(struct db *db, int limit, int lease_seconds,
                                  struct error *err);
/* The email of these notifications (an array literal "{1,2}") went. */
bool db_delivery_sent(struct db *db, const char *ids, struct error *err);
/* It did not: due again after retry_seconds, or given up when retry_seconds < 0. */
bool db_delivery_failed(struct db *db, const char *ids, long retry_seconds, const char *why,
                        struct error *err);

#endif
