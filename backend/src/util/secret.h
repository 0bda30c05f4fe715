/* secret.h -- passwords (argon2id) and session tokens (random, stored only as hashes),
 * on libsodium. secret_init must run once before any other call. */
#ifndef DL_UTIL_SECRET_H
#define DL_UTIL_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#define SECRET_HASH_SIZE 128     /* fits libsodium's crypto_pwhash_STRBYTES */
#define SECRET_TOKEN_HEX 65      /* 32 random bytes as hex, with the NUL */

/* Password checks that run at once (each takes 64 MiB); more wait. */
#define SECRET_MAX_CONCURRENT_VERIFICATIONS 2

bool secret_init(void);
/* The hash a NULL hash is checked against (below): made by secret_init, never later. */
const char *secret_dummy_hash(void);
/* argon2id hash string of the password; false only when out of memory. */
bool secret_hash_password(const char *password, char hash[SECRET_HASH_SIZE]);
/* Constant work whether or not a user was found: a NULL hash is checked against a
 * dummy, so unknown logins take as long as wrong passwords. */
bool secret_verify_password(const char *hash, const char *password);
void secret_new_token(char token[SECRET_TOKEN_HEX]);
/* Hex SHA-256 of a token: what the sessions table keeps. */
void secret_token_hash(const char *token, char hash_hex[SECRET_TOKEN_HEX]);

/* Compares two secrets of n bytes in time that does not depend on where they differ. */
bool secret_equal(const char *a, const char *b, size_t n);

/* Hex SHA-256 of some bytes. */
void secret_sha256_hex(const void *data, size_t len, char out[SECRET_TOKEN_HEX]);

#define SECRET_SHA256_BASE64 45  /* 32 bytes in standard base64, with padding and NUL */
/* Base64 SHA-256 of some bytes, as a Content-Security-Policy hash source wants it. */
void secret_sha256_base64(const void *data, size_t len, char out[SECRET_SHA256_BASE64]);

#endif
