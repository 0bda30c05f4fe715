/* issue_permissions_json.c -- the row's facts (issue_facts_of) go to issue_permissions_of;
 * its answer comes back as JSON, actions in lifecycle order. */
#include "api/issue_permissions_json.h"

#include "api/issue_access.h"
#include "domain/issue_permissions.h"

void issue_json_add_permissions(cJSON *obj, const struct db_rows *rows, int row,
                                const struct actor *actor)
{
    struct issue_facts facts = issue_facts_of(rows, row);
    struct issue_permissions p = issue_permissions_of(actor, &facts);
    /* Keys and action names are constants: referenced, not copied (the CS calls). */
    cJSON *actions = cJSON_CreateArray();
    cJSON_AddItemToObjectCS(obj, "allowed_actions", actions);
    for (int act = 0; act < ACTION_COUNT; act++)
        if (issue_permissions_allow(&p, (enum action)act))
            cJSON_AddItemToArray(actions,
                                 cJSON_CreateStringReference(action_name((enum action)act)));
    cJSON *can = cJSON_CreateObject();
    cJSON_AddItemToObjectCS(obj, "can", can);
    cJSON_AddItemToObjectCS(can, "comment", cJSON_CreateBool(p.comment));
    cJSON_AddItemToObjectCS(can, "internal_note", cJSON_CreateBool(p.internal_note));
    cJSON_AddItemToObjectCS(can, "modify", cJSON_CreateBool(p.modify));
    cJSON_AddItemToObjectCS(can, "attach", cJSON_CreateBool(p.attach));
    cJSON_AddItemToObjectCS(can, "hide_files", cJSON_CreateBool(p.hide_files));
    cJSON_AddItemToObjectCS(can, "share", cJSON_CreateBool(p.share));
    cJSON_AddItemToObjectCS(can, "unshare", cJSON_CreateBool(p.unshare));
    cJSON_AddItemToObjectCS(can, "cosign", cJSON_CreateBool(p.cosign));
    cJSON_AddItemToObjectCS(can, "link", cJSON_CreateBool(p.link));
    cJSON_AddItemToObjectCS(can, "unlink", cJSON_CreateBool(p.unlink));
    cJSON_AddItemToObjectCS(can, "unlink_from_parent", cJSON_CreateBool(p.unlink_from_parent));
}
