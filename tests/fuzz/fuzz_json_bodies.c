/* fuzz_json_bodies.c -- libFuzzer target: the JSON body of every request type, read and
 * checked by the same functions the handlers call before any database work
 * (api/request_bodies.h), then answered as problem+json the way the handlers answer.
 * Input: the request type's name on the first line, the body after it (see
 * corpus/json_bodies/). Besides crashes, leaks and undefined behaviour it finds: an
 * accepted body whose values break the rules the handler relies on, a refusal that is not
 * 400/415, and a problem+json answer that is not JSON or not UTF-8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/notifications_api.h"
#include "api/reply.h"
#include "api/directives_api.h"
#include "api/meetings_api.h"
#include "api/practices_api.h"
#include "api/webhooks_api.h"
#include "api/request_bodies.h"
#include "domain/validate.h"
#include "domain/civil_date.h"
#include "domain/decision_rules.h"
#include "domain/directive_rules.h"
#include "domain/practice_rules.h"
#include "domain/rating.h"
#include "domain/webhook_url.h"
#include "fuzz_check.h"

/* Accepted text: what validate_text promises (valid UTF-8, at most max characters). */
static void check_text(const char *s, size_t max_chars)
{
    if (!s)
        return;
    FUZZ_CHECK(utf8_valid(s, strlen(s)));
    FUZZ_CHECK(utf8_length(s, strlen(s)) <= max_chars);
}

static void check_code(const char *s)
{
    FUZZ_CHECK(!s || validate_code(NULL, "", s));
}

static cJSON *session(const struct exchange *ex, struct error *err)
{
    cJSON *doc = NULL;
    const char *login = NULL, *password = NULL;
    if (session_credentials_body(ex, &doc, &login, &password, err)) {
        check_text(login, 64);
        check_text(password, 1024);
    }
    return doc;
}

static cJSON *password_change(const struct exchange *ex, struct error *err)
{
    cJSON *doc = NULL;
    const char *current = NULL, *next = NULL;
    if (account_passwords_body(ex, &doc, &current, &next, err)) {
        FUZZ_CHECK(current && next && strcmp(current, next) != 0);
        FUZZ_CHECK(strlen(next) <= 1024 && utf8_valid(next, strlen(next)));
    }
    return doc;
}

static cJSON *issue_new(const struct exchange *ex, struct error *err)
{
    struct new_issue issue = {0};
    cJSON *doc = issue_new_body(ex, &issue, err);
    if (!error_is_set(err)) {
        FUZZ_CHECK(issue.title && issue.description && issue.category);
        check_text(issue.title, TITLE_MAX_CHARS);
        check_text(issue.description, TEXT_MAX_CHARS);
        check_text(issue.proposed_solution, TEXT_MAX_CHARS);
        check_code(issue.category);
        enum priority p;
        FUZZ_CHECK(!issue.priority || priority_parse(issue.priority, &p));
    }
    return doc;
}

static cJSON *issue_patch(const struct exchange *ex, struct error *err)
{
    struct issue_changes c = {0};
    cJSON *doc = issue_changes_body(ex, &c, err);
    if (!error_is_set(err)) {
        FUZZ_CHECK(c.category || c.division || c.priority || c.set_assignee);
        check_code(c.category);
        check_code(c.division);
        FUZZ_CHECK(!c.assignee || validate_login(NULL, "", c.assignee));
    }
    return doc;
}

static cJSON *issue_action(const struct exchange *ex, struct error *err)
{
    struct action_request r = {0};
    cJSON *doc = issue_action_body(ex, &r, err);
    if (!error_is_set(err)) {
        check_text(r.note, TEXT_MAX_CHARS);
        FUZZ_CHECK(!r.duplicate_of || validate_issue_ref(r.duplicate_of));
        /* A rating is 1-5, and only a confirmation's. */
        FUZZ_CHECK(r.rating == 0 || (rating_valid(r.rating) && r.action == ACTION_CONFIRM));
    }
    return doc;
}

static cJSON *issue_comment(const struct exchange *ex, struct error *err)
{
    struct comment_request r = {0};
    cJSON *doc = issue_comment_body(ex, &r, err);
    if (!error_is_set(err)) {
        FUZZ_CHECK(r.body != NULL);
        check_text(r.body, TEXT_MAX_CHARS);
    }
    return doc;
}

static cJSON *attachment_hide(const struct exchange *ex, struct error *err)
{
    const char *reason = NULL;
    cJSON *doc = attachment_hide_body(ex, &reason, err);
    FUZZ_CHECK(error_is_set(err) || reason != NULL);
    return doc;
}

static cJSON *issue_sharing(const struct exchange *ex, struct error *err)
{
    bool shared = false;
    return issue_sharing_body(ex, &shared, err);
}

