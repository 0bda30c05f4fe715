/* test_access.c -- the "Who sees what" tables of docs/api.md and docs/dialogue.md as a
 * matrix: every role against an issue of the own school, another school of the cluster,
 * another cluster, each in the own and another division; then issues that reach beyond
 * their school: shared, co-signed by the reader's school, both, and the own school's
 * issue shared. */
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

/* The issue scopes, in the column order of the expectation strings below. */
#define NSCOPES 11
static const struct issue_scope SCOPES[NSCOPES] = {
    { SCHOOL, CLUSTER, DIVISION, false, false, false },             /* own school, own division */
    { SCHOOL, CLUSTER, DIVISION_OTHER, false, false, false },       /* own school, other division */
    { SCHOOL_SAME_CLUSTER, CLUSTER, DIVISION, false, false, false },    /* same cluster */
    { SCHOOL_SAME_CLUSTER, CLUSTER, DIVISION_OTHER, false, false, false },
    { SCHOOL_OTHER_CLUSTER, CLUSTER_OTHER, DIVISION, false, false, false },   /* other cluster */
    { SCHOOL_OTHER_CLUSTER, CLUSTER_OTHER, DIVISION_OTHER, false, false, false },
    { SCHOOL_OTHER_CLUSTER, CLUSTER_OTHER, DIVISION, true, false, false },    /* shared */
    { SCHOOL_OTHER_CLUSTER, CLUSTER_OTHER, DIVISION, true, true, false },     /* shared, co-signed */
    { SCHOOL_OTHER_CLUSTER, CLUSTER_OTHER, DIVISION, false, true, false },    /* co-signed, unshared */
    { SCHOOL, CLUSTER, DIVISION, true, false, false },              /* own school's, shared */
    { SCHOOL_OTHER_CLUSTER, CLUSTER_OTHER, DIVISION, false, false, true }, /* parent of ours */
};

enum op { OP_READ, OP_COMMENT_PUBLIC, OP_COMMENT_INTERNAL, OP_MODIFY, OP_ACT, OP_ATTACH,
          OP_SHARE, OP_COSIGN, OP_READ_FILES, OP_LINK, OP_COUNT };
static const char *const OP_NAMES[OP_COUNT] = {
    "read", "comment public", "comment internal", "modify", "act", "attach", "share", "cosign",
    "read files", "link",
};

/* O = ACCESS_OK, H = ACCESS_HIDDEN (404), F = ACCESS_FORBIDDEN (403); one letter per
 * scope above. Written from docs/api.md, not from access.c. */
