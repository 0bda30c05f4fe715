/* deliver.c -- the email worker's pass (deliver.h). Nothing is held open while a message
 * is on its way: the claim commits first, and each outcome is recorded in a transaction
 * of its own, so a slow mail server never holds a row lock or a transaction. */
#include "jobs/deliver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db_context.h"
#include "db/delivery_store.h"
#include "domain/delivery_retry.h"
#include "jobs/email_message.h"
#include "util/log.h"
#include "util/xalloc.h"

/* The rows [first, first + n) of one message: one notification, or a digest's day. */
struct message_rows {
    const struct db_rows *rows;
    int first, n;
};

static struct email_item item_of(const struct db_rows *rows, int row)
{
    return (struct email_item){
        .id = db_rows_int(rows, row, "id"),
        .reason = db_rows_get(rows, row, "reason"),
        .action = db_rows_get(rows, row, "action"),
        .ref = db_rows_get(rows, row, "ref"),
        .title = db_rows_get(rows, row, "title"),
        .school_name = db_rows_get(rows, row, "school_name"),
        .actor_name = db_rows_get(rows, row, "actor_name"),
        .excerpt = db_rows_get(rows, row, "excerpt"),
        .meeting_id = db_rows_get(rows, row, "meeting_id")
                          ? db_rows_int(rows, row, "meeting_id") : 0,
        .due_on = db_rows_get(rows, row, "due_on"),
        .directive_id = db_rows_get(rows, row, "directive_id")
                            ? db_rows_int(rows, row, "directive_id") : 0,
    };
}

/* "{12,13}": the message's notification ids, for the store. */
static char *ids_of(const struct message_rows *m)
{
    char *ids = xcalloc((size_t)m->n * 21 + 3, 1);
    size_t len = 0;
    ids[len++] = '{';
    for (int i = 0; i < m->n; i++)
        len += (size_t)sprintf(ids + len, "%s%lld", i ? "," : "",
                               db_rows_int(m->rows, m->first + i, "id"));
    ids[len] = '}';
    return ids;
}

static char *compose(const struct deliver_config *cfg, const struct message_rows *m)
{
    struct email_item *items = xcalloc((size_t)m->n, sizeof *items);
    for (int i = 0; i < m->n; i++)
        items[i] = item_of(m->rows, m->first + i);
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", gmtime_r(&now, &tm));
    struct email_envelope env = {
        .from = cfg->from, .to = db_rows_get(m->rows, m->first, "email"),
        .to_name = db_rows_get(m->rows, m->first, "full_name"), .public_url = cfg->public_url,
        .date = date, .user_id = db_rows_int(m->rows, m->first, "user_id"),
        .digest = db_rows_bool(m->rows, m->first, "digest"),
    };
    char *message = env.to ? email_message(&env, items, m->n) : NULL;
    free(items);
    return message;
}

static bool record(struct db *db, const char *ids, bool sent, long retry, const char *why,
                   struct error *err)
{
    if (!db_begin(db, err))
        return false;
    bool ok = sent ? db_delivery_sent(db, ids, err)
                   : db_delivery_failed(db, ids, retry, why, err);
    if (ok && db_commit(db, err))
        return true;
    db_rollback(db);
    return false;
}

void deliver_count(struct deliver_counts *counts, bool delivered, long retry)
{
    if (delivered)
        counts->sent++;
    else if (retry < 0)
        counts->given_up++;
    else
        counts->failed++;
}

/* Sends one message and records the outcome; false only when recording failed. */
static bool deliver_one(struct db *db, const struct deliver_config *cfg,
                        const struct message_rows *m, struct deliver_counts *counts,
                        struct error *err)
{
    char *ids = ids_of(m);
    char *message = compose(cfg, m);
    char why[256] = "no email address the mail server could take";
    bool sent = message && smtp_send(&cfg->smtp, cfg->from,
                                     db_rows_get(m->rows, m->first, "email"), message, why,
                                     sizeof why);
    int attempts = (int)db_rows_int(m->rows, m->first, "email_attempts");
    long retry = message ? delivery_retry_delay(attempts) : -1;
    deliver_count(counts, sent, retry);
    if (!sent)
        log_warn("deliver: notifications %s to user %lld, try %d: %s%s", ids,
                 db_rows_int(m->rows, m->first, "user_id"), attempts, why,
                 retry < 0 ? " (given up)" : "");
    bool ok = record(db, ids, sent, retry, why, err);
    free(message);
    free(ids);
    return ok;
}

/* The message starting at row `first`: a digest takes the user's following rows. */
static struct message_rows message_at(const struct db_rows *rows, int first)
{
    struct message_rows m = {rows, first, 1};
    if (!db_rows_bool(rows, first, "digest"))
        return m;
    long long user = db_rows_int(rows, first, "user_id");
    while (first + m.n < db_rows_count(rows) &&
           db_rows_int(rows, first + m.n, "user_id") == user)
        m.n++;
    return m;
}

static struct db_rows *claim(struct db *db, const struct deliver_config *cfg, struct error *err)
{
    if (!db_begin(db, err))
        return NULL;
    struct db_rows *rows = db_delivery_claim(db, cfg->people_per_claim, cfg->lease_seconds, err);
    if (rows && db_commit(db, err))
        return rows;
    db_rows_free(rows);
    db_rollback(db);
    return NULL;
}

bool deliver_pass(struct db *db, const struct deliver_config *cfg, struct deliver_counts *counts,
                  struct error *err)
{
    db_act_as_system(db, DB_CONTEXT_DELIVER);
    struct db_rows *rows = claim(db, cfg, err);
    if (!rows)
        return false;
    bool ok = true;
    for (int row = 0; ok && row < db_rows_count(rows);) {
        struct message_rows m = message_at(rows, row);
        ok = deliver_one(db, cfg, &m, counts, err);
        row += m.n;
    }
    db_rows_free(rows);
    return ok;
}
