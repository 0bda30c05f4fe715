/* webhook_store.h -- the SQL of webhooks (sql/migrations/0022_*): the endpoints an admin
 * registers, their delivery log, and the worker's claiming and recording. */
#ifndef DL_DB_WEBHOOK_STORE_H
#define DL_DB_WEBHOOK_STORE_H

#include <stdbool.h>
#include "db/db.h"

/* Registers an endpoint with a new 32-byte secret (given as 64 hex digits); returns the
 * row as db_webhooks_list does, with `secret` (hex) added. */
struct db_rows *db_webhook_add(struct db *db, const char *url, const char *description,
                               const char *secret_hex, int actor_id, struct error *err);
/* Every endpoint, newest first: id, url, description, active, created_at, created_by,
 * pending (deliveries still to go), given_up, last_delivered_at. */
struct db_rows *db_webhooks_list(struct db *db, struct error *err);
/* Switches one on or off; the row as listed, or none when there is no such endpoint. */
struct db_rows *db_webhook_set_active(struct db *db, int id, bool active, struct error *err);
/* Whether endpoint id exists (*exists); false with err when the database failed. */
bool db_webhook_exists(struct db *db, int id, bool *exists, struct error *err);
/* The endpoint's deliveries, newest first, before before_id (0: from the newest): id,
 * event_id, action, ref, created_at, attempts, delivered_at, due_at, last_status,
 * last_error; limit + 1 rows. */
struct db_rows *db_webhook_deliveries(struct db *db, int webhook_id, long long before_id,
                                      int limit, struct error *err);

/* The worker: claims up to `limit` due deliveries (each leased lease_seconds ahead, its
 * try counted) with id, url, secret (hex), attempts, event_key ("evt_<event id>") and the
 * payload (JSON text). */
struct db_rows *db_webhook_claim(struct db *db, int limit, int lease_seconds,
                                 const char *public_url, struct error *err);
/* Records a try: delivered, or due again after retry_seconds (< 0: given up). status is
 * the HTTP status that came (0: none). */
bool db_webhook_record(struct db *db, long long delivery_id, bool delivered, int status,
                       long retry_seconds, const char *why, struct error *err);

#endif
