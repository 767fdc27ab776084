/*
 * test_conventions.c - end to end: the Graph conventions real clients
 * rely on beyond the resources themselves: fields= as people type it,
 * counting with limit=0 and .summary(true), /me, multiple-id reads and
 * CORS preflights, versions, read-after-write, partner tasks,
 * debug_token's caller errors.  docs/conventions.md says what each
 * follows.
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

static struct server S;

static void
setup(void)
{
	ck_assert_int_eq(server_start(&S, NULL), 0);
}

static void
teardown(void)
{
	ck_assert_int_eq(server_stop(&S), 0);
}

/* a request of the suite's server, path from fmt */
#define call(r, method, body, headers, ...) \
	http_reqf(&S, r, method, body, NULL, headers, __VA_ARGS__)

#define GET(r, ...) call(r, "GET", NULL, NULL, __VA_ARGS__)
#define POST(r, form, ...) call(r, "POST", form, NULL, __VA_ARGS__)

static void
expect_ok(const struct http_resp *r)
{
	ck_assert_msg(r->status == 200 && r->json != NULL,
	    "expected 200, got %ld: %s", r->status, r->body);
}

static void
expect_error(const struct http_resp *r, long status, long long code,
    const char *message)
{
	ck_assert_msg(r->status == status &&
	        jint(r->json, "error.code") == code,
	    "expected %ld/%lld, got %ld: %s", status, code, r->status, r->body);
	ck_assert_str_ne(jstr(r->json, "error.fbtrace_id"), "");
	ck_assert_str_ne(jstr(r->json, "error.type"), "");
	if (message != NULL)
		ck_assert_str_eq(jstr(r->json, "error.message"), message);
}

/* The body equals what a GET of path answers (trace ids aside). */
static void
same_as_get(struct json_object *got, const char *fmt, ...)
{
	char path[4096];
	struct http_resp r;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	ck_assert_int_eq(http_get(&S, path, &r), 0);
	expect_ok(&r);
	ck_assert_msg(json_object_equal(got, r.json), "%s: %s / %s", path,
	    json_object_to_json_string(got), r.body);
	http_resp_free(&r);
}

/* ---- fields= as people write it ------------------------------------ */

START_TEST(test_fields_spaces)
{
	struct http_resp r;

	GET(&r, V DEMO_WABA "?fields=id,%%20name&" ADMIN);
	expect_ok(&r);
	same_as_get(r.json, V DEMO_WABA "?fields=id,name&" ADMIN);
	ck_assert_uint_eq((size_t)json_object_object_length(r.json), 2);
	http_resp_free(&r);

	GET(&r,
	    V DEMO_WABA "?fields=%%20id%%20,phone_numbers.limit(1)%%20"
	                "%%7B%%20id,%%20verified_name%%20%%7D%%20&" ADMIN);
	expect_ok(&r);
	same_as_get(r.json,
	    V DEMO_WABA "?fields=id,phone_numbers.limit(1)"
	                "%%7Bid,verified_name%%7D&" ADMIN);
	http_resp_free(&r);

	/* an empty item is still refused, and nothing else changes */
	GET(&r, V DEMO_WABA "?fields=id,%%20name,&" ADMIN);
	expect_error(&r, 400, 2500,
	    "Syntax error \"Expected name.\" at "
	    "character 9: id, name,");
	http_resp_free(&r);
}
END_TEST

/* ---- counting ------------------------------------------------------ */

/* How many rows the list at path holds, counted by reading them all. */
static size_t
rows_at(const char *path)
{
	struct http_resp r;
	size_t n;

	ck_assert_int_eq(http_get(&S, path, &r), 0);
	expect_ok(&r);
	ck_assert_ptr_null(jget(r.json, "paging.next"));
	n = jlen(r.json, "data");
	http_resp_free(&r);
	return n;
}

