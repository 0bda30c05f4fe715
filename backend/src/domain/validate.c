/* validate.c -- input rules that need no database: a strict UTF-8 decoder, lengths in
 * code points, and the shapes of codes, logins, passwords, references and e-mails. */
#include "domain/validate.h"

#include <string.h>

#define CODE_MAX 32
#define LOGIN_MIN 2
#define LOGIN_MAX 64
#define PASSWORD_MIN 10
#define PASSWORD_MAX 1024
#define EMAIL_MAX 254
#define REF_MIN_DIGITS 6

static bool in(unsigned char c, unsigned char lo, unsigned char hi)
{
    return c >= lo && c <= hi;
}

/* Length of the well-formed sequence at p (Unicode Table 3-7), or 0 when it is not one.
 * The second byte's range is what rules out overlongs, surrogates and > U+10FFFF. */
static size_t utf8_sequence(const unsigned char *p, size_t left)
{
    unsigned char c = p[0];
    if (c == 0x00)
        return 0;                       /* NUL would cut the text short in C and SQL */
    if (c < 0x80)
        return 1;

    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    size_t n;
    if (in(c, 0xC2, 0xDF)) {
        n = 2;
    } else if (in(c, 0xE0, 0xEF)) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;                  /* below is an overlong */
        else if (c == 0xED)
            hi = 0x9F;                  /* above are the surrogates D800-DFFF */
    } else if (in(c, 0xF0, 0xF4)) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;                  /* below is an overlong */
        else if (c == 0xF4)
            hi = 0x8F;                  /* above is past U+10FFFF */
    } else {
        return 0;                       /* continuation byte, C0/C1 overlong, F5-FF */
    }

    if (left < n || !in(p[1], lo, hi))
        return 0;
    for (size_t i = 2; i < n; i++)
        if (!in(p[i], 0x80, 0xBF))
            return 0;
    return n;
}

