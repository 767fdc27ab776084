/*
 * response.c - see response.h.
 */
#include "response.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonout.h"
#include "util.h"

_Static_assert(RESPONSE_HEADERS_MAX <= sizeof(unsigned) * 8,
    "struct response's own has a bit per header");

static void
set_value(struct response *resp, size_t i, const char *value)
{
	struct header *h = &resp->headers[i];
	size_t n = strlen(value) + 1;

	if (resp->own & 1u << i)
		free(h->value);
	if (resp->hbuf == NULL)
		resp->hbuf = xmalloc(RESPONSE_HBUF_SIZE);
	resp->own &= ~(1u << i);
	if (n > RESPONSE_HBUF_SIZE - resp->hused) {
		resp->own |= 1u << i;
		h->value = xstrdup(value);
		return;
	}
	/* a replaced value's bytes stay used: replacing is rare */
	h->value = resp->hbuf + resp->hused;
	memcpy(h->value, value, n);
	resp->hused += n;
}

void
response_header(struct response *resp, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < resp->nheaders; i++) {
		const char *h = resp->headers[i].name;

		/* the first letter rules out nearly every other header */
		if ((h[0] | 32) == (name[0] | 32) && strcasecmp(h, name) == 0) {
			set_value(resp, i, value);
			return;
		}
	}
	/* names are literals of this program, fewer than the table holds */
	if (resp->nheaders == RESPONSE_HEADERS_MAX)
		abort();
	resp->headers[resp->nheaders].name = name;
	resp->own &= ~(1u << resp->nheaders);
	set_value(resp, resp->nheaders, value);
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
	struct sbuf sb = SBUF_INIT;

	/* a node read fits, and stays under glibc's large-chunk line */
	sbuf_grow(&sb, 960);
	jsonout(&sb, obj);
	free(resp->body);
	resp->body_len = sb.len;
	resp->body = sbuf_detach(&sb);
	resp->status = status;
	resp->content_type = NULL;
	resp->etag[0] = '\0';
}

void
response_answer(struct response *resp, int status, char *body, size_t len,
    const char etag[ETAG_SIZE])
{
	free(resp->body);
	resp->body = body;
	resp->body_len = len;
	resp->status = status;
	resp->content_type = NULL;
	memcpy(resp->etag, etag, sizeof(resp->etag));
}

void
response_text(struct response *resp, int status, const char *ctype, char *body)
{
	free(resp->body);
	resp->body = body;
	resp->body_len = strlen(body);
	resp->status = status;
	resp->content_type = ctype;
	resp->etag[0] = '\0';
}

void
response_cleanup(struct response *resp)
{
	size_t i;

	for (i = 0; i < resp->nheaders; i++)
		if (resp->own & 1u << i)
			free(resp->headers[i].value);
	free(resp->hbuf);
	free(resp->body);
	/* the header buffer needs no clearing: hused says what is in it */
	resp->status = 0;
	resp->body = NULL;
	resp->body_len = 0;
	resp->content_type = NULL;
	resp->nheaders = 0;
	resp->own = 0;
	resp->hbuf = NULL;
	resp->hused = 0;
	resp->latency_ms = 0;
	resp->drop = false;
	resp->stream = false;
	resp->etag[0] = '\0';
}
