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
#define OLE_STORAGE_ROOT 5
#define OLE_STREAM 2
#define OLE_NONE 0xFFFFFFFFu
#define OLE_LAST_SECTOR 0xFFFFFFFAu      /* above: end of chain, free, FAT, DIFAT */
#define OLE_HEADER_FAT_SECTORS 109       /* FAT sectors listed in the header itself */
#define OLE_MAX_VISITS 1024

struct cfb {
    const unsigned char *data;
    size_t len, sector_size;
    unsigned shift;
};

static const unsigned char *cfb_sector(const struct cfb *c, uint32_t n)
{
    if (n >= OLE_LAST_SECTOR)
        return NULL;
    size_t at = ((size_t)n + 1) << c->shift;
    return at <= c->len && c->len - at >= c->sector_size ? c->data + at : NULL;
}

/* The sector after n in its chain, from the FAT; only the FAT sectors the header lists
 * are read (enough for the directory of any file within the attachment limit). */
static bool cfb_next(const struct cfb *c, uint32_t n, uint32_t *next)
{
    size_t per = c->sector_size / 4, k = n / per;
    if (k >= OLE_HEADER_FAT_SECTORS)
        return false;
    const unsigned char *fat = cfb_sector(c, le32(c->data + 76 + 4 * k));
    if (!fat)
        return false;
    *next = le32(fat + 4 * (n % per));
    return true;
}

/* Directory entry `id`, following the directory's chain from its first sector. */
static const unsigned char *cfb_entry(const struct cfb *c, uint32_t id)
{
    size_t per = c->sector_size / OLE_ENTRY_SIZE;
    if (id / per > OLE_MAX_VISITS)
        return NULL;
    uint32_t sector = le32(c->data + 48);
    for (size_t hops = id / per; hops > 0; hops--)
        if (!cfb_next(c, sector, &sector))
            return NULL;
    const unsigned char *s = cfb_sector(c, sector);
    return s ? s + (id % per) * OLE_ENTRY_SIZE : NULL;
}

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

/* The streams directly under the root storage (a tree through the left and right
 * sibling links of its child) decide: WordDocument makes a DOC, Workbook (or the older
 * Book) an XLS. Streams inside embedded objects' storages are not looked at, so an Excel
 * file with a Word object inside stays an XLS. Cyclic or runaway links give up. */
static enum attachment_type sniff_ole(const unsigned char *data, size_t len)
{
    struct cfb c = {.data = data, .len = len, .shift = len >= 512 ? le16(data + 30) : 0};
    if (c.shift != 9 && c.shift != 12)
        return ATTACHMENT_UNKNOWN;
    c.sector_size = (size_t)1 << c.shift;
    const unsigned char *root = cfb_entry(&c, 0);
    if (!root || root[66] != OLE_STORAGE_ROOT)
        return ATTACHMENT_UNKNOWN;
    uint32_t stack[64];
    size_t top = 0;
    bool workbook = false;
    if (le32(root + 76) != OLE_NONE)
        stack[top++] = le32(root + 76);
    for (int visits = 0; top > 0; visits++) {
        const unsigned char *e = visits < OLE_MAX_VISITS ? cfb_entry(&c, stack[--top]) : NULL;
        if (!e)
            return ATTACHMENT_UNKNOWN;
        if (ole_entry_is(e, "WordDocument"))
            return ATTACHMENT_DOC;
        workbook |= ole_entry_is(e, "Workbook") || ole_entry_is(e, "Book");
        for (int side = 68; side <= 72; side += 4) {
            if (le32(e + side) == OLE_NONE)
                continue;
            if (top == sizeof stack / sizeof *stack)
                return ATTACHMENT_UNKNOWN;
            stack[top++] = le32(e + side);
        }
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
