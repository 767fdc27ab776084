/*
 * test_request.c - request parsing: target, query and the three body
 * encodings merged into one parameter list, method= and
 * suppress_http_code=, and the parameter helpers.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "util.h"
#include "suite.h"

static struct request rq;

static void
setup(void)
{
	request_init(&rq);
}

static void
teardown(void)
{
	request_cleanup(&rq);
}

/* Fills the wire side of rq; body NULL = no body. */
static void
wire(const char *method, const char *target, const char *ctype,
    const char *body)
{
	rq.method = xstrdup(method);
	rq.target = xstrdup(target);
	rq.content_type = ctype != NULL ? xstrdup(ctype) : NULL;
	if (body != NULL) {
		rq.body = xstrdup(body);
		rq.body_len = strlen(body);
	}
}

static void
wire_n(const char *method, const char *target, const char *ctype,
    const char *body, size_t n)
{
	wire(method, target, ctype, NULL);
	rq.body = xstrndup(body, n);
	rq.body_len = n;
}

static const char *
P(const char *name)
{
	return params_get(&rq.params, name);
}

static void
assert_err(const char *want)
{
	ck_assert_int_eq(rq.err.id, GE_PARAM);
	ck_assert_int_eq(gerr_code(&rq.err), 100);
	ck_assert_str_eq(gerr_message(&rq.err), want);
}

/* Parses want and compares it with arr as JSON. */
static void
assert_json(struct json_object *arr, const char *want)
{
	struct json_object *w = json_tokener_parse(want);

	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_nonnull(arr);
	if (!json_object_equal(arr, w))
		ck_abort_msg("got %s, want %s", json_object_to_json_string(arr),
		    want);
	json_object_put(w);
}

START_TEST(test_path_and_query)
{
	wire("get", "/v24.0/123%2Fx+y?fields=id%2Cname&a=b+c&flag&=skip", NULL,
	    NULL);
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(rq.path, "/v24.0/123/x+y");
	ck_assert_str_eq(rq.verb, "GET");
	ck_assert_str_eq(P("fields"), "id,name");
	ck_assert_str_eq(P("a"), "b c");
	ck_assert_str_eq(P("flag"), "");
	ck_assert_uint_eq(rq.params.n, 3);
	ck_assert(!rq.suppress_http_code);
}
END_TEST

START_TEST(test_no_query)
{
	wire("GET", "/", NULL, NULL);
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(rq.path, "/");
	ck_assert_uint_eq(rq.params.n, 0);
}
END_TEST

START_TEST(test_form_body)
{
	wire("POST", "/1/assigned_users", "application/x-www-form-urlencoded",
	    "user=42&tasks=%5B%22MANAGE%22%5D&name=a+b%26c");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(P("user"), "42");
	ck_assert_str_eq(P("tasks"), "[\"MANAGE\"]");
	ck_assert_str_eq(P("name"), "a b&c");
	ck_assert_uint_eq(rq.params.n, 3);
}
END_TEST

START_TEST(test_form_is_the_default)
{
	wire("POST", "/1", NULL, "a=1&b=2");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(P("a"), "1");
	ck_assert_str_eq(P("b"), "2");

	request_cleanup(&rq);
	wire("POST", "/1", "", "c=3");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(P("c"), "3");
}
END_TEST

START_TEST(test_form_ctype_params_and_case)
{
	wire("POST", "/1", "Application/X-WWW-Form-URLEncoded; charset=UTF-8",
	    "a=1");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(P("a"), "1");
}
END_TEST

START_TEST(test_other_ctype_ignored)
{
	wire("POST", "/1?q=1", "text/plain", "a=1");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_ptr_null(P("a"));
	ck_assert_str_eq(P("q"), "1");
}
END_TEST

