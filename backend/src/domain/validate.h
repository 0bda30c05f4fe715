/* validate.h -- input rules that need no database: UTF-8, lengths in characters,
 * codes, logins, passwords, references. Each check reports into a struct error. */
#ifndef DL_DOMAIN_VALIDATE_H
#define DL_DOMAIN_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include "domain/error.h"

/* Well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF, no NUL). */
bool utf8_valid(const char *s, size_t len);
/* Count of code points in valid UTF-8. */
size_t utf8_length(const char *s, size_t len);

/* A required text: valid UTF-8, not empty or only white space, at most max_chars code
 * points. On failure adds a field error naming `field` and returns false. */
bool validate_text(struct error *err, const char *field, const char *s, size_t max_chars);
/* As validate_text, but the empty string is allowed. */
bool validate_optional_text(struct error *err, const char *field, const char *s,
                            size_t max_chars);
/* Reference codes (schools, clusters, categories, divisions): [A-Z0-9-]{1,32}. */
bool validate_code(struct error *err, const char *field, const char *s);
/* Logins: [a-z0-9._-]{2,64}. */
bool validate_login(struct error *err, const char *field, const char *s);
/* Passwords: 10 to 1024 bytes of valid UTF-8. */
bool validate_password(struct error *err, const char *field, const char *s);
/* Issue references HT-YYYY-NNNNNN (six or more digits). */
bool validate_issue_ref(const char *s);
/* A simple e-mail shape: something@something, no white space, at most 254 bytes. */
bool validate_email(struct error *err, const char *field, const char *s);

#define TITLE_MAX_CHARS 200
#define TEXT_MAX_CHARS 10000

#endif
