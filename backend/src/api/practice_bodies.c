/* practice_bodies.c -- the request bodies of the practice library (practices_api.h):
 * a practice published from an issue or proposed by a school, an edit, a review; each
 * field checked, each error naming its field. */
#include "api/practices_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/json_input.h"
#include "domain/practice_rules.h"
#include "domain/validate.h"
#include "util/xalloc.h"

/* title, problem, solution: required for a new one, optional in an edit. */
static void text_fields(const cJSON *doc, struct practice_text *t, bool required,
                        struct error *err)
{
    json_string_field(doc, "title", required, false, false, PRACTICE_TITLE_MAX, &t->title, err);
    json_string_field(doc, "problem", required, false, false, PRACTICE_TEXT_MAX, &t->problem,
                      err);
    json_string_field(doc, "solution", required, false, false, PRACTICE_TEXT_MAX,
                      &t->solution, err);
}

/* "files": the ids of the issue's attachments that travel with it, as an array literal. */
static char *file_ids(const cJSON *doc, struct error *err)
{
    const cJSON *array = cJSON_GetObjectItemCaseSensitive(doc, "files");
    if (!array || cJSON_IsNull(array))
        return xstrdup("{}");
    int n = cJSON_IsArray(array) ? cJSON_GetArraySize(array) : -1;
    if (n < 0 || n > PRACTICE_FILES_MAX) {
        error_field(err, "files", n < 0 ? "not_array" : "too_many",
                    "must be a list of at most %d attachment ids", PRACTICE_FILES_MAX);
        return NULL;
    }
    char *literal = xcalloc((size_t)n * 21 + 3, 1);
    size_t len = 0;
    int k = 0;
    literal[len++] = '{';
    for (const cJSON *item = array->child; item; item = item->next, k++) {
        char field[32];
        snprintf(field, sizeof field, "files[%d]", k);
        bool whole = cJSON_IsNumber(item) && item->valuedouble >= 1 &&
                     item->valuedouble <= 9007199254740991.0 &&
                     item->valuedouble == (double)(long long)item->valuedouble;
        if (!whole)
            error_field(err, field, "invalid_id", "must be an attachment id");
        else
            len += (size_t)sprintf(literal + len, "%s%lld", k ? "," : "",
                                   (long long)item->valuedouble);
    }
    literal[len++] = '}';
    if (error_is_set(err)) {
        free(literal);
        return NULL;
    }
    return literal;
}

cJSON *practice_new_body(const struct exchange *ex, bool from_issue, struct practice_input *in,
                         struct error *err)
{
    static const char *const from_issue_keys[] = {"issue", "title", "problem", "solution",
                                                  "files", NULL};
    static const char *const own_keys[] = {"category", "title", "problem", "solution", NULL};
    *in = (struct practice_input){0};
    cJSON *doc = json_body_object(ex, from_issue ? from_issue_keys : own_keys, err);
    if (!doc)
        return NULL;
    text_fields(doc, &in->text, true, err);
    if (from_issue) {
        if (json_string_field(doc, "issue", true, false, false, 40, &in->issue, err) &&
            !validate_issue_ref(in->issue))
            error_field(err, "issue", "invalid_format",
                        "must be an issue reference like HT-2026-000123");
        in->files = file_ids(doc, err);
    } else if (json_string_field(doc, "category", true, false, false, 32, &in->category, err)) {
        validate_code(err, "category", in->category);
    }
    return doc;
}

cJSON *practice_patch_body(const struct exchange *ex, struct practice_input *in,
                           struct error *err)
{
    static const char *const keys[] = {"title", "problem", "solution", "category", NULL};
    *in = (struct practice_input){0};
    cJSON *doc = json_body_object(ex, keys, err);
    if (!doc)
        return NULL;
    if (!doc->child)
        error_set(err, ERR_INVALID, "Nothing to change: send title, problem, solution or "
                                    "category.");
    text_fields(doc, &in->text, false, err);
    if (json_string_field(doc, "category", false, false, false, 32, &in->category, err) &&
        in->category)
        validate_code(err, "category", in->category);
    return doc;
}

cJSON *practice_review_body(const struct exchange *ex, const char **decision,
                            const char **note, struct practice_text *text, struct error *err)
{
    static const char *const keys[] = {"decision", "note", "title", "problem", "solution",
                                       NULL};
    enum practice_review review = PRACTICE_PUBLISH;
    *text = (struct practice_text){0};
    cJSON *doc = json_body_object(ex, keys, err);
    if (!doc)
        return NULL;
    if (json_string_field(doc, "decision", true, false, false, 16, decision, err) &&
        !practice_review_parse(*decision, &review))
        error_field(err, "decision", "invalid_value", "must be publish, decline or withdraw");
    bool needs_note = *decision && (strcmp(*decision, "decline") == 0 ||
                                    strcmp(*decision, "withdraw") == 0);
    json_string_field(doc, "note", needs_note, true, false, PRACTICE_NOTE_MAX, note, err);
    text_fields(doc, text, false, err);
    return doc;
}
