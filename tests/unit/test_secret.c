/* test_secret.c -- the dummy hash that unknown logins are checked against is ready once
 * secret_init returns (made on first use it would make that sign-in cost two argon2id
 * runs), and it has the parameters real hashes get, so a check against it costs the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "util/secret.h"

static void dummy_hash_is_ready_after_init(void **state)
{
    (void)state;
    assert_true(secret_init());
    const char *dummy = secret_dummy_hash();
    assert_true(strncmp(dummy, "$argon2id$", 10) == 0);
    assert_int_equal(crypto_pwhash_str_needs_rehash(dummy, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                    crypto_pwhash_MEMLIMIT_INTERACTIVE), 0);
    assert_false(secret_verify_password(NULL, "directline: no such user"));
    assert_false(secret_verify_password("", "anything"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dummy_hash_is_ready_after_init),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
