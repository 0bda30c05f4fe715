/* migrate.h -- apply sql/migrations/NNNN_*.sql in order, once each, under an advisory
 * lock so two processes starting together do not race. */
#ifndef DL_DB_MIGRATE_H
#define DL_DB_MIGRATE_H

#include <stdbool.h>
#include "db/db.h"

/* Applies what is missing from `dir`; *applied gets how many were applied now. */
bool db_migrate(struct db *db, const char *dir, int *applied, struct error *err);

#endif
