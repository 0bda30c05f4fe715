/* key_set.c -- open addressing with linear probing; the slot comes from the key's
 * Fibonacci hash (a multiply by 2^64 / golden ratio), so consecutive ids spread out. */
#include "domain/key_set.h"

#include <stdlib.h>

#include "util/xalloc.h"

static size_t slot_of(const struct key_set *s, uint64_t key)
{
    return (size_t)((key * UINT64_C(11400714819323198485)) >> 32) & s->mask;
}

void key_set_init(struct key_set *s, size_t max_keys)
{
    size_t nslots = 16;
    while (nslots < 2 * max_keys)
        nslots *= 2;
    *s = (struct key_set){
        .keys = xmalloc(nslots * sizeof *s->keys), .used = xcalloc(nslots, 1),
        .mask = nslots - 1, .capacity = max_keys,
    };
}

bool key_set_add(struct key_set *s, uint64_t key)
{
    size_t i = slot_of(s, key);
    for (; s->used[i]; i = (i + 1) & s->mask)
        if (s->keys[i] == key)
            return false;
    if (s->count == s->capacity)
        abort();   /* more keys than promised at init: the caller's bug */
    s->used[i] = 1;
    s->keys[i] = key;
    s->count++;
    return true;
}

bool key_set_has(const struct key_set *s, uint64_t key)
{
    for (size_t i = slot_of(s, key); s->used[i]; i = (i + 1) & s->mask)
        if (s->keys[i] == key)
            return true;
    return false;
}

void key_set_free(struct key_set *s)
{
    free(s->keys);
    free(s->used);
    *s = (struct key_set){0};
}