START_TEST(test_count_top_level)
{
	size_t n = rows_at(V DEMO_WABA "/phone_numbers?limit=100&" ADMIN);
	char want[128];
	struct http_resp r;

	ck_assert_uint_gt(n, 0);
	snprintf(want, sizeof(want),
	    "{\"data\":[],\"summary\":"
	    "{\"total_count\":%zu}}",
	    n);
	GET(&r,
	    V DEMO_WABA "/phone_numbers?limit=0&summary=total_count&" ADMIN);
	expect_ok(&r);
	ck_assert_msg(jeq(r.json, want), "%s", r.body);
	http_resp_free(&r);
	GET(&r, V DEMO_WABA "/phone_numbers?summary=true&limit=0&" ADMIN);
	expect_ok(&r);
	ck_assert_msg(jeq(r.json, want), "%s", r.body);
	http_resp_free(&r);

	/* without summary= a zero limit asks for nothing: still refused */
	GET(&r, V DEMO_WABA "/phone_numbers?limit=0&" ADMIN);
	expect_error(&r, 400, 100,
	    "(#100) Param limit must be a positive integer");
	http_resp_free(&r);
}
END_TEST

START_TEST(test_count_nested)
{
	size_t n = rows_at(V DEMO_WABA "/phone_numbers?limit=100&" ADMIN);
	char want[256];
	struct http_resp r;

	snprintf(want, sizeof(want),
	    "{\"phone_numbers\":{\"data\":[],"
	    "\"summary\":{\"total_count\":%zu}},\"id\":\"%s\"}",
	    n, DEMO_WABA);
	GET(&r,
	    V DEMO_WABA "?fields=phone_numbers.limit(0).summary(true)&" ADMIN);
	expect_ok(&r);
	ck_assert_msg(jeq(r.json, want), "%s", r.body);
	http_resp_free(&r);
	GET(&r,
	    V DEMO_WABA "?fields=phone_numbers.summary(total_count)"
	                ".limit(0)&" ADMIN);
	expect_ok(&r);
	ck_assert_msg(jeq(r.json, want), "%s", r.body);
	http_resp_free(&r);

	/* with rows: the same rows as before, and the count beside them */
	GET(&r,
	    V DEMO_WABA "?fields=phone_numbers.limit(1).summary(true)"
	                "%%7Bid%%7D&" ADMIN);
	expect_ok(&r);
	ck_assert_uint_eq(jlen(r.json, "phone_numbers.data"), 1);
	ck_assert_int_eq(jint(r.json, "phone_numbers.summary.total_count"),
	    (long long)n);
	http_resp_free(&r);

	/* summary(false) and no summary: no count */
	GET(&r, V DEMO_WABA "?fields=phone_numbers.summary(false)&" ADMIN);
	expect_ok(&r);
	ck_assert_ptr_null(jget(r.json, "phone_numbers.summary"));
	ck_assert_uint_eq(jlen(r.json, "phone_numbers.data"), n);
	http_resp_free(&r);
}
END_TEST

/* ---- /me ----------------------------------------------------------- */

START_TEST(test_me_is_token_user)
{
	struct http_resp r;

	GET(&r, V "me?" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "id"), DEMO_ADMIN_USER);
	ck_assert_str_ne(jstr(r.json, "name"), "");
	same_as_get(r.json, V DEMO_ADMIN_USER "?" ADMIN);
	http_resp_free(&r);

	GET(&r, "/me?fields=id,name,business&" AT TOK_EMPLOYEE);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "id"), DEMO_EMPLOYEE_USER);
	same_as_get(r.json,
	    V DEMO_EMPLOYEE_USER "?fields=id,name,business&" AT TOK_EMPLOYEE);
	http_resp_free(&r);

	/* a header token is a token too; the user's edges follow /me */
	call(&r, "GET", NULL,
	    (const char *const[]){ "Authorization: Bearer " TOK_ADMIN, NULL },
	    V "me/assigned_whatsapp_business_accounts");
	expect_ok(&r);
	same_as_get(r.json,
	    V DEMO_ADMIN_USER "/assigned_whatsapp_business_accounts?" ADMIN);
	http_resp_free(&r);
}
END_TEST

