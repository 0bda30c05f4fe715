/* webhook_signature.h -- the signature header of a webhook delivery, as common webhook
 * senders make it: "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">", keyed with
 * the endpoint's secret exactly as it was shown (its 64 hex characters). A receiver
 * recomputes it, compares in constant time, and refuses a t too far from its clock (a
 * replayed delivery). */
#ifndef DL_JOBS_WEBHOOK_SIGNATURE_H
#define DL_JOBS_WEBHOOK_SIGNATURE_H

#include <stddef.h>

/* "t=...,v1=..." (at most 3 + 20 + 4 + 64 characters) into out. */
void webhook_signature(const char *secret, long long timestamp, const char *body, char *out,
                       size_t out_size);

#endif
