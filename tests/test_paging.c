/*
 * test_paging.c - cursors, limit=, the paging object and next/previous
 * URLs.  Requests are built by hand (zeroed, then the fields paging
 * reads), so only the paging module and its small helpers are linked.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paging.h"
#include "request.h"
#include "util.h"
#include "suite.h"

/* A GET as http.c and the pipeline would leave it. */
static void
req_init(struct request *rq, const char *host, const char *path)
{
	memset(rq, 0, sizeof(*rq));
	rq->host = host != NULL ? xstrdup(host) : NULL;
	rq->path = xstrdup(path);
	snprintf(rq->verb, sizeof(rq->verb), "GET");
}

static void
req_free(struct request *rq)
{
	free(rq->host);
	free(rq->path);
	free(rq->token);
	params_cleanup(&rq->params);
}

static void
assert_json_eq(struct json_object *got, const char *want)
{
	struct json_object *w = json_tokener_parse(want);

	ck_assert_msg(w != NULL, "bad expectation %s", want);
	ck_assert_msg(json_object_equal(got, w), "got %s\nwant %s",
	    json_object_to_json_string_ext(got, JSON_C_TO_STRING_PLAIN),
	    json_object_to_json_string_ext(w, JSON_C_TO_STRING_PLAIN));
	json_object_put(w);
}

