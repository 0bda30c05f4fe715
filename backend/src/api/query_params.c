/* query_params.c -- strict query-string readers shared by the lists: the admin ones, the
 * issues and their counts, the escalations board, the officers. */
#include "api/query_params.h"

#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"

bool query_check_names(const struct exchange *ex, const char *const *allowed,
                       struct error *err)
{
    if (ex->query_overflow)
        error_field(err, "query", "too_many", "has too many parameters");
    for (int i = 0; i < ex->nquery; i++) {
        const char *key = ex->query[i].key, *value = ex->query[i].value;
        bool known = false;
        for (const char *const *n = allowed; *n && !known; n++)
            known = strcmp(*n, key) == 0;
        if (!known)
            error_field(err, key, "unknown_parameter", "is not a known parameter");
        else if (!value || !utf8_valid(value, strlen(value)))
            error_field(err, key, "invalid_utf8", "is not valid UTF-8");
        else if (exchange_query(ex, key) != value)
            error_field(err, key, "repeated", "appears more than once");
    }
    return !error_is_set(err);
}

static bool parse_whole(const char *s, long long *out)
{
    size_t len = strlen(s);
    if (len == 0 || len > 18 || strspn(s, "0123456789") != len)
        return false;
    *out = strtoll(s, NULL, 10);
    return true;
}

int query_limit(const struct exchange *ex, int fallback, int max, struct error *err)
{
    const char *value = exchange_query(ex, "limit");
    long long n = fallback;
    if (value && (!parse_whole(value, &n) || n < 1 || n > max)) {
        error_field(err, "limit", "out_of_range", "must be a whole number from 1 to %d", max);
        error_param(err, "min", 1);
        error_param(err, "max", max);
        return fallback;
    }
    return (int)n;
}

int query_flag(const struct exchange *ex, const char *name, struct error *err)
{
    const char *value = exchange_query(ex, name);
    if (!value)
        return -1;
    if (strcmp(value, "true") == 0)
        return 1;
    if (strcmp(value, "false") == 0)
        return 0;
    error_field(err, name, "not_boolean", "must be true or false");
    return -1;
}

long long query_id_cursor(const struct exchange *ex, const char *name, struct error *err)
{
    const char *value = exchange_query(ex, name);
    long long id = 0;
    if (value && (!parse_whole(value, &id) || id < 1)) {
        error_field(err, name, "invalid_cursor", "is not a cursor this server gave out");
        return 0;
    }
    return id;
}

bool query_pair_cursor(const struct exchange *ex, long long *key, long long *id,
                       struct error *err)
{
    const char *value = exchange_query(ex, "cursor");
    if (!value)
        return false;
    char first[24] = "", second[24] = "";
    const char *dot = strchr(value, '.');
    if (dot && (size_t)(dot - value) < sizeof first && strlen(dot + 1) < sizeof second) {
        memcpy(first, value, (size_t)(dot - value));
        strcpy(second, dot + 1);
    }
    if (!parse_whole(first, key) || !parse_whole(second, id))
        return error_field(err, "cursor", "invalid_cursor",
                           "is not a cursor this server gave out");
    return true;
}

/* Codes must name something that exists: a typo is an error, not an empty list. */
bool query_check_code(struct db *db, enum reference_kind kind, const char *field,
                      const char *code, struct error *err)
{
    if (!code)
        return true;
    bool exists = false;
    if (!validate_code(err, field, code))
        return false;
    if (!db_reference_exists(db, kind, code, &exists, err))
        return false;
    return exists || error_field(err, field, "unknown_code", "%s is not a known code", code);
}

bool query_db_failed(const struct error *err)
{
    return err->kind == ERR_UNAVAILABLE || err->kind == ERR_INTERNAL;
}
