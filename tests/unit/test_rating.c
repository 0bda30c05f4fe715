/* test_rating.c -- every branch of domain/rating.c and domain/directive_rules.c: which
 * ratings are whole 1-5, which flag a supervisor, that only a confirmation carries one;
 * who sends, acknowledges and follows up directives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/directive_rules.h"
#include "domain/rating.h"

static void ratings_are_one_to_five(void **state)
{
    (void)state;
    for (int r = -1; r <= 7; r++)
        assert_int_equal(rating_valid(r), r >= 1 && r <= 5);
}

static void one_and_two_are_low(void **state)
{
    (void)state;
    assert_true(rating_is_low(1));
    assert_true(rating_is_low(2));
    assert_false(rating_is_low(3));
    assert_false(rating_is_low(5));
    assert_false(rating_is_low(0));     /* no rating is no flag */
    assert_false(rating_is_low(-3));
}

static void only_a_confirmation_carries_one(void **state)
{
    (void)state;
    for (int a = 0; a < ACTION_COUNT; a++)
        assert_int_equal(rating_belongs_to((enum action)a), a == ACTION_CONFIRM);
}

static void who_sends_acknowledges_and_follows_directives(void **state)
{
    (void)state;
    struct actor officer = {.user_id = 1, .role = ROLE_OFFICER, .division_id = 2};
    struct actor supervisor = {.user_id = 2, .role = ROLE_SUPERVISOR};
    struct actor admin = {.user_id = 3, .role = ROLE_ADMIN};
    struct actor principal = {.user_id = 4, .role = ROLE_PRINCIPAL, .school_id = 7};
    struct actor unbound = {.user_id = 5, .role = ROLE_PRINCIPAL};
    struct actor leader = {.user_id = 6, .role = ROLE_CLUSTER_LEADER, .cluster_id = 1};
    assert_true(directive_may_send(&officer));
    assert_true(directive_may_send(&supervisor));
    assert_false(directive_may_send(&admin));
    assert_false(directive_may_send(&principal));
    assert_false(directive_may_send(NULL));
    assert_true(directive_may_acknowledge(&principal));
    assert_false(directive_may_acknowledge(&unbound));
    assert_false(directive_may_acknowledge(&leader));
    assert_false(directive_may_acknowledge(&officer));
    assert_false(directive_may_acknowledge(NULL));
    assert_true(directive_sees_schools(&officer));
    assert_true(directive_sees_schools(&admin));
    assert_true(directive_sees_schools(&leader));
    assert_false(directive_sees_schools(&principal));
    assert_false(directive_sees_schools(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ratings_are_one_to_five),
        cmocka_unit_test(one_and_two_are_low),
        cmocka_unit_test(only_a_confirmation_carries_one),
        cmocka_unit_test(who_sends_acknowledges_and_follows_directives),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
