/* issue_links_api.c -- systemic problems: PUT /api/issues/{ref}/parent links the issue
 * under another ({"parent": "HT-..."}) or lets it go ({"parent": null}); resolving a
 * parent resolves its open children (issue_resolve_children, from the actions endpoint).
 * Who may is access.h's question (access_link, on the parent), asked first; the rules of
 * the pair are systemic.h's, the cascade's lifecycle.h's. */
#include "api/issues_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/issue_access.h"
#include "api/json_input.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "db/issue_links_store.h"
#include "db/issue_store.h"
#include "domain/lifecycle.h"
#include "domain/systemic.h"
#include "domain/validate.h"
#include "util/xalloc.h"

cJSON *issue_parent_body(const struct exchange *ex, const char **parent, struct error *err)
{
    static const char *const allowed[] = {"parent", NULL};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    if (!json_has(doc, "parent"))
        error_field(err, "parent", "required",
                    "is required: the main issue's reference, or null to unlink");
    else if (json_string_field(doc, "parent", false, true, false, 40, parent, err) &&
             *parent && !validate_issue_ref(*parent))
        error_field(err, "parent", "invalid_format",
                    "must be an issue reference like HT-2026-000123, or null");
    return doc;
}

/* One issue of the pair as loaded: what access.h and systemic.h read, and its ref. */
struct link_side {
    struct issue_facts facts;
    char ref[40];
};

static bool load_side(struct exchange *ex, const char *ref, struct link_side *side,
                      struct error *err)
{
    struct db_rows *rows = db_issue_find(ex->db, ref, false, err);
    if (!rows)
        return false;
    bool found = db_rows_count(rows) == 1;
    if (found) {
        side->facts = issue_facts_of(rows, 0);
        snprintf(side->ref, sizeof side->ref, "%s", db_rows_get(rows, 0, "ref"));
    }
    db_rows_free(rows);
    if (!found || access_read(&ex->user.actor, &side->facts.scope) != ACCESS_OK)
        return error_field(err, "parent", "unknown_issue", "%s is not a known issue", ref);
    return true;
}

static bool refused(const struct systemic_verdict *v, struct error *err)
{
    if (v->field_error)
        return error_field(err, "parent", v->code, "%s", v->reason);
    return error_coded(err, ERR_CONFLICT, v->code, "%s", v->reason);
}

static bool store(struct exchange *ex, const struct link_side *parent,
                  const struct link_side *child, bool linked, struct error *err)
{
    struct link_end p = {.id = parent->facts.id, .ref = parent->ref};
    struct link_end c = {.id = child->facts.id, .ref = child->ref};
    return db_issue_link(ex->db, &p, &c, ex->user.actor.user_id, linked, err);
}

/* The child is the URL's issue; the parent the body's (linking) or its own (unlinking).
 * Both rows are locked, in id order, so two officers linking the same pair queue. */
static bool set_parent(struct exchange *ex, const char *parent_ref, struct error *err)
{
    struct link_side child = {0}, parent = {0};
    struct db_rows *rows = issue_load_readable(ex, false, err);
    if (!rows)
        return false;
    child.facts = issue_facts_of(rows, 0);
    snprintf(child.ref, sizeof child.ref, "%s", db_rows_get(rows, 0, "ref"));
    const char *current = db_rows_get(rows, 0, "parent");
    char current_ref[40] = "";
    if (current)
        snprintf(current_ref, sizeof current_ref, "%s", current);
    db_rows_free(rows);
    const char *target = parent_ref ? parent_ref : current_ref;
    if (!target[0])         /* unlinking an issue that belongs to no parent: nothing to do */
        return issue_check(access_link(&ex->user.actor, &child.facts.scope), "unlink", err);
    if (!db_issue_lock_pair(ex->db, child.ref, target, err) ||
        !load_side(ex, target, &parent, err))
        return false;
    /* Read the child again under the lock: its parent may have changed meanwhile. */
    struct db_rows *again = db_issue_find(ex->db, child.ref, false, err);
    if (!again)
        return false;
    child.facts = issue_facts_of(again, 0);
    db_rows_free(again);
    if (!issue_check(access_link(&ex->user.actor, &parent.facts.scope), "link issues under", err))
        return false;
    struct systemic_facts pf = issue_systemic_facts(&parent.facts);
    struct systemic_facts cf = issue_systemic_facts(&child.facts);
    struct systemic_verdict v = parent_ref ? systemic_link_decide(&pf, &cf)
                                           : systemic_unlink_decide(&pf, &cf);
    if (!v.allowed)
        return refused(&v, err);
    return v.unchanged || store(ex, &parent, &child, parent_ref != NULL, err);
}

void issues_set_parent(struct exchange *ex)
{
    struct error err = {0};
    const char *parent = NULL;
    cJSON *doc = issue_parent_body(ex, &parent, &err);
    struct db *db = error_is_set(&err) ? NULL : api_db(ex, &err);
    if (db && db_begin(db, &err) && !(set_parent(ex, parent, &err) && db_commit(db, &err)))
        db_rollback(db);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The issue cannot be linked as asked; see errors.");
    else
        issue_reply_full(ex, 200, exchange_path_param(ex, "ref"));
    cJSON_Delete(doc);
}

/* The ids of the children lifecycle_resolve_with_parent carries along, as an array
 * literal ("{}" when none); the rows are locked. */
static char *children_to_resolve(struct db *db, long long parent_id, struct error *err)
{
    struct db_rows *rows = db_issue_children_locked(db, parent_id, err);
    if (!rows)
        return NULL;
    int n = db_rows_count(rows);
    char *ids = xcalloc((size_t)n * 21 + 3, 1);
    size_t len = 0;
    ids[len++] = '{';
    for (int i = 0; i < n; i++) {
        enum status st = STATUS_COUNT;
        status_parse(db_rows_get(rows, i, "status"), &st);
        if (!lifecycle_resolve_with_parent(st).allowed)
            continue;
        len += (size_t)sprintf(ids + len, "%s%lld", len > 1 ? "," : "",
                               db_rows_int(rows, i, "id"));
    }
    ids[len++] = '}';
    db_rows_free(rows);
    return ids;
}

bool issue_resolve_children(struct exchange *ex, long long parent_id, const char *parent_ref,
                            const char *note, struct error *err)
{
    char *ids = children_to_resolve(ex->db, parent_id, err);
    if (!ids)
        return false;
    struct link_end parent = {.id = parent_id, .ref = parent_ref};
    bool ok = strcmp(ids, "{}") == 0 ||
              db_issue_resolve_children(ex->db, &parent, ids, ex->user.actor.user_id, note,
                                        err) >= 0;
    free(ids);
    return ok;
}
