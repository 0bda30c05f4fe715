/* test_attachment_rules.c -- attachments' pure rules: types told from bytes (and not
 * fooled by truncated or hostile archives), cleaned names, Content-Disposition, and who
 * may add, hide and read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/attachment_name.h"
#include "domain/attachment_rules.h"
#include "domain/attachment_sniff.h"
#include "domain/validate.h"

/* --- building small files ------------------------------------------------------------- */

static size_t put16(unsigned char *p, unsigned v) { p[0] = v & 0xFF; p[1] = v >> 8 & 0xFF; return 2; }
static size_t put32(unsigned char *p, unsigned long v)
{
    put16(p, (unsigned)(v & 0xFFFF));
    put16(p + 2, (unsigned)(v >> 16));
    return 4;
}

/* A ZIP with empty stored entries of these names (local headers, central directory,
 * end record); returns its length. */
static size_t make_zip(unsigned char *buf, const char *const *names)
{
    size_t at = 0, offsets[16], n = 0;
    for (; names[n]; n++) {
        offsets[n] = at;
        memcpy(buf + at, "PK\3\4", 4);
        memset(buf + at + 4, 0, 26);
        put16(buf + at + 26, (unsigned)strlen(names[n]));
        at += 30;
        memcpy(buf + at, names[n], strlen(names[n]));
        at += strlen(names[n]);
    }
    size_t cd = at;
    for (size_t i = 0; i < n; i++) {
        memcpy(buf + at, "PK\1\2", 4);
        memset(buf + at + 4, 0, 42);
        put16(buf + at + 28, (unsigned)strlen(names[i]));
        put32(buf + at + 42, offsets[i]);
        at += 46;
        memcpy(buf + at, names[i], strlen(names[i]));
        at += strlen(names[i]);
    }
    memcpy(buf + at, "PK\5\6", 4);
    memset(buf + at + 4, 0, 18);
    put16(buf + at + 8, (unsigned)n);
    put16(buf + at + 10, (unsigned)n);
    put32(buf + at + 12, at - cd);
    put32(buf + at + 16, cd);
    return at + 22;
}

#define NOSTREAM 0xFFFFFFFFUL

struct ole_entry {
    const char *name;
    int type;                             /* 1 storage, 2 stream, 5 root */
    unsigned long left, right, child;
};

/* An OLE2 file with 512-byte sectors: the header (its DIFAT naming sector 1 as the one
 * FAT sector), the directory in sector 0 (up to four entries), the FAT in sector 1. */
