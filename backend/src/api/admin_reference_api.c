/* admin_reference_api.c -- POST /api/{clusters,schools,divisions,categories} and PATCH
 * .../{code} (admin only). One table describes each kind's fields; creating and patching
 * are the same two functions for all four. A code is fixed once created. */
#include "api/admin_api.h"

#include <stdlib.h>
#include <string.h>

#include "api/json_input.h"
#include "api/reply.h"
#include "api/request_bodies.h"
#include "db/reference_admin_store.h"
#include "domain/validate.h"
#include "util/xalloc.h"

#define MAX_FIELDS REFADMIN_MAX_FIELDS
#define DESCRIPTION_MAX_CHARS 300

enum field_type {
    F_CODE,      /* the immutable code */
    F_TEXT,      /* required, non-blank, at most max characters */
    F_LINE,      /* one line, may be empty, at most max characters */
    F_REF,       /* the code of a row of another kind */
    F_ENUM,      /* one of choices */
    F_BOOL,
};

struct field {
    const char *name;
    enum field_type type;
    bool optional;                 /* on create; PATCH takes any subset */
    int max;
    enum reference_kind ref;
    const char *const *choices;    /* NULL-terminated */
};

struct resource {
    enum reference_kind kind;
    const char *noun;              /* "school": the audit action's prefix, messages */
    const char *path;              /* "/api/schools" */
    struct field fields[MAX_FIELDS];
    int nfields;
};

static const char *const KINDS[] = {"management", "teaching", NULL};
static const char *const PRIORITIES[] = {"low", "normal", "high", "urgent", NULL};

static const struct resource CLUSTERS = {REF_CLUSTERS, "cluster", "/api/clusters", {
    {"code", F_CODE, false, 32, 0, NULL}, {"name", F_TEXT, false, 200, 0, NULL},
}, 2};
static const struct resource SCHOOLS = {REF_SCHOOLS, "school", "/api/schools", {
    {"code", F_CODE, false, 32, 0, NULL}, {"name", F_TEXT, false, 200, 0, NULL},
    {"cluster", F_REF, false, 32, REF_CLUSTERS, NULL}, {"commune", F_TEXT, false, 200, 0, NULL},
}, 4};
static const struct resource DIVISIONS = {REF_DIVISIONS, "division", "/api/divisions", {
    {"code", F_CODE, false, 32, 0, NULL}, {"name", F_TEXT, false, 200, 0, NULL},
    {"name_en", F_TEXT, false, 200, 0, NULL},
}, 3};
static const struct resource CATEGORIES = {REF_CATEGORIES, "category", "/api/categories", {
    {"code", F_CODE, false, 32, 0, NULL}, {"name", F_TEXT, false, 200, 0, NULL},
    {"name_en", F_TEXT, false, 200, 0, NULL}, {"kind", F_ENUM, false, 16, 0, KINDS},
    {"division", F_REF, false, 32, REF_DIVISIONS, NULL},
    {"default_priority", F_ENUM, true, 16, 0, PRIORITIES},
    {"description", F_LINE, true, DESCRIPTION_MAX_CHARS, 0, NULL},
    {"description_en", F_LINE, true, DESCRIPTION_MAX_CHARS, 0, NULL},
    {"active", F_BOOL, true, 0, 0, NULL}, {"sensitive", F_BOOL, true, 0, 0, NULL},
}, 10};

static const struct resource *resource_of(enum reference_kind kind)
{
    static const struct resource *const ALL[] = {
        [REF_CLUSTERS] = &CLUSTERS, [REF_SCHOOLS] = &SCHOOLS,
        [REF_DIVISIONS] = &DIVISIONS, [REF_CATEGORIES] = &CATEGORIES,
    };
    return ALL[kind];
}

/* ----------------------------------------------------------------------- reading */

static bool one_of(const char *value, const char *const *choices)
{
    for (const char *const *c = choices; *c; c++)
        if (strcmp(*c, value) == 0)
            return true;
    return false;
}

