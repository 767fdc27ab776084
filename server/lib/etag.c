/*
 * etag.c - SHA-1 ETags (see etag.h), hashed and hex-encoded by Nettle.
 */
#include "etag.h"

#include <nettle/base16.h>
#include <nettle/sha1.h>

_Static_assert(ETAG_SIZE == BASE16_ENCODE_LENGTH(SHA1_DIGEST_SIZE) + 3,
    "an ETag is the quoted hex of a SHA-1 and a NUL");

void
etag_of(const char *body, size_t len, char out[ETAG_SIZE])
{
	struct sha1_ctx ctx;
	uint8_t md[SHA1_DIGEST_SIZE];

	sha1_init(&ctx);
	sha1_update(&ctx, len, (const uint8_t *)body);
	sha1_digest(&ctx, SHA1_DIGEST_SIZE, md);
	out[0] = '"';
	base16_encode_update(out + 1, SHA1_DIGEST_SIZE, md);
	out[ETAG_SIZE - 2] = '"';
	out[ETAG_SIZE - 1] = '\0';
}
