/* db_context.h -- the acting context of a signed-in person, for row-level security: what
 * db_set_context is given for an actor (see db.h and sql/migrations/0010_*). */
#ifndef DL_DB_DB_CONTEXT_H
#define DL_DB_DB_CONTEXT_H

#include "db/db.h"
#include "domain/access.h"

/* What an actor's transactions may reach: its role and binding (a cluster only for a
 * cluster leader), and the flags staff have. */
struct db_context db_context_of_actor(const struct actor *actor);
/* The actor's context, or the sign-in context when actor is NULL (no one has
 * signed in yet: only sessions and the sign-in lookup are in reach). */
void db_act_as(struct db *db, const struct actor *actor);
/* A named system context (DB_CONTEXT_SWEEP, ...). */
void db_act_as_system(struct db *db, const char *name);

#endif
