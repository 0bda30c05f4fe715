/* systemic.c -- the rules of linking issues as one systemic problem, as systemic.h states
 * them. */
#include "domain/systemic.h"

#include <stddef.h>

static struct systemic_verdict refuse(bool field_error, const char *code, const char *reason)
{
    return (struct systemic_verdict){.allowed = false, .field_error = field_error,
                                     .code = code, .reason = reason};
}

static struct systemic_verdict allow(bool unchanged)
{
    return (struct systemic_verdict){.allowed = true, .unchanged = unchanged};
}

static bool finished(enum status s)
{
    return s == STATUS_CLOSED || s == STATUS_DECLINED || s == STATUS_DUPLICATE;
}

struct systemic_verdict systemic_link_decide(const struct systemic_facts *parent,
                                             const struct systemic_facts *child)
{
    if (parent->id == child->id)
        return refuse(true, "self_link", "An issue cannot be linked under itself.");
    if (child->parent_id == parent->id)
        return allow(true);
    if (parent->parent_id)
        return refuse(false, "parent_is_child",
                      "This issue is itself part of another systemic problem: link the "
                      "child under that problem's main issue instead.");
    if (child->child_count > 0)
        return refuse(false, "child_is_parent",
                      "The issue to link is the main issue of a systemic problem of its own: "
                      "unlink its issues first, or link this one under it.");
    if (child->parent_id)
        return refuse(false, "linked_elsewhere",
                      "The issue to link already belongs to another systemic problem: "
                      "unlink it there first.");
    if (!status_is_open(parent->status))
        return refuse(false, "parent_finished",
                      "Only an open issue can be the main issue of a systemic problem.");
    if (finished(child->status))
        return refuse(false, "child_finished",
                      "A closed or declined issue, or a duplicate, cannot be linked.");
    return allow(false);
}

struct systemic_verdict systemic_unlink_decide(const struct systemic_facts *parent,
                                               const struct systemic_facts *child)
{
    if (child->parent_id != parent->id)
        return refuse(false, "not_linked", "This issue is not linked under that issue.");
    return allow(false);
}
