/*
 * proof.c - appsecret_proof (see proof.h): HMAC-SHA256 from OpenSSL's
 * libcrypto, compared in constant time.
 */
#include "proof.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define PROOF_LEN 64 /* hex digits of a SHA-256 MAC */

/* NULL when secret or token is NULL: there is nothing to prove. */
char *
appsecret_proof(const char *secret, const char *token, const char *time)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0, i;
	char *msg, *out;

	if (secret == NULL || token == NULL)
		return NULL;
	msg = time != NULL ? xasprintf("%s|%s", token, time) : xstrdup(token);
	if (HMAC(EVP_sha256(), secret, (int)strlen(secret),
	    (const unsigned char *)msg, strlen(msg), mac, &maclen) == NULL) {
		free(msg);
		return NULL;
	}
	free(msg);
	out = xmalloc((size_t)maclen * 2 + 1);
	for (i = 0; i < maclen; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 0xf];
	}
	out[2 * maclen] = '\0';
	return out;
}

/*
 * The SDKs all send lowercase hex, so anything else (uppercase included)
 * is a wrong proof; the shape check leaks nothing about the secret.
 */
bool
appsecret_proof_ok(const char *secret, const char *token, const char *time,
    const char *proof)
{
	char *want;
	size_t i;
	bool ok;

	if (proof == NULL || strlen(proof) != PROOF_LEN)
		return false;
	for (i = 0; i < PROOF_LEN; i++)
		if (!((proof[i] >= '0' && proof[i] <= '9') ||
		    (proof[i] >= 'a' && proof[i] <= 'f')))
			return false;
	want = appsecret_proof(secret, token, time);
	if (want == NULL)
		return false;
	ok = strlen(want) == PROOF_LEN &&
	    CRYPTO_memcmp(want, proof, PROOF_LEN) == 0;
	free(want);
	return ok;
}
