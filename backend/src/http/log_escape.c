/* log_escape.c -- see log_escape.h. */
#include "http/log_escape.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static void escape(const char *in, char *out, size_t out_size, bool field)
{
    if (out_size < 8) {
        if (out_size)
            out[0] = '\0';
        return;
    }
    if (!in)
        in = "-";
    size_t n = 0, room = out_size - 4;    /* leaves space for "..." and the NUL */
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        char piece[5];
        if (*p == '\\')
            memcpy(piece, "\\\\", 3);
        else if (*p < 0x20 || *p >= 0x7f || (field && *p == ' '))
            snprintf(piece, sizeof piece, "\\x%02x", *p);
        else
            piece[0] = (char)*p, piece[1] = '\0';
        size_t len = strlen(piece);
        if (n + len > room) {
            memcpy(out + n, "...", 4);
            return;
        }
        memcpy(out + n, piece, len);
        n += len;
    }
    out[n] = '\0';
}

void log_escape(const char *in, char *out, size_t out_size)
{
    escape(in, out, out_size, false);
}

void log_escape_field(const char *in, char *out, size_t out_size)
{
    escape(in, out, out_size, true);
}
