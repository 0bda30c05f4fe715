/* test_department_time.c -- the API's instants: UTC+07:00, milliseconds truncated like
 * SQL's to_char MS, day/month/year carried over at the offset, instants before 1970, and
 * years the format cannot hold refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "domain/department_time.h"

static void expect_time(long long epoch_us, const char *want)
{
    char out[DEPARTMENT_TIME_LEN];
    assert_true(department_time_format(epoch_us, out));
    assert_string_equal(out, want);
}

static void offset_and_milliseconds(void **state)
{
    (void)state;
    expect_time(0, "1970-01-01T07:00:00.000+07:00");
    /* 2026-12-01 12:58:06.662171 UTC */
    expect_time(1796129886662171LL, "2026-12-01T19:58:06.662+07:00");
    expect_time(1796129886999999LL, "2026-12-01T19:58:06.999+07:00");   /* truncated */
    expect_time(1796129886000999LL, "2026-12-01T19:58:06.000+07:00");
}

static void carries_into_the_next_day_month_and_year(void **state)
{
    (void)state;
    /* 2026-12-31 17:00:00 UTC is midnight of the new year in Ha Tinh */
    expect_time(1798736400000000LL, "2027-01-01T00:00:00.000+07:00");
    expect_time(1798736399999000LL, "2026-12-31T23:59:59.999+07:00");
    /* 2028-02-28 17:30 UTC: a leap day */
    expect_time(1835371800000000LL, "2028-02-29T00:30:00.000+07:00");
}

static void before_1970(void **state)
{
    (void)state;
    expect_time(-1, "1970-01-01T06:59:59.999+07:00");
    expect_time(-1000000LL, "1970-01-01T06:59:59.000+07:00");
    expect_time(-1500001LL, "1970-01-01T06:59:58.499+07:00");
}

static void years_outside_four_digits_refused(void **state)
{
    (void)state;
    char out[DEPARTMENT_TIME_LEN] = "untouched";
    assert_false(department_time_format(253402300800000000LL, out));   /* 10000-01-01 */
    assert_false(department_time_format(-62167219200000000LL, out));   /* year 0 */
    assert_string_equal(out, "untouched");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(offset_and_milliseconds),
        cmocka_unit_test(carries_into_the_next_day_month_and_year),
        cmocka_unit_test(before_1970),
        cmocka_unit_test(years_outside_four_digits_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
