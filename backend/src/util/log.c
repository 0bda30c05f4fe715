/* log.c -- timestamped log lines on standard error, whole lines at a time so threads do
 * not interleave inside a line. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

void log_line(const char *level, const char *fmt, ...)
{
    char line[1024];
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    int n = (int)strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ ", &tm);
    n += snprintf(line + n, sizeof line - (size_t)n, "%s ", level);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", line);
}
