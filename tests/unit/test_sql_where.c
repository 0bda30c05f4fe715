/* test_sql_where.c -- the bounded WHERE builder of the issue list: every filter at once
 * fits with room to spare; past its text, parameter or number capacity it writes nothing
 * more, stays NUL-terminated, and says it overflowed, so the caller refuses to run it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "db/issue_where.h"

static void starts_true(void **state)
{
    (void)state;
    struct sql_where w;
    sql_where_init(&w);
    assert_string_equal(w.sql, "WHERE true");
    assert_int_equal(w.len, strlen("WHERE true"));
    assert_false(w.overflow);
}

/* The largest clause the API can ask for: every filter, a scope and a cursor. */
static void every_filter_fits(void **state)
{
    (void)state;
    struct issue_filter f = {
        .status = "new", .school = "TH001", .cluster = "CM01", .category = "THIEU-GV",
        .division = "TCCB", .priority = "high", .assignee = "cb.tccb1", .q = "giáo viên",
        .overdue = 1, .escalated = 0, .shared = 1, .cosigned = 1, .scope_school_id = 7, .scope_cluster_id = 3,
        .has_cursor = true, .cursor_created_us = 1790000000000000LL,
        .cursor_id = 9223372036854775807LL, .limit = 200,
    };
    struct sql_where w;
    issue_where_build(&w, &f);
    assert_false(w.overflow);
    assert_int_equal(w.nparams, 12);
    assert_int_equal(w.len, strlen(w.sql));
    assert_true(w.len < SQL_WHERE_MAX_TEXT / 2);     /* room to grow */
    assert_non_null(strstr(w.sql, "$11::bigint, $12::bigint)"));
    assert_string_equal(w.params[0], "new");
    assert_string_equal(w.params[8], "7");
    assert_string_equal(w.params[11], "9223372036854775807");
}

static void no_filter_is_true(void **state)
{
    (void)state;
    struct issue_filter f = {.overdue = -1, .escalated = -1, .shared = -1, .cosigned = -1,
                             .limit = 50};
    struct sql_where w;
    issue_where_build(&w, &f);
    assert_false(w.overflow);
    assert_string_equal(w.sql, "WHERE true");
    assert_int_equal(w.nparams, 0);
}

static void text_past_capacity_is_refused(void **state)
{
    (void)state;
    struct sql_where w;
    sql_where_init(&w);
    char fragment[101];
    memset(fragment, 'x', 100);
    fragment[100] = '\0';
    int appended = 0;
    while (!w.overflow && appended < 100) {
        sql_where_text(&w, " AND %s", fragment);
        appended++;
    }
    assert_true(w.overflow);
    assert_true(appended < 100);
    assert_true(w.len < SQL_WHERE_MAX_TEXT);
    assert_int_equal(strlen(w.sql), w.len);
    assert_int_equal(w.sql[w.len - 1], 'x');        /* the cut fragment is not there */
    size_t len = w.len;
    sql_where_text(&w, " AND y");
    sql_where_and(&w, "z = ", "1", "");
    assert_int_equal(w.len, len);
    assert_int_equal(strlen(w.sql), len);
}

static void parameters_past_capacity_are_refused(void **state)
{
    (void)state;
    struct sql_where w;
    sql_where_init(&w);
    for (int i = 1; i <= SQL_WHERE_MAX_PARAMS; i++)
        assert_int_equal(sql_where_param(&w, "v"), i);
    assert_false(w.overflow);
    size_t len = w.len;
    sql_where_and(&w, "a = ", "w", "");
    assert_true(w.overflow);
    assert_int_equal(w.nparams, SQL_WHERE_MAX_PARAMS);
    assert_int_equal(w.len, len);
    assert_int_equal(sql_where_param(&w, "v"), 0);
}

static void numbers_past_capacity_are_refused(void **state)
{
    (void)state;
    struct sql_where w;
    sql_where_init(&w);
    for (int i = 0; i < SQL_WHERE_MAX_NUMBERS; i++)
        assert_string_equal(sql_where_number(&w, -9223372036854775807LL - 1),
                            "-9223372036854775808");
    assert_false(w.overflow);
    assert_null(sql_where_number(&w, 1));
    assert_true(w.overflow);
    assert_int_equal(w.nnumbers, SQL_WHERE_MAX_NUMBERS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(starts_true),
        cmocka_unit_test(every_filter_fits),
        cmocka_unit_test(no_filter_is_true),
        cmocka_unit_test(text_past_capacity_is_refused),
        cmocka_unit_test(parameters_past_capacity_are_refused),
        cmocka_unit_test(numbers_past_capacity_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
