/*
 * test_graph.c - the WhatsApp Business Management endpoints against the
 * demo fixtures, called the way the documentation pages call them: WABA
 * lists with fields, filtering, sort and paging; the Business, WABA and
 * phone number nodes with edges and analytics as fields; adding and
 * migrating phone numbers; assigned users; debug_token; and the official
 * Node SDK's quirks.  Every write is read back, and every rejected write
 * is shown to change nothing.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../suite.h"

#define V "/v24.0/"
#define AT "access_token="
#define ADMIN AT TOK_ADMIN
#define OWNED V DEMO_BUSINESS "/owned_whatsapp_business_accounts"
#define CLIENT V DEMO_BUSINESS "/client_whatsapp_business_accounts"
#define DEMO_PHONE2 "5000000000000002"
#define DEMO_PHONE_CLIENT "5000000000000003"

/* ---- helpers ------------------------------------------------------- */

/* one request to a printf-formatted path (harness.h) */
#define call(s, r, method, body, ctype, ...) \
	http_reqf(s, r, method, body, ctype, NULL, __VA_ARGS__)

#define GET(s, r, ...) call(s, r, "GET", NULL, NULL, __VA_ARGS__)
#define POST(s, r, form, ...) call(s, r, "POST", form, NULL, __VA_ARGS__)
#define POSTJ(s, r, json, ...) \
	call(s, r, "POST", json, "application/json", __VA_ARGS__)
#define DEL(s, r, ...) call(s, r, "DELETE", NULL, NULL, __VA_ARGS__)

/* A GET with a header (NULL: none), e.g. Authorization: Bearer. */
static void
get_with(const struct server *s, struct http_resp *r, const char *header,
    const char *path)
{
	const char *h[] = { header, NULL };

	ck_assert_int_eq(http_req(s, "GET", path, NULL, NULL, h, r), 0);
}

/* Follows a paging URL verbatim: it must point at this server. */
static void
follow(const struct server *s, const char *url, struct http_resp *r)
{
	size_t n = strlen(s->base);

	ck_assert_msg(strncmp(url, s->base, n) == 0 && url[n] == '/',
	    "paging URL %s is not on %s", url, s->base);
	ck_assert_int_eq(http_get(s, url + n, r), 0);
}

/* The object's keys in order, comma-joined (valid until the next call). */
static const char *
keys(struct json_object *o)
{
	static char buf[2048];
	size_t n = 0;

	buf[0] = '\0';
	ck_assert(o != NULL && json_object_is_type(o, json_type_object));
	json_object_object_foreach(o, k, v) {
		(void)v;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    n ? "," : "", k);
		ck_assert_uint_lt(n, sizeof(buf));
	}
	return buf;
}

/* A Graph error with this HTTP status and code (default profile). */
static void
expect_error(const struct http_resp *r, long status, long long code)
{
	ck_assert_msg(r->status == status &&
	        jint(r->json, "error.code") == code,
	    "expected %ld/%lld, got %ld: %s", status, code, r->status, r->body);
	ck_assert_str_ne(jstr(r->json, "error.fbtrace_id"), "");
	ck_assert_str_eq(jstr(r->json, "error.fbtrace_id"),
	    http_header(r, "x-fb-request-id"));
}

static void
expect_ok(const struct http_resp *r)
{
	ck_assert_msg(r->status == 200, "expected 200, got %ld: %s", r->status,
	    r->body);
}

/* The error message contains every one of the NULL-terminated words. */
static void
expect_message_names(const struct http_resp *r, ...)
{
	const char *msg = jstr(r->json, "error.message"), *w;
	va_list ap;

	va_start(ap, r);
	while ((w = va_arg(ap, const char *)) != NULL)
		ck_assert_msg(strstr(msg, w) != NULL,
		    "message \"%s\" does not name %s", msg, w);
	va_end(ap);
}

/* The body of a successful GET, kept to compare after a rejected write. */
static struct json_object *
snapshot(const struct server *s, const char *path)
{
	struct http_resp r;
	struct json_object *o;

	ck_assert_int_eq(http_get(s, path, &r), 0);
	expect_ok(&r);
	o = json_object_get(r.json);
	http_resp_free(&r);
	return o;
}

static void
unchanged(const struct server *s, const char *path, struct json_object *old)
{
	struct http_resp r;

	ck_assert_int_eq(http_get(s, path, &r), 0);
	expect_ok(&r);
	ck_assert_msg(json_object_equal(old, r.json),
	    "%s changed: was %s, now %s", path, json_object_to_json_string(old),
	    r.body);
	http_resp_free(&r);
	json_object_put(old);
}

static void
start(struct server *s)
{
	ck_assert_int_eq(server_start(s, NULL), 0);
}

/* ---- owned and client WABA lists ----------------------------------- */

START_TEST(test_owned_default_fields)
{
	struct server s;
	struct http_resp r;
	size_t i;

	start(&s);
	GET(&s, &r, OWNED "?" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"),
	    DEMO_WABA "," DEMO_WABA_NOPHONES "," DEMO_WABA_LABS);
	for (i = 0; i < 3; i++) {
		char p[16];

		snprintf(p, sizeof(p), "data.%zu", i);
		ck_assert_str_eq(keys(jget(r.json, p)),
		    "id,name,currency,"
		    "timezone_id,message_template_namespace");
	}
	ck_assert_str_eq(jstr(r.json, "data.0.name"), "Jasper's Market");
	ck_assert_str_eq(jstr(r.json, "data.0.currency"), "USD");
	ck_assert_str_eq(jstr(r.json, "data.0.timezone_id"), "1");
	ck_assert_int_eq(
	    (int)strlen(jstr(r.json, "data.0.message_template_namespace")), 13);
	/* one page: cursors, but nowhere to go */
	ck_assert_str_eq(keys(jget(r.json, "paging")), "cursors");
	ck_assert_str_eq(keys(jget(r.json, "paging.cursors")), "before,after");
	ck_assert_str_eq(keys(r.json), "data,paging");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_owned_fields_param)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, OWNED "?fields=id,name,creation_time&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data"),
	    "["
	    "{\"id\":\"4000000000000001\",\"name\":\"Jasper's Market\","
	    "\"creation_time\":1600000000},"
	    "{\"id\":\"4000000000000002\",\"name\":\"Jasper's Market Support\","
	    "\"creation_time\":1610000000},"
	    "{\"id\":\"4000000000000005\",\"name\":\"Jasper's Market Labs\","
	    "\"creation_time\":1640000000}]"));
	ck_assert_str_eq(keys(jget(r.json, "data.0")), "id,name,creation_time");
	ck_assert_int_eq(jint(r.json, "data.1.creation_time"), 1610000000);
	http_resp_free(&r);

	/* id rides along, last, when not asked for */
	GET(&s, &r, OWNED "?fields=ownership_type,name&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(jget(r.json, "data.2")),
	    "ownership_type,name,id");
	ck_assert_str_eq(jstr(r.json, "data.2.ownership_type"), "SELF");
	http_resp_free(&r);

	GET(&s, &r, OWNED "?fields=name,bogus&" ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#100) Tried "
	    "accessing nonexisting field (bogus) on node type "
	    "(WhatsAppBusinessAccount)");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* The documentation's request, single quotes, spaces and header as written. */
START_TEST(test_owned_filter_seed_example)
{
	struct server s;
	struct http_resp r;

	start(&s);
	get_with(&s, &r, "Authorization: Bearer " TOK_ADMIN,
	    OWNED
	    "?fields=id,name,creation_time"
	    "&filtering=[{'field':'creation_time',%20'operator':%20'IN_RANGE',"
	    "%20'value':%20['1569783261',%20'1604542049']}]");
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data"),
	    "[{\"id\":\"4000000000000001\","
	    "\"name\":\"Jasper's Market\",\"creation_time\":1600000000}]"));
	ck_assert_str_ne(jstr(r.json, "paging.cursors.before"), "");
	ck_assert_str_ne(jstr(r.json, "paging.cursors.after"), "");
	ck_assert_ptr_null(jget(r.json, "paging.next"));
	http_resp_free(&r);

	/* the same, form-encoded as a client library would send it */
	get_with(&s, &r, "Authorization: Bearer " TOK_ADMIN,
	    OWNED
	    "?fields=id,name,creation_time&filtering=%5B%7B%27field%27%3A%27"
	    "creation_time%27%2C+%27operator%27%3A+%27IN_RANGE%27%2C+%27value"
	    "%27%3A+%5B%271569783261%27%2C+%271604542049%27%5D%7D%5D");
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_owned_filter_creation_time)
{
	struct server s;
	struct http_resp r;

	start(&s);
	/* bounds are strict: 1610000000 is the Support WABA's own time */
	GET(&s, &r,
	    OWNED "?filtering=[{'field':'creation_time','operator':"
	          "'LESS_THAN','value':'1610000000'}]&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA);
	http_resp_free(&r);

	/* the manage-accounts page's double-quoted JSON, URL-encoded */
	GET(&s, &r,
	    OWNED
	    "?filtering=%%5B%%7B%%22field%%22%%3A%%22"
	    "creation_time%%22%%2C%%22operator%%22%%3A%%22GREATER_THAN%%22"
	    "%%2C%%22value%%22%%3A%%221610000000%%22%%7D%%5D&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA_LABS);
	http_resp_free(&r);

	GET(&s, &r,
	    OWNED "?filtering=[{'field':'creation_time','operator':"
	          "'IN_RANGE','value':['1600000000','1610000000']}]&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"),
	    DEMO_WABA "," DEMO_WABA_NOPHONES);
	http_resp_free(&r);

	/* two filters together narrow further */
	GET(&s, &r,
	    OWNED
	    "?filtering=[{'field':'creation_time','operator':"
	    "'GREATER_THAN','value':'1600000000'},{'field':'creation_time',"
	    "'operator':'LESS_THAN','value':'1640000000'}]&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA_NOPHONES);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_owned_filter_ownership_type)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r,
	    OWNED "?filtering=[{'field':'ownership_type','operator':"
	          "'EQUAL','value':'SELF'}]&fields=ownership_type&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"),
	    DEMO_WABA "," DEMO_WABA_NOPHONES "," DEMO_WABA_LABS);
	http_resp_free(&r);

	GET(&s, &r,
	    OWNED "?filtering=[{'field':'ownership_type','operator':"
	          "'IN','value':['SELF','CLIENT_OWNED']}]&" ADMIN);
	expect_ok(&r);
	ck_assert_int_eq((int)jlen(r.json, "data"), 3);
	http_resp_free(&r);

	/* the client-WABA page's example */
	GET(&s, &r,
	    CLIENT "?filtering=[{'field':'ownership_type','operator':"
	           "'IN','value':['SELF','CLIENT_OWNED']}]&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA_CLIENT);
	http_resp_free(&r);

	GET(&s, &r,
	    CLIENT "?filtering=[{'field':'ownership_type','operator':"
	           "'EQUAL','value':'SELF'}]&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"data\":[]}"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_owned_filter_errors)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r,
	    OWNED "?filtering=[{'field':'colour','operator':'EQUAL',"
	          "'value':'red'}]&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "colour", NULL);
	http_resp_free(&r);

	GET(&s, &r,
	    OWNED "?filtering=[{'field':'creation_time','operator':"
	          "'EQUAL','value':'1600000000'}]&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "EQUAL", "creation_time", NULL);
	http_resp_free(&r);

	GET(&s, &r,
	    OWNED "?filtering=[{'field':'ownership_type','operator':"
	          "'IN','value':['MINE']}]&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "MINE", "SELF", "CLIENT_OWNED", NULL);
	http_resp_free(&r);

	GET(&s, &r,
	    OWNED "?filtering=[{'field':'creation_time','operator':"
	          "'LESS_THAN','value':'yesterday'}]&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "yesterday", NULL);
	http_resp_free(&r);

	GET(&s, &r, OWNED "?filtering=creation_time&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "filtering", NULL);
	http_resp_free(&r);

	GET(&s, &r, OWNED "?sort=name_ascending&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "name_ascending", NULL);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_owned_sort)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, OWNED "?sort=creation_time_descending&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"),
	    DEMO_WABA_LABS "," DEMO_WABA_NOPHONES "," DEMO_WABA);
	http_resp_free(&r);

	/* ["creation_time_descending"], as a JSON array */
	GET(&s, &r,
	    OWNED "?sort=%%5B%%22creation_time_descending%%22%%5D&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"),
	    DEMO_WABA_LABS "," DEMO_WABA_NOPHONES "," DEMO_WABA);
	http_resp_free(&r);

	GET(&s, &r, OWNED "?sort=['creation_time_ascending']&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"),
	    DEMO_WABA "," DEMO_WABA_NOPHONES "," DEMO_WABA_LABS);
	http_resp_free(&r);

	/* sort and filtering together */
	GET(&s, &r,
	    OWNED
	    "?sort=creation_time_descending&filtering=[{'field':"
	    "'creation_time','operator':'LESS_THAN','value':'1640000000'}]&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"),
	    DEMO_WABA_NOPHONES "," DEMO_WABA);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/*
 * limit=1 from the first page to the last through paging.next, then back
 * through paging.previous: the ids seen each way must be forward and
 * backward.  header (may be NULL) goes with the first request only.
 */
static void
walk(const struct server *s, const char *first, const char *header,
    const char *forward, const char *backward)
{
	struct http_resp r;
	char seen[1024] = "", url[2048];
	int page = 0;

	get_with(s, &r, header, first);
	for (;;) {
		expect_ok(&r);
		ck_assert_int_eq((int)jlen(r.json, "data"), 1);
		ck_assert_str_ne(jstr(r.json, "paging.cursors.before"), "");
		ck_assert_str_ne(jstr(r.json, "paging.cursors.after"), "");
		if (page == 0)
			ck_assert_ptr_null(jget(r.json, "paging.previous"));
		else
			ck_assert_ptr_nonnull(jget(r.json, "paging.previous"));
		snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen),
		    "%s%s", page ? "," : "", jstr(r.json, "data.0.id"));
		page++;
		if (jget(r.json, "paging.next") == NULL)
			break;
		ck_assert_int_lt(page, 10);
		snprintf(url, sizeof(url), "%s", jstr(r.json, "paging.next"));
		/* the link carries the token and every parameter */
		ck_assert_ptr_nonnull(strstr(url, AT TOK_ADMIN));
		ck_assert_ptr_nonnull(strstr(url, "limit=1"));
		http_resp_free(&r);
		follow(s, url, &r);
	}
	ck_assert_str_eq(seen, forward);

	seen[0] = '\0';
	page = 0;
	for (;;) {
		snprintf(url, sizeof(url), "%s",
		    jstr(r.json, "paging.previous"));
		http_resp_free(&r);
		follow(s, url, &r);
		expect_ok(&r);
		ck_assert_int_eq((int)jlen(r.json, "data"), 1);
		ck_assert_ptr_nonnull(jget(r.json, "paging.next"));
		ck_assert_str_ne(jstr(r.json, "paging.cursors.before"), "");
		snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen),
		    "%s%s", page ? "," : "", jstr(r.json, "data.0.id"));
		page++;
		if (jget(r.json, "paging.previous") == NULL)
			break;
		ck_assert_int_lt(page, 10);
	}
	ck_assert_str_eq(seen, backward);
	http_resp_free(&r);
}