START_TEST(test_json_body)
{
	struct json_object *o;

	wire("POST", "/1/assigned_users", "application/json; charset=utf-8",
	    " {\"user\":\"42\",\"tasks\":[\"MANAGE\",\"DEVELOP\"],"
	    "\"migrate\":true,\"off\":false,\"n\":12,\"big\":1234567890123456,"
	    "\"f\":1.5,\"gone\":null,\"\":\"nameless\","
	    "\"o\":{\"k\":\"a/b\"},\"s\":\"x y\"}\n");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(P("user"), "42");
	ck_assert_str_eq(P("migrate"), "true");
	ck_assert_str_eq(P("off"), "false");
	ck_assert_str_eq(P("n"), "12");
	ck_assert_str_eq(P("big"), "1234567890123456");
	ck_assert_str_eq(P("f"), "1.5");
	ck_assert_str_eq(P("s"), "x y");
	ck_assert_ptr_null(P("gone"));
	ck_assert_ptr_null(P(""));
	o = json_tokener_parse(P("tasks"));
	assert_json(o, "[\"MANAGE\",\"DEVELOP\"]");
	json_object_put(o);
	o = json_tokener_parse(P("o"));
	assert_json(o, "{\"k\":\"a/b\"}");
	json_object_put(o);
	/* compact text, as the array helpers expect */
	ck_assert_str_eq(P("tasks"), "[\"MANAGE\",\"DEVELOP\"]");
}
END_TEST

START_TEST(test_get_with_empty_json)
{
	wire("GET", "/1?fields=id", "application/json", "{}");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(rq.verb, "GET");
	ck_assert_str_eq(P("fields"), "id");
	ck_assert_uint_eq(rq.params.n, 1);
}
END_TEST

START_TEST(test_blank_json_body)
{
	wire("POST", "/1", "application/json", " \r\n ");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_uint_eq(rq.params.n, 0);
}
END_TEST

START_TEST(test_invalid_json)
{
	static const char *const bad[] = {
		"{",
		"{\"a\":}",
		"{\"a\":1} x",
		"{\"a\":1}{}",
		"nope",
		"{'a':1",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		request_init(&rq);
		wire("POST", "/1", "application/json", bad[i]);
		ck_assert_int_eq(request_prepare(&rq), -1);
		assert_err("(#100) Invalid JSON in request body");
		request_cleanup(&rq);
	}
}
END_TEST

START_TEST(test_json_with_nul)
{
	wire_n("POST", "/1", "application/json", "{\"a\":1}\0{}", 10);
	ck_assert_int_eq(request_prepare(&rq), -1);
	assert_err("(#100) Invalid JSON in request body");
}
END_TEST

START_TEST(test_non_object_json)
{
	static const char *const bad[] = { "[1,2]", "\"s\"", "12", "true",
		"null" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		request_init(&rq);
		wire("POST", "/1", "application/json", bad[i]);
		ck_assert_int_eq(request_prepare(&rq), -1);
		assert_err("(#100) Invalid JSON in request body: expected an "
		           "object");
		request_cleanup(&rq);
	}
}
END_TEST

#define MP_CT "multipart/form-data; boundary=XyZ"

START_TEST(test_multipart)
{
	static const char body[] =
	    "preamble\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"user\"\r\n"
	    "\r\n"
	    "42\r\n"
	    "--XyZ\r\n"
	    "content-disposition: form-data; name=\"tasks\"\r\n"
	    "Content-Type: application/json\r\n"
	    "\r\n"
	    "[\"MANAGE\"]\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"upload\"; "
	    "filename=\"a;b.bin\"\r\n"
	    "\r\n"
	    "\xff\xfe binary\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=multi\r\n"
	    "\r\n"
	    "line1\r\nline2\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"empty\"\r\n"
	    "\r\n"
	    "\r\n"
	    "--XyZ--\r\n";

	wire("POST", "/1?user=1", MP_CT, body);
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(P("user"), "42");
	ck_assert_str_eq(P("tasks"), "[\"MANAGE\"]");
	ck_assert_str_eq(P("multi"), "line1\r\nline2");
	ck_assert_str_eq(P("empty"), "");
	ck_assert_ptr_null(P("upload"));
}
END_TEST

