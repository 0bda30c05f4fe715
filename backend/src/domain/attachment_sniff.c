/* attachment_sniff.c -- a file's type from its bytes. Every read is bounds-checked
 * against len: the bytes come from anyone who can sign in. */
#include "domain/attachment_sniff.h"

#include <stdint.h>
#include <string.h>

static bool starts_with(const unsigned char *data, size_t len, const void *magic, size_t n)
{
    return len >= n && memcmp(data, magic, n) == 0;
}

static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* --- ZIP (Office Open XML) ------------------------------------------------------------ */

#define ZIP_EOCD_SIZE 22
#define ZIP_CDH_SIZE 46
#define ZIP_MAX_ENTRIES 20000

struct zip_parts {
    bool content_types, word, xl, macros;
};

static bool has_prefix(const unsigned char *name, size_t n, const char *prefix)
{
    size_t p = strlen(prefix);
    return n >= p && memcmp(name, prefix, p) == 0;
}

static void note_part(struct zip_parts *parts, const unsigned char *name, size_t n)
{
    static const char MACROS[] = "vbaProject.bin";
    if (n == strlen("[Content_Types].xml") && has_prefix(name, n, "[Content_Types].xml"))
        parts->content_types = true;
    parts->word |= has_prefix(name, n, "word/");
    parts->xl |= has_prefix(name, n, "xl/");
    parts->macros |= n >= sizeof MACROS - 1 &&
                     memcmp(name + n - (sizeof MACROS - 1), MACROS, sizeof MACROS - 1) == 0;
}

/* The end-of-central-directory record: the last "PK\5\6" within the comment's reach. */
static const unsigned char *zip_eocd(const unsigned char *data, size_t len)
{
    if (len < ZIP_EOCD_SIZE)
        return NULL;
    size_t lowest = len - ZIP_EOCD_SIZE > 65535 ? len - ZIP_EOCD_SIZE - 65535 : 0;
    for (size_t at = len - ZIP_EOCD_SIZE + 1; at-- > lowest;)
        if (memcmp(data + at, "PK\5\6", 4) == 0)
            return data + at;
    return NULL;
}

/* Reads the names in the central directory; false when it is not a well-formed one. */
static bool zip_read_parts(const unsigned char *data, size_t len, struct zip_parts *parts)
{
    const unsigned char *eocd = zip_eocd(data, len);
    if (!eocd)
        return false;
    size_t entries = le16(eocd + 10), at = le32(eocd + 16);
    if (entries == 0 || entries > ZIP_MAX_ENTRIES)
        return false;
    for (size_t i = 0; i < entries; i++) {
        if (at > len || len - at < ZIP_CDH_SIZE || memcmp(data + at, "PK\1\2", 4) != 0)
            return false;
        size_t name_len = le16(data + at + 28);
        size_t rest = name_len + le16(data + at + 30) + le16(data + at + 32);
        if (len - at - ZIP_CDH_SIZE < rest)
            return false;
        note_part(parts, data + at + ZIP_CDH_SIZE, name_len);
        at += ZIP_CDH_SIZE + rest;
    }
    return true;
}

static enum attachment_type sniff_zip(const unsigned char *data, size_t len)
{
    struct zip_parts parts = {0};
    if (!zip_read_parts(data, len, &parts) || !parts.content_types || parts.macros)
        return ATTACHMENT_UNKNOWN;
    if (parts.word && !parts.xl)
        return ATTACHMENT_DOCX;
    if (parts.xl && !parts.word)
        return ATTACHMENT_XLSX;
    return ATTACHMENT_UNKNOWN;
}

/* --- OLE2 compound files (Word 97-2003, Excel 97-2003) ---------------------------------- */

#define OLE_ENTRY_SIZE 128
#define OLE_STREAM 2

/* Whether the directory entry at p is a stream named `name` (stored as UTF-16LE with
 * its terminating zero, the length in bytes at offset 64, the entry's kind at 66). */
static bool ole_entry_is(const unsigned char *p, const char *name)
{
    size_t n = strlen(name);
    if (le16(p + 64) != (n + 1) * 2 || p[66] != OLE_STREAM)
        return false;
    for (size_t i = 0; i < n; i++)
        if (p[2 * i] != (unsigned char)name[i] || p[2 * i + 1] != 0)
            return false;
    return true;
}

/* Directory entries start at sector boundaries, four or thirty-two to a sector. Rather
 * than follow the sector chains, every entry-aligned slot is looked at: a slot that
 * merely looks like a directory entry can only make one Office type pass for the other.
 * A document wins over a workbook: a Word file may embed an Excel sheet. */
static enum attachment_type sniff_ole(const unsigned char *data, size_t len)
{
    unsigned shift = len >= 32 ? le16(data + 30) : 0;
    if (shift != 9 && shift != 12)
        return ATTACHMENT_UNKNOWN;
    bool workbook = false;
    for (size_t at = (size_t)1 << shift; at <= len && len - at >= OLE_ENTRY_SIZE;
         at += OLE_ENTRY_SIZE) {
        if (ole_entry_is(data + at, "WordDocument"))
            return ATTACHMENT_DOC;
        workbook |= ole_entry_is(data + at, "Workbook") || ole_entry_is(data + at, "Book");
    }
    return workbook ? ATTACHMENT_XLS : ATTACHMENT_UNKNOWN;
}

/* --- the signatures ---------------------------------------------------------------------- */

enum attachment_type attachment_sniff(const unsigned char *data, size_t len)
{
    if (data == NULL)
        return ATTACHMENT_UNKNOWN;
    if (starts_with(data, len, "\xFF\xD8\xFF", 3))
        return ATTACHMENT_JPEG;
    if (starts_with(data, len, "\x89PNG\r\n\x1A\n", 8))
        return ATTACHMENT_PNG;
    if (len >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0)
        return ATTACHMENT_WEBP;
    if (starts_with(data, len, "%PDF-", 5))
        return ATTACHMENT_PDF;
    if (starts_with(data, len, "PK\3\4", 4))
        return sniff_zip(data, len);
    if (starts_with(data, len, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return sniff_ole(data, len);
    return ATTACHMENT_UNKNOWN;
}
