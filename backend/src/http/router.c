/* router.c -- the route table and its matcher. */
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/admin_api.h"
#include "api/attachments_api.h"
#include "api/escalations_api.h"
#include "api/issues_api.h"
#include "api/directives_api.h"
#include "api/meetings_api.h"
#include "api/notifications_api.h"
#include "api/practices_api.h"
#include "api/officers_api.h"
#include "api/reference_api.h"
#include "api/report_api.h"
#include "api/session_api.h"
#include "api/sign_in_locks_api.h"
#include "api/sla_api.h"
#include "api/webhooks_api.h"
#include "domain/validate.h"

#define AUTH_IDEMPOTENT (ROUTE_AUTH | ROUTE_IDEMPOTENT)

static const struct route ROUTES[] = {
    /* method        pattern                        handler               flags */
    {METHOD_GET,    "/healthz",                     health_live,          ROUTE_PUBLIC},
    {METHOD_GET,    "/readyz",                      health_ready,         ROUTE_PUBLIC},
    {METHOD_POST,   "/api/session",                 session_create,       ROUTE_PUBLIC},
    {METHOD_DELETE, "/api/session",                 session_delete,       ROUTE_AUTH},
    {METHOD_GET,    "/api/me",                      session_me,           ROUTE_AUTH},
    {METHOD_GET,    "/api/issues",                  issues_list,          ROUTE_AUTH},
    {METHOD_POST,   "/api/issues",                  issues_create,        AUTH_IDEMPOTENT},
    {METHOD_GET,    "/api/issues/counts",           issues_counts,        ROUTE_AUTH},
    {METHOD_GET,    "/api/issues/similar",          issues_similar,       ROUTE_AUTH},
    {METHOD_GET,    "/api/issues/{ref}",            issues_get,           ROUTE_AUTH},
    {METHOD_PATCH,  "/api/issues/{ref}",            issues_patch,         ROUTE_AUTH},
    {METHOD_POST,   "/api/issues/{ref}/actions",    issues_act,           AUTH_IDEMPOTENT},
    {METHOD_POST,   "/api/issues/{ref}/comments",   issues_comment,       AUTH_IDEMPOTENT},
    {METHOD_PUT,    "/api/issues/{ref}/sharing",    issues_share,         ROUTE_AUTH},
    {METHOD_POST,   "/api/issues/{ref}/cosigns",    issues_cosign,        AUTH_IDEMPOTENT},
    {METHOD_PUT,    "/api/issues/{ref}/parent",     issues_set_parent,    ROUTE_AUTH},
    {METHOD_GET,    "/api/issues/{ref}/decisions",  issues_decisions,     ROUTE_AUTH},
    {METHOD_POST,   "/api/issues/{ref}/attachments", attachments_upload, AUTH_IDEMPOTENT | ROUTE_UPLOAD},
    {METHOD_GET,    "/api/attachments/{id}",        attachments_get,      ROUTE_AUTH},
    {METHOD_POST,   "/api/attachments/{id}/hide",   attachments_hide,     ROUTE_AUTH},
    {METHOD_GET,    "/api/notifications",           notifications_list,   ROUTE_AUTH},
    {METHOD_GET,    "/api/notifications/unread-count", notifications_unread_count, ROUTE_AUTH},
    {METHOD_POST,   "/api/notifications/read-all",  notifications_mark_all_read, ROUTE_AUTH},
    {METHOD_POST,   "/api/notifications/{id}/read", notifications_mark_read, ROUTE_AUTH},
    {METHOD_GET,    "/api/meetings",                meetings_list,        ROUTE_AUTH},
    {METHOD_POST,   "/api/meetings",                meetings_create,      AUTH_IDEMPOTENT},
    {METHOD_GET,    "/api/meetings/{id}",           meetings_get,         ROUTE_AUTH},
    {METHOD_PUT,    "/api/meetings/{id}/agenda",    meetings_set_agenda,  ROUTE_AUTH},
    {METHOD_GET,    "/api/meetings/{id}/agenda",    meetings_agenda_page, ROUTE_AUTH},
    {METHOD_POST,   "/api/meetings/{id}/decisions", decisions_create,     AUTH_IDEMPOTENT},
    {METHOD_GET,    "/api/decisions",               decisions_list,       ROUTE_AUTH},
    {METHOD_PATCH,  "/api/decisions/{id}",          decisions_patch,      ROUTE_AUTH},
    {METHOD_POST,   "/api/decisions/{id}/actions",  decisions_act,        AUTH_IDEMPOTENT},
    {METHOD_GET,    "/api/practices",               practices_list,       ROUTE_AUTH},
    {METHOD_POST,   "/api/practices",               practices_create,     AUTH_IDEMPOTENT},
    {METHOD_GET,    "/api/practices/{id}",          practices_get,        ROUTE_AUTH},
    {METHOD_PATCH,  "/api/practices/{id}",          practices_patch,      ROUTE_AUTH},
    {METHOD_POST,   "/api/practices/{id}/review",   practices_review,     ROUTE_AUTH},
    {METHOD_GET,    "/api/practice-files/{id}",     practice_files_get,   ROUTE_AUTH},
    {METHOD_GET,    "/api/directives",              directives_list,      ROUTE_AUTH},
    {METHOD_POST,   "/api/directives",              directives_send,      AUTH_IDEMPOTENT},
    {METHOD_GET,    "/api/directives/{id}",         directives_get,       ROUTE_AUTH},
    {METHOD_GET,    "/api/directives/{id}/schools", directives_schools,   ROUTE_AUTH},
    {METHOD_POST,   "/api/directives/{id}/acknowledge", directives_acknowledge, ROUTE_AUTH},
    {METHOD_GET,    "/api/ratings",                 ratings_list,         ROUTE_AUTH},
    {METHOD_GET,    "/api/escalations",             escalations_list,     ROUTE_AUTH},
    {METHOD_GET,    "/api/officers",                officers_list,        ROUTE_AUTH},
    {METHOD_GET,    "/api/clusters",                reference_clusters,   ROUTE_AUTH},
    {METHOD_GET,    "/api/schools",                 reference_schools,    ROUTE_AUTH},
    {METHOD_GET,    "/api/divisions",               reference_divisions,  ROUTE_AUTH},
    {METHOD_GET,    "/api/categories",              reference_categories, ROUTE_AUTH},
    {METHOD_GET,    "/api/reports/monthly",         reports_monthly,      ROUTE_AUTH},
    {METHOD_GET,    "/api/sla-policies",            sla_policies_get,     ROUTE_AUTH},
    {METHOD_PUT,    "/api/sla-policies",            sla_policies_put,     ROUTE_AUTH},
    {METHOD_GET,    "/api/calendar",                calendar_get,         ROUTE_AUTH},
    {METHOD_PUT,    "/api/calendar",                calendar_put,         ROUTE_AUTH},
    /* Administration and one's own account (api/admin_api.h). */
    {METHOD_PUT,    "/api/me/password",             account_change_password, ROUTE_AUTH},
    {METHOD_GET,    "/api/me/notification-settings", notification_settings_get, ROUTE_AUTH},
    {METHOD_PUT,    "/api/me/notification-settings", notification_settings_put, ROUTE_AUTH},
    {METHOD_GET,    "/api/users",                   users_list,           ROUTE_AUTH},
    {METHOD_POST,   "/api/users",                   users_create,         ROUTE_AUTH},
    {METHOD_GET,    "/api/users/{login}",           users_get,            ROUTE_AUTH},
    {METHOD_PATCH,  "/api/users/{login}",           users_patch,          ROUTE_AUTH},
    {METHOD_POST,   "/api/users/{login}/password-reset", users_reset_password, ROUTE_AUTH},
    {METHOD_POST,   "/api/clusters",                clusters_create,      ROUTE_AUTH},
    {METHOD_PATCH,  "/api/clusters/{code}",         clusters_patch,       ROUTE_AUTH},
    {METHOD_POST,   "/api/schools",                 schools_create,       ROUTE_AUTH},
    {METHOD_PATCH,  "/api/schools/{code}",          schools_patch,        ROUTE_AUTH},
    {METHOD_POST,   "/api/divisions",               divisions_create,     ROUTE_AUTH},
    {METHOD_PATCH,  "/api/divisions/{code}",        divisions_patch,      ROUTE_AUTH},
    {METHOD_POST,   "/api/categories",              categories_create,    ROUTE_AUTH},
    {METHOD_PATCH,  "/api/categories/{code}",       categories_patch,     ROUTE_AUTH},
    {METHOD_GET,    "/api/audit",                   audit_list,           ROUTE_AUTH},
    {METHOD_GET,    "/api/webhooks",                webhooks_list,        ROUTE_AUTH},
    {METHOD_POST,   "/api/webhooks",                webhooks_create,      ROUTE_AUTH},
    {METHOD_PATCH,  "/api/webhooks/{id}",           webhooks_patch,       ROUTE_AUTH},
    {METHOD_GET,    "/api/webhooks/{id}/deliveries", webhooks_deliveries, ROUTE_AUTH},
    {METHOD_GET,    "/api/admin/sign-in-locks",     sign_in_locks_list,   ROUTE_AUTH},
    {METHOD_DELETE, "/api/admin/sign-in-locks",     sign_in_locks_clear,  ROUTE_AUTH},
};