START_TEST(test_me_permissions)
{
	static const char *const toks[] = { TOK_ADMIN, TOK_NOSCOPE,
		TOK_GRANULAR };
	size_t i, j;

	for (i = 0; i < sizeof(toks) / sizeof(toks[0]); i++) {
		struct http_resp r, d;
		struct json_object *scopes;

		/* the scopes Graph's debug_token reports for the same token */
		GET(&d, V "debug_token?input_token=%s&" AT TOK_APP, toks[i]);
		expect_ok(&d);
		scopes = jget(d.json, "data.scopes");
		GET(&r, V "me/permissions?" AT "%s", toks[i]);
		expect_ok(&r);
		ck_assert_uint_eq(jlen(r.json, "data"),
		    scopes ? json_object_array_length(scopes) : 0);
		for (j = 0; j < jlen(r.json, "data"); j++) {
			struct json_object *p = json_object_array_get_idx(
			    jget(r.json, "data"), j);

			ck_assert_str_eq(jstr(p, "permission"),
			    json_object_get_string(
			        json_object_array_get_idx(scopes, j)));
			ck_assert_str_eq(jstr(p, "status"), "granted");
			ck_assert_uint_eq((size_t)json_object_object_length(p),
			    2);
		}
		http_resp_free(&r);
		http_resp_free(&d);
	}
}
END_TEST

/*
 * A user's permissions edge: the user must be readable first (another
 * business's user is no object, a non-admin reads only itself), and then
 * only the token's own user has a record of its grants.
 */
START_TEST(test_permissions_of_another_user)
{
	struct http_resp r;

	GET(&r, V DEMO_EMPLOYEE_USER "/permissions?" AT TOK_ADMIN);
	expect_error(&r, 403, 200,
	    "(#200) Only the token's own user's "
	    "permissions can be read");
	http_resp_free(&r);
	GET(&r, V DEMO_ADMIN_USER "/permissions?" AT TOK_EMPLOYEE);
	expect_error(&r, 403, 200, "(#200) Permissions error");
	http_resp_free(&r);
	GET(&r, V DEMO_PARTNER_USER "/permissions?" AT TOK_ADMIN);
	ck_assert_int_eq(jint(r.json, "error.code"), 100);
	ck_assert_int_eq(jint(r.json, "error.error_subcode"), 33);
	http_resp_free(&r);
	/* its own, by id as by /me */
	GET(&r, V DEMO_ADMIN_USER "/permissions?" AT TOK_ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
}
END_TEST

START_TEST(test_me_needs_user_token)
{
	static const char *const paths[] = { V "me", V "me/permissions",
		"/me?fields=id", V "me?" AT TOK_APP,
		V "me/permissions?" AT TOK_APP };
	const char *msg = "An active access token must be used to query "
	                  "information about the current user.";
	struct http_resp r;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		GET(&r, "%s", paths[i]);
		expect_error(&r, 400, 2500, msg);
		ck_assert_str_eq(jstr(r.json, "error.type"), "OAuthException");
		http_resp_free(&r);
	}
	/* a bad token is still a bad token */
	GET(&r, V "me?" AT "EAAnope");
	expect_error(&r, 401, 190, NULL);
	http_resp_free(&r);
}
END_TEST

/* ---- multiple-id reads -------------------------------------------- */

START_TEST(test_ids_read)
{
	struct http_resp r;

	GET(&r,
	    V "?ids=" DEMO_WABA "," DEMO_WABA_NOPHONES
	      "&fields=id,name&" ADMIN);
	expect_ok(&r);
	ck_assert_uint_eq((size_t)json_object_object_length(r.json), 2);
	same_as_get(jget(r.json, DEMO_WABA),
	    V DEMO_WABA "?fields=id,name&" ADMIN);
	same_as_get(jget(r.json, DEMO_WABA_NOPHONES),
	    V DEMO_WABA_NOPHONES "?fields=id,name&" ADMIN);
	http_resp_free(&r);

	/* mixed node types, default fields, a repeated id read once */
	GET(&r, "/?ids=" DEMO_PHONE "," DEMO_BUSINESS "," DEMO_PHONE "&" ADMIN);
	expect_ok(&r);
	ck_assert_uint_eq((size_t)json_object_object_length(r.json), 2);
	same_as_get(jget(r.json, DEMO_PHONE), V DEMO_PHONE "?" ADMIN);
	same_as_get(jget(r.json, DEMO_BUSINESS), V DEMO_BUSINESS "?" ADMIN);
	http_resp_free(&r);
}
END_TEST