START_TEST(test_owned_paging_walk)
{
	struct server s;

	start(&s);
	walk(&s, OWNED "?limit=1&" ADMIN, NULL,
	    DEMO_WABA "," DEMO_WABA_NOPHONES "," DEMO_WABA_LABS,
	    DEMO_WABA_NOPHONES "," DEMO_WABA);
	/* a header token must ride along in the links, as must sort */
	walk(&s, OWNED "?limit=1&sort=creation_time_descending&fields=id,name",
	    "Authorization: Bearer " TOK_ADMIN,
	    DEMO_WABA_LABS "," DEMO_WABA_NOPHONES "," DEMO_WABA,
	    DEMO_WABA_NOPHONES "," DEMO_WABA_LABS);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_owned_paging_keeps_filter)
{
	struct server s;
	struct http_resp r;
	char url[2048];

	start(&s);
	GET(&s, &r,
	    OWNED "?limit=1&fields=id,creation_time&filtering=["
	          "{'field':'creation_time','operator':'GREATER_THAN','value':"
	          "'1600000000'}]&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA_NOPHONES);
	snprintf(url, sizeof(url), "%s", jstr(r.json, "paging.next"));
	http_resp_free(&r);
	follow(&s, url, &r);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA_LABS);
	ck_assert_str_eq(keys(jget(r.json, "data.0")), "id,creation_time");
	ck_assert_ptr_null(jget(r.json, "paging.next"));
	http_resp_free(&r);

	GET(&s, &r, OWNED "?after=bm90LWEtY3Vyc29y&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "after", NULL);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_owned_summary)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, OWNED "?limit=1&summary=total_count&" ADMIN);
	expect_ok(&r);
	ck_assert_int_eq((int)jlen(r.json, "data"), 1);
	ck_assert_int_eq(jint(r.json, "summary.total_count"), 3);
	http_resp_free(&r);

	GET(&s, &r,
	    OWNED
	    "?summary=total_count&filtering=[{'field':"
	    "'creation_time','operator':'LESS_THAN','value':'1610000000'}]&" ADMIN);
	expect_ok(&r);
	ck_assert_int_eq(jint(r.json, "summary.total_count"), 1);
	http_resp_free(&r);

	/* without summary=, no summary */
	GET(&s, &r, OWNED "?" ADMIN);
	ck_assert_ptr_null(jget(r.json, "summary"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_owned_limit_clamped)
{
	struct server s;
	struct http_resp r;
	char doc[20000], url[2048];
	size_t n;
	int i;

	start(&s);
	n = (size_t)snprintf(doc, sizeof(doc), "{\"wabas\":[");
	for (i = 0; i < 101; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n,
		    "%s{\"business\":\"" DEMO_BUSINESS "\","
		    "\"name\":\"Bulk %d\",\"creation_time\":%d}",
		    i ? "," : "", i, 1650000000 + i);
	snprintf(doc + n, sizeof(doc) - n, "]}");
	ck_assert_int_eq(http_post_json(&s, "/_emulator/fixtures", doc, &r), 0);
	expect_ok(&r);
	ck_assert_int_eq((int)jlen(r.json, "wabas"), 101);
	http_resp_free(&r);

	GET(&s, &r, OWNED "?limit=1000&fields=id&summary=total_count&" ADMIN);
	expect_ok(&r);
	ck_assert_int_eq((int)jlen(r.json, "data"), 100);
	ck_assert_int_eq(jint(r.json, "summary.total_count"), 104);
	snprintf(url, sizeof(url), "%s", jstr(r.json, "paging.next"));
	http_resp_free(&r);
	follow(&s, url, &r);
	expect_ok(&r);
	ck_assert_int_eq((int)jlen(r.json, "data"), 4);
	ck_assert_ptr_null(jget(r.json, "paging.next"));
	http_resp_free(&r);

	/* the default page is 25 */
	GET(&s, &r, OWNED "?fields=id&" ADMIN);
	expect_ok(&r);
	ck_assert_int_eq((int)jlen(r.json, "data"), 25);
	ck_assert_ptr_nonnull(jget(r.json, "paging.next"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_owned_empty)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r,
	    OWNED "?filtering=[{'field':'creation_time','operator':"
	          "'LESS_THAN','value':'1000'}]&summary=total_count&" ADMIN);
	expect_ok(&r);
	/* an empty list has no paging; summary still counts */
	ck_assert_ptr_null(jget(r.json, "paging"));
	ck_assert_int_eq((int)jlen(r.json, "data"), 0);
	http_resp_free(&r);

	GET(&s, &r,
	    OWNED "?filtering=[{'field':'ownership_type','operator':"
	          "'EQUAL','value':'ON_BEHALF_OF'}]&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"data\":[]}"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_client_wabas)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, CLIENT "?" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA_CLIENT);
	ck_assert(jeq(jget(r.json, "data.0.permitted_tasks"),
	    "[\"MANAGE\",\"DEVELOP\"]"));
	ck_assert_str_eq(jstr(r.json, "data.0.name"), "Lucky Shrub");
	ck_assert_str_eq(jstr(r.json, "data.0.currency"), "GBP");
	ck_assert_str_eq(jstr(r.json, "data.0.timezone_id"), "49");
	http_resp_free(&r);

	GET(&s, &r, CLIENT "?fields=permitted_tasks,ownership_type&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(jget(r.json, "data.0")),
	    "permitted_tasks,ownership_type,id");
	ck_assert_str_eq(jstr(r.json, "data.0.ownership_type"), "CLIENT_OWNED");
	http_resp_free(&r);

	/* Lucky Shrub is shared nothing */
	GET(&s, &r,
	    V DEMO_PARTNER_BUSINESS "/client_whatsapp_business_accounts"
	                            "?" AT TOK_PARTNER);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"data\":[]}"));
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_PARTNER_BUSINESS "/owned_whatsapp_business_accounts"
	                            "?" AT TOK_PARTNER);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA_CLIENT);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_business_node)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, V DEMO_BUSINESS "?" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json,
	    "{\"id\":\"2000000000000001\","
	    "\"name\":\"Jasper's Market\"}"));
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_BUSINESS "?fields=name,verification_status,country&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json), "name,verification_status,country,id");
	ck_assert_str_eq(jstr(r.json, "verification_status"), "verified");
	ck_assert_str_eq(jstr(r.json, "country"), "US");
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_BUSINESS "?fields=owned_whatsapp_business_accounts"
	                    ".limit(2){id,name}&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "owned_whatsapp_business_accounts.data"),
	    DEMO_WABA "," DEMO_WABA_NOPHONES);
	ck_assert_str_ne(jstr(r.json,
	                     "owned_whatsapp_business_accounts.paging"
	                     ".cursors.after"),
	    "");
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_PARTNER_BUSINESS
	    "?fields=verification_status&" AT TOK_PARTNER);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "verification_status"), "not_verified");
	http_resp_free(&r);

	GET(&s, &r, V DEMO_BUSINESS "?fields=phone_numbers&" ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#100) Tried "
	    "accessing nonexisting field (phone_numbers) on node type "
	    "(Business)");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- the WABA node ------------------------------------------------- */

