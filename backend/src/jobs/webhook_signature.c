/* webhook_signature.c -- HMAC-SHA256 with libsodium (webhook_signature.h). */
#include "jobs/webhook_signature.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void webhook_signature(const char *secret, long long timestamp, const char *body, char *out,
                       size_t out_size)
{
    char t[24];
    snprintf(t, sizeof t, "%lld", timestamp);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)t, strlen(t));
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&state, mac);
    char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    snprintf(out, out_size, "t=%s,v1=%s", t, hex);
}
