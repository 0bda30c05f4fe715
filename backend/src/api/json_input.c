/* json_input.c -- strict JSON input. cJSON accepts duplicate keys (first wins), cuts
 * strings at \u0000 and does not check UTF-8, so those are checked here before and
 * after parsing. */
#include "api/json_input.h"

#include <math.h>
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

/* What a walk over the raw text found wrong inside a string, before cJSON sees it:
 * cJSON neither checks UTF-8 nor keeps text after a \u0000 escape. */
enum text_fault { TEXT_OK, TEXT_BAD_UTF8, TEXT_NUL };

struct text_scan {
    int depth;
    bool top_is_object;
    bool expect_key;            /* the next string at depth 1 is a key */
    char key[64];               /* the top-level key whose value we are in */
};

/* Length of the string starting after its opening quote, up to the closing quote; sets
 * *fault when the string holds invalid UTF-8 or a \u0000 escape. */
static size_t scan_string(const char *s, size_t len, enum text_fault *fault)
{
    size_t i = 0;
    while (i < len && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < len) {
            if (s[i + 1] == 'u' && i + 5 < len && strncmp(s + i + 2, "0000", 4) == 0)
                *fault = TEXT_NUL;
            i += 2;
            continue;
        }
        i++;
    }
    if (*fault == TEXT_OK && !utf8_valid(s, i))
        *fault = TEXT_BAD_UTF8;
    return i;
}

static void note_key(struct text_scan *sc, const char *s, size_t n)
{
    size_t copy = n < sizeof sc->key - 1 ? n : sizeof sc->key - 1;
    memcpy(sc->key, s, copy);
    sc->key[copy] = '\0';
    if (!utf8_valid(sc->key, copy))
        strcpy(sc->key, "body");
}

/* Walks the raw body; on a fault names the top-level field it sits in ("body" when it is
 * in a key or outside any field). */
static enum text_fault scan_text(const char *s, size_t len, char field[64])
{
    struct text_scan sc = {.key = "body"};
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '"') {
            enum text_fault fault = TEXT_OK;
            size_t n = scan_string(s + i + 1, len - i - 1, &fault);
            bool is_key = sc.depth == 1 && sc.top_is_object && sc.expect_key;
            if (fault != TEXT_OK) {
                strcpy(field, is_key || sc.depth == 0 ? "body" : sc.key);
                return fault;
            }
            if (is_key) {
                note_key(&sc, s + i + 1, n);
                sc.expect_key = false;
            }
            i += n + 1;
        } else if (c == '{' || c == '[') {
            if (sc.depth++ == 0) {
                sc.top_is_object = c == '{';
                sc.expect_key = true;
            }
        } else if (c == '}' || c == ']') {
            sc.depth--;
        } else if (c == ',' && sc.depth == 1) {
            sc.expect_key = true;
        } else if (c == '\0') {
            strcpy(field, "body");
            return TEXT_NUL;
        } else if ((unsigned char)c >= 0x80) {
            strcpy(field, sc.depth == 1 ? sc.key : "body");
            return TEXT_BAD_UTF8;   /* bytes outside strings: not JSON, and not text */
        }
    }
    return TEXT_OK;
}

/* Counted per allowed key (a handful), not pair by pair: a 64 KiB body holds thousands of
 * keys, and comparing every pair would cost tens of millions of comparisons per request.
 * A repeated unknown key is reported as unknown. */
