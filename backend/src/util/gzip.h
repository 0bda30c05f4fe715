/* gzip.h -- gzip (RFC 1952) in memory, with zlib: the app's files and API answers sent
 * compressed to browsers that take it, and the kept reports stored that way. */
#ifndef DL_UTIL_GZIP_H
#define DL_UTIL_GZIP_H

#include <stdbool.h>
#include <stddef.h>

/* zlib's levels: fastest for answers made per request; zlib's default for a kept report
 * (made once, sent many times: 17 times smaller than its JSON at a third more time than
 * GZIP_FAST, which makes it 11 times smaller); best for the app's few small files. */
#define GZIP_FAST 1
#define GZIP_KEPT 6
#define GZIP_BEST 9

/* data gzip-compressed (caller frees); NULL only when zlib cannot (out of memory, over
 * 4 GiB). */
unsigned char *gzip_compress(const void *data, size_t len, int level, size_t *out_len);
/* Whether sending len bytes as gz_len compressed ones pays: a text of 256 bytes or more
 * that came out at least a tenth smaller. */
bool gzip_pays(size_t len, size_t gz_len);
/* A whole gzip member inflated, with a NUL after its *out_len bytes (caller frees), or
 * NULL when it is not a valid one. */
char *gzip_inflate(const void *gz, size_t len, size_t *out_len);

#endif
