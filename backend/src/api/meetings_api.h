/* meetings_api.h -- meetings, their agendas and their decisions (docs/meetings.md):
 * the handlers, and the readers of their bodies (for the fuzz targets too). */
#ifndef DL_API_MEETINGS_API_H
#define DL_API_MEETINGS_API_H

#include <cjson/cJSON.h>
#include "api/exchange.h"

/* The fields of a new meeting; agenda is an array literal of references ("{}": none). */
struct meeting_input {
    const char *kind, *cluster, *held_on, *title;
    char *agenda;                   /* caller frees */
};
cJSON *meeting_new_body(const struct exchange *ex, struct meeting_input *in,
                        struct error *err);
/* {"issues": [ref]}: *refs an array literal (caller frees). */
cJSON *meeting_agenda_body(const struct exchange *ex, char **refs, struct error *err);

/* A decision's fields, recorded or changed. responsible: a login, or NULL; a PATCH says
 * whether it was given (null: no one). issues: an array literal (caller frees). */
struct decision_input {
    const char *body, *division, *responsible, *due_on;
    bool has_responsible;
    char *issues;
};
cJSON *decision_new_body(const struct exchange *ex, struct decision_input *in,
                         struct error *err);
cJSON *decision_patch_body(const struct exchange *ex, struct decision_input *in,
                           struct error *err);
/* {"action": "done"|"reopen", "note"}: *done says which; a reopen needs its note. */
cJSON *decision_action_body(const struct exchange *ex, bool *done, const char **note,
                            struct error *err);

/* Shared by the meetings' and the decisions' handlers: each answers 403 itself when
 * false; the date field is a real YYYY-MM-DD day. */
bool meeting_staff_only(struct exchange *ex);
bool meeting_recorders_only(struct exchange *ex);
bool meeting_date_field(const cJSON *doc, const char *name, bool required, const char **out,
                        struct error *err);

void meetings_list(struct exchange *ex);
void meetings_create(struct exchange *ex);
void meetings_get(struct exchange *ex);
void meetings_set_agenda(struct exchange *ex);
void meetings_agenda_page(struct exchange *ex);
void decisions_create(struct exchange *ex);
void decisions_list(struct exchange *ex);
void decisions_patch(struct exchange *ex);
void decisions_act(struct exchange *ex);
void issues_decisions(struct exchange *ex);

#endif