START_TEST(test_ids_errors)
{
	struct http_resp r;

	/* one id that cannot be loaded fails the whole call */
	GET(&r, V "?ids=" DEMO_WABA ",4999999999999999&fields=id&" ADMIN);
	expect_error(&r, 404, 803,
	    "(#803) Some of the aliases you "
	    "requested do not exist: 4999999999999999");
	http_resp_free(&r);
	/* another business's WABA looks the same as no WABA */
	GET(&r, V "?ids=" DEMO_WABA_CLIENT "," DEMO_WABA "&" AT TOK_PARTNER);
	ck_assert_int_eq(jint(r.json, "error.code"), 803);
	http_resp_free(&r);
	/* a bad field is the single read's own error */
	GET(&r, V "?ids=" DEMO_WABA "&fields=nope&" ADMIN);
	expect_error(&r, 400, 100,
	    "(#100) Tried accessing nonexisting field "
	    "(nope) on node type (WhatsAppBusinessAccount)");
	http_resp_free(&r);
	GET(&r, V "?ids=" DEMO_WABA);
	expect_error(&r, 400, 104, NULL);
	http_resp_free(&r);
}
END_TEST

START_TEST(test_ids_in_batch)
{
	const char
	    *batch = "batch=[{\"method\":\"GET\",\"name\":\"list\","
	             "\"relative_url\":\"" DEMO_BUSINESS
	             "/owned_whatsapp_business_accounts?fields=id\"},"
	             "{\"method\":\"GET\",\"relative_url\":\"?ids={result=list:"
	             "$.data.*.id}%26fields=id,name\"}]";
	struct http_resp r, list;
	struct json_object *body, *ids;
	size_t i;

	POST(&r, batch, V "?" ADMIN);
	expect_ok(&r);
	ck_assert_uint_eq(json_object_array_length(r.json), 2);
	ck_assert_int_eq(jint(r.json, "1.code"), 200);
	body = json_tokener_parse(jstr(r.json, "1.body"));
	ck_assert_ptr_nonnull(body);
	GET(&list,
	    V DEMO_BUSINESS "/owned_whatsapp_business_accounts?"
	                    "fields=id&" ADMIN);
	ids = jget(list.json, "data");
	ck_assert_uint_gt(json_object_array_length(ids), 0);
	ck_assert_uint_eq((size_t)json_object_object_length(body),
	    json_object_array_length(ids));
	for (i = 0; i < json_object_array_length(ids); i++) {
		const char *id = jstr(json_object_array_get_idx(ids, i), "id");

		ck_assert_str_eq(jstr(jget(body, id), "id"), id);
		ck_assert_ptr_nonnull(jget(jget(body, id), "name"));
	}
	json_object_put(body);
	http_resp_free(&list);
	http_resp_free(&r);
}
END_TEST

/* ---- browsers ------------------------------------------------------ */

/* A response header's value, "" when absent. */
static const char *
hdr(const struct http_resp *r, const char *name)
{
	const char *v = http_header(r, name);

	return v != NULL ? v : "";
}

START_TEST(test_cors_preflight)
{
	static const char *const paths[] = { V DEMO_WABA "/assigned_users",
		"/" DEMO_WABA, V "me", "/", V "nope/at/all" };
	const char *const pre[] = { "Origin: https://app.example",
		"Access-Control-Request-Method: DELETE",
		"Access-Control-Request-Headers: authorization,content-type",
		NULL };
	struct http_resp r;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		call(&r, "OPTIONS", NULL, pre, "%s", paths[i]);
		ck_assert_msg(r.status == 200, "%s: %ld %s", paths[i], r.status,
		    r.body);
		ck_assert_str_eq(hdr(&r, "access-control-allow-origin"), "*");
		ck_assert_ptr_nonnull(
		    strstr(hdr(&r, "access-control-allow-methods"), "DELETE"));
		ck_assert_ptr_nonnull(
		    strstr(hdr(&r, "access-control-allow-methods"), "POST"));
		ck_assert_str_eq(hdr(&r, "access-control-allow-headers"),
		    "authorization,content-type");
		http_resp_free(&r);
	}
	/* the call that follows works, and says the same origin rule */
	call(&r, "GET", NULL,
	    (const char *const[]){ "Origin: "
	                           "https://app.example",
	        "Authorization: Bearer " TOK_ADMIN, NULL },
	    V DEMO_WABA);
	expect_ok(&r);
	ck_assert_str_eq(hdr(&r, "access-control-allow-origin"), "*");
	http_resp_free(&r);
	/* an OPTIONS that is no preflight is still no Graph method */
	call(&r, "OPTIONS", NULL, NULL, V DEMO_WABA "?" ADMIN);
	ck_assert_int_ne(r.status, 200);
	http_resp_free(&r);
}
END_TEST

