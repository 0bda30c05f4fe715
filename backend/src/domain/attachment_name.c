/* attachment_name.c -- cleaning an uploaded file's name, and the Content-Disposition that
 * offers it back: an ASCII fallback for old clients and the exact UTF-8 name in
 * filename* (RFC 5987 percent-encoding). Works on code points, so that a cut never
 * splits a Vietnamese letter. */
#include "domain/attachment_name.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

#define REPLACEMENT '_'
#define EXT_MAX 10
#define FALLBACK_STEM "attachment"

/* One code point from s (at most len bytes); its byte length in *n. Invalid, overlong,
 * surrogate or out-of-range sequences give -1 with *n = 1, so the caller moves on. */
static int32_t utf8_next(const unsigned char *s, size_t len, size_t *n)
{
    *n = 1;
    if (s[0] < 0x80)
        return s[0];
    size_t need = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (need == 0 || (s[0] >= 0xF5) || len < need)
        return -1;
    int32_t cp = s[0] & (0x7F >> need);
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const int32_t MIN[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < MIN[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *n = need;
    return cp;
}

static size_t utf8_put(char *out, int32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Characters no stored name keeps: controls (C0, DEL, C1), the ones Windows refuses in
 * names, and the invisible direction marks that make "gpj.exe" read as "exe.jpg". */
static bool refused(int32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
        return true;
    if (cp < 0x80)
        return strchr("<>:\"|?*", (int)cp) != NULL;
    return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

/* HTML forms send '"', CR and LF in a file name as %22, %0D and %0A; undo exactly those,
 * so that the rules below see the characters themselves. */
static size_t form_unescape(const char *raw, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (raw[i] == '%' && len - i >= 3) {
            char hex[3] = {raw[i + 1], raw[i + 2], '\0'};
            if (!strcmp(hex, "22") || !strcasecmp(hex, "0D") || !strcasecmp(hex, "0A")) {
                out[o++] = (char)strtol(hex, NULL, 16);
                i += 2;
                continue;
            }
        }
        out[o++] = raw[i];
    }
    return o;
}

/* The code points of the name's last path component, refused ones replaced. */
static size_t decode_last_component(const char *raw, size_t len, int32_t *cps)
{
    char *text = xmalloc(len + 1);
    len = form_unescape(raw, len, text);
    size_t start = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '/' || text[i] == '\\')
            start = i + 1;
    size_t count = 0;
    for (size_t i = start, n = 0; i < len; i += n) {
        int32_t cp = utf8_next((const unsigned char *)text + i, len - i, &n);
        cps[count++] = cp < 0 || refused(cp) ? REPLACEMENT : cp;
    }
    free(text);
    return count;
}

/* Where the extension's dot is (0: none): 1-10 ASCII letters or digits after the last
 * dot, with something before it. */
static size_t extension_dot(const int32_t *cps, size_t count)
{
    size_t dot = count;
    while (dot > 0 && cps[dot - 1] != '.')
        dot--;
    if (dot < 2 || count - dot < 1 || count - dot > EXT_MAX)
        return 0;
    for (size_t i = dot; i < count; i++)
        if (cps[i] > 0x7F || !((cps[i] >= '0' && cps[i] <= '9') ||
                               ((cps[i] | 0x20) >= 'a' && (cps[i] | 0x20) <= 'z')))
            return 0;
    return dot - 1;
}

static size_t put_ascii(int32_t *cps, size_t at, const char *s)
{
    while (*s)
        cps[at++] = (unsigned char)*s++;
    return at;
}

char *attachment_name_clean(const char *raw, size_t raw_len, enum attachment_type t)
{
    int32_t *cps = xmalloc((raw_len + EXT_MAX + sizeof FALLBACK_STEM + 2) * sizeof *cps);
    size_t count = decode_last_component(raw ? raw : "", raw ? raw_len : 0, cps);
    size_t first = 0;
    while (first < count && (cps[first] == '.' || cps[first] == ' '))
        first++;
    while (count > first && (cps[count - 1] == '.' || cps[count - 1] == ' '))
        count--;
    memmove(cps, cps + first, (count - first) * sizeof *cps);
    count -= first;

    /* Split stem and extension; an extension that does not suit the type stays part of
     * the stem and the type's own follows, so the download opens with the right program. */
    size_t dot = extension_dot(cps, count);
    char ext[EXT_MAX + 1] = "";
    for (size_t i = dot + 1; dot && i < count; i++)
        ext[i - dot - 1] = (char)cps[i];
    if (dot && attachment_extension_fits(t, ext, strlen(ext)))
        count = dot;
    else
        snprintf(ext, sizeof ext, "%s", attachment_extension(t) ? attachment_extension(t) : "");
    if (count == 0)
        count = put_ascii(cps, 0, FALLBACK_STEM);
    size_t room = ATTACHMENT_NAME_MAX_CHARS - (ext[0] ? strlen(ext) + 1 : 0);
    if (count > room)
        count = room;
    if (ext[0]) {
        cps[count++] = '.';
        count = put_ascii(cps, count, ext);
    }

    char *out = xmalloc(count * 4 + 1), *p = out;
    for (size_t i = 0; i < count; i++)
        p += utf8_put(p, cps[i]);
    *p = '\0';
    free(cps);
    return out;
}

/* --- Content-Disposition ---------------------------------------------------------------- */

/* The unaccented letter of a Latin-1 or Vietnamese letter; 0 for anything else. */
static char unaccented(int32_t cp)
{
    static const char LATIN1[] = "AAAAAAACEEEEIIIIDNOOOOO_OUUUUY_saaaaaaaceeeeiiiidnooooo_ouuuuy_y";
    static const struct { int32_t first, last; char upper; } VIET[] = {
        {0x1EA0, 0x1EB7, 'A'}, {0x1EB8, 0x1EC7, 'E'}, {0x1EC8, 0x1ECB, 'I'},
        {0x1ECC, 0x1EE3, 'O'}, {0x1EE4, 0x1EF1, 'U'}, {0x1EF2, 0x1EF9, 'Y'},
        {0x0102, 0x0103, 'A'}, {0x0110, 0x0111, 'D'}, {0x0128, 0x0129, 'I'},
        {0x0168, 0x0169, 'U'}, {0x01A0, 0x01A1, 'O'}, {0x01AF, 0x01B0, 'U'},
    };
    if (cp >= 0xC0 && cp <= 0xFF)
        return LATIN1[cp - 0xC0] == '_' ? 0 : LATIN1[cp - 0xC0];
    for (size_t i = 0; i < sizeof VIET / sizeof *VIET; i++)
        if (cp >= VIET[i].first && cp <= VIET[i].last) {
            /* Upper and lower case alternate, upper first. Ư (0x1AF) is odd but upper. */
            bool lower = cp == 0x01B0 || (cp != 0x01AF && (cp - VIET[i].first) % 2 == 1);
            return lower ? (char)(VIET[i].upper | 0x20) : VIET[i].upper;
        }
    return 0;
}

/* RFC 5987 attr-char: sent as itself in filename*; anything else is %XX. */
static bool attr_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$&+-.^_`|~", c) != NULL);
}

char *attachment_name_disposition(const char *name)
{
    size_t len = strlen(name);
    char *fallback = xmalloc(len + 1), *f = fallback;
    for (size_t i = 0, n = 0; i < len; i += n) {
        int32_t cp = utf8_next((const unsigned char *)name + i, len - i, &n);
        if (cp >= 0x0300 && cp <= 0x036F)
            continue;            /* a combining accent (a name in NFD): the letter stays */
        char c = cp >= 0x20 && cp < 0x7F && cp != '"' && cp != '\\' ? (char)cp : unaccented(cp);
        *f++ = c ? c : REPLACEMENT;
    }
    *f = '\0';
    char *encoded = xmalloc(len * 3 + 1), *e = encoded;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (attr_char(c))
            *e++ = (char)c;
        else
            e += sprintf(e, "%%%02X", c);
    }
    *e = '\0';
    char *header = xasprintf("attachment; filename=\"%s\"; filename*=UTF-8''%s",
                             fallback, encoded);
    free(fallback);
    free(encoded);
    return header;
}
