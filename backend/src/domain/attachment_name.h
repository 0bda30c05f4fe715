/* attachment_name.h -- an uploaded file's name made safe to store and to offer back in
 * a Content-Disposition header. */
#ifndef DL_DOMAIN_ATTACHMENT_NAME_H
#define DL_DOMAIN_ATTACHMENT_NAME_H

#include <stddef.h>
#include "domain/attachment_rules.h"

/* A name safe to store and offer back (caller frees): the last path component only;
 * control, bidirectional-override and Windows-reserved characters and invalid UTF-8
 * become '_'; no leading dots, no trailing dots or spaces; the extension kept when it
 * suits the type, else the type's own added; at most ATTACHMENT_NAME_MAX_CHARS
 * characters, cut from the stem so that the extension survives. Vietnamese letters stay. */
char *attachment_name_clean(const char *raw, size_t raw_len, enum attachment_type t);

/* `attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded>` for a cleaned
 * name (RFC 6266, RFC 5987); the ASCII fallback drops Vietnamese accents (caller frees). */
char *attachment_name_disposition(const char *name);

#endif
