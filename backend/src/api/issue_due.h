/* issue_due.h -- an issue's due-time offsets from the stored SLA policy of a priority
 * and the stored calendar: the one place that joins db/sla_store and domain/sla_policy. */
#ifndef DL_API_ISSUE_DUE_H
#define DL_API_ISSUE_DUE_H

#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"

/* Seconds after filing (filed_at, epoch seconds) at which the first response and the
 * resolution fall due, for `priority`, with paused_seconds of waiting already behind,
 * by the settings of sla_version (read earlier in the caller's transaction). */
bool issue_due_offsets_at(struct db *db, long long sla_version, const char *priority,
                          int64_t filed_at, int64_t paused_seconds,
                          int64_t *first_response_offset, int64_t *resolution_offset,
                          struct error *err);
/* The same by the settings as they stand: reads their version first. */
bool issue_due_offsets(struct db *db, const char *priority, int64_t filed_at,
                       int64_t paused_seconds, int64_t *first_response_offset,
                       int64_t *resolution_offset, struct error *err);

#endif
