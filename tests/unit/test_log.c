/* test_log.c -- the log's flood guard and line hygiene: the same warning is written once
 * per window and then says how many copies were held back; a message held back and never
 * repeated is still summed up once its window is over; different messages and info lines
 * are not held back; the table forgets old messages rather than growing; a newline in a
 * message cannot start a second line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/log.h"
#include "util/log_limit.h"

static void once_per_window(void **state)
{
    (void)state;
    struct log_limit l;
    log_limit_init(&l, 10.0);
    assert_int_equal(log_limit_admit(&l, "warn db down", 100.0), 0);
    for (int i = 0; i < 199; i++)
        assert_int_equal(log_limit_admit(&l, "warn db down", 100.0 + i * 0.04), -1);
    assert_int_equal(log_limit_admit(&l, "warn db down", 110.5), 199);
    assert_int_equal(log_limit_admit(&l, "warn db down", 111.0), -1);
}

static void other_messages_pass(void **state)
{
    (void)state;
    struct log_limit l;
    log_limit_init(&l, 10.0);
    assert_int_equal(log_limit_admit(&l, "warn a", 1.0), 0);
    assert_int_equal(log_limit_admit(&l, "warn b", 1.1), 0);
    assert_int_equal(log_limit_admit(&l, "warn a", 1.2), -1);
    assert_int_equal(log_limit_admit(&l, "error a", 1.3), 0);
}

static void overdue_summary(void **state)
{
    (void)state;
    struct log_limit l;
    char text[LOG_LIMIT_TEXT];
    long held = 0;
    log_limit_init(&l, 10.0);
    log_limit_admit(&l, "warn gone", 0.0);
    log_limit_admit(&l, "warn gone", 1.0);
    log_limit_admit(&l, "warn gone", 2.0);
    assert_false(log_limit_overdue(&l, 9.0, text, sizeof text, &held));
    assert_true(log_limit_overdue(&l, 10.5, text, sizeof text, &held));
    assert_string_equal(text, "warn gone");
    assert_int_equal(held, 2);
    assert_false(log_limit_overdue(&l, 30.0, text, sizeof text, &held));
}

static void table_stays_bounded(void **state)
{
    (void)state;
    struct log_limit l;
    char message[32];
    log_limit_init(&l, 10.0);
    for (int i = 0; i < LOG_LIMIT_SLOTS * 4; i++) {
        snprintf(message, sizeof message, "warn number %d", i);
        assert_int_equal(log_limit_admit(&l, message, 1.0 + i * 0.001), 0);
    }
    /* The newest are remembered (and held back), the oldest forgotten (written again). */
    assert_int_equal(log_limit_admit(&l, message, 2.0), -1);
    assert_int_equal(log_limit_admit(&l, "warn number 0", 2.0), 0);
}

/* Runs fn with standard error going to a file; returns what was written (caller frees). */
static char *captured_stderr(void (*fn)(void))
{
    char path[] = "/tmp/test_log_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char *text = calloc(1, 65536);
    assert_non_null(text);
    ssize_t n = pread(fd, text, 65535, 0);
    assert_true(n >= 0);
    close(fd);
    unlink(path);
    return text;
}

static int count_lines(const char *text)
{
    int n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

static void flood(void)
{
    for (int i = 0; i < 200; i++)
        log_warn("database connection failed: %s", "Connection refused\n\tIs the server running?\n");
    for (int i = 0; i < 3; i++)
        log_info("GET /healthz 200");
}

static void logger_holds_back_a_flood(void **state)
{
    (void)state;
    char *text = captured_stderr(flood);
    assert_int_equal(count_lines(text), 4);
    assert_non_null(strstr(text, "warn database connection failed: Connection refused\\n\\tIs"));
    assert_null(strstr(text, "refused\n"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(once_per_window),
        cmocka_unit_test(other_messages_pass),
        cmocka_unit_test(overdue_summary),
        cmocka_unit_test(table_stays_bounded),
        cmocka_unit_test(logger_holds_back_a_flood),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
