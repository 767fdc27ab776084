/*
 * hostcheck.c - the Host and Origin rules of hostcheck.h.  A page on any
 * site can make a browser send requests to 127.0.0.1, and a name it
 * controls can be re-pointed at 127.0.0.1 (DNS rebinding), after which
 * the page reads the answers as its own.  The browser still sends the
 * name it looked up as Host, and Origin and Sec-Fetch-Site on the
 * requests a page makes, so these headers tell such calls apart.
 */
#include "hostcheck.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "request.h"

/* True when s[0..n) is a dotted quad starting 127. */
static bool
loopback_v4(const char *s, size_t n)
{
	unsigned part = 0, dots = 0, digits = 0;
	size_t i;

	if (n < 9 || strncmp(s, "127.", 4) != 0)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (digits == 0 || ++dots > 3)
				return false;
			part = 0;
			digits = 0;
		} else if (s[i] >= '0' && s[i] <= '9' && digits < 3) {
			part = part * 10 + (unsigned)(s[i] - '0');
			digits++;
			if (part > 255)
				return false;
		} else {
			return false;
		}
	}
	return dots == 3 && digits > 0;
}

bool
hostcheck_host(const struct config *cfg, const char *host)
{
	const char *colon;
	size_t n, i;

	/* HTTP/1.0 may leave Host out; no browser does */
	if (!cfg->host_loopback_only || host == NULL)
		return true;
	/* the name is what comes before ":port"; "[v6]" keeps its brackets */
	if (host[0] == '[') {
		colon = strchr(host, ']');
		n = colon != NULL ? (size_t)(colon - host) + 1 : strlen(host);
	} else {
		n = strcspn(host, ":");
	}
	if (host[n] == ':') {
		/* ":" and one digit or more, to the end */
		const char *d = host + n + 1;

		if (*d == '\0')
			return false;
		while (*d >= '0' && *d <= '9')
			d++;
		if (*d != '\0')
			return false;
	} else if (host[n] != '\0') {
		return false;
	}
	if ((n == 9 && strncasecmp(host, "localhost", 9) == 0) ||
	    (n == 5 && strncmp(host, "[::1]", 5) == 0) || loopback_v4(host, n))
		return true;
	for (i = 0; i < cfg->nallow_hosts; i++)
		if (strlen(cfg->allow_hosts[i]) == n &&
		    strncasecmp(host, cfg->allow_hosts[i], n) == 0)
			return true;
	return false;
}

bool
hostcheck_same_origin(const struct request *rq)
{
	const char *fs = rq->fetch_site;

	/* "same-site" too: another port of localhost is the same site */
	if (fs != NULL &&
	    (strcasecmp(fs, "cross-site") == 0 ||
	        strcasecmp(fs, "same-site") == 0))
		return false;
	if (rq->origin == NULL)
		return true;
	return rq->host != NULL && strncasecmp(rq->origin, "http://", 7) == 0 &&
	    strcasecmp(rq->origin + 7, rq->host) == 0;
}
