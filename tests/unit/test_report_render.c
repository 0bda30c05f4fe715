/* test_report_render.c -- the monthly report's JSON, CSV and HTML renderings of a report
 * filled in by hand (not by report_build), as docs/reports.md describes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "api/report_render.h"

#define DAY 86400
/* 2026-11-01T00:00:00+07:00, the end of October 2026 in Asia/Ho_Chi_Minh. */
#define AS_OF_OCT_2026 ((int64_t)1793466000)

#define DEPARTMENT "Sở Giáo dục và Đào tạo Hà Tĩnh"
#define CM01_NAME "Cụm 1 – Thành phố Hà Tĩnh"
#define CM02_NAME "Cụm 2 – Thị xã Hồng Lĩnh"
#define TRICKY_TITLE "Thiếu \"phòng học\", cần gấp\nlớp 1"
#define SCRIPT_TITLE "<script>alert('x')</script> Thiếu giáo viên Tiếng Anh"

/* ---- the small hand-made report: three issues, two clusters ---- */

/* Input order differs from report order on purpose: the renderers must follow
 * issue_order (age descending), not the array. */
static const struct report_issue ISSUES[] = {
    { .id = 180, .ref = "HT-2026-000180", .title = "Dạy học phân môn Tập làm văn lớp 4",
      .school = "TH001", .school_name = "Trường Tiểu học Thạch Trung", .cluster = "CM01",
      .cluster_name = CM01_NAME, .category = "DAY-HOC-TV",
      .category_name = "Dạy học môn Tiếng Việt", .category_kind = "teaching",
      .division = "GDTH", .division_name = "Giáo dục Tiểu học", .status = "new",
      .priority = "urgent", .assignee = NULL, .filed_at = AS_OF_OCT_2026 - 2 * DAY - 600,
      .overdue = true, .escalation_level = 1, .schools_affected = 1 },
    { .id = 101, .ref = "HT-2026-000101", .title = TRICKY_TITLE,
      .school = "TH001", .school_name = "Trường Tiểu học Thạch Trung", .cluster = "CM01",
      .cluster_name = CM01_NAME, .category = "THIEU-PHONG-HOC",
      .category_name = "Thiếu phòng học, phòng chức năng", .category_kind = "management",
      .division = "CSVC", .division_name = "Cơ sở vật chất", .status = "in_progress",
      .priority = "high", .assignee = "cb.csvc1", .filed_at = AS_OF_OCT_2026 - 40 * DAY - 3600,
      .overdue = true, .escalation_level = 2, .schools_affected = 4,
      .schools = "TH001 TH005 TH017 TH250" },
    { .id = 150, .ref = "HT-2026-000150", .title = SCRIPT_TITLE,
      .school = "TH003", .school_name = "Trường Tiểu học Thạch Hạ", .cluster = "CM02",
      .cluster_name = CM02_NAME, .category = "THIEU-GV", .category_name = "Thiếu giáo viên",
      .category_kind = "management", .division = "TCCB", .division_name = "Tổ chức cán bộ",
      .status = "awaiting_school", .priority = "normal", .assignee = NULL,
      .filed_at = AS_OF_OCT_2026 - 10 * DAY, .overdue = false, .escalation_level = 0,
      .schools_affected = 1 },
};
static size_t ISSUE_ORDER[] = { 1, 2, 0 };
static const int64_t PREVIOUS_IDS[] = { 101 };

static struct report_count BY_CLUSTER[] = {
    { "CM01", CM01_NAME, NULL, 2, 0, 2 }, { "CM02", CM02_NAME, NULL, 1, 0, 0 },
};
static struct report_count BY_SCHOOL[] = {
    { "TH001", "Trường Tiểu học Thạch Trung", "CM01", 2, 0, 2 },
    { "TH003", "Trường Tiểu học Thạch Hạ", "CM02", 1, 0, 0 },
};
static struct report_count BY_CATEGORY[] = {
    { "DAY-HOC-TV", "Dạy học môn Tiếng Việt", "teaching", 1, 1, 1 },
    { "THIEU-GV", "Thiếu giáo viên", "management", 1, 1, 0 },
    { "THIEU-PHONG-HOC", "Thiếu phòng học, phòng chức năng", "management", 1, 1, 1 },
};
static struct report_count BY_DIVISION[] = {
    { "CSVC", "Cơ sở vật chất", NULL, 1, 0, 1 }, { "GDTH", "Giáo dục Tiểu học", NULL, 1, 0, 1 },
    { "TCCB", "Tổ chức cán bộ", NULL, 1, 0, 0 },
};
static struct report_count BY_PRIORITY[] = {
    { "urgent", NULL, NULL, 1, 0, 1 }, { "high", NULL, NULL, 1, 0, 1 },
    { "normal", NULL, NULL, 1, 0, 0 }, { "low", NULL, NULL, 0, 0, 0 },
};
/* Not derivable from three issues; here only to check the recurring shape and key order. */
static struct report_count RECURRING[] = {
    { "THIEU-GV", "Thiếu giáo viên", "management", 4, 3, 0 },
};
static struct report_division_times TIMES_BY_DIVISION[] = {
    { "GDTH", "Giáo dục Tiểu học", { 3, false, true, 0, 0, 70.46, 200.0 } },
    { "VP", "Văn phòng", { 1, true, true, 2.0, 2.0, 30.0, 30.0 } },
};

