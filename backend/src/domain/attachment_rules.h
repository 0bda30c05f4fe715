/* attachment_rules.h -- the pure rules of attachments: the limits, the accepted types
 * with their media types and extensions, and who may add, hide and read one. The type is
 * told from the bytes (attachment_sniff.h); names are cleaned by attachment_name.h. */
#ifndef DL_DOMAIN_ATTACHMENT_RULES_H
#define DL_DOMAIN_ATTACHMENT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include "domain/access.h"

#define ATTACHMENT_MAX_BYTES (10 * 1024 * 1024)   /* per file */
#define ATTACHMENT_MAX_VISIBLE 5                   /* visible (not hidden) per issue */
#define ATTACHMENT_NAME_MAX_CHARS 200
#define ATTACHMENT_REASON_MAX_CHARS 500

enum attachment_type {
    ATTACHMENT_UNKNOWN = 0,
    ATTACHMENT_JPEG, ATTACHMENT_PNG, ATTACHMENT_WEBP, ATTACHMENT_PDF,
    ATTACHMENT_DOC, ATTACHMENT_DOCX, ATTACHMENT_XLS, ATTACHMENT_XLSX,
    ATTACHMENT_TYPE_COUNT
};

/* The media type stored and served ("image/jpeg"); NULL for ATTACHMENT_UNKNOWN. */
const char *attachment_media_type(enum attachment_type t);
/* The type whose media type this is; ATTACHMENT_UNKNOWN for any other (or NULL). */
enum attachment_type attachment_type_parse(const char *media_type);
/* Whether `ext` (no dot, any case) is a usual extension of the type; the first of them
 * is attachment_extension's answer ("jpg" for JPEG). */
bool attachment_extension_fits(enum attachment_type t, const char *ext, size_t ext_len);
const char *attachment_extension(enum attachment_type t);

/* Adding one is access_attach (access.h): the same rule that an ISSUE's can.attach shows. */
/* Hiding one: staff who may modify the issue. */
enum access_verdict attachment_access_hide(const struct actor *a, const struct issue_scope *s);
/* Reading one: whoever reads the issue; a hidden one only the Department's staff. */
enum access_verdict attachment_access_read(const struct actor *a, const struct issue_scope *s,
                                           bool hidden);

#endif
