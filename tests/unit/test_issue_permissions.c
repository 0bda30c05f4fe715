/* test_issue_permissions.c -- allowed_actions and "can" for every role (bound and
 * unbound) x issue binding x status x escalation level: each answer must equal what the
 * endpoints' own checks (access.c, then lifecycle_decide) accept, and what the Lifecycle
 * and "Who sees what" tables of docs/api.md say, written out here independently. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/issue_permissions.h"
#include "domain/lifecycle.h"

enum { SCHOOL = 1, SCHOOL_SAME_CLUSTER = 2, SCHOOL_OTHER_CLUSTER = 3 };
enum { CLUSTER = 10, CLUSTER_OTHER = 20 };
enum { DIVISION = 100, DIVISION_OTHER = 200 };

/* Each role bound the way the schema binds it, then the broken bindings (id 0). */
static const struct actor ACTORS[] = {
    { 1, ROLE_PRINCIPAL, SCHOOL, 0, 0 },
    { 2, ROLE_CLUSTER_LEADER, 0, CLUSTER, 0 },
    { 3, ROLE_OFFICER, 0, 0, DIVISION },
    { 4, ROLE_SUPERVISOR, 0, 0, 0 },
    { 5, ROLE_ADMIN, 0, 0, 0 },
    { 6, ROLE_PRINCIPAL, 0, 0, 0 },
    { 7, ROLE_CLUSTER_LEADER, 0, 0, 0 },
    { 8, ROLE_OFFICER, 0, 0, 0 },
};
#define NACTORS (sizeof ACTORS / sizeof *ACTORS)

/* Own school / same cluster / other cluster, each in the own and in another division;
 * then shared, co-signed by the reader's school, both, and the own school's shared. */
static const struct issue_scope SCOPES[] = {
    { SCHOOL, CLUSTER, DIVISION, false, false, false },
    { SCHOOL, CLUSTER, DIVISION_OTHER, false, false, false },
    { SCHOOL_SAME_CLUSTER, CLUSTER, DIVISION, false, false, false },
    { SCHOOL_SAME_CLUSTER, CLUSTER, DIVISION_OTHER, false, false, false },
    { SCHOOL_OTHER_CLUSTER, CLUSTER_OTHER, DIVISION, false, false, false },
    { SCHOOL_OTHER_CLUSTER, CLUSTER_OTHER, DIVISION_OTHER, false, false, false },
    { SCHOOL_OTHER_CLUSTER, CLUSTER_OTHER, DIVISION, true, false, false },
    { SCHOOL_OTHER_CLUSTER, CLUSTER_OTHER, DIVISION_OTHER, true, true, false },
    { SCHOOL_OTHER_CLUSTER, CLUSTER_OTHER, DIVISION, false, true, false },
    { SCHOOL, CLUSTER, DIVISION, true, false, false },
};
#define NSCOPES (sizeof SCOPES / sizeof *SCOPES)

/* ---------------------------------------------------------------- docs/api.md, by hand */

/* The Lifecycle table: who ("staff" or "principal") and the statuses it starts from. */
static const struct {
    const char *who;
    const char *from;
} LIFECYCLE_DOC[ACTION_COUNT] = {
    [ACTION_TRIAGE]         = { "staff", " new " },
    [ACTION_START]          = { "staff", " triaged " },
    [ACTION_REQUEST_INFO]   = { "staff", " triaged in_progress " },
    [ACTION_ANSWER_INFO]    = { "principal", " awaiting_school " },
    [ACTION_RESOLVE]        = { "staff", " triaged in_progress " },
    [ACTION_CONFIRM]        = { "principal", " resolved " },
    [ACTION_REOPEN]         = { "principal", " resolved " },
    [ACTION_DECLINE]        = { "staff", " new triaged in_progress awaiting_school " },
    [ACTION_MARK_DUPLICATE] = { "staff", " new triaged in_progress awaiting_school " },
    [ACTION_ESCALATE]       = { "staff", " new triaged in_progress awaiting_school " },
};

static bool doc_from(enum action act, enum status st)
{
    char word[40];
    snprintf(word, sizeof word, " %s ", status_name(st));
    return strstr(LIFECYCLE_DOC[act].from, word) != NULL;
}

static bool own_school(const struct actor *a, const struct issue_scope *s)
{
    return a->school_id != 0 && a->school_id == s->school_id;
}

static bool own_cluster(const struct actor *a, const struct issue_scope *s)
{
    return a->cluster_id != 0 && a->cluster_id == s->cluster_id;
}