static const char *duplicate_allowed_key(const cJSON *obj, const char *const *allowed)
{
    for (; *allowed; allowed++) {
        int seen = 0;
        for (const cJSON *item = obj->child; item; item = item->next)
            if (strcmp(item->string, *allowed) == 0 && ++seen == 2)
                return *allowed;
    }
    return NULL;
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
    const char *dup = duplicate_allowed_key(obj, allowed);
    if (dup)
        error_field(err, dup, "duplicate_key", "appears more than once");
    for (const cJSON *item = obj->child; item; item = item->next)
        if (!is_allowed(allowed, item->string))
            error_field(err, item->string, "unknown_field", "is not a known field");
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
        error_field(err, "body", "not_object", "must be a JSON object");
        error_set(err, ERR_INVALID, "The request body is empty.");
        return NULL;
    }
    char field[64] = "body";
    switch (scan_text(ex->body, ex->body_len, field)) {
    case TEXT_BAD_UTF8:
        error_field(err, field, "invalid_utf8", "is not valid UTF-8");
        error_set(err, ERR_INVALID, "The request holds text that is not valid UTF-8.");
        return NULL;
    case TEXT_NUL:
        error_field(err, field, "nul_char", "must not contain the NUL character (\\u0000)");
        error_set(err, ERR_INVALID, "Text must not contain the NUL character.");
        return NULL;
    case TEXT_OK:
        break;
    }
    /* Trailing bytes after the object are an error, not ignored. cJSON wants to see the
     * terminating NUL for that (the body buffer has one; raw NULs were refused above). */
    cJSON *doc = cJSON_ParseWithLengthOpts(ex->body, ex->body_len + 1, NULL, true);
    if (!doc || !cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        error_field(err, "body", doc ? "not_object" : "not_json",
                    doc ? "must be a JSON object" : "is not well-formed JSON");
        error_set(err, ERR_INVALID, "The request body must be one JSON object.");
        return NULL;
    }
    if (!check_keys(doc, allowed, err)) {
        cJSON_Delete(doc);
        error_set(err, ERR_INVALID, "The request body has fields that are repeated or not accepted; see errors.");
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
            return error_field(err, name, "required", "is required");
        return true;
    }
    if (!cJSON_IsString(item))
        return error_field(err, name, "not_text", "must be a string");
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
        return error_field(err, name, "not_boolean", "must be true or false");
    *out = cJSON_IsTrue(item);
    return true;
}

bool json_int_field(const cJSON *obj, const char *name, const char *label, int min, int max,
                    int *out, struct error *err)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!item)
        return error_field(err, label, "required", "is required");
    /* cJSON keeps every number as a double, and 1e400 arrives as infinity. The double is
     * checked before any conversion, since converting one that is infinite, NaN or past
     * the integer's range is undefined behaviour; the comparison is written so that NaN
     * fails it. Inside [min, max] the cast is defined: a whole number survives it. */
    double v = cJSON_IsNumber(item) ? item->valuedouble : 0.0;
    if (!cJSON_IsNumber(item) || !isfinite(v) || !(v >= min && v <= max) ||
        (double)(int)v != v)
        return error_field(err, label, "out_of_range", "must be a whole number from %d to %d",
                           min, max) || error_param(err, "min", min) || error_param(err, "max", max);
    *out = (int)v;
    return true;
}

/* Record ids are bigserial, but JSON numbers reach us as doubles: whole numbers up to
 * 2^53 are exact, which is as far as an id is taken. */
#define JSON_ID_MAX 9007199254740992.0

bool json_id_field(const cJSON *obj, const char *name, long long *out, struct error *err)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!item)
        return true;
    double v = cJSON_IsNumber(item) ? item->valuedouble : 0.0;
    if (!cJSON_IsNumber(item) || !isfinite(v) || !(v >= 1 && v <= JSON_ID_MAX) ||
        (double)(long long)v != v)
        return error_field(err, name, "invalid_id", "must be a record id (a whole number"
                           " from 1)") || error_param(err, "min", 1);
    *out = (long long)v;
    return true;
}

bool json_keys_allowed(const cJSON *obj, const char *const *allowed, const char *label,
                       struct error *err)
{
    bool ok = true;
    for (const cJSON *item = obj->child; item; item = item->next) {
        if (!is_allowed(allowed, item->string)) {
            error_field(err, label, "unknown_field",
                        "has an unknown field \"%.40s\"", item->string);
            ok = false;
        }
    }
    return ok;
}
