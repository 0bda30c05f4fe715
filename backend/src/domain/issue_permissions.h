/* issue_permissions.h -- what the signed-in person may do with one issue right now: the
 * lifecycle actions the actions endpoint would accept, and whether the comment, internal
 * note, change and attach endpoints would. Computed from the very rules those endpoints
 * enforce (access.h, lifecycle.h), so a client shows exactly the buttons that work. */
#ifndef DL_DOMAIN_ISSUE_PERMISSIONS_H
#define DL_DOMAIN_ISSUE_PERMISSIONS_H

#include <stdbool.h>
#include "domain/access.h"
#include "domain/sharing.h"
#include "domain/systemic.h"
#include "domain/types.h"

/* The part of an issue the rules read. */
struct issue_facts {
    struct issue_scope scope;
    enum status status;
    int escalation_level;
    bool sensitive;          /* the category is sensitive (never shared) */
    long long id;            /* for systemic.h's rules */
    long long parent_id;     /* 0: it belongs to no systemic problem */
    int parent_division_id;  /* its main issue's division (0: none, or not readable) */
    int child_count;         /* the issues linked under it */
};

struct issue_permissions {
    unsigned actions;        /* bit (1u << action) for each action that would be accepted */
    bool comment;            /* a public comment */
    bool internal_note;      /* an internal comment */
    bool modify;             /* PATCH: category, division, priority, assignee */
    bool attach;             /* upload an attachment */
    bool hide_files;         /* hide an attachment, finished issue or not: a photo that
                                shows a child's face may be noticed after the end */
    bool share;              /* share with all schools */
    bool unshare;            /* take the sharing back */
    bool cosign;             /* "our school has this too" */
    bool link;               /* link other issues under this one (systemic problem) */
    bool unlink;             /* let its children go */
    bool unlink_from_parent; /* take this one out of its systemic problem (the main
                                issue's division decides, as the endpoint does) */
};

/* For an actor who may read the issue; for one who may not, everything is false. */
struct issue_permissions issue_permissions_of(const struct actor *a,
                                              const struct issue_facts *issue);

/* What sharing.h's rules read of the issue, for the same reader. */
struct sharing_facts issue_sharing_facts(const struct issue_facts *issue);

/* What systemic.h's rules read of the issue. */
struct systemic_facts issue_systemic_facts(const struct issue_facts *issue);

/* Whether the action is among p's actions (false for values outside the enum). */
bool issue_permissions_allow(const struct issue_permissions *p, enum action action);

#endif
