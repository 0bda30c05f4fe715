/* webhook_url.c -- the rule of webhook_url.h. */
#include "domain/webhook_url.h"

#include <string.h>

static bool has_control_or_space(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return true;
    return false;
}

/* The host (and port) part of an address after its scheme: up to the first '/' or '?'. */
static size_t authority_length(const char *rest)
{
    return strcspn(rest, "/?#");
}

static bool is_loopback(const char *authority, size_t len)
{
    static const char *const HOSTS[] = {"127.0.0.1", "localhost", "[::1]"};
    for (size_t i = 0; i < sizeof HOSTS / sizeof *HOSTS; i++) {
        size_t n = strlen(HOSTS[i]);
        if (len < n || strncmp(authority, HOSTS[i], n) != 0)
            continue;
        if (len == n)
            return true;
        /* A port: ':' and one to five digits, nothing else. */
        size_t digits = strspn(authority + n + 1, "0123456789");
        if (authority[n] == ':' && digits >= 1 && digits <= 5 && n + 1 + digits == len)
            return true;
    }
    return false;
}

const char *webhook_url_problem(const char *url)
{
    if (strlen(url) > WEBHOOK_URL_MAX)
        return "must be at most 500 bytes";
    if (has_control_or_space(url))
        return "must not hold spaces or control characters";
    bool https = strncmp(url, "https://", 8) == 0;
    bool http = strncmp(url, "http://", 7) == 0;
    if (!https && !http)
        return "must be an https:// address";
    const char *rest = url + (https ? 8 : 7);
    size_t len = authority_length(rest);
    if (len == 0)
        return "must name a host";
    if (memchr(rest, '@', len))
        return "must not hold a user name or password (the signature is the credential)";
    if (strchr(rest, '#'))
        return "must not hold a fragment (#...)";
    if (http && !is_loopback(rest, len))
        return "must be an https:// address (plain http only on this machine, for trying out)";
    return NULL;
}
