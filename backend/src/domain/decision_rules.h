/* decision_rules.h -- the rules of a meeting's decisions (docs/meetings.md): who records
 * and who changes one, what may be done with it, and how it stands at an instant (done on
 * time, done late, open and overdue, open). Pure C, no I/O. */
#ifndef DL_DOMAIN_DECISION_RULES_H
#define DL_DOMAIN_DECISION_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/access.h"

#define DECISION_BODY_MAX 2000
#define DECISION_NOTE_MAX 2000
#define DECISION_ISSUES_MAX 20
#define MEETING_TITLE_MAX 200
#define MEETING_AGENDA_MAX 50

enum decision_state {
    DECISION_OPEN,           /* not done, its due day not over */
    DECISION_OVERDUE,        /* not done, its due day over */
    DECISION_DONE_ON_TIME,   /* done by the end of its due day */
    DECISION_DONE_LATE,
    DECISION_STATE_COUNT
};

const char *decision_state_name(enum decision_state s);   /* "open", "overdue", ... */

/* The first instant after the due day (days since 1970-01-01) in Ha Tinh (UTC+07:00, no
 * summer time), epoch seconds. */
int64_t decision_due_end(int due_days);
/* How a decision stands at as_of, given whether it was done then and when. */
enum decision_state decision_state_at(bool done, int64_t done_at, int due_days, int64_t as_of);

/* Meetings, agendas and decisions are recorded by officers and supervisors. */
bool decision_may_record(const struct actor *a);
/* Staff read every meeting and decision; others only through the issues they read. */
bool decision_reads_all(const struct actor *a);

/* What the rules read of a decision. */
struct decision_facts {
    int division_id;      /* responsible */
    int recorded_by;
    bool done;
};

/* Changing, marking done or reopening: the responsible division's officers, the officer
 * who recorded it, supervisors. */
bool decision_may_change(const struct actor *a, const struct decision_facts *d);

enum decision_act { DECISION_ACT_CHANGE, DECISION_ACT_DONE, DECISION_ACT_REOPEN };

/* The verdict on an act the actor may take: allowed, or a 409 with its code. */
struct decision_verdict {
    bool allowed;
    const char *code;     /* "decision_done", "already_done", "not_done" */
    const char *reason;
};
struct decision_verdict decision_act_decide(const struct decision_facts *d,
                                            enum decision_act act);

/* A decision falls due on or after its meeting's day. */
bool decision_due_allowed(int held_days, int due_days);

#endif
