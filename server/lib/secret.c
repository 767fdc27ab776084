/*
 * secret.c - see secret.h.  Nettle does the work: SHA-256 makes both sides
 * the same length, memeql_sec() compares them in constant time.
 */
#include "secret.h"

#include <nettle/memops.h>
#include <nettle/sha2.h>
#include <string.h>

static void
digest(const char *s, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(s), (const uint8_t *)s);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

bool
secret_equal(const char *a, const char *b)
{
	uint8_t da[SHA256_DIGEST_SIZE], db[SHA256_DIGEST_SIZE];

	if (a == NULL || b == NULL)
		return false;
	digest(a, da);
	digest(b, db);
	return memeql_sec(da, db, SHA256_DIGEST_SIZE) != 0;
}
