/* temp_password.c -- temporary passwords from libsodium's CSPRNG. */
#include "util/temp_password.h"

#include <sodium.h>

static const char ALPHABET[] = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

void temp_password_new(char out[TEMP_PASSWORD_SIZE])
{
    int n = 0;
    for (int group = 0; group < 4; group++) {
        if (group)
            out[n++] = '-';
        for (int i = 0; i < 4; i++)
            out[n++] = ALPHABET[randombytes_uniform(sizeof ALPHABET - 1)];
    }
    out[n] = '\0';
}

void temp_password_wipe(char *buf, unsigned long size)
{
    sodium_memzero(buf, size);
}
