/* access.c -- the "Who sees what" tables of docs/api.md and docs/dialogue.md: what an
 * actor may read, comment on, change, act on, share and co-sign. An issue a role cannot
 * read is HIDDEN (404), never FORBIDDEN. */
#include "domain/access.h"

#include <stddef.h>

/* Ids are 0 when unbound; an unbound principal or cluster leader must match nothing,
 * so a zero id never counts as "the same school". */
static bool own_school(const struct actor *a, const struct issue_scope *s)
{
    return a->school_id != 0 && a->school_id == s->school_id;
}

static bool own_cluster(const struct actor *a, const struct issue_scope *s)
{
    return a->cluster_id != 0 && a->cluster_id == s->cluster_id;
}

static bool own_division(const struct actor *a, const struct issue_scope *s)
{
    return a->division_id != 0 && a->division_id == s->division_id;
}

/* A shared issue reaches every school; a co-signed one the schools that signed it; a
 * parent the schools of its children. A reader whose binding is missing (id 0) gets
 * nothing, shared issues included. */
static bool reaches_reader(const struct issue_scope *s, int binding)
{
    return binding != 0 && (s->shared || s->cosigned_by_reader || s->parent_of_readers);
}

enum access_verdict access_read(const struct actor *a, const struct issue_scope *s)
{
    if (a == NULL || s == NULL)
        return ACCESS_HIDDEN;
    switch (a->role) {
    case ROLE_PRINCIPAL:
        return own_school(a, s) || reaches_reader(s, a->school_id) ? ACCESS_OK : ACCESS_HIDDEN;
    case ROLE_CLUSTER_LEADER:
        return own_cluster(a, s) || reaches_reader(s, a->cluster_id) ? ACCESS_OK : ACCESS_HIDDEN;
    case ROLE_OFFICER:
    case ROLE_SUPERVISOR:
    case ROLE_ADMIN:
        return ACCESS_OK;
    default:
        return ACCESS_HIDDEN;
    }
}

enum access_verdict access_comment(const struct actor *a, const struct issue_scope *s,
                                   bool internal)
{
    enum access_verdict v = access_read(a, s);
    if (v != ACCESS_OK)
        return v;
    /* Internal notes are the Department's own. In public: the Department, the issue's
     * school and cluster, and a school that co-signed it; a school that only reads a
     * shared issue adds its voice by co-signing, not by commenting. */
    if (internal && !role_is_staff(a->role))
        return ACCESS_FORBIDDEN;
    if (a->role == ROLE_PRINCIPAL)
        return own_school(a, s) || s->cosigned_by_reader ? ACCESS_OK : ACCESS_FORBIDDEN;
    if (a->role == ROLE_CLUSTER_LEADER)
        return own_cluster(a, s) ? ACCESS_OK : ACCESS_FORBIDDEN;
    return ACCESS_OK;
}

/* Refusal for someone who may not do this: 404 if they cannot even see it. */
static enum access_verdict deny(const struct actor *a, const struct issue_scope *s)
{
    return access_read(a, s) == ACCESS_OK ? ACCESS_FORBIDDEN : ACCESS_HIDDEN;
}

enum access_verdict access_modify(const struct actor *a, const struct issue_scope *s)
{
    if (a == NULL || s == NULL)
        return ACCESS_HIDDEN;
    if (a->role == ROLE_SUPERVISOR)
        return ACCESS_OK;
    if (a->role == ROLE_OFFICER && own_division(a, s))
        return ACCESS_OK;
    return deny(a, s);
}

enum access_verdict access_act(const struct actor *a, const struct issue_scope *s)
{
    if (a == NULL || s == NULL)
        return ACCESS_HIDDEN;
    /* Principals act on their own school's issues; which actions is the lifecycle's call. */
    if (a->role == ROLE_PRINCIPAL && own_school(a, s))
        return ACCESS_OK;
    return access_modify(a, s);
}

enum access_verdict access_attach(const struct actor *a, const struct issue_scope *s)
{
    if (a == NULL || s == NULL)
        return ACCESS_HIDDEN;
    /* The same people as access_act today, but its own question: a photo or a document
     * belongs to the school that filed the issue and to the staff working on it. */
    if (a->role == ROLE_PRINCIPAL && own_school(a, s))
        return ACCESS_OK;
    return access_modify(a, s);
}

enum access_verdict access_read_files(const struct actor *a, const struct issue_scope *s)
{
    if (a == NULL || s == NULL)
        return ACCESS_HIDDEN;
    struct issue_scope own = *s;
    own.shared = own.cosigned_by_reader = own.parent_of_readers = false;
    return access_read(a, &own) == ACCESS_OK ? ACCESS_OK : deny(a, s);
}

enum access_verdict access_share(const struct actor *a, const struct issue_scope *s)
{
    if (a == NULL || s == NULL)
        return ACCESS_HIDDEN;
    if (a->role == ROLE_PRINCIPAL && own_school(a, s))
        return ACCESS_OK;
    return deny(a, s);
}

enum access_verdict access_link(const struct actor *a, const struct issue_scope *s)
{
    return access_modify(a, s);
}

enum access_verdict access_cosign(const struct actor *a, const struct issue_scope *s)
{
    if (a == NULL || s == NULL)
        return ACCESS_HIDDEN;
    if (a->role == ROLE_PRINCIPAL && a->school_id != 0 && !own_school(a, s) &&
        access_read(a, s) == ACCESS_OK)
        return ACCESS_OK;
    return deny(a, s);
}

bool access_can_file(const struct actor *a)
{
    return a != NULL && a->role == ROLE_PRINCIPAL && a->school_id != 0;
}

/* A principal without a school (which the schema forbids), or no actor at all, gets -1:
 * a cut that matches nothing, so a broken binding shows nothing rather than everything. */
int access_list_school(const struct actor *a)
{
    if (a == NULL)
        return -1;
    if (a->role != ROLE_PRINCIPAL)
        return 0;
    return a->school_id != 0 ? a->school_id : -1;
}

int access_list_cluster(const struct actor *a)
{
    if (a == NULL)
        return -1;
    if (a->role != ROLE_CLUSTER_LEADER)
        return 0;
    return a->cluster_id != 0 ? a->cluster_id : -1;
}

bool access_sees_internal(const struct actor *a)
{
    return a != NULL && role_is_staff(a->role);
}