/* One decision open and overdue at the month's end, one done on time (2026-10-15). */
static const struct report_decision DECISIONS[] = {
    { 7, 3, "Giao ban tháng 10", "2026-10-05", "province", NULL,
      "Điều chuyển <giáo viên> & sách", "TCCB", "Tổ chức cán bộ", "cb.tccb1",
      "2026-10-20", 20746, false, 0, "HT-2026-000101 HT-2026-000102" },
    { 8, 3, "Giao ban tháng 10", "2026-10-05", "province", NULL,
      "Sửa nhà vệ sinh", "CSVC", "Cơ sở vật chất", NULL,
      "2026-11-15", 20772, true, 1792033200, NULL },
};

static struct report_input small_input(void)
{
    struct report_input in = {
        .year = 2026, .month = 10, .as_of = AS_OF_OCT_2026,
        .issues = ISSUES, .nissues = 3, .previous_ids = PREVIOUS_IDS, .nprevious = 1,
        .filed_in_month = 5, .resolved = NULL, .nresolved = 0,
        .trend = { 5, 6, 4, 7, 8, 6, 5, 4, 6, 5, 4, 3 },
        .decisions = DECISIONS, .ndecisions = 2,
    };
    return in;
}

/* Two divisions' ratings of the month: GDTH 5, 4, 2; TCCB 1. */
static struct report_ratings RATINGS_BY_DIVISION[] = {
    { "GDTH", "Giáo dục Tiểu học", 3, 11, 1 },
    { "TCCB", "Tổ chức cán bộ", 1, 1, 1 },
};

static struct report small_report(void)
{
    struct report r = {
        .unresolved = 3, .overdue = 2, .escalated = 2, .filed_in_month = 5,
        .resolved_in_month = 4,
        .by_cluster = { BY_CLUSTER, 2 }, .by_school = { BY_SCHOOL, 2 },
        .by_category = { BY_CATEGORY, 3 }, .by_division = { BY_DIVISION, 3 },
        .by_priority = { BY_PRIORITY, 4 }, .by_age = { 1, 1, 1, 0 },
        /* 5.25 and 70.46 check the rounding to one decimal (half up, and down). */
        .overall = { 4, true, true, 5.25, 30.04, 70.46, 200.0 },
        .times_by_division = TIMES_BY_DIVISION, .ntimes_by_division = 2,
        .top_schools = { BY_SCHOOL, 2 }, .recurring_categories = { RECURRING, 1 },
        .carried_over = 1, .newly_unresolved = 2, .resolved_since = 4,
        .issue_order = ISSUE_ORDER,
        .decisions = { [DECISION_OVERDUE] = 1, [DECISION_DONE_ON_TIME] = 1 },
        .ratings = { NULL, NULL, 4, 12, 2 },
        .ratings_by_division = RATINGS_BY_DIVISION, .nratings_by_division = 2,
    };
    return r;
}

static const struct report_meta DEPARTMENT_META = {
    DEPARTMENT, "department", NULL, NULL, "2026-11-01T00:00:00+07:00",
};

static char *render(enum report_format format, enum report_part part, size_t *len)
{
    struct report_input in = small_input();
    struct report r = small_report();
    char *out = report_render(&in, &r, &DEPARTMENT_META, format, part, len);
    assert_non_null(out);
    assert_int_equal(strlen(out), *len);
    return out;
}

