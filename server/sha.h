/*
 * sha.h - SHA-1 and SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104): the
 * ETag of a body and appsecret_proof.
 *
 * Written here rather than taken from OpenSSL: loading libcrypto, with
 * its thousands of relocations, cost about 1.5 ms of every start-up, more
 * than the emulator ever spends hashing.  Nothing here is used for
 * secrecy beyond checking a proof the client computed.
 */
#ifndef WABA_SHA_H
#define WABA_SHA_H

#include <stddef.h>

#define SHA1_SIZE 20
#define SHA256_SIZE 32

void sha1(const void *data, size_t len, unsigned char out[SHA1_SIZE]);
void sha256(const void *data, size_t len, unsigned char out[SHA256_SIZE]);
void hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char out[SHA256_SIZE]);
/* A digest of n bytes as 2n lowercase hex digits and a NUL. */
void sha_hex(const unsigned char *md, size_t n, char *out);

#endif
