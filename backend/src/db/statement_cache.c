/* statement_cache.c -- a connection's prepared statements by SQL text: a fixed array of
 * slots searched by the text's hash (then the text itself), with a use counter for the
 * least recently used. A few hundred slots make a linear search cheaper than the SQL. */
#include "db/statement_cache.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum slot_state {
    SLOT_FREE,
    SLOT_PENDING,     /* its PREPARE is in the pipeline being built or read */
    SLOT_READY,       /* prepared on the server */
    SLOT_CLOSING,     /* still on the server, to be closed: no longer found */
};

struct slot {
    enum slot_state state;
    uint64_t hash;
    uint64_t used;            /* the cache's tick when last found or added */
    char *sql;                /* NULL unless pending or ready */
    char name[24];
};

struct statement_cache {
    int capacity;
    uint64_t tick;
    unsigned long long next_name;   /* names are never reused within a session */
    struct slot *slots;
};

/* FNV-1a, 64 bits: cheap, and the text is compared anyway. */
static uint64_t text_hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

struct statement_cache *statement_cache_new(int capacity)
{
    struct statement_cache *c = xcalloc(1, sizeof *c);
    c->capacity = capacity;
    c->slots = xcalloc((size_t)capacity, sizeof *c->slots);
    return c;
}

static void forget_text(struct slot *s, enum slot_state next)
{
    free(s->sql);
    s->sql = NULL;
    s->state = next;
}

void statement_cache_clear(struct statement_cache *c)
{
    for (int i = 0; i < c->capacity; i++)
        forget_text(&c->slots[i], SLOT_FREE);
}

void statement_cache_free(struct statement_cache *c)
{
    if (!c)
        return;
    statement_cache_clear(c);
    free(c->slots);
    free(c);
}

int statement_cache_find(struct statement_cache *c, const char *sql)
{
    uint64_t h = text_hash(sql);
    for (int i = 0; i < c->capacity; i++) {
        struct slot *s = &c->slots[i];
        if (s->sql && s->hash == h && strcmp(s->sql, sql) == 0) {
            s->used = ++c->tick;
            return i;
        }
    }
    return -1;
}

/* No free slot: the least recently used prepared statement makes room for a later one. */
static void set_aside_oldest(struct statement_cache *c)
{
    struct slot *oldest = NULL;
    for (int i = 0; i < c->capacity; i++) {
        struct slot *s = &c->slots[i];
        if (s->state == SLOT_READY && (!oldest || s->used < oldest->used))
            oldest = s;
    }
    if (oldest)
        forget_text(oldest, SLOT_CLOSING);
}

int statement_cache_add(struct statement_cache *c, const char *sql)
{
    for (int i = 0; i < c->capacity; i++) {
        struct slot *s = &c->slots[i];
        if (s->state != SLOT_FREE)
            continue;
        s->state = SLOT_PENDING;
        s->hash = text_hash(sql);
        s->sql = xstrdup(sql);
        s->used = ++c->tick;
        snprintf(s->name, sizeof s->name, "dl%llu", ++c->next_name);
        return i;
    }
    set_aside_oldest(c);
    return -1;
}

const char *statement_cache_name(const struct statement_cache *c, int slot)
{
    return c->slots[slot].name;
}

void statement_cache_prepared(struct statement_cache *c, int slot, bool ok)
{
    struct slot *s = &c->slots[slot];
    if (s->state != SLOT_PENDING)
        return;
    if (ok)
        s->state = SLOT_READY;
    else
        forget_text(s, SLOT_FREE);
}

void statement_cache_drop(struct statement_cache *c, int slot, bool on_server)
{
    struct slot *s = &c->slots[slot];
    if (s->state == SLOT_PENDING || s->state == SLOT_READY)
        forget_text(s, on_server ? SLOT_CLOSING : SLOT_FREE);
}

int statement_cache_to_close(const struct statement_cache *c, int *slots, int max)
{
    int n = 0;
    for (int i = 0; i < c->capacity && n < max; i++)
        if (c->slots[i].state == SLOT_CLOSING)
            slots[n++] = i;
    return n;
}

void statement_cache_closed(struct statement_cache *c, int slot)
{
    if (c->slots[slot].state == SLOT_CLOSING)
        c->slots[slot].state = SLOT_FREE;
}
