/* statement_cache.h -- which SQL texts one connection has prepared, and under which name:
 * a bounded map from the text to a slot (and its statement name), the least recently used
 * set aside to be closed when it is full. Bookkeeping only, no libpq: db.c sends the
 * PREPAREs and DEALLOCATEs it is told and reports back how they went. */
#ifndef DL_DB_STATEMENT_CACHE_H
#define DL_DB_STATEMENT_CACHE_H

#include <stdbool.h>

#define STATEMENT_CACHE_SIZE 256

struct statement_cache;

struct statement_cache *statement_cache_new(int capacity);
void statement_cache_free(struct statement_cache *c);

/* The slot of `sql` when it is prepared or being prepared (a PREPARE sent earlier in the
 * pipeline now being built), else -1. Marks it as just used. */
int statement_cache_find(struct statement_cache *c, const char *sql);
/* A slot with a new name for `sql`, to be prepared now; it stays pending until
 * statement_cache_prepared. -1 when no slot is free: the least recently used prepared
 * statement is then set aside to be closed, and `sql` goes unprepared this once. */
int statement_cache_add(struct statement_cache *c, const char *sql);
/* The statement name of a slot returned by find or add (never reused for other text). */
const char *statement_cache_name(const struct statement_cache *c, int slot);
/* How the PREPARE of a pending slot went: kept, or forgotten when it failed. */
void statement_cache_prepared(struct statement_cache *c, int slot, bool ok);
/* The server refused to run the slot's statement: forgotten when the server no longer
 * has it (on_server false), else set aside to be closed, so the text is prepared afresh. */
void statement_cache_drop(struct statement_cache *c, int slot, bool on_server);
/* Up to `max` slots set aside to be closed (DEALLOCATE their names), into slots[]. */
int statement_cache_to_close(const struct statement_cache *c, int *slots, int max);
/* The slot's statement was closed (or the server did not have it): the slot is free. */
void statement_cache_closed(struct statement_cache *c, int slot);
/* A new session has no prepared statements: every slot is free. */
void statement_cache_clear(struct statement_cache *c);

#endif