static size_t count_of(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* ---- JSON ---- */

static const cJSON *at(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        fail_msg("missing key %s", key);
    return v;
}

static double num(const cJSON *obj, const char *key)
{
    const cJSON *v = at(obj, key);
    assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

static const char *str(const cJSON *obj, const char *key)
{
    const cJSON *v = at(obj, key);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static void json_header_and_totals(void **state)
{
    (void)state;
    size_t len;
    char *text = render(REPORT_JSON, REPORT_PART_ISSUES, &len);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    assert_string_equal(str(doc, "month"), "2026-10");
    assert_string_equal(str(doc, "as_of"), "2026-11-01T00:00:00+07:00");
    assert_string_equal(str(at(doc, "scope"), "kind"), "department");
    assert_true(cJSON_IsNull(at(at(doc, "scope"), "code")));
    assert_string_equal(str(doc, "department"), DEPARTMENT);
    const cJSON *t = at(doc, "totals");
    assert_true(num(t, "unresolved") == 3 && num(t, "overdue") == 2);
    assert_true(num(t, "escalated") == 2 && num(t, "filed_in_month") == 5);
    assert_true(num(t, "resolved_in_month") == 4);
    const cJSON *ch = at(doc, "change");
    assert_string_equal(str(ch, "previous_month"), "2026-09");
    assert_true(num(ch, "carried_over") == 1 && num(ch, "newly_unresolved") == 2);
    assert_true(num(ch, "resolved_since") == 4);
    cJSON_Delete(doc);
    free(text);
}

static void json_groups(void **state)
{
    (void)state;
    size_t len;
    char *text = render(REPORT_JSON, REPORT_PART_ISSUES, &len);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    const cJSON *c0 = cJSON_GetArrayItem(at(doc, "by_cluster"), 0);
    assert_string_equal(str(c0, "code"), "CM01");
    assert_string_equal(str(c0, "name"), CM01_NAME);
    assert_true(num(c0, "count") == 2);
    const cJSON *s1 = cJSON_GetArrayItem(at(doc, "by_school"), 1);
    assert_string_equal(str(s1, "cluster"), "CM02");
    const cJSON *cat = cJSON_GetArrayItem(at(doc, "by_category"), 2);
    assert_string_equal(str(cat, "kind"), "management");
    assert_true(num(cat, "schools") == 1);
    assert_int_equal(cJSON_GetArraySize(at(doc, "by_division")), 3);
    const cJSON *pr = at(doc, "by_priority");
    assert_int_equal(cJSON_GetArraySize(pr), 4);
    assert_string_equal(str(cJSON_GetArrayItem(pr, 3), "code"), "low");
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(pr, 0), "name"));
    const cJSON *age = at(doc, "by_age");
    assert_string_equal(str(cJSON_GetArrayItem(age, 0), "bucket"), "0-7");
    assert_string_equal(str(cJSON_GetArrayItem(age, 3), "bucket"), "over-90");
    assert_true(num(cJSON_GetArrayItem(age, 2), "count") == 1);
    assert_int_equal(cJSON_GetArraySize(at(doc, "top_schools")), 2);
    /* recurring_categories lists schools before count, as documented. */
    const cJSON *rec = cJSON_GetArrayItem(at(doc, "recurring_categories"), 0);
    assert_true(num(rec, "schools") == 3 && num(rec, "count") == 4);
    assert_string_equal(rec->child->next->next->next->string, "schools");
    cJSON_Delete(doc);
    free(text);
}

static void json_response_times(void **state)
{
    (void)state;
    size_t len;
    char *text = render(REPORT_JSON, REPORT_PART_ISSUES, &len);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    const cJSON *overall = at(at(doc, "response_times"), "overall");
    assert_true(num(overall, "resolved") == 4);
    assert_true(num(at(overall, "first_response_hours"), "median") == 5.3);
    assert_true(num(at(overall, "first_response_hours"), "p90") == 30.0);
    assert_true(num(at(overall, "resolution_hours"), "median") == 70.5);
    assert_non_null(strstr(text, "\"median\":70.5"));   /* a number, one decimal */
    const cJSON *gdth = cJSON_GetArrayItem(at(at(doc, "response_times"), "by_division"), 0);
    assert_string_equal(str(gdth, "code"), "GDTH");
    assert_true(num(gdth, "resolved") == 3);
    assert_true(cJSON_IsNull(at(at(gdth, "first_response_hours"), "median")));
    assert_true(cJSON_IsNull(at(at(gdth, "first_response_hours"), "p90")));
    assert_true(num(at(gdth, "resolution_hours"), "p90") == 200);
    cJSON_Delete(doc);
    free(text);
}

static void json_trend_and_issues(void **state)
{
    (void)state;
    size_t len;
    char *text = render(REPORT_JSON, REPORT_PART_ISSUES, &len);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    const cJSON *trend = at(doc, "trend");
    assert_int_equal(cJSON_GetArraySize(trend), 12);
    assert_string_equal(str(cJSON_GetArrayItem(trend, 0), "month"), "2025-11");
    assert_string_equal(str(cJSON_GetArrayItem(trend, 2), "month"), "2026-01");
    assert_string_equal(str(cJSON_GetArrayItem(trend, 11), "month"), "2026-10");
    assert_true(num(cJSON_GetArrayItem(trend, 11), "unresolved") == 3);
    const cJSON *issues = at(doc, "issues");
    assert_int_equal(cJSON_GetArraySize(issues), 3);
    const cJSON *first = cJSON_GetArrayItem(issues, 0);
    assert_string_equal(str(first, "ref"), "HT-2026-000101");
    assert_string_equal(str(first, "title"), TRICKY_TITLE);
    assert_true(num(first, "age_days") == 40);
    assert_true(cJSON_IsTrue(at(first, "overdue")));
    assert_true(num(first, "escalation_level") == 2);
    assert_true(num(first, "schools_affected") == 4);
    const cJSON *schools = at(first, "schools");
    assert_int_equal(cJSON_GetArraySize(schools), 4);
    assert_string_equal(cJSON_GetArrayItem(schools, 0)->valuestring, "TH001");
    assert_string_equal(cJSON_GetArrayItem(schools, 3)->valuestring, "TH250");
    assert_string_equal(str(first, "assignee"), "cb.csvc1");
    const cJSON *second = cJSON_GetArrayItem(issues, 1);
    assert_string_equal(str(second, "status"), "awaiting_school");
    assert_true(cJSON_IsFalse(at(second, "overdue")));
    assert_true(cJSON_IsNull(at(second, "assignee")));
    assert_true(cJSON_IsNull(at(second, "schools")));
    assert_true(num(cJSON_GetArrayItem(issues, 2), "age_days") == 2);
    cJSON_Delete(doc);
    free(text);
}

static void json_decisions(void **state)
{
    (void)state;
    size_t len;
    char *text = render(REPORT_JSON, REPORT_PART_ISSUES, &len);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    const cJSON *decisions = at(doc, "decisions");
    assert_true(num(at(decisions, "counts"), "overdue") == 1);
    assert_true(num(at(decisions, "counts"), "done_on_time") == 1);
    assert_true(num(at(decisions, "counts"), "open") == 0);
    const cJSON *items = at(decisions, "items");
    assert_int_equal(cJSON_GetArraySize(items), 2);
    const cJSON *first = cJSON_GetArrayItem(items, 0);
    assert_string_equal(str(first, "state"), "overdue");
    assert_string_equal(str(first, "body"), "Điều chuyển <giáo viên> & sách");
    assert_string_equal(str(at(first, "meeting"), "held_on"), "2026-10-05");
    assert_true(cJSON_IsNull(at(at(first, "meeting"), "cluster")));
    assert_int_equal(cJSON_GetArraySize(at(first, "issues")), 2);
    const cJSON *second = cJSON_GetArrayItem(items, 1);
    assert_string_equal(str(second, "state"), "done_on_time");
    assert_true(cJSON_IsNull(at(second, "responsible")));
    assert_int_equal(cJSON_GetArraySize(at(second, "issues")), 0);
    /* The month's ratings: 12 / 4 = 3, and GDTH's 11 / 3 = 3.7 to one decimal. */
    const cJSON *ratings = at(doc, "ratings");
    assert_true(num(ratings, "count") == 4 && num(ratings, "low") == 2);
    assert_true(num(ratings, "average") == 3);
    const cJSON *gdth = cJSON_GetArrayItem(at(ratings, "by_division"), 0);
    assert_string_equal(str(gdth, "code"), "GDTH");
    assert_true(num(gdth, "average") == 3.7);
    cJSON_Delete(doc);
    free(text);
}

static void month_labels(void **state)
{
    (void)state;
    char out[8];
    report_month_label(2026, 10, 0, out);
    assert_string_equal(out, "2026-10");
    report_month_label(2026, 1, -1, out);
    assert_string_equal(out, "2025-12");
    report_month_label(2026, 10, -11, out);
    assert_string_equal(out, "2025-11");
    report_month_label(2026, 12, 1, out);
    assert_string_equal(out, "2027-01");
    report_month_label(2026, 3, -27, out);
    assert_string_equal(out, "2023-12");
}

static void content_types(void **state)
{
    (void)state;
    assert_string_equal(report_content_type(REPORT_JSON), "application/json");
    assert_string_equal(report_content_type(REPORT_CSV), "text/csv; charset=utf-8");
    assert_string_equal(report_content_type(REPORT_HTML), "text/html; charset=utf-8");
}

/* ---- CSV ---- */

static const char ISSUES_CSV[] =
    "\xEF\xBB\xBF"
    "ref,school,school_name,cluster,category,category_kind,division,status,priority,age_days,"
    "overdue,escalation_level,schools_affected,schools,assignee,title\r\n"
    "HT-2026-000101,TH001,Trường Tiểu học Thạch Trung,CM01,THIEU-PHONG-HOC,management,CSVC,"
    "in_progress,high,40,true,2,4,TH001 TH005 TH017 TH250,cb.csvc1,"
    "\"Thiếu \"\"phòng học\"\", cần gấp\nlớp 1\"\r\n"
    "HT-2026-000150,TH003,Trường Tiểu học Thạch Hạ,CM02,THIEU-GV,management,TCCB,"
    "awaiting_school,normal,10,false,0,1,,," SCRIPT_TITLE "\r\n"
    "HT-2026-000180,TH001,Trường Tiểu học Thạch Trung,CM01,DAY-HOC-TV,teaching,GDTH,new,"
    "urgent,2,true,1,1,,,Dạy học phân môn Tập làm văn lớp 4\r\n";

static void csv_issues_exact(void **state)
{
    (void)state;
    size_t len;
    char *csv = render(REPORT_CSV, REPORT_PART_ISSUES, &len);
    assert_memory_equal(csv, "\xEF\xBB\xBF", 3);
    assert_string_equal(csv, ISSUES_CSV);
    /* Every record ends in CRLF; the only bare LF is the one inside the quoted title. */
    assert_int_equal(count_of(csv, "\r\n"), 4);
    assert_int_equal(count_of(csv, "\n"), 5);
    free(csv);
}

static const char SUMMARY_CSV[] =
    "\xEF\xBB\xBF" "group,code,name,count\r\n"
    "total,,,3\r\n"
    "cluster,CM01," CM01_NAME ",2\r\n"
    "cluster,CM02," CM02_NAME ",1\r\n"
    "school,TH001,Trường Tiểu học Thạch Trung,2\r\n"
    "school,TH003,Trường Tiểu học Thạch Hạ,1\r\n"
    "category,DAY-HOC-TV,Dạy học môn Tiếng Việt,1\r\n"
    "category,THIEU-GV,Thiếu giáo viên,1\r\n"
    "category,THIEU-PHONG-HOC,\"Thiếu phòng học, phòng chức năng\",1\r\n"
    "division,CSVC,Cơ sở vật chất,1\r\n"
    "division,GDTH,Giáo dục Tiểu học,1\r\n"
    "division,TCCB,Tổ chức cán bộ,1\r\n"
    "priority,urgent,,1\r\n"
    "priority,high,,1\r\n"
    "priority,normal,,1\r\n"
    "priority,low,,0\r\n"
    "age,0-7,,1\r\n"
    "age,8-30,,1\r\n"
    "age,31-90,,1\r\n"
    "age,over-90,,0\r\n"
    "overdue,,,2\r\n"
    "escalated,,,2\r\n"
    "filed_in_month,,,5\r\n"
    "resolved_in_month,,,4\r\n"
    "decisions,open,,0\r\n"
    "decisions,overdue,,1\r\n"
    "decisions,done_on_time,,1\r\n"
    "decisions,done_late,,0\r\n"
    "ratings,GDTH,Giáo dục Tiểu học,3\r\n"
    "low_ratings,GDTH,Giáo dục Tiểu học,1\r\n"
    "ratings,TCCB,Tổ chức cán bộ,1\r\n"
    "low_ratings,TCCB,Tổ chức cán bộ,1\r\n";

static void csv_summary_exact(void **state)
{
    (void)state;
    size_t len;
    char *csv = render(REPORT_CSV, REPORT_PART_SUMMARY, &len);
    assert_string_equal(csv, SUMMARY_CSV);
    free(csv);
}

/* ---- HTML ---- */

static void html_page(void **state)
{
    (void)state;
    size_t len;
    char *html = render(REPORT_HTML, REPORT_PART_ISSUES, &len);
    assert_memory_equal(html, "<!DOCTYPE html>", 15);
    assert_non_null(strstr(html, "<html lang=\"vi\">"));
    assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
    assert_non_null(strstr(html, "<title>Báo cáo vấn đề chưa giải quyết — tháng 10/2026 — "
                                 DEPARTMENT "</title>"));
    assert_non_null(strstr(html, "@page{size:A4 landscape;margin:12mm}"));
    assert_int_equal(count_of(html, "<svg "), 4);
    assert_int_equal(count_of(html, "</svg>"), 4);
    /* The principal's title is text, never markup. */
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert_non_null(strstr(html, "Thiếu &quot;phòng học&quot;, cần gấp"));
    /* Self-contained: nothing fetched from anywhere. */
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "href="));
    assert_null(strstr(html, "url("));
    assert_non_null(strstr(html, "Chờ trường bổ sung"));
    assert_non_null(strstr(html, "Khẩn"));
    assert_non_null(strstr(html, "Văn phòng"));   /* a division that only resolved issues */
    assert_int_equal(count_of(html, "<td class=\"ref\">"), 3);
    assert_int_equal(count_of(html, "<td class=\"od\">Quá hạn</td>"), 2);
    /* A problem of several schools names them under its count. */
    assert_non_null(strstr(html, "<td class=\"num\">4<br><span class=\"muted\">"
                                 "TH001 TH005 TH017 TH250</span></td>"));
    /* The decisions of the month's meetings, as they stood at its end. */
    assert_non_null(strstr(html, "Quyết định từ các cuộc họp"));
    assert_non_null(strstr(html, "Điều chuyển &lt;giáo viên&gt; &amp; sách"));
    assert_non_null(strstr(html, "<td class=\"od\">Quá hạn, chưa xong</td>"));
    assert_non_null(strstr(html, "Đã xong, đúng hạn"));
    assert_non_null(strstr(html, "20/10/2026"));
    /* The ratings, with a Vietnamese decimal comma. */
    assert_non_null(strstr(html, "Đánh giá của nhà trường"));
    assert_non_null(strstr(html, "<td class=\"num\">3,7</td>"));
    assert_non_null(strstr(html, "Toàn Sở"));
    free(html);
}

