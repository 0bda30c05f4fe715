/* key_set.h -- a set of 64-bit keys (issue ids, or a group and a school packed in one),
 * sized once, so the report can ask "seen before?" in constant time instead of sorting.
 * Pure C, no I/O. */
#ifndef DL_DOMAIN_KEY_SET_H
#define DL_DOMAIN_KEY_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct key_set {
    uint64_t *keys;
    unsigned char *used;
    size_t mask;       /* slots - 1; slots is a power of two, at least twice max_keys */
    size_t count, capacity;
};

void key_set_init(struct key_set *s, size_t max_keys);
/* True when the key was not in the set (and now is). Aborts past max_keys. */
bool key_set_add(struct key_set *s, uint64_t key);
bool key_set_has(const struct key_set *s, uint64_t key);
void key_set_free(struct key_set *s);

#endif
