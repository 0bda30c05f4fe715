/* delivery_retry.h -- when a failed delivery (an email, later a webhook) is tried again:
 * one minute after the first failure, doubling each time, at most six hours apart, and
 * given up after DELIVERY_MAX_ATTEMPTS tries (the last some eight and a half hours after
 * the first), so a mail server down for a working morning loses nothing. */
#ifndef DL_DOMAIN_DELIVERY_RETRY_H
#define DL_DOMAIN_DELIVERY_RETRY_H

#define DELIVERY_MAX_ATTEMPTS 10
#define DELIVERY_FIRST_DELAY 60          /* seconds */
#define DELIVERY_MAX_DELAY (6 * 3600)

/* Seconds to wait before the next try after `attempts` tries (1 or more) all failed; -1
 * when no try is left. */
long delivery_retry_delay(int attempts);

#endif
