/* admin_api.h -- administration over HTTP: users (users_api.c), one's own password
 * (account_api.c), reference data (admin_reference_api.c), the audit log (audit_api.c),
 * and the audit rows that every admin change writes in its own transaction. */
#ifndef DL_API_ADMIN_API_H
#define DL_API_ADMIN_API_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include "api/exchange.h"
#include "domain/sla_policy.h"

/* users_api.c (admin only) */
void users_list(struct exchange *ex);
void users_get(struct exchange *ex);
void users_create(struct exchange *ex);
void users_patch(struct exchange *ex);
void users_reset_password(struct exchange *ex);

/* account_api.c */
void account_change_password(struct exchange *ex);
/* Whether a user who must change the password may still make this request: only
 * GET /api/me, PUT /api/me/password and DELETE /api/session. */
bool account_allowed_before_change(const struct exchange *ex);

/* admin_reference_api.c (admin only) */
void clusters_create(struct exchange *ex);
void clusters_patch(struct exchange *ex);
void schools_create(struct exchange *ex);
void schools_patch(struct exchange *ex);
void divisions_create(struct exchange *ex);
void divisions_patch(struct exchange *ex);
void categories_create(struct exchange *ex);
void categories_patch(struct exchange *ex);

/* audit_api.c */
void audit_list(struct exchange *ex);
/* True for an admin; otherwise answers 403 (code admins_only) and returns false. */
bool admin_require(struct exchange *ex);
/* Writes one admin_events row by the exchange's user, inside the caller's transaction.
 * Takes ownership of details (a JSON object; never put a password in it). */
bool audit_record(struct exchange *ex, const char *action, const char *target,
                  cJSON *details, struct error *err);
/* details[field] = {"from": from, "to": to}; takes ownership of both (NULL: JSON null). */
void audit_change(cJSON *details, const char *field, cJSON *from, cJSON *to);
/* The same for texts (NULL: JSON null). */
void audit_change_text(cJSON *details, const char *field, const char *from, const char *to);

/* settings_audit.c: the audit rows of PUT /api/sla-policies and PUT /api/calendar. Each
 * reads what is stored now, inside the open transaction and before the change, and writes
 * one row when something differs. */
bool audit_sla_change(struct exchange *ex, const struct sla_policy *policies,
                      struct error *err);
bool audit_calendar_change(struct exchange *ex, const cJSON *calendar, struct error *err);

#endif