bool utf8_valid(const char *s, size_t len)
{
    if (s == NULL)
        return len == 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_sequence(p + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

size_t utf8_length(const char *s, size_t len)
{
    if (s == NULL)
        return 0;
    /* In valid UTF-8 every code point has exactly one byte that is not 10xxxxxx. */
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

/* "Empty" for a person: nothing but ASCII spaces, tabs and line breaks. */
static bool is_blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

/* Shared by the required and optional forms; blank_ok decides what empty means. */
static bool check_text(struct error *err, const char *field, const char *s,
                       size_t max_chars, bool blank_ok)
{
    if (s == NULL || is_blank(s)) {
        if (blank_ok)
            return true;
        return error_field(err, field, "empty", "must not be empty");
    }
    size_t len = strlen(s);
    if (!utf8_valid(s, len))
        return error_field(err, field, "invalid_utf8", "is not valid UTF-8");
    size_t chars = utf8_length(s, len);
    if (chars > max_chars)
        return error_field(err, field, "too_long", "must be at most %zu characters (got %zu)",
                           max_chars, chars) || error_param(err, "max", (long long)max_chars);
    return true;
}

bool validate_text(struct error *err, const char *field, const char *s, size_t max_chars)
{
    return check_text(err, field, s, max_chars, false);
}

bool validate_optional_text(struct error *err, const char *field, const char *s,
                            size_t max_chars)
{
    return check_text(err, field, s, max_chars, true);
}

/* Whether s is min..max bytes, each passing ok(). */
static bool all_of(const char *s, size_t min, size_t max, bool (*ok)(unsigned char))
{
    size_t len = strlen(s);
    if (len < min || len > max)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!ok((unsigned char)s[i]))
            return false;
    return true;
}

/* Character classes spelled out: isalnum() would follow the locale. */
static bool is_digit(unsigned char c) { return in(c, '0', '9'); }

static bool is_code_char(unsigned char c)
{
    return in(c, 'A', 'Z') || is_digit(c) || c == '-';
}

static bool is_login_char(unsigned char c)
{
    return in(c, 'a', 'z') || is_digit(c) || c == '.' || c == '_' || c == '-';
}

bool validate_code(struct error *err, const char *field, const char *s)
{
    if (s == NULL || s[0] == '\0')
        return error_field(err, field, "empty", "must not be empty");
    if (!all_of(s, 1, CODE_MAX, is_code_char))
        return error_field(err, field, "invalid_format",
                           "must be 1-32 characters of A-Z, 0-9 or '-'");
    return true;
}

bool validate_login(struct error *err, const char *field, const char *s)
{
    if (s == NULL || s[0] == '\0')
        return error_field(err, field, "empty", "must not be empty");
    if (!all_of(s, LOGIN_MIN, LOGIN_MAX, is_login_char))
        return error_field(err, field, "invalid_format",
                           "must be 2-64 characters of a-z, 0-9, '.', '_' or '-'");
    return true;
}

bool validate_password(struct error *err, const char *field, const char *s)
{
    /* Messages never repeat the password: they end up in responses and logs. */
    size_t len = s != NULL ? strlen(s) : 0;
    if (!utf8_valid(s, len))
        return error_field(err, field, "invalid_utf8", "is not valid UTF-8");
    if (len < PASSWORD_MIN)
        return error_field(err, field, "too_short", "must be at least %d characters",
                           PASSWORD_MIN) || error_param(err, "min", PASSWORD_MIN);
    if (len > PASSWORD_MAX)
        return error_field(err, field, "too_long_bytes", "must be at most %d bytes",
                           PASSWORD_MAX) || error_param(err, "max", PASSWORD_MAX);
    return true;
}

bool validate_issue_ref(const char *s)
{
    /* HT-YYYY-NNNNNN..., the same pattern as the issues.ref CHECK in the schema. */
    if (s == NULL || strncmp(s, "HT-", 3) != 0)
        return false;
    s += 3;
    if (strspn(s, "0123456789") != 4 || s[4] != '-')
        return false;
    s += 5;
    size_t n = strspn(s, "0123456789");
    return n >= REF_MIN_DIGITS && s[n] == '\0';
}

/* White space and control characters have no place in an address. */
static bool is_email_char(unsigned char c)
{
    return c > 0x20 && c != 0x7F;
}

/* Unicode's white space beyond ASCII (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028,
 * U+2029, U+202F, U+205F, U+3000): the users.email CHECK's [:space:] may count them. */
static bool has_unicode_space(const char *s)
{
    static const char *const SPACES[] = {
        "\xC2\x85", "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\xA8", "\xE2\x80\xA9",
        "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80",
    };
    for (size_t i = 0; i < sizeof SPACES / sizeof *SPACES; i++)
        if (strstr(s, SPACES[i]))
            return true;
    for (const char *p = s; (p = strstr(p, "\xE2\x80")) != NULL; p += 2)
        if ((unsigned char)p[2] >= 0x80 && (unsigned char)p[2] <= 0x8A)
            return true;            /* U+2000-U+200A */
    return false;
}

bool validate_email(struct error *err, const char *field, const char *s)
{
    if (s == NULL || s[0] == '\0')
        return error_field(err, field, "empty", "must not be empty");
    size_t len = strlen(s);
    if (len > EMAIL_MAX)
        return error_field(err, field, "too_long_bytes", "must be at most %d bytes (got %zu)",
                           EMAIL_MAX, len) || error_param(err, "max", EMAIL_MAX);
    if (!utf8_valid(s, len))
        return error_field(err, field, "invalid_utf8", "is not valid UTF-8");
    /* Exactly one '@' with something on each side, as the users.email CHECK. */
    const char *at = strchr(s, '@');
    bool shaped = at != NULL && at != s && at[1] != '\0' && strchr(at + 1, '@') == NULL &&
                  all_of(s, 1, EMAIL_MAX, is_email_char) && !has_unicode_space(s);
    if (!shaped)
        return error_field(err, field, "invalid_format",
                           "must be an e-mail address such as name@example.org");
    return true;
}
