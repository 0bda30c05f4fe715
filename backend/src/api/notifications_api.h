/* notifications_api.h -- a person's notifications: the list (unread first), the unread
 * count the app's header polls, and marking one or all read. */
#ifndef DL_API_NOTIFICATIONS_API_H
#define DL_API_NOTIFICATIONS_API_H

#include <cjson/cJSON.h>
#include "api/exchange.h"

void notifications_list(struct exchange *ex);
void notifications_unread_count(struct exchange *ex);
void notifications_mark_read(struct exchange *ex);
void notifications_mark_all_read(struct exchange *ex);
/* The read-all body, which may be empty: {"up_to": id} leaves anything newer than what the
 * app showed unread; {"issue": ref} marks one issue's (the app does it when the issue is
 * opened). NULL or an error in err when it is not acceptable; caller cJSON_Deletes. */
cJSON *notifications_read_all_body(const struct exchange *ex, long long *up_to,
                                   const char **issue, struct error *err);
/* GET and PUT /api/me/notification-settings: {"email": address|null, "email_digest": bool}. */
void notification_settings_get(struct exchange *ex);
void notification_settings_put(struct exchange *ex);

#endif
