/* mhd_log.h -- libmicrohttpd's own messages, through our log: escaped, without the
 * per-connection notes that every closed slow client would add, and at most a few a
 * second (an attack must not become a log flood). */
#ifndef DL_HTTP_MHD_LOG_H
#define DL_HTTP_MHD_LOG_H

#include <stdarg.h>

/* An MHD_OPTION_EXTERNAL_LOGGER callback; cls is unused. */
void mhd_log(void *cls, const char *fmt, va_list ap);

#endif
