/* error.h -- the one error type carried up through every layer: a kind (mapped to an
 * HTTP status in one place, api/reply.c), a message a person can act on, and for
 * validation errors the offending fields. */
#ifndef DL_DOMAIN_ERROR_H
#define DL_DOMAIN_ERROR_H

#include <stdbool.h>

enum error_kind {
    ERR_NONE = 0,
    ERR_INVALID,        /* 400: the input is wrong; see fields */
    ERR_UNAUTHENTICATED,/* 401 */
    ERR_FORBIDDEN,      /* 403: known, visible, but this role may not */
    ERR_NOT_FOUND,      /* 404 */
    ERR_NO_METHOD,      /* 405: the address does not take this method */
    ERR_CONFLICT,       /* 409: refused by the lifecycle or a uniqueness rule */
    ERR_TOO_LARGE,      /* 413 */
    ERR_UNSUPPORTED,    /* 415: wrong content type */
    ERR_UNAVAILABLE,    /* 503: the database does not answer */
    ERR_INTERNAL        /* 500 */
};

#define ERROR_MAX_FIELDS 16

struct field_error {
    char field[64];
    char message[192];
};

struct error {
    enum error_kind kind;
    char message[256];
    int nfields;
    struct field_error fields[ERROR_MAX_FIELDS];
};

/* Set kind and a printf-formatted message; returns false so callers can
 * `return error_set(err, ...)`. Overwrites an earlier kind and message, keeps fields. */
bool error_set(struct error *err, enum error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Add one offending field (kind becomes ERR_INVALID); returns false. Extra fields past
 * ERROR_MAX_FIELDS are dropped: the first ones are what a person fixes first. */
bool error_field(struct error *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline bool error_is_set(const struct error *err) { return err->kind != ERR_NONE; }

#endif
