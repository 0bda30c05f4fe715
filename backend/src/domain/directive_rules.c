/* directive_rules.c -- the directives' rules, as directive_rules.h says. */
#include "domain/directive_rules.h"

#include <stddef.h>

bool directive_may_send(const struct actor *a)
{
    return a && (a->role == ROLE_OFFICER || a->role == ROLE_SUPERVISOR);
}

bool directive_may_acknowledge(const struct actor *a)
{
    return a && a->role == ROLE_PRINCIPAL && a->school_id > 0;
}

bool directive_sees_schools(const struct actor *a)
{
    return a && (role_is_staff(a->role) || a->role == ROLE_CLUSTER_LEADER);
}
