/* directives_api.c -- the Department's directives (docs/ratings-and-directives.md):
 * officers and supervisors send guidance to all schools or to chosen clusters; each school
 * it reached reads it and acknowledges it; staff and the clusters' leaders see which
 * schools have not; the sweep reminds those (directive_store.h). */
#include "api/directives_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/json_input.h"
#include "api/query_params.h"
#include "api/reply.h"
#include "db/directive_store.h"
#include "domain/directive_rules.h"
#include "domain/validate.h"
#include "util/xalloc.h"

#define DIRECTIVES_DEFAULT_LIMIT 20
#define DIRECTIVES_MAX_LIMIT 100

/* "clusters": absent, null or empty for every school; else distinct cluster codes. */
static char *cluster_codes(const cJSON *doc, struct error *err)
{
    const cJSON *array = cJSON_GetObjectItemCaseSensitive(doc, "clusters");
    if (!array || cJSON_IsNull(array) || (cJSON_IsArray(array) && !array->child))
        return NULL;
    int n = cJSON_IsArray(array) ? cJSON_GetArraySize(array) : -1;
    if (n < 0 || n > DIRECTIVE_CLUSTERS_MAX) {
        error_field(err, "clusters", n < 0 ? "not_array" : "too_many",
                    "must be a list of at most %d cluster codes", DIRECTIVE_CLUSTERS_MAX);
        return NULL;
    }
    char *literal = xcalloc((size_t)n * 34 + 3, 1);
    size_t len = 0;
    int k = 0;
    literal[len++] = '{';
    for (const cJSON *item = array->child; item; item = item->next, k++) {
        char field[32];
        snprintf(field, sizeof field, "clusters[%d]", k);
        if (!cJSON_IsString(item) || strlen(item->valuestring) > 32) {
            error_field(err, field, "invalid_format", "must be a cluster code");
            continue;
        }
        if (!validate_code(err, field, item->valuestring))
            continue;
        len += (size_t)sprintf(literal + len, "%s%s", k ? "," : "", item->valuestring);
    }
    literal[len++] = '}';
    if (error_is_set(err)) {
        free(literal);
        return NULL;
    }
    return literal;
}

cJSON *directive_new_body(const struct exchange *ex, struct directive_input *in,
                          struct error *err)
{
    static const char *const allowed[] = {"title", "body", "clusters", "remind_after_days",
                                          NULL};
    *in = (struct directive_input){.remind_after_days = DIRECTIVE_REMIND_DEFAULT_DAYS};
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    json_string_field(doc, "title", true, false, false, DIRECTIVE_TITLE_MAX, &in->title, err);
    json_string_field(doc, "body", true, false, false, DIRECTIVE_BODY_MAX, &in->body, err);
    in->clusters = cluster_codes(doc, err);
    if (json_has(doc, "remind_after_days"))
        json_int_field(doc, "remind_after_days", "remind_after_days", DIRECTIVE_REMIND_MIN_DAYS,
                       DIRECTIVE_REMIND_MAX_DAYS, &in->remind_after_days, err);
    return doc;
}

static cJSON *directive_json(const struct db_rows *rows, int row)
{
    static const char *const TEXT[] = {"title", "body", "audience", "sent_by", "sent_by_name",
                                       "sent_at", NULL};
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "id", (double)db_rows_int(rows, row, "id"));
    for (const char *const *f = TEXT; *f; f++)
        cJSON_AddStringToObject(d, *f, db_rows_get(rows, row, *f));
    cJSON *clusters = cJSON_AddArrayToObject(d, "clusters");
    const char *codes = db_rows_get(rows, row, "clusters");
    for (const char *s = codes; s && *s;) {
        size_t len = strcspn(s, " ");
        char code[40];
        snprintf(code, sizeof code, "%.*s", (int)(len < 39 ? len : 39), s);
        cJSON_AddItemToArray(clusters, cJSON_CreateString(code));
        s += len + (s[len] == ' ');
    }
    cJSON_AddNumberToObject(d, "remind_after_days",
                            (double)db_rows_int(rows, row, "remind_after_days"));
    cJSON_AddNumberToObject(d, "schools", (double)db_rows_int(rows, row, "schools"));
    cJSON_AddNumberToObject(d, "acknowledged", (double)db_rows_int(rows, row, "acknowledged"));
    json_add_text_or_null(d, "acknowledged_at", db_rows_get(rows, row, "own_acknowledged_at"));
    return d;
}

static void reply_directive(struct exchange *ex, int status, int id)
{
    struct error err = {0};
    struct db_rows *rows = api_db(ex, &err) ? db_directive_get(ex->db, id, &err) : NULL;
    if (rows && db_rows_count(rows) == 0)
        error_set(&err, ERR_NOT_FOUND, "There is no directive %d.", id);
    if (rows && db_rows_count(rows) == 1)
        reply_json(ex, status, directive_json(rows, 0));
    else
        reply_failure(ex, &err, "The directive cannot be read.");
    db_rows_free(rows);
}

static bool clusters_known(struct db *db, const char *clusters, struct error *err)
{
    if (!clusters)
        return true;
    struct db_rows *rows = db_cluster_codes_unknown(db, clusters, err);
    if (!rows)
        return false;
    for (int i = 0; i < db_rows_count(rows); i++) {
        char field[32];
        snprintf(field, sizeof field, "clusters[%lld]", db_rows_int(rows, i, "k"));
        error_field(err, field, "unknown_code", "%s is not a known cluster",
                    db_rows_get(rows, i, "code"));
    }
    bool known = db_rows_count(rows) == 0;
    db_rows_free(rows);
    return known;
}

