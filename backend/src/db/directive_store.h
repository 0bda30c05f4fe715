/* directive_store.h -- the SQL of directives (sql/migrations/0026_*): sending one to all
 * schools or to clusters, a school's acknowledgement, the lists, and the sweep's
 * reminder. Row-level security keeps each reader to the directives that reached them. */
#ifndef DL_DB_DIRECTIVE_STORE_H
#define DL_DB_DIRECTIVE_STORE_H

#include <stdbool.h>
#include "db/db.h"

/* Sends it to the schools of `clusters` (an array literal of codes; NULL: every
 * school); *id is the new directive's. */
bool db_directive_send(struct db *db, const char *title, const char *body,
                       const char *clusters, int remind_after_days, int actor_id, int *id,
                       struct error *err);
/* Of clusters (an array literal of codes), those that are not a cluster: k, code. */
struct db_rows *db_cluster_codes_unknown(struct db *db, const char *clusters,
                                         struct error *err);
/* The directives this reader reads, newest first, before before_id (0: from the newest):
 * id, title, body (cut to 300 characters when `brief`), audience, clusters (codes,
 * space-separated, or NULL), remind_after_days, sent_by, sent_by_name, sent_at, schools
 * (those it reached that the reader reads), acknowledged (of them), own_acknowledged_at
 * (the reader's school's, or NULL); limit + 1 rows. */
struct db_rows *db_directives_list(struct db *db, int before_id, int limit,
                                   struct error *err);
/* One, whole; no row when this reader reads none. */
struct db_rows *db_directive_get(struct db *db, int id, struct error *err);
/* Its schools this reader reads, those not yet acknowledged first: school, school_name,
 * cluster, acknowledged_by, acknowledged_at, reminded_at. pending: only those not yet. */
struct db_rows *db_directive_schools(struct db *db, int id, bool pending, struct error *err);
/* The school's acknowledgement, in this principal's name; *changed false when the
 * directive did not reach the school or was already acknowledged (*already tells). */
bool db_directive_acknowledge(struct db *db, int id, int school_id, int actor_id,
                              bool *reached, bool *already, struct error *err);
/* The sweep: reminds the schools past their directive's delay, once; *reminded counts. */
bool db_directives_remind(struct db *db, long long now, int *reminded, struct error *err);

#endif
