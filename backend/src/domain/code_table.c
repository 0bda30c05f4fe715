/* code_table.c -- an open-addressing hash table (FNV-1a, linear probing) sized once, at
 * least twice the number of codes it may hold, so it never grows and probes stay short. */
#include "domain/code_table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static uint64_t code_hash(const char *code)
{
    uint64_t h = 14695981039346656037u;
    if (!code)
        return 0;
    for (const unsigned char *p = (const unsigned char *)code; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

static int same_code(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

void code_table_init(struct code_table *t, size_t max_codes)
{
    size_t nslots = 16;
    while (nslots < 2 * max_codes)
        nslots *= 2;
    *t = (struct code_table){
        .slots = xcalloc(nslots, sizeof *t->slots), .mask = nslots - 1,
        .codes = xmalloc((max_codes ? max_codes : 1) * sizeof *t->codes),
        .capacity = max_codes,
    };
}

size_t code_table_number(struct code_table *t, const char *code)
{
    size_t i = (size_t)code_hash(code) & t->mask;
    for (; t->slots[i] != 0; i = (i + 1) & t->mask)
        if (same_code(t->codes[t->slots[i] - 1], code))
            return t->slots[i] - 1;
    if (t->count == t->capacity)
        abort();   /* more codes than promised at init: the caller's bug */
    t->codes[t->count] = code;
    t->slots[i] = ++t->count;
    return t->count - 1;
}

void code_table_free(struct code_table *t)
{
    free(t->slots);
    free(t->codes);
    *t = (struct code_table){0};
}
