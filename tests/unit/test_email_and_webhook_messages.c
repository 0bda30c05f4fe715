/* test_email_and_webhook_messages.c -- what the delivery worker writes (jobs/): a
 * notification email's headers and Message-ID, its refusal of an address that would
 * break a header, and a webhook's signature against a value computed elsewhere (Python's
 * hmac module). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/email_message.h"
#include "jobs/webhook_signature.h"

static const struct email_item ITEM = {
    .id = 4352, .reason = "answered", .action = "comment", .ref = "HT-2026-000123",
    .title = "Thiếu sách", .school_name = "Trường Tiểu học Bắc Hà", .actor_name = "Hồ Xuân Khánh",
    .excerpt = "Sở đã liên hệ\nnhà xuất bản.",
};

static struct email_envelope envelope(void)
{
    return (struct email_envelope){.from = "thongbao@example.vn", .to = "ht@example.vn",
                                   .to_name = "Đặng Thị Hồng Liên",
                                   .public_url = "https://directline.example:8443",
                                   .date = "Tue, 01 Dec 2026 09:30:00 +0000", .user_id = 17};
}

static void a_message_has_its_headers_and_a_stable_id(void **state)
{
    (void)state;
    struct email_envelope env = envelope();
    char *m = email_message(&env, &ITEM, 1);
    assert_non_null(m);
    assert_non_null(strstr(m, "Message-ID: <directline.n4352@directline.example>\r\n"));
    assert_non_null(strstr(m, "From: directline <thongbao@example.vn>\r\n"));
    assert_non_null(strstr(m, "To: =?UTF-8?B?"));
    assert_non_null(strstr(m, " <ht@example.vn>\r\n"));
    assert_non_null(strstr(m, "Subject: =?UTF-8?B?"));
    assert_non_null(strstr(m, "Content-Transfer-Encoding: base64\r\n"));
    assert_non_null(strstr(m, "Auto-Submitted: auto-generated\r\n\r\n"));
    /* Every line of the message is short and ends in CRLF. */
    for (const char *line = m; *line;) {
        const char *end = strstr(line, "\r\n");
        assert_non_null(end);
        assert_true(end - line <= 998);
        line = end + 2;
    }
    char *again = email_message(&env, &ITEM, 1);
    assert_string_equal(strstr(m, "Message-ID"), strstr(again, "Message-ID"));
    free(again);
    free(m);
}

static void a_digest_is_named_by_its_reader_and_first_notification(void **state)
{
    (void)state;
    struct email_envelope env = envelope();
    env.digest = true;
    struct email_item items[2] = {ITEM, ITEM};
    items[0].id = 9000;
    char *id = email_message_id(&env, items, 2);
    assert_string_equal(id, "directline.digest.u17.n4352@directline.example");
    free(id);
    char *m = email_message(&env, items, 2);
    assert_non_null(m);
    free(m);
}

static void a_line_break_in_an_address_is_never_sent(void **state)
{
    (void)state;
    struct email_envelope env = envelope();
    env.to = "ht@example.vn\r\nBcc: everyone@example.vn";
    assert_null(email_message(&env, &ITEM, 1));
    env = envelope();
    env.to_name = "Tên\nBcc: x@example.vn";
    assert_null(email_message(&env, &ITEM, 1));
    env = envelope();
    env.from = "";
    assert_null(email_message(&env, &ITEM, 1));
    env = envelope();
    assert_null(email_message(&env, &ITEM, 0));
    struct email_item two[2] = {ITEM, ITEM};
    assert_null(email_message(&env, two, 2));     /* only a digest has several */
}

static void every_reason_has_its_sentences(void **state)
{
    (void)state;
    assert_string_equal(email_reason_text("answered", false), "Sở đã trả lời vấn đề của trường");
    assert_string_equal(email_reason_text("answered", true), "The Department answered your issue");
    assert_non_null(email_reason_text("no-such-reason", true));
    assert_non_null(email_reason_text(NULL, false));
    /* A follower reads what happened; an action without its own sentence, the reason's. */
    struct email_item followed = {.reason = "followed", .action = "resolve"};
    assert_string_equal(email_item_text(&followed, false),
                        "Sở đã giải quyết một vấn đề trường bạn cùng báo");
    assert_string_equal(email_item_text(&followed, true),
                        "The Department resolved an issue your school also reported");
    followed.action = "triage";
    assert_string_equal(email_item_text(&followed, false), email_reason_text("followed", false));
    struct email_item answered = {.reason = "answered", .action = "comment"};
    assert_string_equal(email_item_text(&answered, true), "The Department answered your issue");
}

/* The message's body, decoded from its base64 lines (caller frees). */
static char *body_of(const char *message)
{
    const char *start = strstr(message, "\r\n\r\n");
    assert_non_null(start);
    start += 4;
    size_t cap = strlen(start);
    char *out = calloc(cap + 1, 1);
    size_t len = 0;
    assert_int_equal(sodium_base642bin((unsigned char *)out, cap, start, strlen(start), "\r\n",
                                       &len, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
    out[len] = '\0';
    return out;
}

static void a_decisions_own_notification_links_its_meeting(void **state)
{
    (void)state;
    struct email_envelope env = envelope();
    struct email_item due = {.id = 77, .reason = "decision_due",
                             .title = "Điều chuyển sách dư cho các trường", .meeting_id = 12,
                             .due_on = "2026-12-20"};
    char *m = email_message(&env, &due, 1);
    assert_non_null(m);
    char *body = body_of(m);
    assert_non_null(strstr(body, "Quyết định của cuộc họp sắp đến hạn\r\n"
                                 "A meeting decision falls due\r\n"));
    assert_non_null(strstr(body, "Quyết định / Decision: Điều chuyển sách dư cho các trường"));
    assert_non_null(strstr(body, "Hạn / Due: 2026-12-20"));
    assert_non_null(strstr(body, "https://directline.example:8443/meetings/12"));
    assert_null(strstr(body, "/issues/"));
    free(body);
    free(m);
}

static void the_signature_is_hmac_sha256_of_time_and_body(void **state)
{
    (void)state;
    char out[128];
    webhook_signature("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                      1733097600, "{\"id\":\"evt_1\"}", out, sizeof out);
    assert_string_equal(out, "t=1733097600,v1="
                        "d6a83486369bdd8a933a4c5d8f08bf419a1e1d5549bd6ac494268310dea74c59");
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_message_has_its_headers_and_a_stable_id),
        cmocka_unit_test(a_digest_is_named_by_its_reader_and_first_notification),
        cmocka_unit_test(a_line_break_in_an_address_is_never_sent),
        cmocka_unit_test(every_reason_has_its_sentences),
        cmocka_unit_test(a_decisions_own_notification_links_its_meeting),
        cmocka_unit_test(the_signature_is_hmac_sha256_of_time_and_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
