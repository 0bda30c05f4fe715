/* test_access.c -- the "Who sees what" table of docs/api.md as a matrix: every role
 * against an issue of the own school, another school of the cluster, another cluster,
 * each in the own and another division. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/access.h"

enum { SCHOOL = 1, SCHOOL_SAME_CLUSTER = 2, SCHOOL_OTHER_CLUSTER = 3 };
enum { CLUSTER = 10, CLUSTER_OTHER = 20 };
enum { DIVISION = 100, DIVISION_OTHER = 200 };

/* One actor per role, each bound the way the schema binds it. */
static const struct actor ACTORS[ROLE_COUNT] = {
    [ROLE_PRINCIPAL]      = { 1, ROLE_PRINCIPAL, SCHOOL, 0, 0 },
    [ROLE_CLUSTER_LEADER] = { 2, ROLE_CLUSTER_LEADER, 0, CLUSTER, 0 },
    [ROLE_OFFICER]        = { 3, ROLE_OFFICER, 0, 0, DIVISION },
    [ROLE_SUPERVISOR]     = { 4, ROLE_SUPERVISOR, 0, 0, 0 },
    [ROLE_ADMIN]          = { 5, ROLE_ADMIN, 0, 0, 0 },
};

/* The six issue scopes, in the column order of the expectation strings below. */
#define NSCOPES 6
static const struct issue_scope SCOPES[NSCOPES] = {
    { SCHOOL, CLUSTER, DIVISION },                           /* own school, own division */
    { SCHOOL, CLUSTER, DIVISION_OTHER },                     /* own school, other division */
    { SCHOOL_SAME_CLUSTER, CLUSTER, DIVISION },              /* same cluster, own division */
    { SCHOOL_SAME_CLUSTER, CLUSTER, DIVISION_OTHER },
    { SCHOOL_OTHER_CLUSTER, CLUSTER_OTHER, DIVISION },       /* other cluster */
    { SCHOOL_OTHER_CLUSTER, CLUSTER_OTHER, DIVISION_OTHER },
};

enum op { OP_READ, OP_COMMENT_PUBLIC, OP_COMMENT_INTERNAL, OP_MODIFY, OP_ACT, OP_ATTACH,
          OP_COUNT };
static const char *const OP_NAMES[OP_COUNT] = {
    "read", "comment public", "comment internal", "modify", "act", "attach",
};

/* O = ACCESS_OK, H = ACCESS_HIDDEN (404), F = ACCESS_FORBIDDEN (403); one letter per
 * scope above. Written from docs/api.md, not from access.c. */
static const char *const EXPECT[ROLE_COUNT][OP_COUNT] = {
    [ROLE_PRINCIPAL] = {
        [OP_READ]             = "OOHHHH",
        [OP_COMMENT_PUBLIC]   = "OOHHHH",
        [OP_COMMENT_INTERNAL] = "FFHHHH",
        [OP_MODIFY]           = "FFHHHH",
        [OP_ACT]              = "OOHHHH",
        [OP_ATTACH]           = "OOHHHH",
    },
    [ROLE_CLUSTER_LEADER] = {
        [OP_READ]             = "OOOOHH",
        [OP_COMMENT_PUBLIC]   = "OOOOHH",
        [OP_COMMENT_INTERNAL] = "FFFFHH",
        [OP_MODIFY]           = "FFFFHH",
        [OP_ACT]              = "FFFFHH",
        [OP_ATTACH]           = "FFFFHH",
    },
    [ROLE_OFFICER] = {
        [OP_READ]             = "OOOOOO",
        [OP_COMMENT_PUBLIC]   = "OOOOOO",
        [OP_COMMENT_INTERNAL] = "OOOOOO",
        [OP_MODIFY]           = "OFOFOF",
        [OP_ACT]              = "OFOFOF",
        [OP_ATTACH]           = "OFOFOF",
    },
    [ROLE_SUPERVISOR] = {
        [OP_READ]             = "OOOOOO",
        [OP_COMMENT_PUBLIC]   = "OOOOOO",
        [OP_COMMENT_INTERNAL] = "OOOOOO",
        [OP_MODIFY]           = "OOOOOO",
        [OP_ACT]              = "OOOOOO",
        [OP_ATTACH]           = "OOOOOO",
    },
    [ROLE_ADMIN] = {
        [OP_READ]             = "OOOOOO",
        [OP_COMMENT_PUBLIC]   = "OOOOOO",
        [OP_COMMENT_INTERNAL] = "OOOOOO",
        [OP_MODIFY]           = "FFFFFF",
        [OP_ACT]              = "FFFFFF",
        [OP_ATTACH]           = "FFFFFF",
    },
};