START_TEST(test_waba_default_fields)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, V DEMO_WABA "?" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json),
	    "id,name,currency,timezone_id,message_template_namespace");
	ck_assert_str_eq(jstr(r.json, "id"), DEMO_WABA);
	ck_assert_str_eq(jstr(r.json, "name"), "Jasper's Market");
	ck_assert_str_eq(jstr(r.json, "currency"), "USD");
	ck_assert_str_eq(jstr(r.json, "timezone_id"), "1");
	ck_assert_ptr_nonnull(http_header(&r, "etag"));
	http_resp_free(&r);

	/* unversioned: the default version, echoed */
	GET(&s, &r, "/" DEMO_WABA_CLIENT "?" AT TOK_PARTNER);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "currency"), "GBP");
	ck_assert_str_eq(jstr(r.json, "timezone_id"), "49");
	ck_assert_str_eq(http_header(&r, "facebook-api-version"), "v24.0");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_waba_every_field)
{
	struct server s;
	struct http_resp r;
	struct json_object *obo;

	start(&s);
	GET(&s, &r,
	    V DEMO_WABA_CLIENT
	    "?fields=analytics.start(1700000000)"
	    ".end(1700086400),business_verification_status,country,currency,"
	    "is_enabled_for_insights,message_template_namespace,name,"
	    "on_behalf_of_business_info,ownership_type,primary_funding_id,"
	    "purchase_order_number,timezone_id,creation_time,"
	    "account_review_status,owner_business_info,status&" AT TOK_PARTNER);
	expect_ok(&r);
	/* absent values are left out; id comes last */
	ck_assert_str_eq(keys(r.json),
	    "analytics,business_verification_status,"
	    "country,currency,is_enabled_for_insights,"
	    "message_template_namespace,name,on_behalf_of_business_info,"
	    "ownership_type,timezone_id,creation_time,account_review_status,"
	    "owner_business_info,status,id");
	ck_assert(
	    jeq(jget(r.json, "analytics.phone_numbers"), "[\"447700900123\"]"));
	ck_assert_str_eq(jstr(r.json, "business_verification_status"),
	    "not_verified");
	ck_assert_str_eq(jstr(r.json, "country"), "GB");
	ck_assert_str_eq(jstr(r.json, "currency"), "GBP");
	ck_assert(jeq(jget(r.json, "is_enabled_for_insights"), "false"));
	ck_assert_str_eq(jstr(r.json, "name"), "Lucky Shrub");
	obo = jget(r.json, "on_behalf_of_business_info");
	ck_assert(jeq(obo,
	    "{\"id\":\"2000000000000001\",\"name\":"
	    "\"Jasper's Market\",\"status\":\"APPROVED\","
	    "\"type\":\"PARTNER\"}"));
	ck_assert_str_eq(jstr(r.json, "ownership_type"), "CLIENT_OWNED");
	ck_assert_str_eq(jstr(r.json, "timezone_id"), "49");
	ck_assert_int_eq(jint(r.json, "creation_time"), 1620000000);
	ck_assert_str_eq(jstr(r.json, "account_review_status"), "APPROVED");
	ck_assert(jeq(jget(r.json, "owner_business_info"),
	    "{\"id\":\"2000000000000002\",\"name\":\"Lucky Shrub\"}"));
	ck_assert_str_eq(jstr(r.json, "status"), "ACTIVE");
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA
	    "?fields=primary_funding_id,"
	    "purchase_order_number,is_enabled_for_insights,"
	    "business_verification_status,ownership_type,country&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json,
	    "{\"primary_funding_id\":\"6000000000000001\","
	    "\"purchase_order_number\":\"PO-1001\","
	    "\"is_enabled_for_insights\":true,"
	    "\"business_verification_status\":\"verified\","
	    "\"ownership_type\":\"SELF\",\"country\":\"US\","
	    "\"id\":\"4000000000000001\"}"));
	http_resp_free(&r);

	/* the reference's other fields exist; without data they are left out */
	GET(&s, &r,
	    V DEMO_WABA_CLIENT
	    "?fields=is_shared_with_partners,"
	    "health_status,whatsapp_business_manager_messaging_limit,"
	    "template_auto_archival_enabled&" AT TOK_PARTNER);
	expect_ok(&r);
	ck_assert(jeq(r.json,
	    "{\"is_shared_with_partners\":true,"
	    "\"id\":\"4000000000000003\"}"));
	http_resp_free(&r);
	GET(&s, &r, V DEMO_WABA "?fields=is_shared_with_partners&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "is_shared_with_partners"), "false"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_waba_id_position)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, V DEMO_WABA "?fields=account_review_status&" ADMIN);
	expect_ok(&r);
	/* the manage-accounts page's example */
	ck_assert_str_eq(keys(r.json), "account_review_status,id");
	ck_assert(jeq(r.json,
	    "{\"account_review_status\":\"APPROVED\","
	    "\"id\":\"4000000000000001\"}"));
	http_resp_free(&r);

	GET(&s, &r, V DEMO_WABA "?fields=name,id,currency&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json), "name,id,currency");
	http_resp_free(&r);

	GET(&s, &r, V DEMO_WABA "?fields=id,name&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json), "id,name");
	http_resp_free(&r);

	GET(&s, &r, V DEMO_WABA "?fields=name.as(title),currency&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json), "title,currency,id");
	http_resp_free(&r);

	/* an alias cannot stand in for the id: the real one wins, last */
	GET(&s, &r, V DEMO_WABA "?fields=name.as(id)&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"id\":\"4000000000000001\"}"));
	http_resp_free(&r);
	GET(&s, &r, V DEMO_WABA "?fields=name.as(id),currency&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json), "currency,id");
	ck_assert_str_eq(jstr(r.json, "id"), DEMO_WABA);
	http_resp_free(&r);
	GET(&s, &r, OWNED "?fields=currency.as(id)&limit=1&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data"), "[{\"id\":\"4000000000000001\"}]"));
	http_resp_free(&r);
	/* id under another name is still the id, and id is still there */
	GET(&s, &r, V DEMO_WABA "?fields=id.as(waba),name&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json,
	    "{\"waba\":\"4000000000000001\","
	    "\"name\":\"Jasper's Market\",\"id\":\"4000000000000001\"}"));
	ck_assert_str_eq(keys(r.json), "waba,name,id");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_waba_edges_as_fields)
{
	struct server s;
	struct http_resp r;
	struct json_object *pn;
	char url[2048];

	start(&s);
	GET(&s, &r,
	    V DEMO_WABA "?fields=name,phone_numbers.limit(1)"
	                "{id,verified_name}&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json), "name,phone_numbers,id");
	pn = jget(r.json, "phone_numbers");
	ck_assert_int_eq((int)jlen(pn, "data"), 1);
	ck_assert(jeq(jget(pn, "data.0"),
	    "{\"id\":\"5000000000000001\","
	    "\"verified_name\":\"Jasper's Market\"}"));
	ck_assert_str_eq(keys(jget(pn, "data.0")), "id,verified_name");
	ck_assert_str_ne(jstr(pn, "paging.cursors.before"), "");
	ck_assert_str_ne(jstr(pn, "paging.cursors.after"), "");
	ck_assert_ptr_null(jget(pn, "paging.previous"));
	/* next pages through the edge itself, with the same fields */
	snprintf(url, sizeof(url), "%s", jstr(pn, "paging.next"));
	http_resp_free(&r);
	follow(&s, url, &r);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data"),
	    "[{\"id\":\"5000000000000002\","
	    "\"verified_name\":\"Jasper's Market\"}]"));
	ck_assert_ptr_null(jget(r.json, "paging.next"));
	http_resp_free(&r);

	/* without limit(): every number, the edge's default fields */
	GET(&s, &r, V DEMO_WABA "?fields=phone_numbers&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "phone_numbers.data"),
	    DEMO_PHONE "," DEMO_PHONE2);
	ck_assert_str_eq(keys(jget(r.json, "phone_numbers.data.1")),
	    "code_verification_status,display_phone_number,id,quality_rating,"
	    "verified_name");
	http_resp_free(&r);

	/* an edge with nothing in it */
	GET(&s, &r, V DEMO_WABA_NOPHONES "?fields=phone_numbers{id}&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "phone_numbers"), "{\"data\":[]}"));
	http_resp_free(&r);

	GET(&s, &r, V DEMO_WABA "?fields=phone_numbers{id,colour}&" ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#100) Tried "
	    "accessing nonexisting field (colour) on node type "
	    "(WhatsAppBusinessPhoneNumber)");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_waba_assigned_users_field)
{
	struct server s;
	struct http_resp r;
	char url[2048];

	start(&s);
	GET(&s, &r, V DEMO_WABA "?fields=name,assigned_users&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "business", NULL);
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA "?fields=name,assigned_users&business=" DEMO_BUSINESS
	                "&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "assigned_users.data"),
	    "[{\"id\":\"3000000000000002\",\"name\":\"Erin Employee\","
	    "\"tasks\":[\"DEVELOP\",\"VIEW_PHONE_ASSETS\"]},"
	    "{\"id\":\"3000000000000003\",\"name\":\"Mark Manager\","
	    "\"tasks\":[\"MANAGE\"]}]"));
	http_resp_free(&r);

	/* as on the edge itself, the business must own or share the WABA */
	GET(&s, &r,
	    V DEMO_WABA "?fields=assigned_users&business=" DEMO_BLOCKED_BUSINESS
	                "&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "business", DEMO_BLOCKED_BUSINESS, NULL);
	http_resp_free(&r);

	/* one a page: the next link still names the business */
	GET(&s, &r,
	    V DEMO_WABA "?fields=assigned_users.limit(1){name}&"
	                "business=" DEMO_BUSINESS "&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "assigned_users.data"),
	    DEMO_EMPLOYEE_USER);
	snprintf(url, sizeof(url), "%s",
	    jstr(r.json, "assigned_users.paging.next"));
	http_resp_free(&r);
	follow(&s, url, &r);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data"),
	    "[{\"name\":\"Mark Manager\","
	    "\"id\":\"3000000000000003\"}]"));
	http_resp_free(&r);

	/* reading users needs MANAGE, as the edge itself does */
	GET(&s, &r,
	    V DEMO_WABA "?fields=assigned_users&business=" DEMO_BUSINESS
	                "&" AT TOK_EMPLOYEE);
	expect_error(&r, 403, 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* Two answers are the same Graph error: status, code and message. */
static void
same_error(const struct http_resp *got, const struct http_resp *want)
{
	ck_assert_msg(want->status >= 400, "not an error: %s", want->body);
	ck_assert_msg(got->status == want->status &&
	        jint(got->json, "error.code") ==
	            jint(want->json, "error.code") &&
	        strcmp(jstr(got->json, "error.message"),
	            jstr(want->json, "error.message")) == 0,
	    "expected %ld %s, got %ld %s", want->status, want->body,
	    got->status, got->body);
}

/* A request's answer against another's: both must be the same error. */
static void
nested_as_edge(const struct server *s, const char *nested, const char *edge)
{
	struct http_resp a, b;

	ck_assert_int_eq(http_get(s, edge, &b), 0);
	ck_assert_int_eq(http_get(s, nested, &a), 0);
	same_error(&a, &b);
	http_resp_free(&a);
	http_resp_free(&b);
}

START_TEST(test_nested_edge_permissions)
{
	struct server s;
	struct http_resp r;

	start(&s);
	/* the WABA lists need an admin with whatsapp_business_management */
	nested_as_edge(&s,
	    V DEMO_BUSINESS
	    "?fields=owned_whatsapp_business_"
	    "accounts,client_whatsapp_business_accounts&" AT TOK_EMPLOYEE,
	    OWNED "?" AT TOK_EMPLOYEE);
	nested_as_edge(&s,
	    V DEMO_BUSINESS "?fields=client_whatsapp_business_"
	                    "accounts{id}&" AT TOK_EMPLOYEE,
	    CLIENT "?" AT TOK_EMPLOYEE);
	nested_as_edge(&s,
	    V DEMO_BUSINESS "?fields=owned_whatsapp_business_"
	                    "accounts&" AT TOK_NOSCOPE,
	    OWNED "?" AT TOK_NOSCOPE);
	nested_as_edge(&s,
	    V DEMO_BUSINESS "?fields=name,client_whatsapp_"
	                    "business_accounts&" AT TOK_NOSCOPE,
	    CLIENT "?" AT TOK_NOSCOPE);
	/* the node itself is readable to both */
	GET(&s, &r, V DEMO_BUSINESS "?" AT TOK_EMPLOYEE);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&s, &r, V DEMO_BUSINESS "?fields=name&" AT TOK_NOSCOPE);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&s, &r,
	    V DEMO_BUSINESS "?fields=owned_whatsapp_business_accounts,"
	                    "client_whatsapp_business_accounts&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "owned_whatsapp_business_accounts.data"),
	    DEMO_WABA "," DEMO_WABA_NOPHONES "," DEMO_WABA_LABS);
	ck_assert_str_eq(jids(r.json, "client_whatsapp_business_accounts.data"),
	    DEMO_WABA_CLIENT);
	http_resp_free(&r);

	/*
	 * The granular token may not read WABA 1's numbers, and its lists
	 * hold only its target, so nesting the numbers reaches no others.
	 */
	GET(&s, &r, V DEMO_WABA "/phone_numbers?" AT TOK_GRANULAR);
	expect_error(&r, 403, 200);
	http_resp_free(&r);
	GET(&s, &r,
	    OWNED
	    "?fields=id,phone_numbers{display_phone_number}&" AT TOK_GRANULAR);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA_NOPHONES);
	http_resp_free(&r);
	GET(&s, &r,
	    V DEMO_BUSINESS "?fields=owned_whatsapp_business_"
	                    "accounts{phone_numbers}&" AT TOK_GRANULAR);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "owned_whatsapp_business_accounts.data"),
	    DEMO_WABA_NOPHONES);
	http_resp_free(&r);
	GET(&s, &r, OWNED "?fields=id&" AT TOK_GRANULAR);
	expect_ok(&r);
	http_resp_free(&r);
	/* its one target is readable, nested or not */
	GET(&s, &r,
	    V DEMO_WABA_NOPHONES "?fields=phone_numbers&" AT TOK_GRANULAR);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "phone_numbers"), "{\"data\":[]}"));
	http_resp_free(&r);
	/* an employee with VIEW_PHONE_ASSETS reads the numbers either way */
	GET(&s, &r,
	    V DEMO_EMPLOYEE_USER "/assigned_whatsapp_business_accounts"
	                         "?fields=phone_numbers{id}&" AT TOK_EMPLOYEE);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data.0.phone_numbers.data"),
	    DEMO_PHONE "," DEMO_PHONE2);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* A nested edge's next link works for an app that requires a proof. */
