/* test_code_table.c -- codes get dense numbers in first-seen order; equal text at different
 * addresses is one code; NULL is a code of its own; thousands of codes (many sharing hash
 * buckets) all stay distinct and findable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/code_table.h"

static void numbers_in_first_seen_order(void **state)
{
    (void)state;
    struct code_table t;
    code_table_init(&t, 4);
    assert_int_equal(code_table_number(&t, "TH002"), 0);
    assert_int_equal(code_table_number(&t, "TH001"), 1);
    assert_int_equal(code_table_number(&t, "TH002"), 0);
    assert_int_equal(t.count, 2);
    assert_string_equal(t.codes[0], "TH002");
    assert_string_equal(t.codes[1], "TH001");
    code_table_free(&t);
    assert_null(t.slots);
}

/* The database hands every row its own copy of a code: equal text must be one code. */
static void equal_text_is_one_code(void **state)
{
    (void)state;
    char a[] = "CM01", b[] = "CM01";
    struct code_table t;
    code_table_init(&t, 2);
    assert_int_equal(code_table_number(&t, a), code_table_number(&t, b));
    assert_int_equal(t.count, 1);
    code_table_free(&t);
}

static void null_is_a_code(void **state)
{
    (void)state;
    struct code_table t;
    code_table_init(&t, 3);
    assert_int_equal(code_table_number(&t, NULL), 0);
    assert_int_equal(code_table_number(&t, ""), 1);
    assert_int_equal(code_table_number(&t, NULL), 0);
    assert_null(t.codes[0]);
    code_table_free(&t);
}

/* Zero promised codes still gives a usable (empty) table. */
static void empty_table(void **state)
{
    (void)state;
    struct code_table t;
    code_table_init(&t, 0);
    assert_int_equal(t.count, 0);
    code_table_free(&t);
}

#define MANY 5000

/* Filled to its promise: linear probing wraps and every code keeps its number. */
static void many_codes_stay_distinct(void **state)
{
    (void)state;
    static char codes[MANY][12];
    struct code_table t;
    code_table_init(&t, MANY);
    for (size_t i = 0; i < MANY; i++) {
        snprintf(codes[i], sizeof codes[i], "S%05zu", i);
        assert_int_equal(code_table_number(&t, codes[i]), i);
    }
    for (size_t i = 0; i < MANY; i++) {
        char copy[12];
        memcpy(copy, codes[i], sizeof copy);
        assert_int_equal(code_table_number(&t, copy), i);
    }
    assert_int_equal(t.count, MANY);
    code_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_in_first_seen_order),
        cmocka_unit_test(equal_text_is_one_code),
        cmocka_unit_test(null_is_a_code),
        cmocka_unit_test(empty_table),
        cmocka_unit_test(many_codes_stay_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