START_TEST(test_multipart_quoted_boundary)
{
	wire("POST", "/1",
	    "multipart/form-data; charset=utf-8; "
	    "boundary=\"a b\"",
	    "--a b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n"
	    "--a b--");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(P("x"), "1");
}
END_TEST

START_TEST(test_multipart_malformed)
{
	static const struct {
		const char *ctype, *body;
	} bad[] = {
		{ "multipart/form-data", "--X\r\n\r\n" },
		{ "multipart/form-data; boundary=", "--\r\n" },
		{ MP_CT, "no delimiter at all" },
		{ MP_CT,
		    "--XyZ\r\nContent-Disposition: form-data; name=\"a\""
		    "\r\n\r\nunterminated" },
		{ MP_CT,
		    "--XyZ\r\nContent-Disposition: form-data; name=\"a\""
		    "\r\n" },
		{ MP_CT, "--XyZ\r\n\r\nno headers\r\n--XyZ--" },
		{ MP_CT,
		    "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n"
		    "--XyZ--" },
		{ MP_CT,
		    "--XyZ\r\nContent-Disposition: attachment; name=\"a\""
		    "\r\n\r\nx\r\n--XyZ--" },
		{ MP_CT,
		    "--XyZ\r\nContent-Disposition: form-data; name=\"a"
		    "\r\n\r\nx\r\n--XyZ--" },
		{ MP_CT, "--XyZ\r\nbroken header\r\n\r\nx\r\n--XyZ--" },
		{ MP_CT, "--XyZjunk" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		request_init(&rq);
		wire("POST", "/1", bad[i].ctype, bad[i].body);
		if (request_prepare(&rq) != -1)
			ck_abort_msg("case %zu was accepted", i);
		ck_assert_int_eq(gerr_code(&rq.err), 100);
		ck_assert_ptr_nonnull(
		    strstr(gerr_message(&rq.err), "multipart/form-data"));
		request_cleanup(&rq);
	}
}
END_TEST

START_TEST(test_body_wins_over_query)
{
	wire("POST", "/1?a=query&b=query", "application/json",
	    "{\"a\":\"body\"}");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(P("a"), "body");
	ck_assert_str_eq(P("b"), "query");
	/* one entry per name, where the query first put it */
	ck_assert_uint_eq(rq.params.n, 2);
	ck_assert_str_eq(rq.params.v[0].name, "a");

	request_cleanup(&rq);
	wire("POST", "/1?a=query", NULL, "a=body");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(P("a"), "body");
}
END_TEST

START_TEST(test_method_override)
{
	wire("POST", "/1/assigned_users?method=delete&user=2", NULL, NULL);
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(rq.verb, "DELETE");

	request_cleanup(&rq);
	wire("GET", "/1", NULL, NULL);
	rq.body = xstrdup("method=Post");
	rq.body_len = strlen(rq.body);
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(rq.verb, "POST");

	request_cleanup(&rq);
	wire("delete", "/1?method=get", NULL, NULL);
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(rq.verb, "GET");

	request_cleanup(&rq);
	wire("put", "/1?method=", NULL, NULL);
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(rq.verb, "PUT");
}
END_TEST

START_TEST(test_bad_method_override)
{
	wire("POST", "/1?method=put", NULL, NULL);
	ck_assert_int_eq(request_prepare(&rq), -1);
	assert_err("(#100) Param method must be one of {GET, POST, DELETE} - "
	           "got \"put\"");
}
END_TEST

START_TEST(test_long_method_truncated)
{
	wire("PROPFINDX", "/1", NULL, NULL);
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(rq.verb, "PROPFIN");
}
END_TEST

START_TEST(test_suppress_http_code)
{
	static const struct {
		const char *target;
		bool want;
	} cases[] = {
		{ "/1?suppress_http_code=1", true },
		{ "/1?suppress_http_code=true", true },
		{ "/1?suppress_http_code=TRUE", true },
		{ "/1?suppress_http_code=0", false },
		{ "/1?suppress_http_code=false", false },
		{ "/1?suppress_http_code=maybe", false },
		{ "/1", false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		request_init(&rq);
		wire("GET", cases[i].target, NULL, NULL);
		ck_assert_int_eq(request_prepare(&rq), 0);
		ck_assert_int_eq(rq.suppress_http_code, cases[i].want);
		request_cleanup(&rq);
	}
	request_init(&rq);
	wire("POST", "/1", "application/json", "{\"suppress_http_code\":1}");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert(rq.suppress_http_code);
}
END_TEST

START_TEST(test_suppress_survives_body_error)
{
	wire("POST", "/1?suppress_http_code=1", "application/json", "{");
	ck_assert_int_eq(request_prepare(&rq), -1);
	ck_assert(rq.suppress_http_code);
	ck_assert_str_eq(rq.verb, "POST");
	ck_assert_str_eq(rq.path, "/1");
}
END_TEST

START_TEST(test_body_too_large)
{
	wire("POST", "/1?a=1", "application/json", NULL);
	rq.body_too_large = true;
	ck_assert_int_eq(request_prepare(&rq), -1);
	assert_err("(#100) Request body exceeds the size limit");
	/* the query is still there for the journal */
	ck_assert_str_eq(P("a"), "1");
}
END_TEST

START_TEST(test_invalid_utf8)
{
	wire("GET", "/1?name=%C3%28", NULL, NULL);
	ck_assert_int_eq(request_prepare(&rq), -1);
	assert_err("(#100) Invalid UTF-8 in parameter name");

	request_cleanup(&rq);
	wire("POST", "/1", NULL, "ok=%C3%A9&bad=%FF");
	ck_assert_int_eq(request_prepare(&rq), -1);
	assert_err("(#100) Invalid UTF-8 in parameter bad");
	ck_assert_str_eq(P("ok"), "\xc3\xa9");

	request_cleanup(&rq);
	wire("POST", "/1", "application/json", "{\"j\":\"\xed\xa0\x80\"}");
	ck_assert_int_eq(request_prepare(&rq), -1);
	assert_err("(#100) Invalid UTF-8 in parameter j");

	request_cleanup(&rq);
	wire("POST", "/1", "application/json", "{\"j\":[\"\xc0\xaf\"]}");
	ck_assert_int_eq(request_prepare(&rq), -1);
	assert_err("(#100) Invalid UTF-8 in parameter j");

	request_cleanup(&rq);
	wire("POST", "/1", MP_CT,
	    "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"m\"\r\n\r\n\xfe\r\n--XyZ--");
	ck_assert_int_eq(request_prepare(&rq), -1);
	assert_err("(#100) Invalid UTF-8 in parameter m");

	request_cleanup(&rq);
	wire("GET", "/1?%FF=1", NULL, NULL);
	ck_assert_int_eq(request_prepare(&rq), -1);
	assert_err("(#100) Invalid UTF-8 in a parameter name");

	request_cleanup(&rq);
	wire("GET", "/v24.0/%E2%82", NULL, NULL);
	ck_assert_int_eq(request_prepare(&rq), -1);
	assert_err("(#100) Invalid UTF-8 in the request path");
}
END_TEST

START_TEST(test_prepare_twice)
{
	wire("GET", "/1?a=1", NULL, NULL);
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_uint_eq(rq.params.n, 1);
}
END_TEST

START_TEST(test_cleanup_frees_everything)
{
	wire("GET", "/1?a=1", "application/json", "{}");
	rq.host = xstrdup("localhost");
	rq.authorization = xstrdup("Bearer x");
	rq.remote = xstrdup("127.0.0.1");
	rq.token = xstrdup("tok");
	rq.node_id = xstrdup("1");
	rq.edge = xstrdup("phone_numbers");
	rq.token_row = json_object_new_object();
	rq.result = json_object_new_object();
	ck_assert_int_eq(request_prepare(&rq), 0);
	gerr_set(&rq.err, GE_PARAM, "(#100) x");
	response_header(&rq.resp, "X-A", "1");
	response_json(&rq.resp, 200, rq.result);
	request_cleanup(&rq);
	ck_assert_ptr_null(rq.path);
	ck_assert_ptr_null(rq.result);
	ck_assert_uint_eq(rq.params.n, 0);
	/* and a second cleanup is harmless */
	request_cleanup(&rq);
}
END_TEST

/*
 * Header values share one buffer; a value too long for what is left gets
 * its own allocation, and replacing either kind keeps the others intact
 * (ASan checks that nothing leaks or dangles).
 */
START_TEST(test_response_headers)
{
	struct response resp;
	char big[2000], name[16][8];
	const char *names[] = { "A", "B", "C", "D", "E", "F", "G", "H", "I",
		"J", "K", "L", "M", "N", "O", "P" };
	size_t i;

	memset(&resp, 0, sizeof(resp));
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < RESPONSE_HEADERS_MAX; i++) {
		snprintf(name[i], sizeof(name[i]), "v%zu", i);
		response_header(&resp, names[i], name[i]);
	}
	ck_assert_uint_eq(resp.nheaders, RESPONSE_HEADERS_MAX);
	/* replacing is by name, whatever its case */
	response_header(&resp, "c", big);
	ck_assert_uint_eq(resp.nheaders, RESPONSE_HEADERS_MAX);
	ck_assert_str_eq(response_get_header(&resp, "C"), big);
	response_header(&resp, "C", "short again");
	ck_assert_str_eq(response_get_header(&resp, "c"), "short again");
	/* fill the shared buffer past its end */
	for (i = 0; i < 40; i++)
		response_header(&resp, "D", big + sizeof(big) - 1 - 30);
	ck_assert_str_eq(response_get_header(&resp, "D"),
	    big + sizeof(big) - 1 - 30);
	for (i = 0; i < RESPONSE_HEADERS_MAX; i++)
		if (i != 2 && i != 3)
			ck_assert_str_eq(response_get_header(&resp, names[i]),
			    name[i]);
	ck_assert_ptr_null(response_get_header(&resp, "Z"));
	response_cleanup(&resp);
	ck_assert_uint_eq(resp.nheaders, 0);
	response_header(&resp, "A", "again");
	ck_assert_str_eq(response_get_header(&resp, "a"), "again");
	response_cleanup(&resp);
}
END_TEST

START_TEST(test_param_bool)
{
	static const struct {
		const char *v;
		bool want;
	} ok[] = {
		{ "true", true },
		{ "TRUE", true },
		{ "True", true },
		{ "1", true },
		{ "false", false },
		{ "FALSE", false },
		{ "0", false },
	};
	struct gerr err = { 0 };
	size_t i;
	bool b;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		b = !ok[i].want;
		ck_assert_int_eq(param_bool("x", ok[i].v, &b, &err), 0);
		ck_assert_int_eq(b, ok[i].want);
	}
	ck_assert_int_eq(param_bool("migrate_phone_number", "yes", &b, &err),
	    -1);
	ck_assert_int_eq(gerr_code(&err), 100);
	ck_assert_str_eq(gerr_message(&err),
	    "(#100) Param migrate_phone_number must be a boolean, got \"yes\"");
	ck_assert_int_eq(param_bool("x", "", &b, &err), -1);
	ck_assert_int_eq(param_bool("x", "2", &b, &err), -1);
	ck_assert_int_eq(param_bool("x", NULL, &b, &err), -1);
	ck_assert_str_eq(gerr_message(&err),
	    "(#100) Param x must be a boolean, got \"\"");
	gerr_clear(&err);
}
END_TEST

