/*
 * test_batch.c - batch requests (POST / and POST /vX.Y) as the Python SDK
 * (form field batch=) and the Node SDK (JSON body) send them: up to 50
 * items, per-item tokens, names, depends_on and {result=name:$.path}
 * references, include_headers, omit_response_on_success, per-item errors
 * and per-item rate limiting.
 */
#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"
#include "../suite.h"

#define V "/v24.0/"
#define AT "access_token="
#define ADMIN AT TOK_ADMIN
#define DEMO_PHONE2 "5000000000000002"

/* ---- helpers ------------------------------------------------------- */

/*
 * POSTs batch (JSON text) to path as a form field, URL-encoded, after
 * the extra form fields in pre ("access_token=...&" or "").
 */
static void
post_batch(const struct server *s, const char *path, const char *pre,
    const char *batch, struct http_resp *r)
{
	CURL *c = curl_easy_init();
	char *enc, *form;
	size_t n;

	ck_assert_ptr_nonnull(c);
	enc = curl_easy_escape(c, batch, 0);
	n = strlen(pre) + strlen(enc) + 16;
	form = malloc(n);
	ck_assert_ptr_nonnull(form);
	snprintf(form, n, "%sbatch=%s", pre, enc);
	curl_free(enc);
	curl_easy_cleanup(c);
	ck_assert_int_eq(http_post_form(s, path, form, r), 0);
	free(form);
}

static void
post_json(const struct server *s, const char *path, const char *json,
    struct http_resp *r)
{
	ck_assert_int_eq(http_post_json(s, path, json, r), 0);
}

static void
expect_ok(const struct http_resp *r)
{
	ck_assert_msg(r->status == 200, "expected 200, got %ld: %s", r->status,
	    r->body);
}

/* The batch answer: a JSON array of n elements. */
static void
expect_items(const struct http_resp *r, size_t n)
{
	expect_ok(r);
	ck_assert_msg(r->json != NULL &&
	        json_object_is_type(r->json, json_type_array),
	    "not an array: %s", r->body);
	ck_assert_uint_eq(json_object_array_length(r->json), n);
}

static struct json_object *
item(const struct http_resp *r, size_t i)
{
	return json_object_array_get_idx(r->json, i);
}

/*
 * Item i's body, parsed; owned by the caller.  Every body is a JSON
 * string holding a JSON document.
 */
static struct json_object *
body_of(const struct http_resp *r, size_t i)
{
	struct json_object *b = jget(item(r, i), "body"), *o;

	ck_assert_msg(b != NULL && json_object_is_type(b, json_type_string),
	    "item %zu has no string body: %s", i, r->body);
	o = json_tokener_parse(json_object_get_string(b));
	ck_assert_msg(o != NULL, "item %zu body is not JSON: %s", i,
	    json_object_get_string(b));
	return o;
}

/* Item i answered code with a Graph error of error_code in its body. */
static void
expect_item_error(const struct http_resp *r, size_t i, long long code,
    long long error_code)
{
	struct json_object *b;

	ck_assert_msg(jint(item(r, i), "code") == code,
	    "item %zu: expected %lld, got %s", i, code,
	    json_object_to_json_string(item(r, i)));
	b = body_of(r, i);
	ck_assert_int_eq(jint(b, "error.code"), error_code);
	ck_assert_str_ne(jstr(b, "error.message"), "");
	ck_assert_str_ne(jstr(b, "error.type"), "");
	ck_assert_str_ne(jstr(b, "error.fbtrace_id"), "");
	json_object_put(b);
}

/* Item i's keys in order, comma-joined (valid until the next call). */
static const char *
keys_of_item(const struct http_resp *r, size_t i)
{
	static char buf[256];
	size_t n = 0;

	buf[0] = '\0';
	ck_assert(json_object_is_type(item(r, i), json_type_object));
	json_object_object_foreach(item(r, i), k, v) {
		(void)v;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    n ? "," : "", k);
		ck_assert_uint_lt(n, sizeof(buf));
	}
	return buf;
}

