/* db_context.c -- an actor, or a named system job, becomes the context its transactions
 * carry, with what the policies of sql/migrations/0010_* let that context reach. */
#include "db/db_context.h"

#include <string.h>

struct db_context db_context_of_actor(const struct actor *actor)
{
    /* Staff read every issue and its internal notes, and may change any of them (a
     * comment touches the issue); which division's an officer may act on is access.c's. */
    bool staff = role_is_staff(actor->role);
    /* A principal's actor carries its school's cluster too (access.c wants it), but only a
     * cluster leader's transactions may reach the cluster's schools. */
    int cluster_id = actor->role == ROLE_CLUSTER_LEADER ? actor->cluster_id : 0;
    return (struct db_context){.name = role_name(actor->role), .user_id = actor->user_id,
                               .school_id = actor->school_id, .cluster_id = cluster_id,
                               .division_id = actor->division_id, .reads_all = staff,
                               .writes_all = staff, .sees_internal = staff};
}

void db_act_as(struct db *db, const struct actor *actor)
{
    if (!actor) {
        db_act_as_system(db, DB_CONTEXT_SIGN_IN);
        return;
    }
    struct db_context ctx = db_context_of_actor(actor);
    db_set_context(db, &ctx);
}

/* What each system job needs: the sweep works on every issue, the CLI's report only
 * reads them, the owner's commands do everything; sign-in and `user add` no issue; the
 * email worker reads what it sends (a note to staff included) and changes no issue. */
static const struct {
    const char *name;
    bool reads_all, writes_all, sees_internal;
} SYSTEM[] = {
    {DB_CONTEXT_SIGN_IN, false, false, false},
    {DB_CONTEXT_SWEEP, true, true, true},
    {DB_CONTEXT_REPORT, true, false, false},
    {DB_CONTEXT_USER_CLI, false, false, false},
    {DB_CONTEXT_DEMO, true, true, true},
    {DB_CONTEXT_MIGRATE, true, true, true},
    {DB_CONTEXT_DELIVER, true, false, true},
};

void db_act_as_system(struct db *db, const char *name)
{
    for (size_t i = 0; i < sizeof SYSTEM / sizeof SYSTEM[0]; i++) {
        if (strcmp(SYSTEM[i].name, name) != 0)
            continue;
        struct db_context ctx = {.name = name, .reads_all = SYSTEM[i].reads_all,
                                 .writes_all = SYSTEM[i].writes_all,
                                 .sees_internal = SYSTEM[i].sees_internal};
        db_set_context(db, &ctx);
        return;
    }
    db_set_context(db, NULL);     /* an unknown name reaches nothing */
}
