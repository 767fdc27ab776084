/*
 * response.h - what goes back on the wire: status, headers, body.  Built by
 * the pipeline, sent by http.c, also embedded in batch results.
 *
 * Ownership: a struct response owns its body and header values;
 * response_cleanup() frees them.  Header names are string literals.
 * Header values share one buffer of the response's (a value too long for
 * what is left of it gets its own), so the dozen headers of an answer
 * cost one allocation, not a dozen.
 */
#ifndef WABA_RESPONSE_H
#define WABA_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

#include "etag.h"

struct json_object;

struct header {
	const char *name; /* a string literal: never copied or freed */
	char *value;      /* in hbuf, or its own allocation (see own) */
};

/* More distinct header names than the code sets anywhere (13). */
#define RESPONSE_HEADERS_MAX 16
#define RESPONSE_HBUF_SIZE 512

struct response {
	int status;
	char *body; /* NUL-terminated; body_len excludes the NUL */
	size_t body_len;
	const char *content_type; /* static string; NULL = JSON */
	struct header headers[RESPONSE_HEADERS_MAX];
	size_t nheaders;
	unsigned own; /* bit i: headers[i].value is an allocation of its own */
	char *hbuf;   /* RESPONSE_HBUF_SIZE bytes, made on the first header */
	size_t hused;
	char etag[ETAG_SIZE]; /* the body's ETag when known, else "" */
	unsigned latency_ms;  /* fault injection: delay before answering */
	bool drop;            /* fault injection: close without answering */
	bool stream;          /* no body: http.c streams the live events */
};

/* Sets (replacing, case-insensitively) a header; name must be a literal. */
void response_header(struct response *resp, const char *name,
    const char *value);
const char *response_get_header(const struct response *resp, const char *name);
/* Serialises obj compactly (Graph style, "\/" escaped); obj stays the caller's. */
void response_json(struct response *resp, int status, struct json_object *obj);
/* Takes over body (malloc'd) with etag, the body's ETag already made. */
void response_answer(struct response *resp, int status, char *body, size_t len,
    const char etag[ETAG_SIZE]);
/* Takes over body (malloc'd). */
void response_text(struct response *resp, int status, const char *ctype,
    char *body);
void response_cleanup(struct response *resp);

#endif
