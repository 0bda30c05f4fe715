/* test_conn_guard.c -- the per-address cap's place is taken in the accept callback, so
 * connections accepted at once by different worker threads cannot all pass a check made
 * before any of them is counted; a place reserved for a connection that never starts
 * comes back. (The head deadlines and body rates are tested end to end, in
 * tests/api/test_slow_clients.py.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>
#include <time.h>

#include "http/conn_guard.h"
#include "socket_addresses.h"

#define CAP 3

static enum MHD_Result accept_from(struct conn_guard *g, const char *address)
{
    struct sockaddr_in sa = v4(address);
    return conn_guard_accept(g, (const struct sockaddr *)&sa, sizeof sa);
}

static struct conn_guard *guard(const struct trusted_proxies *proxies)
{
    struct conn_guard_config config = {
        .head_timeout_seconds = 10, .body_grace_seconds = 10, .min_body_rate = 0,
        .per_address_limit = CAP, .proxies = proxies,
    };
    struct conn_guard *g = conn_guard_create(&config);
    assert_non_null(g);
    return g;
}

/* Accepted, not yet started (as when every worker thread accepts at once): the cap
 * holds already. */
static void accepting_takes_the_place(void **state)
{
    (void)state;
    struct trusted_proxies proxies = {0};
    char bad[64];
    assert_true(trusted_proxies_parse("10.0.0.1", &proxies, bad, sizeof bad));
    struct conn_guard *g = guard(&proxies);
    for (int i = 0; i < CAP; i++)
        assert_int_equal(accept_from(g, "192.0.2.1"), MHD_YES);
    assert_int_equal(accept_from(g, "192.0.2.1"), MHD_NO);
    assert_int_equal(accept_from(g, "192.0.2.2"), MHD_YES);   /* another address */
    for (int i = 0; i < CAP + 2; i++)                          /* the trusted proxy */
        assert_int_equal(accept_from(g, "10.0.0.1"), MHD_YES);
    conn_guard_free(g);
}

/* A connection that fails between the accept and its start (out of memory, TLS set-up)
 * is never notified: its reserved place is given back after a while. */
static void a_place_reserved_for_a_connection_that_never_starts_comes_back(void **state)
{
    (void)state;
    struct conn_guard *g = guard(NULL);
    for (int i = 0; i < CAP; i++)
        assert_int_equal(accept_from(g, "192.0.2.3"), MHD_YES);
    struct timespec start, now, nap = {0, 100 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &start);
    bool back = false;
    do {
        nanosleep(&nap, NULL);
        back = accept_from(g, "192.0.2.3") == MHD_YES;
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (!back && now.tv_sec - start.tv_sec < 10);
    assert_true(back);
    conn_guard_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepting_takes_the_place),
        cmocka_unit_test(a_place_reserved_for_a_connection_that_never_starts_comes_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
