/* practice_store.h -- the SQL of the practice library (sql/migrations/0025_*): publishing
 * from a resolved issue, proposing, reviewing and editing; one practice, the search and
 * the suggestions. Row-level security holds who reads what a second time. */
#ifndef DL_DB_PRACTICE_STORE_H
#define DL_DB_PRACTICE_STORE_H

#include <stdbool.h>
#include "db/db.h"

/* The text of a practice, as sent (NULL: unchanged, in an edit). */
struct practice_text {
    const char *title, *problem, *solution;
};

/* The id of the live (not withdrawn) practice drawn from the issue, or 0. */
bool db_practice_of_issue(struct db *db, long long issue_id, int *id, struct error *err);
/* Of files (an array literal of ids), those that are not the issue's own visible files,
 * with their 0-based position: k, id. */
struct db_rows *db_practice_files_unknown(struct db *db, long long issue_id, const char *files,
                                          struct error *err);
/* Publishes from the issue (its school and category) with the chosen files. */
bool db_practice_publish(struct db *db, long long issue_id, const struct practice_text *t,
                         const char *files, int actor_id, int *id, struct error *err);
/* A principal's proposal for the school; *id 0 when the category code is unknown. */
bool db_practice_propose(struct db *db, int school_id, const char *category,
                         const struct practice_text *t, int actor_id, int *id,
                         struct error *err);
/* Sets the status a review gives (with its note), and the edited text if any. */
bool db_practice_review(struct db *db, int id, const char *status, const char *note,
                        const struct practice_text *t, int actor_id, struct error *err);
/* Edits the text and, with a code (NULL: unchanged), the category; false with *found
 * false when the category is unknown. */
bool db_practice_edit(struct db *db, int id, const struct practice_text *t,
                      const char *category, bool *found, struct error *err);

/* One practice (locked when `lock`): id, origin, issue_ref, school_id, school, school_name,
 * cluster, cluster_name, category, category_name, title, problem, solution, status,
 * proposed_by, proposed_at, reviewed_by, reviewed_at, review_note, published_at, files
 * (JSON text: [{id, name, type, size}]); no row when this reader reads none. */
struct db_rows *db_practice_get(struct db *db, int id, bool lock, struct error *err);

struct practice_filter {
    const char *text;         /* words, all of which the practice holds (accent-folded) */
    const char *category;     /* a code, or NULL */
    const char *cluster;      /* a code, or NULL */
    const char *status;       /* a status name */
    int before_id;            /* keyset: ids below it (0: from the newest) */
    int limit;                /* rows wanted; limit + 1 are read */
};
/* The list, newest first, with the columns above but the long texts cut to 300
 * characters and no files. */
struct db_rows *db_practices_list(struct db *db, const struct practice_filter *f,
                                  struct error *err);
/* A file of a published practice this reader reads (through the owner's function, 0025):
 * id, name, type, size; no row otherwise. Its bytes: db_attachment_content with
 * ATTACHMENT_SLICE_PRACTICE. */
struct db_rows *db_practice_file(struct db *db, long long attachment_id, struct error *err);
/* Published practices alike to a text being typed (as db_issue_similar): id, title,
 * category, category_name, cluster, cluster_name, similarity. */
struct db_rows *db_practices_similar(struct db *db, const char *text, int limit,
                                     struct error *err);

#endif
