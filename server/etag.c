/*
 * etag.c - SHA-1 ETags.
 *
 * SHA-1 is fetched once: EVP_sha1() would look the algorithm up in
 * OpenSSL's provider tables on every call, which costs more than hashing
 * the body.  Fetched algorithms may be shared between threads; a digest
 * context may not, so each thread keeps its own, freed when it exits.
 */
#include "etag.h"

#include <openssl/evp.h>
#include <pthread.h>

static EVP_MD *sha1_md;
static pthread_key_t sha1_ctx_key;
static pthread_once_t sha1_once = PTHREAD_ONCE_INIT;

static void
sha1_ctx_free(void *ctx)
{
	EVP_MD_CTX_free(ctx);
}

static void
sha1_fetch(void)
{
	sha1_md = EVP_MD_fetch(NULL, "SHA1", NULL);
	if (sha1_md != NULL &&
	    pthread_key_create(&sha1_ctx_key, sha1_ctx_free) != 0) {
		EVP_MD_free(sha1_md);
		sha1_md = NULL;
	}
}

/* The calling thread's SHA-1 context, NULL when OpenSSL has none. */
static EVP_MD_CTX *
sha1_ctx(void)
{
	EVP_MD_CTX *ctx;

	pthread_once(&sha1_once, sha1_fetch);
	if (sha1_md == NULL)
		return NULL;
	ctx = pthread_getspecific(sha1_ctx_key);
	if (ctx == NULL && (ctx = EVP_MD_CTX_new()) != NULL &&
	    pthread_setspecific(sha1_ctx_key, ctx) != 0) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

bool
etag_of(const char *body, size_t len, char out[ETAG_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	EVP_MD_CTX *ctx = sha1_ctx();

	if (ctx == NULL || EVP_DigestInit_ex(ctx, sha1_md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, body, len) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &n) != 1 || n != 20)
		return false;
	out[0] = '"';
	for (i = 0; i < n; i++) {
		out[1 + 2 * i] = digits[md[i] >> 4];
		out[2 + 2 * i] = digits[md[i] & 15];
	}
	out[41] = '"';
	out[42] = '\0';
	return true;
}
