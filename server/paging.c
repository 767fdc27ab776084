/*
 * paging.c - cursors, limit= and the paging object of list edges (see
 * paging.h).  Paging is keyset-based: a cursor names the (k1, k2) key of
 * a row, and the store seeks past it, so every page costs the same.
 *
 * A cursor is base64url of "wc1:K1:K2" (decimal).  The tag rejects
 * strings that are not ours and leaves room for a second format; the
 * decoder also insists on the canonical spelling, so each key has
 * exactly one cursor.
 *
 * A cursor that does not decode answers "(#100) Param after must be a
 * valid cursor" (or before): real Graph's wording for our edges was never
 * captured, and its Insights answer ("(#2642) Invalid cursors values")
 * uses a code this emulator has no row for.
 */
#include "paging.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "request.h"
#include "util.h"

#define CURSOR_TAG "wc1:"

char *
cursor_encode(int64_t k1, int64_t k2)
{
	char buf[64];
	int n;

	n = snprintf(buf, sizeof(buf), CURSOR_TAG "%" PRId64 ":%" PRId64, k1,
	    k2);
	return b64url_encode(buf, (size_t)n);
}

/* One decimal int64 at *p (optional '-', no leading zeros), up to stop. */
static int
read_key(const char **p, char stop, int64_t *out)
{
	const char *s = *p;
	bool neg = false;
	uint64_t v = 0, lim;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (*s < '0' || *s > '9' || (*s == '0' && s[1] >= '0' && s[1] <= '9'))
		return -1;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (lim - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s != stop || (neg && v == 0))
		return -1;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	*p = s;
	return 0;
}

int
cursor_decode(const char *s, int64_t *k1, int64_t *k2)
{
	unsigned char *raw;
	const char *p;
	char *again;
	size_t n;
	int64_t a, b;
	int rc = -1;

	if (s == NULL || *s == '\0' || strlen(s) > 80)
		return -1;
	raw = b64url_decode(s, &n);
	if (raw == NULL)
		return -1;
	p = (const char *)raw;
	if (strlen(p) != n || strncmp(p, CURSOR_TAG, strlen(CURSOR_TAG)) != 0)
		goto out;
	p += strlen(CURSOR_TAG);
	if (read_key(&p, ':', &a) < 0)
		goto out;
	p++;
	if (read_key(&p, '\0', &b) < 0)
		goto out;
	/* base64 has spare bits: only our own spelling is a cursor */
	again = cursor_encode(a, b);
	if (strcmp(again, s) == 0) {
		*k1 = a;
		*k2 = b;
		rc = 0;
	}
	free(again);
out:
	free(raw);
	return rc;
}

/*
 * limit=: digits only, 1 or more (0 too when counting); large values
 * clamp.
 */
static int
read_limit(const char *v, bool counting, int *out, struct gerr *err)
{
	long n = 0;
	const char *s;

	for (s = v; *s >= '0' && *s <= '9'; s++)
		if (n <= PAGING_MAX_LIMIT)
			n = n * 10 + (*s - '0');
	if (*v == '\0' || *s != '\0' || (n == 0 && !counting))
		return gerr_set(err, GE_PARAM,
		    "(#100) Param limit must be a "
		    "positive integer");
	*out = n > PAGING_MAX_LIMIT ? PAGING_MAX_LIMIT : (int)n;
	return 0;
}

bool
paging_summary(const struct request *rq)
{
	const char *s = params_get(&rq->params, "summary");

	return s != NULL &&
	    (strcmp(s, "total_count") == 0 || strcmp(s, "true") == 0 ||
	        strcmp(s, "1") == 0);
}

