/* test_file_limit.c -- how many client connections fit under an open-file limit beside
 * the files the server holds anyway (per worker thread and per database connection). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/file_limit.h"

static void the_margin_grows_with_threads_and_database_connections(void **state)
{
    (void)state;
    int small = file_limit_besides(1, 1), big = file_limit_besides(64, 66);
    assert_true(small >= 128 + 3 + 1);
    assert_int_equal(big - small, 3 * 63 + 65);
}

static void connections_get_what_is_left(void **state)
{
    (void)state;
    int besides = file_limit_besides(8, 10);
    assert_int_equal(file_limit_room(1024, 10000, besides), 1024 - besides);
    assert_int_equal(file_limit_room(1000000, 10000, besides), 10000);
    assert_int_equal(file_limit_room(~0ULL, 10000, besides), 10000);
    /* A low limit: no more than what is left, never a fixed floor past it. */
    assert_int_equal(file_limit_room((unsigned long long)besides + 5, 10000, besides), 5);
    assert_int_equal(file_limit_room(150, 10000, besides), 0);
    assert_int_equal(file_limit_room((unsigned long long)besides, 10000, besides), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_margin_grows_with_threads_and_database_connections),
        cmocka_unit_test(connections_get_what_is_left),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
