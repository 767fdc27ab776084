/*
 * allow.c - see allow.h.  The host is read from the URL the way curl
 * reads it (userinfo before '@', brackets around IPv6), and deliveries
 * are made with redirects off, so the host checked is the host called.
 */
#include "webhooks/allow.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static bool
is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (strcasecmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6) ||
		    (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127);
	return false;
}

bool
allow_url(const char *url, char *const *hosts, size_t n, char **cause)
{
	const char *p, *end, *at;
	char *host;
	size_t i;
	bool ok;

	if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		p = url + 8;
	else {
		*cause = xasprintf("the callback URL %s is not an http or "
		                   "https URL",
		    url);
		return false;
	}
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	while (at != NULL) { /* the last '@' ends the userinfo */
		p = at + 1;
		at = memchr(p, '@', (size_t)(end - p));
	}
	if (*p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));

		if (close == NULL)
			goto bad;
		host = xstrndup(p + 1, (size_t)(close - p - 1));
	} else {
		const char *colon = memchr(p, ':', (size_t)(end - p));

		host = xstrndup(p, (size_t)((colon ? colon : end) - p));
	}
	if (*host == '\0') {
		free(host);
		goto bad;
	}
	ok = is_loopback(host);
	for (i = 0; !ok && i < n; i++)
		ok = strcasecmp(host, hosts[i]) == 0;
	if (!ok)
		*cause = xasprintf("the callback host %s is not a loopback "
		                   "host and not listed with --webhook-allow",
		    host);
	free(host);
	return ok;
bad:
	*cause = xasprintf("the callback URL %s has no host", url);
	return false;
}
