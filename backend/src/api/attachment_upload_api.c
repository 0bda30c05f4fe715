/* attachment_upload_api.c -- POST /api/issues/{ref}/attachments: who may add a file is
 * asked before the body is read (attachments_upload_allowed), and again, with the issue
 * locked, when it is stored together with its `attach` event. */
#include "api/attachments_api.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/attachment_json.h"
#include "api/idempotency.h"
#include "api/issue_access.h"
#include "api/reply.h"
#include "db/attachment_store.h"
#include "domain/attachment_name.h"
#include "domain/attachment_rules.h"
#include "domain/attachment_sniff.h"
#include "util/xalloc.h"

/* The issue of {ref} (locked when for_update), if this user may attach to it and (when
 * check_room) it has room for one more visible file; NULL with err otherwise. */
static struct db_rows *issue_taking_files(struct exchange *ex, bool for_update,
                                          bool check_room, struct error *err)
{
    struct db_rows *issue = issue_load_readable(ex, for_update, err);
    if (!issue)
        return NULL;
    struct issue_scope scope = issue_scope_of(issue, 0);
    int visible = 0;
    if (!issue_check(access_attach(&ex->user.actor, &scope), "add files to", err) ||
        !db_attachment_count_visible(ex->db, db_rows_int(issue, 0, "id"), &visible, err))
        goto refused;
    if (check_room && visible >= ATTACHMENT_MAX_VISIBLE) {
        error_field(err, "file", "too_many_attachments", "an issue holds at most %d files",
                    ATTACHMENT_MAX_VISIBLE);
        error_param(err, "max", ATTACHMENT_MAX_VISIBLE);
        error_coded(err, ERR_CONFLICT, "too_many_attachments",
                    "This issue has %d files already, the most it may hold; staff may hide "
                    "one that is no longer needed.", visible);
        goto refused;
    }
    return issue;
refused:
    db_rows_free(issue);
    return NULL;
}

bool attachments_upload_allowed(struct exchange *ex, struct error *err)
{
    /* A retry under an Idempotency-Key may be the upload that took the last place: its
     * first answer is given again once the body is in, so the room waits until then. */
    struct db_rows *issue = issue_taking_files(ex, false, !ex->idempotency_header, err);
    db_rows_free(issue);
    return issue != NULL;
}

bool attachments_too_large(struct error *err)
{
    error_field(err, "file", "file_too_large", "must be at most %d bytes",
                ATTACHMENT_MAX_BYTES);
    error_param(err, "max", ATTACHMENT_MAX_BYTES);
    return error_coded(err, ERR_TOO_LARGE, "file_too_large", "The file is over %d MiB.",
                       ATTACHMENT_MAX_BYTES / (1024 * 1024));
}

/* Refusals of what the body held, before any database work (false when refused). */
static bool body_well_formed(const struct upload_file *f, struct error *err)
{
    if (f->malformed)
        return error_coded(err, ERR_INVALID, "invalid_multipart",
                           "The body is not a well-formed multipart/form-data body.");
    if (f->unexpected_part && strcmp(f->unexpected_part, "file") == 0)
        return error_field(err, "file", "repeated", "send one file per request");
    if (f->unexpected_part)
        return error_field(err, f->unexpected_part, "unknown_field", "is not a known field");
    if (f->too_large)
        return attachments_too_large(err);
    if (!f->present) {
        error_field(err, "file", "required", "send the file in a part named \"file\"");
        return error_coded(err, ERR_INVALID, "missing_file", "No file was sent.");
    }
    if (f->len == 0)
        return error_field(err, "file", "empty", "the file is empty");
    return true;
}

/* One non-empty file within the limit, of a type its bytes prove; its type, or
 * ATTACHMENT_UNKNOWN with err. */
static enum attachment_type judge_file(const struct upload_file *f, struct error *err)
{
    if (!body_well_formed(f, err))
        return ATTACHMENT_UNKNOWN;
    enum attachment_type t = attachment_sniff(f->data, f->len);
    if (t == ATTACHMENT_UNKNOWN) {
        error_field(err, "file", "unsupported_type",
                    "must be a JPEG, PNG or WebP photo, a PDF, or a Word or Excel file");
        error_coded(err, ERR_UNSUPPORTED, "unsupported_type",
                    "This kind of file is not accepted (judged from its content).");
    }
    return t;
}

/* Inside a transaction: the issue locked and checked again, then the file and its event. */
static struct db_rows *store(struct exchange *ex, struct new_attachment *a, struct error *err)
{
    struct db_rows *issue = issue_taking_files(ex, true, true, err);
    if (!issue)
        return NULL;
    a->issue_id = db_rows_int(issue, 0, "id");
    db_rows_free(issue);
    return db_attachment_insert(ex->db, a, err);
}

void attachments_upload(struct exchange *ex)
{
    struct error err = {0};
    struct db_rows *row = NULL;
    char *name = NULL;
    const struct upload_file *f = ex->upload;
    enum attachment_type t = judge_file(f, &err);
    if (error_is_set(&err))
        goto out;
    /* Hashed and named before the transaction, which holds the issue's lock. */
    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    crypto_hash_sha256(digest, f->data, f->len);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    name = attachment_name_clean(f->name, f->name ? f->name_len : 0, t);
    struct new_attachment a = {
        .uploaded_by = ex->user.actor.user_id, .name = name,
        .media_type = attachment_media_type(t), .content = f->data, .size = f->len,
        .sha256_hex = hex,
    };
    struct db *db = api_db(ex, &err);
    if (!db || !db_begin(db, &err))
        goto out;
    row = store(ex, &a, &err);
    if (!row) {
        db_rollback(db);
        goto out;
    }
    /* The answer is built before the commit: under an Idempotency-Key it is kept with it. */
    ex->location = xasprintf("/api/attachments/%s", db_rows_get(row, 0, "id"));
    reply_json(ex, 201, attachment_json(row, 0));
    if (!idempotency_commit(ex, &err)) {
        db_rollback(db);
        free(ex->location);
        ex->location = NULL;
    }
out:
    if (error_is_set(&err))
        reply_error(ex, &err);
    db_rows_free(row);
    free(name);
}
