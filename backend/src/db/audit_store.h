/* audit_store.h -- admin_events: one append-only row per admin change, written inside the
 * change's own transaction, and the newest-first list the audit page reads. */
#ifndef DL_DB_AUDIT_STORE_H
#define DL_DB_AUDIT_STORE_H

#include <stdbool.h>
#include "db/db.h"

/* details_json: a JSON object as text (never holding a password). */
bool db_audit_write(struct db *db, int actor_id, const char *action, const char *target,
                    const char *details_json, struct error *err);

struct audit_filter {
    const char *actor;          /* login, or NULL */
    const char *action, *target;
    long long before_id;        /* 0: from the newest */
    int limit;                  /* rows wanted; one more is read to tell if a page follows */
};

/* Columns: id, actor_login, actor_name, action, target, details (JSON text), created_at. */
struct db_rows *db_audit_list(struct db *db, const struct audit_filter *f, struct error *err);

#endif