static cJSON *issue_cosign(const struct exchange *ex, struct error *err)
{
    const char *note = NULL;
    cJSON *doc = issue_cosign_body(ex, &note, err);
    check_text(note, TEXT_MAX_CHARS);
    FUZZ_CHECK(!note || note[strspn(note, " \t\r\n")] != '\0');   /* a blank note is none */
    return doc;
}

/* A parent accepted is a reference (or null, to unlink). */
static cJSON *issue_parent(const struct exchange *ex, struct error *err)
{
    const char *parent = NULL;
    cJSON *doc = issue_parent_body(ex, &parent, err);
    FUZZ_CHECK(error_is_set(err) || !parent || validate_issue_ref(parent));
    return doc;
}

static cJSON *sla_policies(const struct exchange *ex, struct error *err)
{
    struct sla_policy policies[PRIORITY_COUNT];
    cJSON *doc = sla_policies_body(ex, policies, err);
    const char *reason = NULL;
    for (int p = 0; !error_is_set(err) && p < PRIORITY_COUNT; p++)
        FUZZ_CHECK(sla_policy_valid(&policies[p], &reason));
    return doc;
}

static cJSON *calendar(const struct exchange *ex, struct error *err)
{
    struct calendar_input *in = calloc(1, sizeof *in);
    cJSON *doc = calendar_body(ex, in, err);
    FUZZ_CHECK(in->nintervals <= MAX_CALENDAR_ROWS && in->nholidays <= MAX_CALENDAR_ROWS);
    for (size_t i = 0; !error_is_set(err) && i < in->nintervals; i++) {
        const struct work_interval *w = &in->intervals[i];
        FUZZ_CHECK(w->weekday >= 1 && w->weekday <= 7);
        FUZZ_CHECK(w->start_minute >= 0 && w->start_minute < w->end_minute);
    }
    free(in);
    return doc;
}

static cJSON *user_new(const struct exchange *ex, struct error *err)
{
    struct user_values v = {0};
    cJSON *doc = user_new_body(ex, &v, err);
    if (!error_is_set(err)) {
        FUZZ_CHECK(v.login && validate_login(NULL, "", v.login));
        enum role role;
        FUZZ_CHECK(v.role && role_parse(v.role, &role));
        check_code(v.school);
        check_code(v.cluster);
        check_code(v.division);
    }
    return doc;
}

static cJSON *user_reset(const struct exchange *ex, struct error *err)
{
    user_reset_body(ex, err);
    return NULL;
}

static cJSON *user_patch(const struct exchange *ex, struct error *err)
{
    struct user_patch p = {0};
    cJSON *doc = user_patch_body(ex, &p, err);
    enum role role;
    FUZZ_CHECK(error_is_set(err) || !p.role || role_parse(p.role, &role));
    return doc;
}

/* The four reference kinds, created and patched: values must be codes where codes go. */
static cJSON *refadmin(const struct exchange *ex, enum reference_kind kind, bool patch,
                       struct error *err)
{
    const char *values[REFADMIN_MAX_FIELDS] = {NULL};
    cJSON *doc = patch ? refadmin_patch_body(ex, kind, "TH001", values, err)
                       : refadmin_create_body(ex, kind, values, err);
    if (!error_is_set(err) && !patch)
        check_code(values[0]);
    return doc;
}

#define REFADMIN(name, kind, patch)                                                      \
    static cJSON *name(const struct exchange *ex, struct error *err)                      \
    {                                                                                      \
        return refadmin(ex, kind, patch, err);                                            \
    }
REFADMIN(cluster_new, REF_CLUSTERS, false)
REFADMIN(cluster_patch, REF_CLUSTERS, true)
REFADMIN(school_new, REF_SCHOOLS, false)
REFADMIN(school_patch, REF_SCHOOLS, true)
REFADMIN(division_new, REF_DIVISIONS, false)
REFADMIN(division_patch, REF_DIVISIONS, true)
REFADMIN(category_new, REF_CATEGORIES, false)
REFADMIN(category_patch, REF_CATEGORIES, true)

/* An accepted read-all names a record id (from 1) and an issue reference, or neither. */
static cJSON *notifications_read_all(const struct exchange *ex, struct error *err)
{
    long long up_to = 0;
    const char *issue = NULL;
    cJSON *doc = notifications_read_all_body(ex, &up_to, &issue, err);
    FUZZ_CHECK(error_is_set(err) || up_to >= 0);
    FUZZ_CHECK(error_is_set(err) || !issue || validate_issue_ref(issue));
    return doc;
}

