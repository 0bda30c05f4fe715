/* rating_store.h -- the SQL of the schools' ratings of resolutions (0026): the rated
 * confirmations, newest first. */
#ifndef DL_DB_RATING_STORE_H
#define DL_DB_RATING_STORE_H

#include <stdbool.h>
#include "db/db.h"

/* id, ref, title, status, school, school_name, division, rating, comment, rated_by,
 * rated_at; with low_max > 0 only ratings up to it; ids below before_id (0: from the
 * newest); limit + 1 rows. */
struct db_rows *db_ratings_list(struct db *db, int low_max, long long before_id, int limit,
                                struct error *err);

#endif
