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

/* Where an issue lives, and how far it reaches beyond its school: shared with all
 * schools, co-signed by the reader's school (a cluster leader: by one of the cluster's),
 * or the parent of a systemic problem one of whose children the reader reads that way. */
struct issue_scope {
    int school_id;
    int cluster_id;
    int division_id;
    bool shared;
    bool cosigned_by_reader;
    bool parent_of_readers;
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
/* An issue's files: whoever reads it as its own school, its cluster or the Department;
 * sharing and co-signing never reach them (another school reads the events naming a file,
 * not the file). */
enum access_verdict access_read_files(const struct actor *a, const struct issue_scope *s);
/* Sharing with all schools and taking it back: the filing school's principal. */
enum access_verdict access_share(const struct actor *a, const struct issue_scope *s);
/* "Our school has this too": another school's principal, on an issue it may read (the
 * sharing rules then decide whether it is shared and not yet signed). */
enum access_verdict access_cosign(const struct actor *a, const struct issue_scope *s);
/* Linking issues as one systemic problem, and letting one go: Department staff who may
 * change the parent (access_modify); the children may be of any school or division. */
enum access_verdict access_link(const struct actor *a, const struct issue_scope *s);
/* Filing a new issue: principals only, for their own school. */
bool access_can_file(const struct actor *a);
/* Whether this actor's lists must be cut to one school or one cluster (0: no cut;
 * -1: an unbound principal or cluster leader, or no actor: a cut that matches nothing). */
int access_list_school(const struct actor *a);
int access_list_cluster(const struct actor *a);
bool access_sees_internal(const struct actor *a);

#endif
