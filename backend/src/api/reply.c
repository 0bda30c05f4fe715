/* reply.c -- JSON and problem+json responses. */
#include "api/reply.h"

#include <stdlib.h>

#include "util/log.h"
#include "util/xalloc.h"

struct problem_kind {
    int status;
    const char *slug;
    const char *title;
};

static const struct problem_kind PROBLEMS[] = {
    [ERR_NONE]            = {500, "internal", "Internal error"},
    [ERR_INVALID]         = {400, "validation", "Invalid input"},
    [ERR_UNAUTHENTICATED] = {401, "unauthenticated", "Sign-in required"},
    [ERR_FORBIDDEN]       = {403, "forbidden", "Not allowed"},
    [ERR_NOT_FOUND]       = {404, "not-found", "Not found"},
    [ERR_NO_METHOD]       = {405, "method-not-allowed", "Method not allowed"},
    [ERR_CONFLICT]        = {409, "conflict", "Not possible now"},
    [ERR_TOO_LARGE]       = {413, "too-large", "Request body too large"},
    [ERR_UNSUPPORTED]     = {415, "unsupported-media-type", "Unsupported content type"},
    [ERR_UNAVAILABLE]     = {503, "unavailable", "Service unavailable"},
    [ERR_INTERNAL]        = {500, "internal", "Internal error"},
};

void reply_json(struct exchange *ex, int status, cJSON *doc)
{
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!text)
        abort();   /* cJSON fails only when out of memory */
    free(ex->response_body);
    ex->response_body = xstrdup(text);
    cJSON_free(text);
    ex->status = status;
    ex->response_type = "application/json";
}

void reply_empty(struct exchange *ex, int status)
{
    free(ex->response_body);
    ex->response_body = NULL;
    ex->status = status;
    ex->response_type = NULL;
}

void reply_error(struct exchange *ex, const struct error *err)
{
    const struct problem_kind *p = &PROBLEMS[err->kind];
    if (err->kind == ERR_INTERNAL || err->kind == ERR_NONE)
        log_error("internal error: %s", err->message);
    cJSON *doc = cJSON_CreateObject();
    char *type = xasprintf("https://directline.example/problems/%s", p->slug);
    cJSON_AddStringToObject(doc, "type", type);
    free(type);
    cJSON_AddStringToObject(doc, "title", p->title);
    cJSON_AddNumberToObject(doc, "status", p->status);
    cJSON_AddStringToObject(doc, "detail", err->message[0] ? err->message : p->title);
    if (err->nfields > 0) {
        cJSON *fields = cJSON_AddArrayToObject(doc, "errors");
        for (int i = 0; i < err->nfields; i++) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "field", err->fields[i].field);
            cJSON_AddStringToObject(f, "message", err->fields[i].message);
            cJSON_AddItemToArray(fields, f);
        }
    }
    reply_json(ex, p->status, doc);
    ex->response_type = "application/problem+json";
}

void reply_problem(struct exchange *ex, enum error_kind kind, const char *detail)
{
    struct error err = {.kind = kind};
    error_set(&err, kind, "%s", detail);
    reply_error(ex, &err);
}

void reply_failure(struct exchange *ex, struct error *err, const char *invalid_detail)
{
    if (err->kind == ERR_INVALID)
        error_set(err, ERR_INVALID, "%s", invalid_detail);
    reply_error(ex, err);
}

void reply_document(struct exchange *ex, int status, const char *content_type, char *body)
{
    free(ex->response_body);
    ex->response_body = body;
    ex->status = status;
    ex->response_type = content_type;
}
