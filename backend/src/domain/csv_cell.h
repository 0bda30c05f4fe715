/* csv_cell.h -- one text field of a CSV file, written so that RFC 4180 readers get the
 * text back and a spreadsheet never runs it as a formula (OWASP "CSV Injection"). */
#ifndef DL_DOMAIN_CSV_CELL_H
#define DL_DOMAIN_CSV_CELL_H

#include <stdbool.h>

/* Whether a spreadsheet would read text starting here as a formula: it begins with
 * = + - @, a tab or a carriage return (or the full-width = + - @ that some Excel
 * locales take for the ASCII ones). */
bool csv_starts_formula(const char *text);

/* The field as it goes between the separators (caller frees); NULL gives "".
 * - Text that would start a formula gets a single quote in front ('=SUM(A1)), and so
 *   does such text right after a semicolon inside it, because Excel under a
 *   Vietnamese (or any comma-decimal) locale splits a CSV line on semicolons and would
 *   start a new cell there; the same after a line break, where such a reader, not
 *   honouring quotes, starts a new row; a double quote after either is treated alike.
 * - The field is quoted when it holds a comma, a semicolon, a double quote, a tab, a
 *   line break, or got a single quote above; double quotes inside are doubled.
 * Everything else is left as it is, so ordinary text reads the same. */
char *csv_cell(const char *text);

#endif
