/* content_coding.c -- Accept-Encoding, one comma-separated element at a time. */
#include "http/content_coding.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The element's weight: its "q=" parameter, 1 without one. */
static double weight(const char *element, size_t len)
{
    const char *p = memchr(element, ';', len);
    while (p && p < element + len) {
        p += strspn(p, "; \t");
        if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
            return strtod(p + 2, NULL);
        p = memchr(p, ';', (size_t)(element + len - p));
    }
    return 1.0;
}

bool content_coding_takes_gzip(const char *header)
{
    int gzip = -1, any = -1;   /* -1: not listed; else whether its weight is above 0 */
    while (header && *header) {
        header += strspn(header, " \t,");
        size_t len = strcspn(header, ",");
        size_t name = strcspn(header, " \t;,");
        int takes = weight(header, len) > 0.0;
        if ((name == 4 && strncasecmp(header, "gzip", 4) == 0) ||
            (name == 6 && strncasecmp(header, "x-gzip", 6) == 0))
            gzip = takes;
        else if (name == 1 && header[0] == '*')
            any = takes;
        header += len;
    }
    return gzip >= 0 ? gzip == 1 : any == 1;
}
