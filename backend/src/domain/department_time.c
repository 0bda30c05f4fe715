/* department_time.c -- microseconds since the epoch to the API's RFC 3339 text in the
 * Department's zone (UTC+07:00): the formatting that SQL's dl_time did for each
 * timestamp of every row, done once here for the rows the API writes. */
#include "domain/department_time.h"

#include <string.h>
#include <time.h>

#define US_PER_SECOND 1000000LL
#define DEPARTMENT_OFFSET_SECONDS (7 * 3600)

/* Rounds toward minus infinity, so instants before 1970 split correctly too. */
static long long floor_div(long long a, long long b)
{
    long long q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Writes value as exactly `width` decimal digits (value fits: callers check ranges). */
static char *put_digits(char *p, int value, int width)
{
    for (int i = width - 1; i >= 0; i--, value /= 10)
        p[i] = (char)('0' + value % 10);
    return p + width;
}

bool department_time_format(long long epoch_us, char out[DEPARTMENT_TIME_LEN])
{
    long long seconds = floor_div(epoch_us, US_PER_SECOND);
    int millis = (int)((epoch_us - seconds * US_PER_SECOND) / 1000);
    time_t local = (time_t)(seconds + DEPARTMENT_OFFSET_SECONDS);
    struct tm tm;
    if (!gmtime_r(&local, &tm) || tm.tm_year + 1900 < 1000 || tm.tm_year + 1900 > 9999)
        return false;
    char *p = put_digits(out, tm.tm_year + 1900, 4);
    *p++ = '-';
    p = put_digits(p, tm.tm_mon + 1, 2);
    *p++ = '-';
    p = put_digits(p, tm.tm_mday, 2);
    *p++ = 'T';
    p = put_digits(p, tm.tm_hour, 2);
    *p++ = ':';
    p = put_digits(p, tm.tm_min, 2);
    *p++ = ':';
    p = put_digits(p, tm.tm_sec, 2);
    *p++ = '.';
    p = put_digits(p, millis, 3);
    memcpy(p, "+07:00", sizeof "+07:00");
    return true;
}
