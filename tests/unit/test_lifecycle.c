/* test_lifecycle.c -- every (status, action, role) triple against the Lifecycle table of
 * docs/api.md, written out again here by hand; plus escalation levels and action flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/lifecycle.h"

#define R(x) (1u << ROLE_##x)
#define S(x) (1u << STATUS_##x)
#define STAFF (R(OFFICER) | R(SUPERVISOR))
#define OPEN (S(NEW) | S(TRIAGED) | S(IN_PROGRESS) | S(AWAITING_SCHOOL))
#define SAME (-1)

/* The Lifecycle table, copied from docs/api.md row by row. Anything not listed is refused. */
static const struct allowed {
    enum action action;
    unsigned roles;
    unsigned from;
    int to;                 /* a status, or SAME */
} ALLOWED[] = {
    { ACTION_TRIAGE,         STAFF,        S(NEW),                      STATUS_TRIAGED },
    { ACTION_START,          STAFF,        S(TRIAGED),                  STATUS_IN_PROGRESS },
    { ACTION_REQUEST_INFO,   STAFF,        S(TRIAGED) | S(IN_PROGRESS), STATUS_AWAITING_SCHOOL },
    { ACTION_ANSWER_INFO,    R(PRINCIPAL), S(AWAITING_SCHOOL),          STATUS_IN_PROGRESS },
    { ACTION_RESOLVE,        STAFF,        S(TRIAGED) | S(IN_PROGRESS), STATUS_RESOLVED },
    { ACTION_CONFIRM,        R(PRINCIPAL), S(RESOLVED),                 STATUS_CLOSED },
    { ACTION_REOPEN,         R(PRINCIPAL), S(RESOLVED),                 STATUS_IN_PROGRESS },
    { ACTION_DECLINE,        STAFF,        OPEN,                        STATUS_DECLINED },
    { ACTION_MARK_DUPLICATE, STAFF,        OPEN,                        STATUS_DUPLICATE },
    { ACTION_ESCALATE,       STAFF,        OPEN,                        SAME },
};

/* Which roles may take each action at all (the "who" column), for the refusal order. */
static unsigned roles_for(enum action a)
{
    for (size_t i = 0; i < sizeof ALLOWED / sizeof ALLOWED[0]; i++)
        if (ALLOWED[i].action == a)
            return ALLOWED[i].roles;
    return 0;
}

/* Expected outcome: true and *next set when the table allows the triple. */
static bool expected(enum status st, enum action a, enum role r, enum status *next)
{
    for (size_t i = 0; i < sizeof ALLOWED / sizeof ALLOWED[0]; i++) {
        const struct allowed *e = &ALLOWED[i];
        if (e->action != a || !(e->roles & (1u << r)) || !(e->from & (1u << st)))
            continue;
        *next = e->to == SAME ? st : (enum status)e->to;
        return true;
    }
    return false;
}

/* One cmocka test per action, each checking its 8 statuses x 5 roles. */
static void check_action(void **state)
{
    enum action a = (enum action)(intptr_t)*state;
    int checked = 0;
    for (int st = 0; st < STATUS_COUNT; st++) {
        for (int r = 0; r < ROLE_COUNT; r++) {
            enum status want_next = STATUS_NEW;
            bool want = expected((enum status)st, a, (enum role)r, &want_next);
            struct transition t = lifecycle_decide((enum status)st, a, (enum role)r, 0);
            char where[96];
            snprintf(where, sizeof where, "action %d status %d role %d", (int)a, st, r);
            if (t.allowed != want)
                fail_msg("%s: allowed=%d, want %d", where, t.allowed, want);
            checked++;
            if (want) {
                assert_int_equal(t.next, want_next);
                continue;
            }
            if (t.reason == NULL || t.reason[0] == '\0')
                fail_msg("%s: refused without a reason", where);
            /* Role first: a role that can never do this hears who can ("Only ..."). */
            bool role_ok = (roles_for(a) & (1u << r)) != 0;
            if (!role_ok && strncmp(t.reason, "Only ", 5) != 0)
                fail_msg("%s: role refusal should say who can: %s", where, t.reason);
            if (role_ok && strncmp(t.reason, "An issue that is ", 17) != 0)
                fail_msg("%s: status refusal should name the status: %s", where, t.reason);
            /* The machine code says the same, for a client that speaks another language. */
            const char *want_code = role_ok ? "wrong_status" : "role_may_not";
            if (t.code == NULL || strcmp(t.code, want_code) != 0)
                fail_msg("%s: code %s, want %s", where, t.code ? t.code : "(null)", want_code);
        }
    }
    assert_int_equal(checked, STATUS_COUNT * ROLE_COUNT);
}

/* The table itself: 10 actions, each listed once, so 400 triples are really covered. */
static void table_covers_every_action(void **state)
{
    (void)state;
    assert_int_equal(sizeof ALLOWED / sizeof ALLOWED[0], ACTION_COUNT);
    for (int a = 0; a < ACTION_COUNT; a++)
        assert_true(roles_for((enum action)a) != 0);
}

