/* escalations_api.h -- GET /api/escalations: the escalations board. */
#ifndef DL_API_ESCALATIONS_API_H
#define DL_API_ESCALATIONS_API_H

#include "api/exchange.h"

void escalations_list(struct exchange *ex);

#endif
