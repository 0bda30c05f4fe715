/* reply.c -- JSON and problem+json responses. */
#include "api/reply.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xalloc.h"

struct problem_kind {
    int status;
    const char *slug;     /* the end of the problem's type URI */
    const char *code;     /* the problem code when the error names none of its own */
    const char *title;
};

static const struct problem_kind PROBLEMS[] = {
    [ERR_NONE]            = {500, "internal", "internal", "Internal error"},
    [ERR_INVALID]         = {400, "validation", "validation", "Invalid input"},
    [ERR_UNAUTHENTICATED] = {401, "unauthenticated", "unauthenticated", "Sign-in required"},
    [ERR_FORBIDDEN]       = {403, "forbidden", "forbidden", "Not allowed"},
    [ERR_NOT_FOUND]       = {404, "not-found", "not_found", "Not found"},
    [ERR_NO_METHOD]       = {405, "method-not-allowed", "method_not_allowed", "Method not allowed"},
    [ERR_CONFLICT]        = {409, "conflict", "conflict", "Not possible now"},
    [ERR_TOO_LARGE]       = {413, "too-large", "too_large", "Request body too large"},
    [ERR_UNSUPPORTED]     = {415, "unsupported-media-type", "unsupported_media_type",
                             "Unsupported content type"},
    [ERR_UNPROCESSABLE]   = {422, "unprocessable", "unprocessable", "Cannot be processed"},
    [ERR_TOO_MANY]        = {429, "too-many-requests", "too_many_requests", "Too many requests"},
    [ERR_UNAVAILABLE]     = {503, "unavailable", "unavailable", "Service unavailable"},
    [ERR_INTERNAL]        = {500, "internal", "internal", "Internal error"},
};

void json_add_text_or_null(cJSON *obj, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(obj, key, value);
    else
        cJSON_AddNullToObject(obj, key);
}

void reply_json(struct exchange *ex, int status, cJSON *doc)
{
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!text)
        abort();   /* cJSON fails only when out of memory */
    /* Kept as it is, no copy: cJSON allocates with malloc (no hooks are installed), and
     * the body is freed with free(). */
    exchange_set_body(ex, text, 0);
    ex->status = status;
    ex->response_type = "application/json";
}

void reply_empty(struct exchange *ex, int status)
{
    exchange_set_body(ex, NULL, 0);
    ex->status = status;
    ex->response_type = NULL;
}

/* {"field", "code", "message", "params": {...}}: the code and params let a client say it
 * in the reader's language; the message is the same in English. */
static cJSON *field_error_json(const struct field_error *fe)
{
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "field", fe->field);
    cJSON_AddStringToObject(f, "code", fe->code);
    cJSON_AddStringToObject(f, "message", fe->message);
    cJSON *params = cJSON_AddObjectToObject(f, "params");
    for (int i = 0; i < fe->nparams; i++)
        cJSON_AddNumberToObject(params, fe->params[i].name, (double)fe->params[i].value);
    return f;
}

/* A lost race for the same rows clears at once; an outage takes a little longer. */
static int retry_seconds(const struct error *err)
{
    return strcmp(err->code, "transaction_conflict") == 0 ? 1 : 2;
}

void reply_error(struct exchange *ex, const struct error *err)
{
    const struct problem_kind *p = &PROBLEMS[err->kind];
    /* What went wrong inside (an id, a length, a statement) is for the log only. */
    bool internal = err->kind == ERR_INTERNAL || err->kind == ERR_NONE;
    if (internal)
        log_error("internal error: %s", err->message);
    cJSON *doc = cJSON_CreateObject();
    char *type = xasprintf("https://directline.example/problems/%s", p->slug);
    cJSON_AddStringToObject(doc, "type", type);
    free(type);
    cJSON_AddStringToObject(doc, "title", p->title);
    cJSON_AddNumberToObject(doc, "status", p->status);
    cJSON_AddStringToObject(doc, "code", err->code[0] ? err->code : p->code);
    cJSON_AddStringToObject(doc, "detail",
                            err->message[0] && !internal ? err->message : p->title);
    if (err->nfields > 0) {
        cJSON *fields = cJSON_AddArrayToObject(doc, "errors");
        for (int i = 0; i < err->nfields; i++)
            cJSON_AddItemToArray(fields, field_error_json(&err->fields[i]));
    }
    reply_json(ex, p->status, doc);
    ex->response_type = "application/problem+json";
    if (err->kind == ERR_UNAVAILABLE && ex->retry_after == 0)
        ex->retry_after = retry_seconds(err);
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
    exchange_set_body(ex, body, 0);
    ex->status = status;
    ex->response_type = content_type;
}