void directives_send(struct exchange *ex)
{
    struct error err = {0};
    struct directive_input in = {0};
    int id = 0;
    if (!directive_may_send(&ex->user.actor)) {
        reply_problem(ex, ERR_FORBIDDEN, "Only officers and supervisors send directives.");
        return;
    }
    cJSON *doc = directive_new_body(ex, &in, &err);
    struct db *db = error_is_set(&err) ? NULL : api_db(ex, &err);
    if (db && db_begin(db, &err) &&
        !(clusters_known(db, in.clusters, &err) &&
          db_directive_send(db, in.title, in.body, in.clusters, in.remind_after_days,
                            ex->user.actor.user_id, &id, &err) &&
          db_commit(db, &err)))
        db_rollback(db);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The directive cannot be sent as written; see errors.");
    else
        reply_directive(ex, 201, id);
    free(in.clusters);
    cJSON_Delete(doc);
}

void directives_list(struct exchange *ex)
{
    static const char *const names[] = {"limit", "cursor", NULL};
    struct error err = {0};
    int limit = 0;
    long long before = 0;
    struct db_rows *rows = NULL;
    if (query_check_names(ex, names, &err) &&
        (limit = query_limit(ex, DIRECTIVES_DEFAULT_LIMIT, DIRECTIVES_MAX_LIMIT, &err)) > 0 &&
        ((before = query_id_cursor(ex, "cursor", &err)) >= 0) && !error_is_set(&err) &&
        api_db(ex, &err))
        rows = db_directives_list(ex->db, (int)before, limit, &err);
    if (!rows) {
        reply_failure(ex, &err, "The directives cannot be listed as asked; see errors.");
        return;
    }
    int n = db_rows_count(rows);
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    for (int i = 0; i < n && i < limit; i++)
        cJSON_AddItemToArray(items, directive_json(rows, i));
    if (n > limit) {
        char cursor[24];
        snprintf(cursor, sizeof cursor, "%lld", db_rows_int(rows, limit - 1, "id"));
        cJSON_AddStringToObject(doc, "next_cursor", cursor);
    } else {
        cJSON_AddNullToObject(doc, "next_cursor");
    }
    db_rows_free(rows);
    reply_json(ex, 200, doc);
}

void directives_get(struct exchange *ex)
{
    reply_directive(ex, 200, exchange_path_id(ex));
}

void directives_schools(struct exchange *ex)
{
    static const char *const names[] = {"pending", NULL};
    struct error err = {0};
    int id = exchange_path_id(ex);
    if (!directive_sees_schools(&ex->user.actor)) {
        reply_problem(ex, ERR_FORBIDDEN, "Staff and cluster leaders see which schools "
                                         "acknowledged a directive.");
        return;
    }
    int pending = query_check_names(ex, names, &err) ? query_flag(ex, "pending", &err) : 0;
    struct db_rows *d = !error_is_set(&err) && api_db(ex, &err)
                            ? db_directive_get(ex->db, id, &err) : NULL;
    struct db_rows *rows = NULL;
    if (d && db_rows_count(d) == 0)
        error_set(&err, ERR_NOT_FOUND, "There is no directive %d.", id);
    else if (d)
        rows = db_directive_schools(ex->db, id, pending == 1, &err);
    db_rows_free(d);
    if (!rows) {
        reply_failure(ex, &err, "The directive's schools cannot be listed; see errors.");
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    for (int i = 0; i < db_rows_count(rows); i++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "school", db_rows_get(rows, i, "school"));
        cJSON_AddStringToObject(s, "school_name", db_rows_get(rows, i, "school_name"));
        cJSON_AddStringToObject(s, "cluster", db_rows_get(rows, i, "cluster"));
        json_add_text_or_null(s, "acknowledged_by", db_rows_get(rows, i, "acknowledged_by"));
        json_add_text_or_null(s, "acknowledged_at", db_rows_get(rows, i, "acknowledged_at"));
        json_add_text_or_null(s, "reminded_at", db_rows_get(rows, i, "reminded_at"));
        cJSON_AddItemToArray(items, s);
    }
    db_rows_free(rows);
    reply_json(ex, 200, doc);
}

static bool acknowledge(struct exchange *ex, int id, struct error *err)
{
    bool reached = false, already = false;
    if (!db_directive_acknowledge(ex->db, id, ex->user.actor.school_id, ex->user.actor.user_id,
                                  &reached, &already, err))
        return false;
    if (!reached)
        return error_set(err, ERR_NOT_FOUND, "There is no directive %d for your school.", id);
    return true;    /* acknowledging again changes nothing: the first time stands */
}

void directives_acknowledge(struct exchange *ex)
{
    struct error err = {0};
    int id = exchange_path_id(ex);
    if (!directive_may_acknowledge(&ex->user.actor)) {
        reply_problem(ex, ERR_FORBIDDEN, "A school's principal acknowledges a directive.");
        return;
    }
    struct db *db = api_db(ex, &err);
    if (db && db_begin(db, &err) && !(acknowledge(ex, id, &err) && db_commit(db, &err)))
        db_rollback(db);
    if (error_is_set(&err))
        reply_failure(ex, &err, "The directive cannot be acknowledged.");
    else
        reply_directive(ex, 200, id);
}
