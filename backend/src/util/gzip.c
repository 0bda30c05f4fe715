/* gzip.c -- one-shot gzip compression and inflation of buffers held whole in memory. */
#include "util/gzip.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/xalloc.h"

/* Nothing directline makes comes near it (the largest, a report at a million issues, is
 * some 30 MB); it keeps a damaged size field from asking for gigabytes. */
#define GZIP_MAX_TEXT ((size_t)1 << 30)

/* Each thread keeps its GZIP_FAST compressor: made for every answer, its 200 KB of tables
 * (over the allocator's 32 KiB threshold, see cli/serve_memory.c) were mapped and
 * unmapped each time, 0.13 ms of system time an answer. The server's 8 workers hold
 * 1.6 MB once each has compressed an answer. */
static pthread_key_t fast_key;
static pthread_once_t fast_key_once = PTHREAD_ONCE_INIT;

static void free_compressor(void *c)
{
    libdeflate_free_compressor(c);
}

static void make_fast_key(void)
{
    if (pthread_key_create(&fast_key, free_compressor) != 0)
        abort();
}

static struct libdeflate_compressor *fast_compressor(void)
{
    pthread_once(&fast_key_once, make_fast_key);
    struct libdeflate_compressor *c = pthread_getspecific(fast_key);
    if (!c && (c = libdeflate_alloc_compressor(GZIP_FAST)) != NULL &&
        pthread_setspecific(fast_key, c) != 0) {
        libdeflate_free_compressor(c);
        c = NULL;
    }
    return c;
}

unsigned char *gzip_compress(const void *data, size_t len, int level, size_t *out_len)
{
    if (len > GZIP_MAX_TEXT)
        return NULL;
    bool kept = level == GZIP_FAST;
    struct libdeflate_compressor *c =
        kept ? fast_compressor() : libdeflate_alloc_compressor(level);
    if (!c)
        return NULL;
    size_t cap = libdeflate_gzip_compress_bound(c, len);
    unsigned char *out = xmalloc(cap);
    *out_len = libdeflate_gzip_compress(c, data, len, out, cap);
    if (!kept)
        libdeflate_free_compressor(c);
    if (*out_len == 0) {   /* cannot happen within the bound */
        free(out);
        return NULL;
    }
    return out;
}

bool gzip_pays(size_t len, size_t gz_len)
{
    return len >= 256 && gz_len < len - len / 10;
}

unsigned char *gzip_compress_if_it_pays(const void *data, size_t len, int level,
                                        size_t *out_len)
{
    unsigned char *gz = gzip_compress(data, len, level, out_len);
    if (gz && !gzip_pays(len, *out_len)) {
        free(gz);
        gz = NULL;
    }
    return gz;
}

/* The member's own record of its length: ISIZE, its last four bytes, little-endian. */
static size_t member_text_size(const unsigned char *gz, size_t len)
{
    const unsigned char *p = gz + len - 4;
    return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
}

/* Deflate makes at most 1032 bytes of one (RFC 1951's longest match for one symbol). */
#define DEFLATE_MAX_RATIO 1032

bool gzip_has_header(const void *gz, size_t len)
{
    const unsigned char *bytes = gz;
    /* A header of 10 bytes (magic, deflate) and a trailer of 8 at the least. */
    return len >= 18 && bytes[0] == 0x1f && bytes[1] == 0x8b && bytes[2] == 8;
}

char *gzip_inflate(const void *gz, size_t len, size_t *out_len)
{
    const unsigned char *bytes = gz;
    if (!gzip_has_header(gz, len))
        return NULL;
    size_t size = member_text_size(bytes, len);
    if (size > GZIP_MAX_TEXT || size > len * DEFLATE_MAX_RATIO)
        return NULL;
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    if (!d)
        return NULL;
    char *out = xmalloc(size + 1);
    size_t used_in = 0, made = 0;
    enum libdeflate_result rc =
        libdeflate_gzip_decompress_ex(d, gz, len, out, size, &used_in, &made);
    libdeflate_free_decompressor(d);
    if (rc != LIBDEFLATE_SUCCESS || used_in != len || made != size) {
        free(out);
        return NULL;
    }
    out[made] = '\0';
    *out_len = made;
    return out;
}
