/* issue_due.c -- load the policy and calendar, ask the domain for the offsets. */
#include "api/issue_due.h"

#include "db/sla_store.h"

bool issue_due_offsets(struct db *db, const char *priority, int64_t filed_at,
                       int64_t paused_seconds, int64_t *first_response_offset,
                       int64_t *resolution_offset, struct error *err)
{
    enum priority p;
    if (!priority_parse(priority, &p))
        return error_field(err, "priority", "invalid_value",
                           "must be one of low, normal, high, urgent");
    struct sla_settings sla;
    if (!db_sla_load(db, &sla, err))
        return false;
    bool ok = sla_policy_offsets(&sla.policies[p], &sla.calendar, filed_at, paused_seconds,
                                 first_response_offset, resolution_offset);
    sla_settings_free(&sla);
    if (!ok)
        return error_coded(err, ERR_CONFLICT, "no_working_hours",
                           "The working calendar has no working hours, so no "
                         "due time can be set; an admin must fix the calendar.");
    return true;
}
