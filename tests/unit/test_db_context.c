/* test_db_context.c -- what each role's transactions carry for row-level security: a
 * principal its school only (never its school's cluster), a cluster leader its cluster,
 * staff every issue and the internal notes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "db/db_context.h"

static void principal_reaches_its_school_not_its_cluster(void **state)
{
    (void)state;
    struct actor a = {.user_id = 7, .role = ROLE_PRINCIPAL, .school_id = 31, .cluster_id = 4};
    struct db_context c = db_context_of_actor(&a);
    assert_string_equal(c.name, "principal");
    assert_int_equal(c.user_id, 7);
    assert_int_equal(c.school_id, 31);
    assert_int_equal(c.cluster_id, 0);
    assert_false(c.reads_all || c.writes_all || c.sees_internal);
}

static void cluster_leader_reaches_its_cluster(void **state)
{
    (void)state;
    struct actor a = {.user_id = 8, .role = ROLE_CLUSTER_LEADER, .cluster_id = 4};
    struct db_context c = db_context_of_actor(&a);
    assert_string_equal(c.name, "cluster_leader");
    assert_int_equal(c.school_id, 0);
    assert_int_equal(c.cluster_id, 4);
    assert_false(c.reads_all || c.writes_all || c.sees_internal);
}

static void staff_reach_every_issue(void **state)
{
    (void)state;
    enum role staff[] = {ROLE_OFFICER, ROLE_SUPERVISOR, ROLE_ADMIN};
    for (size_t i = 0; i < sizeof staff / sizeof *staff; i++) {
        struct actor a = {.user_id = 9, .role = staff[i], .division_id = 2};
        struct db_context c = db_context_of_actor(&a);
        assert_true(c.reads_all && c.writes_all && c.sees_internal);
        assert_int_equal(c.cluster_id, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(principal_reaches_its_school_not_its_cluster),
        cmocka_unit_test(cluster_leader_reaches_its_cluster),
        cmocka_unit_test(staff_reach_every_issue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
