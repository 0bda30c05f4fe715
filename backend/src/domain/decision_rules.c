/* decision_rules.c -- the decisions' rules, as decision_rules.h says. */
#include "domain/decision_rules.h"

#include <stddef.h>

#define HA_TINH_OFFSET_SECONDS (7 * 3600)

const char *decision_state_name(enum decision_state s)
{
    static const char *const names[DECISION_STATE_COUNT] = {
        [DECISION_OPEN] = "open", [DECISION_OVERDUE] = "overdue",
        [DECISION_DONE_ON_TIME] = "done_on_time", [DECISION_DONE_LATE] = "done_late",
    };
    return s < DECISION_STATE_COUNT ? names[s] : "?";
}

int64_t decision_due_end(int due_days)
{
    return ((int64_t)due_days + 1) * 86400 - HA_TINH_OFFSET_SECONDS;
}

enum decision_state decision_state_at(bool done, int64_t done_at, int due_days, int64_t as_of)
{
    int64_t end = decision_due_end(due_days);
    if (done)
        return done_at < end ? DECISION_DONE_ON_TIME : DECISION_DONE_LATE;
    return as_of >= end ? DECISION_OVERDUE : DECISION_OPEN;
}

bool decision_may_record(const struct actor *a)
{
    return a && (a->role == ROLE_OFFICER || a->role == ROLE_SUPERVISOR);
}

bool decision_reads_all(const struct actor *a)
{
    return a && role_is_staff(a->role);
}

bool decision_may_change(const struct actor *a, const struct decision_facts *d)
{
    if (!a || !d)
        return false;
    if (a->role == ROLE_SUPERVISOR)
        return true;
    if (a->role != ROLE_OFFICER)
        return false;
    return (a->division_id != 0 && a->division_id == d->division_id) ||
           a->user_id == d->recorded_by;
}

struct decision_verdict decision_act_decide(const struct decision_facts *d,
                                            enum decision_act act)
{
    switch (act) {
    case DECISION_ACT_CHANGE:
        if (d->done)
            return (struct decision_verdict){false, "decision_done",
                "the decision is done: reopen it before changing it"};
        break;
    case DECISION_ACT_DONE:
        if (d->done)
            return (struct decision_verdict){false, "already_done",
                "the decision is already marked done"};
        break;
    case DECISION_ACT_REOPEN:
        if (!d->done)
            return (struct decision_verdict){false, "not_done",
                "the decision is open: there is nothing to reopen"};
        break;
    }
    return (struct decision_verdict){true, NULL, NULL};
}

bool decision_due_allowed(int held_days, int due_days)
{
    return due_days >= held_days;
}
