/* test_account_rules.c -- the password a person chooses, each role's one binding, and
 * the changes an admin may not make to their own account. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/account_rules.h"

/* The code of the one field error a check left, or "" when it passed. */
static const char *check(const char *password, const char *login)
{
    static struct error err;
    memset(&err, 0, sizeof err);
    bool ok = account_password_check(&err, "new_password", password, login);
    assert_true(ok == (err.nfields == 0));
    return ok ? "" : err.fields[0].code;
}

static void passwords(void **state)
{
    (void)state;
    assert_string_equal(check("mot-mat-khau-dai", "ht.th001"), "");
    assert_string_equal(check("Mật khẩu mới", "ht.th001"), "");         /* 12 characters */
    assert_string_equal(check("123456789", "ht.th001"), "too_short");
    assert_string_equal(check("ngắn ngắn", "ht.th001"), "too_short");  /* 9 chars, 13 bytes */
    char long_one[202];
    memset(long_one, 'x', 201);
    long_one[201] = '\0';
    assert_string_equal(check(long_one, "ht.th001"), "too_long");
    long_one[200] = '\0';
    assert_string_equal(check(long_one, "ht.th001"), "");
    assert_string_equal(check("thu.matkhau01", "thu.matkhau01"), "same_as_login");
    assert_string_equal(check("\xff\xfe-not-utf8-at-all", "ht.th001"), "invalid_utf8");
    /* Only white space would pass the length rules, and sign-in would take it as sent:
     * refused here, where it is chosen. Spaces around other characters are fine. */
    assert_string_equal(check("            ", "ht.th001"), "blank");
    assert_string_equal(check(" \t \r\n \t \r\n ", "ht.th001"), "blank");
    assert_string_equal(check("   mat khau   ", "ht.th001"), "");
}

static void parameters_of_length_errors(void **state)
{
    (void)state;
    struct error err = {0};
    account_password_check(&err, "new_password", "short-ish", "x.y");
    assert_int_equal(err.nfields, 1);
    assert_int_equal(err.fields[0].nparams, 1);
    assert_string_equal(err.fields[0].params[0].name, "min");
    assert_int_equal(err.fields[0].params[0].value, 10);
}

static void bindings(void **state)
{
    (void)state;
    assert_int_equal(account_binding_of(ROLE_PRINCIPAL), BINDING_SCHOOL);
    assert_int_equal(account_binding_of(ROLE_CLUSTER_LEADER), BINDING_CLUSTER);
    assert_int_equal(account_binding_of(ROLE_OFFICER), BINDING_DIVISION);
    assert_int_equal(account_binding_of(ROLE_SUPERVISOR), BINDING_NONE);
    assert_int_equal(account_binding_of(ROLE_ADMIN), BINDING_NONE);
    assert_string_equal(account_binding_field(BINDING_SCHOOL), "school");
    assert_string_equal(account_binding_field(BINDING_CLUSTER), "cluster");
    assert_string_equal(account_binding_field(BINDING_DIVISION), "division");
    assert_null(account_binding_field(BINDING_NONE));
}

static void self_lockout(void **state)
{
    (void)state;
    assert_true(account_self_lockout(7, 7, ROLE_ADMIN, false));
    assert_true(account_self_lockout(7, 7, ROLE_SUPERVISOR, true));
    assert_false(account_self_lockout(7, 7, ROLE_ADMIN, true));
    assert_false(account_self_lockout(7, 8, ROLE_SUPERVISOR, false));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passwords),
        cmocka_unit_test(parameters_of_length_errors),
        cmocka_unit_test(bindings),
        cmocka_unit_test(self_lockout),
    };
    return cmocka_run_group_tests_name("account_rules", tests, NULL, NULL);
}
