/* attachment_sniff.h -- what a file is, told from its bytes alone: the client's
 * Content-Type and file name are never trusted. */
#ifndef DL_DOMAIN_ATTACHMENT_SNIFF_H
#define DL_DOMAIN_ATTACHMENT_SNIFF_H

#include <stddef.h>
#include "domain/attachment_rules.h"

/* JPEG, PNG, WebP and PDF by their signatures; DOCX and XLSX as ZIP archives whose
 * central directory holds [Content_Types].xml and word/ or xl/ parts (and no macros);
 * DOC and XLS as OLE2 compound files whose root storage holds a WordDocument or a
 * Workbook stream.
 * ATTACHMENT_UNKNOWN for anything else, truncated or malformed files included. */
enum attachment_type attachment_sniff(const unsigned char *data, size_t len);

#endif
