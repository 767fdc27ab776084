/*
 * etag.c - SHA-1 ETags (see etag.h).
 */
#include "etag.h"

#include "sha.h"

void
etag_of(const char *body, size_t len, char out[ETAG_SIZE])
{
	unsigned char md[SHA1_SIZE];

	sha1(body, len, md);
	out[0] = '"';
	sha_hex(md, SHA1_SIZE, out + 1);
	out[41] = '"';
	out[42] = '\0';
}
