/* issue_sql.h -- SQL fragments the issue stores share (inside db/ only): the overdue
 * condition and the SELECT whose columns are the API's ISSUE fields. */
#ifndef DL_DB_ISSUE_SQL_H
#define DL_DB_ISSUE_SQL_H

/* Overdue now: the rule is dl_overdue's (sql/migrations/0014_queue_plans.sql). */
#define OVERDUE_SQL \
    "dl_overdue(i.status, i.first_response_at IS NOT NULL, i.due_first_response_at," \
    " i.due_resolution_at, now())"

/* An instant as microseconds since the epoch, for the API to write in the Department's
 * zone (domain/department_time.c): a page of 50 issues has some 350 instants, and SQL's
 * dl_time cost about 1 us each, a third of the page's rows statement. date_part is the
 * float version, cheap; rounding to whole microseconds makes it exact. */
#define EPOCH_US(column) "(date_part('epoch', " column ") * 1000000)::bigint"

/* Whether the reader's school co-signed the issue (a cluster leader: one of the cluster's
 * schools), from the transaction's reach (db/db.c), as the policies ask it. */
#define COSIGNED_BY_READER_SQL \
    "coalesce(i.cosigned_schools &&" \
    " (SELECT nullif(current_setting('directline.reach', true), '')::integer[]), false)"

/* The schools an issue affects: its own, its co-signers, a parent's children's (0021). */
#define SCHOOLS_AFFECTED_SQL "cardinality(i.affected_schools)"

/* Whether the issue is the parent of one of the reader's schools' issues (or of one they
 * co-signed): such a reader reads the parent, as issues_read (0021) lets it. */
#define PARENT_OF_READERS_SQL \
    "(i.child_count > 0 AND coalesce(i.affected_schools &&" \
    " (SELECT nullif(current_setting('directline.reach', true), '')::integer[]), false))"

/* Column names are the API's field names (instants with "_us"; created_at_us is also the
 * list's keyset); ids ride along. */
#define ISSUE_SELECT \
    "SELECT i.id, i.ref, i.title, i.description, i.proposed_solution, i.status," \
    " i.priority, cat.code AS category, cat.kind AS category_kind, d.code AS division," \
    " s.code AS school, s.name AS school_name, cl.code AS cluster," \
    " i.school_id, s.cluster_id, i.division_id," \
    " fu.login AS filed_by_login, fu.full_name AS filed_by_name," \
    " au.login AS assignee_login, au.full_name AS assignee_name," \
    " i.escalation_level, i.reopen_count, dup.ref AS duplicate_of," \
    " cat.sensitive AS category_sensitive, i.shared," \
    " " SCHOOLS_AFFECTED_SQL " AS schools_affected," \
    " i.parent_id, par.ref AS parent, par.division_id AS parent_division_id, i.child_count," \
    " " PARENT_OF_READERS_SQL " AS parent_of_readers," \
    " " COSIGNED_BY_READER_SQL " AS cosigned," \
    " " OVERDUE_SQL " AS overdue," \
    " " EPOCH_US("i.due_first_response_at") " AS due_first_response_at_us," \
    " " EPOCH_US("i.due_resolution_at") " AS due_resolution_at_us," \
    " " EPOCH_US("i.first_response_at") " AS first_response_at_us," \
    " " EPOCH_US("i.resolved_at") " AS resolved_at_us," \
    " " EPOCH_US("i.closed_at") " AS closed_at_us," \
    " " EPOCH_US("i.created_at") " AS created_at_us," \
    " " EPOCH_US("i.updated_at") " AS updated_at_us," \
    " floor(date_part('epoch', i.created_at))::bigint AS filed_epoch, i.paused_seconds" \
    " FROM issues i" \
    " JOIN schools s ON s.id = i.school_id" \
    " JOIN clusters cl ON cl.id = s.cluster_id" \
    " JOIN categories cat ON cat.id = i.category_id" \
    " JOIN divisions d ON d.id = i.division_id" \
    " JOIN users fu ON fu.id = i.filed_by" \
    " LEFT JOIN users au ON au.id = i.assignee_id" \
    " LEFT JOIN issues dup ON dup.id = i.duplicate_of" \
    " LEFT JOIN issues par ON par.id = i.parent_id"

#endif
