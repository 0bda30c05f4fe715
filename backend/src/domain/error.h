/* error.h -- the one error type carried up through every layer: a kind (mapped to an
 * HTTP status in one place, api/reply.c), a stable machine code, a message a person can
 * act on, and for validation errors the offending fields, each with its own code and
 * parameters (so a client can say the same thing in another language). */
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
    ERR_UNPROCESSABLE,  /* 422: well-formed, but cannot be taken (a reused idempotency key) */
    ERR_TOO_MANY,       /* 429: too many tries; Retry-After says when to come back */
    ERR_UNAVAILABLE,    /* 503: the database does not answer */
    ERR_INTERNAL        /* 500 */
};

#define ERROR_MAX_FIELDS 16
#define ERROR_MAX_PARAMS 2

/* A number that completes a field error's code: {"max", 200} for "too_long". */
struct error_param {
    char name[16];
    long long value;
};

struct field_error {
    char field[64];
    char code[32];          /* stable, snake_case: "required", "too_long", ... */
    char message[192];      /* the same in English words */
    int nparams;
    struct error_param params[ERROR_MAX_PARAMS];
};

struct error {
    enum error_kind kind;
    char code[40];          /* stable problem code; empty: the kind's own (api/reply.c) */
    char message[256];
    int nfields;
    bool last_field_dropped;   /* so error_param does not land on the wrong field */
    struct field_error fields[ERROR_MAX_FIELDS];
};

/* Set kind and a printf-formatted message; returns false so callers can
 * `return error_set(err, ...)`. Overwrites an earlier kind, code and message, keeps
 * fields; the code becomes the kind's own. */
bool error_set(struct error *err, enum error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* error_set with a problem code more precise than the kind's ("wrong_status"). */
bool error_coded(struct error *err, enum error_kind kind, const char *code,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Add one offending field with its code (kind becomes ERR_INVALID); returns false. Extra
 * fields past ERROR_MAX_FIELDS are dropped: the first ones are what a person fixes first. */
bool error_field(struct error *err, const char *field, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Attach a parameter to the field error added last (ignored when there is none, or it
 * was dropped); returns false like the others. */
bool error_param(struct error *err, const char *name, long long value);

static inline bool error_is_set(const struct error *err) { return err->kind != ERR_NONE; }

#endif
