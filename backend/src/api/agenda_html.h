/* agenda_html.h -- a meeting's agenda as one printable page (GET
 * /api/meetings/{id}/agenda): each issue to discuss with its facts, the school's proposal
 * and its public history in brief, and room for the meeting's notes. */
#ifndef DL_API_AGENDA_HTML_H
#define DL_API_AGENDA_HTML_H

#include <stdbool.h>
#include "db/db.h"

struct agenda_page {
    const struct db_rows *meeting;   /* db_meeting_get's row */
    const struct db_rows *agenda;    /* db_meeting_agenda's rows */
    const struct db_rows *history;   /* db_meeting_agenda_history's rows */
    bool english;                    /* else Vietnamese */
};

/* The Content-Security-Policy the page is served with: its own style and nothing else. */
const char *agenda_html_csp(void);
/* The page (caller frees). */
char *agenda_html(const struct agenda_page *page);

#endif
