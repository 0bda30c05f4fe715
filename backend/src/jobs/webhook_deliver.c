/* webhook_deliver.c -- the webhook pass (webhook_deliver.h). As for emails, nothing is
 * held open while a post is on its way: the claim commits first, each answer is recorded
 * in a transaction of its own. An endpoint takes a delivery by answering 2xx within ten
 * seconds; anything else is tried again with the emails' backoff. */
#include "jobs/webhook_deliver.h"

#include <stdio.h>
#include <time.h>

#include "db/db_context.h"
#include "db/webhook_store.h"
#include "domain/delivery_retry.h"
#include "jobs/webhook_signature.h"
#include "util/http_post.h"
#include "util/log.h"

#define WEBHOOK_TIMEOUT_SECONDS 10
#define WEBHOOKS_PER_CLAIM 50

static bool record(struct db *db, long long id, bool delivered, int status, long retry,
                   const char *why, struct error *err)
{
    if (!db_begin(db, err))
        return false;
    if (db_webhook_record(db, id, delivered, status, retry, why, err) && db_commit(db, err))
        return true;
    db_rollback(db);
    return false;
}

/* Posts row `row` of the claim and records the answer; false only when recording failed. */
static bool post_one(struct db *db, const struct db_rows *rows, int row,
                     struct deliver_counts *counts, struct error *err)
{
    const char *body = db_rows_get(rows, row, "payload");
    char signature[160], sig_header[192], id_header[64], why[256] = "";
    webhook_signature(db_rows_get(rows, row, "secret"), (long long)time(NULL), body, signature,
                      sizeof signature);
    snprintf(sig_header, sizeof sig_header, "Directline-Signature: %s", signature);
    snprintf(id_header, sizeof id_header, "Directline-Event-Id: %s",
             db_rows_get(rows, row, "event_key"));
    const char *headers[] = {sig_header, id_header, NULL};
    int status = http_post_json(db_rows_get(rows, row, "url"), headers, body,
                                WEBHOOK_TIMEOUT_SECONDS, why, sizeof why);
    bool delivered = status >= 200 && status < 300;
    if (!delivered && status)
        snprintf(why, sizeof why, "the endpoint answered %d", status);
    int attempts = (int)db_rows_int(rows, row, "attempts");
    long retry = delivered ? 0 : delivery_retry_delay(attempts);
    long long id = db_rows_int(rows, row, "id");
    deliver_count(counts, delivered, retry);
    if (!delivered)
        log_warn("deliver: webhook delivery %lld (%s), try %d: %s%s", id,
                 db_rows_get(rows, row, "event_key"), attempts, why,
                 retry < 0 ? " (given up)" : "");
    return record(db, id, delivered, status, retry, why, err);
}

bool webhook_pass(struct db *db, const struct deliver_config *cfg, struct deliver_counts *counts,
                  struct error *err)
{
    db_act_as_system(db, DB_CONTEXT_DELIVER);
    if (!db_begin(db, err))
        return false;
    struct db_rows *rows = db_webhook_claim(db, WEBHOOKS_PER_CLAIM, cfg->lease_seconds,
                                            cfg->public_url, err);
    if (!rows || !db_commit(db, err)) {
        db_rows_free(rows);
        db_rollback(db);
        return false;
    }
    bool ok = true;
    for (int row = 0; ok && row < db_rows_count(rows); row++)
        ok = post_one(db, rows, row, counts, err);
    db_rows_free(rows);
    return ok;
}
