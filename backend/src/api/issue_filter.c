/* issue_filter.c -- one reading of the issue filters for the list and its counts: the same
 * names, the same checks and codes, the same scope cut, so the counts always describe the
 * list a client would walk. */
#include "api/issue_filter.h"

#include <string.h>

#include "api/query_params.h"
#include "db/reference_store.h"
#include "domain/access.h"
#include "domain/validate.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 200

static const char *const LIST_NAMES[] = {
    "status", "school", "cluster", "category", "division", "assignee", "priority",
    "overdue", "escalated", "shared", "cosigned", "q", "limit", "cursor", NULL,
};

static const char *const COUNT_NAMES[] = {
    "school", "cluster", "category", "division", "assignee", "priority",
    "overdue", "escalated", "shared", "cosigned", "q", NULL,
};

static void read_enums(const struct exchange *ex, struct issue_filter *f, struct error *err)
{
    enum priority p;
    f->priority = exchange_query(ex, "priority");
    if (f->priority && !priority_parse(f->priority, &p))
        error_field(err, "priority", "invalid_value", "must be one of low, normal, high, urgent");
    f->overdue = query_flag(ex, "overdue", err);
    f->escalated = query_flag(ex, "escalated", err);
    f->shared = query_flag(ex, "shared", err);
    f->cosigned = query_flag(ex, "cosigned", err);
    f->q = exchange_query(ex, "q");
    if (f->q && !validate_text(err, "q", f->q, TITLE_MAX_CHARS))
        f->q = NULL;
}

/* What the list takes and the counts do not: the status (the counts give every one) and
 * the page. */
static void read_list_only(const struct exchange *ex, struct issue_filter *f,
                           struct error *err)
{
    enum status s;
    f->status = exchange_query(ex, "status");
    if (f->status && !status_parse(f->status, &s))
        error_field(err, "status", "invalid_value", "is not a known status");
    f->limit = query_limit(ex, DEFAULT_LIMIT, MAX_LIMIT, err);
    f->has_cursor = query_pair_cursor(ex, &f->cursor_created_us, &f->cursor_id, err);
}

/* `me` is the signed-in person, whatever the role (someone with no issues gets none). */
static bool read_assignee(const struct exchange *ex, struct issue_filter *f,
                          struct error *err)
{
    f->assignee = exchange_query(ex, "assignee");
    if (f->assignee && strcmp(f->assignee, "me") == 0)
        f->assignee = ex->user.login;
    return !f->assignee || validate_login(err, "assignee", f->assignee);
}

static bool read_codes(struct db *db, const struct exchange *ex, struct issue_filter *f,
                       struct error *err)
{
    f->school = exchange_query(ex, "school");
    f->cluster = exchange_query(ex, "cluster");
    f->category = exchange_query(ex, "category");
    f->division = exchange_query(ex, "division");
    /* Every code is checked, so one answer names every wrong one. */
    bool ok = query_check_code(db, REF_SCHOOLS, "school", f->school, err);
    ok = query_check_code(db, REF_CLUSTERS, "cluster", f->cluster, err) && ok;
    ok = query_check_code(db, REF_CATEGORIES, "category", f->category, err) && ok;
    ok = query_check_code(db, REF_DIVISIONS, "division", f->division, err) && ok;
    ok = read_assignee(ex, f, err) && ok;
    return ok && !query_db_failed(err);
}

bool issue_filter_read(struct exchange *ex, enum issue_filter_use use,
                       struct issue_filter *f, struct error *err)
{
    *f = (struct issue_filter){
        .scope_school_id = access_list_school(&ex->user.actor),
        .scope_cluster_id = access_list_cluster(&ex->user.actor),
    };
    bool list = use == ISSUE_FILTER_LIST;
    query_check_names(ex, list ? LIST_NAMES : COUNT_NAMES, err);
    read_enums(ex, f, err);
    if (list)
        read_list_only(ex, f, err);
    /* Other schools' shared issues, and those the school co-signed, lie outside its own
     * cut: asking for them lifts it (the condition itself keeps the rest out). */
    if (f->shared == 1 || f->cosigned == 1)
        f->scope_school_id = f->scope_cluster_id = 0;
    if (error_is_set(err) || !api_db(ex, err))
        return false;
    return read_codes(ex->db, ex, f, err) && !error_is_set(err);
}
