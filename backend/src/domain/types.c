/* types.c -- the names of the domain's enums on the wire and in the database, and the
 * two questions every layer asks of them: is a status open, is a role Department staff. */
#include "domain/types.h"

#include <stddef.h>
#include <string.h>

/* Each table is indexed by its enum, so a name and its value cannot drift apart. */
static const char *const ROLE_NAMES[ROLE_COUNT] = {
    "principal", "cluster_leader", "officer", "supervisor", "admin",
};

static const char *const STATUS_NAMES[STATUS_COUNT] = {
    "new", "triaged", "in_progress", "awaiting_school",
    "resolved", "closed", "declined", "duplicate",
};

static const char *const PRIORITY_NAMES[PRIORITY_COUNT] = {
    "low", "normal", "high", "urgent",
};

static const char *const ACTION_NAMES[ACTION_COUNT] = {
    "triage", "start", "request_info", "answer_info", "resolve",
    "confirm", "reopen", "decline", "mark_duplicate", "escalate",
};

/* Out-of-range values get a fixed string rather than NULL: a name is printed into JSON
 * and logs, and a bug there should show, not crash. */
static const char *name_of(const char *const *names, int count, int value)
{
    if (value < 0 || value >= count)
        return "unknown";
    return names[value];
}

/* Linear search: the tables hold at most ten names. */
static bool parse_name(const char *const *names, int count, const char *name, int *out)
{
    if (name == NULL)
        return false;
    for (int i = 0; i < count; i++) {
        if (strcmp(names[i], name) == 0) {
            *out = i;
            return true;
        }
    }
    return false;
}

const char *role_name(enum role r) { return name_of(ROLE_NAMES, ROLE_COUNT, (int)r); }
const char *status_name(enum status s) { return name_of(STATUS_NAMES, STATUS_COUNT, (int)s); }
const char *priority_name(enum priority p)
{
    return name_of(PRIORITY_NAMES, PRIORITY_COUNT, (int)p);
}
const char *action_name(enum action a) { return name_of(ACTION_NAMES, ACTION_COUNT, (int)a); }

bool role_parse(const char *name, enum role *out)
{
    int v;
    if (!parse_name(ROLE_NAMES, ROLE_COUNT, name, &v))
        return false;
    *out = (enum role)v;
    return true;
}

bool status_parse(const char *name, enum status *out)
{
    int v;
    if (!parse_name(STATUS_NAMES, STATUS_COUNT, name, &v))
        return false;
    *out = (enum status)v;
    return true;
}

bool priority_parse(const char *name, enum priority *out)
{
    int v;
    if (!parse_name(PRIORITY_NAMES, PRIORITY_COUNT, name, &v))
        return false;
    *out = (enum priority)v;
    return true;
}

bool action_parse(const char *name, enum action *out)
{
    int v;
    if (!parse_name(ACTION_NAMES, ACTION_COUNT, name, &v))
        return false;
    *out = (enum action)v;
    return true;
}

bool status_is_open(enum status s)
{
    switch (s) {
    case STATUS_NEW:
    case STATUS_TRIAGED:
    case STATUS_IN_PROGRESS:
    case STATUS_AWAITING_SCHOOL:
        return true;
    default:
        return false;
    }
}

bool role_is_staff(enum role r)
{
    return r == ROLE_OFFICER || r == ROLE_SUPERVISOR || r == ROLE_ADMIN;
}
