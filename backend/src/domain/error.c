/* error.c -- filling the one error type: a kind, a message a person can act on, and the
 * offending fields of a validation error. */
#include "domain/error.h"

#include <stdarg.h>
#include <stdio.h>

bool error_set(struct error *err, enum error_kind kind, const char *fmt, ...)
{
    if (err == NULL)
        return false;
    err->kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return false;
}

bool error_field(struct error *err, const char *field, const char *fmt, ...)
{
    if (err == NULL)
        return false;
    err->kind = ERR_INVALID;
    /* The first fields are what a person fixes first; the rest would not fit anyway. */
    if (err->nfields < 0 || err->nfields >= ERROR_MAX_FIELDS)
        return false;
    struct field_error *fe = &err->fields[err->nfields++];
    snprintf(fe->field, sizeof fe->field, "%s", field != NULL ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fe->message, sizeof fe->message, fmt, ap);
    va_end(ap);
    /* Without a message the problem's detail would be blank: name the first field. */
    if (err->message[0] == '\0')
        snprintf(err->message, sizeof err->message, "%s %s", fe->field, fe->message);
    return false;
}
