/* test_civil_date.c -- every branch of domain/civil_date.c: which YYYY-MM-DD days are
 * real, and the day count both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/civil_date.h"

static void real_days_count_from_1970(void **state)
{
    (void)state;
    int days = -1;
    assert_true(civil_date_parse("2000-01-01", &days));
    assert_int_equal(days, 10957);
    assert_true(civil_date_parse("2026-12-01", &days));
    assert_int_equal(days, 20788);
    assert_true(civil_date_parse("2024-02-29", &days));      /* a leap year */
    assert_true(civil_date_parse("2000-02-29", &days));      /* divisible by 400 */
    assert_true(civil_date_parse("2100-12-31", &days));
}

static void unreal_or_misshapen_days_are_refused(void **state)
{
    (void)state;
    int days = 7;
    const char *bad[] = {"2026-02-29", "2100-02-29", "2026-04-31", "2026-13-01",
                         "2026-00-10", "2026-01-00", "1999-12-31", "2101-01-01",
                         "2026-1-01", "2026/01/01", "2026-01-01T00", " 2026-01-01",
                         "2026-0a-01", "", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(civil_date_parse(bad[i], &days));
    assert_int_equal(days, 7);
}

static void every_day_of_the_range_goes_there_and_back(void **state)
{
    (void)state;
    int first = 0, last = 0, days = 0;
    assert_true(civil_date_parse("2000-01-01", &first));
    assert_true(civil_date_parse("2100-12-31", &last));
    char text[CIVIL_DATE_LEN];
    for (int d = first; d <= last; d++) {
        civil_date_format(d, text);
        assert_true(civil_date_parse(text, &days));
        assert_int_equal(days, d);
    }
    civil_date_format(first + 59, text);
    assert_string_equal(text, "2000-02-29");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_days_count_from_1970),
        cmocka_unit_test(unreal_or_misshapen_days_are_refused),
        cmocka_unit_test(every_day_of_the_range_goes_there_and_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