START_TEST(test_nested_next_keeps_proof)
{
	struct server s;
	struct http_resp r;
	char proof[65], url[2048];

	start(&s);
	hmac_hex(DEMO_SECURE_SECRET, TOK_SECURE, proof);
	GET(&s, &r,
	    V DEMO_WABA "?fields=phone_numbers.limit(1){id}&" AT TOK_SECURE
	                "&appsecret_proof=%s",
	    proof);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "phone_numbers.data"), DEMO_PHONE);
	snprintf(url, sizeof(url), "%s",
	    jstr(r.json, "phone_numbers.paging.next"));
	http_resp_free(&r);
	ck_assert_ptr_nonnull(strstr(url, proof));
	follow(&s, url, &r);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_PHONE2);
	http_resp_free(&r);

	/* a proof over token|time needs the time as well */
	hmac_hex(DEMO_SECURE_SECRET, TOK_SECURE "|1700000000", proof);
	GET(&s, &r,
	    V DEMO_BUSINESS "?fields=owned_whatsapp_business_accounts"
	                    ".limit(1){name}&" AT TOK_SECURE
	                    "&appsecret_time=1700000000"
	                    "&appsecret_proof=%s",
	    proof);
	expect_ok(&r);
	snprintf(url, sizeof(url), "%s",
	    jstr(r.json, "owned_whatsapp_business_accounts.paging.next"));
	http_resp_free(&r);
	ck_assert_ptr_nonnull(strstr(url, "appsecret_time=1700000000"));
	follow(&s, url, &r);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA_NOPHONES);
	ck_assert_str_eq(keys(jget(r.json, "data.0")), "name,id");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

static void
check_analytics(const struct server *s, const char *gran, int64_t step,
    int64_t end)
{
	struct http_resp a, b;
	struct json_object *pts;
	size_t i, n;

	GET(s, &a,
	    V DEMO_WABA "?fields=analytics.start(1700000000)"
	                ".end(%lld).granularity(%s)&" ADMIN,
	    (long long)end, gran);
	expect_ok(&a);
	ck_assert_str_eq(keys(a.json), "analytics,id");
	ck_assert_str_eq(jstr(a.json, "analytics.granularity"), gran);
	ck_assert(jeq(jget(a.json, "analytics.phone_numbers"),
	    "[\"15550100200\",\"15550100201\"]"));
	pts = jget(a.json, "analytics.data_points");
	n = jlen(a.json, "analytics.data_points");
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(pts, i);

		ck_assert_int_eq(jint(p, "end") - jint(p, "start"), step);
		ck_assert_int_ge(jint(p, "sent"), 0);
		ck_assert_int_ge(jint(p, "delivered"), 0);
		ck_assert_int_le(jint(p, "delivered"), jint(p, "sent"));
		ck_assert_int_lt(jint(p, "start"), end);
		if (i > 0)
			ck_assert_int_eq(jint(p, "start"),
			    jint(json_object_array_get_idx(pts, i - 1), "end"));
	}
	ck_assert_int_le(jint(json_object_array_get_idx(pts, 0), "start"),
	    1700000000);
	ck_assert_int_ge(jint(json_object_array_get_idx(pts, n - 1), "end"),
	    end);

	/* the same question, the same answer */
	GET(s, &b,
	    V DEMO_WABA "?fields=analytics.start(1700000000)"
	                ".end(%lld).granularity(%s)&" ADMIN,
	    (long long)end, gran);
	expect_ok(&b);
	ck_assert(json_object_equal(a.json, b.json));
	http_resp_free(&a);
	http_resp_free(&b);
}

START_TEST(test_waba_analytics)
{
	struct server s;
	struct http_resp r;

	start(&s);
	check_analytics(&s, "DAY", 86400, 1700000000 + 30 * 86400);
	check_analytics(&s, "HALF_HOUR", 1800, 1700000000 + 86400);
	check_analytics(&s, "MONTH", 30 * 86400, 1700000000 + 90 * 86400);

	/* the README's request: DAY is the default granularity */
	GET(&s, &r,
	    V DEMO_WABA
	    "?fields=name,phone_numbers.limit(1){id,"
	    "display_phone_number},analytics.start(1700000000).end(1700172800)"
	    ".granularity(DAY)&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json), "name,phone_numbers,analytics,id");
	ck_assert_int_eq((int)jlen(r.json, "analytics.data_points"), 3);
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA "?fields=analytics.start(1700000000)"
	                ".end(1700172800).granularity(WEEK)&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "granularity", "WEEK", NULL);
	http_resp_free(&r);

	GET(&s, &r, V DEMO_WABA "?fields=analytics.end(1700172800)&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "start", NULL);
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA_NOPHONES "?fields=analytics.start(1700000000)"
	                         ".end(1700172800)&" ADMIN);
	expect_error(&r, 400, 200008);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "WhatsApp Business Account has no linked phone numbers.");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_waba_template_metrics)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, V DEMO_WABA "?fields=template_performance_metrics&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json), "template_performance_metrics,id");
	ck_assert_ptr_nonnull(
	    jget(r.json, "template_performance_metrics.data"));
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA_NOPHONES "?fields=template_performance_metrics&" ADMIN);
	expect_error(&r, 400, 200005);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "Template Insights are "
	    "not available yet for this WhatsApp Business account");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_waba_unknown_field)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, V DEMO_WABA "?fields=name,display_phone_number&" ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_str_eq(jstr(r.json, "error.type"), "OAuthException");
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#100) Tried "
	    "accessing nonexisting field (display_phone_number) on node type "
	    "(WhatsAppBusinessAccount)");
	http_resp_free(&r);

	/* an unknown edge in the path answers the same way */
	GET(&s, &r, V DEMO_WABA "/message_tomplates?" ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#100) Tried "
	    "accessing nonexisting field (message_tomplates) on node type "
	    "(WhatsAppBusinessAccount)");
	http_resp_free(&r);

	GET(&s, &r, V DEMO_PHONE "?fields=currency&" ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#100) Tried "
	    "accessing nonexisting field (currency) on node type "
	    "(WhatsAppBusinessPhoneNumber)");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- phone numbers ------------------------------------------------- */

