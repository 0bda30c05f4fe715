/* issue_permissions_json.c -- the row's scope, status and escalation level go to
 * issue_permissions_of; its answer comes back as JSON, actions in lifecycle order. */
#include "api/issue_permissions_json.h"

#include "api/issue_access.h"
#include "domain/issue_permissions.h"

static struct issue_facts facts_of(const struct db_rows *rows, int row)
{
    struct issue_facts f = {
        .scope = issue_scope_of(rows, row),
        .status = STATUS_COUNT,     /* an unknown status allows nothing */
        .escalation_level = (int)db_rows_int(rows, row, "escalation_level"),
    };
    status_parse(db_rows_get(rows, row, "status"), &f.status);
    return f;
}

void issue_json_add_permissions(cJSON *obj, const struct db_rows *rows, int row,
                                const struct actor *actor)
{
    struct issue_facts facts = facts_of(rows, row);
    struct issue_permissions p = issue_permissions_of(actor, &facts);
    cJSON *actions = cJSON_AddArrayToObject(obj, "allowed_actions");
    for (int act = 0; act < ACTION_COUNT; act++)
        if (issue_permissions_allow(&p, (enum action)act))
            cJSON_AddItemToArray(actions, cJSON_CreateString(action_name((enum action)act)));
    cJSON *can = cJSON_AddObjectToObject(obj, "can");
    cJSON_AddBoolToObject(can, "comment", p.comment);
    cJSON_AddBoolToObject(can, "internal_note", p.internal_note);
    cJSON_AddBoolToObject(can, "modify", p.modify);
    cJSON_AddBoolToObject(can, "attach", p.attach);
}