/* ---- versions ----------------------------------------------------------- */

/* Sets the emulator clock to a day (seconds since the epoch). */
static void
set_clock(long long now)
{
	char body[64];
	struct http_resp r;

	snprintf(body, sizeof(body), "{\"now\":%lld}", now);
	call(&r, "POST", body,
	    (const char *const[]){ "Content-Type: "
	                           "application/json",
	        NULL },
	    "/_emulator/clock");
	ck_assert_msg(r.status == 200, "clock: %ld %s", r.status, r.body);
	http_resp_free(&r);
}

/* GET path answers 200 with facebook-api-version want. */
static void
served_as(const char *path, const char *want)
{
	struct http_resp r;

	GET(&r, "%s", path);
	expect_ok(&r);
	ck_assert_msg(strcmp(hdr(&r, "facebook-api-version"), want) == 0,
	    "%s: served as '%s', expected %s", path,
	    hdr(&r, "facebook-api-version"), want);
	http_resp_free(&r);
}

/* 2026-06-01 and 2026-10-01, 00:00 UTC */
#define JUNE_2026 1780272000LL
#define OCT_2026 1790812800LL

START_TEST(test_versions_served)
{
	struct http_resp r;

	set_clock(JUNE_2026);
	served_as("/v24.0/" DEMO_WABA "?" ADMIN, "v24.0");
	served_as("/v20.0/" DEMO_WABA "?" ADMIN, "v20.0");
	served_as("/v2.10/" DEMO_WABA "?" ADMIN, "v20.0");
	/* expired on 2026-05-21: the oldest available serves it */
	served_as("/v19.0/" DEMO_WABA "?" ADMIN, "v20.0");
	served_as("/v3.0/" DEMO_WABA "/phone_numbers?" ADMIN, "v20.0");
	/* on errors too */
	GET(&r, "/v19.0/4999999999999999?" ADMIN);
	expect_error(&r, 400, 100, NULL);
	ck_assert_str_eq(hdr(&r, "facebook-api-version"), "v20.0");
	http_resp_free(&r);
	/* v20.0 expired on 2026-09-24 */
	set_clock(OCT_2026);
	served_as("/v19.0/" DEMO_WABA "?" ADMIN, "v21.0");
	served_as("/v20.0/" DEMO_WABA "?" ADMIN, "v21.0");
	served_as("/v21.0/" DEMO_WABA "?" ADMIN, "v21.0");
}
END_TEST

START_TEST(test_versions_unknown)
{
	static const char *const bad[] = { "v99.12", "v3.5", "v24.00", "v024.0",
		"v27.0" };
	char want[256];
	struct http_resp r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		GET(&r, "/%s/" DEMO_WABA "/phone_numbers?" ADMIN, bad[i]);
		snprintf(want, sizeof(want),
		    "Unknown path components: /" DEMO_WABA "/phone_numbers");
		expect_error(&r, 400, 2500, want);
		ck_assert_str_eq(jstr(r.json, "error.type"), "OAuthException");
		/* the version that answered: the default */
		ck_assert_str_eq(hdr(&r, "facebook-api-version"), "v24.0");
		http_resp_free(&r);
		POST(&r, "user=" DEMO_NOACCESS_USER "&tasks=MANAGE",
		    "/%s/" DEMO_WABA "/assigned_users?" ADMIN, bad[i]);
		expect_error(&r, 400, 2500, NULL);
		http_resp_free(&r);
	}
	/* nothing was written by the refused POSTs */
	GET(&r,
	    V DEMO_WABA "/assigned_users?business=" DEMO_BUSINESS "&" ADMIN);
	expect_ok(&r);
	ck_assert_ptr_null(strstr(r.body, DEMO_NOACCESS_USER));
	http_resp_free(&r);
}
END_TEST

