/* types.h -- the domain's enums (roles, statuses, priorities, actions) and their names
 * on the wire and in the database. Pure C: no I/O, no libraries. */
#ifndef DL_DOMAIN_TYPES_H
#define DL_DOMAIN_TYPES_H

#include <stdbool.h>

enum role { ROLE_PRINCIPAL, ROLE_CLUSTER_LEADER, ROLE_OFFICER, ROLE_SUPERVISOR, ROLE_ADMIN,
            ROLE_COUNT };

enum status { STATUS_NEW, STATUS_TRIAGED, STATUS_IN_PROGRESS, STATUS_AWAITING_SCHOOL,
              STATUS_RESOLVED, STATUS_CLOSED, STATUS_DECLINED, STATUS_DUPLICATE,
              STATUS_COUNT };

enum priority { PRIORITY_LOW, PRIORITY_NORMAL, PRIORITY_HIGH, PRIORITY_URGENT,
                PRIORITY_COUNT };

enum action { ACTION_TRIAGE, ACTION_START, ACTION_REQUEST_INFO, ACTION_ANSWER_INFO,
              ACTION_RESOLVE, ACTION_CONFIRM, ACTION_REOPEN, ACTION_DECLINE,
              ACTION_MARK_DUPLICATE, ACTION_ESCALATE, ACTION_COUNT };

/* Names as they appear in JSON and in the database ("in_progress", "cluster_leader"). */
const char *role_name(enum role r);
const char *status_name(enum status s);
const char *priority_name(enum priority p);
const char *action_name(enum action a);

/* Parse a name; false when it is not one of the enum's names. NULL never matches. */
bool role_parse(const char *name, enum role *out);
bool status_parse(const char *name, enum status *out);
bool priority_parse(const char *name, enum priority *out);
bool action_parse(const char *name, enum action *out);

/* Open: still waiting on someone (new, triaged, in_progress, awaiting_school). */
bool status_is_open(enum status s);

/* Department staff: officer, supervisor, admin. They may read internal notes. */
bool role_is_staff(enum role r);

#endif
