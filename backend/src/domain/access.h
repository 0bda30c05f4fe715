/* access.h -- every authorization rule in one place: who may see, comment on, change and
 * act on an issue, from the actor's role and binding and the issue's scope. */
#ifndef DL_DOMAIN_ACCESS_H
#define DL_DOMAIN_ACCESS_H

#include <stdbool.h>
#include "domain/types.h"

/* The signed-in person. Ids are 0 when the role has no such binding. */
struct actor {
    int user_id;
    enum role role;
    int school_id;
    int cluster_id;
    int division_id;
};

/* Where an issue lives. */
struct issue_scope {
    int school_id;
    int cluster_id;
    int division_id;
};

enum access_verdict {
    ACCESS_OK,
    ACCESS_HIDDEN,     /* answer 404: for this actor the issue does not exist */
    ACCESS_FORBIDDEN   /* answer 403: visible, but not this */
};

enum access_verdict access_read(const struct actor *a, const struct issue_scope *s);
enum access_verdict access_comment(const struct actor *a, const struct issue_scope *s,
                                   bool internal);
/* PATCH: officers of the issue's division and supervisors. */
enum access_verdict access_modify(const struct actor *a, const struct issue_scope *s);
/* Lifecycle actions: staff acting need access_modify; principals their own school.
 * The lifecycle then decides which action the role may take. */
enum access_verdict access_act(const struct actor *a, const struct issue_scope *s);
/* Attachments: the filing school's principal, and staff who may modify the issue. */
enum access_verdict access_attach(const struct actor *a, const struct issue_scope *s);
/* Filing a new issue: principals only, for their own school. */
bool access_can_file(const struct actor *a);
/* Whether this actor's lists must be cut to one school or one cluster (0: no cut;
 * -1: an unbound principal or cluster leader, or no actor: a cut that matches nothing). */
int access_list_school(const struct actor *a);
int access_list_cluster(const struct actor *a);
bool access_sees_internal(const struct actor *a);

#endif
