/* sharing.h -- whether an issue may be shared with all schools, taken back, or co-signed
 * by another school ("our school has this too"). Who may ask is access.h's question,
 * asked first; these are the rules of the issue itself (docs/dialogue.md). */
#ifndef DL_DOMAIN_SHARING_H
#define DL_DOMAIN_SHARING_H

#include <stdbool.h>
#include "domain/types.h"

/* What the rules read of the issue, for one reader. */
struct sharing_facts {
    enum status status;
    bool shared;
    bool sensitive;            /* its category is sensitive: never shared */
    bool cosigned_by_reader;   /* the reader's school signed it already */
};

struct sharing_verdict {
    bool allowed;
    bool unchanged;            /* allowed, and already so: nothing to store */
    const char *code;          /* when refused: sensitive_category, issue_finished,
                                  not_shared, already_cosigned */
    const char *reason;        /* when refused: a sentence a person can act on */
};

/* Sharing (share true) or taking it back (share false). Taking back is always allowed;
 * sharing is refused for a sensitive category and for an issue closed, declined or marked
 * a duplicate (nobody is helped by it any more). */
struct sharing_verdict sharing_decide(const struct sharing_facts *f, bool share);

/* A co-signature: the issue shared, not yet signed by this school, and neither declined
 * nor a duplicate (a resolved or closed one may be: the school then has the answer too). */
struct sharing_verdict cosign_decide(const struct sharing_facts *f);

#endif
