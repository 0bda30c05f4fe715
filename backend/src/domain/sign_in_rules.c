/* sign_in_rules.c -- the keys sign-in failures are counted under. */
#include "domain/sign_in_rules.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

void sign_in_address_key(const char *client_address, char out[SIGN_IN_ADDRESS_KEY])
{
    struct in6_addr a6;
    snprintf(out, SIGN_IN_ADDRESS_KEY, "%s", client_address);
    if (inet_pton(AF_INET6, client_address, &a6) != 1)
        return;
    /* An IPv4 address written as IPv6 (::ffff:192.0.2.1) stays one address. */
    if (IN6_IS_ADDR_V4MAPPED(&a6)) {
        inet_ntop(AF_INET, &a6.s6_addr[12], out, SIGN_IN_ADDRESS_KEY);
        return;
    }
    memset(&a6.s6_addr[8], 0, 8);
    char prefix[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &a6, prefix, sizeof prefix);
    snprintf(out, SIGN_IN_ADDRESS_KEY, "%s/64", prefix);
}

void sign_in_login_key(const char *login, char out[SIGN_IN_LOGIN_KEY])
{
    size_t i = 0;
    for (; login[i] && i < SIGN_IN_LOGIN_KEY - 1; i++)
        out[i] = (login[i] >= 'A' && login[i] <= 'Z') ? (char)(login[i] + 32) : login[i];
    out[i] = '\0';
}
