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

/* A reader that splits cells on semicolons (Excel in a Vietnamese locale) and does not
 * honour quotes inside a line starts a new cell after each `;` and a new row after each
 * line break: what follows one of them must not begin a formula either. */
static bool needs_guard_after(const char *r)
{
    if (*r != ';' && *r != '\r' && *r != '\n')
        return false;
    return r[1] == '"' || csv_starts_formula(r + 1);
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
        else if (needs_guard_after(r))
            *w++ = '\'';
    }
    if (quote)
        *w++ = '"';
    *w = '\0';
    return out;
}
