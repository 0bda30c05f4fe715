/* request_bodies.h -- the JSON body of every request type that has one, read and checked
 * the way its handler does it before any database work: the pure half of each handler.
 * The handlers call these first; the fuzz target (tests/fuzz) drives them with no database.
 * Each fills the handler's input (pointers into the returned cJSON document) and adds every
 * fault to err; the caller deletes the document, which may be non-NULL even on a fault. */
#ifndef DL_API_REQUEST_BODIES_H
#define DL_API_REQUEST_BODIES_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include "api/exchange.h"
#include "api/user_admin.h"
#include "db/issue_store.h"
#include "db/reference_store.h"
#include "db/user_admin_store.h"
#include "domain/lifecycle.h"
#include "domain/sla_clock.h"
#include "domain/sla_policy.h"

/* POST /api/session (session_api.c). */
bool session_credentials_body(const struct exchange *ex, cJSON **doc, const char **login,
                              const char **password, struct error *err);
/* PUT /api/me/password (account_api.c); the new password is judged against ex->user.login. */
bool account_passwords_body(const struct exchange *ex, cJSON **doc, const char **current,
                            const char **next, struct error *err);

/* POST /api/issues (issues_api.c): fills the text fields, category and suggested priority. */
cJSON *issue_new_body(const struct exchange *ex, struct new_issue *issue, struct error *err);

/* PATCH /api/issues/{ref} (issue_changes_api.c). */
struct issue_changes {
    const char *category, *division, *priority, *assignee;
    bool set_assignee;      /* assignee present, possibly null (unassign) */
};
cJSON *issue_changes_body(const struct exchange *ex, struct issue_changes *c,
                          struct error *err);

/* POST /api/issues/{ref}/actions (issue_actions_api.c). */
struct action_request {
    enum action action;
    const char *note;
    const char *duplicate_of;
    int rating;                 /* 1-5 with a confirmation (domain/rating.h); 0: none */
};
cJSON *issue_action_body(const struct exchange *ex, struct action_request *r,
                         struct error *err);

/* POST /api/issues/{ref}/comments (issue_comments_api.c). */
struct comment_request {
    const char *body;
    bool internal;
};
cJSON *issue_comment_body(const struct exchange *ex, struct comment_request *r,
                          struct error *err);

/* PUT /api/issues/{ref}/sharing and POST /api/issues/{ref}/cosigns (issue_sharing_api.c). */
cJSON *issue_sharing_body(const struct exchange *ex, bool *shared, struct error *err);
cJSON *issue_cosign_body(const struct exchange *ex, const char **note, struct error *err);

/* PUT /api/issues/{ref}/parent (issue_links_api.c): *parent NULL to unlink. */
cJSON *issue_parent_body(const struct exchange *ex, const char **parent, struct error *err);

/* POST /api/attachments/{id}/hide (attachments_api.c). */
cJSON *attachment_hide_body(const struct exchange *ex, const char **reason, struct error *err);

/* PUT /api/sla-policies (sla_api.c): one policy per priority, indexed by enum priority. */
cJSON *sla_policies_body(const struct exchange *ex, struct sla_policy *policies,
                         struct error *err);

/* PUT /api/calendar (calendar_api.c). */
#define MAX_CALENDAR_ROWS 400
struct calendar_input {
    struct work_interval intervals[MAX_CALENDAR_ROWS];
    const char *starts[MAX_CALENDAR_ROWS], *ends[MAX_CALENDAR_ROWS];
    size_t nintervals;
    const char *dates[MAX_CALENDAR_ROWS], *names[MAX_CALENDAR_ROWS];
    size_t nholidays;
};
cJSON *calendar_body(const struct exchange *ex, struct calendar_input *in, struct error *err);

/* POST /api/users (users_api.c). */
cJSON *user_new_body(const struct exchange *ex, struct user_values *v, struct error *err);
/* POST /api/users/{login}/password-reset (users_api.c): no body, or an empty object. */
bool user_reset_body(const struct exchange *ex, struct error *err);

/* PATCH /api/users/{login} (user_patch_api.c). */
struct user_patch {
    const char *full_name, *email, *role;
    bool email_sent, active_sent, active;
    struct binding_input bindings;
};
cJSON *user_patch_body(const struct exchange *ex, struct user_patch *p, struct error *err);

/* POST /api/{clusters,schools,divisions,categories} and PATCH .../{code}
 * (admin_reference_api.c): values[i] is the kind's i-th field as text (NULL: absent or
 * wrong; "true"/"false" for a boolean), at most REFADMIN_MAX_FIELDS. A PATCH (code not
 * NULL, the path's) may repeat the code but not change it. */
#define REFADMIN_MAX_FIELDS 10
cJSON *refadmin_create_body(const struct exchange *ex, enum reference_kind kind,
                            const char **values, struct error *err);
cJSON *refadmin_patch_body(const struct exchange *ex, enum reference_kind kind,
                           const char *code, const char **values, struct error *err);

#endif
