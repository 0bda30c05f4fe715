/* report_names.c -- loads the report's schools, categories and divisions in the order
 * their lookups search them: schools by id, the others by code in byte order (COLLATE
 * "C", the order strcmp sees). */
#include "db/report_names.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char SCHOOLS_SQL[] =
    "SELECT sch.id, sch.code, sch.name, cl.code AS cluster, cl.name AS cluster_name"
    " FROM schools sch JOIN clusters cl ON cl.id = sch.cluster_id ORDER BY sch.id";
static const char CATEGORIES_SQL[] =
    "SELECT code, name, kind FROM categories ORDER BY code COLLATE \"C\"";
static const char DIVISIONS_SQL[] =
    "SELECT code, name FROM divisions ORDER BY code COLLATE \"C\"";

static void fill_schools(struct report_names *n, const struct db_rows *r)
{
    n->nschools = (size_t)db_rows_count(r);
    n->schools = xcalloc(n->nschools, sizeof *n->schools);
    for (size_t i = 0; i < n->nschools; i++) {
        int row = (int)i;
        n->schools[i] = (struct report_school){
            .id = db_rows_int(r, row, "id"), .code = db_rows_get(r, row, "code"),
            .name = db_rows_get(r, row, "name"), .cluster = db_rows_get(r, row, "cluster"),
            .cluster_name = db_rows_get(r, row, "cluster_name"),
        };
    }
}

static void fill_categories(struct report_names *n, const struct db_rows *r)
{
    n->ncategories = (size_t)db_rows_count(r);
    n->categories = xcalloc(n->ncategories, sizeof *n->categories);
    for (size_t i = 0; i < n->ncategories; i++)
        n->categories[i] = (struct report_category){
            .code = db_rows_get(r, (int)i, "code"), .name = db_rows_get(r, (int)i, "name"),
            .kind = db_rows_get(r, (int)i, "kind"),
        };
}

static void fill_divisions(struct report_names *n, const struct db_rows *r)
{
    n->ndivisions = (size_t)db_rows_count(r);
    n->divisions = xcalloc(n->ndivisions, sizeof *n->divisions);
    for (size_t i = 0; i < n->ndivisions; i++)
        n->divisions[i] = (struct report_division){
            .code = db_rows_get(r, (int)i, "code"), .name = db_rows_get(r, (int)i, "name"),
        };
}

bool db_report_names_load(struct db *db, struct report_names *n, struct error *err)
{
    *n = (struct report_names){0};
    if (!(n->rows[0] = db_query(db, SCHOOLS_SQL, 0, NULL, err)) ||
        !(n->rows[1] = db_query(db, CATEGORIES_SQL, 0, NULL, err)) ||
        !(n->rows[2] = db_query(db, DIVISIONS_SQL, 0, NULL, err))) {
        report_names_free(n);
        return false;
    }
    fill_schools(n, n->rows[0]);
    fill_categories(n, n->rows[1]);
    fill_divisions(n, n->rows[2]);
    return true;
}

void report_names_free(struct report_names *n)
{
    free(n->schools);
    free(n->categories);
    free(n->divisions);
    for (int i = 0; i < 3; i++)
        db_rows_free(n->rows[i]);
    *n = (struct report_names){0};
}

static int school_id_cmp(const void *key, const void *elem)
{
    int64_t id = *(const int64_t *)key, other = ((const struct report_school *)elem)->id;
    return (id > other) - (id < other);
}

/* Both code-keyed arrays start with the code, so one comparison serves them. */
static int code_cmp(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

const struct report_school *report_names_school(const struct report_names *n, int64_t id)
{
    return bsearch(&id, n->schools, n->nschools, sizeof *n->schools, school_id_cmp);
}

const struct report_category *report_names_category(const struct report_names *n,
                                                    const char *code)
{
    if (!code)
        return NULL;
    return bsearch(code, n->categories, n->ncategories, sizeof *n->categories, code_cmp);
}

const struct report_division *report_names_division(const struct report_names *n,
                                                    const char *code)
{
    if (!code)
        return NULL;
    return bsearch(code, n->divisions, n->ndivisions, sizeof *n->divisions, code_cmp);
}
