/* test_client_address.c -- the client behind trusted proxies (X-Forwarded-For read
 * right to left, only from a trusted peer), the proxy list's syntax, and the escaping of
 * request text for the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "http/client_address.h"
#include "http/log_escape.h"

static struct sockaddr_in v4(const char *text)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    inet_pton(AF_INET, text, &sa.sin_addr);
    return sa;
}

static void pick(const char *proxies, const char *peer, const char *const *xff, int n,
                 const char *expected)
{
    struct trusted_proxies tp = {0};
    char bad[64], out[48];
    assert_true(trusted_proxies_parse(proxies, &tp, bad, sizeof bad));
    struct sockaddr_in sa = v4(peer);
    client_address_pick(&tp, (const struct sockaddr *)&sa, xff, n, out, sizeof out);
    assert_string_equal(out, expected);
}

static void untrusted_peer_is_the_client(void **state)
{
    (void)state;
    const char *xff[] = {"203.0.113.7"};
    pick("10.0.0.1", "198.51.100.9", xff, 1, "198.51.100.9");
    pick("", "198.51.100.9", xff, 1, "198.51.100.9");
}

static void trusted_peer_names_the_right_most_untrusted(void **state)
{
    (void)state;
    const char *one[] = {"192.0.2.1, 203.0.113.7"};
    pick("10.0.0.1", "10.0.0.1", one, 1, "203.0.113.7");
    /* A chain of trusted proxies is looked through, across header lines too. */
    const char *chain[] = {"192.0.2.1, 203.0.113.7", "10.0.0.2 ,10.0.0.3"};
    pick("10.0.0.0/24", "10.0.0.1", chain, 2, "203.0.113.7");
    const char *v6[] = {"2001:db8::42"};
    pick("10.0.0.1", "10.0.0.1", v6, 1, "2001:db8::42");
}

static void garbage_stops_at_the_proxy_that_wrote_it(void **state)
{
    (void)state;
    const char *junk[] = {"203.0.113.7, unknown, 10.0.0.2"};
    pick("10.0.0.1,10.0.0.2", "10.0.0.1", junk, 1, "10.0.0.2");
    const char *empty[] = {""};
    pick("10.0.0.1", "10.0.0.1", empty, 1, "10.0.0.1");
    pick("10.0.0.1", "10.0.0.1", NULL, 0, "10.0.0.1");
}

static void proxy_list_syntax(void **state)
{
    (void)state;
    struct trusted_proxies tp = {0};
    char bad[64];
    assert_true(trusted_proxies_parse(" 127.0.0.1 , ::1,10.1.0.0/16", &tp, bad, sizeof bad));
    assert_int_equal(tp.count, 3);
    struct sockaddr_in in = v4("10.1.200.3"), out = v4("10.2.0.1");
    assert_true(trusted_proxies_has_sockaddr(&tp, (const struct sockaddr *)&in));
    assert_false(trusted_proxies_has_sockaddr(&tp, (const struct sockaddr *)&out));
    assert_false(trusted_proxies_parse("10.0.0.1,nginx.local", &tp, bad, sizeof bad));
    assert_string_equal(bad, "nginx.local");
    assert_false(trusted_proxies_parse("10.0.0.0/33", &tp, bad, sizeof bad));
    assert_false(trusted_proxies_parse("10.0.0.0/", &tp, bad, sizeof bad));
}

static void log_text_is_escaped(void **state)
{
    (void)state;
    char out[64];
    log_escape("/api/x\n2026 info forged\r\x1b[31m\\", out, sizeof out);
    assert_string_equal(out, "/api/x\\x0a2026 info forged\\x0d\\x1b[31m\\\\");
    log_escape("\xe1\xbb\x87", out, sizeof out);
    assert_string_equal(out, "\\xe1\\xbb\\x87");
    log_escape(NULL, out, sizeof out);
    assert_string_equal(out, "-");
    char small[12];
    log_escape("abcdefghijklmnop", small, sizeof small);
    assert_string_equal(small, "abcdefgh...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(untrusted_peer_is_the_client),
        cmocka_unit_test(trusted_peer_names_the_right_most_untrusted),
        cmocka_unit_test(garbage_stops_at_the_proxy_that_wrote_it),
        cmocka_unit_test(proxy_list_syntax),
        cmocka_unit_test(log_text_is_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
