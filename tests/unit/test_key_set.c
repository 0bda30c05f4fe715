/* test_key_set.c -- a key is added once; membership answers for keys in and out; zero and
 * the largest key are keys like any other; thousands of consecutive keys (ids) all stay
 * findable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/key_set.h"

static void added_once(void **state)
{
    (void)state;
    struct key_set s;
    key_set_init(&s, 3);
    assert_true(key_set_add(&s, 42));
    assert_false(key_set_add(&s, 42));
    assert_true(key_set_add(&s, 7));
    assert_int_equal(s.count, 2);
    assert_true(key_set_has(&s, 42));
    assert_true(key_set_has(&s, 7));
    assert_false(key_set_has(&s, 8));
    key_set_free(&s);
    assert_null(s.keys);
}

static void extreme_keys(void **state)
{
    (void)state;
    struct key_set s;
    key_set_init(&s, 2);
    assert_false(key_set_has(&s, 0));
    assert_true(key_set_add(&s, 0));
    assert_true(key_set_add(&s, UINT64_MAX));
    assert_true(key_set_has(&s, 0));
    assert_true(key_set_has(&s, UINT64_MAX));
    assert_false(key_set_has(&s, 1));
    key_set_free(&s);
}

static void empty_set(void **state)
{
    (void)state;
    struct key_set s;
    key_set_init(&s, 0);
    assert_false(key_set_has(&s, 123));
    key_set_free(&s);
}

#define MANY 20000

/* Consecutive ids and (group << 32 | school) pairs, as the report uses them (groups from 1
 * here, so the two kinds of key never meet). */
static void many_keys(void **state)
{
    (void)state;
    struct key_set s;
    key_set_init(&s, 2 * MANY);
    for (uint64_t i = 1; i <= MANY; i++) {
        assert_true(key_set_add(&s, i));
        assert_true(key_set_add(&s, (1 + i % 40) << 32 | (i / 40)));
    }
    for (uint64_t i = 1; i <= MANY; i++) {
        assert_true(key_set_has(&s, i));
        assert_true(key_set_has(&s, (1 + i % 40) << 32 | (i / 40)));
        assert_false(key_set_has(&s, MANY + i));
    }
    assert_int_equal(s.count, 2 * MANY);
    key_set_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(added_once),
        cmocka_unit_test(extreme_keys),
        cmocka_unit_test(empty_set),
        cmocka_unit_test(many_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