START_TEST(test_phone_node_defaults)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, V DEMO_PHONE "?" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json),
	    "verified_name,code_verification_status,"
	    "display_phone_number,quality_rating,platform_type,throughput,"
	    "last_onboarded_time,id");
	ck_assert(jeq(r.json,
	    "{\"verified_name\":\"Jasper's Market\","
	    "\"code_verification_status\":\"VERIFIED\","
	    "\"display_phone_number\":\"+1 555-010-0200\","
	    "\"quality_rating\":\"GREEN\",\"platform_type\":\"CLOUD_API\","
	    "\"throughput\":{\"level\":\"STANDARD\"},"
	    "\"last_onboarded_time\":\"2023-11-14T22:13:20+0000\","
	    "\"id\":\"5000000000000001\"}"));
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_PHONE_CLIENT
	    "?fields=account_mode,status,"
	    "name_status,throughput{level}&" AT TOK_PARTNER);
	expect_ok(&r);
	ck_assert(jeq(r.json,
	    "{\"account_mode\":\"SANDBOX\","
	    "\"status\":\"CONNECTED\",\"name_status\":\"PENDING_REVIEW\","
	    "\"throughput\":{\"level\":\"STANDARD\"},"
	    "\"id\":\"5000000000000003\"}"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* A time renders up to the end of year 9999; past it, it is refused. */
START_TEST(test_phone_last_onboarded_limit)
{
	struct server s;
	struct http_resp r;

	start(&s);
	ck_assert_int_eq(
	    http_post_json(&s, "/_emulator/fixtures",
	        "{\"phone_numbers\":[{\"id\":\"5000000000000099\",\"waba\":\"" DEMO_WABA
	        "\",\"cc\":\"1\",\"phone_number\":\"5550109999\","
	        "\"verified_name\":\"V\",\"last_onboarded_time\":"
	        "9223372036854775807}]}",
	        &r),
	    0);
	ck_assert_int_eq(r.status, 400);
	ck_assert_ptr_nonnull(
	    strstr(r.body, "$.phone_numbers[0].last_onboarded_time"));
	http_resp_free(&r);
	GET(&s, &r, V "5000000000000099?" ADMIN);
	expect_error(&r, 400, 100);
	http_resp_free(&r);

	ck_assert_int_eq(
	    http_post_json(&s, "/_emulator/fixtures",
	        "{\"phone_numbers\":[{\"id\":\"5000000000000099\",\"waba\":\"" DEMO_WABA
	        "\",\"cc\":\"1\",\"phone_number\":\"5550109999\","
	        "\"verified_name\":\"V\",\"last_onboarded_time\":"
	        "253402300799}]}",
	        &r),
	    0);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&s, &r, V "5000000000000099?fields=last_onboarded_time&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json,
	    "{\"last_onboarded_time\":"
	    "\"9999-12-31T23:59:59+0000\",\"id\":\"5000000000000099\"}"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_phone_list_defaults)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, V DEMO_WABA "/phone_numbers?" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data"),
	    "["
	    "{\"code_verification_status\":\"VERIFIED\","
	    "\"display_phone_number\":\"+1 555-010-0200\","
	    "\"id\":\"5000000000000001\",\"quality_rating\":\"GREEN\","
	    "\"verified_name\":\"Jasper's Market\"},"
	    "{\"code_verification_status\":\"NOT_VERIFIED\","
	    "\"display_phone_number\":\"+1 555-010-0201\","
	    "\"id\":\"5000000000000002\",\"quality_rating\":\"UNKNOWN\","
	    "\"verified_name\":\"Jasper's Market\"}]"));
	ck_assert_str_eq(keys(jget(r.json, "data.0")),
	    "code_verification_status,display_phone_number,id,"
	    "quality_rating,verified_name");
	ck_assert_str_ne(jstr(r.json, "paging.cursors.after"), "");
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA "/phone_numbers?summary=total_count&limit=1&"
	                "fields=id,status&" ADMIN);
	expect_ok(&r);
	ck_assert_int_eq(jint(r.json, "summary.total_count"), 2);
	ck_assert_str_eq(keys(jget(r.json, "data.0")), "id,status");
	ck_assert_ptr_nonnull(jget(r.json, "paging.next"));
	http_resp_free(&r);

	GET(&s, &r, V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"data\":[]}"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_phone_list_filters)
{
	struct server s;
	struct http_resp r;

	start(&s);
	/* the phone_numbers page's example */
	GET(&s, &r,
	    V DEMO_WABA_CLIENT
	    "/phone_numbers?filtering=[{'field':"
	    "'account_mode','operator':'EQUAL','value':'SANDBOX'}]&" AT
	        TOK_PARTNER);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_PHONE_CLIENT);
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA
	    "/phone_numbers?filtering=[{'field':"
	    "'account_mode','operator':'EQUAL','value':'SANDBOX'}]&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"data\":[]}"));
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA
	    "/phone_numbers?filtering=[{'field':"
	    "'account_mode','operator':'IN','value':['LIVE','SANDBOX']}]&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_PHONE "," DEMO_PHONE2);
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA "/phone_numbers?filtering=[{'field':'status',"
	                "'operator':'EQUAL','value':'CONNECTED'}]&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_PHONE);
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA
	    "/phone_numbers?filtering=[{'field':'status',"
	    "'operator':'IN','value':['PENDING','BANNED']}]&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_PHONE2);
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA "/phone_numbers?filtering=[{'field':"
	                "'code_verification_status','operator':'EQUAL','value':"
	                "'NOT_VERIFIED'}]&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_PHONE2);
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA
	    "/phone_numbers?filtering=%%5B%%7B%%22field"
	    "%%22%%3A%%22code_verification_status%%22%%2C%%22operator%%22%%3A"
	    "%%22IN%%22%%2C%%22value%%22%%3A%%5B%%22VERIFIED%%22%%2C%%22"
	    "EXPIRED%%22%%5D%%7D%%5D&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_PHONE);
	http_resp_free(&r);

	/* filters combine */
	GET(&s, &r,
	    V DEMO_WABA "/phone_numbers?filtering=[{'field':'status',"
	                "'operator':'EQUAL','value':'CONNECTED'},{'field':"
	                "'code_verification_status','operator':'EQUAL','value':"
	                "'NOT_VERIFIED'}]&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"data\":[]}"));
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA "/phone_numbers?filtering=[{'field':'status',"
	                "'operator':'EQUAL','value':'ASLEEP'}]&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "ASLEEP", "CONNECTED", NULL);
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA
	    "/phone_numbers?filtering=[{'field':"
	    "'quality_rating','operator':'EQUAL','value':'GREEN'}]&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "quality_rating", NULL);
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_WABA
	    "/phone_numbers?filtering=[{'field':"
	    "'account_mode','operator':'GREATER_THAN','value':'LIVE'}]&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "GREATER_THAN", NULL);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_phone_create_defaults)
{
	struct server s;
	struct http_resp r;
	char id[32];

	start(&s);
	/* parameters in the query of a POST, as the documentation's sample */
	POST(&s, &r, NULL,
	    V DEMO_WABA_NOPHONES
	    "/phone_numbers?cc=1&"
	    "phone_number=5550107777&verified_name=Jaspers+Market&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json), "id");
	snprintf(id, sizeof(id), "%s", jstr(r.json, "id"));
	ck_assert_int_ge((int)strlen(id), 15);
	http_resp_free(&r);

	GET(&s, &r,
	    V "%s?fields=status,code_verification_status,"
	      "quality_rating,name_status,platform_type,display_phone_number,"
	      "verified_name,account_mode,throughput&" ADMIN,
	    id);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "id"), id);
	ck_assert_str_eq(jstr(r.json, "status"), "PENDING");
	ck_assert_str_eq(jstr(r.json, "code_verification_status"),
	    "NOT_VERIFIED");
	ck_assert_str_eq(jstr(r.json, "quality_rating"), "UNKNOWN");
	ck_assert_str_eq(jstr(r.json, "name_status"), "PENDING_REVIEW");
	ck_assert_str_eq(jstr(r.json, "platform_type"), "NOT_APPLICABLE");
	ck_assert_str_eq(jstr(r.json, "display_phone_number"),
	    "+1 555-010-7777");
	ck_assert_str_eq(jstr(r.json, "verified_name"), "Jaspers Market");
	http_resp_free(&r);

	/* not onboarded yet: no last_onboarded_time */
	GET(&s, &r, V "%s?" ADMIN, id);
	expect_ok(&r);
	ck_assert_ptr_null(jget(r.json, "last_onboarded_time"));
	http_resp_free(&r);

	GET(&s, &r, V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), id);
	http_resp_free(&r);

	/* preverified_id is kept: the number says it was preverified */
	POST(&s, &r, NULL,
	    V DEMO_WABA
	    "/phone_numbers?cc=1&"
	    "phone_number=5550107770&verified_name=Pre&preverified_id="
	    "9000000000000001&fields=is_preverified_number&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "is_preverified_number"), "true"));
	http_resp_free(&r);
	GET(&s, &r,
	    V "%s?fields=is_preverified_number,webhook_configuration&" ADMIN,
	    id);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json), "is_preverified_number,id");
	ck_assert(jeq(jget(r.json, "is_preverified_number"), "false"));
	http_resp_free(&r);

	/* a form body, and the new number is listed after the first */
	POST(&s, &r, "cc=1&phone_number=5550107778&verified_name=Second",
	    V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN);
	expect_ok(&r);
	snprintf(id + strlen(id), sizeof(id) - strlen(id), ",%s",
	    jstr(r.json, "id"));
	http_resp_free(&r);
	GET(&s, &r, V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN);
	ck_assert_str_eq(jids(r.json, "data"), id);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_phone_create_read_after_write)
{
	struct server s;
	struct http_resp r, g;

	start(&s);
	POST(&s, &r, NULL,
	    V DEMO_WABA_NOPHONES
	    "/phone_numbers?cc=44&"
	    "phone_number=7700900999&verified_name=Jaspers+UK&fields=id,"
	    "display_phone_number,status,code_verification_status&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json),
	    "id,display_phone_number,status,code_verification_status");
	ck_assert_str_eq(jstr(r.json, "display_phone_number"),
	    "+44 770 090 0999");
	ck_assert_str_eq(jstr(r.json, "status"), "PENDING");
	/* what came back is what a read gives */
	GET(&s, &g,
	    V "%s?fields=id,display_phone_number,status,"
	      "code_verification_status&" ADMIN,
	    jstr(r.json, "id"));
	expect_ok(&g);
	ck_assert(json_object_equal(r.json, g.json));
	http_resp_free(&g);
	http_resp_free(&r);

	POST(&s, &r, NULL,
	    V DEMO_WABA_NOPHONES
	    "/phone_numbers?cc=593&"
	    "phone_number=999999999&verified_name=Quito&fields="
	    "display_phone_number&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json), "display_phone_number,id");
	ck_assert_str_eq(jstr(r.json, "display_phone_number"),
	    "+593 99 999 9999");
	http_resp_free(&r);

	/* a bad field fails the read, not the write (Read-After-Write):
	 * the number is added and its id is the original response */
	POST(&s, &r, NULL,
	    V DEMO_WABA_NOPHONES
	    "/phone_numbers?cc=1&"
	    "phone_number=5550107779&verified_name=X&fields=colour&" ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_str_ne(jstr(r.json, "error.original_response.id"), "");
	http_resp_free(&r);
	GET(&s, &r,
	    V DEMO_WABA_NOPHONES "/phone_numbers?summary=total_count&" ADMIN);
	ck_assert_int_eq(jint(r.json, "summary.total_count"), 3);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_phone_display_format)
{
	static const struct {
		const char *cc, *number, *display;
	} cases[] = {
		{ "1", "5550100999", "+1 555-010-0999" },
		{ "44", "7700900555", "+44 770 090 0555" },
		{ "593", "987654321", "+593 98 765 4321" },
		{ "49", "30123456", "+49 3 012 3456" },
	};
	struct server s;
	struct http_resp r;
	size_t i;

	start(&s);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		POST(&s, &r, NULL,
		    V DEMO_WABA_NOPHONES
		    "/phone_numbers?cc=%s&"
		    "phone_number=%s&verified_name=Fmt&fields="
		    "display_phone_number&" ADMIN,
		    cases[i].cc, cases[i].number);
		expect_ok(&r);
		ck_assert_str_eq(jstr(r.json, "display_phone_number"),
		    cases[i].display);
		http_resp_free(&r);
	}
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_phone_create_validation)
{
	static const struct {
		const char *query, *names;
	} cases[] = {
		{ "phone_number=5550107777&verified_name=X", "cc" },
		{ "cc=1&verified_name=X", "phone_number" },
		{ "cc=1234&phone_number=5550107777&verified_name=X", "cc" },
		{ "cc=%2B1&phone_number=5550107777&verified_name=X", "cc" },
		{ "cc=01&phone_number=5550100200&verified_name=X", "cc" },
		{ "cc=1&phone_number=555-010-7777&verified_name=X",
		    "phone_number" },
		{ "cc=1&phone_number=%2B15550107777&verified_name=X",
		    "phone_number" },
		{ "cc=123&phone_number=1234567890123&verified_name=X",
		    "phone_number" },
		{ "cc=1&phone_number=5550107777", "verified_name" },
		{ "cc=1&phone_number=5550107777&verified_name=",
		    "verified_name" },
		{ "cc=1&phone_number=5550107777&verified_name=X&"
		  "migrate_phone_number=maybe",
		    "migrate_phone_number" },
	};
	struct server s;
	struct http_resp r;
	struct json_object *before;
	size_t i;

	start(&s);
	before = snapshot(&s, V DEMO_WABA "/phone_numbers?" ADMIN);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		POST(&s, &r, NULL,
		    V DEMO_WABA_NOPHONES "/phone_numbers?%s&" ADMIN,
		    cases[i].query);
		expect_error(&r, 400, 100);
		expect_message_names(&r, cases[i].names, NULL);
		http_resp_free(&r);
	}
	GET(&s, &r, V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN);
	ck_assert(jeq(r.json, "{\"data\":[]}"));
	http_resp_free(&r);
	/* fifteen digits in all is the most */
	POST(&s, &r, NULL,
	    V DEMO_WABA_NOPHONES
	    "/phone_numbers?cc=123&"
	    "phone_number=123456789012&verified_name=Long&" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&s, &r, V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN);
	ck_assert_int_eq((int)jlen(r.json, "data"), 1);
	http_resp_free(&r);
	unchanged(&s, V DEMO_WABA "/phone_numbers?" ADMIN, before);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_phone_migrate)
{
	struct server s;
	struct http_resp r;
	struct json_object *before;

	start(&s);
	/* the documentation's sample: query params, no verified_name */
	POST(&s, &r, NULL,
	    V DEMO_WABA_NOPHONES
	    "/phone_numbers?cc=1&"
	    "phone_number=5550100201&migrate_phone_number=true&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"id\":\"5000000000000002\"}"));
	http_resp_free(&r);

	GET(&s, &r, V DEMO_WABA "/phone_numbers?" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_PHONE);
	http_resp_free(&r);
	GET(&s, &r,
	    V DEMO_WABA_NOPHONES "/phone_numbers?fields=id,"
	                         "display_phone_number,verified_name&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data"),
	    "[{\"id\":\"5000000000000002\","
	    "\"display_phone_number\":\"+1 555-010-0201\","
	    "\"verified_name\":\"Jasper's Market\"}]"));
	http_resp_free(&r);
	GET(&s, &r, V DEMO_PHONE2 "?fields=display_phone_number&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "display_phone_number"),
	    "+1 555-010-0201");
	http_resp_free(&r);

	/* and back again, as a JSON boolean in a JSON body */
	POSTJ(&s, &r,
	    "{\"cc\":\"1\",\"phone_number\":\"5550100201\","
	    "\"migrate_phone_number\":true}",
	    V DEMO_WABA "/phone_numbers?" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "id"), DEMO_PHONE2);
	http_resp_free(&r);
	GET(&s, &r, V DEMO_WABA "/phone_numbers?" ADMIN);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_PHONE "," DEMO_PHONE2);
	http_resp_free(&r);

	/* a number on no WABA cannot be migrated; nothing changes */
	before = snapshot(&s, V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN);
	POST(&s, &r, NULL,
	    V DEMO_WABA_NOPHONES
	    "/phone_numbers?cc=1&"
	    "phone_number=5550109876&migrate_phone_number=true&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "migrate_phone_number", NULL);
	http_resp_free(&r);
	unchanged(&s, V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN, before);

	/* nor one that is already here */
	before = snapshot(&s, V DEMO_WABA "/phone_numbers?" ADMIN);
	POST(&s, &r, NULL,
	    V DEMO_WABA
	    "/phone_numbers?cc=1&"
	    "phone_number=5550100200&migrate_phone_number=1&" ADMIN);
	expect_error(&r, 400, 100);
	http_resp_free(&r);
	unchanged(&s, V DEMO_WABA "/phone_numbers?" ADMIN, before);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_phone_duplicate)
{
	struct server s;
	struct http_resp r;
	struct json_object *b1, *b2;

	start(&s);
	b1 = snapshot(&s, V DEMO_WABA "/phone_numbers?" ADMIN);
	b2 = snapshot(&s, V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN);
	POST(&s, &r, NULL,
	    V DEMO_WABA_NOPHONES
	    "/phone_numbers?cc=1&"
	    "phone_number=5550100200&verified_name=Again&" ADMIN);
	expect_error(&r, 400, 200000);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "Cannot add phone number to WhatsApp Business Account");
	http_resp_free(&r);
	/* explicitly not migrating is the same */
	POST(&s, &r, NULL,
	    V DEMO_WABA "/phone_numbers?cc=1&"
	                "phone_number=5550100201&verified_name=Again&"
	                "migrate_phone_number=false&" ADMIN);
	expect_error(&r, 400, 200000);
	http_resp_free(&r);
	unchanged(&s, V DEMO_WABA "/phone_numbers?" ADMIN, b1);
	unchanged(&s, V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN, b2);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_phone_limit_unverified)
{
	struct server s;
	struct http_resp r;
	struct json_object *before;

	start(&s);
	/* Lucky Shrub is not verified: two numbers, it has one */
	POST(&s, &r, NULL,
	    V DEMO_WABA_CLIENT
	    "/phone_numbers?cc=44&"
	    "phone_number=7700900124&verified_name=Lucky+Two&" AT TOK_PARTNER);
	expect_ok(&r);
	http_resp_free(&r);
	before = snapshot(&s,
	    V DEMO_WABA_CLIENT "/phone_numbers?" AT TOK_PARTNER);
	ck_assert_int_eq((int)jlen(before, "data"), 2);
	POST(&s, &r, NULL,
	    V DEMO_WABA_CLIENT
	    "/phone_numbers?cc=44&"
	    "phone_number=7700900125&verified_name=Lucky+Three&" AT
	        TOK_PARTNER);
	expect_error(&r, 400, 200000);
	http_resp_free(&r);
	unchanged(&s, V DEMO_WABA_CLIENT "/phone_numbers?" AT TOK_PARTNER,
	    before);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_phone_limit_verified)
{
	struct server s;
	struct http_resp r;
	struct json_object *before;
	int i;

	start(&s);
	/* Jasper's is verified: twenty numbers */
	for (i = 0; i < 20; i++) {
		POST(&s, &r, NULL,
		    V DEMO_WABA_NOPHONES
		    "/phone_numbers?cc=1&"
		    "phone_number=55502000%02d&verified_name=N%d&" ADMIN,
		    i, i);
		expect_ok(&r);
		http_resp_free(&r);
	}
	before = snapshot(&s,
	    V DEMO_WABA_NOPHONES "/phone_numbers?limit=100&"
	                         "summary=total_count&" ADMIN);
	ck_assert_int_eq(jint(before, "summary.total_count"), 20);
	POST(&s, &r, NULL,
	    V DEMO_WABA_NOPHONES
	    "/phone_numbers?cc=1&"
	    "phone_number=5550200099&verified_name=One+Too+Many&" ADMIN);
	expect_error(&r, 400, 200000);
	http_resp_free(&r);
	/* migrating in counts too */
	POST(&s, &r, NULL,
	    V DEMO_WABA_NOPHONES
	    "/phone_numbers?cc=1&"
	    "phone_number=5550100201&migrate_phone_number=true&" ADMIN);
	expect_error(&r, 400, 200000);
	http_resp_free(&r);
	unchanged(&s,
	    V DEMO_WABA_NOPHONES "/phone_numbers?limit=100&"
	                         "summary=total_count&" ADMIN,
	    before);
	GET(&s, &r, V DEMO_WABA "/phone_numbers?" ADMIN);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_PHONE "," DEMO_PHONE2);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_phone_limit_explicit)
{
	struct server s;
	struct http_resp r;
	struct json_object *labs, *main_list;

	start(&s);
	/* Labs has phone_number_limit 2 and two numbers */
	labs = snapshot(&s, V DEMO_WABA_LABS "/phone_numbers?" ADMIN);
	main_list = snapshot(&s, V DEMO_WABA "/phone_numbers?" ADMIN);
	ck_assert_int_eq((int)jlen(labs, "data"), 2);
	POST(&s, &r, NULL,
	    V DEMO_WABA_LABS
	    "/phone_numbers?cc=1&"
	    "phone_number=5550100402&verified_name=Labs&" ADMIN);
	expect_error(&r, 400, 200000);
	http_resp_free(&r);
	POST(&s, &r, NULL,
	    V DEMO_WABA_LABS
	    "/phone_numbers?cc=1&"
	    "phone_number=5550100201&migrate_phone_number=true&" ADMIN);
	expect_error(&r, 400, 200000);
	http_resp_free(&r);
	unchanged(&s, V DEMO_WABA_LABS "/phone_numbers?" ADMIN, labs);
	unchanged(&s, V DEMO_WABA "/phone_numbers?" ADMIN, main_list);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_phone_permissions)
{
	struct server s;
	struct http_resp r;
	struct json_object *before;

	start(&s);
	before = snapshot(&s, V DEMO_WABA "/phone_numbers?" ADMIN);
	/* DEVELOP and VIEW_PHONE_ASSETS read, but do not add */
	GET(&s, &r, V DEMO_WABA "/phone_numbers?" AT TOK_EMPLOYEE);
	expect_ok(&r);
	http_resp_free(&r);
	POST(&s, &r, NULL,
	    V DEMO_WABA
	    "/phone_numbers?cc=1&"
	    "phone_number=5550107777&verified_name=X&" AT TOK_EMPLOYEE);
	expect_error(&r, 403, 200);
	http_resp_free(&r);
	unchanged(&s, V DEMO_WABA "/phone_numbers?" ADMIN, before);

	/* MANAGE_PHONE adds */
	POST(&s, &r, NULL,
	    V DEMO_WABA_NOPHONES
	    "/phone_numbers?cc=1&"
	    "phone_number=5550107777&verified_name=X&" AT TOK_MANAGER);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&s, &r, V DEMO_WABA_NOPHONES "/phone_numbers?" AT TOK_MANAGER);
	expect_ok(&r);
	ck_assert_int_eq((int)jlen(r.json, "data"), 1);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- assigned users ------------------------------------------------ */

