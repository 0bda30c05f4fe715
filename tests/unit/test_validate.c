/* test_validate.c -- the UTF-8 decoder's edge cases, lengths in code points, and the
 * shapes of codes, logins, passwords, references and e-mails; plus struct error filling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/validate.h"

/* utf8_valid over a string literal, its length taken without the terminating NUL. */
#define VALID(lit) utf8_valid((lit), sizeof(lit) - 1)
#define LENGTH(lit) utf8_length((lit), sizeof(lit) - 1)

static struct error fresh(void)
{
    struct error e;
    memset(&e, 0, sizeof e);
    return e;
}

/* The one field error a failed check should have left. */
static void assert_field(const struct error *e, const char *field, const char *message)
{
    assert_int_equal(e->kind, ERR_INVALID);
    assert_int_equal(e->nfields, 1);
    assert_string_equal(e->fields[0].field, field);
    assert_string_equal(e->fields[0].message, message);
}

static void utf8_accepts_well_formed(void **state)
{
    (void)state;
    assert_true(VALID(""));
    assert_true(VALID("plain ascii"));
    assert_true(VALID("gi\xc3\xa1o vi\xc3\xaan"));          /* "giáo viên" */
    assert_true(VALID("Nguy\xe1\xbb\x85n V\xc4\x83n An"));  /* "Nguyễn Văn An" */
    assert_true(VALID("\xf0\x9f\x98\x80"));                 /* U+1F600, 4 bytes */
    assert_true(VALID("\xc2\x80"));                         /* U+0080, lowest 2-byte */
    assert_true(VALID("\xe0\xa0\x80"));                     /* U+0800, lowest 3-byte */
    assert_true(VALID("\xed\x9f\xbf"));                     /* U+D7FF, below surrogates */
    assert_true(VALID("\xee\x80\x80"));                     /* U+E000, above surrogates */
    assert_true(VALID("\xef\xbf\xbf"));                     /* U+FFFF */
    assert_true(VALID("\xf0\x90\x80\x80"));                 /* U+10000, lowest 4-byte */
    assert_true(VALID("\xf4\x8f\xbf\xbf"));                 /* U+10FFFF, the last */
    assert_true(utf8_valid(NULL, 0));
}

static void utf8_rejects_malformed(void **state)
{
    (void)state;
    assert_false(VALID("\xc0\x80"));                        /* overlong NUL */
    assert_false(VALID("\xc1\xbf"));                        /* overlong '\x7f' */
    assert_false(VALID("\xe0\x80\xaf"));                    /* overlong '/' in 3 bytes */
    assert_false(VALID("\xf0\x80\x80\xaf"));                /* overlong '/' in 4 bytes */
    assert_false(VALID("\xed\xa0\x80"));                    /* U+D800 surrogate */
    assert_false(VALID("\xed\xbf\xbf"));                    /* U+DFFF surrogate */
    assert_false(VALID("\xf4\x90\x80\x80"));                /* U+110000 */
    assert_false(VALID("\xf5\x80\x80\x80"));
    assert_false(VALID("\xff"));
    assert_false(VALID("\xe1\xba"));                        /* truncated 3-byte */
    assert_false(VALID("ok \xe1\xba"));                     /* truncated at the end */
    assert_false(VALID("\xf0\x9f\x98"));                    /* truncated 4-byte */
    assert_false(VALID("\xc3"));                            /* truncated 2-byte */
    assert_false(VALID("\x80"));                            /* lone continuation */
    assert_false(VALID("a\xbf" "b"));
    assert_false(VALID("\xc3\x28"));                        /* bad continuation */
    assert_false(VALID("\xe1\xba\x28"));
    assert_false(utf8_valid("ab\0cd", 5));                  /* embedded NUL */
    assert_false(utf8_valid("\0", 1));
    /* The explicit length is obeyed: a valid prefix cut mid-character is invalid. */
    assert_true(utf8_valid("gi\xc3\xa1o", 4));
    assert_false(utf8_valid("gi\xc3\xa1o", 3));
    /* Bytes past the length are not read, even when they would complete the sequence. */
    assert_false(utf8_valid("\xe1\xba\x80", 2));
    assert_false(utf8_valid("\xf0\x9f\x98\x80", 3));
    assert_false(utf8_valid("\xc3\xa1", 1));
}

