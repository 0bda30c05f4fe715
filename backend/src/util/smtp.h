/* smtp.h -- sending one message through the configured SMTP server with libcurl:
 * smtp:// (STARTTLS when the server offers it, required with smtp_require_tls) or
 * smtps://, with a login when one is configured. */
#ifndef DL_UTIL_SMTP_H
#define DL_UTIL_SMTP_H

#include <stdbool.h>
#include <stddef.h>

struct smtp_config {
    const char *url;           /* smtp://host:port or smtps://host:port */
    const char *user;          /* NULL: no login */
    const char *password;
    bool require_tls;          /* refuse to send in the clear */
    long timeout_seconds;      /* for the whole exchange */
};

/* Call once before any thread sends (libcurl's global set-up). */
bool smtp_init(void);
/* Sends message (RFC 5322 text, CRLF line ends) from `from` to `to`. False with a short
 * reason in error (what libcurl or the server said) when it was not accepted. */
bool smtp_send(const struct smtp_config *cfg, const char *from, const char *to,
               const char *message, char *error, size_t error_size);

#endif
