/* systemic.h -- one problem, many schools: whether an issue may become another's child
 * (linked as one systemic problem), be let go again, and which children a parent's
 * resolution carries with it. Who may ask is access.h's question (Department staff who
 * may act on the parent), asked first; these are the rules of the two issues. */
#ifndef DL_DOMAIN_SYSTEMIC_H
#define DL_DOMAIN_SYSTEMIC_H

#include <stdbool.h>
#include "domain/types.h"

/* What the rules read of one issue of the pair. */
struct systemic_facts {
    long long id;
    enum status status;
    long long parent_id;       /* 0: it belongs to no parent */
    int child_count;           /* its children now */
};

struct systemic_verdict {
    bool allowed;
    bool unchanged;            /* allowed, and already so: nothing to store */
    bool field_error;          /* refused for the value sent (400), not the state (409) */
    const char *code;          /* when refused: self_link, parent_is_child, child_is_parent,
                                  linked_elsewhere, parent_finished, child_finished,
                                  not_linked */
    const char *reason;        /* when refused: a sentence a person can act on */
};

/* Linking `child` under `parent`. One level deep: a parent is nobody's child, a child
 * nobody's parent, and a child has one parent at a time. The parent must be open (its
 * resolution is what the children wait for); the child may be open or resolved, not
 * closed, declined or a duplicate (its school is done with it). */
struct systemic_verdict systemic_link_decide(const struct systemic_facts *parent,
                                             const struct systemic_facts *child);

/* Letting `child` go from `parent`: allowed whenever it is that parent's child. */
struct systemic_verdict systemic_unlink_decide(const struct systemic_facts *parent,
                                               const struct systemic_facts *child);

#endif
