/* directive_rules.h -- the rules of the Department's directives (docs/ratings-and-
 * directives.md): who sends one, who acknowledges it for a school, who sees which schools
 * have not, and the limits of what is sent. Pure C, no I/O. */
#ifndef DL_DOMAIN_DIRECTIVE_RULES_H
#define DL_DOMAIN_DIRECTIVE_RULES_H

#include <stdbool.h>

#include "domain/access.h"

#define DIRECTIVE_TITLE_MAX 200
#define DIRECTIVE_BODY_MAX 10000
#define DIRECTIVE_CLUSTERS_MAX 50
#define DIRECTIVE_REMIND_MIN_DAYS 1
#define DIRECTIVE_REMIND_MAX_DAYS 60
#define DIRECTIVE_REMIND_DEFAULT_DAYS 3

/* Officers and supervisors send directives. */
bool directive_may_send(const struct actor *a);
/* A principal bound to a school acknowledges, for the school. */
bool directive_may_acknowledge(const struct actor *a);
/* Who may list which schools acknowledged: staff (every school), cluster leaders (their
 * cluster's; row-level security keeps the others out). */
bool directive_sees_schools(const struct actor *a);

#endif
