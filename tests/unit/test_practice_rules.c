/* test_practice_rules.c -- every branch of domain/practice_rules.c: who publishes from an
 * issue, proposes, reviews and edits, which review fits which state, who reads what. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/practice_rules.h"

static const struct issue_scope SCOPE = {.school_id = 1, .cluster_id = 1, .division_id = 2};
static const struct actor OFFICER = {.user_id = 5, .role = ROLE_OFFICER, .division_id = 2};
static const struct actor OTHER_OFFICER = {.user_id = 6, .role = ROLE_OFFICER, .division_id = 3};
static const struct actor SUPERVISOR = {.user_id = 7, .role = ROLE_SUPERVISOR};
static const struct actor ADMIN = {.user_id = 8, .role = ROLE_ADMIN};
static const struct actor PRINCIPAL = {.user_id = 9, .role = ROLE_PRINCIPAL, .school_id = 1};
static const struct actor UNBOUND = {.user_id = 10, .role = ROLE_PRINCIPAL};
static const struct actor LEADER = {.user_id = 11, .role = ROLE_CLUSTER_LEADER, .cluster_id = 1};

static void names_go_both_ways(void **state)
{
    (void)state;
    for (int s = 0; s < PRACTICE_STATUS_COUNT; s++) {
        enum practice_status back = PRACTICE_STATUS_COUNT;
        assert_true(practice_status_parse(practice_status_name((enum practice_status)s), &back));
        assert_int_equal(back, s);
    }
    enum practice_status st;
    assert_false(practice_status_parse("secret", &st));
    assert_false(practice_status_parse(NULL, &st));
    assert_string_equal(practice_status_name(PRACTICE_STATUS_COUNT), "?");
    enum practice_review r;
    assert_true(practice_review_parse("withdraw", &r));
    assert_int_equal(r, PRACTICE_WITHDRAW);
    assert_false(practice_review_parse("approve", &r));
    assert_false(practice_review_parse(NULL, &r));
}

static void publishing_from_an_issue(void **state)
{
    (void)state;
    assert_true(practice_publish_from_issue(&OFFICER, &SCOPE, STATUS_RESOLVED).allowed);
    assert_true(practice_publish_from_issue(&SUPERVISOR, &SCOPE, STATUS_CLOSED).allowed);
    struct practice_verdict v = practice_publish_from_issue(&OTHER_OFFICER, &SCOPE,
                                                            STATUS_RESOLVED);
    assert_false(v.allowed);
    assert_true(v.forbidden);
    assert_true(practice_publish_from_issue(&PRINCIPAL, &SCOPE, STATUS_RESOLVED).forbidden);
    assert_true(practice_publish_from_issue(&ADMIN, &SCOPE, STATUS_RESOLVED).forbidden);
    for (int s = 0; s < STATUS_COUNT; s++) {
        v = practice_publish_from_issue(&OFFICER, &SCOPE, (enum status)s);
        bool answered = s == STATUS_RESOLVED || s == STATUS_CLOSED;
        assert_int_equal(v.allowed, answered);
        if (!answered) {
            assert_false(v.forbidden);
            assert_string_equal(v.code, "not_resolved");
        }
    }
}

static void proposing_and_reviewing(void **state)
{
    (void)state;
    assert_true(practice_may_propose(&PRINCIPAL));
    assert_false(practice_may_propose(&UNBOUND));
    assert_false(practice_may_propose(&LEADER));
    assert_false(practice_may_propose(&OFFICER));
    assert_false(practice_may_propose(NULL));
    assert_true(practice_may_review(&OFFICER));
    assert_true(practice_may_review(&SUPERVISOR));
    assert_false(practice_may_review(&ADMIN));
    assert_false(practice_may_review(&PRINCIPAL));
    assert_false(practice_may_review(NULL));
}

static void which_review_fits(void **state)
{
    (void)state;
    assert_true(practice_review_decide(&OFFICER, PRACTICE_PROPOSED, PRACTICE_PUBLISH).allowed);
    assert_true(practice_review_decide(&OFFICER, PRACTICE_PROPOSED, PRACTICE_DECLINE).allowed);
    assert_string_equal(practice_review_decide(&OFFICER, PRACTICE_PUBLISHED,
                                               PRACTICE_PUBLISH).code, "not_proposed");
    assert_string_equal(practice_review_decide(&OFFICER, PRACTICE_DECLINED,
                                               PRACTICE_DECLINE).code, "not_proposed");
    assert_true(practice_review_decide(&SUPERVISOR, PRACTICE_PUBLISHED,
                                       PRACTICE_WITHDRAW).allowed);
    assert_string_equal(practice_review_decide(&OFFICER, PRACTICE_PROPOSED,
                                               PRACTICE_WITHDRAW).code, "not_published");
    assert_true(practice_review_decide(&PRINCIPAL, PRACTICE_PROPOSED,
                                       PRACTICE_PUBLISH).forbidden);
    assert_true(practice_edit_decide(&OFFICER, PRACTICE_PROPOSED).allowed);
    assert_true(practice_edit_decide(&OFFICER, PRACTICE_PUBLISHED).allowed);
    assert_string_equal(practice_edit_decide(&OFFICER, PRACTICE_WITHDRAWN).code,
                        "practice_closed");
    assert_string_equal(practice_edit_decide(&OFFICER, PRACTICE_DECLINED).code,
                        "practice_closed");
    assert_true(practice_edit_decide(&LEADER, PRACTICE_PUBLISHED).forbidden);
}

static void who_reads_what(void **state)
{
    (void)state;
    assert_true(practice_readable(&PRINCIPAL, PRACTICE_PUBLISHED, 99));
    assert_true(practice_readable(&LEADER, PRACTICE_PUBLISHED, 99));
    assert_true(practice_readable(&PRINCIPAL, PRACTICE_PROPOSED, 1));
    assert_false(practice_readable(&PRINCIPAL, PRACTICE_PROPOSED, 99));
    assert_false(practice_readable(&UNBOUND, PRACTICE_PROPOSED, 0));
    assert_false(practice_readable(&LEADER, PRACTICE_PROPOSED, 1));
    assert_false(practice_readable(&PRINCIPAL, PRACTICE_WITHDRAWN, 99));
    assert_true(practice_readable(&ADMIN, PRACTICE_DECLINED, 99));
    assert_true(practice_readable(&OFFICER, PRACTICE_WITHDRAWN, 99));
    assert_false(practice_readable(NULL, PRACTICE_PUBLISHED, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_go_both_ways),
        cmocka_unit_test(publishing_from_an_issue),
        cmocka_unit_test(proposing_and_reviewing),
        cmocka_unit_test(which_review_fits),
        cmocka_unit_test(who_reads_what),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