static const char *const METHOD_NAMES[] = {
    [METHOD_GET] = "GET", [METHOD_POST] = "POST", [METHOD_PUT] = "PUT",
    [METHOD_PATCH] = "PATCH", [METHOD_DELETE] = "DELETE", [METHOD_HEAD] = "HEAD",
    [METHOD_OTHER] = "?",
};

static bool is_record_id(const char *s)
{
    size_t len = strlen(s);
    return len > 0 && len <= 18 && s[0] != '0' && strspn(s, "0123456789") == len;
}
static bool is_issue_ref(const char *s) { return validate_issue_ref(s); }
static bool is_login(const char *s) { return validate_login(NULL, "", s); }
static bool is_code(const char *s) { return validate_code(NULL, "", s); }

/* The named segments a pattern may hold. Only a well-formed value is an address:
 * anything else is 404 for every method, never a misleading 405. */
static const struct {
    const char *name;
    bool (*valid)(const char *value);
} SEGMENTS[] = {
    {"ref", is_issue_ref}, {"login", is_login}, {"code", is_code}, {"id", is_record_id},
};

/* Copies the path segment at *path into value (false when it does not fit). */
static bool take_segment(const char **path, char *value, size_t value_size)
{
    size_t seg = strcspn(*path, "/");
    if (seg == 0 || seg >= value_size)
        return false;
    memcpy(value, *path, seg);
    value[seg] = '\0';
    *path += seg;
    return true;
}