START_TEST(test_param_array_forms)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "[\"MANAGE\",\"DEVELOP\"]", "[\"MANAGE\",\"DEVELOP\"]" },
		{ "['MANAGE','DEVELOP']", "[\"MANAGE\",\"DEVELOP\"]" },
		{ "MANAGE,DEVELOP", "[\"MANAGE\",\"DEVELOP\"]" },
		{ " MANAGE , ,DEVELOP, ", "[\"MANAGE\",\"DEVELOP\"]" },
		{ "MANAGE", "[\"MANAGE\"]" },
		{ "  [\"a\"]", "[\"a\"]" },
		{ "[{'field':'creation_time','operator':'IN_RANGE',"
		  "'value':['1','2']}]",
		    "[{\"field\":\"creation_time\",\"operator\":\"IN_RANGE\","
		    "\"value\":[\"1\",\"2\"]}]" },
		{ "{\"field\":\"x\"}", "[{\"field\":\"x\"}]" },
		{ "[1,true]", "[1,true]" },
	};
	struct gerr err = { 0 };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_object *a = param_array("tasks", cases[i].in, &err);

		if (a == NULL)
			ck_abort_msg("%s: %s", cases[i].in, gerr_message(&err));
		assert_json(a, cases[i].want);
		json_object_put(a);
	}
}
END_TEST

