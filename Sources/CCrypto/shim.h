#ifndef MIMAMORI_CCRYPTO_SHIM_H
#define MIMAMORI_CCRYPTO_SHIM_H

// OpenSSL's libcrypto, for the one primitive libsodium does not offer: HMAC-SHA1, which
// TOTP (RFC 6238) uses with every authenticator app.
#include <openssl/evp.h>
#include <openssl/hmac.h>

/// HMAC-SHA1 of `message` under `key` into `out` (20 bytes). Returns 1 on success.
static inline int ccrypto_hmac_sha1(
    const unsigned char *key, int key_length, const unsigned char *message, size_t message_length, unsigned char *out) {
    unsigned int length = 20;
    return HMAC(EVP_sha1(), key, key_length, message, message_length, out, &length) != 0 && length == 20;
}

#endif
