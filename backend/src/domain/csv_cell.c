/* csv_cell.c -- one text field of a CSV file: RFC 4180 quoting plus OWASP's formula
 * neutralisation (a single quote in front of what a spreadsheet would evaluate). */
#include "domain/csv_cell.h"

#include <string.h>

#include "util/xalloc.h"

/* Full-width = + - @ (U+FF1D, U+FF0B, U+FF0D, U+FF20) in UTF-8. */
static const char *const WIDE_FORMULA_STARTS[] = {
    "\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0",
};

bool csv_starts_formula(const char *text)
{
    if (*text && strchr("=+-@\t\r", *text))
        return true;
    for (size_t i = 0; i < sizeof WIDE_FORMULA_STARTS / sizeof *WIDE_FORMULA_STARTS; i++)
        if (strncmp(text, WIDE_FORMULA_STARTS[i], 3) == 0)
            return true;
    return false;
}

/* After a semicolon, what would begin a cell for a reader splitting on semicolons. */
static bool needs_guard_after_semicolon(const char *next)
{
    return *next == '"' || csv_starts_formula(next);
}

static bool needs_quotes(const char *text, bool guarded)
{
    return guarded || strpbrk(text, ",;\"\t\r\n") != NULL;
}

char *csv_cell(const char *text)
{
    if (!text)
        return xstrdup("");
    bool guard = csv_starts_formula(text);
    bool quote = needs_quotes(text, guard);
    /* Each input byte gives at most two (a doubled quote, a guarded semicolon), plus
     * the leading guard, the two quotes and the NUL. */
    char *out = xmalloc(2 * strlen(text) + 4);
    char *w = out;
    if (quote)
        *w++ = '"';
    if (guard)
        *w++ = '\'';
    for (const char *r = text; *r; r++) {
        *w++ = *r;
        if (*r == '"')
            *w++ = '"';
        else if (*r == ';' && needs_guard_after_semicolon(r + 1))
            *w++ = '\'';
    }
    if (quote)
        *w++ = '"';
    *w = '\0';
    return out;
}
