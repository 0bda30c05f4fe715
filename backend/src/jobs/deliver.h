/* deliver.h -- the email worker: claims the notifications whose email is due, sends each
 * (or a digest reader's day in one message) through SMTP, and records how it went. At
 * least once: a message whose sending was cut short by a crash goes again when its lease
 * ends, with the same Message-ID (jobs/email_message.h). */
#ifndef DL_JOBS_DELIVER_H
#define DL_JOBS_DELIVER_H

#include <stdbool.h>
#include "db/db.h"
#include "util/smtp.h"

struct deliver_config {
    struct smtp_config smtp;
    const char *from;           /* the sender's address */
    const char *public_url;     /* links in the messages: "https://directline.example" */
    int people_per_claim;
    int lease_seconds;          /* a claimed message is due again after this */
};

struct deliver_counts {
    int sent, failed, given_up;  /* messages */
};

/* Counts one message's outcome: delivered, to be tried again after retry seconds, or
 * given up (retry < 0). */
void deliver_count(struct deliver_counts *counts, bool delivered, long retry);

/* One claim and its messages. False with err when the database failed (messages already
 * sent stay recorded). */
bool deliver_pass(struct db *db, const struct deliver_config *cfg, struct deliver_counts *counts,
                  struct error *err);

#endif