static void cluster_leader_and_admin_take_no_action(void **state)
{
    (void)state;
    for (int a = 0; a < ACTION_COUNT; a++) {
        for (int st = 0; st < STATUS_COUNT; st++) {
            assert_false(lifecycle_decide(st, a, ROLE_CLUSTER_LEADER, 0).allowed);
            assert_false(lifecycle_decide(st, a, ROLE_ADMIN, 0).allowed);
        }
    }
}

static void reasons_read_as_sentences(void **state)
{
    (void)state;
    assert_string_equal(lifecycle_decide(STATUS_RESOLVED, ACTION_CONFIRM, ROLE_OFFICER, 0).reason,
                        "Only a principal can confirm a resolution.");
    const char *closed = lifecycle_decide(STATUS_CLOSED, ACTION_TRIAGE, ROLE_OFFICER, 0).reason;
    assert_non_null(strstr(closed, "An issue that is closed cannot be triaged"));
    const char *lead = lifecycle_decide(STATUS_NEW, ACTION_TRIAGE, ROLE_CLUSTER_LEADER, 0).reason;
    assert_non_null(strstr(lead, "officer"));
    const char *staff = lifecycle_decide(STATUS_AWAITING_SCHOOL, ACTION_ANSWER_INFO,
                                         ROLE_SUPERVISOR, 0).reason;
    assert_non_null(strstr(staff, "principal"));
    /* Every refusal is a sentence: capital first, full stop last. */
    for (int a = 0; a < ACTION_COUNT; a++) {
        for (int st = 0; st < STATUS_COUNT; st++) {
            for (int r = 0; r < ROLE_COUNT; r++) {
                struct transition t = lifecycle_decide(st, a, r, 2);
                if (t.allowed)
                    continue;
                size_t n = strlen(t.reason);
                assert_true(n > 10);
                assert_true(t.reason[0] >= 'A' && t.reason[0] <= 'Z');
                assert_int_equal(t.reason[n - 1], '.');
            }
        }
    }
}

static void escalation_stops_at_level_two(void **state)
{
    (void)state;
    for (int st = 0; st < STATUS_COUNT; st++) {
        bool open = (OPEN & (1u << st)) != 0;
        for (int level = 0; level <= 2; level++) {
            struct transition t = lifecycle_decide(st, ACTION_ESCALATE, ROLE_SUPERVISOR, level);
            assert_int_equal(t.allowed, open && level < 2);
            if (t.allowed)
                assert_int_equal(t.next, st);     /* escalation keeps the status */
        }
    }
    struct transition top = lifecycle_decide(STATUS_IN_PROGRESS, ACTION_ESCALATE, ROLE_OFFICER, 2);
    assert_false(top.allowed);
    assert_string_equal(top.reason, "This issue is already at the highest escalation level.");
    assert_string_equal(top.code, "escalation_max");
    /* Role and status come before the level. */
    struct transition lead = lifecycle_decide(STATUS_NEW, ACTION_ESCALATE, ROLE_ADMIN, 2);
    assert_non_null(strstr(lead.reason, "Only "));
    struct transition closed = lifecycle_decide(STATUS_CLOSED, ACTION_ESCALATE, ROLE_OFFICER, 2);
    assert_non_null(strstr(closed.reason, "closed"));
    /* The level only matters for escalate. */
    assert_true(lifecycle_decide(STATUS_NEW, ACTION_TRIAGE, ROLE_OFFICER, 2).allowed);
}

/* Flags per action, from the "note" column and the first-response rule of docs/api.md. */
static const struct flags {
    enum action action;
    bool note, dup, reopen, escalation, first_response;
} FLAGS[] = {
    { ACTION_TRIAGE,         false, false, false, false, false },
    { ACTION_START,          false, false, false, false, false },
    { ACTION_REQUEST_INFO,   true,  false, false, false, true  },
    { ACTION_ANSWER_INFO,    true,  false, false, false, false },
    { ACTION_RESOLVE,        true,  false, false, false, true  },
    { ACTION_CONFIRM,        false, false, false, false, false },
    { ACTION_REOPEN,         true,  false, true,  false, false },
    { ACTION_DECLINE,        true,  false, false, false, true  },
    { ACTION_MARK_DUPLICATE, false, true,  false, false, false },
    { ACTION_ESCALATE,       false, false, false, true,  false },
};

