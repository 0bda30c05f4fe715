/* sql_where.h -- a WHERE clause built from fixed SQL fragments, with the values as
 * parameters, inside fixed-size storage that is never overrun: an append that does not
 * fit writes nothing and marks the clause overflowed, and an overflowed clause must not
 * be run (it is a programming error, answered as a server error). */
#ifndef DL_DB_SQL_WHERE_H
#define DL_DB_SQL_WHERE_H

#include <stdbool.h>
#include <stddef.h>

#define SQL_WHERE_MAX_TEXT 4096
#define SQL_WHERE_MAX_PARAMS 16
#define SQL_WHERE_MAX_NUMBERS 4

struct sql_where {
    char sql[SQL_WHERE_MAX_TEXT];       /* always NUL-terminated */
    size_t len;
    const char *params[SQL_WHERE_MAX_PARAMS];
    char numbers[SQL_WHERE_MAX_NUMBERS][24];
    int nparams, nnumbers;
    bool overflow;
};

/* Starts the clause as "WHERE true", so every condition can be " AND ...". */
void sql_where_init(struct sql_where *w);
/* Appends fixed SQL text (never a value). */
void sql_where_text(struct sql_where *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Adds value (NULL is SQL NULL) as the next parameter and returns its number, $N; 0 when
 * there is no room (the clause is then overflowed). */
int sql_where_param(struct sql_where *w, const char *value);
/* " AND <before>$N<after>" with value as parameter N. */
void sql_where_and(struct sql_where *w, const char *before, const char *value,
                   const char *after);
/* A number as parameter text kept inside the clause (so it lives as long as it); NULL
 * when there is no room (the clause is then overflowed). */
const char *sql_where_number(struct sql_where *w, long long n);

#endif
