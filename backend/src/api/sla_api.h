/* sla_api.h -- GET/PUT /api/sla-policies and GET/PUT /api/calendar: the targets per
 * priority and the Department's working calendar (admins edit, everyone reads). */
#ifndef DL_API_SLA_API_H
#define DL_API_SLA_API_H

#include "api/exchange.h"

void sla_policies_get(struct exchange *ex);
void sla_policies_put(struct exchange *ex);
void calendar_get(struct exchange *ex);
void calendar_put(struct exchange *ex);

#endif
