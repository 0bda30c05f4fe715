/* civil_date.h -- a calendar day as the API writes it, YYYY-MM-DD (a holiday, a meeting's
 * day, a decision's due day), checked and counted in days since 1970-01-01. Pure C. */
#ifndef DL_DOMAIN_CIVIL_DATE_H
#define DL_DOMAIN_CIVIL_DATE_H

#include <stdbool.h>

#define CIVIL_DATE_LEN 11    /* "YYYY-MM-DD" and its NUL */

/* True, with *days set, for a real day of the years 2000-2100 written exactly so. */
bool civil_date_parse(const char *text, int *days);
/* The day `days` after 1970-01-01 as YYYY-MM-DD. */
void civil_date_format(int days, char out[CIVIL_DATE_LEN]);

#endif
