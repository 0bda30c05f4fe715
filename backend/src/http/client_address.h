/* client_address.h -- who is on the other end: the TCP peer, or, when the peer is one of
 * the configured reverse proxies, the client that proxy names in X-Forwarded-For; and
 * whether the client's own connection is HTTPS. */
#ifndef DL_HTTP_CLIENT_ADDRESS_H
#define DL_HTTP_CLIENT_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define TRUSTED_PROXIES_MAX 32

/* An address or a network (ADDR/PREFIX), IPv4 or IPv6. */
struct trusted_net {
    int family;                    /* AF_INET or AF_INET6 */
    unsigned char bytes[16];
    int prefix;                    /* bits that must match */
};

struct trusted_proxies {
    int count;
    struct trusted_net nets[TRUSTED_PROXIES_MAX];
};

/* Parses "ADDR[/PREFIX][,ADDR...]" (spaces allowed around commas) into `out`, appending
 * to what is there; false with the offending entry in `bad` (of `bad_size`) when one
 * cannot be read or there are too many. */
bool trusted_proxies_parse(const char *list, struct trusted_proxies *out, char *bad,
                           size_t bad_size);
/* The address of `sa` as family (AF_INET, AF_INET6) and bytes (IPv4 in the first 4; an
 * IPv4-mapped IPv6 address is IPv4); false for other families. */
bool sockaddr_bytes(const struct sockaddr *sa, int *family, unsigned char bytes[16]);
bool trusted_proxies_has_sockaddr(const struct trusted_proxies *tp, const struct sockaddr *sa);

/* The X-Forwarded-For header lines of a request, in arrival order: the last
 * FORWARDED_FOR_MAX of them (the values are borrowed). */
#define FORWARDED_FOR_MAX 16
struct forwarded_for {
    const char *values[FORWARDED_FOR_MAX];
    int count;
};
/* Appends a line, dropping the first kept when full. */
void forwarded_for_add(struct forwarded_for *ff, const char *value);

/* The peer `peer`, or when it is trusted, the right-most address of the X-Forwarded-For
 * values (`xff`, `nxff` header values in arrival order) that is not itself a trusted
 * proxy; an entry that is no address stops the walk at the proxy that wrote it. IPv4-mapped
 * addresses are read and written as IPv4. Writes
 * the address as text into `out` ("unknown" when there is none). */
void client_address_pick(const struct trusted_proxies *tp, const struct sockaddr *peer,
                         const char *const *xff, int nxff, char *out, size_t out_size);

#endif