#define USERS V DEMO_WABA "/assigned_users"
#define USERS_LIST USERS "?business=" DEMO_BUSINESS "&" ADMIN

/* The tasks the list shows for user, as JSON text ("" when absent). */
static const char *
tasks_of(const struct server *s, const char *user)
{
	static char buf[512];
	struct http_resp r;
	struct json_object *a;
	size_t i;

	buf[0] = '\0';
	ck_assert_int_eq(http_get(s, USERS_LIST, &r), 0);
	expect_ok(&r);
	a = jget(r.json, "data");
	for (i = 0; a != NULL && i < json_object_array_length(a); i++) {
		struct json_object *u = json_object_array_get_idx(a, i);

		if (strcmp(jstr(u, "id"), user) == 0)
			snprintf(buf, sizeof(buf), "%s",
			    json_object_to_json_string_ext(jget(u, "tasks"),
			        JSON_C_TO_STRING_PLAIN));
	}
	http_resp_free(&r);
	return buf;
}

START_TEST(test_assigned_users_list)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, USERS "?" ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#100) The parameter business is required");
	http_resp_free(&r);

	GET(&s, &r, USERS_LIST);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data"),
	    "[{\"id\":\"3000000000000002\",\"name\":\"Erin Employee\","
	    "\"tasks\":[\"DEVELOP\",\"VIEW_PHONE_ASSETS\"]},"
	    "{\"id\":\"3000000000000003\",\"name\":\"Mark Manager\","
	    "\"tasks\":[\"MANAGE\"]}]"));
	ck_assert_str_eq(keys(jget(r.json, "data.0")), "id,name,tasks");
	ck_assert_str_ne(jstr(r.json, "paging.cursors.before"), "");
	http_resp_free(&r);

	GET(&s, &r,
	    USERS "?business=" DEMO_BUSINESS "&limit=1&fields=name&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data"),
	    "[{\"name\":\"Erin Employee\",\"id\":\"3000000000000002\"}]"));
	ck_assert_ptr_nonnull(jget(r.json, "paging.next"));
	http_resp_free(&r);

	/* a business with no tie to the WABA */
	GET(&s, &r, USERS "?business=" DEMO_BLOCKED_BUSINESS "&" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "business", NULL);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_assigned_users_add)
{
	struct server s;
	struct http_resp r;

	start(&s);
	ck_assert_str_eq(tasks_of(&s, DEMO_NOACCESS_USER), "");
	POST(&s, &r, "user=" DEMO_NOACCESS_USER "&tasks=%5B%22MANAGE%22%5D",
	    USERS "?" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"success\":true}"));
	http_resp_free(&r);
	ck_assert_str_eq(tasks_of(&s, DEMO_NOACCESS_USER), "[\"MANAGE\"]");

	/* re-assigning replaces; the docs' single-quoted form */
	POST(&s, &r,
	    "user=" DEMO_NOACCESS_USER "&tasks=['DEVELOP','VIEW_COST']",
	    USERS "?" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	ck_assert_str_eq(tasks_of(&s, DEMO_NOACCESS_USER),
	    "[\"DEVELOP\",\"VIEW_COST\"]");

	/* a comma-separated list, in the query of the POST */
	POST(&s, &r, NULL,
	    USERS "?user=" DEMO_NOACCESS_USER
	          "&tasks=MANAGE_TEMPLATES,MESSAGING&" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	ck_assert_str_eq(tasks_of(&s, DEMO_NOACCESS_USER),
	    "[\"MANAGE_TEMPLATES\",\"MESSAGING\"]");

	/* a JSON body with a real array */
	POSTJ(&s, &r,
	    "{\"user\":\"" DEMO_NOACCESS_USER "\",\"tasks\":"
	    "[\"MANAGE_PHONE\"]}",
	    USERS "?" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	ck_assert_str_eq(tasks_of(&s, DEMO_NOACCESS_USER),
	    "[\"MANAGE_PHONE\"]");

	/* the user can now read the WABA and add numbers to it */
	GET(&s, &r, V DEMO_WABA "?fields=name&" AT TOK_NOACCESS);
	expect_ok(&r);
	http_resp_free(&r);
	POST(&s, &r, NULL,
	    V DEMO_WABA
	    "/phone_numbers?cc=1&"
	    "phone_number=5550107777&verified_name=Nora&" AT TOK_NOACCESS);
	expect_ok(&r);
	http_resp_free(&r);
	ck_assert_str_eq(tasks_of(&s, DEMO_MANAGER_USER), "[\"MANAGE\"]");
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_assigned_users_rejected)
{
	struct server s;
	struct http_resp r;
	struct json_object *before;

	start(&s);
	before = snapshot(&s, USERS_LIST);

	POST(&s, &r, "user=" DEMO_EMPLOYEE_USER "&tasks=['MANAGE','OWN']",
	    USERS "?" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "tasks", "OWN", "MANAGE", "DEVELOP",
	    "MANAGE_TEMPLATES", "MANAGE_PHONE", "VIEW_COST",
	    "MANAGE_EXTENSIONS", "VIEW_PHONE_ASSETS", "MANAGE_PHONE_ASSETS",
	    "VIEW_TEMPLATES", "MESSAGING", "VIEW_INSIGHTS", "MANAGE_USERS",
	    "MANAGE_BILLING", NULL);
	http_resp_free(&r);

	/* Lucky Admin belongs to another business */
	POST(&s, &r, "user=" DEMO_PARTNER_USER "&tasks=MANAGE",
	    USERS "?" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "user", NULL);
	http_resp_free(&r);

	/* not a user at all */
	POST(&s, &r, "user=" DEMO_WABA "&tasks=MANAGE", USERS "?" ADMIN);
	expect_error(&r, 400, 100);
	expect_message_names(&r, "user", NULL);
	http_resp_free(&r);

	POST(&s, &r, "user=" DEMO_EMPLOYEE_USER, USERS "?" ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#100) The parameter tasks is required");
	http_resp_free(&r);

	POST(&s, &r, "tasks=MANAGE", USERS "?" ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#100) The parameter user is required");
	http_resp_free(&r);

	POST(&s, &r, "user=" DEMO_EMPLOYEE_USER "&tasks=[]", USERS "?" ADMIN);
	expect_error(&r, 400, 100);
	http_resp_free(&r);

	/* DEVELOP is not MANAGE: employees cannot assign */
	POST(&s, &r, "user=" DEMO_NOACCESS_USER "&tasks=MANAGE",
	    USERS "?" AT TOK_EMPLOYEE);
	expect_error(&r, 403, 200);
	http_resp_free(&r);
	DEL(&s, &r, USERS "?user=" DEMO_MANAGER_USER "&" AT TOK_EMPLOYEE);
	expect_error(&r, 403, 200);
	http_resp_free(&r);
	GET(&s, &r, USERS "?business=" DEMO_BUSINESS "&" AT TOK_EMPLOYEE);
	expect_error(&r, 403, 200);
	http_resp_free(&r);

	/* MANAGE_PHONE on the Support WABA is not MANAGE either */
	POST(&s, &r, "user=" DEMO_NOACCESS_USER "&tasks=MANAGE",
	    V DEMO_WABA_NOPHONES "/assigned_users?" AT TOK_MANAGER);
	expect_error(&r, 403, 200);
	http_resp_free(&r);

	unchanged(&s, USERS_LIST, before);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/*
 * A grant is remembered between calls: taking it away, giving it back or
 * changing the token must show on the very next call.
 */
START_TEST(test_permission_changes_show_at_once)
{
	struct server s;
	struct http_resp r;
	int i;

	start(&s);
	for (i = 0; i < 2; i++) {
		GET(&s, &r, V DEMO_WABA "?fields=id,name&" AT TOK_MANAGER);
		expect_ok(&r);
		http_resp_free(&r);
		DEL(&s, &r, USERS "?user=" DEMO_MANAGER_USER "&" AT TOK_ADMIN);
		expect_ok(&r);
		http_resp_free(&r);
		GET(&s, &r, V DEMO_WABA "?fields=id,name&" AT TOK_MANAGER);
		expect_error(&r, 403, 200);
		http_resp_free(&r);
		POST(&s, &r, "user=" DEMO_MANAGER_USER "&tasks=MANAGE",
		    USERS "?" AT TOK_ADMIN);
		expect_ok(&r);
		http_resp_free(&r);
	}
	GET(&s, &r, V DEMO_WABA "?fields=id,name&" AT TOK_MANAGER);
	expect_ok(&r);
	http_resp_free(&r);
	/* and a token taken back through the control plane */
	POSTJ(&s, &r, "{\"state\":\"invalidated\"}",
	    "/_emulator/tokens/" TOK_MANAGER);
	http_resp_free(&r);
	GET(&s, &r, V DEMO_WABA "?fields=id,name&" AT TOK_MANAGER);
	ck_assert_int_eq(r.status, 401);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_assigned_users_manager)
{
	struct server s;
	struct http_resp r;

	start(&s);
	POST(&s, &r, "user=" DEMO_NOACCESS_USER "&tasks=VIEW_TEMPLATES",
	    USERS "?" AT TOK_MANAGER);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&s, &r, USERS "?business=" DEMO_BUSINESS "&" AT TOK_MANAGER);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"),
	    DEMO_EMPLOYEE_USER "," DEMO_MANAGER_USER "," DEMO_NOACCESS_USER);
	http_resp_free(&r);
	ck_assert_str_eq(tasks_of(&s, DEMO_NOACCESS_USER),
	    "[\"VIEW_TEMPLATES\"]");
	DEL(&s, &r, USERS "?user=" DEMO_NOACCESS_USER "&" AT TOK_MANAGER);
	expect_ok(&r);
	http_resp_free(&r);
	ck_assert_str_eq(tasks_of(&s, DEMO_NOACCESS_USER), "");
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_assigned_users_delete)
{
	struct server s;
	struct http_resp r;
	struct json_object *before;

	start(&s);
	DEL(&s, &r, USERS "?user=" DEMO_EMPLOYEE_USER "&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"success\":true}"));
	http_resp_free(&r);
	GET(&s, &r, USERS_LIST);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_MANAGER_USER);
	http_resp_free(&r);

	/* the employee lost its access with its tasks */
	GET(&s, &r, V DEMO_WABA "?" AT TOK_EMPLOYEE);
	expect_error(&r, 403, 200);
	http_resp_free(&r);

	/* removing someone who is not assigned also succeeds */
	before = snapshot(&s, USERS_LIST);
	DEL(&s, &r, USERS "?user=" DEMO_EMPLOYEE_USER "&" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"success\":true}"));
	http_resp_free(&r);
	DEL(&s, &r, USERS "?user=" DEMO_NOACCESS_USER "&" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	DEL(&s, &r, USERS "?" ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#100) The parameter user is required");
	http_resp_free(&r);
	unchanged(&s, USERS_LIST, before);

	/* the last user goes: an empty list */
	DEL(&s, &r, USERS "?user=" DEMO_MANAGER_USER "&" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&s, &r, USERS_LIST);
	ck_assert(jeq(r.json, "{\"data\":[]}"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_user_assigned_wabas)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r,
	    V DEMO_MANAGER_USER
	    "/assigned_whatsapp_business_accounts?" AT TOK_MANAGER);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"),
	    DEMO_WABA "," DEMO_WABA_NOPHONES);
	ck_assert_str_eq(keys(jget(r.json, "data.0")),
	    "id,name,currency,timezone_id,message_template_namespace");
	http_resp_free(&r);

	GET(&s, &r,
	    V DEMO_NOACCESS_USER "/assigned_whatsapp_business_accounts?" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"data\":[]}"));
	http_resp_free(&r);

	POST(&s, &r, "user=" DEMO_NOACCESS_USER "&tasks=DEVELOP",
	    V DEMO_WABA_LABS "/assigned_users?" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&s, &r,
	    V DEMO_NOACCESS_USER "/assigned_whatsapp_business_accounts?"
	                         "fields=id,name&" AT TOK_NOACCESS);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data"),
	    "[{\"id\":\"4000000000000005\","
	    "\"name\":\"Jasper's Market Labs\"}]"));
	http_resp_free(&r);

	DEL(&s, &r,
	    V DEMO_WABA_LABS "/assigned_users?user=" DEMO_NOACCESS_USER
	                     "&" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&s, &r,
	    V DEMO_NOACCESS_USER
	    "/assigned_whatsapp_business_accounts?" AT TOK_NOACCESS);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"data\":[]}"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- debug_token --------------------------------------------------- */

