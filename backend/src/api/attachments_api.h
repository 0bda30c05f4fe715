/* attachments_api.h -- files attached to issues: upload (POST /api/issues/{ref}/attachments,
 * streamed by http/upload.c), download (GET /api/attachments/{id}) and hide
 * (POST /api/attachments/{id}/hide). */
#ifndef DL_API_ATTACHMENTS_API_H
#define DL_API_ATTACHMENTS_API_H

#include "api/exchange.h"

/* Before the body is read (the user is authenticated): whether this user may add a file
 * to the issue of {ref} now. False with err: 404 (no such issue for this user), 403 (the
 * role may not), 409 (too_many_attachments). */
bool attachments_upload_allowed(struct exchange *ex, struct error *err);
/* The route's handler, once the body is read (ex->upload): judges and stores the file;
 * 201 ATTACHMENT or a problem. */
void attachments_upload(struct exchange *ex);

/* The 413 of a file over the limit (file_too_large, with its "max"); returns false. */
bool attachments_too_large(struct error *err);

void attachments_get(struct exchange *ex);
void attachments_hide(struct exchange *ex);

#endif