/* One field's value as text ("true"/"false" for a boolean); NULL when absent or wrong. */
static const char *read_field(const cJSON *doc, const struct field *f, bool required,
                              struct error *err)
{
    const char *value = NULL;
    if (f->type == F_BOOL) {
        bool b = false;
        if (!json_has(doc, f->name)) {
            if (required)
                error_field(err, f->name, "required", "is required");
            return NULL;
        }
        return json_bool_field(doc, f->name, &b, err) ? (b ? "true" : "false") : NULL;
    }
    if (!json_string_field(doc, f->name, required, false, f->type == F_LINE, (size_t)f->max,
                           &value, err) || !value)
        return NULL;
    if (f->type == F_LINE && strpbrk(value, "\r\n"))
        return error_field(err, f->name, "not_one_line", "must be one line"), NULL;
    if ((f->type == F_CODE || f->type == F_REF) && !validate_code(err, f->name, value))
        return NULL;
    if (f->type == F_ENUM && !one_of(value, f->choices))
        return error_field(err, f->name, "invalid_value", "is not one of the allowed values"),
               NULL;
    return value;
}

/* The body's allowed keys: every field (PATCH may repeat the code, not change it). */
static void allowed_names(const struct resource *r, const char **names)
{
    int n = 0;
    for (int i = 0; i < r->nfields; i++)
        names[n++] = r->fields[i].name;
    names[n] = NULL;
}

cJSON *refadmin_create_body(const struct exchange *ex, enum reference_kind kind,
                            const char **values, struct error *err)
{
    const struct resource *r = resource_of(kind);
    const char *allowed[MAX_FIELDS + 1];
    allowed_names(r, allowed);
    cJSON *doc = json_body_object(ex, allowed, err);
    for (int i = 0; doc && i < r->nfields; i++)
        values[i] = read_field(doc, &r->fields[i], !r->fields[i].optional, err);
    return doc;
}

cJSON *refadmin_patch_body(const struct exchange *ex, enum reference_kind kind,
                           const char *code, const char **values, struct error *err)
{
    const struct resource *r = resource_of(kind);
    const char *allowed[MAX_FIELDS + 1];
    allowed_names(r, allowed);
    cJSON *doc = json_body_object(ex, allowed, err);
    if (!doc)
        return NULL;
    const cJSON *sent_code = cJSON_GetObjectItemCaseSensitive(doc, "code");
    if (sent_code && !(cJSON_IsString(sent_code) && strcmp(sent_code->valuestring, code) == 0))
        error_field(err, "code", "immutable", "cannot be changed once created");
    bool any = false;
    for (int i = 1; i < r->nfields; i++)
        any |= (values[i] = read_field(doc, &r->fields[i], false, err)) != NULL;
    if (!any && !error_is_set(err))
        error_field(err, "body", "nothing_to_change", "names nothing to change");
    return doc;
}

static bool refs_exist(struct db *db, const struct resource *r, const char *const *values,
                       struct error *err)
{
    for (int i = 0; i < r->nfields; i++) {
        bool exists = false;
        const struct field *f = &r->fields[i];
        if (f->type != F_REF || !values[i])
            continue;
        if (!db_reference_exists(db, f->ref, values[i], &exists, err))
            return false;
        if (!exists)
            error_field(err, f->name, "unknown_code", "%s is not a known code", values[i]);
    }
    return !error_is_set(err);
}

/* ----------------------------------------------------------------------- answering */

static cJSON *value_json(const struct field *f, const char *value)
{
    if (!value)
        return cJSON_CreateNull();
    if (f->type == F_BOOL)
        return cJSON_CreateBool(strcmp(value, "true") == 0);
    return cJSON_CreateString(value);
}

