/* test_statement_cache.c -- a connection's prepared statements by text (db/statement_cache.c):
 * found by their text only once prepared or being prepared, a failed PREPARE forgotten,
 * bounded with the least recently used set aside to be closed, names never reused, and
 * the statements the server dropped or refused handled as it needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "db/statement_cache.h"

static void a_prepared_text_is_found_by_its_text(void **state)
{
    (void)state;
    struct statement_cache *c = statement_cache_new(4);
    assert_int_equal(statement_cache_find(c, "SELECT 1"), -1);
    int slot = statement_cache_add(c, "SELECT 1");
    assert_true(slot >= 0);
    /* Pending: found, so a second use in the same pipeline shares the PREPARE. */
    assert_int_equal(statement_cache_find(c, "SELECT 1"), slot);
    statement_cache_prepared(c, slot, true);
    char copy[] = "SELECT 1";                  /* the text, not its address, is the key */
    assert_int_equal(statement_cache_find(c, copy), slot);
    assert_int_equal(statement_cache_find(c, "SELECT 1 "), -1);
    assert_int_equal(statement_cache_find(c, "SELECT 2"), -1);
    statement_cache_free(c);
}

static void a_failed_prepare_is_forgotten(void **state)
{
    (void)state;
    struct statement_cache *c = statement_cache_new(1);
    int slot = statement_cache_add(c, "SELEC 1");
    statement_cache_prepared(c, slot, false);
    assert_int_equal(statement_cache_find(c, "SELEC 1"), -1);
    /* Its slot is free again, under a new name. */
    int again = statement_cache_add(c, "SELECT 1");
    assert_int_equal(again, slot);
    int to_close[4];
    assert_int_equal(statement_cache_to_close(c, to_close, 4), 0);
    statement_cache_free(c);
}

static void names_are_never_reused(void **state)
{
    (void)state;
    struct statement_cache *c = statement_cache_new(1);
    int slot = statement_cache_add(c, "SELECT 1");
    char first[32];
    snprintf(first, sizeof first, "%s", statement_cache_name(c, slot));
    statement_cache_prepared(c, slot, false);
    slot = statement_cache_add(c, "SELECT 1");
    assert_string_not_equal(statement_cache_name(c, slot), first);
    statement_cache_prepared(c, slot, true);
    statement_cache_clear(c);
    slot = statement_cache_add(c, "SELECT 1");
    assert_string_not_equal(statement_cache_name(c, slot), first);
    statement_cache_free(c);
}

static int add_ready(struct statement_cache *c, const char *sql)
{
    int slot = statement_cache_add(c, sql);
    assert_true(slot >= 0);
    statement_cache_prepared(c, slot, true);
    return slot;
}

/* Full: the least recently used is set aside (closed before its slot is used again) and
 * the new text goes unprepared this once; after the close it gets a slot. */
static void full_sets_aside_the_least_recently_used(void **state)
{
    (void)state;
    struct statement_cache *c = statement_cache_new(3);
    int a = add_ready(c, "A"), b = add_ready(c, "B");
    add_ready(c, "C");
    assert_int_equal(statement_cache_find(c, "A"), a);   /* A used after B */
    assert_int_equal(statement_cache_add(c, "D"), -1);
    assert_int_equal(statement_cache_find(c, "B"), -1);
    assert_int_equal(statement_cache_find(c, "A"), a);
    int to_close[4];
    assert_int_equal(statement_cache_to_close(c, to_close, 4), 1);
    assert_int_equal(to_close[0], b);
    /* Not yet closed: still no room. */
    assert_int_equal(statement_cache_add(c, "D"), -1);
    statement_cache_closed(c, b);
    assert_int_equal(statement_cache_to_close(c, to_close, 4), 1);   /* C, set aside now */
    int d = statement_cache_add(c, "D");
    assert_int_equal(d, b);
    statement_cache_free(c);
}

/* A slot being prepared is never the one set aside: its PREPARE is still on its way. */
static void pending_slots_are_not_set_aside(void **state)
{
    (void)state;
    struct statement_cache *c = statement_cache_new(1);
    int slot = statement_cache_add(c, "A");
    assert_int_equal(statement_cache_add(c, "B"), -1);
    int to_close[2];
    assert_int_equal(statement_cache_to_close(c, to_close, 2), 0);
    assert_int_equal(statement_cache_find(c, "A"), slot);
    statement_cache_free(c);
}

static void to_close_stops_at_max(void **state)
{
    (void)state;
    struct statement_cache *c = statement_cache_new(4);
    for (int i = 0; i < 4; i++) {
        char sql[8];
        snprintf(sql, sizeof sql, "S%d", i);
        statement_cache_drop(c, add_ready(c, sql), true);
    }
    int to_close[2];
    assert_int_equal(statement_cache_to_close(c, to_close, 2), 2);
    statement_cache_free(c);
}

/* 0A000 (the plan may not change its result type): the server still has it, so it is
 * closed later; 26000 (no such statement): nothing to close. Either way the text is
 * prepared afresh, under a new name. */
static void a_refused_statement_is_prepared_afresh(void **state)
{
    (void)state;
    struct statement_cache *c = statement_cache_new(4);
    int a = add_ready(c, "A"), b = add_ready(c, "B");
    statement_cache_drop(c, a, true);
    statement_cache_drop(c, b, false);
    assert_int_equal(statement_cache_find(c, "A"), -1);
    assert_int_equal(statement_cache_find(c, "B"), -1);
    int to_close[4];
    assert_int_equal(statement_cache_to_close(c, to_close, 4), 1);
    assert_int_equal(to_close[0], a);
    int again = statement_cache_add(c, "A");
    assert_true(again >= 0 && again != a);
    statement_cache_free(c);
}

/* A reconnect: nothing is prepared, nothing is left to close. */
static void clear_forgets_everything(void **state)
{
    (void)state;
    struct statement_cache *c = statement_cache_new(2);
    add_ready(c, "A");
    statement_cache_drop(c, add_ready(c, "B"), true);
    statement_cache_clear(c);
    assert_int_equal(statement_cache_find(c, "A"), -1);
    int to_close[2];
    assert_int_equal(statement_cache_to_close(c, to_close, 2), 0);
    assert_true(statement_cache_add(c, "C") >= 0);
    assert_true(statement_cache_add(c, "D") >= 0);
    statement_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_prepared_text_is_found_by_its_text),
        cmocka_unit_test(a_failed_prepare_is_forgotten),
        cmocka_unit_test(names_are_never_reused),
        cmocka_unit_test(full_sets_aside_the_least_recently_used),
        cmocka_unit_test(pending_slots_are_not_set_aside),
        cmocka_unit_test(to_close_stops_at_max),
        cmocka_unit_test(a_refused_statement_is_prepared_afresh),
        cmocka_unit_test(clear_forgets_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
