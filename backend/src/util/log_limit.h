/* log_limit.h -- keeps a flood of one warning from drowning the log: the same message is
 * written at most once per window; the next time it is written after the window it says
 * how many times it was held back meanwhile. Pure bookkeeping (the caller gives the time),
 * so that it can be tested without a clock. Not thread-safe: the logger locks around it. */
#ifndef DL_UTIL_LOG_LIMIT_H
#define DL_UTIL_LOG_LIMIT_H

#include <stdbool.h>
#include <stddef.h>

#define LOG_LIMIT_SLOTS 32
#define LOG_LIMIT_TEXT 160

struct log_limit_slot {
    unsigned long long hash;     /* of the whole message; 0: slot unused */
    double written;              /* when it was last written */
    long held;                   /* held back since */
    char text[LOG_LIMIT_TEXT];   /* the message's start, for the summary line */
};

struct log_limit {
    double window;               /* seconds */
    struct log_limit_slot slots[LOG_LIMIT_SLOTS];
};

void log_limit_init(struct log_limit *l, double window_seconds);

/* Whether `message`, seen at `now`, is written: -1 no (held back); otherwise the number of
 * times it was held back since it was last written (0 for a new message). */
long log_limit_admit(struct log_limit *l, const char *message, double now);

/* A message whose window has passed with some copies still held back, for a summary line
 * ("... repeated K times") written even though it did not come again: true with its
 * start copied into text and the count into *held (and the count reset); false when there
 * is none. */
bool log_limit_overdue(struct log_limit *l, double now, char *text, size_t size, long *held);

#endif