int
paging_read(const struct request *rq, struct list_query *q, struct gerr *err)
{
	const char *limit = params_get(&rq->params, "limit");
	const char *after = params_get(&rq->params, "after");
	const char *before = params_get(&rq->params, "before");
	const char *name = after != NULL ? "after" : "before";
	const char *cur = after != NULL ? after : before;
	int64_t k1, k2;

	q->limit = PAGING_DEFAULT_LIMIT;
	if (limit != NULL &&
	    read_limit(limit, paging_summary(rq), &q->limit, err) < 0)
		return -1;
	memset(&q->pos, 0, sizeof(q->pos));
	if (cur == NULL)
		return 0;
	/* both given: after wins, as the next link is what clients follow */
	if (cursor_decode(cur, &k1, &k2) < 0)
		return gerr_set(err, GE_PARAM,
		    "(#100) Param %s must be a "
		    "valid cursor",
		    name);
	q->pos.dir = after != NULL ? 1 : -1;
	q->pos.k1 = k1;
	q->pos.k2 = k2;
	return 0;
}

char *
paging_url(const struct request *rq, const char *name, const char *cursor)
{
	struct sbuf sb = SBUF_INIT;
	bool header_token = rq->token_source == TOKEN_HEADER &&
	    rq->token != NULL;
	size_t i;

	sbuf_addstr(&sb, "http://");
	sbuf_addstr(&sb,
	    rq->host != NULL && *rq->host != '\0' ? rq->host : "127.0.0.1");
	sbuf_addstr(&sb, rq->path != NULL ? rq->path : "/");
	sbuf_addch(&sb, '?');
	for (i = 0; i < rq->params.n; i++) {
		const struct param *pm = &rq->params.v[i];

		if (strcmp(pm->name, "after") == 0 ||
		    strcmp(pm->name, "before") == 0)
			continue;
		/* an unused (empty) access_token= gives way to the header's */
		if (header_token && strcmp(pm->name, "access_token") == 0)
			continue;
		url_encode(&sb, pm->name);
		sbuf_addch(&sb, '=');
		url_encode(&sb, pm->value);
		sbuf_addch(&sb, '&');
	}
	/* clients follow the link verbatim: a header token must ride along */
	if (header_token) {
		sbuf_addstr(&sb, "access_token=");
		url_encode(&sb, rq->token);
		sbuf_addch(&sb, '&');
	}
	sbuf_addstr(&sb, name);
	sbuf_addch(&sb, '=');
	url_encode(&sb, cursor);
	return sbuf_detach(&sb);
}

struct json_object *
paging_wrap(const struct request *rq, const struct list_query *q,
    struct list_page *page,
    struct json_object *(*render)(void *ctx, struct json_object *row),
    void *ctx)
{
	struct json_object *out = json_object_new_object(), *data, *paging,
	                   *cursors, *rows = page->rows;
	char *before, *after, *url;
	size_t i, n = rows != NULL ? json_object_array_length(rows) : 0;
	bool has_next, has_prev, more = page->more;

	page->rows = NULL;
	data = json_object_new_array_ext((int)(n > 0 ? n : 1));
	json_object_object_add(out, "data", data);
	if (n == 0) {
		json_object_put(rows);
		return out;
	}
	before = cursor_encode(page->first[0], page->first[1]);
	after = cursor_encode(page->last[0], page->last[1]);

	for (i = 0; i < n; i++) {
		struct json_object *row = json_object_array_get_idx(rows, i),
		                   *item;

		item = render != NULL ? render(ctx, row) : json_object_get(row);
		if (item != NULL)
			json_object_array_add(data, item);
	}
	json_object_put(rows);

	/* more looks ahead in the direction of travel only */
	has_next = q->pos.dir >= 0 ? more : true;
	has_prev = q->pos.dir == 0 ? false : q->pos.dir > 0 ? true : more;

	paging = json_object_new_object();
	cursors = json_object_new_object();
	json_object_object_add(cursors, "before",
	    json_object_new_string(before));
	json_object_object_add(cursors, "after", json_object_new_string(after));
	json_object_object_add(paging, "cursors", cursors);
	if (has_prev) {
		url = paging_url(rq, "before", before);
		json_object_object_add(paging, "previous",
		    json_object_new_string(url));
		free(url);
	}
	if (has_next) {
		url = paging_url(rq, "after", after);
		json_object_object_add(paging, "next",
		    json_object_new_string(url));
		free(url);
	}
	json_object_object_add(out, "paging", paging);
	free(before);
	free(after);
	return out;
}