static void flags_per_action(void **state)
{
    (void)state;
    assert_int_equal(sizeof FLAGS / sizeof FLAGS[0], ACTION_COUNT);
    for (size_t i = 0; i < sizeof FLAGS / sizeof FLAGS[0]; i++) {
        const struct flags *f = &FLAGS[i];
        /* The flags describe the action, whoever asks and from wherever. */
        for (int st = 0; st < STATUS_COUNT; st++) {
            for (int r = 0; r < ROLE_COUNT; r++) {
                struct transition t = lifecycle_decide(st, f->action, r, 0);
                assert_int_equal(t.note_required, f->note);
                assert_int_equal(t.needs_duplicate_of, f->dup);
                assert_int_equal(t.counts_reopen, f->reopen);
                assert_int_equal(t.raises_escalation, f->escalation);
                assert_int_equal(t.is_first_response, f->first_response);
            }
        }
    }
}

static void out_of_range_values_are_refused(void **state)
{
    (void)state;
    struct transition t = lifecycle_decide(STATUS_NEW, ACTION_COUNT, ROLE_OFFICER, 0);
    assert_false(t.allowed);
    assert_non_null(t.reason);
    t = lifecycle_decide(STATUS_COUNT, ACTION_TRIAGE, ROLE_OFFICER, 0);
    assert_false(t.allowed);
    assert_non_null(t.reason);
    t = lifecycle_decide(STATUS_NEW, ACTION_TRIAGE, ROLE_COUNT, 0);
    assert_false(t.allowed);
    assert_non_null(t.reason);
    t = lifecycle_decide(STATUS_NEW, (enum action)-1, ROLE_OFFICER, 0);
    assert_false(t.allowed);
}

/* A duplicate points at an issue that is not one itself, and nothing points at a
 * duplicate: every target status but duplicate is fine when nothing points here. */
static void duplicates_never_chain(void **state)
{
    (void)state;
    assert_int_equal(lifecycle_duplicate_check(7, 7, STATUS_NEW, false), DUPLICATE_OF_SELF);
    assert_int_equal(lifecycle_duplicate_check(7, 7, STATUS_DUPLICATE, true), DUPLICATE_OF_SELF);
    assert_int_equal(lifecycle_duplicate_check(7, 8, STATUS_DUPLICATE, false),
                     DUPLICATE_OF_DUPLICATE);
    assert_int_equal(lifecycle_duplicate_check(7, 8, STATUS_DUPLICATE, true),
                     DUPLICATE_OF_DUPLICATE);
    assert_int_equal(lifecycle_duplicate_check(7, 8, STATUS_NEW, true),
                     DUPLICATE_HAS_DUPLICATES);
    for (int s = 0; s < STATUS_COUNT; s++)
        if (s != STATUS_DUPLICATE)
            assert_int_equal(lifecycle_duplicate_check(7, 8, (enum status)s, false),
                             DUPLICATE_OK);
}

/* A parent's resolution carries each open child to resolved, as a first response with
 * the parent's note; a child already resolved, closed, declined or a duplicate stays. */
static void resolving_a_parent_carries_open_children(void **state)
{
    (void)state;
    for (int st = 0; st < STATUS_COUNT; st++) {
        struct transition t = lifecycle_resolve_with_parent((enum status)st);
        assert_true(t.note_required);
        assert_true(t.is_first_response);
        if (status_is_open((enum status)st)) {
            assert_true(t.allowed);
            assert_int_equal(t.next, STATUS_RESOLVED);
        } else {
            assert_false(t.allowed);
            assert_int_equal(t.next, st);
            assert_string_equal(t.code, "wrong_status");
            assert_non_null(strstr(t.reason, "cannot be resolved"));
        }
    }
    struct transition bad = lifecycle_resolve_with_parent(STATUS_COUNT);
    assert_false(bad.allowed);
    assert_string_equal(bad.code, "unknown_status");
}

/* cmocka_unit_test_prestate, but named after the action so a failure says which. */
#define PER_ACTION(a) { "every_status_and_role_" #a, check_action, NULL, NULL, \
                        (void *)(intptr_t)(a) }

int main(void)
{
    const struct CMUnitTest tests[] = {
        PER_ACTION(ACTION_TRIAGE),
        PER_ACTION(ACTION_START),
        PER_ACTION(ACTION_REQUEST_INFO),
        PER_ACTION(ACTION_ANSWER_INFO),
        PER_ACTION(ACTION_RESOLVE),
        PER_ACTION(ACTION_CONFIRM),
        PER_ACTION(ACTION_REOPEN),
        PER_ACTION(ACTION_DECLINE),
        PER_ACTION(ACTION_MARK_DUPLICATE),
        PER_ACTION(ACTION_ESCALATE),
        cmocka_unit_test(table_covers_every_action),
        cmocka_unit_test(cluster_leader_and_admin_take_no_action),
        cmocka_unit_test(reasons_read_as_sentences),
        cmocka_unit_test(escalation_stops_at_level_two),
        cmocka_unit_test(flags_per_action),
        cmocka_unit_test(out_of_range_values_are_refused),
        cmocka_unit_test(duplicates_never_chain),
        cmocka_unit_test(resolving_a_parent_carries_open_children),
    };
    return cmocka_run_group_tests_name("lifecycle", tests, NULL, NULL);
}