/* An accepted endpoint's address passes the webhook rule; a change names the flag. */
static cJSON *webhook_new(const struct exchange *ex, struct error *err)
{
    const char *url = NULL, *description = NULL;
    cJSON *doc = webhook_new_body(ex, &url, &description, err);
    FUZZ_CHECK(error_is_set(err) || (url && !webhook_url_problem(url) && description));
    check_text(description, 200);
    return doc;
}

static cJSON *webhook_patch(const struct exchange *ex, struct error *err)
{
    bool active = false;
    return webhook_patch_body(ex, &active, err);
}

/* An accepted day is a real one; a list of references is a literal of checked ones. */
static void check_day(const char *day)
{
    int days;
    FUZZ_CHECK(!day || civil_date_parse(day, &days));
}

static void check_refs(const char *literal)
{
    FUZZ_CHECK(literal && literal[0] == '{' && literal[strlen(literal) - 1] == '}');
    FUZZ_CHECK(strspn(literal, "{},HT-0123456789") == strlen(literal));
}

static cJSON *meeting_new(const struct exchange *ex, struct error *err)
{
    struct meeting_input in;
    cJSON *doc = meeting_new_body(ex, &in, err);
    if (!error_is_set(err)) {
        FUZZ_CHECK(in.kind && in.held_on && in.title);
        FUZZ_CHECK((strcmp(in.kind, "cluster") == 0) == (in.cluster != NULL));
        check_day(in.held_on);
        check_text(in.title, MEETING_TITLE_MAX);
        check_refs(in.agenda);
    }
    free(in.agenda);
    return doc;
}

static cJSON *meeting_agenda(const struct exchange *ex, struct error *err)
{
    char *refs = NULL;
    cJSON *doc = meeting_agenda_body(ex, &refs, err);
    if (!error_is_set(err))
        check_refs(refs);
    free(refs);
    return doc;
}

static cJSON *decision_new(const struct exchange *ex, struct error *err)
{
    struct decision_input in;
    cJSON *doc = decision_new_body(ex, &in, err);
    if (!error_is_set(err)) {
        FUZZ_CHECK(in.body && in.division && in.due_on);
        check_text(in.body, DECISION_BODY_MAX);
        check_code(in.division);
        check_day(in.due_on);
        check_refs(in.issues);
    }
    free(in.issues);
    return doc;
}

static cJSON *decision_patch(const struct exchange *ex, struct error *err)
{
    struct decision_input in;
    cJSON *doc = decision_patch_body(ex, &in, err);
    if (!error_is_set(err)) {
        FUZZ_CHECK(in.body || in.division || in.has_responsible || in.due_on);
        check_day(in.due_on);
    }
    return doc;
}

/* A reopen always carries its note. */
static cJSON *decision_action(const struct exchange *ex, struct error *err)
{
    bool done = false;
    const char *note = NULL;
    cJSON *doc = decision_action_body(ex, &done, &note, err);
    FUZZ_CHECK(error_is_set(err) || done || note);
    check_text(note, DECISION_NOTE_MAX);
    return doc;
}

/* An accepted practice has its three texts; one from an issue names it and its files are
 * a literal of whole numbers; the school's own names a category. */
static void check_practice_text(const struct practice_text *t, bool required)
{
    FUZZ_CHECK(!required || (t->title && t->problem && t->solution));
    check_text(t->title, PRACTICE_TITLE_MAX);
    check_text(t->problem, PRACTICE_TEXT_MAX);
    check_text(t->solution, PRACTICE_TEXT_MAX);
}

static cJSON *practice_new(const struct exchange *ex, bool from_issue, struct error *err)
{
    struct practice_input in;
    cJSON *doc = practice_new_body(ex, from_issue, &in, err);
    if (!error_is_set(err)) {
        check_practice_text(&in.text, true);
        FUZZ_CHECK(from_issue ? in.issue && validate_issue_ref(in.issue) && in.files
                              : in.category != NULL);
        FUZZ_CHECK(!in.files || strspn(in.files, "{},0123456789") == strlen(in.files));
    }
    free(in.files);
    return doc;
}

static cJSON *practice_publish(const struct exchange *ex, struct error *err)
{
    return practice_new(ex, true, err);
}

static cJSON *practice_propose(const struct exchange *ex, struct error *err)
{
    return practice_new(ex, false, err);
}

static cJSON *practice_patch(const struct exchange *ex, struct error *err)
{
    struct practice_input in;
    cJSON *doc = practice_patch_body(ex, &in, err);
    if (!error_is_set(err)) {
        check_practice_text(&in.text, false);
        FUZZ_CHECK(in.text.title || in.text.problem || in.text.solution || in.category);
    }
    return doc;
}

