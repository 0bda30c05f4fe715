/* practices_api.h -- the practice library (docs/practices.md): the handlers, and the
 * readers of their bodies (for the fuzz targets too). */
#ifndef DL_API_PRACTICES_API_H
#define DL_API_PRACTICES_API_H

#include <cjson/cJSON.h>
#include "api/exchange.h"
#include "db/practice_store.h"

/* A new practice: from an issue (staff: issue, files) or the school's own (a principal:
 * category). files is an array literal of attachment ids (caller frees). */
struct practice_input {
    const char *issue, *category;
    struct practice_text text;
    char *files;
};
cJSON *practice_new_body(const struct exchange *ex, bool from_issue, struct practice_input *in,
                         struct error *err);
/* An edit: any of title, problem, solution, category. */
cJSON *practice_patch_body(const struct exchange *ex, struct practice_input *in,
                           struct error *err);
/* A review: decision (publish, decline, withdraw), note (required to decline or
 * withdraw), and the text as edited (optional). */
cJSON *practice_review_body(const struct exchange *ex, const char **decision,
                            const char **note, struct practice_text *text, struct error *err);

void practices_list(struct exchange *ex);
void practices_create(struct exchange *ex);
void practices_get(struct exchange *ex);
void practices_patch(struct exchange *ex);
void practices_review(struct exchange *ex);
void practice_files_get(struct exchange *ex);

#endif