static void utf8_counts_code_points(void **state)
{
    (void)state;
    assert_int_equal(LENGTH(""), 0);
    assert_int_equal(LENGTH("abc"), 3);
    assert_int_equal(LENGTH("gi\xc3\xa1o vi\xc3\xaan"), 9);     /* 11 bytes */
    assert_int_equal(LENGTH("\xf0\x9f\x98\x80"), 1);
    assert_int_equal(LENGTH("\xe1\xbb\x85"), 1);
    assert_int_equal(LENGTH("Nguy\xe1\xbb\x85n V\xc4\x83n An"), 13);
}

/* n copies of a UTF-8 character into buf (large enough), NUL-terminated. */
static char *repeat(char *buf, const char *ch, size_t n)
{
    size_t w = strlen(ch);
    for (size_t i = 0; i < n; i++)
        memcpy(buf + i * w, ch, w);
    buf[n * w] = '\0';
    return buf;
}

static void text_length_limits_in_code_points(void **state)
{
    (void)state;
    static char buf[4 * (TEXT_MAX_CHARS + 1) + 1];
    const char *chars[] = { "a", "\xc3\xa1", "\xe1\xbb\x85", "\xf0\x9f\x98\x80" };
    for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++) {
        struct error e = fresh();
        assert_true(validate_text(&e, "title", repeat(buf, chars[i], TITLE_MAX_CHARS),
                                  TITLE_MAX_CHARS));
        assert_int_equal(e.kind, ERR_NONE);
        assert_false(validate_text(&e, "title", repeat(buf, chars[i], TITLE_MAX_CHARS + 1),
                                   TITLE_MAX_CHARS));
        assert_field(&e, "title", "must be at most 200 characters (got 201)");

        e = fresh();
        assert_true(validate_text(&e, "description", repeat(buf, chars[i], TEXT_MAX_CHARS),
                                  TEXT_MAX_CHARS));
        assert_false(validate_text(&e, "description",
                                   repeat(buf, chars[i], TEXT_MAX_CHARS + 1), TEXT_MAX_CHARS));
        assert_field(&e, "description", "must be at most 10000 characters (got 10001)");

        e = fresh();
        assert_true(validate_optional_text(&e, "proposed_solution",
                                           repeat(buf, chars[i], TEXT_MAX_CHARS),
                                           TEXT_MAX_CHARS));
        assert_false(validate_optional_text(&e, "proposed_solution",
                                            repeat(buf, chars[i], TEXT_MAX_CHARS + 1),
                                            TEXT_MAX_CHARS));
        assert_field(&e, "proposed_solution", "must be at most 10000 characters (got 10001)");
    }
}

static void text_empty_and_white_space(void **state)
{
    (void)state;
    const char *blanks[] = { "", " ", "\t", "\n", "\r\n", " \t \r\n " };
    for (size_t i = 0; i < sizeof blanks / sizeof blanks[0]; i++) {
        struct error e = fresh();
        assert_false(validate_text(&e, "title", blanks[i], TITLE_MAX_CHARS));
        assert_field(&e, "title", "must not be empty");
        e = fresh();
        assert_true(validate_optional_text(&e, "proposed_solution", blanks[i], 10));
        assert_int_equal(e.kind, ERR_NONE);
    }
    struct error e = fresh();
    assert_false(validate_text(&e, "title", NULL, TITLE_MAX_CHARS));
    assert_field(&e, "title", "must not be empty");
    e = fresh();
    assert_true(validate_optional_text(&e, "proposed_solution", NULL, 10));
    /* Only ASCII white space is "empty": a no-break space is text. */
    e = fresh();
    assert_true(validate_text(&e, "title", "\xc2\xa0", TITLE_MAX_CHARS));
    assert_true(validate_text(&e, "title", "  x  ", TITLE_MAX_CHARS));
    assert_true(validate_text(&e, "title", "gi\xc3\xa1o vi\xc3\xaan", TITLE_MAX_CHARS));
    assert_int_equal(e.kind, ERR_NONE);
}

