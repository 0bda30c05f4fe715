/* test_content_coding.c -- which Accept-Encoding headers take a gzip answer (weights,
 * "*", case, spacing), and gzip in memory: a round trip, what is not worth compressing,
 * and what is not a whole gzip member. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "http/content_coding.h"
#include "util/gzip.h"

static void gzip_taken_or_not(void **state)
{
    (void)state;
    assert_false(content_coding_takes_gzip(NULL));
    assert_false(content_coding_takes_gzip(""));
    assert_true(content_coding_takes_gzip("gzip"));
    assert_true(content_coding_takes_gzip("gzip, deflate, br, zstd"));   /* Chromium's */
    assert_true(content_coding_takes_gzip("br;q=1.0, GZIP;q=0.5"));
    assert_true(content_coding_takes_gzip("x-gzip"));
    assert_true(content_coding_takes_gzip("*"));
    assert_true(content_coding_takes_gzip("identity, *;q=0.1"));
    assert_false(content_coding_takes_gzip("identity"));
    assert_false(content_coding_takes_gzip("deflate, br"));
    assert_false(content_coding_takes_gzip("gzip;q=0"));
    assert_false(content_coding_takes_gzip("gzip ; q=0.000"));
    assert_false(content_coding_takes_gzip("*;q=0"));
    assert_false(content_coding_takes_gzip("gzipped"));                  /* another name */
    assert_false(content_coding_takes_gzip("*, gzip;q=0"));              /* named wins */
    assert_true(content_coding_takes_gzip("*;q=0, gzip"));
    assert_true(content_coding_takes_gzip("gzip;level=1;q=0.3"));
}

static char *repeated_json(size_t *len)
{
    const char *item = "{\"ref\":\"HT-2026-000101\",\"title\":\"Thiếu giáo viên\"},";
    size_t one = strlen(item), n = 500;
    char *text = malloc(one * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(text + i * one, item, one);
    text[one * n] = '\0';
    *len = one * n;
    return text;
}

static void gzip_round_trip(void **state)
{
    (void)state;
    size_t len, gz_len, back_len;
    char *text = repeated_json(&len);
    unsigned char *gz = gzip_compress(text, len, GZIP_FAST, &gz_len);
    assert_non_null(gz);
    assert_true(gz_len < len / 10);
    assert_int_equal(gz[0], 0x1f);          /* the gzip magic, not a bare deflate stream */
    assert_int_equal(gz[1], 0x8b);
    char *back = gzip_inflate(gz, gz_len, &back_len);
    assert_non_null(back);
    assert_int_equal(back_len, len);
    assert_memory_equal(back, text, len);
    assert_int_equal(back[back_len], '\0');
    free(back);
    free(gz);
    free(text);
}

static void not_worth_compressing(void **state)
{
    (void)state;
    size_t gz_len = 0;
    unsigned char *gz = gzip_compress("{\"ok\":true}", 11, GZIP_BEST, &gz_len);
    assert_non_null(gz);                    /* made, but larger than the text */
    assert_false(gzip_pays(11, gz_len));
    free(gz);
    assert_false(gzip_pays(255, 10));       /* too short to bother */
    assert_true(gzip_pays(256, 10));
    unsigned char noise[4096];
    unsigned int x = 2026;
    for (size_t i = 0; i < sizeof noise; i++) {
        x = x * 1103515245u + 12345u;
        noise[i] = (unsigned char)(x >> 16);
    }
    gz = gzip_compress(noise, sizeof noise, GZIP_BEST, &gz_len);
    assert_non_null(gz);
    assert_false(gzip_pays(sizeof noise, gz_len));
    free(gz);
}

static void not_a_gzip_member(void **state)
{
    (void)state;
    size_t len, gz_len, back_len;
    char *text = repeated_json(&len);
    unsigned char *gz = gzip_compress(text, len, GZIP_BEST, &gz_len);
    assert_null(gzip_inflate(gz, gz_len - 4, &back_len));       /* cut short */
    assert_null(gzip_inflate(text, len, &back_len));            /* plain text */
    unsigned char *twice = malloc(gz_len + 1);
    memcpy(twice, gz, gz_len);
    twice[gz_len] = 'x';                                        /* trailing bytes */
    assert_null(gzip_inflate(twice, gz_len + 1, &back_len));
    memcpy(twice, gz, gz_len);
    twice[gz_len - 4] ^= 1;                                     /* a wrong length */
    assert_null(gzip_inflate(twice, gz_len, &back_len));
    twice[gz_len - 4] ^= 1;
    twice[gz_len - 1] = 0x3f;                                   /* a length past 1 GiB */
    assert_null(gzip_inflate(twice, gz_len, &back_len));
    assert_true(gzip_has_header(gz, gz_len));
    assert_false(gzip_has_header(gz, 17));
    assert_false(gzip_has_header(text, len));
    free(twice);
    free(gz);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gzip_taken_or_not),
        cmocka_unit_test(gzip_round_trip),
        cmocka_unit_test(not_worth_compressing),
        cmocka_unit_test(not_a_gzip_member),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
