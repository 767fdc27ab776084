/*
 * curl.h - libcurl, loaded on the first call out.  Debian's libcurl links
 * some twenty libraries (OpenSSL, GnuTLS, nghttp2, ssh2, LDAP, Kerberos,
 * ...) that the dynamic loader would map and relocate at every start, for
 * a server that most often never calls out: the binary is built against
 * libcurl's headers only, and webhook_curl() dlopen()s libcurl.so.4 the
 * first time a delivery or a callback check needs it.
 *
 * WABA_EMU_LIBCURL names another library to load instead; the tests use
 * it to make loading fail.
 */
#ifndef WABA_WEBHOOKS_CURL_H
#define WABA_WEBHOOKS_CURL_H

#include <curl/curl.h>

/* The libcurl functions the emulator calls, as loaded. */
struct webhook_curl {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	void (*easy_reset)(CURL *h);
	void (*easy_cleanup)(CURL *h);
	const char *(*easy_strerror)(CURLcode cc);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
};

/*
 * Loads libcurl and runs its global set-up, once, from whichever thread
 * asks first (curl_global_init() is not thread-safe).  The table, or NULL
 * when the library could not be loaded: then *why (static, may be NULL)
 * says why, and the failure was logged to stderr once.
 */
const struct webhook_curl *webhook_curl(const char **why);
/* Undoes the set-up at shutdown, when it was done and nothing calls out
 * any more.  The library stays mapped until the process exits. */
void webhook_curl_cleanup(void);

#endif
