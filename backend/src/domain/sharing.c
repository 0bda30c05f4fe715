/* sharing.c -- the rules of sharing and co-signing, as sharing.h states them. */
#include "domain/sharing.h"

#include <stddef.h>

static struct sharing_verdict refuse(const char *code, const char *reason)
{
    return (struct sharing_verdict){.allowed = false, .code = code, .reason = reason};
}

static struct sharing_verdict allow(bool unchanged)
{
    return (struct sharing_verdict){.allowed = true, .unchanged = unchanged};
}

struct sharing_verdict sharing_decide(const struct sharing_facts *f, bool share)
{
    if (!share)
        return allow(!f->shared);
    if (f->shared)
        return allow(true);
    if (f->sensitive)
        return refuse("sensitive_category",
                      "Issues of this category concern people (personnel, salaries, "
                      "complaints or discipline) and cannot be shared with other schools.");
    if (f->status == STATUS_CLOSED || f->status == STATUS_DECLINED ||
        f->status == STATUS_DUPLICATE)
        return refuse("issue_finished",
                      "A closed or declined issue, or a duplicate, cannot be shared.");
    return allow(false);
}

struct sharing_verdict cosign_decide(const struct sharing_facts *f)
{
    if (f->cosigned_by_reader)
        return refuse("already_cosigned", "Your school has already added itself to this issue.");
    if (!f->shared)
        return refuse("not_shared", "This issue is not shared with other schools.");
    if (f->status == STATUS_DECLINED || f->status == STATUS_DUPLICATE)
        return refuse("issue_finished",
                      "A declined issue, or a duplicate, cannot be co-signed.");
    return allow(false);
}
