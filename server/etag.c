/*
 * etag.c - SHA-1 ETags (see etag.h).
 */
#include "etag.h"

#include "sha.h"

void
etag_of(const char *body, size_t len, char out[ETAG_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[SHA1_SIZE];
	size_t i;

	sha1(body, len, md);
	out[0] = '"';
	for (i = 0; i < SHA1_SIZE; i++) {
		out[1 + 2 * i] = digits[md[i] >> 4];
		out[2 + 2 * i] = digits[md[i] & 15];
	}
	out[41] = '"';
	out[42] = '\0';
}
