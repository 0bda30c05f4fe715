/* department_time.h -- an instant as the API writes it: RFC 3339 in the Department's
 * zone, to the millisecond ("2026-12-01T19:58:06.662+07:00"). */
#ifndef DL_DOMAIN_DEPARTMENT_TIME_H
#define DL_DOMAIN_DEPARTMENT_TIME_H

#include <stdbool.h>

#define DEPARTMENT_TIME_LEN 30   /* "YYYY-MM-DDTHH:MM:SS.mmm+07:00" and its NUL */

/* Microseconds since 1970-01-01 UTC to the text above, milliseconds truncated.
 * Asia/Ho_Chi_Minh has kept UTC+07:00 since 1975, with no summer time, so the offset is
 * fixed; for those years this matches SQL's dl_time (sql/migrations/0001_schema.sql).
 * False (out untouched) outside years 1000-9999. */
bool department_time_format(long long epoch_us, char out[DEPARTMENT_TIME_LEN]);

#endif