static void text_invalid_utf8(void **state)
{
    (void)state;
    struct error e = fresh();
    assert_false(validate_text(&e, "description", "bad \xc0\x80 byte", TEXT_MAX_CHARS));
    assert_field(&e, "description", "is not valid UTF-8");
    e = fresh();
    assert_false(validate_optional_text(&e, "proposed_solution", "\xed\xa0\x80", 10));
    assert_field(&e, "proposed_solution", "is not valid UTF-8");
}

static void codes(void **state)
{
    (void)state;
    const char *good[] = { "TH001", "CM01", "GV-THIEU", "DAY-HOC-TV", "A", "-",
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345" /* 32 */ };
    const char *bad[] = { "th001", "TH 001", "TH_001", "TH.1", "\303\201B" /* ÁB */,
                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456" /* 33 */ };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct error e = fresh();
        assert_true(validate_code(&e, "category", good[i]));
        assert_int_equal(e.kind, ERR_NONE);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct error e = fresh();
        assert_false(validate_code(&e, "category", bad[i]));
        assert_field(&e, "category", "must be 1-32 characters of A-Z, 0-9 or '-'");
    }
    struct error e = fresh();
    assert_false(validate_code(&e, "school", ""));
    assert_field(&e, "school", "must not be empty");
    e = fresh();
    assert_false(validate_code(&e, "school", NULL));
    assert_field(&e, "school", "must not be empty");
}

static void logins(void **state)
{
    (void)state;
    const char *good[] = { "gv.th001", "ht.th250", "cb.tccb2", "admin", "ab", "a_b-c.d",
                           "0123456789012345678901234567890123456789012345678901234567890123" };
    const char *bad[] = { "a", "Admin", "gv th001", "gi\xc3\xa1o", "a@b", "a+b",
                          "01234567890123456789012345678901234567890123456789012345678901234" };
    const char *msg = "must be 2-64 characters of a-z, 0-9, '.', '_' or '-'";
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct error e = fresh();
        assert_true(validate_login(&e, "login", good[i]));
        assert_int_equal(e.kind, ERR_NONE);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct error e = fresh();
        assert_false(validate_login(&e, "login", bad[i]));
        assert_field(&e, "login", msg);
    }
    struct error e = fresh();
    assert_false(validate_login(&e, "login", ""));
    assert_field(&e, "login", "must not be empty");
}

static void passwords(void **state)
{
    (void)state;
    static char buf[1100];
    struct error e = fresh();
    assert_false(validate_password(&e, "password", "123456789"));      /* 9 */
    assert_field(&e, "password", "must be at least 10 characters");
    e = fresh();
    assert_true(validate_password(&e, "password", "1234567890"));      /* 10 */
    assert_true(validate_password(&e, "password", "hatinh-demo-2026"));
    assert_true(validate_password(&e, "password", "m\xe1\xba\xadt kh\xe1\xba\xa9u!"));
    assert_true(validate_password(&e, "password", repeat(buf, "x", 1024)));
    assert_int_equal(e.kind, ERR_NONE);
    assert_false(validate_password(&e, "password", repeat(buf, "x", 1025)));
    assert_field(&e, "password", "must be at most 1024 bytes");
    e = fresh();
    assert_false(validate_password(&e, "password", "0123456789\xff"));
    assert_field(&e, "password", "is not valid UTF-8");
    e = fresh();
    assert_false(validate_password(&e, "password", ""));
    assert_field(&e, "password", "must be at least 10 characters");
    e = fresh();
    assert_false(validate_password(&e, "password", NULL));
    assert_int_equal(e.kind, ERR_INVALID);
}

