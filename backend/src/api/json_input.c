/* json_input.c -- strict JSON input. cJSON accepts duplicate keys (first wins), cuts
 * strings at \u0000 and does not check UTF-8, so those are checked here before and
 * after parsing. */
#include "api/json_input.h"

#include <string.h>
#include <strings.h>

#include "domain/validate.h"

static bool is_json_content_type(const char *ct)
{
    if (!ct)
        return false;
    size_t n = strlen("application/json");
    return strncasecmp(ct, "application/json", n) == 0 && (ct[n] == '\0' || ct[n] == ';' ||
                                                           ct[n] == ' ');
}

/* A \u0000 escape anywhere in a string would silently truncate it in cJSON. */
static bool has_escaped_nul(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] != '\\')
            continue;
        if (s[i + 1] == 'u' && i + 5 < len && strncmp(s + i + 2, "0000", 4) == 0)
            return true;
        i++;   /* skip the escaped character, so "\\u0000" is not mistaken */
    }
    return false;
}

static bool has_duplicate_key(const cJSON *obj, const char **dup)
{
    for (const cJSON *a = obj->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (strcmp(a->string, b->string) == 0) {
                *dup = a->string;
                return true;
            }
    return false;
}

static bool is_allowed(const char *const *allowed, const char *key)
{
    for (; *allowed; allowed++)
        if (strcmp(*allowed, key) == 0)
            return true;
    return false;
}

static bool check_keys(const cJSON *obj, const char *const *allowed, struct error *err)
{
    const char *dup = NULL;
    if (has_duplicate_key(obj, &dup))
        error_field(err, dup, "appears more than once");
    for (const cJSON *item = obj->child; item; item = item->next)
        if (!is_allowed(allowed, item->string))
            error_field(err, item->string, "is not a known field");
    return !error_is_set(err);
}

cJSON *json_body_object(const struct exchange *ex, const char *const *allowed,
                        struct error *err)
{
    if (!is_json_content_type(ex->content_type)) {
        error_set(err, ERR_UNSUPPORTED, "Send the body as application/json.");
        return NULL;
    }
    if (!ex->body || ex->body_len == 0) {
        error_field(err, "body", "must be a JSON object");
        error_set(err, ERR_INVALID, "The request body is empty.");
        return NULL;
    }
    if (!utf8_valid(ex->body, ex->body_len)) {
        error_field(err, "body", "is not valid UTF-8");
        error_set(err, ERR_INVALID, "The request body is not valid UTF-8.");
        return NULL;
    }
    if (has_escaped_nul(ex->body, ex->body_len)) {
        error_field(err, "body", "must not contain \\u0000");
        error_set(err, ERR_INVALID, "Text must not contain the NUL character.");
        return NULL;
    }
    cJSON *doc = cJSON_ParseWithLength(ex->body, ex->body_len);
    if (!doc || !cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        error_field(err, "body", doc ? "must be a JSON object" : "is not well-formed JSON");
        error_set(err, ERR_INVALID, "The request body must be one JSON object.");
        return NULL;
    }
    if (!check_keys(doc, allowed, err)) {
        cJSON_Delete(doc);
        error_set(err, ERR_INVALID, "The request body has fields that are not accepted.");
        return NULL;
    }
    return doc;
}

bool json_has(const cJSON *obj, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(obj, name) != NULL;
}

bool json_string_field(const cJSON *obj, const char *name, bool required, bool allow_null,
                       bool allow_empty, size_t max_chars, const char **out,
                       struct error *err)
{
    *out = NULL;
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!item || (allow_null && cJSON_IsNull(item))) {
        if (required)
            return error_field(err, name, "is required");
        return true;
    }
    if (!cJSON_IsString(item))
        return error_field(err, name, "must be a string");
    bool ok = allow_empty ? validate_optional_text(err, name, item->valuestring, max_chars)
                          : validate_text(err, name, item->valuestring, max_chars);
    if (ok)
        *out = item->valuestring;
    return ok;
}

bool json_bool_field(const cJSON *obj, const char *name, bool *out, struct error *err)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!item)
        return true;
    if (!cJSON_IsBool(item))
        return error_field(err, name, "must be true or false");
    *out = cJSON_IsTrue(item);
    return true;
}