/* The value of header name in item i's headers array, NULL if absent. */
static const char *
item_header(const struct http_resp *r, size_t i, const char *name)
{
	struct json_object *h = jget(item(r, i), "headers");
	size_t k;

	for (k = 0; h != NULL && k < json_object_array_length(h); k++) {
		struct json_object *e = json_object_array_get_idx(h, k);

		if (strcasecmp(jstr(e, "name"), name) == 0)
			return jstr(e, "value");
	}
	return NULL;
}

static void
start(struct server *s, const char *const *args)
{
	ck_assert_int_eq(server_start(s, args), 0);
}

/* ---- tests --------------------------------------------------------- */

static const char two_reads[] =
    "[{\"method\":\"GET\",\"relative_url\":"
    "\"" DEMO_WABA "?fields=name\"},{\"method\":\"GET\",\"relative_url\":"
    "\"" DEMO_PHONE "\"}]";

static void
check_two_reads(const struct http_resp *r, const char *version)
{
	struct json_object *b;

	expect_items(r, 2);
	ck_assert_int_eq(jint(item(r, 0), "code"), 200);
	b = body_of(r, 0);
	ck_assert(jeq(b,
	    "{\"name\":\"Jasper's Market\","
	    "\"id\":\"4000000000000001\"}"));
	json_object_put(b);
	b = body_of(r, 1);
	ck_assert_str_eq(jstr(b, "display_phone_number"), "+1 555-010-0200");
	ck_assert_str_eq(jstr(b, "id"), DEMO_PHONE);
	json_object_put(b);
	/* headers by default, as {name, value} pairs */
	ck_assert_ptr_nonnull(jget(item(r, 0), "headers.0.name"));
	ck_assert_str_eq(item_header(r, 0, "facebook-api-version"), version);
	ck_assert_str_eq(item_header(r, 1, "Cache-Control"),
	    "private, no-cache, no-store, must-revalidate");
	/* each item is its own call with its own trace id */
	ck_assert_str_ne(item_header(r, 0, "x-fb-request-id"),
	    item_header(r, 1, "x-fb-request-id"));
}

