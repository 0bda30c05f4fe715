/* client_address.c -- trusted reverse proxies and the client address behind them (see
 * client_address.h). Only a trusted peer's X-Forwarded-For is read: anyone else could
 * write any address there. */
#include "http/client_address.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char V4_MAPPED_PREFIX[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* ::ffff:a.b.c.d is the IPv4 address a.b.c.d (as a dual-stack socket or a proxy may
 * write it), so that it matches IPv4 networks and counts as the same client. */
static void unmap_v4(int *family, unsigned char bytes[16])
{
    if (*family != AF_INET6 || memcmp(bytes, V4_MAPPED_PREFIX, 12) != 0)
        return;
    memmove(bytes, bytes + 12, 4);
    memset(bytes + 4, 0, 12);
    *family = AF_INET;
}

/* Text to binary: IPv4 or IPv6 (IPv4-mapped ones as IPv4), no port, no brackets. */
static bool parse_address(const char *text, int *family, unsigned char bytes[16])
{
    memset(bytes, 0, 16);
    if (inet_pton(AF_INET, text, bytes) == 1) {
        *family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, bytes) != 1)
        return false;
    *family = AF_INET6;
    unmap_v4(family, bytes);
    return true;
}

static bool parse_net(const char *entry, struct trusted_net *net)
{
    char text[64];
    if (strlen(entry) >= sizeof text)
        return false;
    strcpy(text, entry);
    char *slash = strchr(text, '/');
    if (slash)
        *slash = '\0';
    if (!parse_address(text, &net->family, net->bytes))
        return false;
    /* A mapped network (::ffff:10.0.0.0/104) is written with an IPv6 prefix. */
    bool mapped = net->family == AF_INET && strchr(text, ':');
    int max = mapped ? 128 : net->family == AF_INET ? 32 : 128;
    net->prefix = max;
    if (slash) {
        char *end = NULL;
        long prefix = strtol(slash + 1, &end, 10);
        if (!slash[1] || *end || prefix < (mapped ? 96 : 0) || prefix > max)
            return false;
        net->prefix = (int)prefix;
    }
    if (mapped)
        net->prefix -= 96;
    return true;
}

bool trusted_proxies_parse(const char *list, struct trusted_proxies *out, char *bad,
                           size_t bad_size)
{
    const char *p = list;
    while (*p) {
        p += strspn(p, " \t,");
        size_t len = strcspn(p, " \t,");
        if (len == 0)
            break;
        char entry[64];
        snprintf(bad, bad_size, "%.*s", (int)len, p);
        if (len >= sizeof entry || out->count == TRUSTED_PROXIES_MAX)
            return false;
        memcpy(entry, p, len);
        entry[len] = '\0';
        if (!parse_net(entry, &out->nets[out->count]))
            return false;
        out->count++;
        p += len;
    }
    return true;
}

static bool net_contains(const struct trusted_net *net, int family, const unsigned char *b)
{
    if (net->family != family)
        return false;
    int whole = net->prefix / 8, rest = net->prefix % 8;
    if (memcmp(net->bytes, b, (size_t)whole) != 0)
        return false;
    if (rest == 0)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (net->bytes[whole] & mask) == (b[whole] & mask);
}

static bool trusted(const struct trusted_proxies *tp, int family, const unsigned char *b)
{
    for (int i = 0; i < tp->count; i++)
        if (net_contains(&tp->nets[i], family, b))
            return true;
    return false;
}

bool sockaddr_bytes(const struct sockaddr *sa, int *family, unsigned char bytes[16])
{
    memset(bytes, 0, 16);
    if (!sa)
        return false;
    *family = sa->sa_family;
    if (sa->sa_family == AF_INET)
        memcpy(bytes, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
    else if (sa->sa_family == AF_INET6)
        memcpy(bytes, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
    else
        return false;
    unmap_v4(family, bytes);
    return true;
}

/* The peer as family + bytes + text; false when it is neither IPv4 nor IPv6. */
static bool peer_of(const struct sockaddr *sa, int *family, unsigned char bytes[16],
                    char *text, size_t text_size)
{
    return sockaddr_bytes(sa, family, bytes) &&
           inet_ntop(*family, bytes, text, (socklen_t)text_size) != NULL;
}

bool trusted_proxies_has_sockaddr(const struct trusted_proxies *tp, const struct sockaddr *sa)
{
    int family = 0;
    unsigned char bytes[16];
    return tp && tp->count > 0 && sockaddr_bytes(sa, &family, bytes) &&
           trusted(tp, family, bytes);
}

/* One X-Forwarded-For value walked right to left. Returns 1 when the client is found
 * (in out), -1 when an entry is no address (out keeps the proxy that wrote it), 0 when
 * every entry was a trusted proxy (out holds the left-most). */
static int walk_value(const struct trusted_proxies *tp, const char *value, char *out,
                      size_t out_size)
{
    size_t end = strlen(value);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && value[start - 1] != ',')
            start--;
        size_t a = start, b = end;
        while (a < b && (value[a] == ' ' || value[a] == '\t'))
            a++;
        while (b > a && (value[b - 1] == ' ' || value[b - 1] == '\t'))
            b--;
        end = start > 0 ? start - 1 : 0;
        if (a == b)
            continue;
        char entry[INET6_ADDRSTRLEN];
        int family = 0;
        unsigned char bytes[16];
        if (b - a >= sizeof entry)
            return -1;
        memcpy(entry, value + a, b - a);
        entry[b - a] = '\0';
        if (!parse_address(entry, &family, bytes) ||
            !inet_ntop(family, bytes, entry, sizeof entry))   /* as read: mapped ones unmapped */
            return -1;
        snprintf(out, out_size, "%s", entry);
        if (!trusted(tp, family, bytes))
            return 1;
    }
    return 0;
}

void forwarded_for_add(struct forwarded_for *ff, const char *value)
{
    /* The last lines are the ones trusted proxies appended: a client sending many lines
     * must not push them out. */
    if (ff->count == FORWARDED_FOR_MAX) {
        memmove(ff->values, ff->values + 1, (FORWARDED_FOR_MAX - 1) * sizeof *ff->values);
        ff->count--;
    }
    ff->values[ff->count++] = value;
}

void client_address_pick(const struct trusted_proxies *tp, const struct sockaddr *peer,
                         const char *const *xff, int nxff, char *out, size_t out_size)
{
    int family = 0;
    unsigned char bytes[16];
    char text[INET6_ADDRSTRLEN];
    snprintf(out, out_size, "unknown");
    if (!peer_of(peer, &family, bytes, text, sizeof text))
        return;
    snprintf(out, out_size, "%s", text);
    if (!tp || !trusted(tp, family, bytes))
        return;
    for (int i = nxff - 1; i >= 0; i--)
        if (walk_value(tp, xff[i], out, out_size) != 0)
            return;
}