START_TEST(test_param_array_bad)
{
	static const char *const empty[] = { "", " ", ",", " , ,", "[]", NULL };
	static const char *const bad[] = { "[", "['a'", "[1]x",
		"{\"a\":", "{1}" };
	struct gerr err = { 0 };
	size_t i;

	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		ck_assert_ptr_null(param_array("tasks", empty[i], &err));
		ck_assert_int_eq(gerr_code(&err), 100);
		ck_assert_str_eq(gerr_message(&err),
		    "(#100) Param tasks must be a non-empty array");
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_ptr_null(param_array("sort", bad[i], &err));
		ck_assert_int_eq(gerr_code(&err), 100);
		ck_assert_ptr_nonnull(
		    strstr(gerr_message(&err), "Param sort must be an array"));
	}
	gerr_clear(&err);
}
END_TEST

START_TEST(test_param_names)
{
	static const char *const names[] = { "A", "B", NULL };
	struct gerr err = { 0 };
	struct json_object *a;

	/* a name given twice is kept once, in the order first given */
	a = param_names("x", "B,A,B", names, &err);
	assert_json(a, "[\"B\",\"A\"]");
	json_object_put(a);
	ck_assert_ptr_null(param_names("x", "A,C", names, &err));
	ck_assert_int_eq(gerr_code(&err), 100);
	ck_assert_str_eq(gerr_message(&err),
	    "(#100) Param x[1] must be one of {A, B} - got \"C\"");
	ck_assert_ptr_null(param_names("x", "[1]", names, &err));
	ck_assert_str_eq(gerr_message(&err),
	    "(#100) Param x[0] must be one of {A, B} - got \"1\"");
	gerr_clear(&err);
}
END_TEST

