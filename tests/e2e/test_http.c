/*
 * test_http.c - the request conventions and response headers of the README's
 * Endpoints over real HTTP: keep-alive, body encodings and limits, method
 * override, token placement, versions, the Graph headers, deterministic
 * trace ids, JSON style, garbage on the socket, and the command line and
 * environment of the README's Flags (the binary spawned directly).
 */
#include <arpa/inet.h>
#include <check.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../suite.h"

#define V "/v24.0/"
#define AT "access_token="
#define ADMIN AT TOK_ADMIN

static struct server S;

static void
req(const char *method, const char *path, const char *body, const char *ctype,
    const char *const *headers, struct http_resp *r)
{
	ck_assert_msg(http_req(&S, method, path, body, ctype, headers, r) == 0,
	    "%s %s: transport error", method, path);
}

static void
get(const char *path, struct http_resp *r)
{
	req("GET", path, NULL, NULL, NULL, r);
}

static void
post(const char *path, const char *form, struct http_resp *r)
{
	req("POST", path, form, NULL, NULL, r);
}

/* A 400 Graph error with code 100 and this message. */
static void
expect_100_at(const struct http_resp *r, const char *message, int line)
{
	ck_assert_msg(r->status == 400 && jint(r->json, "error.code") == 100 &&
	        jget(r->json, "error.error_subcode") == NULL &&
	        strcmp(jstr(r->json, "error.type"), "OAuthException") == 0,
	    "line %d: want a 400 with code 100: %ld %s", line, r->status,
	    r->body);
	ck_assert_msg(strcmp(jstr(r->json, "error.message"), message) == 0,
	    "line %d: message\n  %s\nwant\n  %s", line,
	    jstr(r->json, "error.message"), message);
	ck_assert_str_eq(jstr(r->json, "error.fbtrace_id"),
	    http_header(r, "x-fb-request-id"));
}

#define EXPECT_100(r, msg) expect_100_at((r), (msg), __LINE__)

/* The tasks the assigned_users list shows for user, as compact JSON. */
static const char *
tasks_of(const char *waba, const char *user, char *buf, size_t len)
{
	struct http_resp r;
	char path[256];
	size_t i;

	snprintf(path, sizeof(path),
	    V "%s/assigned_users?" ADMIN "&business=" DEMO_BUSINESS, waba);
	get(path, &r);
	ck_assert_int_eq(r.status, 200);
	snprintf(buf, len, "none");
	for (i = 0; i < jlen(r.json, "data"); i++) {
		struct json_object *u = json_object_array_get_idx(
		    jget(r.json, "data"), i);

		if (strcmp(jstr(u, "id"), user) == 0)
			snprintf(buf, len, "%s",
			    json_object_to_json_string_ext(jget(u, "tasks"),
			        JSON_C_TO_STRING_PLAIN));
	}
	http_resp_free(&r);
	return buf;
}

/* The verified_name of a phone number node. */
static void
verified_name(const char *id, char *buf, size_t len)
{
	struct http_resp r;
	char path[256];

	snprintf(path, sizeof(path), V "%s?" ADMIN "&fields=verified_name", id);
	get(path, &r);
	ck_assert_int_eq(r.status, 200);
	snprintf(buf, len, "%s", jstr(r.json, "verified_name"));
	http_resp_free(&r);
}

static void
start(const char *const *args)
{
	ck_assert_int_eq(server_start(&S, args), 0);
}

static void
setup_default(void)
{
	start(NULL);
}

static void
setup_small_body(void)
{
	static const char *const args[] = { "--max-body", "1024", NULL };

	start(args);
}

static void
teardown(void)
{
	if (S.pid > 0)
		server_stop(&S);
}

/* ---- keep-alive --------------------------------------------------------- */

struct sink {
	char buf[8192];
	size_t n;
};

static size_t
sink_write(char *data, size_t size, size_t nmemb, void *ud)
{
	struct sink *k = ud;
	size_t n = size * nmemb, room = sizeof(k->buf) - 1 - k->n;

	memcpy(k->buf + k->n, data, n < room ? n : room);
	k->n += n < room ? n : room;
	k->buf[k->n] = '\0';
	return n;
}

/* One request on a reused easy handle; what libcurl says about it. */
struct ka_result {
	long status;
	long new_connections; /* CURLINFO_NUM_CONNECTS */
	long local_port;
	struct json_object *json;
};

static void
ka_perform(CURL *c, const char *method, const char *path, const char *body,
    struct ka_result *res)
{
	struct sink k = { { 0 }, 0 };
	char url[1024];

	snprintf(url, sizeof(url), "%s%s", S.base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &k);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	} else {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	}
	ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
	curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &res->new_connections);
	curl_easy_getinfo(c, CURLINFO_LOCAL_PORT, &res->local_port);
	res->json = json_tokener_parse(k.buf);
}

static CURL *
ka_handle(struct curl_slist **hl)
{
	CURL *c = curl_easy_init();

	ck_assert_ptr_nonnull(c);
	*hl = curl_slist_append(NULL, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *hl);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	return c;
}

