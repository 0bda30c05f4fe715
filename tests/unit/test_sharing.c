/* test_sharing.c -- every branch of domain/sharing.c: sharing and taking back against
 * every status, a sensitive category and an issue already shared; co-signing against
 * every status, an unshared issue and a school that signed already. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/sharing.h"

static bool finished(enum status st)
{
    return st == STATUS_CLOSED || st == STATUS_DECLINED || st == STATUS_DUPLICATE;
}

static void sharing_by_status(void **state)
{
    (void)state;
    for (int st = 0; st < STATUS_COUNT; st++) {
        struct sharing_facts f = {.status = (enum status)st};
        struct sharing_verdict v = sharing_decide(&f, true);
        if (finished((enum status)st)) {
            assert_false(v.allowed);
            assert_string_equal(v.code, "issue_finished");
            assert_non_null(v.reason);
        } else {
            assert_true(v.allowed);
            assert_false(v.unchanged);
        }
    }
}

static void sensitive_is_never_shared(void **state)
{
    (void)state;
    for (int st = 0; st < STATUS_COUNT; st++) {
        struct sharing_facts f = {.status = (enum status)st, .sensitive = true};
        struct sharing_verdict v = sharing_decide(&f, true);
        assert_false(v.allowed);
        assert_string_equal(v.code, "sensitive_category");
    }
}

static void sharing_twice_or_taking_back(void **state)
{
    (void)state;
    struct sharing_facts shared = {.status = STATUS_NEW, .shared = true};
    struct sharing_verdict v = sharing_decide(&shared, true);
    assert_true(v.allowed && v.unchanged);
    v = sharing_decide(&shared, false);
    assert_true(v.allowed);
    assert_false(v.unchanged);
    /* Taking back is allowed whatever the status or category. */
    struct sharing_facts closed = {.status = STATUS_CLOSED, .shared = true, .sensitive = true};
    v = sharing_decide(&closed, false);
    assert_true(v.allowed);
    assert_false(v.unchanged);
    struct sharing_facts private_ = {.status = STATUS_NEW};
    v = sharing_decide(&private_, false);
    assert_true(v.allowed && v.unchanged);
}

static void cosign_by_status(void **state)
{
    (void)state;
    for (int st = 0; st < STATUS_COUNT; st++) {
        struct sharing_facts f = {.status = (enum status)st, .shared = true};
        struct sharing_verdict v = cosign_decide(&f);
        bool refused = st == STATUS_DECLINED || st == STATUS_DUPLICATE;
        assert_int_equal(v.allowed, !refused);
        if (refused)
            assert_string_equal(v.code, "issue_finished");
        else
            assert_false(v.unchanged);
    }
}

static void cosign_needs_shared_and_once(void **state)
{
    (void)state;
    struct sharing_facts private_ = {.status = STATUS_NEW};
    assert_string_equal(cosign_decide(&private_).code, "not_shared");
    struct sharing_facts signed_ = {.status = STATUS_NEW, .shared = true,
                                    .cosigned_by_reader = true};
    assert_string_equal(cosign_decide(&signed_).code, "already_cosigned");
    /* Signed, then unshared: still signed, which is the better answer. */
    signed_.shared = false;
    assert_string_equal(cosign_decide(&signed_).code, "already_cosigned");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sharing_by_status),
        cmocka_unit_test(sensitive_is_never_shared),
        cmocka_unit_test(sharing_twice_or_taking_back),
        cmocka_unit_test(cosign_by_status),
        cmocka_unit_test(cosign_needs_shared_and_once),
    };
    return cmocka_run_group_tests_name("sharing", tests, NULL, NULL);
}