START_TEST(test_param_required)
{
	wire("GET", "/1?business=9&empty=", NULL, NULL);
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(param_required(&rq, "business"), "9");
	ck_assert_int_eq(rq.err.id, GE_NONE);
	ck_assert_ptr_null(param_required(&rq, "user"));
	assert_err("(#100) The parameter user is required");
	ck_assert_ptr_null(param_required(&rq, "empty"));
	assert_err("(#100) The parameter empty is required");
}
END_TEST

START_TEST(test_param_maybe)
{
	wire("GET", "/1?business=9&empty=", NULL, NULL);
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(param_maybe(&rq, "business", true), "9");
	/* given empty is given */
	ck_assert_str_eq(param_maybe(&rq, "empty", true), "");
	ck_assert_ptr_null(param_maybe(&rq, "user", false));
	ck_assert_int_eq(rq.err.id, GE_NONE);
	ck_assert_ptr_null(param_maybe(&rq, "user", true));
	assert_err("(#100) The parameter user is required");
}
END_TEST

/* More than PARAMS_MAX fields is a 100, in a body or a query string. */
START_TEST(test_too_many_params)
{
	struct sbuf sb = SBUF_INIT;
	int i;

	for (i = 0; i < 50000; i++)
		sbuf_addf(&sb, "%sp%d=", i ? "&" : "", i);
	wire("POST", "/v24.0/1", NULL, sb.buf);
	ck_assert_int_eq(request_prepare(&rq), -1);
	assert_err("(#100) Too many parameters: a request may carry at "
	           "most 1000");
	request_cleanup(&rq);
	request_init(&rq);
	sbuf_addstr(&sb, "&x=1");
	rq.method = xstrdup("GET");
	rq.target = xasprintf("/v24.0/1?%s", sb.buf);
	ck_assert_int_eq(request_prepare(&rq), -1);
	ck_assert_int_eq(gerr_code(&rq.err), 100);
	sbuf_release(&sb);
	/* exactly the limit is fine */
	request_cleanup(&rq);
	request_init(&rq);
	for (i = 0; i < PARAMS_MAX; i++)
		sbuf_addf(&sb, "%sp%d=", i ? "&" : "", i);
	wire("POST", "/v24.0/1", NULL, sb.buf);
	ck_assert_int_eq(request_prepare(&rq), 0);
	sbuf_release(&sb);
}
END_TEST

