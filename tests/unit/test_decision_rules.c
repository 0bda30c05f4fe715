/* test_decision_rules.c -- every branch of domain/decision_rules.c: how a meeting's
 * decision stands at an instant, who records and who changes one, and which acts fit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/civil_date.h"
#include "domain/decision_rules.h"

/* Ha Tinh is UTC+07:00: 2026-12-20 ends at 2026-12-20T17:00:00Z. */
static int day(const char *text)
{
    int days = 0;
    assert_true(civil_date_parse(text, &days));
    return days;
}

static const int64_t DEC_20_END = 1797786000;   /* 2026-12-21T00:00:00+07:00 */

static void the_due_day_ends_at_midnight_in_ha_tinh(void **state)
{
    (void)state;
    assert_int_equal(decision_due_end(day("2026-12-20")), DEC_20_END);
}

static void how_a_decision_stands(void **state)
{
    (void)state;
    int due = day("2026-12-20");
    assert_int_equal(decision_state_at(false, 0, due, DEC_20_END - 1), DECISION_OPEN);
    assert_int_equal(decision_state_at(false, 0, due, DEC_20_END), DECISION_OVERDUE);
    assert_int_equal(decision_state_at(true, DEC_20_END - 1, due, DEC_20_END + 99),
                     DECISION_DONE_ON_TIME);
    assert_int_equal(decision_state_at(true, DEC_20_END, due, DEC_20_END + 99),
                     DECISION_DONE_LATE);
    assert_string_equal(decision_state_name(DECISION_OPEN), "open");
    assert_string_equal(decision_state_name(DECISION_OVERDUE), "overdue");
    assert_string_equal(decision_state_name(DECISION_DONE_ON_TIME), "done_on_time");
    assert_string_equal(decision_state_name(DECISION_DONE_LATE), "done_late");
    assert_string_equal(decision_state_name(DECISION_STATE_COUNT), "?");
}

static void officers_and_supervisors_record(void **state)
{
    (void)state;
    struct actor officer = {.user_id = 5, .role = ROLE_OFFICER, .division_id = 2};
    struct actor supervisor = {.user_id = 6, .role = ROLE_SUPERVISOR};
    struct actor admin = {.user_id = 7, .role = ROLE_ADMIN};
    struct actor principal = {.user_id = 8, .role = ROLE_PRINCIPAL, .school_id = 1};
    struct actor leader = {.user_id = 9, .role = ROLE_CLUSTER_LEADER, .cluster_id = 1};
    assert_true(decision_may_record(&officer));
    assert_true(decision_may_record(&supervisor));
    assert_false(decision_may_record(&admin));
    assert_false(decision_may_record(&principal));
    assert_false(decision_may_record(NULL));
    assert_true(decision_reads_all(&admin));
    assert_true(decision_reads_all(&officer));
    assert_false(decision_reads_all(&principal));
    assert_false(decision_reads_all(&leader));
    assert_false(decision_reads_all(NULL));
}

static void who_changes_a_decision(void **state)
{
    (void)state;
    struct decision_facts d = {.division_id = 2, .recorded_by = 40};
    struct actor own = {.user_id = 5, .role = ROLE_OFFICER, .division_id = 2};
    struct actor other = {.user_id = 6, .role = ROLE_OFFICER, .division_id = 3};
    struct actor recorder = {.user_id = 40, .role = ROLE_OFFICER, .division_id = 3};
    struct actor unbound = {.user_id = 41, .role = ROLE_OFFICER};
    struct actor supervisor = {.user_id = 7, .role = ROLE_SUPERVISOR};
    struct actor admin = {.user_id = 40, .role = ROLE_ADMIN};
    struct actor principal = {.user_id = 40, .role = ROLE_PRINCIPAL, .school_id = 1};
    struct decision_facts unassigned = {.division_id = 0, .recorded_by = 1};
    assert_true(decision_may_change(&own, &d));
    assert_false(decision_may_change(&other, &d));
    assert_true(decision_may_change(&recorder, &d));
    assert_false(decision_may_change(&unbound, &unassigned));
    assert_true(decision_may_change(&supervisor, &d));
    assert_false(decision_may_change(&admin, &d));
    assert_false(decision_may_change(&principal, &d));
    assert_false(decision_may_change(NULL, &d));
    assert_false(decision_may_change(&own, NULL));
}

static void which_acts_fit(void **state)
{
    (void)state;
    struct decision_facts open = {.done = false}, done = {.done = true};
    assert_true(decision_act_decide(&open, DECISION_ACT_CHANGE).allowed);
    assert_true(decision_act_decide(&open, DECISION_ACT_DONE).allowed);
    assert_string_equal(decision_act_decide(&open, DECISION_ACT_REOPEN).code, "not_done");
    assert_string_equal(decision_act_decide(&done, DECISION_ACT_CHANGE).code, "decision_done");
    assert_string_equal(decision_act_decide(&done, DECISION_ACT_DONE).code, "already_done");
    assert_true(decision_act_decide(&done, DECISION_ACT_REOPEN).allowed);
}

static void due_on_or_after_the_meeting(void **state)
{
    (void)state;
    assert_true(decision_due_allowed(day("2026-12-05"), day("2026-12-05")));
    assert_true(decision_due_allowed(day("2026-12-05"), day("2027-01-05")));
    assert_false(decision_due_allowed(day("2026-12-05"), day("2026-12-04")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_due_day_ends_at_midnight_in_ha_tinh),
        cmocka_unit_test(how_a_decision_stands),
        cmocka_unit_test(officers_and_supervisors_record),
        cmocka_unit_test(who_changes_a_decision),
        cmocka_unit_test(which_acts_fit),
        cmocka_unit_test(due_on_or_after_the_meeting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