#define DEBUG V "debug_token?" AT TOK_APP "&input_token="

START_TEST(test_debug_token_user)
{
	struct server s;
	struct http_resp r;
	struct json_object *d;

	start(&s);
	GET(&s, &r, DEBUG TOK_EMPLOYEE);
	expect_ok(&r);
	ck_assert_str_eq(keys(r.json), "data");
	d = jget(r.json, "data");
	ck_assert_str_eq(jstr(d, "type"), "USER");
	ck_assert_str_eq(jstr(d, "app_id"), DEMO_APP);
	ck_assert_str_eq(jstr(d, "application"), "Demo App");
	ck_assert_str_eq(jstr(d, "user_id"), DEMO_EMPLOYEE_USER);
	ck_assert(jeq(jget(d, "is_valid"), "true"));
	ck_assert_int_eq(jint(d, "issued_at"), 1700000000);
	ck_assert_int_eq(jint(d, "expires_at"), 0);
	ck_assert(jeq(jget(d, "scopes"),
	    "[\"whatsapp_business_management\","
	    "\"business_management\"]"));
	ck_assert_ptr_null(jget(d, "error"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_debug_token_system_user)
{
	struct server s;
	struct http_resp r;
	struct json_object *d, *gs;
	size_t i;

	start(&s);
	GET(&s, &r, DEBUG TOK_ADMIN);
	expect_ok(&r);
	d = jget(r.json, "data");
	ck_assert_str_eq(jstr(d, "type"), "SYSTEM_USER");
	ck_assert_int_eq(jint(d, "expires_at"), 0);
	ck_assert_int_eq(jint(d, "data_access_expires_at"), 0);
	ck_assert_int_eq(jint(d, "issued_at"), 1700000000);
	ck_assert_str_eq(jstr(d, "user_id"), DEMO_ADMIN_USER);
	ck_assert(jeq(jget(d, "is_valid"), "true"));
	gs = jget(d, "granular_scopes");
	ck_assert_uint_eq(jlen(d, "granular_scopes"), 2);
	for (i = 0; i < 2; i++) {
		struct json_object *g = json_object_array_get_idx(gs, i);

		ck_assert_str_eq(keys(g), "scope");
	}
	ck_assert_str_eq(jstr(gs, "0.scope"), "whatsapp_business_management");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_debug_token_granular)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, DEBUG TOK_GRANULAR);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data.granular_scopes"),
	    "[{\"scope\":\"whatsapp_business_management\","
	    "\"target_ids\":[\"4000000000000002\"]}]"));
	ck_assert(jeq(jget(r.json, "data.scopes"),
	    "[\"whatsapp_business_management\"]"));
	ck_assert(jeq(jget(r.json, "data.is_valid"), "true"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_debug_token_app_input)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, DEBUG DEMO_APP "%%7C" DEMO_APP_SECRET);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "data.type"), "APP");
	ck_assert_str_eq(jstr(r.json, "data.app_id"), DEMO_APP);
	ck_assert_str_eq(jstr(r.json, "data.application"), "Demo App");
	ck_assert(jeq(jget(r.json, "data.is_valid"), "true"));
	ck_assert_ptr_null(jget(r.json, "data.user_id"));
	http_resp_free(&r);

	/* a wrong secret is not an app token */
	GET(&s, &r, DEBUG DEMO_APP "%%7Cnot-the-secret");
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data.is_valid"), "false"));
	ck_assert_int_eq(jint(r.json, "data.error.code"), 190);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_debug_token_invalid_input)
{
	struct server s;
	struct http_resp r, e;

	start(&s);
	/* an unusable input token is data, not a request error */
	GET(&s, &r, DEBUG "nonsense");
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data.is_valid"), "false"));
	ck_assert_int_eq(jint(r.json, "data.error.code"), 190);
	ck_assert_str_ne(jstr(r.json, "data.error.message"), "");
	ck_assert(jeq(jget(r.json, "data.scopes"), "[]"));
	http_resp_free(&r);

	GET(&s, &r, DEBUG TOK_EXPIRED);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data.is_valid"), "false"));
	ck_assert_int_eq(jint(r.json, "data.error.code"), 190);
	ck_assert_int_eq(jint(r.json, "data.error.subcode"), 463);
	ck_assert_int_eq(jint(r.json, "data.expires_at"), 1700000000);
	ck_assert_str_eq(jstr(r.json, "data.user_id"), DEMO_ADMIN_USER);
	/* worded as a call made with the token is answered */
	GET(&s, &e, V DEMO_WABA "?" AT TOK_EXPIRED);
	expect_error(&e, 401, 190);
	ck_assert_str_eq(jstr(r.json, "data.error.message"),
	    jstr(e.json, "error.message"));
	ck_assert_ptr_nonnull(strstr(jstr(r.json, "data.error.message"),
	    "Session has expired on Tuesday, 14-Nov-23 14:13:20 PST."));
	http_resp_free(&e);
	http_resp_free(&r);

	GET(&s, &r, DEBUG TOK_INVALIDATED);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data.is_valid"), "false"));
	ck_assert_int_eq(jint(r.json, "data.error.subcode"), 460);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_debug_token_missing_input)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r, V "debug_token?" AT TOK_APP);
	expect_error(&r, 400, 100);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#100) For field "
	    "'debug_token': The parameter input_token is required");
	ck_assert_str_eq(jstr(r.json, "error.type"), "OAuthException");
	http_resp_free(&r);

	/* no caller token: debug_token's own refusal (conventions.md) */
	GET(&s, &r, V "debug_token?input_token=" TOK_ADMIN);
	expect_error(&r, 400, 100);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_debug_token_callers)
{
	struct server s;
	struct http_resp r;

	start(&s);
	/* the Node SDK's getAppID */
	GET(&s, &r,
	    V "debug_token?" AT TOK_ADMIN "&input_token=" TOK_ADMIN
	      "&fields=app_id");
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"data\":{\"app_id\":\"1000000000000001\"}}"));
	http_resp_free(&r);

	/* an app token, raw in the query as the README writes it */
	GET(&s, &r,
	    V "debug_token?input_token=" TOK_GRANULAR "&" AT DEMO_APP
	      "|" DEMO_APP_SECRET);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "data.app_id"), DEMO_APP);
	ck_assert_ptr_nonnull(
	    jget(r.json, "data.granular_scopes.0.target_ids"));
	http_resp_free(&r);

	/* and as a bearer token */
	get_with(&s, &r, "Authorization: Bearer " TOK_APP,
	    V "debug_token?input_token=" TOK_MANAGER);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "data.user_id"), DEMO_MANAGER_USER);
	http_resp_free(&r);

	GET(&s, &r,
	    V "debug_token?input_token=" TOK_ADMIN "&" AT DEMO_APP "%%7Cwrong");
	expect_error(&r, 401, 190);
	http_resp_free(&r);

	/* an app inspects its own tokens only */
	GET(&s, &r, DEBUG TOK_SECURE);
	expect_error(&r, 400, 100);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#100) The App_id in "
	    "the input_token did not match the Viewing App");
	http_resp_free(&r);
	GET(&s, &r, DEBUG DEMO_SECURE_APP "%%7C" DEMO_SECURE_SECRET);
	expect_error(&r, 400, 100);
	http_resp_free(&r);
	GET(&s, &r,
	    V "debug_token?input_token=" TOK_SECURE "&" AT DEMO_SECURE_APP
	      "%%7C" DEMO_SECURE_SECRET);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "data.app_id"), DEMO_SECURE_APP);
	ck_assert_str_eq(jstr(r.json, "data.application"), "Secure App");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- the Node SDK's habits ----------------------------------------- */

