/*
 * handshake.c - see handshake.h.  The failure text follows Graph's 2200
 * message: "(#2200) Callback verification failed with the following
 * errors: HTTP Status Code = 404; HTTP Message = Not Found", with
 * curl_errno and status 0 when no answer came.
 */
#include "webhooks/handshake.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "clock.h"
#include "util.h"
#include "webhooks/allow.h"
#include "webhooks/curl.h"

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

int
handshake_verify(const char *callback, const char *verify_token,
    const char *challenge, char *const *allow, size_t nallow, char **cause)
{
	struct sbuf url = SBUF_INIT, body = SBUF_INIT;
	char digits[24], errbuf[CURL_ERROR_SIZE] = "", *why = NULL;
	long status = 0;
	const struct webhook_curl *c;
	const char *unloaded = NULL;
	CURLcode cc;
	CURL *h = NULL;
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
	c = webhook_curl(&unloaded);
	if (c != NULL)
		h = c->easy_init();
	if (h == NULL) {
		*cause = xasprintf(MSG_2200 "curl_errno = 2; %s%s"
		                            "HTTP Status Code = 0",
		    unloaded != NULL ? unloaded : "",
		    unloaded != NULL ? "; " : "");
		goto out;
	}
	c->easy_setopt(h, CURLOPT_URL, url.buf);
	c->easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	c->easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	c->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	c->easy_setopt(h, CURLOPT_TIMEOUT, (long)WEBHOOK_TIMEOUT);
	c->easy_setopt(h, CURLOPT_USERAGENT, WEBHOOK_USER_AGENT);
	c->easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	c->easy_setopt(h, CURLOPT_WRITEDATA, &body);
	c->easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	cc = c->easy_perform(h);
	c->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	c->easy_cleanup(h);
	if (cc != CURLE_OK && !(cc == CURLE_WRITE_ERROR && status != 0)) {
		*cause = xasprintf(MSG_2200 "curl_errno = %d; curl_error = %s; "
		                            "HTTP Status Code = 0",
		    (int)cc, *errbuf ? errbuf : c->easy_strerror(cc));
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
