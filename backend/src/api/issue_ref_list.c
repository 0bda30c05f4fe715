/* issue_ref_list.c -- lists of issue references in bodies, as issue_ref_list.h says. The
 * literal is safe to build by hand: a checked reference is letters, digits and dashes. */
#include "api/issue_ref_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/meeting_store.h"
#include "domain/validate.h"
#include "util/xalloc.h"

#define REF_MAX_LEN 32

static bool repeated(const cJSON *array, const cJSON *item)
{
    for (const cJSON *e = array->child; e && e != item; e = e->next)
        if (cJSON_IsString(e) && strcmp(e->valuestring, item->valuestring) == 0)
            return true;
    return false;
}

char *issue_ref_list(const cJSON *obj, const char *name, int max, bool required,
                     struct error *err)
{
    const cJSON *array = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!array || cJSON_IsNull(array)) {
        if (required)
            error_field(err, name, "required", "is required: a list of issue references");
        return required ? NULL : xstrdup("{}");
    }
    if (!cJSON_IsArray(array)) {
        error_field(err, name, "not_array", "must be a list of issue references");
        return NULL;
    }
    int n = cJSON_GetArraySize(array);
    if (n > max) {
        error_field(err, name, "too_many", "holds at most %d issues", max);
        error_param(err, "max", max);
        return NULL;
    }
    char *literal = xcalloc((size_t)n * (REF_MAX_LEN + 1) + 3, 1);
    size_t len = 0;
    bool ok = true;
    int k = 0;
    literal[len++] = '{';
    for (const cJSON *item = array->child; item; item = item->next, k++) {
        char field[48];
        snprintf(field, sizeof field, "%s[%d]", name, k);
        if (!cJSON_IsString(item) || strlen(item->valuestring) > REF_MAX_LEN ||
            !validate_issue_ref(item->valuestring)) {
            ok = error_field(err, field, "invalid_format",
                             "must be an issue reference like HT-2026-000123");
        } else if (repeated(array, item)) {
            ok = error_field(err, field, "repeated", "%s appears more than once",
                             item->valuestring);
        } else if (ok) {
            len += (size_t)sprintf(literal + len, "%s%s", k ? "," : "", item->valuestring);
        }
    }
    literal[len++] = '}';
    if (!ok) {
        free(literal);
        return NULL;
    }
    return literal;
}

bool issue_refs_known(struct db *db, const char *refs, const char *name, struct error *err)
{
    struct db_rows *rows = db_issue_refs_unknown(db, refs, err);
    if (!rows)
        return false;
    for (int i = 0; i < db_rows_count(rows); i++) {
        char field[48];
        snprintf(field, sizeof field, "%s[%lld]", name, db_rows_int(rows, i, "k"));
        error_field(err, field, "unknown_issue", "%s is not a known issue",
                    db_rows_get(rows, i, "ref"));
    }
    bool known = db_rows_count(rows) == 0;
    db_rows_free(rows);
    return known;
}
