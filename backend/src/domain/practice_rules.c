/* practice_rules.c -- the practice library's rules, as practice_rules.h says. */
#include "domain/practice_rules.h"

#include <stddef.h>
#include <string.h>

static const char *const STATUS_NAMES[PRACTICE_STATUS_COUNT] = {
    [PRACTICE_PROPOSED] = "proposed", [PRACTICE_PUBLISHED] = "published",
    [PRACTICE_DECLINED] = "declined", [PRACTICE_WITHDRAWN] = "withdrawn",
};

const char *practice_status_name(enum practice_status s)
{
    return s < PRACTICE_STATUS_COUNT ? STATUS_NAMES[s] : "?";
}

bool practice_status_parse(const char *name, enum practice_status *out)
{
    for (int s = 0; name && s < PRACTICE_STATUS_COUNT; s++)
        if (strcmp(name, STATUS_NAMES[s]) == 0) {
            *out = (enum practice_status)s;
            return true;
        }
    return false;
}

bool practice_review_parse(const char *name, enum practice_review *out)
{
    static const char *const names[] = {"publish", "decline", "withdraw"};
    for (int r = 0; name && r < 3; r++)
        if (strcmp(name, names[r]) == 0) {
            *out = (enum practice_review)r;
            return true;
        }
    return false;
}

static struct practice_verdict allowed(void)
{
    return (struct practice_verdict){true, false, NULL, NULL};
}

static struct practice_verdict forbidden(const char *reason)
{
    return (struct practice_verdict){false, true, "forbidden", reason};
}

static struct practice_verdict conflict(const char *code, const char *reason)
{
    return (struct practice_verdict){false, false, code, reason};
}

struct practice_verdict practice_publish_from_issue(const struct actor *a,
                                                    const struct issue_scope *s,
                                                    enum status issue_status)
{
    if (access_modify(a, s) != ACCESS_OK)
        return forbidden("only the officers of the issue's division and supervisors "
                         "publish its answer");
    if (issue_status != STATUS_RESOLVED && issue_status != STATUS_CLOSED)
        return conflict("not_resolved", "only a resolved or closed issue has an answer to "
                                        "publish");
    return allowed();
}

bool practice_may_propose(const struct actor *a)
{
    return a && a->role == ROLE_PRINCIPAL && a->school_id > 0;
}

bool practice_may_review(const struct actor *a)
{
    return a && (a->role == ROLE_OFFICER || a->role == ROLE_SUPERVISOR);
}

struct practice_verdict practice_review_decide(const struct actor *a,
                                               enum practice_status current,
                                               enum practice_review review)
{
    if (!practice_may_review(a))
        return forbidden("only officers and supervisors review the practice library");
    switch (review) {
    case PRACTICE_PUBLISH:
    case PRACTICE_DECLINE:
        if (current != PRACTICE_PROPOSED)
            return conflict("not_proposed", "only a proposal waiting for review is "
                                            "published or declined");
        break;
    case PRACTICE_WITHDRAW:
        if (current != PRACTICE_PUBLISHED)
            return conflict("not_published", "only a published practice is withdrawn");
        break;
    }
    return allowed();
}

struct practice_verdict practice_edit_decide(const struct actor *a,
                                             enum practice_status current)
{
    if (!practice_may_review(a))
        return forbidden("only officers and supervisors edit the practice library");
    if (current == PRACTICE_WITHDRAWN || current == PRACTICE_DECLINED)
        return conflict("practice_closed", "a withdrawn or declined practice is kept as "
                                           "it was");
    return allowed();
}

bool practice_readable(const struct actor *a, enum practice_status status, int school_id)
{
    if (!a)
        return false;
    if (role_is_staff(a->role))
        return true;
    if (a->role == ROLE_PRINCIPAL && a->school_id > 0 && a->school_id == school_id)
        return true;
    return status == PRACTICE_PUBLISHED &&
           (a->role == ROLE_PRINCIPAL || a->role == ROLE_CLUSTER_LEADER);
}
