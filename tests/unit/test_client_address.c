/* test_client_address.c -- the client behind trusted proxies (X-Forwarded-For read
 * right to left, only from a trusted peer, its last lines kept; IPv4-mapped addresses as
 * IPv4), the proxy list's syntax, and the escaping of request text for the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>

#include "http/client_address.h"
#include "http/log_escape.h"
#include "socket_addresses.h"

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

/* A client that sends more lines than are kept must not push out the line the trusted
 * proxy appended after them (HAProxy adds its own line). */
static void the_last_forwarded_lines_are_kept(void **state)
{
    (void)state;
    struct forwarded_for ff = {.count = 0};
    for (int i = 0; i < 40; i++)
        forwarded_for_add(&ff, "192.0.2.66");
    forwarded_for_add(&ff, "203.0.113.7");
    assert_int_equal(ff.count, FORWARDED_FOR_MAX);
    assert_string_equal(ff.values[FORWARDED_FOR_MAX - 1], "203.0.113.7");
    pick("10.0.0.1", "10.0.0.1", ff.values, ff.count, "203.0.113.7");
    struct forwarded_for few = {.count = 0};
    forwarded_for_add(&few, "a");
    forwarded_for_add(&few, "b");
    assert_int_equal(few.count, 2);
    assert_string_equal(few.values[0], "a");
    assert_string_equal(few.values[1], "b");
}

/* ::ffff:a.b.c.d is a.b.c.d: in X-Forwarded-For, as the peer, and in the proxy list. */
static void ipv4_mapped_addresses_are_ipv4(void **state)
{
    (void)state;
    const char *chain[] = {"203.0.113.7, ::ffff:10.0.0.2"};
    pick("10.0.0.0/24", "10.0.0.1", chain, 1, "203.0.113.7");
    const char *mapped_client[] = {"::ffff:203.0.113.9"};
    pick("10.0.0.1", "10.0.0.1", mapped_client, 1, "203.0.113.9");

    struct trusted_proxies tp = {0};
    char bad[64], out[48];
    assert_true(trusted_proxies_parse("10.0.0.0/24", &tp, bad, sizeof bad));
    struct sockaddr_in6 peer = v6("::ffff:10.0.0.1");
    assert_true(trusted_proxies_has_sockaddr(&tp, (const struct sockaddr *)&peer));
    const char *xff[] = {"198.51.100.4"};
    client_address_pick(&tp, (const struct sockaddr *)&peer, xff, 1, out, sizeof out);
    assert_string_equal(out, "198.51.100.4");
    struct sockaddr_in6 stranger = v6("::ffff:192.0.2.5");
    client_address_pick(&tp, (const struct sockaddr *)&stranger, xff, 1, out, sizeof out);
    assert_string_equal(out, "192.0.2.5");

    struct trusted_proxies mapped_net = {0};
    assert_true(trusted_proxies_parse("::ffff:10.1.0.0/112", &mapped_net, bad, sizeof bad));
    struct sockaddr_in inside = v4("10.1.7.7"), outside = v4("10.2.0.1");
    assert_true(trusted_proxies_has_sockaddr(&mapped_net, (const struct sockaddr *)&inside));
    assert_false(trusted_proxies_has_sockaddr(&mapped_net, (const struct sockaddr *)&outside));
    assert_false(trusted_proxies_parse("::ffff:10.1.0.0/64", &mapped_net, bad, sizeof bad));
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

/* A decoded path with spaces would forge the access line's status, time and address. */
static void a_logged_field_has_no_space(void **state)
{
    (void)state;
    char out[96];
    log_escape_field("/a 200 0.1ms 10.0.0.9 admin", out, sizeof out);
    assert_string_equal(out, "/a\\x20200\\x200.1ms\\x2010.0.0.9\\x20admin");
    assert_null(strchr(out, ' '));
    log_escape_field("/api/x\n", out, sizeof out);
    assert_string_equal(out, "/api/x\\x0a");
    log_escape("libmicrohttpd says so", out, sizeof out);
    assert_string_equal(out, "libmicrohttpd says so");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(untrusted_peer_is_the_client),
        cmocka_unit_test(trusted_peer_names_the_right_most_untrusted),
        cmocka_unit_test(garbage_stops_at_the_proxy_that_wrote_it),
        cmocka_unit_test(proxy_list_syntax),
        cmocka_unit_test(log_text_is_escaped),
        cmocka_unit_test(a_logged_field_has_no_space),
        cmocka_unit_test(the_last_forwarded_lines_are_kept),
        cmocka_unit_test(ipv4_mapped_addresses_are_ipv4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
