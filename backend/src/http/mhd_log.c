/* mhd_log.c -- see mhd_log.h. */
#include "http/mhd_log.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http/log_escape.h"
#include "util/log.h"

#define LINES_PER_SECOND 5

/* A connection the peer (or conn_guard's reaper) ended: routine, not worth a line. */
static const char *const ROUTINE[] = {
    "detected connection closure",
    "closed by remote side",
    "Connection reset by peer",
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static time_t window;
static int lines_in_window;
static unsigned long suppressed;

static bool routine(const char *msg)
{
    for (size_t i = 0; i < sizeof ROUTINE / sizeof *ROUTINE; i++)
        if (strstr(msg, ROUTINE[i]))
            return true;
    return false;
}

/* True when this line may go out; reports what the previous second held back. */
static bool admit_line(void)
{
    time_t now = time(NULL);
    unsigned long held_back = 0;
    pthread_mutex_lock(&lock);
    if (now != window) {
        window = now;
        lines_in_window = 0;
        held_back = suppressed;
        suppressed = 0;
    }
    bool ok = lines_in_window < LINES_PER_SECOND;
    if (ok)
        lines_in_window++;
    else
        suppressed++;
    pthread_mutex_unlock(&lock);
    if (held_back)
        log_warn("libmicrohttpd: %lu more messages were not logged", held_back);
    return ok;
}

__attribute__((format(printf, 2, 0)))
void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512], clean[768];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
        msg[--len] = '\0';
    if (routine(msg) || !admit_line())
        return;
    log_escape(msg, clean, sizeof clean);
    log_warn("libmicrohttpd: %s", clean);
}
