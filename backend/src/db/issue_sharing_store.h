/* issue_sharing_store.h -- the SQL of sharing an issue with all schools, taking it back,
 * co-signing it, and finding issues like a text being typed. Each change writes its
 * event in the same statement. */
#ifndef DL_DB_ISSUE_SHARING_STORE_H
#define DL_DB_ISSUE_SHARING_STORE_H

#include <stdbool.h>
#include "db/db.h"

/* Sets issues.shared and writes the share or unshare event by actor_id. The database
 * refuses a sensitive category (ERR_CONFLICT sensitive_category). */
bool db_issue_set_shared(struct db *db, long long issue_id, int actor_id, bool shared,
                         struct error *err);

/* Adds the school's co-signature (note may be NULL) and its cosign event, which names the
 * school. A second one for the same school is ERR_CONFLICT already_cosigned. */
bool db_issue_cosign(struct db *db, long long issue_id, int school_id, int principal_id,
                     const char *note, struct error *err);

/* Up to `limit` issues this reader may read that look like `text` (trigram similarity of
 * the folded texts, best first): open ones and those resolved or closed in the last 180
 * days. Rows: ref, title, status, school, school_name, shared, cosigned, schools_affected,
 * systemic (part of a systemic problem already), own (the reader's school filed it),
 * similarity. */
struct db_rows *db_issue_similar(struct db *db, const char *text, int limit,
                                 struct error *err);

#endif