START_TEST(test_versions_latest_flag)
{
	static const char *const args[] = { "--latest-version", "v27.2", NULL };
	struct http_resp r;

	ck_assert_int_eq(server_stop(&S), 0);
	ck_assert_int_eq(server_start(&S, args), 0);
	served_as("/v27.0/" DEMO_WABA "?" ADMIN, "v27.0");
	served_as("/v27.2/" DEMO_WABA "?" ADMIN, "v27.2");
	GET(&r, "/v27.3/" DEMO_WABA "?" ADMIN);
	expect_error(&r, 400, 2500, "Unknown path components: /" DEMO_WABA);
	http_resp_free(&r);
}
END_TEST

/* ---- read-after-write --------------------------------------------------- */

/* Whether user is among the WABA's assigned users. */
static bool
assigned(const char *waba, const char *user)
{
	struct http_resp r;
	bool found = false;
	size_t i;

	GET(&r,
	    V "%s/assigned_users?business=" DEMO_BUSINESS "&limit=100&" ADMIN,
	    waba);
	expect_ok(&r);
	for (i = 0; i < jlen(r.json, "data"); i++) {
		char path[32];

		snprintf(path, sizeof(path), "data.%zu.id", i);
		if (strcmp(jstr(r.json, path), user) == 0)
			found = true;
	}
	http_resp_free(&r);
	return found;
}

START_TEST(test_raw_assigned_users)
{
	struct http_resp r;

	/* the WABA, read with fields=, is the answer */
	ck_assert(!assigned(DEMO_WABA, DEMO_NOACCESS_USER));
	POST(&r, "user=" DEMO_NOACCESS_USER "&tasks=MANAGE&fields=id,name",
	    V DEMO_WABA "/assigned_users?" ADMIN);
	expect_ok(&r);
	same_as_get(r.json, V DEMO_WABA "?fields=id,name&" ADMIN);
	http_resp_free(&r);
	ck_assert(assigned(DEMO_WABA, DEMO_NOACCESS_USER));
	/* no fields, or an empty fields=: the write's own answer */
	POST(&r, "user=" DEMO_NOACCESS_USER "&tasks=DEVELOP&fields=",
	    V DEMO_WABA "/assigned_users?" ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"success\":true}"));
	http_resp_free(&r);
}
END_TEST

START_TEST(test_raw_read_fails_after_write)
{
	struct http_resp r, g;
	char id[32];

	/* an unknown field: the write is done, the read's error carries
	 * what the write answered */
	POST(&r, "user=" DEMO_NOACCESS_USER "&tasks=MANAGE&fields=id,colour",
	    V DEMO_WABA "/assigned_users?" ADMIN);
	expect_error(&r, 400, 100,
	    "(#100) Tried accessing nonexisting field "
	    "(colour) on node type (WhatsAppBusinessAccount)");
	ck_assert(
	    jeq(jget(r.json, "error.original_response"), "{\"success\":true}"));
	http_resp_free(&r);
	ck_assert(assigned(DEMO_WABA, DEMO_NOACCESS_USER));
	/* a fields= that does not parse fails the read the same way */
	POST(&r, "user=" DEMO_NOACCESS_USER "&tasks=MANAGE&fields=id,,name",
	    V DEMO_WABA_NOPHONES "/assigned_users?" ADMIN);
	expect_error(&r, 400, 2500, NULL);
	ck_assert(
	    jeq(jget(r.json, "error.original_response"), "{\"success\":true}"));
	http_resp_free(&r);
	ck_assert(assigned(DEMO_WABA_NOPHONES, DEMO_NOACCESS_USER));
	/* phone_numbers: the number is added, its id is the original
	 * response */
	POST(&r,
	    "cc=44&phone_number=7700900456&verified_name=Jaspers+UK&"
	    "fields=display_phone_number,colour",
	    V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN);
	expect_error(&r, 400, 100,
	    "(#100) Tried accessing nonexisting field "
	    "(colour) on node type (WhatsAppBusinessPhoneNumber)");
	ck_assert_int_eq(
	    json_object_object_length(jget(r.json, "error.original_response")),
	    1);
	snprintf(id, sizeof(id), "%s",
	    jstr(r.json, "error.original_response.id"));
	http_resp_free(&r);
	GET(&g, V "%s?fields=display_phone_number&" ADMIN, id);
	expect_ok(&g);
	ck_assert_str_eq(jstr(g.json, "display_phone_number"),
	    "+44 770 090 0456");
	http_resp_free(&g);
	/* a write that fails is that error alone */
	POST(&r, "user=" DEMO_NOACCESS_USER "&tasks=NOPE&fields=colour",
	    V DEMO_WABA "/assigned_users?" ADMIN);
	expect_error(&r, 400, 100, NULL);
	ck_assert_ptr_null(jget(r.json, "error.original_response"));
	http_resp_free(&r);
}
END_TEST

