/* lifecycle.c -- the Lifecycle table of docs/api.md as data, and the one function that
 * reads it: (status, action, role, escalation level) -> next status or a refusal. */
#include "domain/lifecycle.h"

#include <stddef.h>

#define BIT(x) (1u << (unsigned)(x))

#define STAFF (BIT(ROLE_OFFICER) | BIT(ROLE_SUPERVISOR))
#define PRINCIPAL BIT(ROLE_PRINCIPAL)
#define OPEN (BIT(STATUS_NEW) | BIT(STATUS_TRIAGED) | BIT(STATUS_IN_PROGRESS) | \
              BIT(STATUS_AWAITING_SCHOOL))
#define WORKING (BIT(STATUS_TRIAGED) | BIT(STATUS_IN_PROGRESS))

/* Highest escalation level: 1 is the division head and supervisors, 2 the leadership. */
#define ESCALATION_MAX 2

enum { NOTE = 1u << 0, DUP = 1u << 1, REOPEN = 1u << 2, ESCALATES = 1u << 3,
       FIRST_RESPONSE = 1u << 4 };

/* Sentinel for next: the status does not change (escalate). */
#define SAME_STATUS STATUS_COUNT

struct rule {
    unsigned roles;       /* BIT(role) of each role that may take the action */
    unsigned from;        /* BIT(status) of each status it may be taken from */
    enum status next;
    unsigned flags;
    const char *who;      /* refusal when the role can never take the action */
};

/* One row per action, in enum order; this is the Lifecycle table of docs/api.md. */
static const struct rule RULES[ACTION_COUNT] = {
    [ACTION_TRIAGE] = { STAFF, BIT(STATUS_NEW), STATUS_TRIAGED, 0,
        "Only an officer or a supervisor can triage an issue." },
    [ACTION_START] = { STAFF, BIT(STATUS_TRIAGED), STATUS_IN_PROGRESS, 0,
        "Only an officer or a supervisor can start work on an issue." },
    [ACTION_REQUEST_INFO] = { STAFF, WORKING, STATUS_AWAITING_SCHOOL, NOTE | FIRST_RESPONSE,
        "Only an officer or a supervisor can request information from the school." },
    [ACTION_ANSWER_INFO] = { PRINCIPAL, BIT(STATUS_AWAITING_SCHOOL), STATUS_IN_PROGRESS, NOTE,
        "Only the school's principal can answer a request for information." },
    [ACTION_RESOLVE] = { STAFF, WORKING, STATUS_RESOLVED, NOTE | FIRST_RESPONSE,
        "Only an officer or a supervisor can resolve an issue." },
    [ACTION_CONFIRM] = { PRINCIPAL, BIT(STATUS_RESOLVED), STATUS_CLOSED, 0,
        "Only a principal can confirm a resolution." },
    [ACTION_REOPEN] = { PRINCIPAL, BIT(STATUS_RESOLVED), STATUS_IN_PROGRESS, NOTE | REOPEN,
        "Only a principal can reopen a resolved issue." },
    [ACTION_DECLINE] = { STAFF, OPEN, STATUS_DECLINED, NOTE | FIRST_RESPONSE,
        "Only an officer or a supervisor can decline an issue." },
    [ACTION_MARK_DUPLICATE] = { STAFF, OPEN, STATUS_DUPLICATE, DUP,
        "Only an officer or a supervisor can mark an issue as a duplicate." },
    [ACTION_ESCALATE] = { STAFF, OPEN, SAME_STATUS, ESCALATES,
        "Only an officer or a supervisor can escalate an issue." },
};

/* "An issue that is <state> cannot be <verb>; <who can be>." Reasons are static strings
 * (the caller keeps the pointer), so every combination is spelled out here by macro
 * rather than formatted at run time. */
#define REFUSAL(state, verb, only) "An issue that is " state " cannot be " verb "; " only "."
#define REFUSALS(verb, only) { \
    REFUSAL("new", verb, only), \
    REFUSAL("triaged", verb, only), \
    REFUSAL("in progress", verb, only), \
    REFUSAL("awaiting the school's answer", verb, only), \
    REFUSAL("resolved", verb, only), \
    REFUSAL("closed", verb, only), \
    REFUSAL("declined", verb, only), \
    REFUSAL("marked as a duplicate", verb, only) }

