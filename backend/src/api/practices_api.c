/* practices_api.c -- the practice library (docs/practices.md): an officer publishes the
 * answer of a resolved issue as an edited copy with the files chosen; a principal
 * proposes the school's own and staff review it; every school searches and reads what is
 * published, and the files that travel with it. The rules are practice_rules.h's. */
#include "api/practices_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/issue_access.h"
#include "api/practice_json.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "db/attachment_store.h"
#include "db/issue_store.h"
#include "domain/attachment_name.h"
#include "domain/attachment_rules.h"
#include "domain/practice_rules.h"
#include "domain/validate.h"

#define PRACTICES_DEFAULT_LIMIT 20
#define PRACTICES_MAX_LIMIT 100
#define SEARCH_MAX_CHARS 200

/* ---- reading ---- */

/* The server asks practice_rules.h, and row-level security asks again (0025). */
static bool readable_row(const struct exchange *ex, const struct db_rows *rows, int row)
{
    enum practice_status status;
    return practice_status_parse(db_rows_get(rows, row, "status"), &status) &&
           practice_readable(&ex->user.actor, status, (int)db_rows_int(rows, row, "school_id"));
}

static void reply_practice(struct exchange *ex, int status, int id)
{
    struct error err = {0};
    struct db_rows *rows = api_db(ex, &err) ? db_practice_get(ex->db, id, false, &err) : NULL;
    if (rows && (db_rows_count(rows) == 0 || !readable_row(ex, rows, 0)))
        error_set(&err, ERR_NOT_FOUND, "There is no practice %d.", id);
    if (rows && !error_is_set(&err))
        reply_json(ex, status, practice_json(rows, 0, &ex->user.actor, true));
    else
        reply_failure(ex, &err, "The practice cannot be read.");
    db_rows_free(rows);
}

void practices_get(struct exchange *ex)
{
    reply_practice(ex, 200, exchange_path_id(ex));
}

static bool read_filter(struct exchange *ex, struct practice_filter *f, struct error *err)
{
    static const char *const names[] = {"q", "category", "cluster", "status", "limit",
                                        "cursor", NULL};
    enum practice_status status = PRACTICE_PUBLISHED;
    *f = (struct practice_filter){.text = exchange_query(ex, "q"),
                                  .category = exchange_query(ex, "category"),
                                  .cluster = exchange_query(ex, "cluster"),
                                  .status = exchange_query(ex, "status")};
    if (!query_check_names(ex, names, err))
        return false;
    f->limit = query_limit(ex, PRACTICES_DEFAULT_LIMIT, PRACTICES_MAX_LIMIT, err);
    f->before_id = (int)query_id_cursor(ex, "cursor", err);
    if (f->text && !validate_optional_text(err, "q", f->text, SEARCH_MAX_CHARS))
        return false;
    if (f->text && !f->text[0])
        f->text = NULL;
    if (f->status && !practice_status_parse(f->status, &status))
        error_field(err, "status", "invalid_value",
                    "must be published, proposed, declined or withdrawn");
    f->status = practice_status_name(status);
    return !error_is_set(err) && api_db(ex, err) &&
           query_check_code(ex->db, REF_CATEGORIES, "category", f->category, err) &&
           query_check_code(ex->db, REF_CLUSTERS, "cluster", f->cluster, err);
}

void practices_list(struct exchange *ex)
{
    struct error err = {0};
    struct practice_filter f;
    struct db_rows *rows = read_filter(ex, &f, &err) ? db_practices_list(ex->db, &f, &err)
                                                     : NULL;
    if (!rows) {
        reply_failure(ex, &err, "The practices cannot be listed as asked; see errors.");
        return;
    }
    int n = db_rows_count(rows);
    bool more = n > f.limit;
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    for (int i = 0; i < n && i < f.limit; i++)
        if (readable_row(ex, rows, i))
            cJSON_AddItemToArray(items, practice_json(rows, i, &ex->user.actor, false));
    if (more) {
        char cursor[24];
        snprintf(cursor, sizeof cursor, "%lld", db_rows_int(rows, f.limit - 1, "id"));
        cJSON_AddStringToObject(doc, "next_cursor", cursor);
    } else {
        cJSON_AddNullToObject(doc, "next_cursor");
    }
    db_rows_free(rows);
    reply_json(ex, 200, doc);
}