/* ---- tasks -------------------------------------------------------------- */

START_TEST(test_partner_tasks)
{
	struct http_resp r;

	/* the granular tasks of Meta's "Manage System Users" guide */
	POST(&r, "user=" DEMO_NOACCESS_USER "&tasks=['VIEW_INSIGHTS']",
	    V DEMO_WABA "/assigned_users?" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	/* VIEW_INSIGHTS reads the WABA, and does nothing else */
	GET(&r, V DEMO_WABA "?fields=id&" AT TOK_NOACCESS);
	expect_ok(&r);
	http_resp_free(&r);
	POST(&r, "user=" DEMO_EMPLOYEE_USER "&tasks=DEVELOP",
	    V DEMO_WABA "/assigned_users?" AT TOK_NOACCESS);
	expect_error(&r, 403, 200, NULL);
	http_resp_free(&r);
	/* MANAGE_USERS assigns users; MANAGE_BILLING adds no API right */
	POST(&r,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE_USERS,"
	    "MANAGE_BILLING",
	    V DEMO_WABA "/assigned_users?" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&r,
	    V DEMO_WABA "/assigned_users?business=" DEMO_BUSINESS "&" ADMIN);
	expect_ok(&r);
	ck_assert_ptr_nonnull(strstr(r.body, "\"MANAGE_USERS\""));
	ck_assert_ptr_nonnull(strstr(r.body, "\"MANAGE_BILLING\""));
	http_resp_free(&r);
	POST(&r, "user=" DEMO_EMPLOYEE_USER "&tasks=VIEW_INSIGHTS",
	    V DEMO_WABA "/assigned_users?" AT TOK_NOACCESS);
	expect_ok(&r);
	http_resp_free(&r);
	POST(&r, "cc=44&phone_number=7700900777&verified_name=X",
	    V DEMO_WABA "/phone_numbers?" AT TOK_NOACCESS);
	expect_error(&r, 403, 200, NULL);
	http_resp_free(&r);
	/* names no public source shows are still refused */
	POST(&r, "user=" DEMO_NOACCESS_USER "&tasks=FULL_CONTROL",
	    V DEMO_WABA "/assigned_users?" ADMIN);
	expect_error(&r, 400, 100, NULL);
	ck_assert_ptr_nonnull(
	    strstr(jstr(r.json, "error.message"), "MANAGE_BILLING"));
	http_resp_free(&r);
}
END_TEST

/* ---- debug_token errors ------------------------------------------------- */

#define NOT_DEVELOPER \
	"(#100) You must provide an app access token, or a " \
	"user access token that is an owner or developer of the app"

START_TEST(test_debug_token_caller)
{
	struct http_resp r, r2;

	/* no caller token: the endpoint's own refusal, not a generic 104 */
	GET(&r, V "debug_token?input_token=" TOK_ADMIN);
	expect_error(&r, 400, 100, NOT_DEVELOPER);
	ck_assert_str_eq(jstr(r.json, "error.type"), "OAuthException");
	http_resp_free(&r);
	/* the caller's app token with a wrong secret fails its signature */
	GET(&r,
	    V "debug_token?input_token=" TOK_ADMIN "&" AT DEMO_APP
	      "%%7Cwrong-secret");
	expect_error(&r, 401, 190, "Invalid OAuth access token signature.");
	http_resp_free(&r);
	/* so does any other call made with it */
	GET(&r, V DEMO_WABA "?" AT DEMO_APP "%%7Cwrong-secret");
	expect_error(&r, 401, 190, "Invalid OAuth access token signature.");
	http_resp_free(&r);
	/* the right secret works */
	GET(&r,
	    V "debug_token?input_token=" TOK_ADMIN "&" AT DEMO_APP
	      "%%7C" DEMO_APP_SECRET);
	expect_ok(&r);
	ck_assert(jget(r.json, "data.is_valid") != NULL);
	http_resp_free(&r);
	/* another app's token as input: one answer whatever its secret */
	GET(&r,
	    V "debug_token?input_token=" DEMO_SECURE_APP
	      "%%7Cwrong&" AT DEMO_APP "%%7C" DEMO_APP_SECRET);
	GET(&r2,
	    V "debug_token?input_token=" DEMO_SECURE_APP
	      "%%7C" DEMO_SECURE_SECRET "&" AT DEMO_APP "%%7C" DEMO_APP_SECRET);
	ck_assert_int_eq(r.status, r2.status);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    jstr(r2.json, "error.message"));
	http_resp_free(&r);
	http_resp_free(&r2);
}
END_TEST