/* A decline or a withdrawal always carries its note. */
static cJSON *practice_review(const struct exchange *ex, struct error *err)
{
    const char *decision = NULL, *note = NULL;
    struct practice_text text;
    cJSON *doc = practice_review_body(ex, &decision, &note, &text, err);
    if (!error_is_set(err)) {
        FUZZ_CHECK(decision && (strcmp(decision, "publish") == 0 || note));
        check_practice_text(&text, false);
    }
    return doc;
}

/* An accepted directive has its texts, a delay in range, and all schools or a literal of
 * checked cluster codes. */
static cJSON *directive_new(const struct exchange *ex, struct error *err)
{
    struct directive_input in;
    cJSON *doc = directive_new_body(ex, &in, err);
    if (!error_is_set(err)) {
        FUZZ_CHECK(in.title && in.body);
        check_text(in.title, DIRECTIVE_TITLE_MAX);
        check_text(in.body, DIRECTIVE_BODY_MAX);
        FUZZ_CHECK(in.remind_after_days >= DIRECTIVE_REMIND_MIN_DAYS &&
                   in.remind_after_days <= DIRECTIVE_REMIND_MAX_DAYS);
        FUZZ_CHECK(!in.clusters || (in.clusters[0] == '{' &&
                                    in.clusters[strlen(in.clusters) - 1] == '}'));
    }
    free(in.clusters);
    return doc;
}

/* The first line of an input names one of these (the corpus's files start so). */
static const struct {
    const char *name;
    cJSON *(*read)(const struct exchange *ex, struct error *err);
} TYPES[] = {
    {"session", session},             {"password", password_change},
    {"issue", issue_new},             {"issue-patch", issue_patch},
    {"action", issue_action},         {"comment", issue_comment},
    {"hide", attachment_hide},        {"sla", sla_policies},
    {"calendar", calendar},           {"user", user_new},
    {"user-reset", user_reset},       {"user-patch", user_patch},
    {"cluster", cluster_new},         {"cluster-patch", cluster_patch},
    {"school", school_new},           {"school-patch", school_patch},
    {"division", division_new},       {"division-patch", division_patch},
    {"category", category_new},       {"category-patch", category_patch},
    {"sharing", issue_sharing},       {"cosign", issue_cosign},
    {"parent", issue_parent},         {"read-all", notifications_read_all},
    {"webhook", webhook_new},         {"webhook-patch", webhook_patch},
    {"meeting", meeting_new},         {"agenda", meeting_agenda},
    {"decision", decision_new},       {"decision-patch", decision_patch},
    {"decision-action", decision_action},
    {"practice-publish", practice_publish}, {"practice-propose", practice_propose},
    {"practice-patch", practice_patch},     {"practice-review", practice_review},
    {"directive", directive_new},
};

/* The answer a handler gives for err must be problem+json that parses. */
static void check_answer(struct exchange *ex, struct error *err)
{
    FUZZ_CHECK(err->kind == ERR_INVALID || err->kind == ERR_UNSUPPORTED);
    reply_failure(ex, err, "The body is not acceptable; see errors.");
    FUZZ_CHECK(ex->status == 400 || ex->status == 415);
    /* JSON is UTF-8 (RFC 8259), and the answer echoes field names the client chose. */
    FUZZ_CHECK(utf8_valid(ex->response_body, strlen(ex->response_body)));
    cJSON *answer = cJSON_ParseWithLength(ex->response_body, strlen(ex->response_body));
    FUZZ_CHECK(answer != NULL);
    FUZZ_CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(answer, "code")));
    cJSON_Delete(answer);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const unsigned char *nl = memchr(data, '\n', size);
    if (!nl)
        return -1;   /* not an input of this target: keep it out of the corpus */
    size_t name_len = (size_t)(nl - data);
    size_t t = 0;
    while (t < sizeof TYPES / sizeof *TYPES &&
           !(strlen(TYPES[t].name) == name_len && memcmp(TYPES[t].name, data, name_len) == 0))
        t++;
    if (t == sizeof TYPES / sizeof *TYPES)
        return -1;
    /* The http layer hands a body with a NUL after its last byte (http/server.c). */
    size_t body_len = size - name_len - 1;
    char *body = malloc(body_len + 1);
    memcpy(body, nl + 1, body_len);
    body[body_len] = '\0';
    struct app app = {0};
    struct exchange ex = {.app = &app, .method = METHOD_POST, .path = "/fuzz",
                          .content_type = "application/json", .body = body,
                          .body_len = body_len};
    snprintf(ex.user.login, sizeof ex.user.login, "ht.th001");
    struct error err = {0};
    cJSON *doc = TYPES[t].read(&ex, &err);
    if (error_is_set(&err))
        check_answer(&ex, &err);
    cJSON_Delete(doc);
    exchange_finish(&ex);
    free(body);
    return 0;
}
