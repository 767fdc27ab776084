/*
 * proof.c - appsecret_proof (see proof.h): Nettle's HMAC-SHA256 in hex,
 * compared with its constant-time memeql_sec().
 */
#include "proof.h"

#include <nettle/base16.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <string.h>

#include "util.h"

#define PROOF_LEN BASE16_ENCODE_LENGTH(SHA256_DIGEST_SIZE)

/* The proof of token (and time) into out; the message is never copied. */
static void
proof_hex(const char *secret, const char *token, const char *time,
    char out[PROOF_LEN + 1])
{
	struct hmac_sha256_ctx ctx;
	uint8_t mac[SHA256_DIGEST_SIZE];

	hmac_sha256_set_key(&ctx, strlen(secret), (const uint8_t *)secret);
	hmac_sha256_update(&ctx, strlen(token), (const uint8_t *)token);
	if (time != NULL) {
		hmac_sha256_update(&ctx, 1, (const uint8_t *)"|");
		hmac_sha256_update(&ctx, strlen(time), (const uint8_t *)time);
	}
	hmac_sha256_digest(&ctx, SHA256_DIGEST_SIZE, mac);
	base16_encode_update(out, SHA256_DIGEST_SIZE, mac);
	out[PROOF_LEN] = '\0';
}

/* NULL when secret or token is NULL: there is nothing to prove. */
char *
appsecret_proof(const char *secret, const char *token, const char *time)
{
	char *out;

	if (secret == NULL || token == NULL)
		return NULL;
	out = xmalloc(PROOF_LEN + 1);
	proof_hex(secret, token, time, out);
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
	char want[PROOF_LEN + 1];
	size_t i;

	if (secret == NULL || token == NULL || proof == NULL ||
	    strlen(proof) != PROOF_LEN)
		return false;
	for (i = 0; i < PROOF_LEN; i++)
		if (!((proof[i] >= '0' && proof[i] <= '9') ||
		        (proof[i] >= 'a' && proof[i] <= 'f')))
			return false;
	proof_hex(secret, token, time, want);
	return memeql_sec(want, proof, PROOF_LEN) != 0;
}
