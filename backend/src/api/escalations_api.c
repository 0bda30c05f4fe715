/* escalations_api.c -- GET /api/escalations?level=&division=&limit=&cursor= (Department
 * staff): open issues above escalation level 0, oldest breach first, keyset paging on
 * (breached_at, id) with an opaque "<breached microseconds>.<id>" cursor. */
#include "api/escalations_api.h"

#include <stdio.h>
#include <string.h>

#include "api/issue_json.h"
#include "api/issue_permissions_json.h"
#include "api/keyset_page.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "db/escalation_store.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 200

static const char *const NAMES[] = {"level", "division", "limit", "cursor", NULL};

/* level=1 or level=2 picks one level; without it, both. */
static void read_level(const struct exchange *ex, struct escalation_filter *f,
                       struct error *err)
{
    const char *value = exchange_query(ex, "level");
    f->min_level = 1;
    f->max_level = 2;
    if (!value)
        return;
    if (strcmp(value, "1") != 0 && strcmp(value, "2") != 0) {
        error_field(err, "level", "out_of_range", "must be 1 or 2");
        error_param(err, "min", 1);
        error_param(err, "max", 2);
        return;
    }
    f->min_level = f->max_level = value[0] - '0';
}

static bool read_filter(struct exchange *ex, struct escalation_filter *f, struct error *err)
{
    query_check_names(ex, NAMES, err);
    read_level(ex, f, err);
    f->limit = query_limit(ex, DEFAULT_LIMIT, MAX_LIMIT, err);
    f->has_cursor = query_pair_cursor(ex, &f->cursor_breached_us, &f->cursor_id, err);
    f->division = exchange_query(ex, "division");
    if (error_is_set(err) || !api_db(ex, err))
        return false;
    return query_check_code(ex->db, REF_DIVISIONS, "division", f->division, err) &&
           !error_is_set(err);
}

/* An escalated issue of the page: when it breached, and what the actor may do to it. */
static cJSON *board_item(const struct db_rows *rows, int row, const void *actor)
{
    cJSON *item = issue_json(rows, row);
    cJSON_AddStringToObject(item, "breached_at", db_rows_get(rows, row, "breached_at"));
    issue_json_add_permissions(item, rows, row, actor);
    return item;
}

void escalations_list(struct exchange *ex)
{
    struct error err = {0};
    struct escalation_filter f = {0};
    struct db_rows *rows = NULL;
    if (!role_is_staff(ex->user.actor.role))
        error_coded(&err, ERR_FORBIDDEN, "staff_only",
                    "Only the Department's officers, supervisors and admins see escalations.");
    else if (read_filter(ex, &f, &err))
        rows = db_escalations_list(ex->db, &f, &err);
    if (rows)
        reply_json(ex, 200, keyset_page_json(rows, f.limit, board_item, &ex->user.actor,
                                             "keyset_breached_us", "id"));
    else
        reply_failure(ex, &err, "The escalations cannot be listed as asked; see errors.");
    db_rows_free(rows);
}
