#ifndef MIMAMORI_CSODIUM_SHIM_H
#define MIMAMORI_CSODIUM_SHIM_H

#include <sodium.h>

/// Hashes a password with argon2id at libsodium's "interactive" limits into a standard
/// `$argon2id$v=19$...` string (`out` holds `crypto_pwhash_STRBYTES`). Returns 0 on success.
static inline int csodium_hash_password(char *out, const char *password, unsigned long long length) {
    return crypto_pwhash_str(out, password, length, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

/// 0 when `password` matches `hash`.
static inline int csodium_verify_password(const char *hash, const char *password, unsigned long long length) {
    return crypto_pwhash_str_verify(hash, password, length);
}

static inline size_t csodium_hash_length(void) { return crypto_pwhash_STRBYTES; }

/// Fills `buffer` with `length` random bytes from the operating system's CSPRNG.
static inline void csodium_random(void *buffer, size_t length) { randombytes_buf(buffer, length); }

/// The SHA-256 digest of `input` (`out` holds 32 bytes).
static inline int csodium_sha256(unsigned char *out, const unsigned char *input, unsigned long long length) {
    return crypto_hash_sha256(out, input, length);
}

/// A 32-byte BLAKE2b digest of `input` (for high-entropy secrets such as tokens).
static inline int csodium_digest32(unsigned char *out, const unsigned char *input, unsigned long long length) {
    return crypto_generichash(out, 32, input, length, NULL, 0);
}

/// HMAC-SHA-256 of `message` under a key of any length (`out` holds 32 bytes).
static inline int csodium_hmac_sha256(unsigned char *out, const unsigned char *key, size_t key_length,
                                      const unsigned char *message, unsigned long long length) {
    crypto_auth_hmacsha256_state state;
    if (crypto_auth_hmacsha256_init(&state, key, key_length) != 0) return -1;
    if (crypto_auth_hmacsha256_update(&state, message, length) != 0) return -1;
    return crypto_auth_hmacsha256_final(&state, out);
}

#endif
