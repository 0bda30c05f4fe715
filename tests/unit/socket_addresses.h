/* socket_addresses.h -- socket addresses from their text, for the unit tests of code
 * that is handed a peer's address (the http layer). */
#ifndef DL_TESTS_SOCKET_ADDRESSES_H
#define DL_TESTS_SOCKET_ADDRESSES_H

#include <arpa/inet.h>
#include <string.h>

static inline struct sockaddr_in v4(const char *text)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    inet_pton(AF_INET, text, &sa.sin_addr);
    return sa;
}

static inline struct sockaddr_in6 v6(const char *text)
{
    struct sockaddr_in6 sa;
    memset(&sa, 0, sizeof sa);
    sa.sin6_family = AF_INET6;
    inet_pton(AF_INET6, text, &sa.sin6_addr);
    return sa;
}

#endif
