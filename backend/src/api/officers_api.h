/* officers_api.h -- GET /api/officers: whom an issue of a division may be assigned to. */
#ifndef DL_API_OFFICERS_API_H
#define DL_API_OFFICERS_API_H

#include "api/exchange.h"

void officers_list(struct exchange *ex);

#endif
