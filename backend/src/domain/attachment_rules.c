/* attachment_rules.c -- the accepted types with their media types and extensions, and
 * who may add, hide and read an attachment (built on access.c's rules for the issue). */
#include "domain/attachment_rules.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *media_type;
    const char *extensions[4];   /* the first is the one added to a name that has none */
} TYPES[ATTACHMENT_TYPE_COUNT] = {
    [ATTACHMENT_JPEG] = {"image/jpeg", {"jpg", "jpeg", "jpe", NULL}},
    [ATTACHMENT_PNG]  = {"image/png", {"png", NULL}},
    [ATTACHMENT_WEBP] = {"image/webp", {"webp", NULL}},
    [ATTACHMENT_PDF]  = {"application/pdf", {"pdf", NULL}},
    [ATTACHMENT_DOC]  = {"application/msword", {"doc", "dot", NULL}},
    [ATTACHMENT_DOCX] = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                         {"docx", NULL}},
    [ATTACHMENT_XLS]  = {"application/vnd.ms-excel", {"xls", "xlt", NULL}},
    [ATTACHMENT_XLSX] = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         {"xlsx", NULL}},
};

const char *attachment_media_type(enum attachment_type t)
{
    return t > ATTACHMENT_UNKNOWN && t < ATTACHMENT_TYPE_COUNT ? TYPES[t].media_type : NULL;
}

enum attachment_type attachment_type_parse(const char *media_type)
{
    for (int t = ATTACHMENT_UNKNOWN + 1; media_type && t < ATTACHMENT_TYPE_COUNT; t++)
        if (strcmp(TYPES[t].media_type, media_type) == 0)
            return (enum attachment_type)t;
    return ATTACHMENT_UNKNOWN;
}

const char *attachment_extension(enum attachment_type t)
{
    return t > ATTACHMENT_UNKNOWN && t < ATTACHMENT_TYPE_COUNT ? TYPES[t].extensions[0] : NULL;
}

bool attachment_extension_fits(enum attachment_type t, const char *ext, size_t ext_len)
{
    if (t <= ATTACHMENT_UNKNOWN || t >= ATTACHMENT_TYPE_COUNT)
        return false;
    for (const char *const *e = TYPES[t].extensions; *e; e++) {
        size_t n = 0;
        while ((*e)[n])
            n++;
        if (n == ext_len && strncasecmp(*e, ext, n) == 0)
            return true;
    }
    return false;
}

enum access_verdict attachment_access_hide(const struct actor *a, const struct issue_scope *s)
{
    return access_modify(a, s);
}

enum access_verdict attachment_access_read(const struct actor *a, const struct issue_scope *s,
                                           bool hidden)
{
    /* A file of a shared or co-signed issue is out of reach for the other schools (404: to
     * them, the file does not exist). */
    if (access_read_files(a, s) != ACCESS_OK)
        return ACCESS_HIDDEN;
    /* A hidden attachment does not exist for those who may not see internal matters. */
    return hidden && !access_sees_internal(a) ? ACCESS_HIDDEN : ACCESS_OK;
}
