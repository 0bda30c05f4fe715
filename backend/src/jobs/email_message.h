/* email_message.h -- one notification email as RFC 5322 text, ready for SMTP: a message
 * for one notification, or the day's digest of several. In Vietnamese with an English
 * line under each sentence, a link to each issue, UTF-8 in base64 (no mail server on the
 * way may mangle it). The Message-ID comes from the notification ids alone, so a message
 * sent again after a crash carries the same id and a mail client can recognise it. */
#ifndef DL_JOBS_EMAIL_MESSAGE_H
#define DL_JOBS_EMAIL_MESSAGE_H

#include <stdbool.h>

/* One notification, as the worker read it (every text NUL-terminated; NULL: none). */
struct email_item {
    long long id;
    const char *reason;        /* notifications.reason */
    const char *action;        /* the event's action */
    const char *ref, *title, *school_name;
    const char *actor_name;    /* NULL: the system (the SLA sweep) */
    const char *excerpt;       /* the start of what was written, or NULL */
    /* A meeting decision's own notification (ref NULL, title the decision's text): its
     * meeting, for the link, and its due day. */
    long long meeting_id;
    const char *due_on;
    /* A directive's own notification (ref NULL, title the directive's): its page. */
    long long directive_id;
};

struct email_envelope {
    const char *from;          /* the sender's address */
    const char *to;            /* the recipient's address */
    const char *to_name;       /* the recipient's name, or NULL */
    const char *public_url;    /* where people open the app: "https://directline.example" */
    const char *date;          /* an RFC 5322 date: "Tue, 01 Dec 2026 16:30:00 +0700" */
    long long user_id;
    bool digest;               /* the day's digest (any number of items) */
};

/* The message, CRLF line ends; NULL when an address holds a line break or the envelope
 * lacks a field (nothing such is ever sent). Caller frees. */
char *email_message(const struct email_envelope *env, const struct email_item *items, int n);
/* The Message-ID (without <>) a message of these items carries; caller frees. */
char *email_message_id(const struct email_envelope *env, const struct email_item *items, int n);
/* The reason's sentence in Vietnamese (english false) or English; never NULL. */
const char *email_reason_text(const char *reason, bool english);
/* The item's sentence: its reason's, or to a follower what happened (its action). */
const char *email_item_text(const struct email_item *it, bool english);

#endif