/* docs/dialogue.md: a shared issue reaches every school, a co-signed one its signers. */
static bool reads(const struct actor *a, const struct issue_scope *s)
{
    bool beyond = s->shared || s->cosigned_by_reader;
    switch (a->role) {
    case ROLE_PRINCIPAL: return own_school(a, s) || (beyond && a->school_id != 0);
    case ROLE_CLUSTER_LEADER: return own_cluster(a, s) || (beyond && a->cluster_id != 0);
    case ROLE_OFFICER: case ROLE_SUPERVISOR: case ROLE_ADMIN: return true;
    default: return false;
    }
}

/* Public comments: the school, a co-signing school, the cluster, the Department. */
static bool comments(const struct actor *a, const struct issue_scope *s)
{
    switch (a->role) {
    case ROLE_PRINCIPAL: return own_school(a, s) || (s->cosigned_by_reader && a->school_id != 0);
    case ROLE_CLUSTER_LEADER: return own_cluster(a, s);
    default: return reads(a, s);
    }
}

static bool finished(enum status st)
{
    return st == STATUS_CLOSED || st == STATUS_DECLINED || st == STATUS_DUPLICATE;
}

/* "acts (PATCH, actions)": an officer the own division's, a supervisor all. */
static bool staff_works_on(const struct actor *a, const struct issue_scope *s)
{
    return a->role == ROLE_SUPERVISOR ||
           (a->role == ROLE_OFFICER && a->division_id != 0 && a->division_id == s->division_id);
}

static unsigned doc_actions(const struct actor *a, const struct issue_scope *s,
                            enum status st, int level)
{
    unsigned set = 0;
    for (int act = 0; act < ACTION_COUNT; act++) {
        bool who = strcmp(LIFECYCLE_DOC[act].who, "staff") == 0 ? staff_works_on(a, s)
                 : a->role == ROLE_PRINCIPAL && own_school(a, s);
        bool capped = act == ACTION_ESCALATE && level >= 2;    /* "at most 2" */
        if (who && doc_from((enum action)act, st) && !capped)
            set |= 1u << act;
    }
    return set;
}

/* ------------------------------------------------------- the endpoints' own checks */

/* POST .../actions: 404 unless readable, 403 unless access_act, 409 unless the lifecycle. */
static unsigned endpoint_actions(const struct actor *a, const struct issue_scope *s,
                                 enum status st, int level)
{
    unsigned set = 0;
    if (access_read(a, s) != ACCESS_OK || access_act(a, s) != ACCESS_OK)
        return 0;
    for (int act = 0; act < ACTION_COUNT; act++)
        if (lifecycle_decide(st, (enum action)act, a->role, level).allowed)
            set |= 1u << act;
    return set;
}

static void names(unsigned set, char *out, size_t size)
{
    out[0] = '\0';
    for (int act = 0; act < ACTION_COUNT; act++)
        if (set & (1u << act)) {
            size_t used = strlen(out);
            snprintf(out + used, size - used, "%s%s", used ? " " : "",
                     action_name((enum action)act));
        }
}

/* Share, unshare and co-sign, by docs/dialogue.md's table and rules. */
static void check_sharing(const struct actor *a, const struct issue_scope *s, enum status st,
                          bool sensitive, const struct issue_permissions *p)
{
    bool owner = a->role == ROLE_PRINCIPAL && own_school(a, s);
    assert_int_equal(p->share, owner && !s->shared && !sensitive && !finished(st));
    assert_int_equal(p->unshare, owner && s->shared);
    bool other_principal = a->role == ROLE_PRINCIPAL && a->school_id != 0 && !own_school(a, s);
    assert_int_equal(p->cosign, other_principal && s->shared && !s->cosigned_by_reader &&
                                st != STATUS_DECLINED && st != STATUS_DUPLICATE);
}