/* ---- publishing and proposing ---- */

static bool refused(const struct practice_verdict *v, struct error *err)
{
    return v->forbidden ? error_set(err, ERR_FORBIDDEN, "%s.", v->reason)
                        : error_coded(err, ERR_CONFLICT, v->code, "%s.", v->reason);
}

static bool publish_from_issue(struct exchange *ex, const struct practice_input *in, int *id,
                               struct error *err)
{
    struct db_rows *rows = db_issue_find(ex->db, in->issue, true, err);
    if (!rows)
        return false;
    struct issue_facts facts = db_rows_count(rows) == 1 ? issue_facts_of(rows, 0)
                                                        : (struct issue_facts){0};
    bool found = db_rows_count(rows) == 1 &&
                 access_read(&ex->user.actor, &facts.scope) == ACCESS_OK;
    db_rows_free(rows);
    if (!found)
        return error_field(err, "issue", "unknown_issue", "%s is not a known issue", in->issue);
    struct practice_verdict v = practice_publish_from_issue(&ex->user.actor, &facts.scope,
                                                            facts.status);
    if (!v.allowed)
        return refused(&v, err);
    int existing = 0;
    if (!db_practice_of_issue(ex->db, facts.id, &existing, err))
        return false;
    if (existing) {
        /* The field's parameter lets a client link the practice without searching for it. */
        error_field(err, "issue", "already_published", "already has practice %d", existing);
        error_param(err, "practice_id", existing);
        return error_coded(err, ERR_CONFLICT, "already_published", "The issue's practice "
                           "is %d: edit that one.", existing);
    }
    struct db_rows *unknown = db_practice_files_unknown(ex->db, facts.id, in->files, err);
    if (!unknown)
        return false;
    for (int i = 0; i < db_rows_count(unknown); i++) {
        char field[32];
        snprintf(field, sizeof field, "files[%lld]", db_rows_int(unknown, i, "k"));
        error_field(err, field, "unknown_attachment", "%s is not a visible file of %s",
                    db_rows_get(unknown, i, "id"), in->issue);
    }
    db_rows_free(unknown);
    return !error_is_set(err) &&
           db_practice_publish(ex->db, facts.id, &in->text, in->files, ex->user.actor.user_id,
                               id, err);
}

static bool propose(struct exchange *ex, const struct practice_input *in, int *id,
                    struct error *err)
{
    if (!db_practice_propose(ex->db, ex->user.actor.school_id, in->category, &in->text,
                             ex->user.actor.user_id, id, err))
        return false;
    return *id || error_field(err, "category", "unknown_code", "%s is not a known category",
                              in->category);
}

void practices_create(struct exchange *ex)
{
    struct error err = {0};
    struct practice_input in = {0};
    int id = 0;
    bool staff = practice_may_review(&ex->user.actor);
    if (!staff && !practice_may_propose(&ex->user.actor)) {
        reply_problem(ex, ERR_FORBIDDEN, "Officers publish practices and principals propose "
                                         "them.");
        return;
    }
    cJSON *doc = practice_new_body(ex, staff, &in, &err);
    struct db *db = error_is_set(&err) ? NULL : api_db(ex, &err);
    if (db && db_begin(db, &err) &&
        !((staff ? publish_from_issue(ex, &in, &id, &err) : propose(ex, &in, &id, &err)) &&
          db_commit(db, &err)))
        db_rollback(db);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The practice cannot be recorded as sent; see errors.");
    else
        reply_practice(ex, 201, id);
    free(in.files);
    cJSON_Delete(doc);
}

/* ---- reviewing and editing ---- */

/* The practice's status, read under a lock; 404 when this reader reads none. */
static bool locked_status(struct exchange *ex, int id, enum practice_status *status,
                          struct error *err)
{
    struct db_rows *rows = db_practice_get(ex->db, id, true, err);
    if (!rows)
        return false;
    bool found = db_rows_count(rows) == 1 &&
                 practice_status_parse(db_rows_get(rows, 0, "status"), status);
    db_rows_free(rows);
    return found || error_set(err, ERR_NOT_FOUND, "There is no practice %d.", id);
}


