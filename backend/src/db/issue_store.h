/* issue_store.h -- the SQL of every issue use case: file, find, list, change status,
 * change a field, comment. Each mutation writes its event in the same statement or
 * transaction. Results come back as rows whose column names are the API's field names. */
#ifndef DL_DB_ISSUE_STORE_H
#define DL_DB_ISSUE_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "domain/types.h"

struct new_issue {
    int school_id;
    int filed_by;
    const char *category;           /* code */
    const char *priority;           /* decided: the suggestion or the category's default */
    const char *title, *description, *proposed_solution;
    int64_t due_first_response_offset, due_resolution_offset;   /* seconds after filing */
};

/* What filing needs to know first, inside the filing's transaction: the transaction's
 * time (the filing time, epoch seconds), the category's default priority and whether it
 * is offered (known is false for an unknown code), and the version of the SLA settings. */
struct filing_context {
    int64_t now;
    char default_priority[16];
    bool known, active;
    long long sla_version;
};
bool db_issue_filing_context(struct db *db, const char *category, struct filing_context *out,
                             struct error *err);

struct issue_filter {
    const char *status, *school, *cluster, *category, *division, *priority, *assignee, *q;
    int overdue;                    /* -1: either, 0: not overdue, 1: overdue */
    int escalated;                  /* -1: either, 0: level 0, 1: level above 0 */
    int shared;                     /* -1: either, 0: private, 1: shared with all schools */
    int cosigned;                   /* -1: either, 0/1: (not) co-signed by the reader's school */
    int scope_school_id;            /* 0: no cut (see access_list_school) */
    int scope_cluster_id;
    bool has_cursor;
    long long cursor_created_us, cursor_id;
    int limit;
};

/* One lifecycle step, already decided by lifecycle_decide. */
struct issue_transition {
    long long issue_id;
    int actor_id;
    enum action action;
    enum status from, to;
    const char *note;               /* NULL or text */
    long long duplicate_of_id;      /* 0 unless mark_duplicate */
    bool raises_escalation, counts_reopen, is_first_response;
    int rating;                     /* a confirmation's 1-5, written in its details; 0 none */
};

enum issue_field { FIELD_CATEGORY, FIELD_DIVISION, FIELD_PRIORITY, FIELD_ASSIGNEE };

/* Files the issue with its `filed` event; returns its ref (caller frees), or NULL with
 * err set. An unknown category is ERR_INVALID on the field "category". */
char *db_issue_file(struct db *db, const struct new_issue *issue, struct error *err);

/* The issue with this ref (0 or 1 rows). for_update locks it until the transaction ends. */
struct db_rows *db_issue_find(struct db *db, const char *ref, bool for_update,
                              struct error *err);
/* Locks both issues (those of them that exist) until the transaction ends, always in id
 * order, so that two transactions locking the same pair never deadlock. */
bool db_issue_lock_pair(struct db *db, const char *ref, const char *other_ref,
                        struct error *err);
/* Whether any issue is marked as a duplicate of this one. */
bool db_issue_has_duplicates(struct db *db, long long issue_id, bool *has, struct error *err);
/* Up to filter->limit + 1 issues, newest first: the extra row says another page exists. */
struct db_rows *db_issue_list(struct db *db, const struct issue_filter *filter,
                              struct error *err);
/* The issues matching filter (its status and cursor unset), counted per status: rows of
 * (status, n), only the statuses that occur. */
struct db_rows *db_issue_counts(struct db *db, const struct issue_filter *filter,
                                struct error *err);
/* An issue as its reader sees it: the issue, its history and its files. */
struct issue_read {
    struct db_rows *issue;          /* 0 or 1 rows (ISSUE fields, ids, keyset) */
    struct db_rows *events;         /* oldest first */
    struct db_rows *attachments;    /* oldest first */
};
/* The issue with this ref, its history (internal notes only when sees_internal) and its
 * files (hidden ones only when sees_internal), in one round trip. An issue that does not
 * exist, or that row-level security hides, has no rows in any of the three. False with
 * err (and nothing to free) when the database fails. */
bool db_issue_read(struct db *db, const char *ref, bool sees_internal, struct issue_read *out,
                   struct error *err);
void db_issue_read_free(struct issue_read *r);

/* Takes the step when the issue still has the status t->from; when it has another (the
 * caller did not hold the row lock since reading it), nothing changes and err is
 * ERR_CONFLICT "status_changed". */
bool db_issue_transition(struct db *db, const struct issue_transition *t, struct error *err);

/* Sets one field to `value` (a code, a priority, a login, or NULL to unassign) and writes
 * its set_* event with {"field", "from", "to"}. Nothing happens when the value is equal.
 * A new priority also sets the due times, at the given offsets after filing (ignored for
 * the other fields), and records them in the event. A new division lets go of an
 * assignee who may not hold the issue there (see UNASSIGN_OUTSIDER_SQL), with its own
 * set_assignee event: assign a new division's officer before moving the issue. */
bool db_issue_set_field(struct db *db, long long issue_id, int actor_id,
                        enum issue_field field, const char *value,
                        int64_t due_first_response_offset, int64_t due_resolution_offset,
                        struct error *err);

/* Adds a comment event and returns it as an event row. touches_issue: whether the
 * issue's updated_at (and, for a first response, first_response_at) follow; false for a
 * co-signing school's comment on another school's issue. */
struct db_rows *db_issue_comment(struct db *db, long long issue_id, int actor_id,
                                 const char *body, bool internal, bool is_first_response,
                                 bool touches_issue, struct error *err);

#endif