#define STRLEN ((size_t)-1)

/*
 * Prepares target and body (n bytes, NULs kept; STRLEN: up to the first)
 * and wants error want.
 */
static void
refused(const char *target, const char *ctype, const char *body, size_t n,
    const char *want)
{
	request_cleanup(&rq);
	request_init(&rq);
	wire("POST", target, ctype, NULL);
	if (body != NULL) {
		if (n == STRLEN)
			n = strlen(body);
		rq.body = xmalloc(n + 1);
		memcpy(rq.body, body, n);
		rq.body[n] = '\0';
		rq.body_len = n;
	}
	ck_assert_int_eq(request_prepare(&rq), -1);
	assert_err(want);
}

#define NUL_IN(p) "(#100) Param " p " must not contain a NUL character"
#define MP "multipart/form-data; boundary=B"

/* A NUL anywhere a value can come from is refused, naming the value. */
START_TEST(test_nul_refused)
{
	static const char mp[] = "--B\r\nContent-Disposition: form-data; "
	                         "name=\"user\"\r\n\r\n1\0002\r\n--B--\r\n";
	static const char mp_file[] =
	    "--B\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename=\"a\"\r\n\r\n\0\r\n--B--\r\n";

	refused("/v24.0/1?access_token=EAA%00x", NULL, NULL, 0,
	    NUL_IN("access_token"));
	refused("/v24.0/1%00/assigned_users", NULL, NULL, 0,
	    "(#100) The request path must not contain a NUL character");
	refused("/1", NULL, "user=1%002", 10, NUL_IN("user"));
	refused("/1", NULL, "user=1\0002", 8, NUL_IN("user"));
	refused("/1", "application/json", "{\"user\":\"1\\u00002\"}", STRLEN,
	    NUL_IN("user"));
	refused("/1", "application/json",
	    "{\"a\":1,\"tasks\":[\"MANAGE\\u0000x\"]}", STRLEN,
	    NUL_IN("tasks"));
	refused("/1", "application/json", "{'user':'1\\u0000'}", STRLEN,
	    NUL_IN("user"));
	refused("/1", "application/json", "{\"us\\u0000er\":\"1\"}", STRLEN,
	    "(#100) A parameter name must not contain a NUL character "
	    "(\"\" was cut there)");
	refused("/1", MP, mp, sizeof(mp) - 1, NUL_IN("user"));

	/* an escaped backslash before u0000 is no NUL; a file part may hold one */
	request_cleanup(&rq);
	request_init(&rq);
	wire("POST", "/1", "application/json", "{\"a\":\"\\\\u0000\"}");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_str_eq(P("a"), "\\u0000");
	request_cleanup(&rq);
	request_init(&rq);
	wire("POST", "/1", MP, NULL);
	rq.body = xmalloc(sizeof(mp_file));
	memcpy(rq.body, mp_file, sizeof(mp_file));
	rq.body_len = sizeof(mp_file) - 1;
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_ptr_null(P("f"));
}
END_TEST