static size_t make_ole_entries(unsigned char *buf, const struct ole_entry *entries, size_t n)
{
    memset(buf, 0, 512 * 3);
    memcpy(buf, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    put16(buf + 30, 9);
    put32(buf + 44, 1);                   /* FAT sectors */
    put32(buf + 48, 0);                   /* first directory sector */
    put32(buf + 68, 0xFFFFFFFEUL);        /* no DIFAT sectors */
    for (int k = 0; k < 109; k++)
        put32(buf + 76 + 4 * k, k == 0 ? 1 : NOSTREAM);
    for (size_t i = 0; i < n; i++) {
        unsigned char *e = buf + 512 + 128 * i;
        size_t len = strlen(entries[i].name);
        for (size_t k = 0; k < len; k++)
            e[2 * k] = (unsigned char)entries[i].name[k];
        put16(e + 64, (unsigned)((len + 1) * 2));
        e[66] = (unsigned char)entries[i].type;
        put32(e + 68, entries[i].left);
        put32(e + 72, entries[i].right);
        put32(e + 76, entries[i].child);
    }
    unsigned char *fat = buf + 1024;
    memset(fat, 0xFF, 512);
    put32(fat, 0xFFFFFFFEUL);             /* the directory: one sector, end of chain */
    put32(fat + 4, 0xFFFFFFFDUL);         /* the FAT sector itself */
    return 512 * 3;
}

/* The root storage with these streams under it, linked as right siblings. */
static size_t make_ole(unsigned char *buf, const char *const *streams)
{
    struct ole_entry entries[4] = {{"Root Entry", 5, NOSTREAM, NOSTREAM, NOSTREAM}};
    size_t n = 0;
    while (streams[n])
        n++;
    entries[0].child = n ? 1 : NOSTREAM;
    for (size_t i = 0; i < n; i++)
        entries[i + 1] = (struct ole_entry){streams[i], 2, NOSTREAM,
                                            i + 1 < n ? i + 2 : NOSTREAM, NOSTREAM};
    return make_ole_entries(buf, entries, n + 1);
}

static void sniffs_signatures(void **state)
{
    (void)state;
    assert_int_equal(attachment_sniff((const unsigned char *)"\xFF\xD8\xFF\xE0xxxx", 8),
                     ATTACHMENT_JPEG);
    assert_int_equal(attachment_sniff((const unsigned char *)"\x89PNG\r\n\x1A\n....", 12),
                     ATTACHMENT_PNG);
    assert_int_equal(attachment_sniff((const unsigned char *)"RIFF\0\0\0\0WEBPVP8 ", 16),
                     ATTACHMENT_WEBP);
    assert_int_equal(attachment_sniff((const unsigned char *)"%PDF-1.7\n", 9), ATTACHMENT_PDF);
    assert_int_equal(attachment_sniff((const unsigned char *)"RIFF\0\0\0\0WAVE", 12),
                     ATTACHMENT_UNKNOWN);
    assert_int_equal(attachment_sniff((const unsigned char *)"<html>", 6), ATTACHMENT_UNKNOWN);
    assert_int_equal(attachment_sniff((const unsigned char *)"\xFF\xD8", 2), ATTACHMENT_UNKNOWN);
    assert_int_equal(attachment_sniff((const unsigned char *)"", 0), ATTACHMENT_UNKNOWN);
    assert_int_equal(attachment_sniff(NULL, 0), ATTACHMENT_UNKNOWN);
    assert_int_equal(attachment_sniff((const unsigned char *)"MZ\x90\0", 4), ATTACHMENT_UNKNOWN);
}

static void sniffs_office_open_xml(void **state)
{
    (void)state;
    unsigned char buf[4096];
    const char *docx[] = {"[Content_Types].xml", "_rels/.rels", "word/document.xml", NULL};
    const char *xlsx[] = {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", NULL};
    const char *macro[] = {"[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin", NULL};
    const char *plain[] = {"hello.txt", NULL};
    const char *odt[] = {"mimetype", "content.xml", NULL};
    const char *no_types[] = {"word/document.xml", NULL};
    assert_int_equal(attachment_sniff(buf, make_zip(buf, docx)), ATTACHMENT_DOCX);
    assert_int_equal(attachment_sniff(buf, make_zip(buf, xlsx)), ATTACHMENT_XLSX);
    assert_int_equal(attachment_sniff(buf, make_zip(buf, macro)), ATTACHMENT_UNKNOWN);
    assert_int_equal(attachment_sniff(buf, make_zip(buf, plain)), ATTACHMENT_UNKNOWN);
    assert_int_equal(attachment_sniff(buf, make_zip(buf, odt)), ATTACHMENT_UNKNOWN);
    assert_int_equal(attachment_sniff(buf, make_zip(buf, no_types)), ATTACHMENT_UNKNOWN);
}

/* Every prefix of a good archive, and the archive with a lying directory offset, must be
 * read without a fault (the sanitizers watch) and never pass as DOCX when cut short. */
static void zip_cut_or_lying_is_unknown(void **state)
{
    (void)state;
    unsigned char buf[4096];
    const char *docx[] = {"[Content_Types].xml", "word/document.xml", NULL};
    size_t len = make_zip(buf, docx);
    for (size_t cut = 0; cut < len; cut++) {
        unsigned char *copy = malloc(cut ? cut : 1);
        memcpy(copy, buf, cut);
        assert_int_equal(attachment_sniff(copy, cut), ATTACHMENT_UNKNOWN);
        free(copy);
    }
    put32(buf + len - 22 + 16, 0xFFFFFFF0UL);   /* central directory "far away" */
    assert_int_equal(attachment_sniff(buf, len), ATTACHMENT_UNKNOWN);
    len = make_zip(buf, docx);
    put16(buf + len - 22 + 10, 60000);           /* more entries than there are */
    assert_int_equal(attachment_sniff(buf, len), ATTACHMENT_UNKNOWN);
}

static void sniffs_ole2(void **state)
{
    (void)state;
    unsigned char buf[512 * 3];
    const char *doc[] = {"1Table", "WordDocument", NULL};
    const char *xls[] = {"Workbook", NULL};
    const char *old_xls[] = {"Book", "SummaryInformation", NULL};
    const char *doc_with_sheet[] = {"Workbook", "WordDocument", NULL};
    const char *msi[] = {"SummaryInformation", NULL};
    const char *none[] = {NULL};
    assert_int_equal(attachment_sniff(buf, make_ole(buf, doc)), ATTACHMENT_DOC);
    assert_int_equal(attachment_sniff(buf, make_ole(buf, xls)), ATTACHMENT_XLS);
    assert_int_equal(attachment_sniff(buf, make_ole(buf, old_xls)), ATTACHMENT_XLS);
    assert_int_equal(attachment_sniff(buf, make_ole(buf, doc_with_sheet)), ATTACHMENT_DOC);
    assert_int_equal(attachment_sniff(buf, make_ole(buf, msi)), ATTACHMENT_UNKNOWN);
    assert_int_equal(attachment_sniff(buf, make_ole(buf, none)), ATTACHMENT_UNKNOWN);

    /* A workbook with a Word document embedded in a storage of its own is a workbook. */
    const struct ole_entry embedded[] = {
        {"Root Entry", 5, NOSTREAM, NOSTREAM, 1},
        {"Workbook", 2, NOSTREAM, 2, NOSTREAM},
        {"MBD0001", 1, NOSTREAM, NOSTREAM, 3},
        {"WordDocument", 2, NOSTREAM, NOSTREAM, NOSTREAM},
    };
    assert_int_equal(attachment_sniff(buf, make_ole_entries(buf, embedded, 4)), ATTACHMENT_XLS);

    /* Sibling links that loop, or point past the directory, give up. */
    const struct ole_entry loop[] = {
        {"Root Entry", 5, NOSTREAM, NOSTREAM, 1},
        {"Workbook", 2, 1, 1, NOSTREAM},
    };
    assert_int_equal(attachment_sniff(buf, make_ole_entries(buf, loop, 2)), ATTACHMENT_UNKNOWN);
    const struct ole_entry far[] = {
        {"Root Entry", 5, NOSTREAM, NOSTREAM, 1},
        {"Workbook", 2, 4000000, NOSTREAM, NOSTREAM},
    };
    assert_int_equal(attachment_sniff(buf, make_ole_entries(buf, far, 2)), ATTACHMENT_UNKNOWN);

    /* Cut before the directory's sector ends: unknown; after it, read without a fault. */
    make_ole(buf, doc);
    for (size_t cut = 0; cut < sizeof buf; cut++)
        if (cut < 1024)
            assert_int_equal(attachment_sniff(buf, cut), ATTACHMENT_UNKNOWN);
        else
            attachment_sniff(buf, cut);
    make_ole(buf, doc);
    put32(buf + 48, 7);    /* a directory beyond the end of the file */
    assert_int_equal(attachment_sniff(buf, sizeof buf), ATTACHMENT_UNKNOWN);
    put16(buf + 30, 13);   /* an impossible sector size */
    assert_int_equal(attachment_sniff(buf, sizeof buf), ATTACHMENT_UNKNOWN);
}

/* Random bytes behind each signature: whatever the verdict, nothing is read out of bounds
 * (the sanitizers watch). A fixed seed keeps failures reproducible. */
static void sniff_survives_noise(void **state)
{
    (void)state;
    static const char *const MAGIC[] = {"", "\xFF\xD8\xFF", "RIFF\0\0\0\0WEBP", "PK\3\4",
                                        "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "PK\5\6"};
    static const size_t MAGIC_LEN[] = {0, 3, 12, 4, 8, 4};
    srand(7);
    for (int round = 0; round < 3000; round++) {
        size_t m = (size_t)round % 6, len = (size_t)(rand() % 5000);
        unsigned char *buf = malloc(len + MAGIC_LEN[m] + 1);
        memcpy(buf, MAGIC[m], MAGIC_LEN[m]);
        for (size_t i = 0; i < len; i++)
            buf[MAGIC_LEN[m] + i] = (unsigned char)(rand() % 4 == 0 ? 0 : rand());
        if (m == 4 && len > 40)
            buf[30] = 9, buf[31] = 0;    /* a plausible sector size, so the scan runs */
        attachment_sniff(buf, len + MAGIC_LEN[m]);
        free(buf);
    }
}

/* --- names ---------------------------------------------------------------------------- */

static void expect_clean(const char *raw, enum attachment_type t, const char *want)
{
    char *got = attachment_name_clean(raw, strlen(raw), t);
    assert_string_equal(got, want);
    free(got);
}

static void cleans_names(void **state)
{
    (void)state;
    expect_clean("ảnh lớp học.jpg", ATTACHMENT_JPEG, "ảnh lớp học.jpg");
    expect_clean("Báo cáo.PDF", ATTACHMENT_PDF, "Báo cáo.PDF");
    expect_clean("../../etc/passwd.png", ATTACHMENT_PNG, "passwd.png");
    expect_clean("C:\\Users\\An\\Desktop\\đề xuất.docx", ATTACHMENT_DOCX, "đề xuất.docx");
    expect_clean("..", ATTACHMENT_PDF, "attachment.pdf");
    expect_clean("", ATTACHMENT_PDF, "attachment.pdf");
    expect_clean("dir/", ATTACHMENT_PDF, "attachment.pdf");
    expect_clean(".htaccess", ATTACHMENT_PDF, "htaccess.pdf");
    expect_clean("a\r\nb\tc\x7f.pdf", ATTACHMENT_PDF, "a__b_c_.pdf");
    expect_clean("a%22b%0Ac.pdf", ATTACHMENT_PDF, "a_b_c.pdf");
    expect_clean("x<y>:z|?*.pdf", ATTACHMENT_PDF, "x_y__z___.pdf");
    expect_clean("photo", ATTACHMENT_JPEG, "photo.jpg");
    expect_clean("photo.jpeg", ATTACHMENT_JPEG, "photo.jpeg");
    expect_clean("invoice.pdf", ATTACHMENT_JPEG, "invoice.pdf.jpg");
    expect_clean("report.pdf. . ", ATTACHMENT_PDF, "report.pdf");
    expect_clean("bad\xff\xfeutf8.pdf", ATTACHMENT_PDF, "bad__utf8.pdf");
    expect_clean("over\xc0\xaflong.pdf", ATTACHMENT_PDF, "over__long.pdf");
    /* U+202E (right-to-left override) would show "fdp.exe" as "exe.pdf". */
    expect_clean("invoice\xe2\x80\xaegpj.exe", ATTACHMENT_JPEG, "invoice_gpj.exe.jpg");
}

/* Any bytes at all give a name that is valid UTF-8, within the limit, without path
 * separators or control characters, and with the type's extension. */
static void any_bytes_give_a_safe_name(void **state)
{
    (void)state;
    srand(11);
    for (int round = 0; round < 3000; round++) {
        size_t len = (size_t)(rand() % 900);
        char *raw = malloc(len + 1);
        for (size_t i = 0; i < len; i++)
            raw[i] = (char)(rand() % 3 == 0 ? "./\\\x01%\xc3\xa1"[rand() % 8] : rand());
        char *name = attachment_name_clean(raw, len, ATTACHMENT_PDF);
        size_t n = strlen(name);
        assert_true(utf8_valid(name, n));
        assert_true(utf8_length(name, n) <= ATTACHMENT_NAME_MAX_CHARS);
        assert_null(strpbrk(name, "/\\\"<>|?*:"));
        for (size_t i = 0; i < n; i++)
            assert_true((unsigned char)name[i] >= 0x20 && name[i] != 0x7F);
        assert_true(n > 4 && name[0] != '.');
        assert_string_equal(name + n - 4, ".pdf");
        char *d = attachment_name_disposition(name);
        for (const char *p = d; *p; p++)
            assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F);
        free(d);
        free(name);
        free(raw);
    }
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void long_names_keep_their_extension(void **state)
{
    (void)state;
    char raw[2048] = "";
    for (int i = 0; i < 300; i++)
        strcat(raw, "ệ");
    strcat(raw, ".xlsx");
    char *got = attachment_name_clean(raw, strlen(raw), ATTACHMENT_XLSX);
    assert_int_equal(utf8_chars(got), ATTACHMENT_NAME_MAX_CHARS);
    assert_string_equal(got + strlen(got) - 5, ".xlsx");
    assert_int_equal(strncmp(got, "ệệ", strlen("ệệ")), 0);
    free(got);
    memset(raw, 'a', 300);
    raw[300] = '\0';
    got = attachment_name_clean(raw, 300, ATTACHMENT_PNG);
    assert_int_equal(strlen(got), ATTACHMENT_NAME_MAX_CHARS);
    assert_string_equal(got + strlen(got) - 4, ".png");
    free(got);
}

static void disposition_has_fallback_and_utf8(void **state)
{
    (void)state;
    char *d = attachment_name_disposition("Báo cáo tháng 10 - Trường TH Kỳ Anh.pdf");
    assert_string_equal(d, "attachment; filename=\"Bao cao thang 10 - Truong TH Ky Anh.pdf\"; "
                           "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20th%C3%A1ng%2010%20-%20"
                           "Tr%C6%B0%E1%BB%9Dng%20TH%20K%E1%BB%B3%20Anh.pdf");
    free(d);
    d = attachment_name_disposition("Đơn đề nghị ỨNG.docx");
    assert_non_null(strstr(d, "filename=\"Don de nghi UNG.docx\""));
    free(d);
    d = attachment_name_disposition("a'b;c,d.pdf");
    assert_string_equal(d, "attachment; filename=\"a'b;c,d.pdf\"; filename*=UTF-8''a%27b%3Bc%2Cd.pdf");
    free(d);
    d = attachment_name_disposition("ảnh 漢.jpg");
    assert_non_null(strstr(d, "filename=\"anh _.jpg\""));
    free(d);
}

/* --- who may ----------------------------------------------------------------------------- */

static void who_may(void **state)
{
    (void)state;
    const struct issue_scope s = {.school_id = 1, .cluster_id = 10, .division_id = 100};
    const struct actor own = {1, ROLE_PRINCIPAL, 1, 0, 0}, other = {2, ROLE_PRINCIPAL, 2, 0, 0};
    const struct actor leader = {3, ROLE_CLUSTER_LEADER, 0, 10, 0};
    const struct actor far_leader = {3, ROLE_CLUSTER_LEADER, 0, 20, 0};
    const struct actor officer = {4, ROLE_OFFICER, 0, 0, 100}, stranger = {5, ROLE_OFFICER, 0, 0, 200};
    const struct actor supervisor = {6, ROLE_SUPERVISOR, 0, 0, 0}, admin = {7, ROLE_ADMIN, 0, 0, 0};

    assert_int_equal(access_attach(&own, &s), ACCESS_OK);
    assert_int_equal(access_attach(&other, &s), ACCESS_HIDDEN);
    assert_int_equal(access_attach(&leader, &s), ACCESS_FORBIDDEN);
    assert_int_equal(access_attach(&far_leader, &s), ACCESS_HIDDEN);
    assert_int_equal(access_attach(&officer, &s), ACCESS_OK);
    assert_int_equal(access_attach(&stranger, &s), ACCESS_FORBIDDEN);
    assert_int_equal(access_attach(&supervisor, &s), ACCESS_OK);
    assert_int_equal(access_attach(&admin, &s), ACCESS_FORBIDDEN);
    assert_int_equal(access_attach(NULL, &s), ACCESS_HIDDEN);

    assert_int_equal(attachment_access_hide(&own, &s), ACCESS_FORBIDDEN);
    assert_int_equal(attachment_access_hide(&other, &s), ACCESS_HIDDEN);
    assert_int_equal(attachment_access_hide(&officer, &s), ACCESS_OK);
    assert_int_equal(attachment_access_hide(&stranger, &s), ACCESS_FORBIDDEN);
    assert_int_equal(attachment_access_hide(&supervisor, &s), ACCESS_OK);
    assert_int_equal(attachment_access_hide(&admin, &s), ACCESS_FORBIDDEN);

    assert_int_equal(attachment_access_read(&own, &s, false), ACCESS_OK);
    assert_int_equal(attachment_access_read(&own, &s, true), ACCESS_HIDDEN);
    assert_int_equal(attachment_access_read(&leader, &s, true), ACCESS_HIDDEN);
    assert_int_equal(attachment_access_read(&other, &s, false), ACCESS_HIDDEN);
    assert_int_equal(attachment_access_read(&stranger, &s, true), ACCESS_OK);
    assert_int_equal(attachment_access_read(&admin, &s, true), ACCESS_OK);
}

static void types_and_extensions(void **state)
{
    (void)state;
    assert_string_equal(attachment_media_type(ATTACHMENT_JPEG), "image/jpeg");
    assert_null(attachment_media_type(ATTACHMENT_UNKNOWN));
    assert_true(attachment_extension_fits(ATTACHMENT_JPEG, "JPEG", 4));
    assert_false(attachment_extension_fits(ATTACHMENT_JPEG, "jp", 2));
    assert_false(attachment_extension_fits(ATTACHMENT_UNKNOWN, "jpg", 3));
    for (int t = ATTACHMENT_JPEG; t < ATTACHMENT_TYPE_COUNT; t++) {
        assert_non_null(attachment_media_type((enum attachment_type)t));
        assert_non_null(attachment_extension((enum attachment_type)t));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sniffs_signatures),
        cmocka_unit_test(sniffs_office_open_xml),
        cmocka_unit_test(zip_cut_or_lying_is_unknown),
        cmocka_unit_test(sniffs_ole2),
        cmocka_unit_test(sniff_survives_noise),
        cmocka_unit_test(any_bytes_give_a_safe_name),
        cmocka_unit_test(cleans_names),
        cmocka_unit_test(long_names_keep_their_extension),
        cmocka_unit_test(disposition_has_fallback_and_utf8),
        cmocka_unit_test(who_may),
        cmocka_unit_test(types_and_extensions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