static void html_scope_in_title(void **state)
{
    (void)state;
    struct report_input in = small_input();
    struct report r = small_report();
    struct report_meta meta = { DEPARTMENT, "cluster", "CM01", CM01_NAME,
                                "2026-11-01T00:00:00+07:00" };
    size_t len;
    char *html = report_render(&in, &r, &meta, REPORT_HTML, REPORT_PART_ISSUES, &len);
    assert_non_null(strstr(html, "— tháng 10/2026 — " DEPARTMENT " — " CM01_NAME "</title>"));
    assert_non_null(strstr(html, "Phạm vi: <b>" CM01_NAME "</b>"));
    free(html);
    char *json = report_render(&in, &r, &meta, REPORT_JSON, REPORT_PART_ISSUES, &len);
    assert_non_null(strstr(json, "\"scope\":{\"kind\":\"cluster\",\"code\":\"CM01\"}"));
    free(json);
}

static void renders_are_identical(void **state)
{
    (void)state;
    const enum report_format formats[] = { REPORT_JSON, REPORT_CSV, REPORT_CSV, REPORT_HTML };
    const enum report_part parts[] = { REPORT_PART_ISSUES, REPORT_PART_ISSUES,
                                       REPORT_PART_SUMMARY, REPORT_PART_ISSUES };
    for (size_t i = 0; i < 4; i++) {
        size_t a_len, b_len;
        char *a = render(formats[i], parts[i], &a_len);
        char *b = render(formats[i], parts[i], &b_len);
        assert_int_equal(a_len, b_len);
        assert_memory_equal(a, b, a_len);
        free(a);
        free(b);
    }
}

