/* attachment_store.h -- the SQL of attachments: add one with its bytes and its `attach`
 * event, find one with its issue's scope, list an issue's, read the bytes, hide one with
 * its `hide_attachment` event. ATTACHMENT rows carry the API's field names. */
#ifndef DL_DB_ATTACHMENT_STORE_H
#define DL_DB_ATTACHMENT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include "db/db.h"

struct new_attachment {
    long long issue_id;
    int uploaded_by;
    const char *name;                 /* cleaned */
    const char *media_type;           /* detected */
    const unsigned char *content;
    size_t size;
    const char *sha256_hex;           /* 64 hex digits */
};

/* How many attachments of the issue are not hidden. Call it with the issue's row locked,
 * so that two uploads cannot both take the last place. */
bool db_attachment_count_visible(struct db *db, long long issue_id, int *count,
                                 struct error *err);
/* Stores the attachment and its event (touching the issue's updated_at) in one statement,
 * then its bytes; call it inside a transaction. Returns the ATTACHMENT row. */
struct db_rows *db_attachment_insert(struct db *db, const struct new_attachment *a,
                                     struct error *err);
/* The attachment (0 or 1 rows) with issue_id, school_id, cluster_id and division_id.
 * for_update locks it until the transaction ends. */
struct db_rows *db_attachment_find(struct db *db, long long id, bool for_update,
                                   struct error *err);
/* The statement reading the attachments of the issue whose ref is params[0], oldest
 * first, hidden ones only when params[1] is "true"; it rides behind the issue's own
 * statement in one db_query_many (see db_issue_read). */
struct db_statement db_attachment_list_statement(const char *const params[2]);
/* The `size` bytes of its content (caller frees); NULL with err, also when the stored
 * content is not that long. `through`: as a file of its issue (the issue's readers) or of
 * a published practice (every school, 0025). */
enum attachment_reader { ATTACHMENT_OF_ISSUE, ATTACHMENT_OF_PRACTICE };
void *db_attachment_content(struct db *db, long long id, size_t size,
                            enum attachment_reader through, struct error *err);
/* Hides it with its public event (the reason is the event's note); returns the ATTACHMENT
 * row, or no row when it was hidden already. */
struct db_rows *db_attachment_hide(struct db *db, long long id, int actor_id,
                                   const char *reason, struct error *err);

#endif