static const char *const EXPECT[ROLE_COUNT][OP_COUNT] = {
    [ROLE_PRINCIPAL] = {
        [OP_READ]             = "OOHHHHOOOOO",
        [OP_COMMENT_PUBLIC]   = "OOHHHHFOOOF",
        [OP_COMMENT_INTERNAL] = "FFHHHHFFFFF",
        [OP_MODIFY]           = "FFHHHHFFFFF",
        [OP_ACT]              = "OOHHHHFFFOF",
        [OP_ATTACH]           = "OOHHHHFFFOF",
        [OP_SHARE]            = "OOHHHHFFFOF",
        [OP_COSIGN]           = "FFHHHHOOOFO",
        [OP_READ_FILES]       = "OOHHHHFFFOF",
        [OP_LINK]             = "FFHHHHFFFFF",
    },
    [ROLE_CLUSTER_LEADER] = {
        [OP_READ]             = "OOOOHHOOOOO",
        [OP_COMMENT_PUBLIC]   = "OOOOHHFFFOF",
        [OP_COMMENT_INTERNAL] = "FFFFHHFFFFF",
        [OP_MODIFY]           = "FFFFHHFFFFF",
        [OP_ACT]              = "FFFFHHFFFFF",
        [OP_ATTACH]           = "FFFFHHFFFFF",
        [OP_SHARE]            = "FFFFHHFFFFF",
        [OP_COSIGN]           = "FFFFHHFFFFF",
        [OP_READ_FILES]       = "OOOOHHFFFOF",
        [OP_LINK]             = "FFFFHHFFFFF",
    },
    [ROLE_OFFICER] = {
        [OP_READ]             = "OOOOOOOOOOO",
        [OP_COMMENT_PUBLIC]   = "OOOOOOOOOOO",
        [OP_COMMENT_INTERNAL] = "OOOOOOOOOOO",
        [OP_MODIFY]           = "OFOFOFOOOOO",
        [OP_ACT]              = "OFOFOFOOOOO",
        [OP_ATTACH]           = "OFOFOFOOOOO",
        [OP_SHARE]            = "FFFFFFFFFFF",
        [OP_COSIGN]           = "FFFFFFFFFFF",
        [OP_READ_FILES]       = "OOOOOOOOOOO",
        [OP_LINK]             = "OFOFOFOOOOO",
    },
    [ROLE_SUPERVISOR] = {
        [OP_READ]             = "OOOOOOOOOOO",
        [OP_COMMENT_PUBLIC]   = "OOOOOOOOOOO",
        [OP_COMMENT_INTERNAL] = "OOOOOOOOOOO",
        [OP_MODIFY]           = "OOOOOOOOOOO",
        [OP_ACT]              = "OOOOOOOOOOO",
        [OP_ATTACH]           = "OOOOOOOOOOO",
        [OP_SHARE]            = "FFFFFFFFFFF",
        [OP_COSIGN]           = "FFFFFFFFFFF",
        [OP_READ_FILES]       = "OOOOOOOOOOO",
        [OP_LINK]             = "OOOOOOOOOOO",
    },
    [ROLE_ADMIN] = {
        [OP_READ]             = "OOOOOOOOOOO",
        [OP_COMMENT_PUBLIC]   = "OOOOOOOOOOO",
        [OP_COMMENT_INTERNAL] = "OOOOOOOOOOO",
        [OP_MODIFY]           = "FFFFFFFFFFF",
        [OP_ACT]              = "FFFFFFFFFFF",
        [OP_ATTACH]           = "FFFFFFFFFFF",
        [OP_SHARE]            = "FFFFFFFFFFF",
        [OP_COSIGN]           = "FFFFFFFFFFF",
        [OP_READ_FILES]       = "OOOOOOOOOOO",
        [OP_LINK]             = "FFFFFFFFFFF",
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
    case OP_LINK: return access_link(a, s);
    case OP_SHARE: return access_share(a, s);
    case OP_COSIGN: return access_cosign(a, s);
    case OP_READ_FILES: return access_read_files(a, s);
    default: fail_msg("unknown op %d", (int)op);
    }
    return ACCESS_HIDDEN;
}

static char letter(enum access_verdict v)
{
    return v == ACCESS_OK ? 'O' : v == ACCESS_HIDDEN ? 'H' : v == ACCESS_FORBIDDEN ? 'F' : '?';
}

/* One cmocka test per role: every operation x every scope. */
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
    struct issue_scope zero = { 0, 0, 0, false, false, false };
    /* Not even a shared issue: a binding that is missing reaches nothing. */
    for (int i = 0; i < NSCOPES; i++) {
        assert_int_equal(access_read(&principal, &SCOPES[i]), ACCESS_HIDDEN);
        assert_int_equal(access_act(&principal, &SCOPES[i]), ACCESS_HIDDEN);
        assert_int_equal(access_attach(&principal, &SCOPES[i]), ACCESS_HIDDEN);
        assert_int_equal(access_share(&principal, &SCOPES[i]), ACCESS_HIDDEN);
        assert_int_equal(access_cosign(&principal, &SCOPES[i]), ACCESS_HIDDEN);
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
    assert_int_equal(access_share(NULL, &SCOPES[0]), ACCESS_HIDDEN);
    assert_int_equal(access_share(&ACTORS[ROLE_PRINCIPAL], NULL), ACCESS_HIDDEN);
    assert_int_equal(access_cosign(NULL, &SCOPES[6]), ACCESS_HIDDEN);
    assert_int_equal(access_cosign(&ACTORS[ROLE_PRINCIPAL], NULL), ACCESS_HIDDEN);
    assert_int_equal(access_read_files(NULL, &SCOPES[0]), ACCESS_HIDDEN);
    assert_int_equal(access_read_files(&ACTORS[ROLE_PRINCIPAL], NULL), ACCESS_HIDDEN);
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
    assert_int_equal(access_share(&odd, &SCOPES[0]), ACCESS_HIDDEN);
    assert_int_equal(access_cosign(&odd, &SCOPES[6]), ACCESS_HIDDEN);
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
