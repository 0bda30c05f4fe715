/* log.c -- timestamped log lines on standard error, whole lines at a time so threads do
 * not interleave inside a line. A line never holds a control character (a newline in a
 * message cannot forge another line), and a warning or error repeated in a flood (a
 * database outage under load) is written at most once per LOG_REPEAT_WINDOW seconds,
 * then with "(repeated K times)": the copies held back since. */
#include "util/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/log_limit.h"

#define LOG_REPEAT_WINDOW 10.0

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct log_limit limiter;
static bool limiter_ready;

/* Control characters become \n, \t, \r or \xHH; a trailing newline goes. */
static void escape_controls(const char *in, char *out, size_t size)
{
    size_t len = strlen(in);
    while (len > 0 && (in[len - 1] == '\n' || in[len - 1] == '\r'))
        len--;
    size_t o = 0;
    for (size_t i = 0; i < len && o + 5 < size; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c >= 0x20 && c != 0x7f)
            out[o++] = (char)c;
        else if (c == '\n' || c == '\t' || c == '\r')
            o += (size_t)snprintf(out + o, size - o, "\\%c", c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
        else
            o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
    }
    out[o] = '\0';
}

static double monotonic_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void write_line(const char *stamp, const char *text, long repeated)
{
    if (repeated > 0)
        fprintf(stderr, "%s %s (repeated %ld times)\n", stamp, text, repeated);
    else
        fprintf(stderr, "%s %s\n", stamp, text);
}

void log_line(const char *level, const char *fmt, ...)
{
    char message[1024], text[1100], stamp[32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    int n = snprintf(text, sizeof text, "%s ", level);
    escape_controls(message, text + n, sizeof text - (size_t)n);

    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);

    bool limited = strcmp(level, "info") != 0;
    double mono = monotonic_seconds();
    pthread_mutex_lock(&log_lock);
    if (!limiter_ready) {
        log_limit_init(&limiter, LOG_REPEAT_WINDOW);
        limiter_ready = true;
    }
    char held_text[LOG_LIMIT_TEXT];
    long held = 0;
    while (log_limit_overdue(&limiter, mono, held_text, sizeof held_text, &held))
        write_line(stamp, held_text, held);
    long repeated = limited ? log_limit_admit(&limiter, text, mono) : 0;
    if (repeated >= 0)
        write_line(stamp, text, repeated);
    pthread_mutex_unlock(&log_lock);
}
