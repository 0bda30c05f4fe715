/* reply.h -- how handlers answer: JSON documents, empty answers, and RFC 9457
 * problem+json built from a struct error (the one place kinds become statuses). */
#ifndef DL_API_REPLY_H
#define DL_API_REPLY_H

#include <cjson/cJSON.h>
#include "api/exchange.h"

/* Adds key as the text, or as JSON null when value is NULL (SQL NULL read by db_rows_get). */
void json_add_text_or_null(cJSON *obj, const char *key, const char *value);
/* Serialises and frees doc. */
void reply_json(struct exchange *ex, int status, cJSON *doc);
void reply_empty(struct exchange *ex, int status);
/* A rendered document (CSV, HTML...); takes ownership of body. */
void reply_document(struct exchange *ex, int status, const char *content_type, char *body);
void reply_error(struct exchange *ex, const struct error *err);
/* Shorthand for a problem without fields. */
void reply_problem(struct exchange *ex, enum error_kind kind, const char *detail);
/* reply_error, but a validation error's detail becomes `invalid_detail` (its fields say
 * the rest). */
void reply_failure(struct exchange *ex, struct error *err, const char *invalid_detail);

#endif