START_TEST(test_batch_form_field)
{
	struct server s;
	struct http_resp r;

	start(&s, NULL);
	/* the README's and the Python SDK's shape */
	post_batch(&s, V, ADMIN "&", two_reads, &r);
	check_two_reads(&r, "v24.0");
	ck_assert_str_eq(http_header(&r, "facebook-api-version"), "v24.0");
	http_resp_free(&r);

	post_batch(&s, "/v24.0", ADMIN "&", two_reads, &r);
	check_two_reads(&r, "v24.0");
	http_resp_free(&r);

	/* unversioned: items run at the default version */
	post_batch(&s, "/", ADMIN "&", two_reads, &r);
	check_two_reads(&r, "v24.0");
	http_resp_free(&r);

	/* a versioned root serves its items at that version */
	post_batch(&s, "/v23.0/", ADMIN "&", two_reads, &r);
	check_two_reads(&r, "v23.0");
	http_resp_free(&r);

	/* the token in the query, the batch in the body */
	post_batch(&s, V "?" ADMIN, "", two_reads, &r);
	check_two_reads(&r, "v24.0");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_batch_json_body)
{
	struct server s;
	struct http_resp r;
	struct json_object *b;
	char json[1024];

	start(&s, NULL);
	/* the Node SDK: token in the query, {"batch":[...]} as JSON */
	snprintf(json, sizeof(json), "{\"batch\":%s}", two_reads);
	post_json(&s, "/v24.0?" ADMIN, json, &r);
	check_two_reads(&r, "v24.0");
	http_resp_free(&r);

	post_json(&s, "/?" ADMIN, json, &r);
	check_two_reads(&r, "v24.0");
	http_resp_free(&r);

	/* the token and include_headers in the body, as JSON values */
	post_json(&s, V,
	    "{\"access_token\":\"" TOK_ADMIN "\","
	    "\"include_headers\":false,\"batch\":[{\"method\":\"GET\","
	    "\"relative_url\":\"" DEMO_WABA "?fields=currency\"}]}",
	    &r);
	expect_items(&r, 1);
	ck_assert_str_eq(keys_of_item(&r, 0), "code,body");
	b = body_of(&r, 0);
	ck_assert(jeq(b, "{\"currency\":\"USD\",\"id\":\"4000000000000001\"}"));
	json_object_put(b);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_batch_size)
{
	struct server s;
	struct http_resp r;
	char batch[8192];
	size_t n = 0;
	int i;

	start(&s, NULL);
	n += (size_t)snprintf(batch + n, sizeof(batch) - n, "[");
	for (i = 0; i < 50; i++)
		n += (size_t)snprintf(batch + n, sizeof(batch) - n,
		    "%s{\"method\":\"GET\",\"relative_url\":\"" DEMO_PHONE
		    "?fields=id\"}",
		    i ? "," : "");
	snprintf(batch + n, sizeof(batch) - n, "]");
	post_batch(&s, V, ADMIN "&include_headers=false&", batch, &r);
	expect_items(&r, 50);
	for (i = 0; i < 50; i++)
		ck_assert_int_eq(jint(item(&r, (size_t)i), "code"), 200);
	http_resp_free(&r);

	/* one more is refused as a whole */
	snprintf(batch + n, sizeof(batch) - n,
	    ",{\"method\":\"GET\","
	    "\"relative_url\":\"" DEMO_PHONE "\"}]");
	post_batch(&s, V, ADMIN "&", batch, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_int_eq(jint(r.json, "error.code"), 100);
	ck_assert_ptr_nonnull(strstr(jstr(r.json, "error.message"), "batch"));
	ck_assert_ptr_nonnull(strstr(jstr(r.json, "error.message"), "50"));
	ck_assert_str_eq(jstr(r.json, "error.fbtrace_id"),
	    http_header(&r, "x-fb-request-id"));
	http_resp_free(&r);

	post_batch(&s, V, ADMIN "&", "[]", &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_int_eq(jint(r.json, "error.code"), 100);
	http_resp_free(&r);

	post_batch(&s, V, ADMIN "&", "{\"method\":\"GET\"}", &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_int_eq(jint(r.json, "error.code"), 100);
	http_resp_free(&r);

	ck_assert_int_eq(http_post_form(&s, V, ADMIN, &r), 0);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#100) The parameter batch is required");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_batch_item_tokens)
{
	struct server s;
	struct http_resp r;
	struct json_object *b;
	const char *h[] = { "Authorization: Bearer " TOK_ADMIN, NULL };

	start(&s, NULL);
	/* no top-level token: each item brings its own, or has none */
	post_batch(&s, V, "",
	    "["
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA
	    "?fields=name&access_token=" TOK_ADMIN "\"},"
	    "{\"method\":\"POST\",\"relative_url\":\"" DEMO_WABA_NOPHONES
	    "/phone_numbers\",\"body\":\"cc=1&phone_number=5550107777&"
	    "verified_name=Body+Token&access_token=" TOK_ADMIN "\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA "\"}]",
	    &r);
	expect_items(&r, 3);
	ck_assert_int_eq(jint(item(&r, 0), "code"), 200);
	ck_assert_int_eq(jint(item(&r, 1), "code"), 200);
	expect_item_error(&r, 2, 400, 104);
	http_resp_free(&r);

	/* the top-level token is the fallback; an item's own one wins */
	post_batch(&s, V, ADMIN "&",
	    "["
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA "\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA
	    "?access_token=" TOK_NOACCESS "\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_CLIENT
	    "?access_token=" TOK_PARTNER "\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA
	    "?access_token=nonsense\"}]",
	    &r);
	expect_items(&r, 4);
	ck_assert_int_eq(jint(item(&r, 0), "code"), 200);
	expect_item_error(&r, 1, 403, 200);
	ck_assert_int_eq(jint(item(&r, 2), "code"), 200);
	expect_item_error(&r, 3, 401, 190);
	http_resp_free(&r);

	/* a top-level token in the Authorization header falls back too */
	ck_assert_int_eq(
	    http_req(&s, "POST", V,
	        "batch=%5B%7B%22method%22%3A"
	        "%22GET%22%2C%22relative_url%22%3A%22" DEMO_WABA_NOPHONES
	        "%2Fphone_numbers%3Ffields%3Dverified_name%22%7D%5D",
	        NULL, h, &r),
	    0);
	expect_items(&r, 1);
	b = body_of(&r, 0);
	ck_assert_str_eq(jstr(b, "data.0.verified_name"), "Body Token");
	json_object_put(b);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_batch_references)
{
	struct server s;
	struct http_resp r;
	struct json_object *b;
	char id[32];

	start(&s, NULL);
	/* create a number, then read it by reference, by id and from a list */
	post_batch(&s, V, ADMIN "&include_headers=false&",
	    "["
	    "{\"method\":\"POST\",\"name\":\"new\",\"relative_url\":\"" DEMO_WABA_NOPHONES
	    "/phone_numbers\",\"body\":\"cc=1&"
	    "phone_number=5550123456&verified_name=Ref\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"{result=new:$.id}"
	    "?fields=display_phone_number,status\"},"
	    "{\"method\":\"GET\",\"name\":\"list\",\"depends_on\":\"new\","
	    "\"relative_url\":\"" DEMO_WABA_NOPHONES "/phone_numbers\"},"
	    "{\"method\":\"GET\",\"depends_on\":\"list\",\"relative_url\":"
	    "\"{result=list:$.data.0.id}?fields=verified_name\"}]",
	    &r);
	expect_items(&r, 4);
	b = body_of(&r, 0);
	snprintf(id, sizeof(id), "%s", jstr(b, "id"));
	ck_assert_int_ge((int)strlen(id), 15);
	json_object_put(b);
	b = body_of(&r, 1);
	ck_assert_str_eq(jstr(b, "id"), id);
	ck_assert_str_eq(jstr(b, "display_phone_number"), "+1 555-012-3456");
	ck_assert_str_eq(jstr(b, "status"), "PENDING");
	json_object_put(b);
	b = body_of(&r, 2);
	ck_assert_str_eq(jstr(b, "data.0.id"), id);
	json_object_put(b);
	b = body_of(&r, 3);
	ck_assert_str_eq(jstr(b, "verified_name"), "Ref");
	ck_assert_str_eq(jstr(b, "id"), id);
	json_object_put(b);
	http_resp_free(&r);

	/* the write outlives the batch */
	ck_assert_int_eq(
	    http_get(&s, V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN, &r), 0);
	ck_assert_str_eq(jstr(r.json, "data.0.id"), id);
	ck_assert_int_eq((int)jlen(r.json, "data"), 1);
	http_resp_free(&r);

	/* references land in bodies too */
	post_batch(&s, V, ADMIN "&include_headers=false&",
	    "["
	    "{\"method\":\"GET\",\"name\":\"who\",\"relative_url\":\"" DEMO_MANAGER_USER
	    "\"},"
	    "{\"method\":\"DELETE\",\"relative_url\":\"" DEMO_WABA
	    "/assigned_users?user={result=who:$.id}\"},"
	    "{\"method\":\"POST\",\"relative_url\":\"" DEMO_WABA_NOPHONES
	    "/assigned_users\",\"body\":\"user={result=who:$.id}&"
	    "tasks=MANAGE,DEVELOP\"}]",
	    &r);
	expect_items(&r, 3);
	b = body_of(&r, 1);
	ck_assert(jeq(b, "{\"success\":true}"));
	json_object_put(b);
	b = body_of(&r, 2);
	ck_assert(jeq(b, "{\"success\":true}"));
	json_object_put(b);
	http_resp_free(&r);
	ck_assert_int_eq(http_get(&s,
	                     V DEMO_WABA_NOPHONES "/assigned_users?"
	                                          "business=" DEMO_BUSINESS
	                                          "&" ADMIN,
	                     &r),
	    0);
	ck_assert(jeq(jget(r.json, "data"),
	    "[{\"id\":\"3000000000000003\","
	    "\"name\":\"Mark Manager\",\"tasks\":[\"MANAGE\",\"DEVELOP\"]}]"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_batch_dependency_failed)
{
	struct server s;
	struct http_resp r;

	start(&s, NULL);
	post_batch(&s, V, ADMIN "&",
	    "["
	    "{\"method\":\"GET\",\"name\":\"bad\",\"relative_url\":"
	    "\"4999999999999999\"},"
	    "{\"method\":\"GET\",\"depends_on\":\"bad\",\"relative_url\":\"" DEMO_WABA
	    "\"},"
	    "{\"method\":\"GET\",\"name\":\"good\",\"relative_url\":\"" DEMO_WABA
	    "\"},"
	    "{\"method\":\"GET\",\"depends_on\":\"good\",\"relative_url\":\"" DEMO_PHONE
	    "\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"{result=bad:$.id}\"}]",
	    &r);
	expect_items(&r, 5);
	expect_item_error(&r, 0, 400, 100);
	ck_assert(json_object_is_type(item(&r, 1), json_type_null));
	ck_assert_int_eq(jint(item(&r, 2), "code"), 200);
	ck_assert_int_eq(jint(item(&r, 3), "code"), 200);
	/* a reference to a failed item finds nothing: an error, not a guess */
	expect_item_error(&r, 4, 400, 100);
	http_resp_free(&r);

	/* a chain stops at the first failure */
	post_batch(&s, V, ADMIN "&",
	    "["
	    "{\"method\":\"POST\",\"name\":\"a\",\"relative_url\":\"" DEMO_WABA_LABS
	    "/phone_numbers\",\"body\":\"cc=1&"
	    "phone_number=5550100499&verified_name=Full\"},"
	    "{\"method\":\"GET\",\"name\":\"b\",\"depends_on\":\"a\","
	    "\"relative_url\":\"{result=a:$.id}\"},"
	    "{\"method\":\"GET\",\"depends_on\":\"b\",\"relative_url\":\"" DEMO_WABA
	    "\"}]",
	    &r);
	expect_items(&r, 3);
	expect_item_error(&r, 0, 400, 200000);
	ck_assert(json_object_is_type(item(&r, 1), json_type_null));
	ck_assert(json_object_is_type(item(&r, 2), json_type_null));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_batch_headers_and_omit)
{
	struct server s;
	struct http_resp r;
	size_t i;

	start(&s, NULL);
	post_batch(&s, V, ADMIN "&include_headers=false&", two_reads, &r);
	expect_items(&r, 2);
	for (i = 0; i < 2; i++)
		ck_assert_str_eq(keys_of_item(&r, i), "code,body");
	http_resp_free(&r);

	post_batch(&s, V, ADMIN "&include_headers=0&", two_reads, &r);
	expect_items(&r, 2);
	ck_assert_ptr_null(jget(item(&r, 0), "headers"));
	http_resp_free(&r);

	post_batch(&s, V, ADMIN "&include_headers=true&", two_reads, &r);
	expect_items(&r, 2);
	ck_assert_ptr_nonnull(jget(item(&r, 0), "headers"));
	http_resp_free(&r);

	/* omit_response_on_success: null when it worked, the error if not */
	post_batch(&s, V, ADMIN "&",
	    "["
	    "{\"method\":\"POST\",\"relative_url\":\"" DEMO_WABA
	    "/assigned_users\",\"body\":\"user=" DEMO_NOACCESS_USER
	    "&tasks=MANAGE\",\"omit_response_on_success\":true},"
	    "{\"method\":\"POST\",\"relative_url\":\"" DEMO_WABA
	    "/assigned_users\",\"body\":\"user=" DEMO_NOACCESS_USER
	    "&tasks=OWN\",\"omit_response_on_success\":true},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA
	    "\",\"omit_response_on_success\":false}]",
	    &r);
	expect_items(&r, 3);
	ck_assert(json_object_is_type(item(&r, 0), json_type_null));
	expect_item_error(&r, 1, 400, 100);
	ck_assert_int_eq(jint(item(&r, 2), "code"), 200);
	http_resp_free(&r);

	/* the omitted write did happen */
	ck_assert_int_eq(http_get(&s,
	                     V DEMO_WABA
	                     "/assigned_users?business=" DEMO_BUSINESS
	                     "&fields=id,tasks&" ADMIN,
	                     &r),
	    0);
	ck_assert(jeq(jget(r.json, "data.2"),
	    "{\"id\":\"3000000000000004\","
	    "\"tasks\":[\"MANAGE\"]}"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_batch_item_errors)
{
	struct server s;
	struct http_resp r;
	struct json_object *b;
	size_t i;

	start(&s, NULL);
	post_batch(&s, V, ADMIN "&",
	    "["
	    "{\"method\":\"GET\",\"relative_url\":\"4999999999999999\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA
	    "?fields=colour\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA
	    "/phone_numbers/extra\"},"
	    "{\"method\":\"POST\",\"relative_url\":\"" DEMO_WABA_NOPHONES
	    "/phone_numbers\",\"body\":\"cc=1&phone_number=5550100200&"
	    "verified_name=Dup\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_NOPHONES
	    "?fields=template_performance_metrics\"},"
	    "{\"method\":\"GET\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA "\"}]",
	    &r);
	expect_items(&r, 7);
	expect_item_error(&r, 0, 400, 100);
	b = body_of(&r, 0);
	ck_assert_int_eq(jint(b, "error.error_subcode"), 33);
	ck_assert_str_eq(jstr(b, "error.type"), "GraphMethodException");
	json_object_put(b);
	expect_item_error(&r, 1, 400, 100);
	b = body_of(&r, 1);
	ck_assert_str_eq(jstr(b, "error.message"),
	    "(#100) Tried accessing "
	    "nonexisting field (colour) on node type "
	    "(WhatsAppBusinessAccount)");
	json_object_put(b);
	expect_item_error(&r, 2, 400, 2500);
	expect_item_error(&r, 3, 400, 200000);
	expect_item_error(&r, 4, 400, 200005);
	/* no relative_url: an error item, and the others still run */
	expect_item_error(&r, 5, 400, 100);
	b = body_of(&r, 5);
	ck_assert_ptr_nonnull(strstr(jstr(b, "error.message"), "relative_url"));
	ck_assert_str_eq(jstr(b, "error.fbtrace_id"),
	    item_header(&r, 5, "x-fb-request-id"));
	json_object_put(b);
	ck_assert_int_eq(jint(item(&r, 6), "code"), 200);
	/* each error's trace id is its own and matches its header */
	for (i = 0; i < 6; i++) {
		b = body_of(&r, i);
		ck_assert_str_eq(jstr(b, "error.fbtrace_id"),
		    item_header(&r, i, "x-fb-request-id"));
		json_object_put(b);
	}
	http_resp_free(&r);

	/* the rejected write changed nothing */
	ck_assert_int_eq(
	    http_get(&s, V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN, &r), 0);
	ck_assert(jeq(r.json, "{\"data\":[]}"));
	http_resp_free(&r);

	/* no method: GET */
	post_batch(&s, V, ADMIN "&include_headers=false&",
	    "[{\"relative_url\":\"" DEMO_PHONE "?fields=status\"}]", &r);
	expect_items(&r, 1);
	b = body_of(&r, 0);
	ck_assert(jeq(b,
	    "{\"status\":\"CONNECTED\","
	    "\"id\":\"5000000000000001\"}"));
	json_object_put(b);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* --rate-limit 3: the fourth and fifth reads of one WABA are refused. */
START_TEST(test_batch_rate_limit)
{
	const char *args[] = { "--rate-limit", "3", NULL };
	struct server s;
	struct http_resp r;
	struct json_object *b;
	size_t i;

	start(&s, args);
	post_batch(&s, V, ADMIN "&",
	    "["
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_NOPHONES "\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_NOPHONES "\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_NOPHONES "\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_NOPHONES "\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_NOPHONES "\"}]",
	    &r);
	expect_items(&r, 5);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(jint(item(&r, i), "code"), 200);
		ck_assert_ptr_nonnull(
		    item_header(&r, i, "X-Business-Use-Case-Usage"));
	}
	for (i = 3; i < 5; i++) {
		expect_item_error(&r, i, 429, 80008);
		b = body_of(&r, i);
		ck_assert_int_eq(jint(b, "error.error_subcode"), 2446079);
		ck_assert(jeq(jget(b, "error.is_transient"), "true"));
		json_object_put(b);
	}
	/* the batch itself is not a WABA call */
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);

	/* the items counted: a direct call is refused as well */
	ck_assert_int_eq(http_get(&s, V DEMO_WABA_NOPHONES "?" ADMIN, &r), 0);
	ck_assert_int_eq(r.status, 429);
	ck_assert_int_eq(jint(r.json, "error.code"), 80008);
	http_resp_free(&r);

	/* another WABA, and calls outside the limit, still go through */
	post_batch(&s, V, ADMIN "&",
	    "["
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_LABS "\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_NOPHONES
	    "/phone_numbers\"}]",
	    &r);
	expect_items(&r, 2);
	ck_assert_int_eq(jint(item(&r, 0), "code"), 200);
	ck_assert_int_eq(jint(item(&r, 1), "code"), 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* A batch item is a Graph call: the control plane is not under it. */
START_TEST(test_batch_no_control_plane)
{
	struct server s;
	struct http_resp r;
	struct json_object *b;

	start(&s, NULL);
	post_batch(&s, "/v24.0/", "access_token=" TOK_ADMIN "&",
	    "[{\"method\":\"GET\",\"relative_url\":\"_emulator/state\"},"
	    "{\"method\":\"POST\",\"relative_url\":\"/_emulator/reset\"}]",
	    &r);
	expect_items(&r, 2);
	expect_item_error(&r, 0, 400, 2500);
	b = body_of(&r, 0);
	ck_assert_ptr_null(jget(b, "apps"));
	json_object_put(b);
	ck_assert_int_ne(jint(item(&r, 1), "code"), 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* Items on the batch's token inherit its appsecret_proof. */
START_TEST(test_batch_inherits_proof)
{
	static const char secret[] = "secure-app-secret";
	char hex[65], pre[512];
	struct server s;
	struct http_resp r;

	hmac_hex(secret, TOK_SECURE, hex);
	start(&s, NULL);
	snprintf(pre, sizeof(pre),
	    "access_token=" TOK_SECURE "&appsecret_proof=%s&", hex);
	post_batch(&s, "/v24.0/", pre, two_reads, &r);
	expect_items(&r, 2);
	ck_assert_int_eq(jint(item(&r, 0), "code"), 200);
	ck_assert_int_eq(jint(item(&r, 1), "code"), 200);
	http_resp_free(&r);
	/* without the proof the batch call itself is refused */
	post_batch(&s, "/v24.0/", "access_token=" TOK_SECURE "&", two_reads,
	    &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_int_eq(jint(r.json, "error.code"), 100);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("batch");
	TCase *tc = tcase_create("demo");
	TCase *rl = tcase_create("rate limit 3");

	tcase_add_test(tc, test_batch_form_field);
	tcase_add_test(tc, test_batch_json_body);
	tcase_add_test(tc, test_batch_size);
	tcase_add_test(tc, test_batch_item_tokens);
	tcase_add_test(tc, test_batch_references);
	tcase_add_test(tc, test_batch_dependency_failed);
	tcase_add_test(tc, test_batch_headers_and_omit);
	tcase_add_test(tc, test_batch_item_errors);
	tcase_add_test(tc, test_batch_no_control_plane);
	tcase_add_test(tc, test_batch_inherits_proof);
	tcase_add_test(rl, test_batch_rate_limit);
	tcase_set_timeout(tc, 60);
	tcase_set_timeout(rl, 60);
	suite_add_tcase(su, tc);
	suite_add_tcase(su, rl);
	return suite_run(su);
}