static enum access_verdict run(enum op op, const struct actor *a, const struct issue_scope *s)
{
    switch (op) {
    case OP_READ: return access_read(a, s);
    case OP_COMMENT_PUBLIC: return access_comment(a, s, false);
    case OP_COMMENT_INTERNAL: return access_comment(a, s, true);
    case OP_MODIFY: return access_modify(a, s);
    case OP_ACT: return access_act(a, s);
    case OP_ATTACH: return access_attach(a, s);
    default: fail_msg("unknown op %d", (int)op);
    }
    return ACCESS_HIDDEN;
}

static char letter(enum access_verdict v)
{
    return v == ACCESS_OK ? 'O' : v == ACCESS_HIDDEN ? 'H' : v == ACCESS_FORBIDDEN ? 'F' : '?';
}

/* One cmocka test per role: 5 operations x 6 scopes. */
static void check_role(void **state)
{
    enum role r = (enum role)(intptr_t)*state;
    for (int op = 0; op < OP_COUNT; op++) {
        char got[NSCOPES + 1] = { 0 };
        for (int i = 0; i < NSCOPES; i++)
            got[i] = letter(run((enum op)op, &ACTORS[r], &SCOPES[i]));
        if (strcmp(got, EXPECT[r][op]) != 0)
            fail_msg("%s, %s: got %s, want %s", role_name(r), OP_NAMES[op], got,
                     EXPECT[r][op]);
    }
}

/* Filing and list cuts, per role: file? school cut, cluster cut, sees internal. */
static void file_and_list_cuts(void **state)
{
    (void)state;
    static const struct {
        bool file;
        int school_cut, cluster_cut;
        bool internal;
    } want[ROLE_COUNT] = {
        [ROLE_PRINCIPAL]      = { true,  SCHOOL, 0,       false },
        [ROLE_CLUSTER_LEADER] = { false, 0,      CLUSTER, false },
        [ROLE_OFFICER]        = { false, 0,      0,       true },
        [ROLE_SUPERVISOR]     = { false, 0,      0,       true },
        [ROLE_ADMIN]          = { false, 0,      0,       true },
    };
    for (int r = 0; r < ROLE_COUNT; r++) {
        assert_int_equal(access_can_file(&ACTORS[r]), want[r].file);
        assert_int_equal(access_list_school(&ACTORS[r]), want[r].school_cut);
        assert_int_equal(access_list_cluster(&ACTORS[r]), want[r].cluster_cut);
        assert_int_equal(access_sees_internal(&ACTORS[r]), want[r].internal);
    }
}

