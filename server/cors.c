/*
 * cors.c - see cors.h.  Every Graph answer already carries
 * Access-Control-Allow-Origin: * (pipeline.c); a preflight adds the three
 * Graph verbs and reflects the headers the browser asks for, so a page
 * may send DELETE, a JSON body or an Authorization header.  Credentials
 * are never allowed: a token travels in the call, not in a cookie.
 */
#include "cors.h"

#include <string.h>

#include "request.h"
#include "util.h"

/* The characters of a header-name list: tokens, commas and spaces. */
static bool
is_name_list(const char *s)
{
	static const char extra[] = "!#$%&'*+-.^_`|~, \t";

	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		        (*s >= '0' && *s <= '9') || strchr(extra, *s) != NULL))
			return false;
	return true;
}

bool
cors_preflight(struct request *rq)
{
	struct response *resp = &rq->resp;

	if (rq->method == NULL || strcmp(rq->method, "OPTIONS") != 0 ||
	    rq->origin == NULL || rq->acr_method == NULL)
		return false;
	response_text(resp, 200, "text/plain; charset=UTF-8", xstrdup(""));
	response_header(resp, "Access-Control-Allow-Origin", "*");
	response_header(resp, "Access-Control-Allow-Methods",
	    "GET, POST, DELETE");
	if (rq->acr_headers != NULL && is_name_list(rq->acr_headers))
		response_header(resp, "Access-Control-Allow-Headers",
		    rq->acr_headers);
	response_header(resp, "Vary",
	    "Origin, Access-Control-Request-Method, "
	    "Access-Control-Request-Headers");
	return true;
}