static void issue_refs(void **state)
{
    (void)state;
    assert_true(validate_issue_ref("HT-2026-000123"));
    assert_true(validate_issue_ref("HT-2026-000001"));
    assert_true(validate_issue_ref("HT-2026-1234567"));                /* more than six */
    assert_false(validate_issue_ref("HT-26-1"));
    assert_false(validate_issue_ref("HT-2026-12345"));                 /* five digits */
    assert_false(validate_issue_ref("HT-20260-000123"));
    assert_false(validate_issue_ref("HT-2026000123"));
    assert_false(validate_issue_ref("ht-2026-000123"));
    assert_false(validate_issue_ref("XX-2026-000123"));
    assert_false(validate_issue_ref("HT-2026-000123 "));
    assert_false(validate_issue_ref(" HT-2026-000123"));
    assert_false(validate_issue_ref("HT-2026-00012a"));
    assert_false(validate_issue_ref("HT-2026-"));
    assert_false(validate_issue_ref("HT-"));
    assert_false(validate_issue_ref(""));
    assert_false(validate_issue_ref(NULL));
}

static void emails(void **state)
{
    (void)state;
    static char buf[300];
    const char *good[] = { "an.nguyen@hatinh.edu.vn", "a@b", "x+tag@example.org",
                           "gi\xc3\xa1o@vi\xc3\xaan.vn" };
    const char *bad[] = { "plain", "@hatinh.edu.vn", "an@", "an@@hatinh.edu.vn",
                          "an@ha@tinh", "an nguyen@hatinh.edu.vn", "an@hatinh.edu.vn ",
                          "an\t@x", "an@x\n", "a@b\xe2\x80\xa8" "c",
                          "a\xc2\xa0" "b@x", "a@b\xe2\x80\x89" "c", "a@b\xe3\x80\x80" };
    const char *msg = "must be an e-mail address such as name@example.org";
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct error e = fresh();
        assert_true(validate_email(&e, "email", good[i]));
        assert_int_equal(e.kind, ERR_NONE);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct error e = fresh();
        assert_false(validate_email(&e, "email", bad[i]));
        assert_field(&e, "email", msg);
    }
    struct error e = fresh();
    assert_false(validate_email(&e, "email", ""));
    assert_field(&e, "email", "must not be empty");
    e = fresh();
    assert_false(validate_email(&e, "email", "a@\xc0\x80"));
    assert_field(&e, "email", "is not valid UTF-8");
    /* 254 bytes exactly is fine, 255 is not. */
    repeat(buf, "a", 254);
    buf[10] = '@';
    e = fresh();
    assert_true(validate_email(&e, "email", buf));
    repeat(buf, "a", 255);
    buf[10] = '@';
    assert_false(validate_email(&e, "email", buf));
    assert_field(&e, "email", "must be at most 254 bytes (got 255)");
}

