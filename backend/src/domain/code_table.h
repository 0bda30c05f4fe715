/* code_table.h -- gives each distinct code (a school's, a category's, ...) a dense number
 * 0, 1, 2, ... in the order first seen, so the report counts into arrays instead of sorting
 * strings. NULL is a code like any other. Pure C, no I/O. */
#ifndef DL_DOMAIN_CODE_TABLE_H
#define DL_DOMAIN_CODE_TABLE_H

#include <stddef.h>

struct code_table {
    size_t *slots;     /* open addressing: a code's number + 1; 0 is an empty slot */
    size_t mask;       /* slots - 1; slots is a power of two */
    const char **codes;
    size_t count;
    size_t capacity;   /* at most this many distinct codes (a checked promise) */
};

/* Room for up to max_codes distinct codes; the strings are borrowed, not copied. */
void code_table_init(struct code_table *t, size_t max_codes);
/* The code's number, adding it when new. Aborts past max_codes (a programming error). */
size_t code_table_number(struct code_table *t, const char *code);
void code_table_free(struct code_table *t);

#endif
