/* issue_links_store.h -- the SQL of systemic problems: linking an issue under a parent and
 * letting it go (two events each, one per issue; the owner's trigger of migration 0021
 * keeps issue_links and the summaries), a parent's children, and resolving the open ones
 * with the parent's answer. */
#ifndef DL_DB_ISSUE_LINKS_STORE_H
#define DL_DB_ISSUE_LINKS_STORE_H

#include <stdbool.h>
#include "db/db.h"

/* One issue of a pair, as the events name it. */
struct link_end {
    long long id;
    const char *ref;
};

/* Writes the `link` (linked true) or `unlink` events on the child (naming the parent) and
 * on the parent (naming the child), by actor_id. The database refuses a second level
 * (ERR_CONFLICT one_level) and a second parent at once (ERR_CONFLICT linked_elsewhere). */
bool db_issue_link(struct db *db, const struct link_end *parent, const struct link_end *child,
                   int actor_id, bool linked, struct error *err);

/* The parent's children this reader may read, oldest first: ref, title, status, school,
 * school_name, cluster, division, overdue. */
struct db_rows *db_issue_children(struct db *db, long long parent_id, struct error *err);

/* Every child of the parent, locked until the transaction ends (id order): id, status. */
struct db_rows *db_issue_children_locked(struct db *db, long long parent_id, struct error *err);

/* Resolves the children `ids` (a PostgreSQL array literal) with the parent's note, each
 * from the status it has now, with a `resolve` event by actor_id naming the parent (and,
 * for one that waited on its school, the due times moved by the pause, as a transition
 * writes them). Returns how many were resolved, or -1 with err. */
int db_issue_resolve_children(struct db *db, const struct link_end *parent, const char *ids,
                              int actor_id, const char *note, struct error *err);

#endif
