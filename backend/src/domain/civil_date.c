/* civil_date.c -- YYYY-MM-DD days, as civil_date.h says. The day count is the proleptic
 * Gregorian one (era arithmetic: 400-year cycles of 146,097 days), so no table of years. */
#include "domain/civil_date.h"

#include <stdio.h>
#include <string.h>

static bool digits_at(const char *s, const int *at, int n)
{
    for (int i = 0; i < n; i++)
        if (s[at[i]] < '0' || s[at[i]] > '9')
            return false;
    return true;
}

static int days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = y / 400;                          /* y >= 0 here: no negative division */
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool civil_date_parse(const char *text, int *days)
{
    static const int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    static const int digits[] = {0, 1, 2, 3, 5, 6, 8, 9};
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-' ||
        !digits_at(text, digits, 8))
        return false;
    int y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + text[3] - '0';
    int m = (text[5] - '0') * 10 + text[6] - '0';
    int d = (text[8] - '0') * 10 + text[9] - '0';
    if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > days_in[m - 1] + (m == 2 && leap))
        return false;
    *days = days_from_civil(y, m, d);
    return true;
}

void civil_date_format(int days, char out[CIVIL_DATE_LEN])
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    int y = yoe + era * 400 + (m <= 2);
    snprintf(out, CIVIL_DATE_LEN, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}