/* A month with nothing open: no lists, no order array; every format still renders. */
static void empty_report(void **state)
{
    (void)state;
    struct report_input in = { .year = 2027, .month = 1, .as_of = AS_OF_OCT_2026 + 92 * DAY };
    struct report r = { 0 };
    static struct report_count prio[] = {
        { "urgent", NULL, NULL, 0, 0, 0 }, { "high", NULL, NULL, 0, 0, 0 },
        { "normal", NULL, NULL, 0, 0, 0 }, { "low", NULL, NULL, 0, 0, 0 },
    };
    r.by_priority = (struct report_list){ prio, 4 };
    size_t len;
    char *json = report_render(&in, &r, &DEPARTMENT_META, REPORT_JSON, REPORT_PART_ISSUES, &len);
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    assert_int_equal(cJSON_GetArraySize(at(doc, "issues")), 0);
    assert_true(cJSON_IsNull(at(at(at(at(doc, "response_times"), "overall"),
                                   "resolution_hours"), "median")));
    assert_string_equal(str(cJSON_GetArrayItem(at(doc, "trend"), 0), "month"), "2026-02");
    assert_string_equal(str(at(doc, "change"), "previous_month"), "2026-12");
    cJSON_Delete(doc);
    free(json);
    char *csv = report_render(&in, &r, &DEPARTMENT_META, REPORT_CSV, REPORT_PART_ISSUES, &len);
    assert_int_equal(count_of(csv, "\r\n"), 1);
    free(csv);
    char *html = report_render(&in, &r, &DEPARTMENT_META, REPORT_HTML, REPORT_PART_ISSUES, &len);
    assert_int_equal(count_of(html, "<svg "), 4);
    assert_non_null(strstr(html, "Không có vấn đề nào chưa giải quyết."));
    free(html);
}