/* An actor whose binding is missing (id 0) must see nothing, not everything. */
static void unbound_actors_see_nothing(void **state)
{
    (void)state;
    struct actor principal = { 9, ROLE_PRINCIPAL, 0, 0, 0 };
    struct actor leader = { 9, ROLE_CLUSTER_LEADER, 0, 0, 0 };
    struct actor officer = { 9, ROLE_OFFICER, 0, 0, 0 };
    struct issue_scope zero = { 0, 0, 0 };
    for (int i = 0; i < NSCOPES; i++) {
        assert_int_equal(access_read(&principal, &SCOPES[i]), ACCESS_HIDDEN);
        assert_int_equal(access_act(&principal, &SCOPES[i]), ACCESS_HIDDEN);
        assert_int_equal(access_attach(&principal, &SCOPES[i]), ACCESS_HIDDEN);
        assert_int_equal(access_attach(&officer, &SCOPES[i]), ACCESS_FORBIDDEN);
        assert_int_equal(access_read(&leader, &SCOPES[i]), ACCESS_HIDDEN);
        assert_int_equal(access_modify(&officer, &SCOPES[i]), ACCESS_FORBIDDEN);
    }
    assert_int_equal(access_read(&principal, &zero), ACCESS_HIDDEN);
    assert_int_equal(access_read(&leader, &zero), ACCESS_HIDDEN);
    assert_int_equal(access_modify(&officer, &zero), ACCESS_FORBIDDEN);
    assert_false(access_can_file(&principal));
    assert_int_equal(access_list_school(&principal), -1);
    assert_int_equal(access_list_cluster(&leader), -1);
}

static void null_actor_or_scope_is_hidden(void **state)
{
    (void)state;
    assert_int_equal(access_read(NULL, &SCOPES[0]), ACCESS_HIDDEN);
    assert_int_equal(access_read(&ACTORS[ROLE_SUPERVISOR], NULL), ACCESS_HIDDEN);
    assert_int_equal(access_comment(NULL, &SCOPES[0], false), ACCESS_HIDDEN);
    assert_int_equal(access_modify(NULL, &SCOPES[0]), ACCESS_HIDDEN);
    assert_int_equal(access_act(&ACTORS[ROLE_SUPERVISOR], NULL), ACCESS_HIDDEN);
    assert_int_equal(access_attach(NULL, &SCOPES[0]), ACCESS_HIDDEN);
    assert_int_equal(access_attach(&ACTORS[ROLE_SUPERVISOR], NULL), ACCESS_HIDDEN);
    assert_false(access_can_file(NULL));
    assert_false(access_sees_internal(NULL));
    assert_int_equal(access_list_school(NULL), -1);
    assert_int_equal(access_list_cluster(NULL), -1);
}

/* A role value outside the enum gets nothing. */
static void unknown_role_sees_nothing(void **state)
{
    (void)state;
    struct actor odd = { 9, ROLE_COUNT, SCHOOL, CLUSTER, DIVISION };
    assert_int_equal(access_read(&odd, &SCOPES[0]), ACCESS_HIDDEN);
    assert_int_equal(access_comment(&odd, &SCOPES[0], false), ACCESS_HIDDEN);
    assert_int_equal(access_modify(&odd, &SCOPES[0]), ACCESS_HIDDEN);
    assert_int_equal(access_act(&odd, &SCOPES[0]), ACCESS_HIDDEN);
    assert_int_equal(access_attach(&odd, &SCOPES[0]), ACCESS_HIDDEN);
    assert_false(access_can_file(&odd));
    assert_false(access_sees_internal(&odd));
}

#define PER_ROLE(r) { "matrix_" #r, check_role, NULL, NULL, (void *)(intptr_t)(r) }

int main(void)
{
    const struct CMUnitTest tests[] = {
        PER_ROLE(ROLE_PRINCIPAL),
        PER_ROLE(ROLE_CLUSTER_LEADER),
        PER_ROLE(ROLE_OFFICER),
        PER_ROLE(ROLE_SUPERVISOR),
        PER_ROLE(ROLE_ADMIN),
        cmocka_unit_test(file_and_list_cuts),
        cmocka_unit_test(unbound_actors_see_nothing),
        cmocka_unit_test(null_actor_or_scope_is_hidden),
        cmocka_unit_test(unknown_role_sees_nothing),
    };
    return cmocka_run_group_tests_name("access", tests, NULL, NULL);
}
