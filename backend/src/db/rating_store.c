/* rating_store.c -- the rated confirmations, as rating_store.h says. */
#include "db/rating_store.h"

#include <stdio.h>

static const char RATINGS_SQL[] =
    "SELECT e.id, i.ref, i.title, i.status, s.code AS school, s.name AS school_name,"
    " d.code AS division, (e.details->>'rating')::integer AS rating, e.body AS comment,"
    " u.login AS rated_by, dl_time(e.created_at) AS rated_at"
    " FROM issue_events e JOIN issues i ON i.id = e.issue_id"
    " JOIN schools s ON s.id = i.school_id JOIN divisions d ON d.id = i.division_id"
    " LEFT JOIN users u ON u.id = e.actor_id"
    " WHERE e.action = 'confirm' AND e.details ? 'rating'"
    "   AND ($1::integer = 0 OR (e.details->>'rating')::integer <= $1)"
    "   AND ($2::bigint = 0 OR e.id < $2)"
    " ORDER BY e.id DESC LIMIT $3";

struct db_rows *db_ratings_list(struct db *db, int low_max, long long before_id, int limit,
                                struct error *err)
{
    char low[16], before[24], n[16];
    snprintf(low, sizeof low, "%d", low_max);
    snprintf(before, sizeof before, "%lld", before_id);
    snprintf(n, sizeof n, "%d", limit + 1);
    const char *params[] = {low, before, n};
    return db_query(db, RATINGS_SQL, 3, params, err);
}
