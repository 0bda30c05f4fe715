/* sla_policy.h -- an issue's due times from its priority's policy: first-response and
 * resolution targets counted on the policy's clock from the filing time, then moved later
 * by whatever time the issue has spent paused (waiting on the school). */
#ifndef DL_DOMAIN_SLA_POLICY_H
#define DL_DOMAIN_SLA_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include "domain/sla_clock.h"
#include "domain/types.h"

struct sla_policy {
    int first_response_hours;
    int resolution_hours;
    enum sla_clock clock;
};

/* Seconds after filing at which each target falls due. False when the working calendar
 * has no working time (see sla_due). */
bool sla_policy_offsets(const struct sla_policy *policy, const struct work_calendar *cal,
                        int64_t filed_at, int64_t paused_seconds,
                        int64_t *first_response_offset, int64_t *resolution_offset);

/* A policy is usable: positive targets, resolution not before first response, at most a
 * year. Returns false with a static reason otherwise. */
bool sla_policy_valid(const struct sla_policy *policy, const char **reason);

#endif
