/* test_delivery_retry.c -- domain/delivery_retry.c: the backoff doubles from a minute,
 * stops at its ceiling, and gives up after the last try. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/delivery_retry.h"

static void the_delay_doubles_from_a_minute(void **state)
{
    (void)state;
    assert_int_equal(delivery_retry_delay(1), 60);
    assert_int_equal(delivery_retry_delay(2), 120);
    assert_int_equal(delivery_retry_delay(3), 240);
    assert_int_equal(delivery_retry_delay(9), 60L << 8);
}

static void every_delay_is_within_the_ceiling_and_the_tries_end(void **state)
{
    (void)state;
    long total = 0;
    for (int n = 1; n < DELIVERY_MAX_ATTEMPTS; n++) {
        long d = delivery_retry_delay(n);
        assert_true(d >= DELIVERY_FIRST_DELAY && d <= DELIVERY_MAX_DELAY);
        total += d;
    }
    /* From the first try to the last: some eight and a half hours. */
    assert_true(total > 8 * 3600 && total < 9 * 3600);
    assert_int_equal(delivery_retry_delay(DELIVERY_MAX_ATTEMPTS), -1);
    assert_int_equal(delivery_retry_delay(DELIVERY_MAX_ATTEMPTS + 5), -1);
}

static void no_try_yet_has_no_delay(void **state)
{
    (void)state;
    assert_int_equal(delivery_retry_delay(0), -1);
    assert_int_equal(delivery_retry_delay(-1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_delay_doubles_from_a_minute),
        cmocka_unit_test(every_delay_is_within_the_ceiling_and_the_tries_end),
        cmocka_unit_test(no_try_yet_has_no_delay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
