/* gzip.h -- gzip (RFC 1952) of whole buffers in memory, with libdeflate: the app's files
 * and the API's answers sent compressed to browsers that take them, and kept reports
 * stored that way. */
#ifndef DL_UTIL_GZIP_H
#define DL_UTIL_GZIP_H

#include <stdbool.h>
#include <stddef.h>

/* libdeflate's levels. Fast for what is made on a request (an answer, a report being kept):
 * a 60 KB queue page in some 0.2 ms, 6.8 times smaller; the latest month's 21.7 MB report
 * at a million issues in 0.07 s, 12.7 times smaller (level 6: 0.18 s, 16.7 times). Best
 * for the app's few small files, made once at start. */
#define GZIP_FAST 1
#define GZIP_BEST 9

/* data gzip-compressed (caller frees); NULL only when it cannot be (over 1 GiB; running
 * out of memory aborts, as everywhere, see util/xalloc.h). */
unsigned char *gzip_compress(const void *data, size_t len, int level, size_t *out_len);
/* Whether sending len bytes as gz_len compressed ones pays: a text of 256 bytes or more
 * that came out at least a tenth smaller. */
bool gzip_pays(size_t len, size_t gz_len);
/* gzip_compress, but NULL as well when the result does not pay (gzip_pays). */
unsigned char *gzip_compress_if_it_pays(const void *data, size_t len, int level,
                                        size_t *out_len);
/* Whether gz begins like a gzip member of deflated data and is long enough to be one. */
bool gzip_has_header(const void *gz, size_t len);
/* One whole gzip member inflated, with a NUL after its *out_len bytes (caller frees), or
 * NULL when gz is not exactly one valid member of at most 1 GiB. */
char *gzip_inflate(const void *gz, size_t len, size_t *out_len);

#endif
