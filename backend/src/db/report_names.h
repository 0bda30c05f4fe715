/* report_names.h -- the names behind the codes in the report's rows: each school with its
 * cluster, each category with its kind, each division. Read once per report (a few hundred
 * rows), so that the thousands of issue rows carry codes instead of repeating names. */
#ifndef DL_DB_REPORT_NAMES_H
#define DL_DB_REPORT_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"

struct report_school { int64_t id; const char *code, *name, *cluster, *cluster_name; };
struct report_category { const char *code, *name, *kind; };
struct report_division { const char *code, *name; };

/* Strings point into the rows, which the struct owns. */
struct report_names {
    struct report_school *schools;          /* sorted by id */
    size_t nschools;
    struct report_category *categories;     /* sorted by code */
    size_t ncategories;
    struct report_division *divisions;      /* sorted by code */
    size_t ndivisions;
    struct db_rows *rows[3];
};

bool db_report_names_load(struct db *db, struct report_names *names, struct error *err);
void report_names_free(struct report_names *names);

/* NULL when there is no such school, category or division. */
const struct report_school *report_names_school(const struct report_names *n, int64_t id);
const struct report_category *report_names_category(const struct report_names *n,
                                                    const char *code);
const struct report_division *report_names_division(const struct report_names *n,
                                                    const char *code);

#endif