static void check_one(const struct actor *a, const struct issue_scope *s, enum status st,
                      int level, bool sensitive)
{
    struct issue_facts facts = { *s, st, level, sensitive, 0, 0, 0, 0 };
    struct issue_permissions p = issue_permissions_of(a, &facts);
    unsigned by_doc = doc_actions(a, s, st, level);
    unsigned by_endpoint = endpoint_actions(a, s, st, level);
    char got[256], want[256];
    names(p.actions, got, sizeof got);
    names(by_doc, want, sizeof want);
    if (p.actions != by_doc || p.actions != by_endpoint)
        fail_msg("%s (school %d, cluster %d, division %d) on a %s issue (school %d, division "
                 "%d, level %d): allowed [%s], docs say [%s]",
                 role_name(a->role), a->school_id, a->cluster_id, a->division_id,
                 status_name(st), s->school_id, s->division_id, level, got, want);
    for (int act = 0; act < ACTION_COUNT; act++)
        assert_int_equal(issue_permissions_allow(&p, (enum action)act),
                         (by_doc & (1u << act)) != 0);

    bool readable = reads(a, s);
    bool staff = a->role == ROLE_OFFICER || a->role == ROLE_SUPERVISOR ||
                 a->role == ROLE_ADMIN;
    assert_int_equal(access_read(a, s) == ACCESS_OK, readable);
    assert_int_equal(p.comment, comments(a, s));
    assert_int_equal(p.comment, access_comment(a, s, false) == ACCESS_OK);
    assert_int_equal(p.internal_note, readable && staff);
    assert_int_equal(p.internal_note, access_comment(a, s, true) == ACCESS_OK);
    assert_int_equal(p.modify, staff_works_on(a, s) && status_is_open(st));
    assert_int_equal(p.attach, staff_works_on(a, s) ||
                               (a->role == ROLE_PRINCIPAL && own_school(a, s)));
    assert_int_equal(p.attach, access_attach(a, s) == ACCESS_OK);
    assert_int_equal(p.hide_files, staff_works_on(a, s));    /* whatever the status */
    check_sharing(a, s, st, sensitive, &p);
}

/* Every actor x binding x status x escalation level x sensitive category:
 * 8 x 10 x 8 x 3 x 2 cases. */
static void every_combination(void **state)
{
    (void)state;
    for (size_t a = 0; a < NACTORS; a++)
        for (size_t s = 0; s < NSCOPES; s++)
            for (int st = 0; st < STATUS_COUNT; st++)
                for (int level = 0; level <= 2; level++)
                    for (int sensitive = 0; sensitive <= 1; sensitive++)
                        check_one(&ACTORS[a], &SCOPES[s], (enum status)st, level, sensitive);
}

/* A few rows spelled out, so a reader sees what the matrix means. */
static void examples(void **state)
{
    (void)state;
    struct issue_facts fresh = { SCOPES[0], STATUS_NEW, 0, false, 0, 0, 0, 0 };
    struct issue_facts resolved = { SCOPES[0], STATUS_RESOLVED, 0, false, 0, 0, 0, 0 };
    struct issue_facts top = { SCOPES[0], STATUS_IN_PROGRESS, 2, false, 0, 0, 0, 0 };
    char got[256];

    names(issue_permissions_of(&ACTORS[2], &fresh).actions, got, sizeof got);
    assert_string_equal(got, "triage decline mark_duplicate escalate");
    names(issue_permissions_of(&ACTORS[0], &resolved).actions, got, sizeof got);
    assert_string_equal(got, "confirm reopen");
    names(issue_permissions_of(&ACTORS[3], &top).actions, got, sizeof got);
    assert_string_equal(got, "request_info resolve decline mark_duplicate");
    /* An officer of another division reads and comments, but neither acts nor changes. */
    struct issue_facts elsewhere = { SCOPES[1], STATUS_NEW, 0, false, 0, 0, 0, 0 };
    struct issue_permissions p = issue_permissions_of(&ACTORS[2], &elsewhere);
    assert_int_equal(p.actions, 0);
    assert_true(p.comment && p.internal_note);
    assert_false(p.modify || p.attach);
    /* A closed issue: nobody changes it, the principal may still attach and comment. */
    struct issue_facts closed = { SCOPES[0], STATUS_CLOSED, 0, false, 0, 0, 0, 0 };
    p = issue_permissions_of(&ACTORS[3], &closed);
    assert_false(p.modify);
    assert_true(p.hide_files);      /* but a file may still be hidden */
    assert_int_equal(p.actions, 0);
    p = issue_permissions_of(&ACTORS[0], &closed);
    assert_true(p.comment && p.attach);
    assert_false(p.internal_note);
    /* Another school's shared issue: read it, add the school to it, nothing else. */
    struct issue_facts shared = { SCOPES[6], STATUS_IN_PROGRESS, 0, false, 0, 0, 0, 0 };
    p = issue_permissions_of(&ACTORS[0], &shared);
    assert_true(p.cosign);
    assert_false(p.comment || p.attach || p.share || p.unshare || p.actions);
    /* Once signed: comment on it, never act on it. */
    struct issue_facts signed_ = { SCOPES[7], STATUS_RESOLVED, 0, false, 0, 0, 0, 0 };
    p = issue_permissions_of(&ACTORS[0], &signed_);
    assert_true(p.comment);
    assert_false(p.cosign || p.attach || p.actions);
    /* A sensitive category is never offered for sharing; taking back always is. */
    struct issue_facts secret = { SCOPES[0], STATUS_NEW, 0, true, 0, 0, 0, 0 };
    assert_false(issue_permissions_of(&ACTORS[0], &secret).share);
    struct issue_facts own_shared = { SCOPES[9], STATUS_CLOSED, 0, false, 0, 0, 0, 0 };
    p = issue_permissions_of(&ACTORS[0], &own_shared);
    assert_true(p.unshare);
    assert_false(p.share || p.cosign);
}

