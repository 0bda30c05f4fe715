/* webhook_deliver.h -- the webhook half of the delivery worker: claims the deliveries that
 * are due, posts each event as signed JSON to its endpoint, and records the answer. At
 * least once: a delivery cut short by a crash goes again when its lease ends, with the
 * same event id (the receiver recognises it by the Directline-Event-Id header). */
#ifndef DL_JOBS_WEBHOOK_DELIVER_H
#define DL_JOBS_WEBHOOK_DELIVER_H

#include <stdbool.h>
#include "db/db.h"
#include "jobs/deliver.h"

/* One claim and its posts; counts as deliver_pass does. False with err when the database
 * failed. */
bool webhook_pass(struct db *db, const struct deliver_config *cfg, struct deliver_counts *counts,
                  struct error *err);

#endif