/* ---- a realistic month: 30 issues over several clusters, tallied here by hand ---- */

#define NREAL 30
#define MAXG 32

struct school_def { const char *code, *name, *cluster, *cluster_name; };
struct category_def { const char *code, *name, *kind, *division, *division_name, *title; };

static const struct school_def SCHOOLS[] = {
    { "TH001", "Trường Tiểu học Thạch Trung", "CM01", CM01_NAME },
    { "TH004", "Trường Tiểu học Thạch Hạ", "CM01", CM01_NAME },
    { "TH025", "Trường Tiểu học Bắc Hồng", "CM02", CM02_NAME },
    { "TH048", "Trường Tiểu học Xuân Hội", "CM03", "Cụm 3 – Nghi Xuân" },
    { "TH051", "Trường Tiểu học Xuân Phổ", "CM03", "Cụm 3 – Nghi Xuân" },
    { "TH077", "Trường Tiểu học Đức Lạng", "CM04", "Cụm 4 – Đức Thọ" },
    { "TH102", "Trường Tiểu học Sơn Kim 1", "CM05", "Cụm 5 – Hương Sơn" },
    { "TH108", "Trường Tiểu học Sơn Hồng", "CM05", "Cụm 5 – Hương Sơn" },
    { "TH140", "Trường Tiểu học Hương Trạch", "CM07", "Cụm 7 – Hương Khê" },
    { "TH144", "Trường Tiểu học Phúc Đồng", "CM07", "Cụm 7 – Hương Khê" },
    { "TH191", "Trường Tiểu học Thạch Lạc", "CM10", "Cụm 10 – Thạch Hà" },
    { "TH222", "Trường Tiểu học Cẩm Lạc", "CM11", "Cụm 11 – Cẩm Xuyên" },
    { "TH240", "Trường Tiểu học Kỳ Phương", "CM12", "Cụm 12 – Kỳ Anh" },
};
static const struct category_def CATEGORIES[] = {
    { "THIEU-GV", "Thiếu giáo viên", "management", "TCCB", "Tổ chức cán bộ",
      "Thiếu 2 giáo viên Tiếng Anh cho năm học 2026-2027" },
    { "THIEU-PHONG-HOC", "Thiếu phòng học, phòng chức năng", "management", "CSVC",
      "Cơ sở vật chất", "Dãy phòng học cấp 4 xuống cấp, mái dột" },
    { "VE-SINH-NUOC-SACH", "Nhà vệ sinh và nước sạch", "management", "CSVC", "Cơ sở vật chất",
      "Nước giếng khoan nhiễm phèn, trường không có nước sạch" },
    { "DAY-HOC-TV", "Dạy học môn Tiếng Việt", "teaching", "GDTH", "Giáo dục Tiểu học",
      "Học sinh lớp 1 đọc chậm, viết sai chính tả nhiều" },
    { "CT-GDPT-2018", "Thực hiện Chương trình GDPT 2018", "teaching", "GDTH",
      "Giáo dục Tiểu học", "Khó khăn bố trí thời khóa biểu theo Chương trình GDPT 2018" },
    { "LUONG-PHU-CAP", "Lương và phụ cấp", "management", "KHTC", "Kế hoạch – Tài chính",
      "Chậm phê duyệt phụ cấp thâm niên cho 3 giáo viên" },
    { "CHUYEN-DOI-SO", "Chuyển đổi số, phần mềm quản lý", "management", "VP", "Văn phòng",
      "Lỗi đồng bộ dữ liệu lên cơ sở dữ liệu ngành" },
    { "AN-TOAN-TH", "An toàn trường học, phòng chống thiên tai", "management", "CSVC",
      "Cơ sở vật chất", "Tường rào, mái phòng học hư hỏng sau bão" },
    { "TIN-HOC-CN", "Dạy học Tin học và Công nghệ", "teaching", "GDTH", "Giáo dục Tiểu học",
      "Phòng máy tính xuống cấp, không đủ máy dạy Tin học lớp 3, 4, 5" },
    { "KHIEU-NAI-KY-LUAT", "Khiếu nại, tố cáo, kỷ luật cán bộ", "management", "TTR",
      "Thanh tra", "Đơn phản ánh của phụ huynh về việc thu tiền sai quy định" },
    { "DANH-GIA-HS", "Đánh giá học sinh (Thông tư 27)", "teaching", "GDTH",
      "Giáo dục Tiểu học", "Vướng mắc ghi nhận xét học bạ điện tử theo Thông tư 27" },
    { "BAN-TRU", "Bán trú và bữa ăn học đường", "management", "GDTH", "Giáo dục Tiểu học",
      "Bếp ăn bán trú chưa đảm bảo điều kiện an toàn thực phẩm" },
    { "TAI-CHINH", "Tài chính, học phí và các khoản thu", "management", "KHTC",
      "Kế hoạch – Tài chính", "Chậm cấp kinh phí hỗ trợ chi phí học tập cho học sinh" },
    { "TIENG-ANH", "Dạy học Tiếng Anh", "teaching", "GDTH", "Giáo dục Tiểu học",
      "Phòng học Tiếng Anh thiếu thiết bị nghe nhìn" },
};
#define NSCHOOLS (sizeof SCHOOLS / sizeof SCHOOLS[0])
static const char *const STATUSES[] = { "new", "triaged", "in_progress", "awaiting_school" };
static const char *const PRIORITIES[] = { "urgent", "high", "normal", "low" };
static const char *const OFFICERS[] = { "cb.gdth1", "cb.csvc2", NULL, "cb.tccb1", "cb.khtc1" };