static bool review(struct exchange *ex, int id, const char *decision, const char *note,
                   const struct practice_text *text, struct error *err)
{
    static const char *const RESULT[] = {"published", "declined", "withdrawn"};
    enum practice_status status;
    enum practice_review r = PRACTICE_PUBLISH;
    practice_review_parse(decision, &r);
    if (!locked_status(ex, id, &status, err))
        return false;
    struct practice_verdict v = practice_review_decide(&ex->user.actor, status, r);
    return v.allowed ? db_practice_review(ex->db, id, RESULT[r], note, text,
                                          ex->user.actor.user_id, err)
                     : refused(&v, err);
}

/* Reviewing and editing are staff's: asked first, so that a school that reads the
 * practice hears 403, not the 404 of a row it may not lock. */
static bool reviewers_only(struct exchange *ex)
{
    if (practice_may_review(&ex->user.actor))
        return true;
    reply_problem(ex, ERR_FORBIDDEN, "Only officers and supervisors review and edit the "
                                     "practice library.");
    return false;
}

void practices_review(struct exchange *ex)
{
    struct error err = {0};
    const char *decision = NULL, *note = NULL;
    struct practice_text text;
    int id = exchange_path_id(ex);
    if (!reviewers_only(ex))
        return;
    cJSON *doc = practice_review_body(ex, &decision, &note, &text, &err);
    struct db *db = error_is_set(&err) ? NULL : api_db(ex, &err);
    if (db && db_begin(db, &err) &&
        !(review(ex, id, decision, note, &text, &err) && db_commit(db, &err)))
        db_rollback(db);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The practice cannot be reviewed as sent; see errors.");
    else
        reply_practice(ex, 200, id);
    cJSON_Delete(doc);
}

static bool edit(struct exchange *ex, int id, const struct practice_input *in,
                 struct error *err)
{
    enum practice_status status;
    bool found = false;
    if (!locked_status(ex, id, &status, err))
        return false;
    struct practice_verdict v = practice_edit_decide(&ex->user.actor, status);
    if (!v.allowed)
        return refused(&v, err);
    if (!db_practice_edit(ex->db, id, &in->text, in->category, &found, err))
        return false;
    return found || error_field(err, "category", "unknown_code", "%s is not a known category",
                                in->category);
}

void practices_patch(struct exchange *ex)
{
    struct error err = {0};
    struct practice_input in;
    int id = exchange_path_id(ex);
    if (!reviewers_only(ex))
        return;
    cJSON *doc = practice_patch_body(ex, &in, &err);
    struct db *db = error_is_set(&err) ? NULL : api_db(ex, &err);
    if (db && db_begin(db, &err) && !(edit(ex, id, &in, &err) && db_commit(db, &err)))
        db_rollback(db);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The practice cannot be changed as sent; see errors.");
    else
        reply_practice(ex, 200, id);
    cJSON_Delete(doc);
}

/* ---- the files that travel ---- */

void practice_files_get(struct exchange *ex)
{
    struct error err = {0};
    long long id = exchange_path_id(ex);
    struct db_rows *rows = api_db(ex, &err) ? db_practice_file(ex->db, id, &err) : NULL;
    if (rows && db_rows_count(rows) == 0)
        error_set(&err, ERR_NOT_FOUND, "No published practice has the file %lld.", id);
    char *bytes = rows && db_rows_count(rows) == 1
        ? db_attachment_content(ex->db, id, (size_t)db_rows_int(rows, 0, "size"),
                                ATTACHMENT_OF_PRACTICE, &err)
        : NULL;
    if (!bytes) {
        reply_error(ex, &err);
        db_rows_free(rows);
        return;
    }
    ex->disposition = attachment_name_disposition(db_rows_get(rows, 0, "name"));
    ex->response_type = attachment_media_type(attachment_type_parse(db_rows_get(rows, 0, "type")));
    ex->status = 200;
    exchange_set_body(ex, bytes, (size_t)db_rows_int(rows, 0, "size"));
    db_rows_free(rows);
}
