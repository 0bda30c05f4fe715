/* meeting_store.h -- the SQL of meetings and their agendas (sql/migrations/0024_*): what a
 * meeting is, which issues it is to discuss, and what the printed agenda shows of each. */
#ifndef DL_DB_MEETING_STORE_H
#define DL_DB_MEETING_STORE_H

#include <stdbool.h>
#include "db/db.h"

/* Records a meeting; *id is the new one's, or 0 when the cluster code is unknown. */
bool db_meeting_add(struct db *db, const char *kind, const char *cluster, const char *held_on,
                    const char *title, int actor_id, int *id, struct error *err);
/* Meetings, latest day first: id, kind, cluster, cluster_name, held_on, held_days,
 * title, created_by, created_at, agenda_count, open, overdue, done. */
struct db_rows *db_meetings_list(struct db *db, int limit, struct error *err);
/* One meeting with the columns above; no row when there is none. */
struct db_rows *db_meeting_get(struct db *db, int id, struct error *err);
/* Takes the meeting's lock for the transaction, so that two agendas set at once queue;
 * *found says whether there is such a meeting. */
bool db_meeting_lock(struct db *db, int id, bool *found, struct error *err);
/* Replaces the agenda with refs (an array literal of checked references) in that order. */
bool db_meeting_set_agenda(struct db *db, int id, const char *refs, struct error *err);
/* The agenda: position, id, ref, title, status, school, school_name, division,
 * division_name, overdue, schools_affected, filed_at, proposed_solution, description, and
 * other_schools: the names of up to AGENDA_OTHER_SCHOOLS other schools it affects (NULL
 * when none), for the printed page. */
#define AGENDA_OTHER_SCHOOLS 8
struct db_rows *db_meeting_agenda(struct db *db, int id, struct error *err);
/* The agenda's public history in brief: the last `per_issue` public events of each of its
 * issues (issue_id, action, body, actor, actor_role, created_at, details), oldest first. */
struct db_rows *db_meeting_agenda_history(struct db *db, int id, int per_issue,
                                          struct error *err);
/* Of refs (an array literal), those no issue has, with their 0-based position: k, ref. */
struct db_rows *db_issue_refs_unknown(struct db *db, const char *refs, struct error *err);

#endif
