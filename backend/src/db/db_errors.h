/* db_errors.h -- what a failed statement means to the client: the one place where a
 * SQLSTATE and a constraint name become an error kind. Inside db/ only. */
#ifndef DL_DB_DB_ERRORS_H
#define DL_DB_DB_ERRORS_H

#include <stdbool.h>
#include "domain/error.h"

#define DB_UNAVAILABLE_MESSAGE "The database is not available right now; try again shortly."

/* Fill err for a statement that failed with `sqlstate` (NULL: the connection itself
 * failed) and, for a constraint violation, the constraint's name (NULL when none; a
 * RAISE in SQL names one with `USING CONSTRAINT = '...'`). PostgreSQL's own text never
 * goes into err: a condition not named on purpose here is a server bug, ERR_INTERNAL. */
void db_error_classify(struct error *err, const char *sqlstate, const char *constraint);

/* Serialization failure or deadlock: the transaction was rolled back whole, so running
 * it again is safe when nothing else was done before it. */
bool db_error_is_conflict(const char *sqlstate);

/* The connection is gone or the server is stopping: nothing more can run on it. */
bool db_error_is_unavailable(const char *sqlstate);

#endif
