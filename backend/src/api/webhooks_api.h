/* webhooks_api.h -- the Department's webhook endpoints (admins): GET and POST
 * /api/webhooks, PATCH /api/webhooks/{id} (switch on or off), GET
 * /api/webhooks/{id}/deliveries (the delivery log). */
#ifndef DL_API_WEBHOOKS_API_H
#define DL_API_WEBHOOKS_API_H

#include <cjson/cJSON.h>
#include "api/exchange.h"

void webhooks_list(struct exchange *ex);
void webhooks_create(struct exchange *ex);
void webhooks_patch(struct exchange *ex);
void webhooks_deliveries(struct exchange *ex);

/* The bodies, read strictly (NULL or an error in err when not acceptable): a new
 * endpoint's url and description; a change's active flag. Caller cJSON_Deletes. */
cJSON *webhook_new_body(const struct exchange *ex, const char **url, const char **description,
                        struct error *err);
cJSON *webhook_patch_body(const struct exchange *ex, bool *active, struct error *err);

#endif
