/* decision_store.h -- the SQL of meetings' decisions (sql/migrations/0024_*): recording,
 * changing, marking done and reopening, each with its timed event and, on each of the
 * decision's issues, the issue's own event; and the lists that show them. */
#ifndef DL_DB_DECISION_STORE_H
#define DL_DB_DECISION_STORE_H

#include <stdbool.h>
#include "db/db.h"

/* Every list of decisions has these columns: id, meeting_id, meeting_title, held_on,
 * meeting_kind, meeting_cluster, body, division_id, division, division_name, responsible,
 * responsible_name, due_on, due_days, recorded_by_id, recorded_by, recorded_at, done,
 * done_at, done_epoch, done_by, done_note, now_epoch, and issues (JSON text: [{ref,
 * title, status}] of the issues this reader reads). */

/* The division's id (0: no such division) and the responsible's (0: none asked; -1: not
 * an active officer of that division nor a supervisor). */
bool db_decision_people(struct db *db, const char *division, const char *responsible,
                        int *division_id, int *responsible_id, struct error *err);
/* Records a decision on the issues refs (a checked array literal, "{}" for none) and
 * writes its events; *id is the new decision's. */
bool db_decision_record(struct db *db, int meeting_id, const char *body, int division_id,
                        int responsible_id, const char *due_on, const char *refs, int actor_id,
                        int *id, struct error *err);

/* What a change sets; NULL or 0: unchanged. responsible: 0 keep, -1 clear, else the id. */
struct decision_change {
    const char *body;
    int division_id;
    int responsible_id;
    const char *due_on;
};
bool db_decision_change(struct db *db, int id, const struct decision_change *c, int actor_id,
                        struct error *err);
/* Marks it done (done) or reopens it, with the note, and tells its issues. */
bool db_decision_mark(struct db *db, int id, bool done, const char *note, int actor_id,
                      struct error *err);

/* One decision (locked FOR UPDATE when `lock`); no row when there is none for this reader. */
struct db_rows *db_decision_get(struct db *db, int id, bool lock, struct error *err);
/* A meeting's decisions, in the order recorded. */
struct db_rows *db_decisions_of_meeting(struct db *db, int meeting_id, struct error *err);
/* The decisions naming one issue, the latest meeting first. */
struct db_rows *db_decisions_of_issue(struct db *db, long long issue_id, struct error *err);
/* Staff's list: state "open" (overdue included), "overdue", "done" or "all"; division a
 * code or NULL; soonest due first. */
struct db_rows *db_decisions_list(struct db *db, const char *state, const char *division,
                                  int limit, struct error *err);
/* The sweep: tells the responsible of each open decision due by tomorrow, once; *told
 * is how many decisions. */
bool db_decisions_falling_due(struct db *db, long long now, int *told, struct error *err);

#endif
