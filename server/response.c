/*
 * response.c - see response.h.
 */
#include "response.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

void
response_header(struct response *resp, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < resp->nheaders; i++) {
		const char *h = resp->headers[i].name;

		/* the first letter rules out nearly every other header */
		if ((h[0] | 32) == (name[0] | 32) && strcasecmp(h, name) == 0) {
			free(resp->headers[i].value);
			resp->headers[i].value = xstrdup(value);
			return;
		}
	}
	if (resp->nheaders == resp->capheaders) {
		resp->capheaders = resp->capheaders ? resp->capheaders * 2 : 16;
		resp->headers = xrealloc(resp->headers,
		    resp->capheaders * sizeof(*resp->headers));
	}
	resp->headers[resp->nheaders].name = name;
	resp->headers[resp->nheaders].value = xstrdup(value);
	resp->nheaders++;
}

const char *
response_get_header(const struct response *resp, const char *name)
{
	size_t i;

	for (i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0)
			return resp->headers[i].value;
	return NULL;
}

void
response_json(struct response *resp, int status, struct json_object *obj)
{
	const char *s;
	size_t n;

	s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN, &n);
	free(resp->body);
	resp->body = xstrndup(s, n);
	resp->body_len = n;
	resp->status = status;
	resp->content_type = NULL;
}

void
response_text(struct response *resp, int status, const char *ctype,
    char *body)
{
	free(resp->body);
	resp->body = body;
	resp->body_len = strlen(body);
	resp->status = status;
	resp->content_type = ctype;
}

void
response_cleanup(struct response *resp)
{
	size_t i;

	for (i = 0; i < resp->nheaders; i++) {
		free(resp->headers[i].value);
	}
	free(resp->headers);
	free(resp->body);
	memset(resp, 0, sizeof(*resp));
}