static bool
url_safe(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		        (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

START_TEST(test_cursor_round_trip)
{
	static const int64_t keys[][2] = {
		{ 0, 0 },
		{ 1600000000, 2000000000000001 },
		{ 1, -1 },
		{ INT64_MAX, INT64_MIN },
		{ INT64_MIN, INT64_MAX },
		{ 42, 999999999999999999 },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char *c = cursor_encode(keys[i][0], keys[i][1]);
		int64_t a = 7, b = 7;

		ck_assert(url_safe(c));
		ck_assert_int_eq(cursor_decode(c, &a, &b), 0);
		ck_assert_int_eq(a, keys[i][0]);
		ck_assert_int_eq(b, keys[i][1]);
		free(c);
	}
}
END_TEST

static void
assert_not_cursor(const char *s)
{
	int64_t a = 7, b = 7;

	ck_assert_msg(cursor_decode(s, &a, &b) == -1, "accepted %s", s);
	ck_assert_int_eq(a, 7);
	ck_assert_int_eq(b, 7);
}

/* base64url of arbitrary text, to forge near-miss cursors */
static void
assert_text_not_cursor(const char *text, size_t n)
{
	char *c = b64url_encode(text, n);

	assert_not_cursor(c);
	free(c);
}

START_TEST(test_cursor_junk)
{
	char *c, *d;
	int64_t a, b;

	assert_not_cursor(NULL);
	assert_not_cursor("");
	assert_not_cursor("abc");
	assert_not_cursor("!!!!");
	assert_not_cursor("QVFIUm9"); /* a real Graph cursor */
	assert_not_cursor("MAZDZD");
	assert_not_cursor("d2MxOjE6Mg=="); /* padding is not ours */
	assert_text_not_cursor("wc1:1", 5);
	assert_text_not_cursor("wc1:1:", 6);
	assert_text_not_cursor("wc1::2", 6);
	assert_text_not_cursor("xx1:1:2", 7);
	assert_text_not_cursor("wc2:1:2", 7);
	assert_text_not_cursor("wc1:01:2", 8);
	assert_text_not_cursor("wc1:1:2x", 8);
	assert_text_not_cursor("wc1:1:2:3", 9);
	assert_text_not_cursor("wc1:-0:1", 8);
	assert_text_not_cursor("wc1:+1:1", 8);
	assert_text_not_cursor("wc1: 1:1", 8);
	assert_text_not_cursor("wc1:9223372036854775808:1", 25);
	assert_text_not_cursor("wc1:1:-9223372036854775809", 26);
	assert_text_not_cursor("wc1:1:2\0", 8);
	assert_text_not_cursor("wc1:1\0:2", 8);

	/* one character more, or other spare bits, is someone else's */
	c = cursor_encode(5, 6);
	ck_assert_int_eq(cursor_decode(c, &a, &b), 0);
	d = xasprintf("%sA", c);
	assert_not_cursor(d);
	free(d);
	/* "wc1:5:6" is 56 bits in 60: the last character's low 4 are spare */
	ck_assert_str_eq(c, "d2MxOjU6Ng");
	assert_not_cursor("d2MxOjU6Nh");
	assert_not_cursor("d2MxOjU6Nv");
	d = xstrndup(c, strlen(c) - 1);
	assert_not_cursor(d);
	free(d);
	free(c);

	d = malloc(4097);
	memset(d, 'A', 4096);
	d[4096] = '\0';
	assert_not_cursor(d);
	free(d);
}
END_TEST

static void
read_ok(struct request *rq, int want_limit, int want_dir)
{
	struct list_query q;
	struct gerr err = { 0 };

	memset(&q, 0xff, sizeof(q));
	ck_assert_msg(paging_read(rq, &q, &err) == 0, "%s",
	    err.id != GE_NONE ? gerr_message(&err) : "");
	ck_assert_int_eq(q.limit, want_limit);
	ck_assert_int_eq(q.pos.dir, want_dir);
	if (want_dir == 0) {
		ck_assert_int_eq(q.pos.k1, 0);
		ck_assert_int_eq(q.pos.k2, 0);
	}
}

static void
read_fails(struct request *rq, const char *msg)
{
	struct list_query q;
	struct gerr err = { 0 };

	memset(&q, 0, sizeof(q));
	ck_assert_int_eq(paging_read(rq, &q, &err), -1);
	ck_assert_int_eq(gerr_code(&err), 100);
	ck_assert_str_eq(gerr_message(&err), msg);
	gerr_clear(&err);
}

START_TEST(test_limits)
{
	static const char *const good[][2] = {
		{ "1", "1" },
		{ "10", "10" },
		{ "25", "25" },
		{ "100", "100" },
		{ "101", "100" },
		{ "007", "7" },
		{ "5000", "100" },
		{ "99999999999999999999999999", "100" },
	};
	static const char *const bad[] = { "0", "000", "-1", "abc", "", "1.5",
		" 5", "5 ", "+5", "0x10", "1e2" };
	struct request rq;
	size_t i;

	req_init(&rq, NULL, "/1");
	read_ok(&rq, PAGING_DEFAULT_LIMIT, 0);
	ck_assert_int_eq(PAGING_DEFAULT_LIMIT, 25);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		params_set(&rq.params, "limit", good[i][0]);
		read_ok(&rq, atoi(good[i][1]), 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		params_set(&rq.params, "limit", bad[i]);
		read_fails(&rq,
		    "(#100) Param limit must be a positive integer");
	}
	req_free(&rq);
}
END_TEST

START_TEST(test_read_cursors)
{
	struct request rq;
	struct list_query q;
	struct gerr err = { 0 };
	char *c1 = cursor_encode(100, 5), *c2 = cursor_encode(200, 6);

	req_init(&rq, NULL, "/1");
	params_add(&rq.params, "after", c1);
	ck_assert_int_eq(paging_read(&rq, &q, &err), 0);
	ck_assert_int_eq(q.pos.dir, 1);
	ck_assert_int_eq(q.pos.k1, 100);
	ck_assert_int_eq(q.pos.k2, 5);
	params_cleanup(&rq.params);

	params_add(&rq.params, "limit", "3");
	params_add(&rq.params, "before", c2);
	ck_assert_int_eq(paging_read(&rq, &q, &err), 0);
	ck_assert_int_eq(q.limit, 3);
	ck_assert_int_eq(q.pos.dir, -1);
	ck_assert_int_eq(q.pos.k1, 200);
	ck_assert_int_eq(q.pos.k2, 6);

	/* both: after wins */
	params_add(&rq.params, "after", c1);
	ck_assert_int_eq(paging_read(&rq, &q, &err), 0);
	ck_assert_int_eq(q.pos.dir, 1);
	ck_assert_int_eq(q.pos.k1, 100);

	params_set(&rq.params, "after", "garbage");
	read_fails(&rq, "(#100) Param after must be a valid cursor");
	params_del(&rq.params, "after");
	params_set(&rq.params, "before", "QVFIUm9");
	read_fails(&rq, "(#100) Param before must be a valid cursor");
	params_set(&rq.params, "before", "");
	read_fails(&rq, "(#100) Param before must be a valid cursor");
	/* a bad limit is reported even with a good cursor */
	params_set(&rq.params, "before", c2);
	params_set(&rq.params, "limit", "0");
	read_fails(&rq, "(#100) Param limit must be a positive integer");

	free(c1);
	free(c2);
	req_free(&rq);
}
END_TEST

START_TEST(test_url_query_token)
{
	struct request rq;
	char *u;

	req_init(&rq, "localhost:8080",
	    "/v24.0/2000000000000001/owned_whatsapp_business_accounts");
	params_add(&rq.params, "fields", "id,name");
	params_add(&rq.params, "limit", "2");
	params_add(&rq.params, "access_token", "EAAB123");
	params_add(&rq.params, "after", "OLD");
	params_add(&rq.params, "before", "OLDER");
	rq.token = xstrdup("EAAB123");
	rq.token_source = TOKEN_PARAM;

	u = paging_url(&rq, "after", "NEW");
	ck_assert_str_eq(u,
	    "http://localhost:8080/v24.0/2000000000000001/"
	    "owned_whatsapp_business_accounts?fields=id%2Cname&limit=2&"
	    "access_token=EAAB123&after=NEW");
	free(u);
	u = paging_url(&rq, "before", "B-_1");
	ck_assert_str_eq(u,
	    "http://localhost:8080/v24.0/2000000000000001/"
	    "owned_whatsapp_business_accounts?fields=id%2Cname&limit=2&"
	    "access_token=EAAB123&before=B-_1");
	free(u);
	req_free(&rq);
}
END_TEST

START_TEST(test_url_header_token)
{
	struct request rq;
	char *u;

	/* no Host header, no version in the path */
	req_init(&rq, NULL, "/1000/phone_numbers");
	params_add(&rq.params, "fields", "id");
	rq.token = xstrdup("111|s3cr/t");
	rq.token_source = TOKEN_HEADER;
	u = paging_url(&rq, "after", "C");
	ck_assert_str_eq(u,
	    "http://127.0.0.1/1000/phone_numbers?fields=id&"
	    "access_token=111%7Cs3cr%2Ft&after=C");
	free(u);
	params_cleanup(&rq.params);

	/* an empty access_token= parameter gives way to the header token */
	params_add(&rq.params, "access_token", "");
	params_add(&rq.params, "limit", "5");
	u = paging_url(&rq, "after", "C");
	ck_assert_str_eq(u,
	    "http://127.0.0.1/1000/phone_numbers?limit=5&"
	    "access_token=111%7Cs3cr%2Ft&after=C");
	free(u);
	params_cleanup(&rq.params);

	/* nothing else to carry */
	u = paging_url(&rq, "before", "C");
	ck_assert_str_eq(u,
	    "http://127.0.0.1/1000/phone_numbers?"
	    "access_token=111%7Cs3cr%2Ft&before=C");
	free(u);
	rq.token_source = TOKEN_NONE;
	u = paging_url(&rq, "after", "C");
	ck_assert_str_eq(u, "http://127.0.0.1/1000/phone_numbers?after=C");
	free(u);
	req_free(&rq);
}
END_TEST

START_TEST(test_url_reencodes)
{
	struct request rq;
	char *u;

	req_init(&rq, "emu.test", "/v1.0/5/owned_whatsapp_business_accounts");
	params_add(&rq.params, "filtering",
	    "[{'field':'creation_time',"
	    "'operator':'LESS_THAN','value':\"1\"}]");
	params_add(&rq.params, "sort", "creation_time_descending");
	params_add(&rq.params, "q", "a b&c=d+e/\xc3\xa9~");
	params_add(&rq.params, "we ird", "");
	params_add(&rq.params, "access_token", "T");
	rq.token = xstrdup("T");
	rq.token_source = TOKEN_PARAM;
	u = paging_url(&rq, "after", "X");
	ck_assert_str_eq(u,
	    "http://emu.test/v1.0/5/"
	    "owned_whatsapp_business_accounts?filtering=%5B%7B%27field%27%3A"
	    "%27creation_time%27%2C%27operator%27%3A%27LESS_THAN%27%2C"
	    "%27value%27%3A%221%22%7D%5D&sort=creation_time_descending&"
	    "q=a%20b%26c%3Dd%2Be%2F%C3%A9~&we%20ird=&access_token=T&after=X");

	/* and the round trip gives the same parameters back */
	{
		struct params back = { 0 };
		const char *qs = strchr(u, '?') + 1;
		size_t i;

		params_parse_urlencoded(&back, qs, strlen(qs));
		ck_assert_uint_eq(back.n, rq.params.n + 1);
		for (i = 0; i < rq.params.n; i++) {
			ck_assert_str_eq(back.v[i].name, rq.params.v[i].name);
			ck_assert_str_eq(back.v[i].value, rq.params.v[i].value);
		}
		ck_assert_str_eq(params_get(&back, "after"), "X");
		params_cleanup(&back);
	}
	free(u);
	req_free(&rq);
}
END_TEST

/* A page of n rows with ids first..first+n-1; its ends' keys (id * 10, id). */
static struct list_page *
page_new(int first, int n, bool more)
{
	static struct list_page page;
	int i;

	page.rows = json_object_new_array();
	page.more = more;
	for (i = 0; i < n; i++) {
		struct json_object *r = json_object_new_object();
		char id[16];

		snprintf(id, sizeof(id), "%d", first + i);
		json_object_object_add(r, "id", json_object_new_string(id));
		json_object_array_add(page.rows, r);
	}
	page.first[0] = first * 10;
	page.first[1] = first;
	page.last[0] = (first + n - 1) * 10;
	page.last[1] = first + n - 1;
	return &page;
}

/*
 * The paging object expected for rows first..last of a request to
 * http://h/1/e?limit=3&access_token=T.
 */
static char *
expected(int first, int last, bool prev, bool next)
{
	char *b = cursor_encode(first * 10, first),
	     *a = cursor_encode(last * 10, last), *out, *data = xstrdup(""), *t;
	int i;

	for (i = first; i <= last; i++) {
		t = xasprintf("%s%s{\"id\":\"%d\"}", data, i > first ? "," : "",
		    i);
		free(data);
		data = t;
	}
	out = xasprintf("{\"data\":[%s],\"paging\":{\"cursors\":{\"before\":"
	                "\"%s\",\"after\":\"%s\"}%s%s%s%s%s%s}}",
	    data, b, a,
	    prev ? ",\"previous\":\"http://h/1/e?limit=3&access_token=T&"
	           "before=" :
	           "",
	    prev ? b : "", prev ? "\"" : "",
	    next ? ",\"next\":\"http://h/1/e?limit=3&access_token=T&after=" :
	           "",
	    next ? a : "", next ? "\"" : "");
	free(a);
	free(b);
	free(data);
	return out;
}

static void
wrap_case(int dir, bool more, bool prev, bool next)
{
	struct request rq;
	struct list_query q = { .limit = 3 };
	struct json_object *out;
	char *want;

	req_init(&rq, "h", "/1/e");
	params_add(&rq.params, "limit", "3");
	params_add(&rq.params, "access_token", "T");
	rq.token = xstrdup("T");
	rq.token_source = TOKEN_PARAM;
	q.pos.dir = dir;
	q.pos.k1 = 40;
	q.pos.k2 = 4;
	out = paging_wrap(&rq, &q, page_new(5, 3, more), NULL, NULL);
	want = expected(5, 7, prev, next);
	assert_json_eq(out, want);
	free(want);
	json_object_put(out);
	req_free(&rq);
}

START_TEST(test_wrap_pages)
{
	/* first page: previous never; next when there is more */
	wrap_case(0, true, false, true);
	wrap_case(0, false, false, false);
	/* after a cursor: a page exists behind; next when there is more */
	wrap_case(1, true, true, true);
	wrap_case(1, false, true, false);
	/* before a cursor: a page exists ahead; previous when there is more */
	wrap_case(-1, true, true, true);
	wrap_case(-1, false, false, true);
}
END_TEST

START_TEST(test_wrap_empty)
{
	struct request rq;
	struct list_query q = { .limit = 25 };
	struct json_object *out;

	req_init(&rq, "h", "/1/e");
	out = paging_wrap(&rq, &q, page_new(1, 0, false), NULL, NULL);
	ck_assert_str_eq(
	    json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN),
	    "{\"data\":[]}");
	json_object_put(out);
	/* even after a cursor, and with "more" claimed */
	q.pos.dir = 1;
	out = paging_wrap(&rq, &q, page_new(1, 0, true), NULL, NULL);
	assert_json_eq(out, "{\"data\":[]}");
	json_object_put(out);
	req_free(&rq);
}
END_TEST

static int render_calls;

/* Sees each row once, in order; drops id 6. */
static struct json_object *
render(void *ctx, struct json_object *row)
{
	struct json_object *o, *id;

	ck_assert_ptr_eq(ctx, &render_calls);
	render_calls++;
	ck_assert(json_object_object_get_ex(row, "id", &id));
	ck_assert_int_eq(atoi(json_object_get_string(id)), 4 + render_calls);
	if (strcmp(json_object_get_string(id), "6") == 0)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_get(id));
	return o;
}