static const char *const STATUS_REFUSALS[ACTION_COUNT][STATUS_COUNT] = {
    [ACTION_TRIAGE] = REFUSALS("triaged", "only new issues can be"),
    [ACTION_START] = REFUSALS("started", "only triaged issues can be"),
    [ACTION_REQUEST_INFO] = REFUSALS("sent a request for information",
                                     "only triaged or in-progress issues can be"),
    [ACTION_ANSWER_INFO] = REFUSALS("answered",
                                    "only an issue awaiting the school's answer can be"),
    [ACTION_RESOLVE] = REFUSALS("resolved", "only triaged or in-progress issues can be"),
    [ACTION_CONFIRM] = REFUSALS("confirmed", "only resolved issues can be"),
    [ACTION_REOPEN] = REFUSALS("reopened", "only resolved issues can be"),
    [ACTION_DECLINE] = REFUSALS("declined", "only open issues can be"),
    [ACTION_MARK_DUPLICATE] = REFUSALS("marked as a duplicate", "only open issues can be"),
    [ACTION_ESCALATE] = REFUSALS("escalated", "only open issues can be"),
};

static struct transition refuse(struct transition t, const char *code, const char *reason)
{
    t.allowed = false;
    t.code = code;
    t.reason = reason;
    return t;
}

struct transition lifecycle_decide(enum status current, enum action action, enum role role,
                                   int escalation_level)
{
    struct transition t = { .allowed = false, .next = current, .reason = NULL };

    /* Values from outside the enums mean a bug upstream; refuse rather than index. */
    if ((unsigned)action >= ACTION_COUNT)
        return refuse(t, "unknown_action", "This action is not known.");
    if ((unsigned)current >= STATUS_COUNT)
        return refuse(t, "unknown_status", "This issue's status is not known.");
    if ((unsigned)role >= ROLE_COUNT)
        return refuse(t, "unknown_role", "Your role is not known.");

    /* The flags describe the action, so the API can ask for a missing note or
     * duplicate_of even when it also has to report a refusal. */
    const struct rule *r = &RULES[action];
    t.note_required = (r->flags & NOTE) != 0;
    t.needs_duplicate_of = (r->flags & DUP) != 0;
    t.counts_reopen = (r->flags & REOPEN) != 0;
    t.raises_escalation = (r->flags & ESCALATES) != 0;
    t.is_first_response = (r->flags & FIRST_RESPONSE) != 0;

    /* Role first: a role that can never do this should hear who can, not a status. */
    if (!(r->roles & BIT(role)))
        return refuse(t, "role_may_not", r->who);
    if (!(r->from & BIT(current)))
        return refuse(t, "wrong_status", STATUS_REFUSALS[action][current]);
    if ((r->flags & ESCALATES) && escalation_level >= ESCALATION_MAX)
        return refuse(t, "escalation_max",
                      "This issue is already at the highest escalation level.");

    t.allowed = true;
    t.next = r->next == SAME_STATUS ? current : r->next;
    return t;
}

struct transition lifecycle_resolve_with_parent(enum status child_status)
{
    struct transition t = {.allowed = false, .next = child_status, .note_required = true,
                           .is_first_response = true};
    if ((unsigned)child_status >= STATUS_COUNT)
        return refuse(t, "unknown_status", "This issue's status is not known.");
    if (!(OPEN & BIT(child_status)))
        return refuse(t, "wrong_status", STATUS_REFUSALS[ACTION_RESOLVE][child_status]);
    t.allowed = true;
    t.next = STATUS_RESOLVED;
    return t;
}

enum duplicate_verdict lifecycle_duplicate_check(long long self_id, long long target_id,
                                                 enum status target_status,
                                                 bool self_has_duplicates)
{
    if (self_id == target_id)
        return DUPLICATE_OF_SELF;
    if (target_status == STATUS_DUPLICATE)
        return DUPLICATE_OF_DUPLICATE;
    if (self_has_duplicates)
        return DUPLICATE_HAS_DUPLICATES;
    return DUPLICATE_OK;
}
