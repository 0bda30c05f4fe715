/* test_webhook_url.c -- every branch of domain/webhook_url.c: where a webhook may be
 * registered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/webhook_url.h"

static void https_anywhere_is_taken(void **state)
{
    (void)state;
    assert_null(webhook_url_problem("https://hooks.hatinh.edu.vn/directline"));
    assert_null(webhook_url_problem("https://10.0.0.5:8443/in?source=directline"));
    assert_null(webhook_url_problem("https://example.vn"));
}

static void plain_http_only_on_this_machine(void **state)
{
    (void)state;
    assert_null(webhook_url_problem("http://127.0.0.1:8099/hook"));
    assert_null(webhook_url_problem("http://localhost/hook"));
    assert_null(webhook_url_problem("http://[::1]:9000"));
    assert_non_null(webhook_url_problem("http://hooks.hatinh.edu.vn/x"));
    assert_non_null(webhook_url_problem("http://127.0.0.1.evil.example/x"));
    assert_non_null(webhook_url_problem("http://localhost:123456/x"));
    assert_non_null(webhook_url_problem("http://localhost:/x"));
    assert_non_null(webhook_url_problem("http://localhost:80x/x"));
}

static void other_schemes_and_shapes_are_refused(void **state)
{
    (void)state;
    assert_non_null(webhook_url_problem("ftp://example.vn/x"));
    assert_non_null(webhook_url_problem("example.vn/x"));
    assert_non_null(webhook_url_problem("https:///x"));
    assert_non_null(webhook_url_problem("https://user:pw@example.vn/x"));
    assert_non_null(webhook_url_problem("https://example.vn#frag"));
    assert_non_null(webhook_url_problem("https://example.vn/in?x=1#frag"));
    assert_non_null(webhook_url_problem("https://example.vn/a b"));
    assert_non_null(webhook_url_problem("https://example.vn/a\r\nX: y"));
    char longest[WEBHOOK_URL_MAX + 2];
    memset(longest, 'a', sizeof longest - 1);
    memcpy(longest, "https://", 8);
    longest[sizeof longest - 1] = '\0';
    assert_non_null(webhook_url_problem(longest));
    longest[WEBHOOK_URL_MAX] = '\0';
    assert_null(webhook_url_problem(longest));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(https_anywhere_is_taken),
        cmocka_unit_test(plain_http_only_on_this_machine),
        cmocka_unit_test(other_schemes_and_shapes_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