START_TEST(test_wrap_render)
{
	struct request rq;
	struct list_query q = { .limit = 3 };
	struct json_object *out, *data, *paging;
	char *b = cursor_encode(50, 5), *a = cursor_encode(70, 7), *want;

	req_init(&rq, "h", "/1/e");
	out = paging_wrap(&rq, &q, page_new(5, 3, false), render,
	    &render_calls);
	ck_assert_int_eq(render_calls, 3);
	ck_assert(json_object_object_get_ex(out, "data", &data));
	ck_assert(json_object_object_get_ex(out, "paging", &paging));
	assert_json_eq(data, "[{\"name\":\"5\"},{\"name\":\"7\"}]");
	/* cursors still name the first and last rows */
	want = xasprintf("{\"cursors\":{\"before\":\"%s\",\"after\":\"%s\"}}",
	    b, a);
	assert_json_eq(paging, want);
	free(want);
	free(a);
	free(b);
	json_object_put(out);
	req_free(&rq);
}
END_TEST

START_TEST(test_wrap_cursors_decode)
{
	/* the cursors handed out lead back into paging_read */
	struct request rq;
	struct list_query q = { .limit = 2 }, q2;
	struct json_object *out, *next;
	struct gerr err = { 0 };
	struct params back = { 0 };
	const char *u, *qs;

	req_init(&rq, "h", "/v2.0/9/phone_numbers");
	rq.token = xstrdup("HDR");
	rq.token_source = TOKEN_HEADER;
	params_add(&rq.params, "limit", "2");
	out = paging_wrap(&rq, &q, page_new(8, 2, true), NULL, NULL);
	ck_assert(json_object_object_get_ex(out, "paging", &next));
	ck_assert(json_object_object_get_ex(next, "next", &next));
	u = json_object_get_string(next);
	ck_assert_ptr_eq(strstr(u,
	                     "http://h/v2.0/9/phone_numbers?limit=2&"
	                     "access_token=HDR&after="),
	    u);
	qs = strchr(u, '?') + 1;
	params_parse_urlencoded(&back, qs, strlen(qs));
	params_cleanup(&rq.params);
	params_copy(&rq.params, &back);
	ck_assert_int_eq(paging_read(&rq, &q2, &err), 0);
	ck_assert_int_eq(q2.limit, 2);
	ck_assert_int_eq(q2.pos.dir, 1);
	ck_assert_int_eq(q2.pos.k1, 90);
	ck_assert_int_eq(q2.pos.k2, 9);
	params_cleanup(&back);
	json_object_put(out);
	req_free(&rq);
}
END_TEST

static Suite *
paging_suite(void)
{
	const TTest *const tests[] = {
		test_cursor_round_trip,
		test_cursor_junk,
		test_limits,
		test_read_cursors,
		test_url_query_token,
		test_url_header_token,
		test_url_reencodes,
		test_wrap_pages,
		test_wrap_empty,
		test_wrap_render,
		test_wrap_cursors_decode,
		NULL,
	};

	return suite_core("paging", NULL, NULL, tests);
}

int
main(void)
{
	return suite_run(paging_suite());
}
