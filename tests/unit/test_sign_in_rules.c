/* test_sign_in_rules.c -- the keys sign-in failures are counted under: an IPv6 client
 * counts as its /64, an IPv4 one (even written as IPv6) as itself, and a login's letter
 * case does not matter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/sign_in_rules.h"

static const char *address_key(const char *address)
{
    static char out[SIGN_IN_ADDRESS_KEY];
    sign_in_address_key(address, out);
    return out;
}

static void addresses(void **state)
{
    (void)state;
    assert_string_equal(address_key("203.0.113.7"), "203.0.113.7");
    assert_string_equal(address_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
    assert_string_equal(address_key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
    assert_string_equal(address_key("2001:db8::"), "2001:db8::/64");
    assert_string_equal(address_key("::ffff:192.0.2.1"), "192.0.2.1");
    assert_string_equal(address_key("unknown"), "unknown");
    assert_string_equal(address_key(""), "");
    /* Cut to fit, never past the buffer. */
    char long_one[200];
    memset(long_one, 'x', sizeof long_one - 1);
    long_one[sizeof long_one - 1] = '\0';
    assert_int_equal(strlen(address_key(long_one)), SIGN_IN_ADDRESS_KEY - 1);
}

static void logins(void **state)
{
    (void)state;
    char out[SIGN_IN_LOGIN_KEY];
    sign_in_login_key("HT.Th001", out);
    assert_string_equal(out, "ht.th001");
    sign_in_login_key("Nguyễn", out);          /* bytes past ASCII are kept as they are */
    assert_string_equal(out, "nguyễn");
    sign_in_login_key("", out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(addresses),
        cmocka_unit_test(logins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