static void reply_item(struct exchange *ex, int status, const struct resource *r,
                       const char *code)
{
    struct error err = {0};
    struct db_rows *rows = db_refadmin_row(ex->db, r->kind, code, false, &err);
    if (!rows || db_rows_count(rows) != 1) {
        if (rows)
            error_coded(&err, ERR_NOT_FOUND, "unknown_code", "There is no %s %s.", r->noun, code);
        db_rows_free(rows);
        reply_error(ex, &err);
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    for (int i = 0; i < r->nfields; i++)
        cJSON_AddItemToObject(doc, r->fields[i].name,
                              value_json(&r->fields[i], db_rows_get(rows, 0, r->fields[i].name)));
    db_rows_free(rows);
    reply_json(ex, status, doc);
}

static char *action_name_of(const struct resource *r, const char *verb)
{
    return xasprintf("%s.%s", r->noun, verb);
}

/* ----------------------------------------------------------------------- create */

/* Every field but the code (the target), from null to its value. */
static cJSON *creation_details(const struct resource *r, const char *const *values)
{
    cJSON *details = cJSON_CreateObject();
    for (int i = 1; i < r->nfields; i++)
        if (values[i])
            audit_change(details, r->fields[i].name, NULL, value_json(&r->fields[i], values[i]));
    return details;
}

static void create(struct exchange *ex, const struct resource *r)
{
    const char *values[MAX_FIELDS] = {NULL};
    struct error err = {0};
    char *action = NULL;
    if (!admin_require(ex))
        return;
    cJSON *doc = refadmin_create_body(ex, r->kind, values, &err);
    if (!doc || error_is_set(&err) || !api_db(ex, &err) || !refs_exist(ex->db, r, values, &err) ||
        !db_begin(ex->db, &err))
        goto out;
    action = action_name_of(r, "create");
    if (!db_refadmin_insert(ex->db, r->kind, values, &err) ||
        !audit_record(ex, action, values[0], creation_details(r, values), &err) ||
        !db_commit(ex->db, &err)) {
        db_rollback(ex->db);
        goto out;
    }
    ex->location = xasprintf("%s/%s", r->path, values[0]);
    reply_item(ex, 201, r, values[0]);
out:
    if (error_is_set(&err))
        reply_failure(ex, &err, "It cannot be created as sent; see errors.");
    free(action);
    cJSON_Delete(doc);
}

/* ----------------------------------------------------------------------- patch */

/* Inside the transaction: sets each field whose value differs and writes the audit row
 * (none when nothing differs). */
static bool store_patch(struct exchange *ex, const struct resource *r, const char *code,
                        const char *const *values, struct error *err)
{
    struct db_rows *row = db_refadmin_row(ex->db, r->kind, code, true, err);
    if (!row)
        return false;
    bool ok = db_rows_count(row) == 1 ||
              error_coded(err, ERR_NOT_FOUND, "unknown_code", "There is no %s %s.", r->noun, code);
    cJSON *details = cJSON_CreateObject();
    for (int i = 1; ok && i < r->nfields; i++) {
        const struct field *f = &r->fields[i];
        const char *was = db_rows_get(row, 0, f->name);
        if (!values[i] || (was && strcmp(was, values[i]) == 0))
            continue;
        audit_change(details, f->name, value_json(f, was), value_json(f, values[i]));
        ok = db_refadmin_set(ex->db, r->kind, code, f->name, values[i], err);
    }
    db_rows_free(row);
    if (!ok || !details->child) {
        cJSON_Delete(details);
        return ok;
    }
    char *action = action_name_of(r, "update");
    ok = audit_record(ex, action, code, details, err);
    free(action);
    return ok;
}

static void patch(struct exchange *ex, const struct resource *r)
{
    const char *values[MAX_FIELDS] = {NULL};
    struct error err = {0};
    const char *code = exchange_path_param(ex, "code");
    if (!admin_require(ex))
        return;
    cJSON *doc = refadmin_patch_body(ex, r->kind, code, values, &err);
    if (!doc || error_is_set(&err) || !api_db(ex, &err) || !refs_exist(ex->db, r, values, &err) ||
        !db_begin(ex->db, &err))
        goto out;
    if (!store_patch(ex, r, code, values, &err) || !db_commit(ex->db, &err)) {
        db_rollback(ex->db);
        goto out;
    }
    reply_item(ex, 200, r, code);
out:
    if (error_is_set(&err))
        reply_failure(ex, &err, "It cannot be changed as sent; see errors.");
    cJSON_Delete(doc);
}

void clusters_create(struct exchange *ex) { create(ex, &CLUSTERS); }
void clusters_patch(struct exchange *ex) { patch(ex, &CLUSTERS); }
void schools_create(struct exchange *ex) { create(ex, &SCHOOLS); }
void schools_patch(struct exchange *ex) { patch(ex, &SCHOOLS); }
void divisions_create(struct exchange *ex) { create(ex, &DIVISIONS); }
void divisions_patch(struct exchange *ex) { patch(ex, &DIVISIONS); }
void categories_create(struct exchange *ex) { create(ex, &CATEGORIES); }
void categories_patch(struct exchange *ex) { patch(ex, &CATEGORIES); }
