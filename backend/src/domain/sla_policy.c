/* sla_policy.c -- due-time offsets from a policy, a calendar and the paused time. */
#include "domain/sla_policy.h"

#define MAX_TARGET_HOURS (366 * 24)

bool sla_policy_offsets(const struct sla_policy *policy, const struct work_calendar *cal,
                        int64_t filed_at, int64_t paused_seconds,
                        int64_t *first_response_offset, int64_t *resolution_offset)
{
    int64_t first_response, resolution;
    if (!sla_due(filed_at, policy->first_response_hours, policy->clock, cal, &first_response) ||
        !sla_due(filed_at, policy->resolution_hours, policy->clock, cal, &resolution))
        return false;
    *first_response_offset = first_response - filed_at + paused_seconds;
    *resolution_offset = resolution - filed_at + paused_seconds;
    return true;
}

bool sla_policy_valid(const struct sla_policy *policy, const char **reason)
{
    if (policy->first_response_hours < 1 || policy->resolution_hours < 1) {
        *reason = "Targets must be at least one hour.";
        return false;
    }
    if (policy->first_response_hours > MAX_TARGET_HOURS ||
        policy->resolution_hours > MAX_TARGET_HOURS) {
        *reason = "Targets must be at most a year (8784 hours).";
        return false;
    }
    if (policy->resolution_hours < policy->first_response_hours) {
        *reason = "The resolution target cannot come before the first-response target.";
        return false;
    }
    return true;
}