START_TEST(test_param_id)
{
	static const char *const bad[] = {
		"",
		"0",
		"04000000000000001",
		"+4",
		"-4",
		" 4",
		"4 ",
		"4x",
		"1234567890123456789",
		"0x10",
	};
	struct gerr err = { 0 };
	int64_t id = 0;
	size_t i;

	ck_assert_int_eq(param_id("user", "3000000000000002", &id, &err), 0);
	ck_assert_int_eq(id, 3000000000000002LL);
	ck_assert_int_eq(param_id("user", "123456789012345678", &id, &err), 0);
	ck_assert_int_eq(id, 123456789012345678LL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[200];

		ck_assert_int_eq(param_id("user", bad[i], &id, &err), -1);
		snprintf(want, sizeof(want),
		    "(#100) Param user must be an id "
		    "(1 to 18 digits, not starting with 0), got \"%s\"",
		    bad[i]);
		ck_assert_str_eq(gerr_message(&err), want);
		gerr_clear(&err);
	}
}
END_TEST

START_TEST(test_param_string)
{
	const char *v = "unset";

	wire("POST", "/1?q=5", "application/json",
	    "{\"s\":\"x\",\"n\":5,\"b\":true,\"a\":[1],\"o\":{}}");
	ck_assert_int_eq(request_prepare(&rq), 0);
	ck_assert_int_eq(param_string(&rq, "s", &v), 0);
	ck_assert_str_eq(v, "x");
	ck_assert_int_eq(param_string(&rq, "q", &v), 0);
	ck_assert_str_eq(v, "5");
	ck_assert_int_eq(param_string(&rq, "none", &v), 0);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(param_string(&rq, "n", &v), -1);
	assert_err("(#100) Param n must be a string, got 5");
	gerr_clear(&rq.err);
	ck_assert_int_eq(param_string(&rq, "b", &v), -1);
	gerr_clear(&rq.err);
	ck_assert_int_eq(param_string(&rq, "a", &v), -1);
	gerr_clear(&rq.err);
	ck_assert_int_eq(param_string(&rq, "o", &v), -1);
	assert_err("(#100) Param o must be a string, got {}");
}
END_TEST

static Suite *
request_suite(void)
{
	const TTest *const tests[] = {
		test_path_and_query,
		test_no_query,
		test_form_body,
		test_form_is_the_default,
		test_form_ctype_params_and_case,
		test_other_ctype_ignored,
		test_json_body,
		test_get_with_empty_json,
		test_blank_json_body,
		test_invalid_json,
		test_json_with_nul,
		test_non_object_json,
		test_multipart,
		test_multipart_quoted_boundary,
		test_multipart_malformed,
		test_body_wins_over_query,
		test_method_override,
		test_bad_method_override,
		test_long_method_truncated,
		test_suppress_http_code,
		test_suppress_survives_body_error,
		test_body_too_large,
		test_invalid_utf8,
		test_prepare_twice,
		test_cleanup_frees_everything,
		test_response_headers,
		test_param_bool,
		test_param_array_forms,
		test_param_array_bad,
		test_param_names,
		test_param_required,
		test_param_maybe,
		test_too_many_params,
		test_nul_refused,
		test_param_id,
		test_param_string,
		NULL,
	};

	return suite_core("request", setup, teardown, tests);
}

int
main(void)
{
	return suite_run(request_suite());
}
