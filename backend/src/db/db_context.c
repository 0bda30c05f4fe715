/* db_context.c -- an actor becomes the context its transactions carry. */
#include "db/db_context.h"

void db_act_as(struct db *db, const struct actor *actor)
{
    if (!actor) {
        db_act_as_system(db, DB_CONTEXT_SIGN_IN);
        return;
    }
    struct db_context ctx = {.name = role_name(actor->role), .user_id = actor->user_id,
                             .school_id = actor->school_id, .cluster_id = actor->cluster_id,
                             .division_id = actor->division_id};
    db_set_context(db, &ctx);
}

void db_act_as_system(struct db *db, const char *name)
{
    struct db_context ctx = {.name = name};
    db_set_context(db, &ctx);
}
