/* sql_where.c -- the bounded WHERE builder: every write is checked against the room
 * left, and the first one that does not fit stops the building for good. */
#include "db/sql_where.h"

#include <stdarg.h>
#include <stdio.h>

void sql_where_init(struct sql_where *w)
{
    *w = (struct sql_where){0};
    sql_where_text(w, "WHERE true");
}

void sql_where_text(struct sql_where *w, const char *fmt, ...)
{
    if (w->overflow)
        return;
    size_t room = sizeof w->sql - w->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(w->sql + w->len, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room) {
        w->sql[w->len] = '\0';      /* drop the cut fragment: no half condition */
        w->overflow = true;
        return;
    }
    w->len += (size_t)n;
}

int sql_where_param(struct sql_where *w, const char *value)
{
    if (w->overflow || w->nparams == SQL_WHERE_MAX_PARAMS) {
        w->overflow = true;
        return 0;
    }
    w->params[w->nparams++] = value;
    return w->nparams;
}

void sql_where_and(struct sql_where *w, const char *before, const char *value,
                   const char *after)
{
    int n = sql_where_param(w, value);
    if (n)
        sql_where_text(w, " AND %s$%d%s", before, n, after);
}

const char *sql_where_number(struct sql_where *w, long long n)
{
    if (w->overflow || w->nnumbers == SQL_WHERE_MAX_NUMBERS) {
        w->overflow = true;
        return NULL;
    }
    char *slot = w->numbers[w->nnumbers++];
    snprintf(slot, sizeof w->numbers[0], "%lld", n);
    return slot;
}