START_TEST(test_keep_alive)
{
	static const struct {
		const char *method, *path, *body;
		long status;
	} seq[] = {
		{ "GET", V DEMO_WABA "?" ADMIN, NULL, 200 },
		{ "GET", V "4999999999999999?" ADMIN, NULL, 400 },
		{ "POST", V DEMO_WABA "/assigned_users?" ADMIN,
		    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", 200 },
		{ "DELETE",
		    V DEMO_WABA "/assigned_users?" ADMIN
		                "&user=" DEMO_NOACCESS_USER,
		    NULL, 200 },
		{ "GET", V DEMO_WABA "?" AT "nonsense", NULL, 401 },
		{ "GET", "/_emulator/health", NULL, 200 },
		{ "GET", V DEMO_WABA "/phone_numbers?" ADMIN, NULL, 200 },
	};
	struct curl_slist *hl;
	CURL *c = ka_handle(&hl);
	long port = 0;
	size_t i;

	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		struct ka_result res;

		ka_perform(c, seq[i].method, seq[i].path, seq[i].body, &res);
		ck_assert_msg(res.status == seq[i].status,
		    "request %zu: HTTP %ld, want %ld", i, res.status,
		    seq[i].status);
		json_object_put(res.json);
		if (i == 0) {
			ck_assert_int_eq(res.new_connections, 1);
			port = res.local_port;
			continue;
		}
		ck_assert_msg(res.new_connections == 0,
		    "request %zu opened a new connection", i);
		ck_assert_int_eq(res.local_port, port);
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(hl);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- body size ---------------------------------------------------------- */

/* A form body of exactly n bytes that adds a number (pad is ignored). */
static char *
padded_form(size_t n)
{
	static const char head[] = "cc=1&phone_number=5550107777"
	                           "&verified_name=Padded&pad=";
	char *b = malloc(n + 1);

	ck_assert_ptr_nonnull(b);
	ck_assert_uint_ge(n, sizeof(head) - 1);
	memcpy(b, head, sizeof(head) - 1);
	memset(b + sizeof(head) - 1, 'x', n - (sizeof(head) - 1));
	b[n] = '\0';
	return b;
}

START_TEST(test_oversized_body)
{
	static const char msg[] = "(#100) Request body is too large: the "
	                          "limit is 1024 bytes";
	struct curl_slist *hl;
	CURL *c = ka_handle(&hl);
	struct ka_result res;
	struct http_resp r;
	char *big = padded_form(1025), *huge = padded_form(256 * 1024);
	char *fits = padded_form(1024);

	post(V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN, big, &r);
	EXPECT_100(&r, msg);
	ck_assert_str_eq(http_header(&r, "cache-control"), "no-store");
	http_resp_free(&r);
	/* JSON too: the limit comes before any parsing */
	req("POST", V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN, huge,
	    "application/json", NULL, &r);
	EXPECT_100(&r, msg);
	http_resp_free(&r);

	/* an answer, not a reset: the connection even stays usable */
	ka_perform(c, "GET", V DEMO_WABA "?" ADMIN, NULL, &res);
	ck_assert_int_eq(res.status, 200);
	json_object_put(res.json);
	ka_perform(c, "POST", V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN,
	    huge, &res);
	ck_assert_int_eq(res.status, 400);
	ck_assert_str_eq(jstr(res.json, "error.message"), msg);
	json_object_put(res.json);
	ka_perform(c, "GET", V DEMO_WABA "?" ADMIN, NULL, &res);
	ck_assert_int_eq(res.status, 200);
	ck_assert_str_eq(jstr(res.json, "id"), DEMO_WABA);
	json_object_put(res.json);
	curl_easy_cleanup(c);
	curl_slist_free_all(hl);

	/* nothing was added; a body of exactly the limit is served */
	get(V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(jeq(r.json, "{\"data\":[]}"));
	http_resp_free(&r);
	post(V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN, fits, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_ne(jstr(r.json, "id"), "");
	http_resp_free(&r);
	free(big);
	free(huge);
	free(fits);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- body encodings ----------------------------------------------------- */

START_TEST(test_bad_bodies_are_100)
{
	struct http_resp r;
	char buf[256];

	req("POST", V DEMO_WABA "/assigned_users?" ADMIN,
	    "{\"user\":", "application/json", NULL, &r);
	EXPECT_100(&r, "(#100) Invalid JSON in request body");
	http_resp_free(&r);
	req("POST", V DEMO_WABA "/assigned_users?" ADMIN,
	    "{\"user\":\"" DEMO_NOACCESS_USER "\",\"tasks\":[\"MANAGE\"]} x",
	    "application/json", NULL, &r);
	EXPECT_100(&r, "(#100) Invalid JSON in request body");
	http_resp_free(&r);
	req("POST", V DEMO_WABA "/assigned_users?" ADMIN, "[\"MANAGE\"]",
	    "application/json", NULL, &r);
	EXPECT_100(&r,
	    "(#100) Invalid JSON in request body: expected an "
	    "object");
	http_resp_free(&r);
	req("POST", V DEMO_WABA "/assigned_users?" ADMIN, "\"user\"",
	    "application/json; charset=utf-8", NULL, &r);
	EXPECT_100(&r,
	    "(#100) Invalid JSON in request body: expected an "
	    "object");
	http_resp_free(&r);

	/* invalid UTF-8: %FF in the query, a broken pair in a form */
	get(V DEMO_WABA "?" ADMIN "&fields=na%FFme", &r);
	EXPECT_100(&r, "(#100) Invalid UTF-8 in parameter fields");
	http_resp_free(&r);
	post(V DEMO_WABA "/phone_numbers?" ADMIN,
	    "cc=1&phone_number=5550107777&verified_name=%C3%28", &r);
	EXPECT_100(&r, "(#100) Invalid UTF-8 in parameter verified_name");
	http_resp_free(&r);
	req("POST", V DEMO_WABA "/phone_numbers?" ADMIN,
	    "{\"cc\":\"1\",\"phone_number\":\"5550107777\","
	    "\"verified_name\":\"\xff\"}",
	    "application/json", NULL, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_int_eq(jint(r.json, "error.code"), 100);
	http_resp_free(&r);

	/* none of them wrote anything */
	ck_assert_str_eq(
	    tasks_of(DEMO_WABA, DEMO_NOACCESS_USER, buf, sizeof(buf)), "none");
	get(V DEMO_WABA "/phone_numbers?" ADMIN, &r);
	ck_assert_int_eq((int)jlen(r.json, "data"), 2);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_get_with_empty_json_body)
{
	struct http_resp r;

	req("GET", V DEMO_WABA "?" ADMIN "&fields=name", "{}",
	    "application/json", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(jeq(r.json,
	    "{\"name\":\"Jasper's Market\",\"id\":\"" DEMO_WABA "\"}"));
	http_resp_free(&r);
	/* and the token may ride in that JSON body */
	req("GET", V DEMO_WABA "?fields=name",
	    "{\"access_token\":\"" TOK_ADMIN "\"}", "application/json", NULL,
	    &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "name"), "Jasper's Market");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_method_override)
{
	struct http_resp r;
	char buf[256];

	/* a GET that is a POST */
	get(V DEMO_WABA "/assigned_users?" ADMIN
	                "&method=POST&user=" DEMO_NOACCESS_USER
	                "&tasks=VIEW_COST",
	    &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(jeq(r.json, "{\"success\":true}"));
	ck_assert_ptr_null(http_header(&r, "etag"));
	http_resp_free(&r);
	ck_assert_str_eq(
	    tasks_of(DEMO_WABA, DEMO_NOACCESS_USER, buf, sizeof(buf)),
	    "[\"VIEW_COST\"]");
	/* a POST that is a delete, the verb in lower case, from the body */
	post(V DEMO_WABA "/assigned_users?" ADMIN,
	    "method=delete&user=" DEMO_NOACCESS_USER, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(jeq(r.json, "{\"success\":true}"));
	http_resp_free(&r);
	ck_assert_str_eq(
	    tasks_of(DEMO_WABA, DEMO_NOACCESS_USER, buf, sizeof(buf)), "none");
	/* a POST that is a GET reads */
	post(V DEMO_WABA "?" ADMIN "&fields=name", "method=get", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "name"), "Jasper's Market");
	http_resp_free(&r);
	get(V DEMO_WABA "?" ADMIN "&method=PATCH", &r);
	EXPECT_100(&r,
	    "(#100) Param method must be one of {GET, POST, "
	    "DELETE} - got \"PATCH\"");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_plus_is_a_space)
{
	struct http_resp r;
	char id[32], name[128];

	/* in the query string of a POST, as the docs send them */
	post(V DEMO_WABA_NOPHONES
	    "/phone_numbers?" ADMIN
	    "&cc=1&phone_number=5550107001&verified_name=Jaspers+Market",
	    NULL, &r);
	ck_assert_int_eq(r.status, 200);
	snprintf(id, sizeof(id), "%s", jstr(r.json, "id"));
	http_resp_free(&r);
	verified_name(id, name, sizeof(name));
	ck_assert_str_eq(name, "Jaspers Market");

	/* in a form body; %2B stays a plus */
	post(V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN,
	    "cc=1&phone_number=5550107002&verified_name=A+B%2BC", &r);
	ck_assert_int_eq(r.status, 200);
	snprintf(id, sizeof(id), "%s", jstr(r.json, "id"));
	http_resp_free(&r);
	verified_name(id, name, sizeof(name));
	ck_assert_str_eq(name, "A B+C");
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_multipart_body)
{
	static const char body[] =
	    "--XyZzy\r\n"
	    "Content-Disposition: form-data; name=\"cc\"\r\n"
	    "\r\n"
	    "1\r\n"
	    "--XyZzy\r\n"
	    "Content-Disposition: form-data; name=\"phone_number\"\r\n"
	    "\r\n"
	    "5550107003\r\n"
	    "--XyZzy\r\n"
	    "Content-Disposition: form-data; name=\"verified_name\"\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "\r\n"
	    "Multi Part+Co\r\n"
	    "--XyZzy\r\n"
	    "Content-Disposition: form-data; name=\"fields\"\r\n"
	    "\r\n"
	    "verified_name,display_phone_number\r\n"
	    "--XyZzy--\r\n";
	struct http_resp r;

	req("POST", V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN, body,
	    "multipart/form-data; boundary=XyZzy", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "verified_name"), "Multi Part+Co");
	ck_assert_str_eq(jstr(r.json, "display_phone_number"),
	    "+1 555-010-7003");
	http_resp_free(&r);
	/* a broken one is a 100, not a crash */
	req("POST", V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN,
	    "--XyZzy\r\nContent-Disposition: form-data; name=\"cc\"\r\n\r\n1",
	    "multipart/form-data; boundary=XyZzy", NULL, &r);
	EXPECT_100(&r,
	    "(#100) Malformed multipart/form-data body: no "
	    "closing boundary");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_json_arrays_and_booleans)
{
	struct http_resp r;
	char buf[256];

	req("POST", V DEMO_WABA "/assigned_users?" ADMIN,
	    "{\"user\":" DEMO_NOACCESS_USER ",\"tasks\":[\"MANAGE\","
	    "\"VIEW_COST\"]}",
	    "application/json", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(jeq(r.json, "{\"success\":true}"));
	http_resp_free(&r);
	ck_assert_str_eq(
	    tasks_of(DEMO_WABA, DEMO_NOACCESS_USER, buf, sizeof(buf)),
	    "[\"MANAGE\",\"VIEW_COST\"]");

	/* migrate_phone_number as a JSON true: the number keeps its id */
	req("POST", V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN,
	    "{\"cc\":\"1\",\"phone_number\":\"5550100201\","
	    "\"migrate_phone_number\":true}",
	    "application/json", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "id"), "5000000000000002");
	http_resp_free(&r);
	get(V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN, &r);
	ck_assert_int_eq((int)jlen(r.json, "data"), 1);
	ck_assert_str_eq(jstr(r.json, "data.0.id"), "5000000000000002");
	http_resp_free(&r);
	/* and a JSON false is a plain add, refused for a taken number */
	req("POST", V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN,
	    "{\"cc\":\"1\",\"phone_number\":\"5550100200\","
	    "\"verified_name\":\"X\",\"migrate_phone_number\":false}",
	    "application/json", NULL, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_int_eq(jint(r.json, "error.code"), 200000);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_body_wins_over_query)
{
	struct http_resp r;
	char id[32], name[128];

	post(V DEMO_WABA_NOPHONES
	    "/phone_numbers?" ADMIN
	    "&verified_name=From+Query&phone_number=5550100200",
	    "cc=1&phone_number=5550107004&verified_name=From+Body", &r);
	ck_assert_int_eq(r.status, 200);
	snprintf(id, sizeof(id), "%s", jstr(r.json, "id"));
	http_resp_free(&r);
	verified_name(id, name, sizeof(name));
	ck_assert_str_eq(name, "From Body");

	req("POST",
	    V DEMO_WABA_NOPHONES
	    "/phone_numbers?" ADMIN
	    "&verified_name=From+Query&fields=verified_name",
	    "{\"cc\":\"1\",\"phone_number\":\"5550107005\","
	    "\"verified_name\":\"From JSON\"}",
	    "application/json", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "verified_name"), "From JSON");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_id_param_equal_to_node_is_ignored)
{
	struct http_resp r;
	char buf[256];

	/* the Node SDK's JSON body carries the node's own id */
	req("POST", V DEMO_WABA "/assigned_users?" ADMIN,
	    "{\"id\":\"" DEMO_WABA "\",\"user\":\"" DEMO_NOACCESS_USER
	    "\",\"tasks\":[\"DEVELOP\"]}",
	    "application/json", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(jeq(r.json, "{\"success\":true}"));
	http_resp_free(&r);
	ck_assert_str_eq(
	    tasks_of(DEMO_WABA, DEMO_NOACCESS_USER, buf, sizeof(buf)),
	    "[\"DEVELOP\"]");
	/* and its DELETE the query */
	req("DELETE",
	    V DEMO_WABA "/assigned_users?id=" DEMO_WABA
	                "&user=" DEMO_NOACCESS_USER "&" ADMIN,
	    NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(jeq(r.json, "{\"success\":true}"));
	http_resp_free(&r);
	ck_assert_str_eq(
	    tasks_of(DEMO_WABA, DEMO_NOACCESS_USER, buf, sizeof(buf)), "none");
	/* a node read with it answers the node, not an error */
	get(V DEMO_WABA "?id=" DEMO_WABA "&fields=name&" ADMIN, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(jeq(r.json,
	    "{\"name\":\"Jasper's Market\",\"id\":\"" DEMO_WABA "\"}"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- tokens ------------------------------------------------------------- */

START_TEST(test_token_from_headers)
{
	static const char *const bearer[] = {
		"Authorization: Bearer " TOK_ADMIN, NULL
	};
	static const char *const oauth[] = { "Authorization: OAuth " TOK_ADMIN,
		NULL };
	static const char *const bogus[] = { "Authorization: Bearer nonsense",
		NULL };
	static const char *const basic[] = { "Authorization: Basic "
		                             "dXNlcjpwYXNz",
		NULL };
	struct http_resp r;

	req("GET", V DEMO_WABA "?fields=name", NULL, NULL, bearer, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "name"), "Jasper's Market");
	http_resp_free(&r);
	req("GET", V DEMO_WABA "?fields=name", NULL, NULL, oauth, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "name"), "Jasper's Market");
	http_resp_free(&r);
	req("DELETE", V DEMO_WABA "/assigned_users?user=" DEMO_MANAGER_USER,
	    NULL, NULL, oauth, &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	/* the access_token parameter comes first */
	req("GET", V DEMO_WABA "?" ADMIN, NULL, NULL, bogus, &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	req("GET", V DEMO_WABA "?" AT "nonsense", NULL, NULL, bearer, &r);
	ck_assert_int_eq(r.status, 401);
	ck_assert_int_eq(jint(r.json, "error.code"), 190);
	http_resp_free(&r);
	/* in a form body */
	post(V DEMO_WABA "/assigned_users",
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE&" ADMIN, &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	/* another scheme is no token */
	req("GET", V DEMO_WABA, NULL, NULL, basic, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_int_eq(jint(r.json, "error.code"), 104);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- versions ----------------------------------------------------------- */

START_TEST(test_version_echoed)
{
	struct http_resp r;

	get("/v23.0/" DEMO_WABA "?" ADMIN, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(http_header(&r, "facebook-api-version"), "v23.0");
	http_resp_free(&r);
	get("/" DEMO_WABA "?" ADMIN, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(http_header(&r, "facebook-api-version"), "v24.0");
	ck_assert_str_eq(jstr(r.json, "id"), DEMO_WABA);
	http_resp_free(&r);
	/* on errors too */
	get("/v26.0/4999999999999999?" ADMIN, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(http_header(&r, "facebook-api-version"), "v26.0");
	http_resp_free(&r);
	/* a version that never existed is no version: Graph reads it as a
	 * node and what follows as unknown components */
	get("/v99.12/" DEMO_WABA "/phone_numbers?" ADMIN, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_int_eq(jint(r.json, "error.code"), 2500);
	ck_assert_str_eq(http_header(&r, "facebook-api-version"), "v24.0");
	http_resp_free(&r);
	/* errors found before routing: a bad body, an injected fault */
	req("POST", "/v23.0/" DEMO_WABA "/assigned_users?" ADMIN, "{",
	    "application/json", NULL, &r);
	ck_assert_int_eq(jint(r.json, "error.code"), 100);
	ck_assert_str_eq(http_header(&r, "facebook-api-version"), "v23.0");
	http_resp_free(&r);
	req("POST", "/_emulator/faults",
	    "{\"match\":{\"path\":\"*\"},"
	    "\"error\":{\"code\":2},\"times\":1}",
	    "application/json", NULL, &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	get("/v25.0/" DEMO_WABA "?" ADMIN, &r);
	ck_assert_int_eq(jint(r.json, "error.code"), 2);
	ck_assert_str_eq(http_header(&r, "facebook-api-version"), "v25.0");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_default_version_flag)
{
	static const char *const args[] = { "--default-version", "v26.0",
		NULL };
	struct http_resp r;

	ck_assert_int_eq(server_stop(&S), 0);
	start(args);
	get("/" DEMO_WABA "?" ADMIN, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(http_header(&r, "facebook-api-version"), "v26.0");
	http_resp_free(&r);
	get("/v23.0/" DEMO_WABA "?" ADMIN, &r);
	ck_assert_str_eq(http_header(&r, "facebook-api-version"), "v23.0");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- response headers --------------------------------------------------- */

static bool
all_digits(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool
url_safe(const char *s, size_t len)
{
	size_t i;

	if (s == NULL || strlen(s) != len)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= 'A' && s[i] <= 'Z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		        s[i] == '_'))
			return false;
	return true;
}

/* The headers every Graph response carries. */
static void
common_headers_at(const struct http_resp *r, int line)
{
	static const struct {
		const char *name, *value;
	} fixed[] = {
		{ "access-control-allow-origin", "*" },
		{ "expires", "Sat, 01 Jan 2000 00:00:00 GMT" },
		{ "pragma", "no-cache" },
		{ "content-type", "application/json; charset=UTF-8" },
		{ "facebook-api-version", "v24.0" },
	};
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		v = http_header(r, fixed[i].name);
		ck_assert_msg(v != NULL && strcmp(v, fixed[i].value) == 0,
		    "line %d: %s: %s, want %s", line, fixed[i].name,
		    v ? v : "(none)", fixed[i].value);
	}
	ck_assert_msg(all_digits(http_header(r, "x-fb-rev")),
	    "line %d: x-fb-rev", line);
	/* Graph's shapes: 23 and 11 URL-safe characters */
	v = http_header(r, "x-fb-request-id");
	ck_assert_msg(url_safe(v, 23), "line %d: x-fb-request-id %s", line,
	    v ? v : "(none)");
	v = http_header(r, "x-fb-trace-id");
	ck_assert_msg(url_safe(v, 11), "line %d: x-fb-trace-id %s", line,
	    v ? v : "(none)");
}

#define COMMON_HEADERS(r) common_headers_at((r), __LINE__)

static bool
is_etag(const char *v)
{
	size_t i;

	if (v == NULL || strlen(v) != 42 || v[0] != '"' || v[41] != '"')
		return false;
	for (i = 1; i < 41; i++)
		if (!((v[i] >= '0' && v[i] <= '9') ||
		        (v[i] >= 'a' && v[i] <= 'f')))
			return false;
	return true;
}

START_TEST(test_response_headers)
{
	static const char nocache[] =
	    "private, no-cache, no-store, must-revalidate";
	struct http_resp r, r2;
	char etag[64], rid[64];

	get(V DEMO_WABA "?" ADMIN, &r);
	ck_assert_int_eq(r.status, 200);
	COMMON_HEADERS(&r);
	ck_assert_str_eq(http_header(&r, "cache-control"), nocache);
	ck_assert(is_etag(http_header(&r, "etag")));
	ck_assert_ptr_null(http_header(&r, "www-authenticate"));
	snprintf(etag, sizeof(etag), "%s", http_header(&r, "etag"));
	snprintf(rid, sizeof(rid), "%s", http_header(&r, "x-fb-request-id"));
	http_resp_free(&r);

	/* the same body has the same ETag; every request its own id */
	get(V DEMO_WABA "?" ADMIN, &r);
	ck_assert_str_eq(http_header(&r, "etag"), etag);
	ck_assert_str_ne(http_header(&r, "x-fb-request-id"), rid);
	http_resp_free(&r);
	get(V DEMO_WABA "?" ADMIN "&fields=name", &r);
	ck_assert(is_etag(http_header(&r, "etag")));
	ck_assert_str_ne(http_header(&r, "etag"), etag);
	http_resp_free(&r);

	/* a list GET */
	get(V DEMO_WABA "/phone_numbers?" ADMIN, &r);
	ck_assert_int_eq(r.status, 200);
	COMMON_HEADERS(&r);
	ck_assert(is_etag(http_header(&r, "etag")));
	http_resp_free(&r);

	/* POST and DELETE successes: no ETag */
	post(V DEMO_WABA "/assigned_users?" ADMIN,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	ck_assert_int_eq(r.status, 200);
	COMMON_HEADERS(&r);
	ck_assert_str_eq(http_header(&r, "cache-control"), nocache);
	ck_assert_ptr_null(http_header(&r, "etag"));
	ck_assert_ptr_null(http_header(&r, "www-authenticate"));
	http_resp_free(&r);
	req("DELETE",
	    V DEMO_WABA "/assigned_users?" ADMIN "&user=" DEMO_NOACCESS_USER,
	    NULL, NULL, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	COMMON_HEADERS(&r);
	ck_assert_str_eq(http_header(&r, "cache-control"), nocache);
	ck_assert_ptr_null(http_header(&r, "etag"));
	http_resp_free(&r);

	/* an error */
	get(V "4999999999999999?" ADMIN, &r);
	ck_assert_int_eq(r.status, 400);
	COMMON_HEADERS(&r);
	ck_assert_str_eq(http_header(&r, "cache-control"), "no-store");
	ck_assert_ptr_null(http_header(&r, "etag"));
	ck_assert_ptr_nonnull(http_header(&r, "www-authenticate"));
	ck_assert_str_eq(jstr(r.json, "error.fbtrace_id"),
	    http_header(&r, "x-fb-request-id"));
	http_resp_free(&r);

	/* a batch is a POST */
	post(V,
	    ADMIN "&batch=%5B%7B%22method%22%3A%22GET%22%2C%22relative_url"
	          "%22%3A%22" DEMO_WABA "%22%7D%5D",
	    &r2);
	ck_assert_int_eq(r2.status, 200);
	COMMON_HEADERS(&r2);
	ck_assert_ptr_null(http_header(&r2, "etag"));
	http_resp_free(&r2);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- trace ids ---------------------------------------------------------- */

#define TRACE_STEPS 4

/* Runs a fixed sequence and records both trace headers of each answer. */
static void
trace_sequence(char ids[TRACE_STEPS][2][64])
{
	static const char *const paths[TRACE_STEPS] = {
		V DEMO_WABA "?" ADMIN,
		V "4999999999999999?" ADMIN,
		V DEMO_WABA "/phone_numbers?" ADMIN,
		V DEMO_WABA "?" AT "nonsense",
	};
	struct http_resp r;
	size_t i;

	for (i = 0; i < TRACE_STEPS; i++) {
		get(paths[i], &r);
		snprintf(ids[i][0], 64, "%s",
		    http_header(&r, "x-fb-request-id"));
		snprintf(ids[i][1], 64, "%s", http_header(&r, "x-fb-trace-id"));
		if (r.status != 200)
			ck_assert_str_eq(jstr(r.json, "error.fbtrace_id"),
			    ids[i][0]);
		http_resp_free(&r);
	}
}

START_TEST(test_trace_ids_follow_the_seed)
{
	static const char *const seed7[] = { "--seed", "7", NULL };
	char a[TRACE_STEPS][2][64], b[TRACE_STEPS][2][64];
	char c[TRACE_STEPS][2][64];
	size_t i, k;

	trace_sequence(a);
	ck_assert_int_eq(server_stop(&S), 0);
	start(NULL);
	trace_sequence(b);
	ck_assert_int_eq(server_stop(&S), 0);
	start(seed7);
	trace_sequence(c);
	for (i = 0; i < TRACE_STEPS; i++) {
		ck_assert_str_eq(a[i][0], b[i][0]);
		ck_assert_str_eq(a[i][1], b[i][1]);
		if (i > 0)
			ck_assert_str_ne(a[i][0], a[i - 1][0]);
		/* not merely shifted: no id of one seed is in the other */
		for (k = 0; k < TRACE_STEPS; k++) {
			ck_assert_str_ne(a[i][0], c[k][0]);
			ck_assert_str_ne(a[i][1], c[k][1]);
		}
	}
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- JSON style --------------------------------------------------------- */

static void
all_ids_are_strings(struct json_object *o)
{
	if (json_object_is_type(o, json_type_array)) {
		size_t i;

		for (i = 0; i < json_object_array_length(o); i++)
			all_ids_are_strings(json_object_array_get_idx(o, i));
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	json_object_object_foreach(o, key, val) {
		if (strcmp(key, "id") == 0)
			ck_assert_msg(
			    json_object_is_type(val, json_type_string),
			    "an id that is not a string");
		all_ids_are_strings(val);
	}
}

START_TEST(test_ids_are_strings)
{
	static const char *const paths[] = {
		V DEMO_WABA "?" ADMIN "&fields=id,name,phone_numbers%7Bid%7D,"
		            "on_behalf_of_business_info,owner_business_info",
		V DEMO_WABA "/phone_numbers?" ADMIN,
		V DEMO_WABA "/assigned_users?" ADMIN "&business=" DEMO_BUSINESS,
		V DEMO_BUSINESS "/owned_whatsapp_business_accounts?" ADMIN,
		V DEMO_BUSINESS "/client_whatsapp_business_accounts?" ADMIN,
		V DEMO_PHONE "?" ADMIN,
		V DEMO_BUSINESS "?" ADMIN,
	};
	struct http_resp r;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		get(paths[i], &r);
		ck_assert_msg(r.status == 200, "%s: %ld %s", paths[i], r.status,
		    r.body);
		all_ids_are_strings(r.json);
		http_resp_free(&r);
	}
	post(V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN,
	    "cc=1&phone_number=5550107006&verified_name=X", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(json_object_is_type(jget(r.json, "id"), json_type_string));
	ck_assert_int_eq((int)jlen(r.json, ""), 1);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_compact_json_escapes_slashes)
{
	struct http_resp r;
	char want[128];

	get(V "4999999999999999?" ADMIN, &r);
	ck_assert_ptr_nonnull(strstr(r.body,
	    "https:\\/\\/developers.facebook.com\\/docs\\/graph-api"));
	ck_assert_ptr_null(strstr(r.body, "https://"));
	ck_assert_ptr_null(strchr(r.body, '\n'));
	ck_assert(strncmp(r.body, "{\"error\":{\"message\":\"", 21) == 0);
	http_resp_free(&r);

	get(V DEMO_BUSINESS "/owned_whatsapp_business_accounts?" ADMIN
	                    "&limit=1",
	    &r);
	ck_assert_int_eq(r.status, 200);
	snprintf(want, sizeof(want),
	    "\"next\":\"http:\\/\\/127.0.0.1:%d"
	    "\\/v24.0\\/" DEMO_BUSINESS "\\/owned_whatsapp_business_accounts?",
	    S.port);
	ck_assert_msg(strstr(r.body, want) != NULL, "%s", r.body);
	ck_assert_ptr_null(strchr(r.body, '\n'));
	ck_assert_ptr_null(strstr(r.body, "\": "));
	ck_assert_ptr_null(strstr(r.body, ", \""));
	ck_assert(strncmp(r.body, "{\"data\":[{\"id\":\"", 16) == 0);
	/* the parsed URL is an ordinary one */
	ck_assert(
	    strncmp(jstr(r.json, "paging.next"), "http://127.0.0.1:", 17) == 0);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- garbage on the socket ---------------------------------------------- */

/* Reads until the server closes; the answer, NUL-terminated. */
static char *
read_to_close(int fd)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	ssize_t k;

	ck_assert_ptr_nonnull(buf);
	while (n < cap - 1 && (k = recv(fd, buf + n, cap - 1 - n, 0)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	return buf;
}

/* Sends p[0..n) on a connection of its own; the answer, to the close. */
static char *
raw_answer(const void *p, size_t n)
{
	int fd = raw_connect(&S);
	char *ans;

	raw_send_all(fd, p, n);
	ans = read_to_close(fd);
	close(fd);
	return ans;
}

START_TEST(test_survives_garbage)
{
#define J_NUL "\x00\x01\x02garbage\r\n\r\n"
#define J_TLS "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"
#define J_HELLO "HELLO\r\n\r\n"
#define J_BARE "GET\r\n\r\n"
#define J_LEN "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"
#define J_SHORT "POST /v24.0/ HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort"
#define J_FOO \
	"FOO /v24.0/" DEMO_WABA "?" ADMIN " HTTP/1.1\r\nHost: x\r\n" \
	"Connection: close\r\n\r\n"
	static const struct {
		const char *p;
		size_t n;
	} junk[] = {
		{ J_NUL, sizeof(J_NUL) - 1 },
		{ J_TLS, sizeof(J_TLS) - 1 },
		{ J_HELLO, sizeof(J_HELLO) - 1 },
		{ J_BARE, sizeof(J_BARE) - 1 },
		{ J_LEN, sizeof(J_LEN) - 1 },
		{ J_SHORT, sizeof(J_SHORT) - 1 },
	};
	unsigned char noise[70000];
	struct http_resp r;
	uint32_t x = 2463534242u;
	size_t i;
	char *ans;
	int fd;

	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		fd = raw_connect(&S);
		raw_send_all(fd, junk[i].p, junk[i].n);
		close(fd);
	}
	/* more noise than a request line may hold */
	for (i = 0; i < sizeof(noise); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		noise[i] = (unsigned char)x;
	}
	fd = raw_connect(&S);
	raw_send_all(fd, noise, sizeof(noise));
	close(fd);

	/* an unknown verb is answered Graph-style, and the line closed */
	ans = raw_answer(J_FOO, sizeof(J_FOO) - 1);
	ck_assert_msg(strncmp(ans, "HTTP/1.1 400", 12) == 0, "%s", ans);
	ck_assert_ptr_nonnull(strstr(ans, "\"code\":100"));
	free(ans);

	/* and the server still serves */
	for (i = 0; i < 3; i++) {
		get(V DEMO_WABA "?" ADMIN, &r);
		ck_assert_int_eq(r.status, 200);
		ck_assert_str_eq(jstr(r.json, "id"), DEMO_WABA);
		http_resp_free(&r);
	}
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/*
 * A request line or header block past the 12 KiB a request head may take
 * is refused unrun: 414 or 431 with a Graph error, and the connection
 * closed (test_hostile.c has the details).  What matters here is that
 * nothing else breaks.
 */
static char *
raw_exchange(const char *target, const char *header)
{
	size_t n = strlen(target) + strlen(header) + 64;
	char *req = malloc(n), *ans;
	int len;

	ck_assert_ptr_nonnull(req);
	len = snprintf(req, n, "GET %s HTTP/1.1\r\nHost: x\r\n%s\r\n", target,
	    header);
	ans = raw_answer(req, (size_t)len);
	free(req);
	return ans;
}

START_TEST(test_oversized_request_head)
{
	static const char target[] = V DEMO_WABA "?" ADMIN "&pad=";
	char pad[14000], path[sizeof(target) + sizeof(pad)];
	char hdr[sizeof(pad) + 16];
	struct http_resp r;
	char *ans;

	memset(pad, 'a', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';

	/* a long query that still fits is served */
	snprintf(path, sizeof(path), "%s%.6000s", target, pad);
	get(path, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "id"), DEMO_WABA);
	http_resp_free(&r);

	snprintf(path, sizeof(path), "%s%s", target, pad);
	ans = raw_exchange(path, "");
	ck_assert_msg(strncmp(ans, "HTTP/1.1 414", 12) == 0, "%.200s", ans);
	free(ans);

	snprintf(hdr, sizeof(hdr), "X-Pad: %s\r\n", pad);
	ans = raw_exchange(V DEMO_WABA "?" ADMIN, hdr);
	ck_assert_msg(strncmp(ans, "HTTP/1.1 431", 12) == 0, "%.200s", ans);
	free(ans);

	get(V DEMO_WABA "?" ADMIN, &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- the command line and the environment ------------------------------- */

struct proc {
	int status; /* exit status, -1 on a signal */
	char out[16384];
	char err[4096];
};

static void
drain(int fd, char *buf, size_t cap, size_t *n, bool *open)
{
	ssize_t k = read(fd, buf + *n, cap - 1 - *n);

	if (k <= 0) {
		*open = false;
		return;
	}
	*n += (size_t)k;
	buf[*n] = '\0';
}

/*
 * Runs the binary with args and extra environment ("NAME=value" strings)
 * to its exit, collecting standard output and error.
 */
static void
run_bin(const char *const *args, const char *const *env, struct proc *p)
{
	const char *bin = getenv("WABA_EMU_BIN");
	const char *argv[32];
	int o[2], e[2], st;
	size_t n = 0, on = 0, en = 0;
	bool oo = true, eo = true;
	pid_t pid;

	memset(p, 0, sizeof(*p));
	ck_assert_ptr_nonnull(bin);
	ck_assert_int_eq(pipe(o), 0);
	ck_assert_int_eq(pipe(e), 0);
	argv[n++] = bin;
	while (args != NULL && *args != NULL && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(o[1], 1);
		dup2(e[1], 2);
		close(o[0]);
		close(o[1]);
		close(e[0]);
		close(e[1]);
		while (env != NULL && *env != NULL)
			putenv((char *)*env++);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(o[1]);
	close(e[1]);
	while (oo || eo) {
		struct pollfd pf[2] = { { o[0], POLLIN, 0 },
			{ e[0], POLLIN, 0 } };

		pf[0].fd = oo ? o[0] : -1;
		pf[1].fd = eo ? e[0] : -1;
		if (poll(pf, 2, -1) < 0) {
			ck_assert_int_eq(errno, EINTR);
			continue;
		}
		if (pf[0].revents)
			drain(o[0], p->out, sizeof(p->out), &on, &oo);
		if (pf[1].revents)
			drain(e[0], p->err, sizeof(p->err), &en, &eo);
	}
	close(o[0]);
	close(e[0]);
	while (waitpid(pid, &st, 0) < 0)
		ck_assert_int_eq(errno, EINTR);
	p->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* True when text lists --name as a flag of its own. */
static bool
lists_flag(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(text, name); p != NULL; p = strstr(p + 1, name))
		if (p[n] == ' ' || p[n] == '\n' || p[n] == '=' || p[n] == ',')
			return true;
	return false;
}

static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (*s == '\n')
			n++;
	return n;
}

START_TEST(test_help_lists_every_flag)
{
	static const char *const flags[] = { "--bind", "--port", "--db",
		"--fixtures", "--no-fixtures", "--seed", "--default-version",
		"--status-profile", "--rate-limit", "--rate-limit-active",
		"--rate-window", "--no-rate-limit", "--read-only",
		"--admin-token", "--no-control-plane", "--max-body",
		"--workers", "--log-format", "--healthcheck", "--version",
		"--help", NULL };
	static const char *const args[] = { "--help", NULL };
	static const char *const vargs[] = { "--version", NULL };
	struct proc p;
	size_t i;

	run_bin(args, NULL, &p);
	ck_assert_int_eq(p.status, 0);
	for (i = 0; flags[i] != NULL; i++)
		ck_assert_msg(lists_flag(p.out, flags[i]),
		    "--help does not list %s:\n%s", flags[i], p.out);
	/* and the environment variables */
	ck_assert_ptr_nonnull(strstr(p.out, "WABA_EMU_PORT"));
	ck_assert_ptr_nonnull(strstr(p.out, "WABA_EMU_NO_RATE_LIMIT"));
	run_bin(vargs, NULL, &p);
	ck_assert_int_eq(p.status, 0);
	ck_assert_ptr_nonnull(strstr(p.out, "waba-emulator"));
}
END_TEST

/* How many of the server's threads are named name (Linux's /proc). */
static int
threads_named(pid_t pid, const char *name)
{
	char path[300], comm[32];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	ck_assert_ptr_nonnull(d = opendir(path));
	while ((de = readdir(d)) != NULL) {
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/comm", (int)pid,
		    de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(comm, sizeof(comm), f) != NULL &&
		    strncmp(comm, name, strlen(name)) == 0 &&
		    comm[strlen(name)] == '\n')
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

/*
 * threads_named(), once it says want: a thread names itself when it
 * starts, which may come after the server says it is listening.
 */
static int
threads_named_soon(pid_t pid, const char *name, int want)
{
	int i, n = 0;

	for (i = 0; i < 500 && (n = threads_named(pid, name)) != want; i++)
		usleep(10000);
	return n;
}

/*
 * Starts the server with --workers n and expects n threads named name,
 * none named other, and an answer.
 */
static void
expect_workers(const char *n, const char *name, const char *other)
{
	const char *const args[] = { "--workers", n, NULL };
	struct server s;
	struct http_resp r;

	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(threads_named_soon(s.pid, name, atoi(n)), atoi(n));
	ck_assert_int_eq(threads_named(s.pid, other), 0);
	ck_assert_int_eq(http_get(&s, "/_emulator/health", &r), 0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}

/* --workers sets libmicrohttpd's threads: one alone, or a pool. */
START_TEST(test_workers_flag)
{
	expect_workers("1", "MHD-single", "MHD-worker");
	expect_workers("3", "MHD-worker", "MHD-single");
}
END_TEST

START_TEST(test_bad_flags_exit_2)
{
	static const struct {
		const char *args[4];
		const char *names; /* the flag the message must name */
	} cases[] = {
		{ { "--bogus", NULL }, "--bogus" },
		{ { "--port", "abc", NULL }, "--port" },
		{ { "--port", "70000", NULL }, "--port" },
		{ { "--status-profile", "modern", NULL }, "--status-profile" },
		{ { "--default-version", "24.0", NULL }, "--default-version" },
		{ { "--rate-limit", NULL }, "--rate-limit" },
		{ { "--max-body", "-1", NULL }, "--max-body" },
		{ { "--workers", "300", NULL }, "--workers" },
		{ { "--log-format", "xml", NULL }, "--log-format" },
		{ { "--read-only=perhaps", NULL }, "--read-only" },
	};
	struct proc p;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_bin(cases[i].args, NULL, &p);
		ck_assert_msg(p.status == 2, "%s: exit %d", cases[i].names,
		    p.status);
		ck_assert_msg(count_lines(p.err) == 1 &&
		        p.err[strlen(p.err) - 1] == '\n',
		    "%s: not one line: [%s]", cases[i].names, p.err);
		ck_assert_msg(strstr(p.err, cases[i].names) != NULL,
		    "%s: not named: %s", cases[i].names, p.err);
		ck_assert_msg(p.out[0] == '\0', "%s: stdout: %s",
		    cases[i].names, p.out);
	}
}
END_TEST

/*
 * Starts the binary with extra environment and args, like server_start()
 * but without its flags: the environment alone must make it listen.
 */
static void
start_with_env(const char *const *env, const char *const *args)
{
	const char *bin = getenv("WABA_EMU_BIN");
	const char *argv[32];
	char line[256];
	size_t n = 0, len = 0;
	int fds[2];
	char *colon;

	memset(&S, 0, sizeof(S));
	ck_assert_ptr_nonnull(bin);
	ck_assert_int_eq(pipe(fds), 0);
	argv[n++] = bin;
	while (args != NULL && *args != NULL && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	S.pid = fork();
	ck_assert_int_ge(S.pid, 0);
	if (S.pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		while (env != NULL && *env != NULL)
			putenv((char *)*env++);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	/* a failed start closes the pipe: read() returns 0 */
	while (len < sizeof(line) - 1 && memchr(line, '\n', len) == NULL) {
		ssize_t k = read(fds[0], line + len, sizeof(line) - 1 - len);

		if (k < 0 && errno == EINTR)
			continue;
		ck_assert_int_gt(k, 0);
		len += (size_t)k;
	}
	close(fds[0]);
	line[len] = '\0';
	ck_assert_msg(strncmp(line,
	                  "waba-emulator listening on "
	                  "http://127.0.0.1:",
	                  44) == 0,
	    "%s", line);
	colon = strrchr(line, ':');
	S.port = atoi(colon + 1);
	ck_assert_int_gt(S.port, 0);
	snprintf(S.base, sizeof(S.base), "http://127.0.0.1:%d", S.port);
}

START_TEST(test_environment_variables)
{
	static const char *const env[] = { "WABA_EMU_PORT=0",
		"WABA_EMU_BIND=127.0.0.1", "WABA_EMU_DEFAULT_VERSION=v25.0",
		"WABA_EMU_READ_ONLY=1", "WABA_EMU_STATUS_PROFILE=classic",
		NULL };
	static const char *const flags[] = { "--default-version", "v26.0",
		"--read-only=false", NULL };
	static const char *const bad_env[] = { "WABA_EMU_PORT=abc", NULL };
	static const char *const empty_env[] = { "WABA_EMU_PORT=0",
		"WABA_EMU_READ_ONLY=", NULL };
	struct http_resp r;
	struct proc p;

	start_with_env(env, NULL);
	get("/" DEMO_WABA "?" ADMIN, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(http_header(&r, "facebook-api-version"), "v25.0");
	http_resp_free(&r);
	post("/" DEMO_WABA "/assigned_users?" ADMIN,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	ck_assert_int_eq(jint(r.json, "error.code"), 300);
	http_resp_free(&r);
	/* classic: a 190 is a 400 */
	get("/" DEMO_WABA "?" AT "nonsense", &r);
	ck_assert_int_eq(r.status, 400);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);

	/* flags win */
	start_with_env(env, flags);
	get("/" DEMO_WABA "?" ADMIN, &r);
	ck_assert_str_eq(http_header(&r, "facebook-api-version"), "v26.0");
	http_resp_free(&r);
	post("/" DEMO_WABA "/assigned_users?" ADMIN,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);

	/* an empty variable is unset */
	start_with_env(empty_env, NULL);
	post("/" DEMO_WABA "/assigned_users?" ADMIN,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);

	/* a bad value is a bad flag, named by its variable */
	run_bin(NULL, bad_env, &p);
	ck_assert_int_eq(p.status, 2);
	ck_assert_uint_eq(count_lines(p.err), 1);
	ck_assert_ptr_nonnull(strstr(p.err, "WABA_EMU_PORT"));
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("http");
	TCase *tc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	tc = harness_tcase("defaults", setup_default, teardown);
	tcase_add_test(tc, test_keep_alive);
	tcase_add_test(tc, test_bad_bodies_are_100);
	tcase_add_test(tc, test_get_with_empty_json_body);
	tcase_add_test(tc, test_method_override);
	tcase_add_test(tc, test_plus_is_a_space);
	tcase_add_test(tc, test_multipart_body);
	tcase_add_test(tc, test_json_arrays_and_booleans);
	tcase_add_test(tc, test_body_wins_over_query);
	tcase_add_test(tc, test_id_param_equal_to_node_is_ignored);
	tcase_add_test(tc, test_token_from_headers);
	tcase_add_test(tc, test_version_echoed);
	tcase_add_test(tc, test_default_version_flag);
	tcase_add_test(tc, test_response_headers);
	tcase_add_test(tc, test_trace_ids_follow_the_seed);
	tcase_add_test(tc, test_ids_are_strings);
	tcase_add_test(tc, test_compact_json_escapes_slashes);
	tcase_add_test(tc, test_survives_garbage);
	tcase_add_test(tc, test_oversized_request_head);
	suite_add_tcase(su, tc);

	tc = harness_tcase("max body 1024", setup_small_body, teardown);
	tcase_add_test(tc, test_oversized_body);
	suite_add_tcase(su, tc);

	tc = harness_tcase("command line", NULL, teardown);
	tcase_add_test(tc, test_help_lists_every_flag);
	tcase_add_test(tc, test_bad_flags_exit_2);
	tcase_add_test(tc, test_workers_flag);
	tcase_add_test(tc, test_environment_variables);
	suite_add_tcase(su, tc);

	curl_global_cleanup();
	return suite_run(su);
}
