/* issue_due.c -- take the policy and calendar (from memory while their version holds),
 * ask the domain for the offsets. */
#include "api/issue_due.h"

#include "api/sla_cache.h"

bool issue_due_offsets_at(struct db *db, long long sla_version, const char *priority,
                          int64_t filed_at, int64_t paused_seconds,
                          int64_t *first_response_offset, int64_t *resolution_offset,
                          struct error *err)
{
    enum priority p;
    if (!priority_parse(priority, &p))
        return error_field(err, "priority", "invalid_value",
                           "must be one of low, normal, high, urgent");
    const struct sla_settings *sla = sla_cache_get(db, sla_version, err);
    if (!sla)
        return false;
    bool ok = sla_policy_offsets(&sla->policies[p], &sla->calendar, filed_at, paused_seconds,
                                 first_response_offset, resolution_offset);
    sla_cache_release(sla);
    if (!ok)
        return error_coded(err, ERR_CONFLICT, "no_working_hours",
                           "The working calendar has no working hours, so no "
                         "due time can be set; an admin must fix the calendar.");
    return true;
}

bool issue_due_offsets(struct db *db, const char *priority, int64_t filed_at,
                       int64_t paused_seconds, int64_t *first_response_offset,
                       int64_t *resolution_offset, struct error *err)
{
    long long version = 0;
    return db_sla_version(db, &version, err) &&
           issue_due_offsets_at(db, version, priority, filed_at, paused_seconds,
                                first_response_offset, resolution_offset, err);
}