struct real {
    struct report_issue issues[NREAL];
    char refs[NREAL][24];
    size_t order[NREAL];
    struct report_count clusters[MAXG], schools[MAXG], categories[MAXG], divisions[MAXG];
    struct report_count priorities[4], recurring[MAXG];
    struct report_division_times times[6];
    struct report_input in;
    struct report r;
};

/* A small linear congruential generator: varied but fixed data, the same on every run. */
static unsigned next_rand(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

static void real_issues(struct real *x)
{
    static const int ages[NREAL] = { 1, 2, 3, 4, 5, 6, 7, 9, 11, 12, 14, 15, 17, 20, 22, 25, 27,
                                     29, 33, 38, 41, 47, 52, 58, 64, 71, 83, 96, 118, 142 };
    unsigned seed = 2026;
    for (int i = 0; i < NREAL; i++) {
        const struct school_def *s = &SCHOOLS[next_rand(&seed) % NSCHOOLS];
        const struct category_def *c = &CATEGORIES[(next_rand(&seed) % 3 == 0)
                                                       ? next_rand(&seed) % 14
                                                       : next_rand(&seed) % 5];
        snprintf(x->refs[i], sizeof x->refs[i], "HT-2026-%06d", 400 - i * 11);
        int prio = (int)(next_rand(&seed) % 10);
        x->issues[i] = (struct report_issue){
            .ref = x->refs[i], .title = c->title, .school = s->code, .school_name = s->name,
            .cluster = s->cluster, .cluster_name = s->cluster_name, .category = c->code,
            .category_name = c->name, .category_kind = c->kind, .division = c->division,
            .division_name = c->division_name,
            .status = STATUSES[next_rand(&seed) % 4],
            .priority = PRIORITIES[prio == 0 ? 0 : prio < 3 ? 1 : prio < 8 ? 2 : 3],
            .assignee = OFFICERS[next_rand(&seed) % 5],
            .filed_at = AS_OF_OCT_2026 - ages[NREAL - 1 - i] * DAY - 3600,
            .overdue = ages[NREAL - 1 - i] > 20 && next_rand(&seed) % 3 != 0,
            .escalation_level = ages[NREAL - 1 - i] > 60 ? 2 : ages[NREAL - 1 - i] > 25 ? 1 : 0,
            .schools_affected = 1 + (int)(next_rand(&seed) % 3),
        };
        if (strcmp(x->issues[i].status, "awaiting_school") == 0)
            x->issues[i].overdue = false;
    }
}

static void tally(struct report_count *items, size_t *n, const struct report_issue *is,
                  const char *code, const char *name, const char *extra)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(items[i].code, code) == 0) {
            items[i].count++;
            items[i].overdue += is->overdue;
            return;
        }
    items[(*n)++] = (struct report_count){ code, name, extra, 1, 0, is->overdue };
}

static int count_cmp(const void *a, const void *b)
{
    const struct report_count *x = a, *y = b;
    if (x->count != y->count)
        return y->count - x->count;
    return strcmp(x->code, y->code);
}

static int distinct_schools(const struct real *x, const char *category)
{
    int n = 0;
    for (int i = 0; i < NREAL; i++) {
        if (strcmp(x->issues[i].category, category) != 0)
            continue;
        int seen = 0;
        for (int j = 0; j < i; j++)
            seen |= strcmp(x->issues[j].category, category) == 0 &&
                    strcmp(x->issues[j].school, x->issues[i].school) == 0;
        n += !seen;
    }
    return n;
}

static struct report_list sorted(struct report_count *items, size_t n)
{
    qsort(items, n, sizeof *items, count_cmp);
    return (struct report_list){ items, n };
}

