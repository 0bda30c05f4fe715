/* fuzz_query.c -- libFuzzer target: the query-string readers (api/query_params.c: names,
 * limit, flags, id and keyset cursors) and the report's month, format and part
 * (api/report_api.c). Input: a decoded query string, split on '&' and '=' into at most
 * EXCHANGE_MAX_QUERY parameters as http/server.c collects them. Besides crashes and
 * undefined behaviour it finds: a value accepted out of its range, a keyset cursor as
 * keyset_page.c writes it that does not read back, a month that does not print back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/query_params.h"
#include "api/report_api.h"
#include "domain/validate.h"
#include "fuzz_check.h"

static const char *const NAMES[] = {"limit", "cursor", "after", "flag", "month", "format",
                                    "part", NULL};

/* Splits text in place into ex->query; a key without '=' has no value (NULL). */
static void collect(char *text, struct exchange *ex)
{
    for (char *save = NULL, *pair = strtok_r(text, "&", &save); pair;
         pair = strtok_r(NULL, "&", &save)) {
        if (ex->nquery == EXCHANGE_MAX_QUERY) {
            ex->query_overflow = true;
            return;
        }
        char *eq = strchr(pair, '=');
        if (eq)
            *eq = '\0';
        ex->query[ex->nquery++] = (struct query_param){pair, eq ? eq + 1 : NULL};
    }
}

/* keyset_page.c writes "<key>.<id>" with the row's numbers; such a cursor must read back. */
static void check_cursor_round_trip(long long key, long long id)
{
    char text[48];
    snprintf(text, sizeof text, "%lld.%lld", key, id);
    struct exchange again = {.nquery = 1, .query = {{"cursor", text}}};
    struct error err = {0};
    long long k = -1, i = -1;
    FUZZ_CHECK(query_pair_cursor(&again, &k, &i, &err) && k == key && i == id);
}

static void check_month(const char *text)
{
    int year = 0, month = 0;
    if (!report_parse_month(text, &year, &month))
        return;
    FUZZ_CHECK(year >= 2000 && year <= 2100 && month >= 1 && month <= 12);
    char label[8];
    report_month_label(year, month, 0, label);
    FUZZ_CHECK(strcmp(label, text) == 0);
    /* The report's trend reaches eleven months back: still a "YYYY-MM". */
    report_month_label(year, month, -11, label);
    FUZZ_CHECK(strlen(label) == 7 && label[4] == '-' && strspn(label, "0123456789") == 4);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct exchange ex = {0};
    collect(text, &ex);
    struct error err = {0};

    if (query_check_names(&ex, NAMES, &err))
        for (int i = 0; i < ex.nquery; i++)
            FUZZ_CHECK(ex.query[i].value && utf8_valid(ex.query[i].value,
                                                       strlen(ex.query[i].value)));
    int limit = query_limit(&ex, 50, 200, &err);
    FUZZ_CHECK(limit >= 1 && limit <= 200);
    int flag = query_flag(&ex, "flag", &err);
    FUZZ_CHECK(flag >= -1 && flag <= 1);
    FUZZ_CHECK(query_id_cursor(&ex, "after", &err) >= 0);
    long long key = -1, id = -1;
    if (query_pair_cursor(&ex, &key, &id, &err)) {
        FUZZ_CHECK(key >= 0 && id >= 0);
        check_cursor_round_trip(key, id);
    }
    check_month(exchange_query(&ex, "month"));
    enum report_format format;
    enum report_part part;
    const char *f = exchange_query(&ex, "format"), *p = exchange_query(&ex, "part");
    FUZZ_CHECK(!report_parse_format(f, &format) || format <= REPORT_HTML);
    FUZZ_CHECK(!report_parse_part(p, &part) || part <= REPORT_PART_SUMMARY);
    FUZZ_CHECK(err.kind == ERR_NONE || err.kind == ERR_INVALID);
    free(text);
    return 0;
}
