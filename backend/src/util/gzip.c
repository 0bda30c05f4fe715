/* gzip.c -- one-shot gzip compression and inflation of buffers held whole in memory. */
#include "util/gzip.h"

#include <limits.h>
#include <stdlib.h>
#include <zlib.h>

#include "util/xalloc.h"

/* 15 + 16: the largest window, with a gzip header and trailer. */
#define GZIP_WINDOW (15 + 16)

unsigned char *gzip_compress(const void *data, size_t len, int level, size_t *out_len)
{
    z_stream z = {0};
    if (len > UINT_MAX ||
        deflateInit2(&z, level, Z_DEFLATED, GZIP_WINDOW, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = deflateBound(&z, (uLong)len);
    unsigned char *out = xmalloc(cap);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

bool gzip_pays(size_t len, size_t gz_len)
{
    return len >= 256 && gz_len < len - len / 10;
}

char *gzip_inflate(const void *gz, size_t len, size_t *out_len)
{
    z_stream z = {0};
    if (len > UINT_MAX || inflateInit2(&z, GZIP_WINDOW) != Z_OK)
        return NULL;
    size_t cap = len * 8 + 64, used = 0;
    char *out = xmalloc(cap);
    z.next_in = (unsigned char *)gz;
    z.avail_in = (uInt)len;
    int rc = Z_OK;
    while (rc == Z_OK) {
        if (cap - used < 2) {
            cap *= 2;
            out = xrealloc(out, cap);
        }
        size_t room = cap - used - 1 > UINT_MAX ? UINT_MAX : cap - used - 1;
        z.next_out = (unsigned char *)out + used;
        z.avail_out = (uInt)room;
        rc = inflate(&z, Z_NO_FLUSH);
        used += room - z.avail_out;
    }
    inflateEnd(&z);
    /* Z_BUF_ERROR here: the input ended before the member did. */
    if (rc != Z_STREAM_END || z.avail_in != 0) {
        free(out);
        return NULL;
    }
    out[used] = '\0';
    *out_len = used;
    return out;
}
