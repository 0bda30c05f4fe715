/* email_message.c -- notification emails as email_message.h says. */
#include "jobs/email_message.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* The same sentences as the app's list (backend/web/js/messages.js, notif.reason.*). */
static const struct {
    const char *reason, *vi, *en;
} REASONS[] = {
    {"new_issue", "Vấn đề mới gửi đến phòng", "A new issue for your division"},
    {"assigned", "Bạn được giao xử lý vấn đề", "An issue was assigned to you"},
    {"answered", "Sở đã trả lời vấn đề của trường", "The Department answered your issue"},
    {"info_requested", "Sở đề nghị trường bổ sung thông tin",
     "The Department asks for more information"},
    {"resolved", "Sở đã giải quyết vấn đề của trường", "The Department resolved your issue"},
    {"declined", "Sở không tiếp nhận vấn đề", "The Department declined the issue"},
    {"duplicate", "Vấn đề được đánh dấu trùng lặp", "The issue was marked as a duplicate"},
    {"school_replied", "Có phản hồi mới từ phía trường", "The school side wrote back"},
    {"reopened", "Nhà trường mở lại vấn đề", "The school reopened the issue"},
    {"confirmed", "Nhà trường xác nhận đã giải quyết", "The school confirmed the resolution"},
    {"escalated", "Vấn đề được chuyển lên cấp trên", "The issue was escalated"},
    {"internal_note", "Ghi chú nội bộ mới", "A new internal note"},
    {"cosigned", "Một trường khác cũng gặp vấn đề này", "Another school has this problem too"},
    {"linked", "Vấn đề được gộp vào một vấn đề chung",
     "The issue was linked into a systemic problem"},
    {"followed", "Vấn đề trường bạn theo dõi có thay đổi", "A problem your school follows changed"},
    {"decision", "Cuộc họp đã có quyết định về vấn đề của trường",
     "The meeting decided on your school's issue"},
    {"decision_done", "Quyết định của cuộc họp đã được thực hiện",
     "A meeting decision on your issue was carried out"},
    {"decision_reopened", "Quyết định của cuộc họp được mở lại",
     "A meeting decision on your issue was reopened"},
    {"decision_assigned", "Bạn phụ trách một quyết định của cuộc họp",
     "You answer for a meeting decision"},
    {"decision_due", "Quyết định của cuộc họp sắp đến hạn", "A meeting decision falls due"},
    {"directive", "Sở có văn bản chỉ đạo mới, đề nghị nhà trường xác nhận đã nhận",
     "A new directive from the Department: please acknowledge it"},
    {"directive_reminder", "Nhắc lại: nhà trường chưa xác nhận đã nhận văn bản chỉ đạo",
     "Reminder: your school has not acknowledged a directive"},
    {"low_rating", "Một trường đánh giá thấp kết quả giải quyết",
     "A school rated a resolution low"},
};

/* To a school that follows a problem (it co-signed it, or its issue is linked under it):
 * what happened, as the app says it, instead of "a problem you follow changed". */
static const struct {
    const char *action, *vi, *en;
} FOLLOWED[] = {
    {"comment", "Sở đã trả lời một vấn đề trường bạn cùng báo",
     "The Department answered an issue your school also reported"},
    {"resolve", "Sở đã giải quyết một vấn đề trường bạn cùng báo",
     "The Department resolved an issue your school also reported"},
    {"decline", "Sở không tiếp nhận một vấn đề trường bạn cùng báo",
     "The Department declined an issue your school also reported"},
    {"mark_duplicate", "Một vấn đề trường bạn cùng báo được đánh dấu trùng lặp",
     "An issue your school also reported was marked as a duplicate"},
    {"reopen", "Trường gửi vấn đề đã mở lại một vấn đề trường bạn cùng báo",
     "The school that filed it reopened an issue your school also reported"},
    {"decision", "Cuộc họp của Sở đã quyết định về một vấn đề trường bạn cùng báo",
     "A Department meeting decided on an issue your school also reported"},
    {"decision_done", "Quyết định của cuộc họp về một vấn đề trường bạn cùng báo đã được thực hiện",
     "The meeting's decision on an issue your school also reported was carried out"},
    {"decision_reopened", "Quyết định của cuộc họp về một vấn đề trường bạn cùng báo được mở lại",
     "The meeting's decision on an issue your school also reported was reopened"},
};

const char *email_item_text(const struct email_item *it, bool english)
{
    for (size_t i = 0; it->reason && strcmp(it->reason, "followed") == 0 && it->action &&
                       i < sizeof FOLLOWED / sizeof FOLLOWED[0]; i++)
        if (strcmp(FOLLOWED[i].action, it->action) == 0)
            return english ? FOLLOWED[i].en : FOLLOWED[i].vi;
    return email_reason_text(it->reason, english);
}

const char *email_reason_text(const char *reason, bool english)
{
    for (size_t i = 0; reason && i < sizeof REASONS / sizeof REASONS[0]; i++)
        if (strcmp(REASONS[i].reason, reason) == 0)
            return english ? REASONS[i].en : REASONS[i].vi;
    return english ? "An issue you follow changed" : "Có thay đổi ở một vấn đề";
}

/* A growing text. */
struct text {
    char *s;
    size_t len, cap;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (t->len + (size_t)need + 1 > t->cap) {
        t->cap = (t->len + (size_t)need + 1) * 2;
        t->s = xrealloc(t->s, t->cap);
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)need;
}

