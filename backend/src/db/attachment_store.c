/* attachment_store.c -- the SQL of attachments, always parameterised. Each change and its
 * event share one statement (data-modifying CTEs), so neither is ever stored alone. */
#include "db/attachment_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/issue_sql.h"
#include "util/xalloc.h"

#define ATTACHMENT_COLUMNS \
    "a.id, a.name, a.media_type AS type, a.size, encode(a.sha256, 'hex') AS sha256," \
    " u.login AS uploaded_by_login, u.full_name AS uploaded_by_name," \
    " dl_time(a.created_at) AS created_at, a.hidden_at IS NOT NULL AS hidden, a.hidden_reason"

bool db_attachment_count_visible(struct db *db, long long issue_id, int *count,
                                 struct error *err)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", issue_id);
    const char *params[] = {id};
    struct db_rows *rows = db_query(db,
        "SELECT count(*) AS n FROM attachments WHERE issue_id = $1 AND hidden_at IS NULL",
        1, params, err);
    if (!rows)
        return false;
    *count = (int)db_rows_int(rows, 0, "n");
    db_rows_free(rows);
    return true;
}

static const char INSERT_SQL[] =
    "WITH ins AS (INSERT INTO attachments (issue_id, name, media_type, size, sha256, uploaded_by)"
    "             VALUES ($1, $2, $3, $4, decode($5, 'hex'), $6) RETURNING *),"
    " touch AS (UPDATE issues SET updated_at = now() WHERE id = $1),"
    " ev AS (INSERT INTO issue_events (issue_id, actor_id, action, details)"
    "        SELECT issue_id, uploaded_by, 'attach',"
    "               jsonb_build_object('attachment_id', id, 'name', name, 'type', media_type,"
    "                                  'size', size)"
    "        FROM ins)"
    " SELECT " ATTACHMENT_COLUMNS " FROM ins a JOIN users u ON u.id = a.uploaded_by";

/* The bytes go by COPY, in pieces, so that libpq never holds a second copy of the file. */
static const char COPY_SQL[] =
    "COPY attachment_contents (attachment_id, content) FROM STDIN (FORMAT binary)";

struct db_rows *db_attachment_insert(struct db *db, const struct new_attachment *a,
                                     struct error *err)
{
    char issue[24], size[24], uploader[16];
    snprintf(issue, sizeof issue, "%lld", a->issue_id);
    snprintf(size, sizeof size, "%zu", a->size);
    snprintf(uploader, sizeof uploader, "%d", a->uploaded_by);
    const char *params[] = {issue, a->name, a->media_type, size, a->sha256_hex, uploader};
    struct db_rows *rows = db_query(db, INSERT_SQL, 6, params, err);
    if (rows && !db_copy_id_and_bytes(db, COPY_SQL, db_rows_int(rows, 0, "id"), a->content,
                                      a->size, err)) {
        db_rows_free(rows);
        return NULL;
    }
    return rows;
}

/* The attachment with its issue's scope, as issue_scope_of reads it (sharing and
 * systemic problems included, so that the rules can tell a school reading the issue as
 * its own from one reading it as shared, co-signed or a main issue of its own). */
#define ATTACHMENT_FIND_SQL \
    "SELECT " ATTACHMENT_COLUMNS ", a.issue_id, i.school_id, s.cluster_id, i.division_id," \
    " i.shared, " COSIGNED_BY_READER_SQL " AS cosigned," \
    " " PARENT_OF_READERS_SQL " AS parent_of_readers" \
    " FROM attachments a JOIN users u ON u.id = a.uploaded_by" \
    " JOIN issues i ON i.id = a.issue_id JOIN schools s ON s.id = i.school_id" \
    " WHERE a.id = $1"

struct db_rows *db_attachment_find(struct db *db, long long id, bool for_update,
                                   struct error *err)
{
    char key[24];
    snprintf(key, sizeof key, "%lld", id);
    const char *params[] = {key};
    return db_query(db, for_update
        ? ATTACHMENT_FIND_SQL " FOR UPDATE OF a" : ATTACHMENT_FIND_SQL, 1, params, err);
}

/* By the ref, not the id, so that it needs nothing from the issue's own answer; the
 * sub-select is held to the same row-level security as the issue's statement. */
struct db_statement db_attachment_list_statement(const char *const params[2])
{
    return (struct db_statement){
        DB_PIPELINED "SELECT " ATTACHMENT_COLUMNS
        " FROM attachments a JOIN users u ON u.id = a.uploaded_by"
        " WHERE a.issue_id = (SELECT id FROM issues WHERE ref = $1)"
        " AND (a.hidden_at IS NULL OR $2::bool) ORDER BY a.id", 2, params};
}

/* Read in slices: the content is stored uncompressed, so each substring reads only its
 * own chunks, and libpq's buffers stay the size of one slice. */
#define CONTENT_SLICE (1024 * 1024)

void *db_attachment_content(struct db *db, long long id, size_t size,
                            enum attachment_reader through, struct error *err)
{
    const char *sql = through == ATTACHMENT_OF_PRACTICE
        ? "SELECT dl_practice_file_slice($1, $2::int, $3::int)"
        : "SELECT attachment_content_slice($1, $2::int, $3::int)";
    unsigned char *content = xmalloc(size ? size : 1);
    char key[24], from[24], count[24];
    snprintf(key, sizeof key, "%lld", id);
    snprintf(count, sizeof count, "%d", CONTENT_SLICE);
    const char *params[] = {key, from, count};
    for (size_t at = 0; at < size;) {
        snprintf(from, sizeof from, "%zu", at + 1);
        size_t len = 0;
        bool found = false;
        /* Through the owner's function: the server's role may not read the bytes
         * directly (see sql/migrations/0010_* and 0025_*). */
        void *slice = db_query_blob(db, sql, 3, params, &len, &found, err);
        if (!found || len == 0 || len > size - at) {
            if (!slice && !error_is_set(err))
                error_set(err, ERR_INTERNAL, "attachment %lld: content shorter than its size", id);
            else if (!error_is_set(err))
                error_set(err, ERR_INTERNAL, "attachment %lld: content unlike its size", id);
            free(slice);
            free(content);
            return NULL;
        }
        memcpy(content + at, slice, len);
        free(slice);
        at += len;
    }
    return content;
}

static const char HIDE_SQL[] =
    "WITH upd AS (UPDATE attachments SET hidden_at = now(), hidden_by = $2, hidden_reason = $3"
    "             WHERE id = $1 AND hidden_at IS NULL RETURNING *),"
    " touch AS (UPDATE issues SET updated_at = now() FROM upd WHERE issues.id = upd.issue_id),"
    " ev AS (INSERT INTO issue_events (issue_id, actor_id, action, body, details)"
    "        SELECT issue_id, $2, 'hide_attachment', $3,"
    "               jsonb_build_object('attachment_id', id, 'name', name)"
    "        FROM upd)"
    " SELECT " ATTACHMENT_COLUMNS " FROM upd a JOIN users u ON u.id = a.uploaded_by";

struct db_rows *db_attachment_hide(struct db *db, long long id, int actor_id,
                                   const char *reason, struct error *err)
{
    char key[24], actor[16];
    snprintf(key, sizeof key, "%lld", id);
    snprintf(actor, sizeof actor, "%d", actor_id);
    const char *params[] = {key, actor, reason};
    return db_query(db, HIDE_SQL, 3, params, err);
}