static void errors_collect_fields(void **state)
{
    (void)state;
    struct error e = fresh();
    assert_false(error_is_set(&e));
    assert_false(validate_text(&e, "title", "", TITLE_MAX_CHARS));
    assert_false(validate_code(&e, "category", "bad code"));
    assert_true(error_is_set(&e));
    assert_int_equal(e.nfields, 2);
    assert_string_equal(e.fields[1].field, "category");
    /* With no message of its own, the error names its first field. */
    assert_string_equal(e.message, "title must not be empty");

    /* Past ERROR_MAX_FIELDS the rest are dropped, the first kept. */
    e = fresh();
    for (int i = 0; i < ERROR_MAX_FIELDS + 5; i++)
        assert_false(error_field(&e, "f", "invalid_value", "problem %d", i));
    assert_int_equal(e.nfields, ERROR_MAX_FIELDS);
    assert_string_equal(e.fields[0].message, "problem 0");
    assert_string_equal(e.fields[ERROR_MAX_FIELDS - 1].message, "problem 15");
    /* A parameter of a dropped field must not land on the last kept one. */
    error_param(&e, "max", 7);
    assert_int_equal(e.fields[ERROR_MAX_FIELDS - 1].nparams, 0);

    /* error_set overwrites kind, code and message, keeps fields. */
    assert_false(error_coded(&e, ERR_CONFLICT, "wrong_status", "x"));
    assert_string_equal(e.code, "wrong_status");
    assert_false(error_set(&e, ERR_CONFLICT, "An issue that is %s cannot be %s.", "closed",
                           "triaged"));
    assert_int_equal(e.kind, ERR_CONFLICT);
    assert_string_equal(e.code, "");
    assert_string_equal(e.message, "An issue that is closed cannot be triaged.");
    assert_int_equal(e.nfields, ERROR_MAX_FIELDS);

    /* Overlong text is cut to fit, still terminated. */
    static char big[1000];
    repeat(big, "x", 999);
    e = fresh();
    error_set(&e, ERR_INTERNAL, "%s", big);
    assert_int_equal(strlen(e.message), sizeof e.message - 1);
    error_field(&e, big, big, "%s", big);
    assert_int_equal(strlen(e.fields[0].code), sizeof e.fields[0].code - 1);
    assert_int_equal(strlen(e.fields[0].field), sizeof e.fields[0].field - 1);
    assert_int_equal(strlen(e.fields[0].message), sizeof e.fields[0].message - 1);
    assert_int_equal(e.kind, ERR_INVALID);

    /* A NULL error is tolerated: the check still answers. */
    assert_false(validate_text(NULL, "title", "", TITLE_MAX_CHARS));
    assert_false(error_set(NULL, ERR_INTERNAL, "x"));
    assert_false(error_param(NULL, "max", 1));
}

static void field_codes_and_params(void **state)
{
    (void)state;
    struct error e = fresh();
    /* A parameter before any field has nowhere to go. */
    assert_false(error_param(&e, "max", 1));
    assert_int_equal(e.nfields, 0);

    assert_false(validate_text(&e, "title", "", TITLE_MAX_CHARS));
    assert_string_equal(e.fields[0].code, "empty");
    assert_int_equal(e.fields[0].nparams, 0);

    static char long_title[TITLE_MAX_CHARS + 2];
    repeat(long_title, "x", TITLE_MAX_CHARS + 1);
    e = fresh();
    assert_false(validate_text(&e, "title", long_title, TITLE_MAX_CHARS));
    assert_string_equal(e.fields[0].code, "too_long");
    assert_int_equal(e.fields[0].nparams, 1);
    assert_string_equal(e.fields[0].params[0].name, "max");
    assert_int_equal(e.fields[0].params[0].value, TITLE_MAX_CHARS);

    e = fresh();
    assert_false(validate_password(&e, "password", "short"));
    assert_string_equal(e.fields[0].code, "too_short");
    assert_string_equal(e.fields[0].params[0].name, "min");
    assert_int_equal(e.fields[0].params[0].value, 10);

    /* At most ERROR_MAX_PARAMS parameters; the rest are dropped. */
    e = fresh();
    error_field(&e, "limit", "out_of_range", "from 1 to 200");
    for (int i = 0; i < ERROR_MAX_PARAMS + 2; i++)
        error_param(&e, "p", i);
    assert_int_equal(e.fields[0].nparams, ERROR_MAX_PARAMS);
    assert_int_equal(e.fields[0].params[ERROR_MAX_PARAMS - 1].value, ERROR_MAX_PARAMS - 1);

    /* A field without a code still gets one a client can read. */
    e = fresh();
    error_field(&e, "x", NULL, "odd");
    assert_string_equal(e.fields[0].code, "invalid");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_accepts_well_formed),
        cmocka_unit_test(utf8_rejects_malformed),
        cmocka_unit_test(utf8_counts_code_points),
        cmocka_unit_test(text_length_limits_in_code_points),
        cmocka_unit_test(text_empty_and_white_space),
        cmocka_unit_test(text_invalid_utf8),
        cmocka_unit_test(codes),
        cmocka_unit_test(logins),
        cmocka_unit_test(passwords),
        cmocka_unit_test(issue_refs),
        cmocka_unit_test(emails),
        cmocka_unit_test(errors_collect_fields),
        cmocka_unit_test(field_codes_and_params),
    };
    return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
