/* log_limit.c -- a small table of recent messages, by hash, with when each was last
 * written and how many copies were held back since. */
#include "util/log_limit.h"

#include <stdio.h>
#include <string.h>

/* FNV-1a; never 0, which marks a free slot. */
static unsigned long long hash_of(const char *s)
{
    unsigned long long h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h ? h : 1;
}

void log_limit_init(struct log_limit *l, double window_seconds)
{
    memset(l, 0, sizeof *l);
    l->window = window_seconds;
}

/* The slot for a new message: a free one, else the one written longest ago, preferring
 * one with nothing held back (its count would be lost). */
static struct log_limit_slot *slot_to_reuse(struct log_limit *l)
{
    struct log_limit_slot *best = &l->slots[0];
    for (int i = 0; i < LOG_LIMIT_SLOTS; i++) {
        struct log_limit_slot *s = &l->slots[i];
        if (s->hash == 0)
            return s;
        bool quieter = (s->held == 0) > (best->held == 0);
        bool same_kind = (s->held == 0) == (best->held == 0);
        if (quieter || (same_kind && s->written < best->written))
            best = s;
    }
    return best;
}

long log_limit_admit(struct log_limit *l, const char *message, double now)
{
    unsigned long long h = hash_of(message);
    for (int i = 0; i < LOG_LIMIT_SLOTS; i++) {
        struct log_limit_slot *s = &l->slots[i];
        if (s->hash != h)
            continue;
        if (now - s->written < l->window) {
            s->held++;
            return -1;
        }
        long held = s->held;
        s->held = 0;
        s->written = now;
        return held;
    }
    struct log_limit_slot *s = slot_to_reuse(l);
    s->hash = h;
    s->written = now;
    s->held = 0;
    snprintf(s->text, sizeof s->text, "%s", message);
    return 0;
}

bool log_limit_overdue(struct log_limit *l, double now, char *text, size_t size, long *held)
{
    for (int i = 0; i < LOG_LIMIT_SLOTS; i++) {
        struct log_limit_slot *s = &l->slots[i];
        if (s->hash == 0 || s->held == 0 || now - s->written < l->window)
            continue;
        snprintf(text, size, "%s", s->text);
        *held = s->held;
        s->held = 0;
        s->written = now;
        return true;
    }
    return false;
}
