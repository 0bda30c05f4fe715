/* issue_access.c -- load-then-authorize for issue endpoints. */
#include "api/issue_access.h"

#include "api/attachment_json.h"
#include "api/issue_json.h"
#include "api/issue_permissions_json.h"
#include "api/reply.h"
#include "db/issue_links_store.h"
#include "db/issue_store.h"
#include "domain/validate.h"

static bool not_found(const char *ref, struct error *err)
{
    return error_set(err, ERR_NOT_FOUND, "There is no issue %s.", ref);
}

struct issue_scope issue_scope_of(const struct db_rows *rows, int row)
{
    struct issue_scope s = {
        .school_id = (int)db_rows_int(rows, row, "school_id"),
        .cluster_id = (int)db_rows_int(rows, row, "cluster_id"),
        .division_id = (int)db_rows_int(rows, row, "division_id"),
        .shared = db_rows_bool(rows, row, "shared"),
        .cosigned_by_reader = db_rows_bool(rows, row, "cosigned"),
        .parent_of_readers = db_rows_bool(rows, row, "parent_of_readers"),
    };
    return s;
}

struct issue_facts issue_facts_of(const struct db_rows *rows, int row)
{
    struct issue_facts f = {
        .scope = issue_scope_of(rows, row),
        .status = STATUS_COUNT,     /* an unknown status allows nothing */
        .escalation_level = (int)db_rows_int(rows, row, "escalation_level"),
        .sensitive = db_rows_bool(rows, row, "category_sensitive"),
        .id = db_rows_int(rows, row, "id"),
        .parent_id = db_rows_int(rows, row, "parent_id"),
        .parent_division_id = (int)db_rows_int(rows, row, "parent_division_id"),
        .child_count = (int)db_rows_int(rows, row, "child_count"),
    };
    status_parse(db_rows_get(rows, row, "status"), &f.status);
    return f;
}

/* The route's {ref} when it can name an issue, else NULL with err (404). */
static const char *route_ref(struct exchange *ex, struct error *err)
{
    const char *ref = exchange_path_param(ex, "ref");
    if (ref && validate_issue_ref(ref))
        return ref;
    not_found(ref ? ref : "", err);
    return NULL;
}

/* Whether `rows` hold the issue and the user may read it; else err, 404 either way. */
static bool readable(struct exchange *ex, const char *ref, const struct db_rows *rows,
                     struct error *err)
{
    struct issue_scope scope = db_rows_count(rows) == 1 ? issue_scope_of(rows, 0)
                                                         : (struct issue_scope){0};
    if (db_rows_count(rows) == 1 && access_read(&ex->user.actor, &scope) == ACCESS_OK)
        return true;
    return not_found(ref, err);
}

struct db_rows *issue_load_readable(struct exchange *ex, bool for_update, struct error *err)
{
    const char *ref = route_ref(ex, err);
    struct db *db = ref ? api_db(ex, err) : NULL;
    if (!db)
        return NULL;
    struct db_rows *rows = db_issue_find(db, ref, for_update, err);
    if (rows && !readable(ex, ref, rows, err)) {
        db_rows_free(rows);
        return NULL;
    }
    return rows;
}

bool issue_check(enum access_verdict verdict, const char *what, struct error *err)
{
    switch (verdict) {
    case ACCESS_OK:
        return true;
    case ACCESS_HIDDEN:
        return error_set(err, ERR_NOT_FOUND, "There is no such issue.");
    case ACCESS_FORBIDDEN:
        break;
    }
    return error_coded(err, ERR_FORBIDDEN, "role_may_not", "Your role may not %s this issue.",
                       what);
}

/* The issue, its history and its files as this user may see them, in one round trip. */
static bool read_issue(struct exchange *ex, struct db *db, const char *ref,
                       struct issue_read *r, struct error *err)
{
    return db_issue_read(db, ref, access_sees_internal(&ex->user.actor), r, err);
}

/* A systemic problem's main issue lists its children, those this reader may read (a
 * school reading it through its own child sees that child, and the shared ones), in a
 * second round trip that only a parent's reading takes. */
static void add_children(struct exchange *ex, cJSON *doc, const struct db_rows *issue)
{
    static const char *const TEXT_FIELDS[] = {"ref", "title", "status", "school",
                                              "school_name", "cluster", "division", NULL};
    cJSON *list = cJSON_AddArrayToObject(doc, "children");
    if (db_rows_int(issue, 0, "child_count") == 0)
        return;
    struct error ignored = {0};
    struct db_rows *rows = db_issue_children(ex->db, db_rows_int(issue, 0, "id"), &ignored);
    for (int i = 0; rows && i < db_rows_count(rows); i++) {
        cJSON *item = cJSON_CreateObject();
        cJSON_AddItemToArray(list, item);
        for (const char *const *f = TEXT_FIELDS; *f; f++)
            cJSON_AddStringToObject(item, *f, db_rows_get(rows, i, *f));
        cJSON_AddBoolToObject(item, "overdue", db_rows_bool(rows, i, "overdue"));
    }
    db_rows_free(rows);
}

/* The answer: the issue with its history, what the user may do with it, its files (none
 * for a school that reads it because it is shared or co-signed; the policies agree). */
static void reply_issue(struct exchange *ex, int status, const struct issue_read *r)
{
    cJSON *doc = issue_with_events_json(r->issue, r->events);
    issue_json_add_permissions(doc, r->issue, 0, &ex->user.actor);
    struct issue_scope scope = issue_scope_of(r->issue, 0);
    bool files = access_read_files(&ex->user.actor, &scope) == ACCESS_OK;
    attachment_json_add_to_issue(doc, files ? r->attachments : NULL);
    add_children(ex, doc, r->issue);
    reply_json(ex, status, doc);
}

void issue_reply_readable(struct exchange *ex)
{
    struct error err = {0};
    struct issue_read r = {0};
    const char *ref = route_ref(ex, &err);
    struct db *db = ref ? api_db(ex, &err) : NULL;
    if (db && read_issue(ex, db, ref, &r, &err) && readable(ex, ref, r.issue, &err))
        reply_issue(ex, 200, &r);
    else
        reply_error(ex, &err);
    db_issue_read_free(&r);
}

void issue_reply_full(struct exchange *ex, int status, const char *ref)
{
    struct error err = {0};
    struct issue_read r = {0};
    if (read_issue(ex, ex->db, ref, &r, &err) && db_rows_count(r.issue) == 1)
        reply_issue(ex, status, &r);
    else
        reply_error(ex, error_is_set(&err) ? &err
                        : &(struct error){.kind = ERR_NOT_FOUND, .message = "No such issue."});
    db_issue_read_free(&r);
}