/* Matches path against pattern; a "{name}" segment's value is copied out. */
static bool pattern_matches(const char *pattern, const char *path, const char **name,
                            char *value, size_t value_size)
{
    while (*pattern && *path) {
        if (*pattern != '{') {
            if (*pattern++ != *path++)
                return false;
            continue;
        }
        size_t len = strcspn(pattern + 1, "}");
        size_t i = 0;
        while (i < sizeof SEGMENTS / sizeof *SEGMENTS &&
               (strlen(SEGMENTS[i].name) != len || strncmp(SEGMENTS[i].name, pattern + 1, len)))
            i++;
        if (i == sizeof SEGMENTS / sizeof *SEGMENTS)
            abort();   /* a pattern names an unknown segment kind: a bug in ROUTES */
        if (!take_segment(&path, value, value_size) || !SEGMENTS[i].valid(value))
            return false;
        *name = SEGMENTS[i].name;
        pattern += len + 2;
    }
    return *pattern == '\0' && *path == '\0';
}

enum route_outcome router_match(struct exchange *ex, const struct route **route)
{
    /* HEAD is GET without the body (libmicrohttpd drops the body). */
    enum http_method method = ex->method == METHOD_HEAD ? METHOD_GET : ex->method;
    bool path_known = false;
    char *allow = ex->allow;
    size_t allow_size = sizeof ex->allow;
    allow[0] = '\0';
    for (size_t i = 0; i < sizeof ROUTES / sizeof *ROUTES; i++) {
        char value[sizeof ex->path_param] = "";
        const char *name = NULL;
        if (!pattern_matches(ROUTES[i].pattern, ex->path, &name, value, sizeof value))
            continue;
        if (ROUTES[i].method == method) {
            ex->path_param_name = name;
            memcpy(ex->path_param, value, sizeof value);
            ex->allow[0] = '\0';
            *route = &ROUTES[i];
            return ROUTE_FOUND;
        }
        path_known = true;
        size_t used = strlen(allow);
        snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "",
                 METHOD_NAMES[ROUTES[i].method]);
    }
    if (path_known && strstr(allow, "GET"))
        snprintf(allow + strlen(allow), allow_size - strlen(allow), ", HEAD");
    return path_known ? ROUTE_NO_METHOD : ROUTE_NO_PATH;
}
