/*
 * handshake.c - see handshake.h.  The failure text follows Graph's 2200
 * message: "(#2200) Callback verification failed with the following
 * errors: HTTP Status Code = 404; HTTP Message = Not Found", with
 * curl_errno and status 0 when no answer came.
 */
#include "webhooks/handshake.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "clock.h"
#include "util.h"
#include "webhooks/allow.h"

#define MSG_2200 \
	"(#2200) Callback verification failed with the " \
	"following errors: "
/* a challenge echo is short; a page of HTML is not one */
#define MAX_ANSWER 4096

static size_t
collect(char *data, size_t size, size_t n, void *arg)
{
	struct sbuf *sb = arg;

	if (sb->len + size * n > MAX_ANSWER)
		return 0;
	sbuf_add(sb, data, size * n);
	return size * n;
}

static const char *
reason(long status)
{
	switch (status) {
	case 200:
		return "OK";
	case 301:
		return "Moved Permanently";
	case 302:
		return "Found";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 500:
		return "Internal Server Error";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return "Unknown";
	}
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static atomic_bool curl_ready;

static void
curl_setup(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	atomic_store(&curl_ready, true);
}

void
webhook_curl_init(void)
{
	pthread_once(&curl_once, curl_setup);
}

void
webhook_curl_cleanup(void)
{
	if (atomic_exchange(&curl_ready, false))
		curl_global_cleanup();
}

int
handshake_verify(const char *callback, const char *verify_token,
    const char *challenge, char *const *allow, size_t nallow, char **cause)
{
	struct sbuf url = SBUF_INIT, body = SBUF_INIT;
	char digits[24], errbuf[CURL_ERROR_SIZE] = "", *why = NULL;
	long status = 0;
	CURLcode cc;
	CURL *h;
	int rc = -1;

	if (!allow_url(callback, allow, nallow, &why)) {
		*cause = xasprintf(MSG_2200
		    "%s; the emulator calls loopback "
		    "hosts only, unless started with --webhook-allow HOST",
		    why);
		free(why);
		return -1;
	}
	if (challenge == NULL) {
		uint64_t r = 0;

		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (uint64_t)clock_mono_us();
		snprintf(digits, sizeof(digits), "%llu",
		    (unsigned long long)(r % 9000000000ULL + 1000000000ULL));
		challenge = digits;
	}
	sbuf_addstr(&url, callback);
	sbuf_addch(&url, strchr(callback, '?') ? '&' : '?');
	sbuf_addstr(&url, "hub.mode=subscribe&hub.challenge=");
	url_encode(&url, challenge);
	sbuf_addstr(&url, "&hub.verify_token=");
	url_encode(&url, verify_token ? verify_token : "");
	webhook_curl_init();
	h = curl_easy_init();
	if (h == NULL) {
		*cause = xstrdup(
		    MSG_2200 "curl_errno = 2; HTTP Status Code = 0");
		goto out;
	}
	curl_easy_setopt(h, CURLOPT_URL, url.buf);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)WEBHOOK_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_USERAGENT, WEBHOOK_USER_AGENT);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	if (cc != CURLE_OK && !(cc == CURLE_WRITE_ERROR && status != 0)) {
		*cause = xasprintf(MSG_2200 "curl_errno = %d; curl_error = %s; "
		                            "HTTP Status Code = 0",
		    (int)cc, *errbuf ? errbuf : curl_easy_strerror(cc));
		goto out;
	}
	if (status != 200) {
		*cause = xasprintf(MSG_2200 "HTTP Status Code = %ld; "
		                            "HTTP Message = %s",
		    status, reason(status));
		goto out;
	}
	if (body.len != strlen(challenge) || body.buf == NULL ||
	    memcmp(body.buf, challenge, body.len) != 0) {
		*cause = xstrdup(MSG_2200
		    "HTTP Status Code = 200; "
		    "HTTP Message = OK; the response body does not match "
		    "hub.challenge");
		goto out;
	}
	rc = 0;
out:
	sbuf_release(&url);
	sbuf_release(&body);
	return rc;
}
