/* test_types.c -- the domain enums' names round-trip, unknown names are refused, and
 * the open-status and staff-role questions answer as docs/api.md says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/types.h"

/* The wire names, written out from docs/api.md and the schema's CHECKs. */
static const char *const ROLES[ROLE_COUNT] = {
    "principal", "cluster_leader", "officer", "supervisor", "admin",
};
static const char *const STATUSES[STATUS_COUNT] = {
    "new", "triaged", "in_progress", "awaiting_school",
    "resolved", "closed", "declined", "duplicate",
};
static const char *const PRIORITIES[PRIORITY_COUNT] = { "low", "normal", "high", "urgent" };
static const char *const ACTIONS[ACTION_COUNT] = {
    "triage", "start", "request_info", "answer_info", "resolve",
    "confirm", "reopen", "decline", "mark_duplicate", "escalate",
};

static void role_names(void **state)
{
    (void)state;
    for (int i = 0; i < ROLE_COUNT; i++) {
        enum role r = ROLE_COUNT;
        assert_string_equal(role_name((enum role)i), ROLES[i]);
        assert_true(role_parse(ROLES[i], &r));
        assert_int_equal(r, i);
    }
}

static void status_names(void **state)
{
    (void)state;
    for (int i = 0; i < STATUS_COUNT; i++) {
        enum status s = STATUS_COUNT;
        assert_string_equal(status_name((enum status)i), STATUSES[i]);
        assert_true(status_parse(STATUSES[i], &s));
        assert_int_equal(s, i);
    }
}

static void priority_names(void **state)
{
    (void)state;
    for (int i = 0; i < PRIORITY_COUNT; i++) {
        enum priority p = PRIORITY_COUNT;
        assert_string_equal(priority_name((enum priority)i), PRIORITIES[i]);
        assert_true(priority_parse(PRIORITIES[i], &p));
        assert_int_equal(p, i);
    }
}

static void action_names(void **state)
{
    (void)state;
    for (int i = 0; i < ACTION_COUNT; i++) {
        enum action a = ACTION_COUNT;
        assert_string_equal(action_name((enum action)i), ACTIONS[i]);
        assert_true(action_parse(ACTIONS[i], &a));
        assert_int_equal(a, i);
    }
}

/* Unknown, differently cased, padded, empty and NULL names never match, and leave the
 * output alone. */
static void unknown_names_are_refused(void **state)
{
    (void)state;
    const char *bad[] = { "", "Principal", "PRINCIPAL", " principal", "principal ",
                          "in progress", "in-progress", "prin", "principals", "clusterleader",
                          "Low", "URGENT", "Triage", "mark-duplicate", "unknown" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum role r = ROLE_ADMIN;
        enum status s = STATUS_CLOSED;
        enum priority p = PRIORITY_URGENT;
        enum action a = ACTION_ESCALATE;
        assert_false(role_parse(bad[i], &r));
        assert_false(status_parse(bad[i], &s));
        assert_false(priority_parse(bad[i], &p));
        assert_false(action_parse(bad[i], &a));
        assert_int_equal(r, ROLE_ADMIN);
        assert_int_equal(s, STATUS_CLOSED);
        assert_int_equal(p, PRIORITY_URGENT);
        assert_int_equal(a, ACTION_ESCALATE);
    }
    enum role r;
    enum status s;
    enum priority p;
    enum action a;
    assert_false(role_parse(NULL, &r));
    assert_false(status_parse(NULL, &s));
    assert_false(priority_parse(NULL, &p));
    assert_false(action_parse(NULL, &a));
    /* A name of one enum is not a name of another. */
    assert_false(status_parse("triage", &s));
    assert_false(action_parse("triaged", &a));
}

/* Out-of-range values print as something, never NULL. */
static void out_of_range_names(void **state)
{
    (void)state;
    assert_non_null(role_name(ROLE_COUNT));
    assert_non_null(status_name(STATUS_COUNT));
    assert_non_null(priority_name(PRIORITY_COUNT));
    assert_non_null(action_name(ACTION_COUNT));
    assert_string_equal(status_name((enum status)-1), "unknown");
}

static void open_statuses(void **state)
{
    (void)state;
    static const bool open[STATUS_COUNT] = {
        [STATUS_NEW] = true, [STATUS_TRIAGED] = true, [STATUS_IN_PROGRESS] = true,
        [STATUS_AWAITING_SCHOOL] = true,
    };
    for (int i = 0; i < STATUS_COUNT; i++)
        assert_int_equal(status_is_open((enum status)i), open[i]);
    assert_false(status_is_open(STATUS_COUNT));
}

static void staff_roles(void **state)
{
    (void)state;
    static const bool staff[ROLE_COUNT] = {
        [ROLE_OFFICER] = true, [ROLE_SUPERVISOR] = true, [ROLE_ADMIN] = true,
    };
    for (int i = 0; i < ROLE_COUNT; i++)
        assert_int_equal(role_is_staff((enum role)i), staff[i]);
    assert_false(role_is_staff(ROLE_COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(role_names),
        cmocka_unit_test(status_names),
        cmocka_unit_test(priority_names),
        cmocka_unit_test(action_names),
        cmocka_unit_test(unknown_names_are_refused),
        cmocka_unit_test(out_of_range_names),
        cmocka_unit_test(open_statuses),
        cmocka_unit_test(staff_roles),
    };
    return cmocka_run_group_tests_name("types", tests, NULL, NULL);
}
