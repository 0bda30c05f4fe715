/* idempotency.h -- the Idempotency-Key header: a request that changed something leaves its
 * response under the key, in the same transaction as the change; a retry with the same
 * key and the same request gets that response again, with another request 422, and while
 * the first still runs it waits a few seconds, then 409. Keys are per user, for 24 hours.
 * Only successes are kept: after an error (a 5xx or 429 above all) a retry runs afresh. */
#ifndef DL_API_IDEMPOTENCY_H
#define DL_API_IDEMPOTENCY_H

#include <stdbool.h>
#include "api/exchange.h"

/* Before the handler, for a signed-in request to an idempotent route. Without the header
 * it does nothing. Else it checks the key, takes its lock, and either fills in the stored
 * response (see idempotency_replayed) or arms idempotency_commit. False with err set. */
bool idempotency_begin(struct exchange *ex, struct error *err);
/* Whether idempotency_begin answered the request from what was stored. */
bool idempotency_replayed(const struct exchange *ex);
/* Commits the handler's transaction, storing the reply built so far under the key first
 * when it is a success. Handlers of idempotent routes build their reply, then call this
 * instead of db_commit. */
bool idempotency_commit(struct exchange *ex, struct error *err);

#endif
