/* directives_api.h -- the Department's directives (docs/ratings-and-directives.md): the
 * handlers, and the reader of a new one's body (for the fuzz targets too). */
#ifndef DL_API_DIRECTIVES_API_H
#define DL_API_DIRECTIVES_API_H

#include <cjson/cJSON.h>
#include "api/exchange.h"

struct directive_input {
    const char *title, *body;
    char *clusters;             /* an array literal of codes, or NULL for all schools */
    int remind_after_days;
};
cJSON *directive_new_body(const struct exchange *ex, struct directive_input *in,
                          struct error *err);

void directives_send(struct exchange *ex);
void directives_list(struct exchange *ex);
void directives_get(struct exchange *ex);
void directives_schools(struct exchange *ex);
void directives_acknowledge(struct exchange *ex);
/* GET /api/ratings: the month's low ratings for supervisors (ratings_api.c). */
void ratings_list(struct exchange *ex);

#endif
