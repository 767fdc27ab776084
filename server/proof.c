/*
 * proof.c - appsecret_proof (see proof.h): HMAC-SHA256, compared in
 * constant time.
 */
#include "proof.h"

#include <stdlib.h>
#include <string.h>

#include "sha.h"
#include "util.h"

#define PROOF_LEN 64 /* hex digits of a SHA-256 MAC */

/* NULL when secret or token is NULL: there is nothing to prove. */
char *
appsecret_proof(const char *secret, const char *token, const char *time)
{
	unsigned char mac[SHA256_SIZE];
	char *msg, *out;

	if (secret == NULL || token == NULL)
		return NULL;
	msg = time != NULL ? xasprintf("%s|%s", token, time) : xstrdup(token);
	hmac_sha256(secret, strlen(secret), msg, strlen(msg), mac);
	free(msg);
	out = xmalloc(PROOF_LEN + 1);
	sha_hex(mac, SHA256_SIZE, out);
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
	volatile unsigned char diff = 0;
	char *want;
	size_t i;

	if (proof == NULL || strlen(proof) != PROOF_LEN)
		return false;
	for (i = 0; i < PROOF_LEN; i++)
		if (!((proof[i] >= '0' && proof[i] <= '9') ||
		    (proof[i] >= 'a' && proof[i] <= 'f')))
			return false;
	want = appsecret_proof(secret, token, time);
	if (want == NULL)
		return false;
	/* every byte is compared, whatever the first difference */
	for (i = 0; i < PROOF_LEN; i++)
		diff |= (unsigned char)(want[i] ^ proof[i]);
	free(want);
	return diff == 0;
}