static void real_groups(struct real *x)
{
    size_t nc = 0, ns = 0, ncat = 0, nd = 0, nrec = 0;
    for (int i = 0; i < NREAL; i++) {
        const struct report_issue *is = &x->issues[i];
        tally(x->clusters, &nc, is, is->cluster, is->cluster_name, NULL);
        tally(x->schools, &ns, is, is->school, is->school_name, is->cluster);
        tally(x->categories, &ncat, is, is->category, is->category_name, is->category_kind);
        tally(x->divisions, &nd, is, is->division, is->division_name, NULL);
        for (int p = 0; p < 4; p++)
            if (strcmp(is->priority, PRIORITIES[p]) == 0) {
                x->priorities[p].count++;
                x->priorities[p].overdue += is->overdue;
            }
        int age = report_age_days(is->filed_at, AS_OF_OCT_2026);
        x->r.by_age[report_age_bucket(age)]++;
        x->r.overdue += is->overdue;
        x->r.escalated += is->escalation_level > 0;
    }
    for (int p = 0; p < 4; p++)
        x->priorities[p].code = PRIORITIES[p];
    x->r.by_cluster = sorted(x->clusters, nc);
    x->r.by_school = sorted(x->schools, ns);
    for (size_t i = 0; i < ncat; i++)
        x->categories[i].schools = distinct_schools(x, x->categories[i].code);
    x->r.by_category = sorted(x->categories, ncat);
    x->r.by_division = sorted(x->divisions, nd);
    x->r.by_priority = (struct report_list){ x->priorities, 4 };
    x->r.top_schools = (struct report_list){ x->schools, ns < 10 ? ns : 10 };
    for (size_t i = 0; i < ncat; i++)
        if (x->categories[i].schools >= REPORT_RECURRING_MIN_SCHOOLS)
            x->recurring[nrec++] = x->categories[i];
    x->r.recurring_categories = (struct report_list){ x->recurring, nrec };
}

static void real_times(struct real *x)
{
    x->times[0] = (struct report_division_times){ "CSVC", "Cơ sở vật chất",
                                                  { 4, true, true, 20.5, 52.0, 160.2, 410.0 } };
    x->times[1] = (struct report_division_times){ "GDTH", "Giáo dục Tiểu học",
                                                  { 9, true, true, 6.2, 22.8, 71.4, 190.6 } };
    x->times[2] = (struct report_division_times){ "KHTC", "Kế hoạch – Tài chính",
                                                  { 2, true, true, 30.0, 41.0, 240.5, 300.0 } };
    x->times[3] = (struct report_division_times){ "TCCB", "Tổ chức cán bộ",
                                                  { 3, true, true, 12.0, 26.3, 98.0, 260.7 } };
    x->times[4] = (struct report_division_times){ "TTR", "Thanh tra",
                                                  { 1, false, true, 0, 0, 300.0, 300.0 } };
    x->times[5] = (struct report_division_times){ "VP", "Văn phòng",
                                                  { 3, true, true, 3.5, 8.0, 26.4, 50.1 } };
    x->r.times_by_division = x->times;
    x->r.ntimes_by_division = 6;
    x->r.overall = (struct report_times){ 22, true, true, 9.4, 38.5, 96.3, 290.0 };
}

static void real_build(struct real *x)
{
    memset(x, 0, sizeof *x);
    real_issues(x);
    real_groups(x);
    real_times(x);
    /* Issues were generated oldest first, so the report order is the array's. */
    for (int i = 0; i < NREAL; i++)
        x->order[i] = (size_t)i;
    x->r.issue_order = x->order;
    x->r.unresolved = NREAL;
    x->r.filed_in_month = 14;
    x->r.resolved_in_month = 22;
    x->r.carried_over = 19;
    x->r.newly_unresolved = 11;
    x->r.resolved_since = 16;
    static const int trend[REPORT_TREND_MONTHS] = { 18, 21, 19, 24, 28, 31, 27, 25, 29, 33,
                                                    35, NREAL };
    x->in = (struct report_input){ .year = 2026, .month = 10, .as_of = AS_OF_OCT_2026,
                                   .issues = x->issues, .nissues = NREAL,
                                   .filed_in_month = 14 };
    memcpy(x->in.trend, trend, sizeof trend);
}

/* Renders a month like the ones the meeting sees; REPORT_SAMPLE_HTML=path keeps the page
 * for a look in a browser. */
static void realistic_page(void **state)
{
    (void)state;
    struct real *x = malloc(sizeof *x);
    assert_non_null(x);
    real_build(x);
    size_t len;
    char *html = report_render(&x->in, &x->r, &DEPARTMENT_META, REPORT_HTML,
                               REPORT_PART_ISSUES, &len);
    assert_int_equal(count_of(html, "<td class=\"ref\">"), NREAL);
    assert_int_equal(count_of(html, "<svg "), 4);
    assert_non_null(strstr(html, "Cụm 12 – Kỳ Anh"));
    const char *path = getenv("REPORT_SAMPLE_HTML");
    if (path && *path) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(html, 1, len, f), len);
        fclose(f);
    }
    free(html);
    char *json = report_render(&x->in, &x->r, &DEPARTMENT_META, REPORT_JSON,
                               REPORT_PART_ISSUES, &len);
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    assert_int_equal(cJSON_GetArraySize(at(doc, "issues")), NREAL);
    cJSON_Delete(doc);
    free(json);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_header_and_totals),
        cmocka_unit_test(json_groups),
        cmocka_unit_test(json_response_times),
        cmocka_unit_test(json_trend_and_issues),
        cmocka_unit_test(json_decisions),
        cmocka_unit_test(month_labels),
        cmocka_unit_test(content_types),
        cmocka_unit_test(csv_issues_exact),
        cmocka_unit_test(csv_summary_exact),
        cmocka_unit_test(html_page),
        cmocka_unit_test(html_scope_in_title),
        cmocka_unit_test(renders_are_identical),
        cmocka_unit_test(empty_report),
        cmocka_unit_test(realistic_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
