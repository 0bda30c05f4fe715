/* report_cache.c -- SQL of the kept reports (sql/migrations/0015_report_cache.sql). A kept
 * document is used only while the history epoch, the names digest and the scope's key it
 * was made under are still the current ones, all checked in the one look-up statement. */
#include "db/report_cache.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/report_store.h"
#include "util/log.h"
#include "util/xalloc.h"

/* A month is kept only once it has been over this long. An event is dated when its
 * transaction began; one that began in the month but commits after a report was made
 * raises the epoch only if its insert ran after the month's end (the trigger's clock), so
 * the margin must outlast the gap between a transaction's insert and its commit. */
#define SETTLE_MARGIN "interval '10 minutes'"

/* The month's first day, and its end (the next month's first instant, local time). */
#define MONTH_DAY "make_date($1::int, $2::int, 1)"
#define MONTH_END \
    "((" MONTH_DAY " + interval '1 month')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')"

static const char GET_SQL[] =
    "SELECT c.document_gzip FROM report_cache c"
    " WHERE c.month = " MONTH_DAY " AND c.variant = $3 AND c.logic = $4::int"
    "   AND c.scope_key = report_scope_key($5, $6)"
    "   AND to_timestamp($7::bigint) >= " MONTH_END
    "   AND c.history_epoch = (SELECT epoch FROM report_history_epoch)"
    "   AND c.names_digest = report_names_digest()";

unsigned char *db_report_cache_get(struct db *db, const struct report_cache_key *key,
                                   int64_t now, size_t *len, struct error *err)
{
    char y[8], m[8], logic[8], when[24];
    snprintf(y, sizeof y, "%d", key->year);
    snprintf(m, sizeof m, "%d", key->month);
    snprintf(logic, sizeof logic, "%d", REPORT_CACHE_LOGIC);
    snprintf(when, sizeof when, "%lld", (long long)now);
    const char *params[] = {y, m, key->variant, logic, key->scope->school,
                            key->scope->cluster, when};
    bool found = false;
    return db_query_blob(db, GET_SQL, 7, params, len, &found, err);
}

/* The scope's school ids as the report's queries take them: NULL for the Department, "{}"
 * for an unknown code (an empty report, which report_produce then refuses). */
static const char STAMP_SQL[] =
    "SELECT report_scope_key($1, $2) AS scope_key,"
    " CASE WHEN $1::text IS NOT NULL OR $2::text IS NOT NULL THEN"
    "  (SELECT coalesce(array_agg(sch.id ORDER BY sch.id), '{}')::text"
    "     FROM schools sch JOIN clusters cl ON cl.id = sch.cluster_id"
    "    WHERE ($1::text IS NULL OR sch.code = $1) AND ($2::text IS NULL OR cl.code = $2))"
    " END AS schools,"
    " (SELECT epoch FROM report_history_epoch) AS epoch,"
    " report_names_digest() AS digest,"
    " clock_timestamp() >= to_timestamp($3::bigint) + " SETTLE_MARGIN " AS settled";

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

bool db_report_cache_stamp(struct db *db, const struct report_scope *scope, int64_t month_end,
                           bool finished, struct report_cache_stamp *stamp, struct error *err)
{
    *stamp = (struct report_cache_stamp){0};
    char end[24];
    snprintf(end, sizeof end, "%lld", (long long)month_end);
    const char *params[] = {scope->school, scope->cluster, end};
    struct db_rows *rows = db_query(db, STAMP_SQL, 3, params, err);
    if (!rows)
        return false;
    stamp->scope_key = dup_or_null(db_rows_get(rows, 0, "scope_key"));
    stamp->schools = dup_or_null(db_rows_get(rows, 0, "schools"));
    stamp->digest = xstrdup(db_rows_get(rows, 0, "digest"));
    snprintf(stamp->epoch, sizeof stamp->epoch, "%s", db_rows_get(rows, 0, "epoch"));
    /* A scope without schools is kept by nobody: row-level security lets no one but
     * staff reach an empty list, and it costs nothing to compute. */
    bool no_schools = stamp->schools && strcmp(stamp->schools, "{}") == 0;
    stamp->keep = finished && stamp->scope_key && !no_schools &&
                  db_rows_bool(rows, 0, "settled");
    db_rows_free(rows);
    return true;
}

void report_cache_stamp_free(struct report_cache_stamp *stamp)
{
    free(stamp->schools);
    free(stamp->scope_key);
    free(stamp->digest);
    *stamp = (struct report_cache_stamp){0};
}

/* A report made under an older epoch never replaces one made under a newer. */
static const char PUT_SQL[] =
    "INSERT INTO report_cache AS c (month, scope_key, variant, scope_schools, logic,"
    "                               history_epoch, names_digest, document_gzip)"
    " VALUES (" MONTH_DAY ", $3, $4, $5::int[], $6::int, $7::bigint, $8, $9)"
    " ON CONFLICT (month, scope_key, variant) DO UPDATE"
    " SET scope_schools = EXCLUDED.scope_schools, logic = EXCLUDED.logic,"
    "     history_epoch = EXCLUDED.history_epoch, names_digest = EXCLUDED.names_digest,"
    "     document_gzip = EXCLUDED.document_gzip, computed_at = now()"
    " WHERE c.history_epoch <= EXCLUDED.history_epoch";

/* bytea's hex input form: a backslash, "x", then two hex digits a byte (caller frees). */
static char *bytea_hex(const unsigned char *bytes, size_t len)
{
    char *hex = xmalloc(2 * len + 3);
    hex[0] = '\\';
    hex[1] = 'x';
    sodium_bin2hex(hex + 2, 2 * len + 1, bytes, len);
    return hex;
}

void db_report_cache_put(struct db *db, const struct report_cache_key *key,
                         const struct report_cache_stamp *stamp, const unsigned char *gzip,
                         size_t len)
{
    if (!stamp->keep)
        return;
    char *doc = bytea_hex(gzip, len);
    char y[8], m[8], logic[8];
    snprintf(y, sizeof y, "%d", key->year);
    snprintf(m, sizeof m, "%d", key->month);
    snprintf(logic, sizeof logic, "%d", REPORT_CACHE_LOGIC);
    const char *params[] = {y, m, stamp->scope_key, key->variant, stamp->schools, logic,
                            stamp->epoch, stamp->digest, doc};
    struct error err = {0};
    struct db_rows *rows = db_query(db, PUT_SQL, 9, params, &err);
    if (!rows)
        log_warn("report %04d-%02d not kept: %s", key->year, key->month, err.message);
    db_rows_free(rows);
    free(doc);
}
