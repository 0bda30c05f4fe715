/* xalloc.h -- allocation that never returns NULL: out of memory aborts the process, so
 * callers carry no NULL checks (as Redis's zmalloc and PostgreSQL's palloc do). */
#ifndef DL_UTIL_XALLOC_H
#define DL_UTIL_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