/*
 * Phone numbers in forms Graph refuses: a "+", separators, letters, more
 * than 15 digits in all, and for country code 1 anything but the ten
 * digits of the North American Numbering Plan.  Nothing is added.
 */
START_TEST(test_phone_number_forms)
{
	static const char *const bad[] = {
		"cc=1&phone_number=%2B15550107777",
		"cc=1&phone_number=555-010-7777",
		"cc=1&phone_number=555%20010%207777",
		"cc=1&phone_number=555010777x",
		"cc=1&phone_number=555010777",
		"cc=1&phone_number=55501077770",
		"cc=%2B1&phone_number=5550107777",
		"cc=44&phone_number=2079460000123456",
	};
	struct http_resp r;
	long long before;
	size_t i;

	GET(&r, V DEMO_WABA "/phone_numbers?summary=total_count&" ADMIN);
	expect_ok(&r);
	before = jint(r.json, "summary.total_count");
	http_resp_free(&r);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char form[160];

		snprintf(form, sizeof(form), "%s&verified_name=Shop", bad[i]);
		POST(&r, form, V DEMO_WABA "/phone_numbers?" ADMIN);
		expect_error(&r, 400, 100, NULL);
		ck_assert_msg(strstr(jstr(r.json, "error.message"), "Param ") !=
		        NULL,
		    "%s: %s", bad[i], r.body);
		http_resp_free(&r);
	}
	GET(&r, V DEMO_WABA "/phone_numbers?summary=total_count&" ADMIN);
	expect_ok(&r);
	ck_assert_int_eq(jint(r.json, "summary.total_count"), before);
	http_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("conventions");
	TCase *fields = harness_tcase("fields", setup, teardown);
	TCase *count = harness_tcase("counting", setup, teardown);
	TCase *me = harness_tcase("me", setup, teardown);
	TCase *ids = harness_tcase("ids", setup, teardown);
	TCase *cors = harness_tcase("cors", setup, teardown);
	TCase *versions = harness_tcase("versions", setup, teardown);
	TCase *raw = harness_tcase("read-after-write", setup, teardown);
	TCase *tasks = harness_tcase("tasks", setup, teardown);
	TCase *dbg = harness_tcase("debug_token", setup, teardown);

	tcase_add_test(fields, test_fields_spaces);
	tcase_add_test(count, test_count_top_level);
	tcase_add_test(count, test_count_nested);
	tcase_add_test(me, test_me_is_token_user);
	tcase_add_test(me, test_me_permissions);
	tcase_add_test(me, test_permissions_of_another_user);
	tcase_add_test(me, test_me_needs_user_token);
	tcase_add_test(ids, test_ids_read);
	tcase_add_test(ids, test_ids_errors);
	tcase_add_test(ids, test_ids_in_batch);
	tcase_add_test(cors, test_cors_preflight);
	tcase_add_test(versions, test_versions_served);
	tcase_add_test(versions, test_versions_unknown);
	tcase_add_test(versions, test_versions_latest_flag);
	tcase_add_test(raw, test_raw_assigned_users);
	tcase_add_test(raw, test_raw_read_fails_after_write);
	tcase_add_test(tasks, test_partner_tasks);
	tcase_add_test(dbg, test_debug_token_caller);
	tcase_add_test(dbg, test_phone_number_forms);
	suite_add_tcase(su, fields);
	suite_add_tcase(su, count);
	suite_add_tcase(su, me);
	suite_add_tcase(su, ids);
	suite_add_tcase(su, cors);
	suite_add_tcase(su, versions);
	suite_add_tcase(su, raw);
	suite_add_tcase(su, tasks);
	suite_add_tcase(su, dbg);
	return suite_run(su);
}
