/* error.c -- filling the one error type: a kind, a message a person can act on, and the
 * offending fields of a validation error. */
#include "domain/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain/validate.h"

/* Texts go out as JSON: a cut must not split a character, and a name echoed from the
 * request (a query parameter, a key) may not be UTF-8 at all. */
static void make_printable(char *text)
{
    size_t len = strlen(text);
    for (size_t cut = 0; cut < 4 && len > 0 && !utf8_valid(text, len); cut++)
        text[--len] = '\0';          /* drop a character split by the buffer's end */
    if (!utf8_valid(text, len))
        for (char *p = text; *p; p++)
            if ((unsigned char)*p >= 0x80)
                *p = '?';
}

__attribute__((format(printf, 2, 0)))
static void set_message(struct error *err, const char *fmt, va_list ap)
{
    char message[sizeof err->message];
    vsnprintf(message, sizeof message, fmt, ap);   /* fmt's arguments may be err->message */
    memcpy(err->message, message, sizeof message);
    make_printable(err->message);
}

bool error_set(struct error *err, enum error_kind kind, const char *fmt, ...)
{
    if (err == NULL)
        return false;
    err->kind = kind;
    err->code[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    set_message(err, fmt, ap);
    va_end(ap);
    return false;
}

bool error_coded(struct error *err, enum error_kind kind, const char *code, const char *fmt, ...)
{
    if (err == NULL)
        return false;
    err->kind = kind;
    snprintf(err->code, sizeof err->code, "%s", code != NULL ? code : "");
    va_list ap;
    va_start(ap, fmt);
    set_message(err, fmt, ap);
    va_end(ap);
    return false;
}

bool error_field(struct error *err, const char *field, const char *code, const char *fmt, ...)
{
    if (err == NULL)
        return false;
    err->kind = ERR_INVALID;
    err->code[0] = '\0';
    /* The first fields are what a person fixes first; the rest would not fit anyway. */
    err->last_field_dropped = err->nfields < 0 || err->nfields >= ERROR_MAX_FIELDS;
    if (err->last_field_dropped)
        return false;
    struct field_error *fe = &err->fields[err->nfields++];
    snprintf(fe->field, sizeof fe->field, "%s", field != NULL ? field : "");
    snprintf(fe->code, sizeof fe->code, "%s", code != NULL ? code : "invalid");
    fe->nparams = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fe->message, sizeof fe->message, fmt, ap);
    va_end(ap);
    make_printable(fe->field);
    make_printable(fe->message);
    /* Without a message the problem's detail would be blank: name the first field. */
    if (err->message[0] == '\0')
        snprintf(err->message, sizeof err->message, "%s %s", fe->field, fe->message);
    return false;
}

bool error_param(struct error *err, const char *name, long long value)
{
    if (err == NULL || err->nfields <= 0 || err->last_field_dropped)
        return false;
    struct field_error *fe = &err->fields[err->nfields - 1];
    if (fe->nparams >= ERROR_MAX_PARAMS)
        return false;
    struct error_param *p = &fe->params[fe->nparams++];
    snprintf(p->name, sizeof p->name, "%s", name);
    p->value = value;
    return false;
}
