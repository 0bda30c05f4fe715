/* issue_permissions.c -- one issue's allowed actions and abilities for one actor, asked of
 * access.c and lifecycle_decide in the order the endpoints ask them. No rule of its own
 * lives here apart from "a finished issue cannot be changed", which PATCH also enforces. */
#include "domain/issue_permissions.h"

#include <stddef.h>

#include "domain/attachment_rules.h"
#include "domain/lifecycle.h"

/* The actions endpoint: access_act first (403/404), then the lifecycle (409). Required
 * notes and duplicate_of are input, not permission: the client asks for them. */
static unsigned allowed_actions(const struct actor *a, const struct issue_facts *issue)
{
    if (access_act(a, &issue->scope) != ACCESS_OK)
        return 0;
    unsigned actions = 0;
    for (int act = 0; act < ACTION_COUNT; act++) {
        struct transition t = lifecycle_decide(issue->status, (enum action)act, a->role,
                                               issue->escalation_level);
        if (t.allowed)
            actions |= 1u << act;
    }
    return actions;
}

struct sharing_facts issue_sharing_facts(const struct issue_facts *issue)
{
    return (struct sharing_facts){
        .status = issue->status,
        .shared = issue->scope.shared,
        .sensitive = issue->sensitive,
        .cosigned_by_reader = issue->scope.cosigned_by_reader,
    };
}

/* Sharing and co-signing: access.c for who, sharing.c for the issue's own rules. A
 * share or unshare that would change nothing is not offered. */
static void sharing_permissions(const struct actor *a, const struct issue_facts *issue,
                                struct issue_permissions *p)
{
    struct sharing_facts f = issue_sharing_facts(issue);
    if (access_share(a, &issue->scope) == ACCESS_OK) {
        struct sharing_verdict share = sharing_decide(&f, true);
        struct sharing_verdict unshare = sharing_decide(&f, false);
        p->share = share.allowed && !share.unchanged;
        p->unshare = unshare.allowed && !unshare.unchanged;
    }
    p->cosign = access_cosign(a, &issue->scope) == ACCESS_OK && cosign_decide(&f).allowed;
}

struct systemic_facts issue_systemic_facts(const struct issue_facts *issue)
{
    return (struct systemic_facts){.id = issue->id, .status = issue->status,
                                   .parent_id = issue->parent_id,
                                   .child_count = issue->child_count};
}

/* Linking under this issue is offered when it could take a child at all (open, nobody's
 * child); which child is the endpoint's question. */
static void systemic_permissions(const struct actor *a, const struct issue_facts *issue,
                                 struct issue_permissions *p)
{
    if (access_link(a, &issue->scope) != ACCESS_OK)
        return;
    p->link = !issue->parent_id && status_is_open(issue->status);
    p->unlink = issue->child_count > 0;
}

/* Unlinking a child is the main issue's division's to do (issue_links_api.c checks the
 * main issue's scope), so that is what the child's page offers it on. */
static void unlink_from_parent_permission(const struct actor *a, const struct issue_facts *issue,
                                          struct issue_permissions *p)
{
    if (!issue->parent_id || !issue->parent_division_id)
        return;
    const struct issue_scope parent = {.division_id = issue->parent_division_id};
    p->unlink_from_parent = access_link(a, &parent) == ACCESS_OK;
}

struct issue_permissions issue_permissions_of(const struct actor *a,
                                              const struct issue_facts *issue)
{
    struct issue_permissions p = {0};
    if (a == NULL || issue == NULL || access_read(a, &issue->scope) != ACCESS_OK)
        return p;
    p.actions = allowed_actions(a, issue);
    p.comment = access_comment(a, &issue->scope, false) == ACCESS_OK;
    p.internal_note = access_comment(a, &issue->scope, true) == ACCESS_OK;
    /* PATCH refuses a resolved, closed, declined or duplicate issue (issue_finished). */
    p.modify = access_modify(a, &issue->scope) == ACCESS_OK && status_is_open(issue->status);
    p.attach = access_attach(a, &issue->scope) == ACCESS_OK;
    p.hide_files = attachment_access_hide(a, &issue->scope) == ACCESS_OK;
    sharing_permissions(a, issue, &p);
    systemic_permissions(a, issue, &p);
    unlink_from_parent_permission(a, issue, &p);
    return p;
}

bool issue_permissions_allow(const struct issue_permissions *p, enum action action)
{
    return (unsigned)action < ACTION_COUNT && (p->actions & (1u << action)) != 0;
}
