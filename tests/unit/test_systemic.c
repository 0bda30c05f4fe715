/* test_systemic.c -- every branch of domain/systemic.c: linking an issue under another
 * (itself, one level deep, one parent at a time, the parent open, the child not finished,
 * already linked there) and letting it go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/systemic.h"

static const struct systemic_facts PARENT = {.id = 10, .status = STATUS_IN_PROGRESS};
static const struct systemic_facts CHILD = {.id = 20, .status = STATUS_NEW};

static void refused(struct systemic_verdict v, const char *code, bool field_error)
{
    assert_false(v.allowed);
    assert_string_equal(v.code, code);
    assert_int_equal(v.field_error, field_error);
    assert_non_null(v.reason);
}

static void a_plain_pair_links(void **state)
{
    (void)state;
    struct systemic_verdict v = systemic_link_decide(&PARENT, &CHILD);
    assert_true(v.allowed);
    assert_false(v.unchanged);
}

static void an_issue_is_not_its_own_child(void **state)
{
    (void)state;
    refused(systemic_link_decide(&PARENT, &PARENT), "self_link", true);
}

static void linking_again_changes_nothing(void **state)
{
    (void)state;
    struct systemic_facts child = CHILD;
    child.parent_id = PARENT.id;
    struct systemic_verdict v = systemic_link_decide(&PARENT, &child);
    assert_true(v.allowed);
    assert_true(v.unchanged);
}

static void one_level_deep(void **state)
{
    (void)state;
    struct systemic_facts parent = PARENT, child = CHILD;
    parent.parent_id = 5;
    refused(systemic_link_decide(&parent, &CHILD), "parent_is_child", false);
    child.child_count = 2;
    refused(systemic_link_decide(&PARENT, &child), "child_is_parent", false);
}

static void one_parent_at_a_time(void **state)
{
    (void)state;
    struct systemic_facts child = CHILD;
    child.parent_id = 99;
    refused(systemic_link_decide(&PARENT, &child), "linked_elsewhere", false);
}

static void the_parent_must_be_open(void **state)
{
    (void)state;
    for (int st = 0; st < STATUS_COUNT; st++) {
        struct systemic_facts parent = PARENT;
        parent.status = (enum status)st;
        struct systemic_verdict v = systemic_link_decide(&parent, &CHILD);
        if (status_is_open(parent.status))
            assert_true(v.allowed);
        else
            refused(v, "parent_finished", false);
    }
}

static void the_child_may_be_open_or_resolved(void **state)
{
    (void)state;
    for (int st = 0; st < STATUS_COUNT; st++) {
        struct systemic_facts child = CHILD;
        child.status = (enum status)st;
        struct systemic_verdict v = systemic_link_decide(&PARENT, &child);
        if (status_is_open(child.status) || child.status == STATUS_RESOLVED)
            assert_true(v.allowed);
        else
            refused(v, "child_finished", false);
    }
}

static void unlinking_needs_the_link(void **state)
{
    (void)state;
    struct systemic_facts child = CHILD;
    refused(systemic_unlink_decide(&PARENT, &child), "not_linked", false);
    child.parent_id = 99;
    refused(systemic_unlink_decide(&PARENT, &child), "not_linked", false);
    child.parent_id = PARENT.id;
    child.status = STATUS_CLOSED;
    struct systemic_verdict v = systemic_unlink_decide(&PARENT, &child);
    assert_true(v.allowed);
    assert_false(v.unchanged);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_plain_pair_links),
        cmocka_unit_test(an_issue_is_not_its_own_child),
        cmocka_unit_test(linking_again_changes_nothing),
        cmocka_unit_test(one_level_deep),
        cmocka_unit_test(one_parent_at_a_time),
        cmocka_unit_test(the_parent_must_be_open),
        cmocka_unit_test(the_child_may_be_open_or_resolved),
        cmocka_unit_test(unlinking_needs_the_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