static char *base64(const char *s)
{
    size_t len = strlen(s);
    size_t size = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *out = xmalloc(size);
    sodium_bin2base64(out, size, (const unsigned char *)s, len, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

/* A header value outside ASCII, as an RFC 2047 encoded word (one is enough: mail
 * clients take long ones, and our subjects and names are short). */
static void add_encoded(struct text *t, const char *value)
{
    char *b = base64(value);
    add(t, "=?UTF-8?B?%s?=", b);
    free(b);
}

static bool one_line(const char *s)
{
    return s && s[0] && !strpbrk(s, "\r\n<>");
}

char *email_message_id(const struct email_envelope *env, const struct email_item *items, int n)
{
    const char *host = strstr(env->public_url, "://");
    host = host ? host + 3 : env->public_url;
    size_t host_len = strcspn(host, ":/");
    if (!env->digest)
        return xasprintf("directline.n%lld@%.*s", items[0].id, (int)host_len, host);
    long long first = items[0].id;
    for (int i = 1; i < n; i++)
        if (items[i].id < first)
            first = items[i].id;
    return xasprintf("directline.digest.u%lld.n%lld@%.*s", env->user_id, first, (int)host_len,
                     host);
}

/* A decision's own notification: what was decided, by when, and its meeting's page. */
static void add_decision(struct text *body, const struct email_envelope *env,
                         const struct email_item *it)
{
    add(body, "Quyết định / Decision: %s\n", it->title ? it->title : "");
    add(body, "Hạn / Due: %s\n", it->due_on ? it->due_on : "");
    add(body, "\nXem cuộc họp / Open the meeting: %s/meetings/%lld\n", env->public_url,
        it->meeting_id);
}

/* One notification in the body: the sentence in both languages, the issue, who, what. */
static void add_item(struct text *body, const struct email_envelope *env,
                     const struct email_item *it)
{
    add(body, "%s\n%s\n\n", email_item_text(it, false), email_item_text(it, true));
    if (!it->ref && it->directive_id) {
        add(body, "Văn bản / Directive: %s\n", it->title ? it->title : "");
        add(body, "\nXem và xác nhận / Open and acknowledge: %s/directives/%lld\n",
            env->public_url, it->directive_id);
        return;
    }
    if (!it->ref) {
        add_decision(body, env, it);
        return;
    }
    add(body, "%s: %s\n", it->ref, it->title);
    add(body, "Trường / School: %s\n", it->school_name);
    add(body, "Người thực hiện / By: %s\n", it->actor_name ? it->actor_name : "Hệ thống / System");
    if (it->excerpt && it->excerpt[0])
        add(body, "\n  \"%s\"\n", it->excerpt);
    add(body, "\nXem vấn đề / Open the issue: %s/issues/%s\n", env->public_url, it->ref);
}

static char *body_text(const struct email_envelope *env, const struct email_item *items, int n)
{
    struct text body = {0};
    add(&body, "Kính gửi %s,\n\n", env->to_name ? env->to_name : env->to);
    if (env->digest)
        add(&body, "Thông báo trong ngày của bạn (%d):\nToday's notifications (%d):\n\n", n, n);
    for (int i = 0; i < n; i++) {
        if (i > 0)
            add(&body, "\n----\n\n");
        add_item(&body, env, &items[i]);
    }
    add(&body, "\n--\ndirectline, Sở Giáo dục và Đào tạo Hà Tĩnh\n"
               "Đổi cách nhận email / Change how emails come: %s/notifications\n",
        env->public_url);
    return body.s;
}

/* Text in its canonical form for mail: every line break CRLF (a note may hold bare LFs
 * or CRs of its own). */
static char *crlf(const char *text)
{
    struct text out = {0};
    add(&out, "%s", "");
    for (const char *p = text; *p; p++) {
        if (*p == '\r' && p[1] == '\n')
            continue;
        if (*p == '\n' || *p == '\r')
            add(&out, "\r\n");
        else
            add(&out, "%c", *p);
    }
    return out.s;
}

/* The body's base64, in lines of 76 characters (RFC 2045), of its canonical form. */
static void add_base64_lines(struct text *t, const char *text)
{
    char *canonical = crlf(text);
    char *b = base64(canonical);
    free(canonical);
    for (size_t off = 0, len = strlen(b); off < len; off += 76)
        add(t, "%.76s\r\n", b + off);
    free(b);
}

static void add_subject(struct text *t, const struct email_envelope *env,
                        const struct email_item *items, int n)
{
    char *subject = env->digest
        ? xasprintf("[directline] Thông báo trong ngày (%d) / Today's notifications", n)
        : items[0].ref
            ? xasprintf("[directline] %s: %s", items[0].ref, email_item_text(&items[0], false))
            : xasprintf("[directline] %s", email_item_text(&items[0], false));
    add(t, "Subject: ");
    add_encoded(t, subject);
    add(t, "\r\n");
    free(subject);
}

char *email_message(const struct email_envelope *env, const struct email_item *items, int n)
{
    if (n < 1 || (!env->digest && n != 1) || !one_line(env->from) || !one_line(env->to) ||
        !one_line(env->public_url) || !one_line(env->date) ||
        (env->to_name && strpbrk(env->to_name, "\r\n")))
        return NULL;
    struct text t = {0};
    char *id = email_message_id(env, items, n);
    add(&t, "From: directline <%s>\r\n", env->from);
    add(&t, "To: ");
    if (env->to_name)
        add_encoded(&t, env->to_name);
    add(&t, "%s<%s>\r\n", env->to_name ? " " : "", env->to);
    add_subject(&t, env, items, n);
    add(&t, "Date: %s\r\nMessage-ID: <%s>\r\n", env->date, id);
    add(&t, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: base64\r\nAuto-Submitted: auto-generated\r\n\r\n");
    char *body = body_text(env, items, n);
    add_base64_lines(&t, body);
    free(body);
    free(id);
    return t.s;
}
