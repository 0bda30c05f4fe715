/* reference_api.h -- the reference lists (clusters, schools, divisions, categories) and
 * the health endpoints. */
#ifndef DL_API_REFERENCE_API_H
#define DL_API_REFERENCE_API_H

#include "api/exchange.h"

void reference_clusters(struct exchange *ex);
void reference_schools(struct exchange *ex);
void reference_divisions(struct exchange *ex);
void reference_categories(struct exchange *ex);
void health_live(struct exchange *ex);
void health_ready(struct exchange *ex);

#endif
