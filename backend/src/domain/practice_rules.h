/* practice_rules.h -- the rules of the practice library (docs/practices.md): who
 * publishes a practice from a resolved issue, who proposes one and who reviews it, which
 * review fits which state, and who reads what. Pure C, no I/O. */
#ifndef DL_DOMAIN_PRACTICE_RULES_H
#define DL_DOMAIN_PRACTICE_RULES_H

#include <stdbool.h>

#include "domain/access.h"
#include "domain/types.h"

#define PRACTICE_TITLE_MAX 200
#define PRACTICE_TEXT_MAX 5000
#define PRACTICE_NOTE_MAX 2000
#define PRACTICE_FILES_MAX 10

enum practice_status {
    PRACTICE_PROPOSED, PRACTICE_PUBLISHED, PRACTICE_DECLINED, PRACTICE_WITHDRAWN,
    PRACTICE_STATUS_COUNT
};
const char *practice_status_name(enum practice_status s);
bool practice_status_parse(const char *name, enum practice_status *out);

enum practice_review { PRACTICE_PUBLISH, PRACTICE_DECLINE, PRACTICE_WITHDRAW };
bool practice_review_parse(const char *name, enum practice_review *out);

/* The verdict on an act: allowed, or refused with a 403 (forbidden) or 409 and a code. */
struct practice_verdict {
    bool allowed;
    bool forbidden;
    const char *code;
    const char *reason;
};

/* Publishing from an issue: the officers of its division and supervisors, once it is
 * resolved or closed (its answer is known). */
struct practice_verdict practice_publish_from_issue(const struct actor *a,
                                                    const struct issue_scope *s,
                                                    enum status issue_status);
/* Proposing the school's own: a principal bound to a school. */
bool practice_may_propose(const struct actor *a);
/* Reviewing (publishing a proposal, declining it, withdrawing a published practice) and
 * editing one: officers and supervisors. */
bool practice_may_review(const struct actor *a);
struct practice_verdict practice_review_decide(const struct actor *a,
                                               enum practice_status current,
                                               enum practice_review review);
/* Editing the published or proposed text: as reviewing, while it is not withdrawn. */
struct practice_verdict practice_edit_decide(const struct actor *a,
                                             enum practice_status current);
/* Whether this actor reads a practice of that status and school. */
bool practice_readable(const struct actor *a, enum practice_status status, int school_id);

#endif