/* Linking under an issue: staff who may change it, while it is open and nobody's child;
 * letting children go whenever it has some. Schools never. */
static void systemic_links(void **state)
{
    (void)state;
    struct issue_facts open = { SCOPES[0], STATUS_IN_PROGRESS, 0, false, 7, 0, 0, 0 };
    struct issue_facts parent = { SCOPES[0], STATUS_RESOLVED, 0, false, 7, 0, 0, 3 };
    struct issue_facts child = { SCOPES[0], STATUS_NEW, 0, false, 8, 7, 0, 0 };
    struct issue_permissions p = issue_permissions_of(&ACTORS[2], &open);
    assert_true(p.link);
    assert_false(p.unlink);
    p = issue_permissions_of(&ACTORS[2], &parent);
    assert_false(p.link);                 /* resolved: no new child */
    assert_true(p.unlink);
    p = issue_permissions_of(&ACTORS[3], &child);
    assert_false(p.link || p.unlink);     /* a child takes no children */
    struct issue_facts elsewhere = { SCOPES[1], STATUS_NEW, 0, false, 9, 0, 0, 2 };
    p = issue_permissions_of(&ACTORS[2], &elsewhere);
    assert_false(p.link || p.unlink);     /* another division's officer */
    for (size_t a = 0; a < NACTORS; a++) {
        if (ACTORS[a].role == ROLE_PRINCIPAL || ACTORS[a].role == ROLE_CLUSTER_LEADER ||
            ACTORS[a].role == ROLE_ADMIN) {
            p = issue_permissions_of(&ACTORS[a], &parent);
            assert_false(p.link || p.unlink);
        }
    }
    /* Taking a child out: its main issue's division (here another than the child's) and
     * supervisors; never the child's own division for that, nor a school. */
    struct issue_facts linked = { SCOPES[0], STATUS_NEW, 0, false, 8, 7, DIVISION_OTHER, 0 };
    assert_false(issue_permissions_of(&ACTORS[2], &linked).unlink_from_parent);
    assert_true(issue_permissions_of(&ACTORS[3], &linked).unlink_from_parent);
    assert_false(issue_permissions_of(&ACTORS[0], &linked).unlink_from_parent);
    linked.parent_division_id = DIVISION;
    assert_true(issue_permissions_of(&ACTORS[2], &linked).unlink_from_parent);
    assert_false(issue_permissions_of(&ACTORS[2], &open).unlink_from_parent);   /* no parent */
    struct systemic_facts f = issue_systemic_facts(&child);
    assert_int_equal(f.id, 8);
    assert_int_equal(f.parent_id, 7);
    assert_int_equal(f.status, STATUS_NEW);
}

static void nothing_for_null_or_unknown(void **state)
{
    (void)state;
    struct issue_facts facts = { SCOPES[0], STATUS_NEW, 0, false, 0, 0, 0, 0 };
    struct issue_permissions p = issue_permissions_of(NULL, &facts);
    assert_int_equal(p.actions, 0);
    assert_false(p.comment || p.internal_note || p.modify || p.attach || p.share || p.cosign);
    p = issue_permissions_of(&ACTORS[3], NULL);
    assert_int_equal(p.actions, 0);
    struct actor odd = { 9, ROLE_COUNT, SCHOOL, CLUSTER, DIVISION };
    p = issue_permissions_of(&odd, &facts);
    assert_int_equal(p.actions, 0);
    assert_false(p.comment || p.internal_note || p.modify || p.attach);
    struct issue_facts weird = { SCOPES[0], STATUS_COUNT, 0, false, 0, 0, 0, 0 };
    assert_int_equal(issue_permissions_of(&ACTORS[3], &weird).actions, 0);
    assert_false(issue_permissions_allow(&p, ACTION_COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_combination),
        cmocka_unit_test(examples),
        cmocka_unit_test(systemic_links),
        cmocka_unit_test(nothing_for_null_or_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
