/* issue_sharing_api.c -- PUT /api/issues/{ref}/sharing (share with all schools, or take
 * it back), POST /api/issues/{ref}/cosigns ("our school has this too") and
 * GET /api/issues/similar (suggestions while a principal types a new issue). Who may is
 * access.h's question, asked first; the issue's own rules are sharing.h's. */
#include "api/issues_api.h"

#include <string.h>

#include "api/idempotency.h"
#include "api/issue_access.h"
#include "api/json_input.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "db/issue_sharing_store.h"
#include "db/practice_store.h"
#include "domain/sharing.h"
#include "domain/validate.h"

#define SIMILAR_LIMIT 5
#define SIMILAR_PRACTICES 3
#define SIMILAR_MIN_CHARS 8
#define SIMILAR_MAX_CHARS 1000

cJSON *issue_sharing_body(const struct exchange *ex, bool *shared, struct error *err)
{
    static const char *const allowed[] = {"shared", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (doc && !json_has(doc, "shared"))
        error_field(err, "shared", "required", "is required: true to share, false to take back");
    else if (doc)
        json_bool_field(doc, "shared", shared, err);
    return doc;
}

cJSON *issue_cosign_body(const struct exchange *ex, const char **note, struct error *err)
{
    static const char *const allowed[] = {"note", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (doc)
        json_string_field(doc, "note", false, true, true, TEXT_MAX_CHARS, note, err);
    if (*note && !(*note)[strspn(*note, " \t\r\n")])
        *note = NULL;    /* a blank note is no note */
    return doc;
}

/* What both changes need of the issue in the URL: its id, its scope (for access.h) and
 * what sharing.h's rules read. False with err (404) when the user may not read it. */
struct sharing_target {
    long long id;
    struct issue_scope scope;
    struct sharing_facts facts;
};

static bool load_target(struct exchange *ex, struct sharing_target *t, struct error *err)
{
    struct db_rows *issue = issue_load_readable(ex, false, err);
    if (!issue)
        return false;
    struct issue_facts facts = issue_facts_of(issue, 0);
    *t = (struct sharing_target){
        .id = db_rows_int(issue, 0, "id"),
        .scope = facts.scope,
        .facts = issue_sharing_facts(&facts),
    };
    db_rows_free(issue);
    return true;
}

static bool refused(const struct sharing_verdict *v, struct error *err)
{
    return error_coded(err, ERR_CONFLICT, v->code, "%s", v->reason);
}

static bool set_sharing(struct exchange *ex, bool shared, struct error *err)
{
    struct sharing_target t;
    if (!load_target(ex, &t, err) ||
        !issue_check(access_share(&ex->user.actor, &t.scope), "share", err))
        return false;
    struct sharing_verdict v = sharing_decide(&t.facts, shared);
    if (!v.allowed)
        return refused(&v, err);
    return v.unchanged || db_issue_set_shared(ex->db, t.id, ex->user.actor.user_id, shared, err);
}

void issues_share(struct exchange *ex)
{
    struct error err = {0};
    bool shared = false;
    cJSON *doc = issue_sharing_body(ex, &shared, &err);
    struct db *db = error_is_set(&err) ? NULL : api_db(ex, &err);
    if (db && db_begin(db, &err) && !(set_sharing(ex, shared, &err) && db_commit(db, &err)))
        db_rollback(db);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The issue's sharing cannot be changed as asked; see errors.");
    else
        issue_reply_full(ex, 200, exchange_path_param(ex, "ref"));
    cJSON_Delete(doc);
}

static bool cosign(struct exchange *ex, const char *note, struct error *err)
{
    struct sharing_target t;
    if (!load_target(ex, &t, err) ||
        !issue_check(access_cosign(&ex->user.actor, &t.scope), "co-sign", err))
        return false;
    struct sharing_verdict v = cosign_decide(&t.facts);
    if (!v.allowed)
        return refused(&v, err);
    return db_issue_cosign(ex->db, t.id, ex->user.actor.school_id, ex->user.actor.user_id, note,
                           err);
}

void issues_cosign(struct exchange *ex)
{
    struct error err = {0};
    const char *note = NULL;
    cJSON *doc = issue_cosign_body(ex, &note, &err);
    struct db *db = error_is_set(&err) ? NULL : api_db(ex, &err);
    if (db && db_begin(db, &err)) {
        if (cosign(ex, note, &err))
            issue_reply_full(ex, 201, exchange_path_param(ex, "ref"));
        if (error_is_set(&err) || !idempotency_commit(ex, &err))
            db_rollback(db);
    }
    if (error_is_set(&err))
        reply_failure(ex, &err, "Your school cannot be added to this issue; see errors.");
    cJSON_Delete(doc);
}

/* Published practices alike (docs/practices.md), after the issues. */
static void add_practices(cJSON *doc, const struct db_rows *rows)
{
    static const char *const FIELDS[] = {"title", "origin", "category", "category_name",
                                         "cluster", "cluster_name", NULL};
    cJSON *items = cJSON_AddArrayToObject(doc, "practices");
    for (int i = 0; rows && i < db_rows_count(rows); i++) {
        cJSON *item = cJSON_CreateObject();
        cJSON_AddItemToArray(items, item);
        cJSON_AddNumberToObject(item, "id", (double)db_rows_int(rows, i, "id"));
        for (const char *const *f = FIELDS; *f; f++)
            cJSON_AddStringToObject(item, *f, db_rows_get(rows, i, *f));
        /* A school's own practice names it; a Department one only its cluster. */
        json_add_text_or_null(item, "school", db_rows_get(rows, i, "school"));
        json_add_text_or_null(item, "school_name", db_rows_get(rows, i, "school_name"));
        cJSON_AddRawToObject(item, "similarity", db_rows_get(rows, i, "similarity"));
    }
}

static cJSON *similar_json(const struct db_rows *rows, const struct db_rows *practices)
{
    static const char *const TEXT_FIELDS[] = {"ref", "title", "status", "school",
                                              "school_name", "filed_at", NULL};
    static const char *const BOOL_FIELDS[] = {"shared", "cosigned", "own", "systemic", NULL};
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    int count = rows ? db_rows_count(rows) : 0;
    for (int i = 0; i < count; i++) {
        cJSON *item = cJSON_CreateObject();
        cJSON_AddItemToArray(items, item);
        for (const char *const *f = TEXT_FIELDS; *f; f++)
            cJSON_AddStringToObject(item, *f, db_rows_get(rows, i, *f));
        for (const char *const *f = BOOL_FIELDS; *f; f++)
            cJSON_AddBoolToObject(item, *f, db_rows_bool(rows, i, *f));
        cJSON_AddNumberToObject(item, "schools_affected",
                                (double)db_rows_int(rows, i, "schools_affected"));
        cJSON_AddRawToObject(item, "similarity", db_rows_get(rows, i, "similarity"));
    }
    add_practices(doc, practices);
    return doc;
}

/* Short text finds everything and nothing: below a few words the answer is empty. */
void issues_similar(struct exchange *ex)
{
    static const char *const names[] = {"text", NULL};
    struct error err = {0};
    const char *text = exchange_query(ex, "text");
    struct db_rows *rows = NULL;
    if (!query_check_names(ex, names, &err))
        goto fail;
    if (!text) {
        error_field(&err, "text", "required", "is required: what the new issue is about");
        goto fail;
    }
    if (!validate_text(&err, "text", text, SIMILAR_MAX_CHARS))
        goto fail;
    if (strlen(text) < SIMILAR_MIN_CHARS) {
        reply_json(ex, 200, similar_json(NULL, NULL));
        return;
    }
    struct db *db = api_db(ex, &err);
    rows = db ? db_issue_similar(db, text, SIMILAR_LIMIT, &err) : NULL;
    struct db_rows *practices = rows ? db_practices_similar(db, text, SIMILAR_PRACTICES,
                                                            &err) : NULL;
    if (!practices) {
        db_rows_free(rows);
        goto fail;
    }
    reply_json(ex, 200, similar_json(rows, practices));
    db_rows_free(rows);
    db_rows_free(practices);
    return;
fail:
    reply_failure(ex, &err, "Similar issues cannot be found as asked; see errors.");
}
