/* issues_api.h -- filing, listing and reading issues; changing, acting on and commenting
 * on them (the handlers of the /api/issues routes). */
#ifndef DL_API_ISSUES_API_H
#define DL_API_ISSUES_API_H

#include <stdbool.h>
#include "api/exchange.h"

void issues_create(struct exchange *ex);
void issues_list(struct exchange *ex);
/* GET /api/issues/counts: the list's filters, counted per status. */
void issues_counts(struct exchange *ex);
void issues_get(struct exchange *ex);
void issues_patch(struct exchange *ex);
void issues_act(struct exchange *ex);
void issues_comment(struct exchange *ex);
/* PUT /api/issues/{ref}/sharing, POST /api/issues/{ref}/cosigns, GET /api/issues/similar
 * (issue_sharing_api.c). */
void issues_share(struct exchange *ex);
void issues_cosign(struct exchange *ex);
void issues_similar(struct exchange *ex);
/* PUT /api/issues/{ref}/parent: link under a systemic problem's main issue, or let go
 * (issue_links_api.c). */
void issues_set_parent(struct exchange *ex);
/* Resolves the parent's open children with its answer, in the caller's transaction (the
 * actions endpoint, after the parent's own resolve). */
bool issue_resolve_children(struct exchange *ex, long long parent_id, const char *parent_ref,
                            const char *note, struct error *err);

#endif
