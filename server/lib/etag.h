/*
 * etag.h - the ETag of a body, as the Graph API sends it on a successful
 * GET: the body's SHA-1 in lower-case hex, in double quotes.
 */
#ifndef WABA_ETAG_H
#define WABA_ETAG_H

#include <stddef.h>

/* '"', 40 hex digits, '"' and the NUL. */
#define ETAG_SIZE 43

/* Writes body's ETag to out. */
void etag_of(const char *body, size_t len, char out[ETAG_SIZE]);

#endif
