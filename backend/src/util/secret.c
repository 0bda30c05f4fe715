/* secret.c -- libsodium's argon2id for passwords, its CSPRNG and SHA-256 for tokens. */
#include "util/secret.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

/* What an unknown login's password is checked against, so that it costs what a wrong
 * password costs. Ready before the first sign-in (never made on first use, which would
 * make that one take twice as long): a hash made once with today's parameters, made
 * afresh by secret_init only if libsodium's interactive parameters ever change. */
static char dummy_hash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$fWLnnXDh7msOjgZRNaP55A"
    "$ty40Zl4tE13xtqoB9LnJ1b/dOs7ufZAywvvSHqKvKF8";

_Static_assert(crypto_pwhash_STRBYTES <= SECRET_HASH_SIZE, "hash buffer too small");

bool secret_init(void)
{
    if (sodium_init() < 0)
        return false;
    if (crypto_pwhash_str_needs_rehash(dummy_hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                       crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0)
        return true;
    return secret_hash_password("directline: no such user", dummy_hash);
}

const char *secret_dummy_hash(void)
{
    return dummy_hash;
}

bool secret_hash_password(const char *password, char hash[SECRET_HASH_SIZE])
{
    return crypto_pwhash_str_alg(hash, password, strlen(password),
                                 crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0;
}

/* Each verification takes 64 MiB and tens of milliseconds: at most
 * SECRET_MAX_CONCURRENT_VERIFICATIONS run at once, whichever threads ask, so a burst of
 * sign-ins (or of guesses) cannot take all memory and CPU. */
static pthread_mutex_t verify_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t verify_done = PTHREAD_COND_INITIALIZER;
static int verifying;

static bool verify_bounded(const char *hash, const char *password)
{
    pthread_mutex_lock(&verify_lock);
    while (verifying >= SECRET_MAX_CONCURRENT_VERIFICATIONS)
        pthread_cond_wait(&verify_done, &verify_lock);
    verifying++;
    pthread_mutex_unlock(&verify_lock);
    bool ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    pthread_mutex_lock(&verify_lock);
    verifying--;
    pthread_cond_signal(&verify_done);
    pthread_mutex_unlock(&verify_lock);
    return ok;
}

bool secret_verify_password(const char *hash, const char *password)
{
    if (!hash || !hash[0]) {
        /* The answer is always no; the call is only there to take the same time. */
        verify_bounded(dummy_hash, password);
        return false;
    }
    return verify_bounded(hash, password);
}

void secret_new_token(char token[SECRET_TOKEN_HEX])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, SECRET_TOKEN_HEX, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
}

void secret_token_hash(const char *token, char hash_hex[SECRET_TOKEN_HEX])
{
    secret_sha256_hex(token, strlen(token), hash_hex);
}

void secret_sha256_hex(const void *data, size_t len, char out[SECRET_TOKEN_HEX])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(out, SECRET_TOKEN_HEX, digest, sizeof digest);
}

void secret_sha256_base64(const void *data, size_t len, char out[SECRET_SHA256_BASE64])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2base64(out, SECRET_SHA256_BASE64, digest, sizeof digest,
                      sodium_base64_VARIANT_ORIGINAL);
}

bool secret_equal(const char *a, const char *b, size_t n)
{
    return sodium_memcmp(a, b, n) == 0;
}