START_TEST(test_node_sdk_quirks)
{
	struct server s;
	struct http_resp r, plain;
	const char *h[] = { NULL };

	start(&s);
	/* createEdge merges the object's data, id included, into the body */
	POSTJ(&s, &r,
	    "{\"id\":\"" DEMO_WABA "\",\"user\":\"" DEMO_NOACCESS_USER
	    "\",\"tasks\":[\"MANAGE\"]}",
	    USERS "?" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"success\":true}"));
	http_resp_free(&r);
	ck_assert_str_eq(tasks_of(&s, DEMO_NOACCESS_USER), "[\"MANAGE\"]");

	POSTJ(&s, &r,
	    "{\"id\":\"" DEMO_WABA_NOPHONES "\",\"cc\":\"1\","
	    "\"phone_number\":\"5550107777\",\"verified_name\":\"Node\","
	    "\"migrate_phone_number\":false}",
	    V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&s, &r,
	    V DEMO_WABA_NOPHONES "/phone_numbers?fields=verified_name&" ADMIN);
	ck_assert_str_eq(jstr(r.json, "data.0.verified_name"), "Node");
	http_resp_free(&r);

	/* deleteEdge sends id= in the query */
	DEL(&s, &r,
	    USERS "?id=" DEMO_WABA "&user=" DEMO_NOACCESS_USER "&" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	ck_assert_str_eq(tasks_of(&s, DEMO_NOACCESS_USER), "");

	/* a GET that carries a {} JSON body */
	ck_assert_int_eq(http_req(&s, "GET", V DEMO_WABA "?fields=name&" ADMIN,
	                     "{}", "application/json", h, &r),
	    0);
	ck_assert_int_eq(
	    http_get(&s, V DEMO_WABA "?fields=name&" ADMIN, &plain), 0);
	expect_ok(&r);
	ck_assert(json_object_equal(r.json, plain.json));
	http_resp_free(&r);
	http_resp_free(&plain);

	ck_assert_int_eq(http_req(&s, "GET", OWNED "?limit=1&" ADMIN, "{}",
	                     "application/json", h, &r),
	    0);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("graph");
	TCase *lists = tcase_create("waba lists");
	TCase *nodes = tcase_create("nodes");
	TCase *phones = tcase_create("phone numbers");
	TCase *users = tcase_create("assigned users");
	TCase *debug = tcase_create("debug_token");

	tcase_add_test(lists, test_owned_default_fields);
	tcase_add_test(lists, test_owned_fields_param);
	tcase_add_test(lists, test_owned_filter_seed_example);
	tcase_add_test(lists, test_owned_filter_creation_time);
	tcase_add_test(lists, test_owned_filter_ownership_type);
	tcase_add_test(lists, test_owned_filter_errors);
	tcase_add_test(lists, test_owned_sort);
	tcase_add_test(lists, test_owned_paging_walk);
	tcase_add_test(lists, test_owned_paging_keeps_filter);
	tcase_add_test(lists, test_owned_summary);
	tcase_add_test(lists, test_owned_limit_clamped);
	tcase_add_test(lists, test_owned_empty);
	tcase_add_test(lists, test_client_wabas);
	tcase_add_test(nodes, test_business_node);
	tcase_add_test(nodes, test_waba_default_fields);
	tcase_add_test(nodes, test_waba_every_field);
	tcase_add_test(nodes, test_waba_id_position);
	tcase_add_test(nodes, test_waba_edges_as_fields);
	tcase_add_test(nodes, test_waba_assigned_users_field);
	tcase_add_test(nodes, test_nested_edge_permissions);
	tcase_add_test(nodes, test_nested_next_keeps_proof);
	tcase_add_test(nodes, test_waba_analytics);
	tcase_add_test(nodes, test_waba_template_metrics);
	tcase_add_test(nodes, test_waba_unknown_field);
	tcase_add_test(nodes, test_node_sdk_quirks);
	tcase_add_test(phones, test_phone_node_defaults);
	tcase_add_test(phones, test_phone_last_onboarded_limit);
	tcase_add_test(phones, test_phone_list_defaults);
	tcase_add_test(phones, test_phone_list_filters);
	tcase_add_test(phones, test_phone_create_defaults);
	tcase_add_test(phones, test_phone_create_read_after_write);
	tcase_add_test(phones, test_phone_display_format);
	tcase_add_test(phones, test_phone_create_validation);
	tcase_add_test(phones, test_phone_migrate);
	tcase_add_test(phones, test_phone_duplicate);
	tcase_add_test(phones, test_phone_limit_unverified);
	tcase_add_test(phones, test_phone_limit_verified);
	tcase_add_test(phones, test_phone_limit_explicit);
	tcase_add_test(phones, test_phone_permissions);
	tcase_add_test(users, test_assigned_users_list);
	tcase_add_test(users, test_assigned_users_add);
	tcase_add_test(users, test_assigned_users_rejected);
	tcase_add_test(users, test_assigned_users_manager);
	tcase_add_test(users, test_permission_changes_show_at_once);
	tcase_add_test(users, test_assigned_users_delete);
	tcase_add_test(users, test_user_assigned_wabas);
	tcase_add_test(debug, test_debug_token_user);
	tcase_add_test(debug, test_debug_token_system_user);
	tcase_add_test(debug, test_debug_token_granular);
	tcase_add_test(debug, test_debug_token_app_input);
	tcase_add_test(debug, test_debug_token_invalid_input);
	tcase_add_test(debug, test_debug_token_missing_input);
	tcase_add_test(debug, test_debug_token_callers);
	tcase_set_timeout(lists, 60);
	tcase_set_timeout(nodes, 60);
	tcase_set_timeout(phones, 60);
	tcase_set_timeout(users, 60);
	tcase_set_timeout(debug, 60);
	suite_add_tcase(su, lists);
	suite_add_tcase(su, nodes);
	suite_add_tcase(su, phones);
	suite_add_tcase(su, users);
	suite_add_tcase(su, debug);
	return suite_run(su);
}
