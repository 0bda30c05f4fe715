/* reference_admin_store.h -- creating and changing clusters, schools, divisions and
 * categories. Fields are named as on the wire ("cluster", "division", "active"); this
 * file maps them to columns. Codes never change once created. */
#ifndef DL_DB_REFERENCE_ADMIN_STORE_H
#define DL_DB_REFERENCE_ADMIN_STORE_H

#include <stdbool.h>
#include "db/db.h"
#include "db/reference_store.h"

/* The row with its wire fields as text (a boolean as "true"/"false"); no rows when there
 * is none. lock: FOR UPDATE, inside a transaction. */
struct db_rows *db_refadmin_row(struct db *db, enum reference_kind kind, const char *code,
                                bool lock, struct error *err);
/* Inserts a row; values in the kind's field order (see reference_admin_store.c), NULL
 * for an optional field left to its default. A taken code is ERR_CONFLICT code_taken. */
bool db_refadmin_insert(struct db *db, enum reference_kind kind, const char *const *values,
                        struct error *err);
/* Sets one field (by its wire name) of the row with this code. */
bool db_refadmin_set(struct db *db, enum reference_kind kind, const char *code,
                     const char *field, const char *value, struct error *err);

#endif
