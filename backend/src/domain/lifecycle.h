/* lifecycle.h -- the one function that decides every issue transition: from the current
 * status, the action and the actor's role, the next status or a refusal with a reason. */
#ifndef DL_DOMAIN_LIFECYCLE_H
#define DL_DOMAIN_LIFECYCLE_H

#include <stdbool.h>
#include "domain/types.h"

struct transition {
    bool allowed;
    enum status next;          /* valid when allowed */
    bool note_required;        /* the action needs a non-empty note */
    bool needs_duplicate_of;   /* mark_duplicate: names the surviving issue */
    bool counts_reopen;        /* reopen: reopen_count + 1 */
    bool raises_escalation;    /* escalate: escalation_level + 1 */
    bool is_first_response;    /* a public answer by the Department */
    const char *reason;        /* when refused: a sentence a person can act on */
    const char *code;          /* when refused: role_may_not, wrong_status, escalation_max */
};

/* Decide (status, action, role). escalation_level is the current level: escalate
 * is refused at the top level (2). Role rights only: whether this officer belongs to the
 * issue's division is access.h's question, asked before this one. */
struct transition lifecycle_decide(enum status current, enum action action, enum role role,
                                   int escalation_level);

/* The one rule of a systemic problem (domain/systemic.h): resolving the parent resolves
 * each open child (new, triaged, in progress or awaiting the school) with the same answer,
 * whatever its status or division; a child resolved, closed, declined or a duplicate is
 * left as it is (refused with "wrong_status"). The transition is a resolve's (a note, a
 * first response) from the child's own status; its school may then confirm or reopen. */
struct transition lifecycle_resolve_with_parent(enum status child_status);

/* mark_duplicate's own rule, beyond the table: an issue may not be a duplicate of
 * itself, nor of an issue that is itself a duplicate, nor become one while other issues
 * are duplicates of it. Either of the last two would make a chain that a reader has to
 * follow (and two racing marks a loop), so the surviving issue is always one step away. */
enum duplicate_verdict {
    DUPLICATE_OK,
    DUPLICATE_OF_SELF,          /* 400: a wrong value */
    DUPLICATE_OF_DUPLICATE,     /* 409: the target is a duplicate */
    DUPLICATE_HAS_DUPLICATES,   /* 409: others point at this issue */
};
enum duplicate_verdict lifecycle_duplicate_check(long long self_id, long long target_id,
                                                 enum status target_status,
                                                 bool self_has_duplicates);

#endif
