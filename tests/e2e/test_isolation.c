/*
 * test_isolation.c - end to end: no token reads or changes another
 * business's data.  Migrating a number needs the caller's permission on
 * both WABAs and keeps the number in its owner's portfolio; a business
 * sees and manages only its own users' assignments on a shared WABA; a
 * token with granular targets reaches only those WABAs, however it lists
 * them; debug_token answers only what the caller may know.
 *
 * Cross-business setups are added through POST /_emulator/fixtures on top
 * of the demo fixture.
 */
#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../suite.h"

#define V "/v24.0/"
#define AT "access_token="
#define OWNED V DEMO_BUSINESS "/owned_whatsapp_business_accounts"
#define CLIENT V DEMO_BUSINESS "/client_whatsapp_business_accounts"
#define DEMO_PHONE2 "5000000000000002"
#define DEMO_PHONE_CLIENT "5000000000000003"

/* Added by setup_shared(): a user of each business on the shared WABA. */
#define LUCKY_USER "3000000000000901"
#define JASPER_USER "3000000000000902"
#define OBO_WABA "4000000000000901"

/* ---- helpers ------------------------------------------------------- */

/* one request to a printf-formatted path (harness.h) */
#define call(s, r, method, body, ...) \
	http_reqf(s, r, method, body, NULL, NULL, __VA_ARGS__)

#define GET(s, r, ...) call(s, r, "GET", NULL, __VA_ARGS__)
#define POST(s, r, form, ...) call(s, r, "POST", form, __VA_ARGS__)
#define DEL(s, r, ...) call(s, r, "DELETE", NULL, __VA_ARGS__)

static void
expect_ok(const struct http_resp *r)
{
	ck_assert_msg(r->status == 200, "expected 200, got %ld: %s", r->status,
	    r->body);
}

static void
expect_error(const struct http_resp *r, long status, long long code)
{
	ck_assert_msg(r->status == status &&
	        jint(r->json, "error.code") == code,
	    "expected %ld/%lld, got %ld: %s", status, code, r->status, r->body);
	ck_assert_str_ne(jstr(r->json, "error.fbtrace_id"), "");
}

/* The same answer, but for the trace id every answer has its own of. */
static void
same_answer(const struct http_resp *a, const struct http_resp *b)
{
	struct json_object *x = NULL, *y = NULL;

	ck_assert_ptr_nonnull(a->json);
	ck_assert_ptr_nonnull(b->json);
	json_object_deep_copy(a->json, &x, NULL);
	json_object_deep_copy(b->json, &y, NULL);
	if (jget(x, "error.fbtrace_id") != NULL)
		json_object_object_del(jget(x, "error"), "fbtrace_id");
	if (jget(y, "error.fbtrace_id") != NULL)
		json_object_object_del(jget(y, "error"), "fbtrace_id");
	ck_assert_msg(a->status == b->status && json_object_equal(x, y),
	    "answers differ: %ld %s / %ld %s", a->status, a->body, b->status,
	    b->body);
	json_object_put(x);
	json_object_put(y);
}

/* The ids a GET lists at path "data" (valid until the next call). */
static const char *
listed(const struct server *s, const char *path)
{
	struct http_resp r;
	static char buf[8192];

	ck_assert_int_eq(http_get(s, path, &r), 0);
	expect_ok(&r);
	snprintf(buf, sizeof(buf), "%s", jids(r.json, "data"));
	http_resp_free(&r);
	return buf;
}

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

/* The GET still answers what it did; frees before. */
static void
unchanged(const struct server *s, const char *path, struct json_object *before)
{
	struct json_object *now = snapshot(s, path);

	ck_assert_msg(json_object_equal(before, now), "%s changed: %s -> %s",
	    path, json_object_to_json_string(before),
	    json_object_to_json_string(now));
	json_object_put(now);
	json_object_put(before);
}

/* A token minted for the demo admin with these granular WABA targets. */
static char *
granular_token(const struct server *s, const char *targets)
{
	char body[512];
	struct json_object *o;
	char *tok;

	snprintf(body, sizeof(body),
	    "{\"user\":\"" DEMO_ADMIN_USER "\","
	    "\"app\":\"" DEMO_APP "\",\"scopes\":[\"business_management\","
	    "\"whatsapp_business_management\"],\"granular_scopes\":[{\"scope\":"
	    "\"whatsapp_business_management\",\"target_ids\":[%s]}]}",
	    targets);
	o = ctl(s, "POST", "/_emulator/tokens", body, 200);
	tok = strdup(jstr(o, "access_token"));
	json_object_put(o);
	ck_assert(tok != NULL && tok[0] != '\0');
	return tok;
}

/* Follows a paging URL: it must point at this server. */
static void
follow(const struct server *s, const char *url, struct http_resp *r)
{
	size_t n = strlen(s->base);

	ck_assert_msg(strncmp(url, s->base, n) == 0 && url[n] == '/',
	    "paging URL %s is not on %s", url, s->base);
	ck_assert_int_eq(http_get(s, url + n, r), 0);
}

static void
start(struct server *s)
{
	ck_assert_int_eq(server_start(s, NULL), 0);
}

/*
 * Lucky Shrub owns WABA 3, shared with Jasper's Market: one user of each
 * business is assigned to it.  And a WABA of Jasper's shared with Lucky
 * (a partner's WABA on behalf of its client).
 */
static void
setup_shared(const struct server *s)
{
	json_object_put(ctl(s, "POST", "/_emulator/fixtures",
	    "{"
	    "\"users\":["
	    "{\"id\":\"" LUCKY_USER "\",\"name\":\"Lucky Clerk\","
	    "\"business\":\"" DEMO_PARTNER_BUSINESS "\","
	    "\"user_type\":\"BUSINESS_USER\",\"role\":\"EMPLOYEE\"},"
	    "{\"id\":\"" JASPER_USER "\",\"name\":\"Jasper Agent\","
	    "\"business\":\"" DEMO_BUSINESS "\","
	    "\"user_type\":\"BUSINESS_USER\",\"role\":\"EMPLOYEE\"}],"
	    "\"wabas\":[{\"id\":\"" OBO_WABA "\",\"business\":\"" DEMO_BUSINESS
	    "\",\"name\":\"Lucky by Jasper\","
	    "\"creation_time\":1650000000,\"ownership_type\":\"ON_BEHALF_OF\"}],"
	    "\"assignments\":["
	    "{\"waba\":\"" DEMO_WABA_CLIENT "\",\"user\":\"" LUCKY_USER "\","
	    "\"tasks\":[\"MANAGE\"]},"
	    "{\"waba\":\"" DEMO_WABA_CLIENT "\",\"user\":\"" JASPER_USER "\","
	    "\"tasks\":[\"DEVELOP\"]}],"
	    "\"shares\":[{\"waba\":\"" OBO_WABA
	    "\",\"business\":\"" DEMO_PARTNER_BUSINESS
	    "\",\"permitted_tasks\":[\"MANAGE\"]}]}",
	    200));
}

/* ---- migrating a number -------------------------------------------- */

#define MIGRATE(num) "cc=1&phone_number=" num "&migrate_phone_number=true"

START_TEST(test_migrate_hidden_source)
{
	struct server s;
	struct http_resp r, none;
	struct json_object *src, *dst;

	start(&s);
	src = snapshot(&s, V DEMO_WABA "/phone_numbers?" AT TOK_ADMIN);
	dst = snapshot(&s, V DEMO_WABA_CLIENT "/phone_numbers?" AT TOK_PARTNER);
	/* Lucky's admin may add numbers to its WABA; Jasper's are not its */
	POST(&s, &none, MIGRATE("5550109999"),
	    V DEMO_WABA_CLIENT "/phone_numbers?" AT TOK_PARTNER);
	expect_error(&none, 400, 100);
	POST(&s, &r, MIGRATE("5550100201"),
	    V DEMO_WABA_CLIENT "/phone_numbers?" AT TOK_PARTNER);
	same_answer(&r, &none);
	http_resp_free(&r);
	http_resp_free(&none);
	unchanged(&s, V DEMO_WABA "/phone_numbers?" AT TOK_ADMIN, src);
	unchanged(&s, V DEMO_WABA_CLIENT "/phone_numbers?" AT TOK_PARTNER, dst);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_migrate_granular_source)
{
	struct server s;
	struct http_resp r, none;
	struct json_object *src;

	start(&s);
	src = snapshot(&s, V DEMO_WABA "/phone_numbers?" AT TOK_ADMIN);
	/* the granular token manages WABA 2 only: WABA 1 is out of sight */
	POST(&s, &none, MIGRATE("5550109999"),
	    V DEMO_WABA_NOPHONES "/phone_numbers?" AT TOK_GRANULAR);
	expect_error(&none, 400, 100);
	POST(&s, &r, MIGRATE("5550100201"),
	    V DEMO_WABA_NOPHONES "/phone_numbers?" AT TOK_GRANULAR);
	same_answer(&r, &none);
	http_resp_free(&r);
	http_resp_free(&none);
	unchanged(&s, V DEMO_WABA "/phone_numbers?" AT TOK_ADMIN, src);
	ck_assert_str_eq(
	    listed(&s, V DEMO_WABA_NOPHONES "/phone_numbers?" AT TOK_ADMIN),
	    "");
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_migrate_needs_source_permission)
{
	struct server s;
	struct http_resp r;
	struct json_object *src;

	start(&s);
	/* MANAGE on WABA 2, only DEVELOP (read) on WABA 1 */
	json_object_put(ctl(&s, "POST", "/_emulator/fixtures",
	    "{"
	    "\"users\":[{\"id\":\"3000000000000903\",\"name\":\"Dev\","
	    "\"business\":\"" DEMO_BUSINESS
	    "\",\"user_type\":\"BUSINESS_USER\","
	    "\"role\":\"EMPLOYEE\"}],"
	    "\"tokens\":[{\"token\":\"EAAisoDev\",\"app\":\"" DEMO_APP "\","
	    "\"user\":\"3000000000000903\"}],"
	    "\"assignments\":["
	    "{\"waba\":\"" DEMO_WABA_NOPHONES
	    "\",\"user\":\"3000000000000903\","
	    "\"tasks\":[\"MANAGE\"]},"
	    "{\"waba\":\"" DEMO_WABA "\",\"user\":\"3000000000000903\","
	    "\"tasks\":[\"DEVELOP\"]}]}",
	    200));
	src = snapshot(&s, V DEMO_WABA "/phone_numbers?" AT TOK_ADMIN);
	POST(&s, &r, MIGRATE("5550100201"),
	    V DEMO_WABA_NOPHONES "/phone_numbers?" AT "EAAisoDev");
	expect_error(&r, 403, 200);
	http_resp_free(&r);
	unchanged(&s, V DEMO_WABA "/phone_numbers?" AT TOK_ADMIN, src);
	ck_assert_str_eq(
	    listed(&s, V DEMO_WABA_NOPHONES "/phone_numbers?" AT TOK_ADMIN),
	    "");
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_migrate_portfolio)
{
	struct server s;
	struct http_resp r;
	struct json_object *src;

	start(&s);
	setup_shared(&s);
	/*
	 * Jasper's admin manages Lucky's shared WABA, but may not move
	 * Lucky's number into a WABA of Jasper's that Lucky has no part in.
	 */
	src = snapshot(&s, V DEMO_WABA_CLIENT "/phone_numbers?" AT TOK_PARTNER);
	POST(&s, &r, "cc=44&phone_number=7700900123&migrate_phone_number=true",
	    V DEMO_WABA_NOPHONES "/phone_numbers?" AT TOK_ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_ptr_nonnull(
	    strstr(jstr(r.json, "error.message"), "migrate_phone_number"));
	http_resp_free(&r);
	unchanged(&s, V DEMO_WABA_CLIENT "/phone_numbers?" AT TOK_PARTNER, src);
	ck_assert_str_eq(
	    listed(&s, V DEMO_WABA_NOPHONES "/phone_numbers?" AT TOK_ADMIN),
	    "");

	/* into Jasper's WABA on behalf of Lucky it may: Lucky shares it */
	POST(&s, &r, "cc=44&phone_number=7700900123&migrate_phone_number=true",
	    V OBO_WABA "/phone_numbers?" AT TOK_ADMIN);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"id\":\"" DEMO_PHONE_CLIENT "\"}"));
	http_resp_free(&r);
	ck_assert_str_eq(
	    listed(&s, V OBO_WABA "/phone_numbers?" AT TOK_PARTNER),
	    DEMO_PHONE_CLIENT);
	ck_assert_str_eq(
	    listed(&s, V DEMO_WABA_CLIENT "/phone_numbers?" AT TOK_PARTNER),
	    "");
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- assigned users of a shared WABA ------------------------------- */

#define SHARED_USERS V DEMO_WABA_CLIENT "/assigned_users"

START_TEST(test_assigned_users_list_own)
{
	struct server s;
	struct http_resp r;

	start(&s);
	setup_shared(&s);
	/* each business lists its own users */
	ck_assert_str_eq(listed(&s,
	                     SHARED_USERS "?business=" DEMO_BUSINESS
	                                  "&" AT TOK_ADMIN),
	    JASPER_USER);
	ck_assert_str_eq(listed(&s,
	                     SHARED_USERS "?business=" DEMO_PARTNER_BUSINESS
	                                  "&" AT TOK_PARTNER),
	    LUCKY_USER);
	GET(&s, &r,
	    SHARED_USERS "?business=" DEMO_BUSINESS
	                 "&summary=total_count&" AT TOK_ADMIN);
	expect_ok(&r);
	ck_assert_int_eq(jint(r.json, "summary.total_count"), 1);
	http_resp_free(&r);
	/* the same nested in the node */
	GET(&s, &r,
	    V DEMO_WABA_CLIENT
	    "?fields=assigned_users{id}&business=" DEMO_BUSINESS
	    "&" AT TOK_ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "assigned_users.data"), JASPER_USER);
	http_resp_free(&r);

	/* and not the other's */
	GET(&s, &r,
	    SHARED_USERS "?business=" DEMO_PARTNER_BUSINESS "&" AT TOK_ADMIN);
	expect_error(&r, 403, 200);
	ck_assert_ptr_nonnull(
	    strstr(jstr(r.json, "error.message"), "business"));
	http_resp_free(&r);
	GET(&s, &r,
	    V DEMO_WABA_CLIENT
	    "?fields=assigned_users&business=" DEMO_PARTNER_BUSINESS
	    "&" AT TOK_ADMIN);
	expect_error(&r, 403, 200);
	http_resp_free(&r);
	GET(&s, &r, SHARED_USERS "?business=" DEMO_BUSINESS "&" AT TOK_PARTNER);
	expect_error(&r, 403, 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_assigned_users_manage_own)
{
	struct server s;
	struct http_resp r;
	struct json_object *lucky;

	start(&s);
	setup_shared(&s);
	lucky = snapshot(&s,
	    SHARED_USERS "?business=" DEMO_PARTNER_BUSINESS "&" AT TOK_PARTNER);
	/* the client may neither re-task nor remove the owner's user */
	POST(&s, &r, "user=" LUCKY_USER "&tasks=DEVELOP",
	    SHARED_USERS "?" AT TOK_ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_ptr_nonnull(strstr(jstr(r.json, "error.message"), "user"));
	http_resp_free(&r);
	DEL(&s, &r, SHARED_USERS "?user=" LUCKY_USER "&" AT TOK_ADMIN);
	expect_error(&r, 400, 100);
	http_resp_free(&r);
	unchanged(&s,
	    SHARED_USERS "?business=" DEMO_PARTNER_BUSINESS "&" AT TOK_PARTNER,
	    lucky);

	/* nor the owner the client's */
	lucky = snapshot(&s,
	    SHARED_USERS "?business=" DEMO_BUSINESS "&" AT TOK_ADMIN);
	DEL(&s, &r, SHARED_USERS "?user=" JASPER_USER "&" AT TOK_PARTNER);
	expect_error(&r, 400, 100);
	http_resp_free(&r);
	unchanged(&s, SHARED_USERS "?business=" DEMO_BUSINESS "&" AT TOK_ADMIN,
	    lucky);

	/* its own users it manages */
	POST(&s, &r, "user=" JASPER_USER "&tasks=MANAGE",
	    SHARED_USERS "?" AT TOK_ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&s, &r, SHARED_USERS "?business=" DEMO_BUSINESS "&" AT TOK_ADMIN);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data"),
	    "[{\"id\":\"" JASPER_USER "\","
	    "\"name\":\"Jasper Agent\",\"tasks\":[\"MANAGE\"]}]"));
	http_resp_free(&r);
	DEL(&s, &r, SHARED_USERS "?user=" JASPER_USER "&" AT TOK_ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	ck_assert_str_eq(listed(&s,
	                     SHARED_USERS "?business=" DEMO_BUSINESS
	                                  "&" AT TOK_ADMIN),
	    "");
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- granular targets ---------------------------------------------- */

START_TEST(test_granular_edges)
{
	struct server s;
	struct http_resp r;

	start(&s);
	/* its one target, WABA 2, and nothing else */
	ck_assert_str_eq(listed(&s, OWNED "?" AT TOK_GRANULAR),
	    DEMO_WABA_NOPHONES);
	ck_assert_str_eq(listed(&s, CLIENT "?" AT TOK_GRANULAR), "");
	ck_assert_str_eq(
	    listed(&s,
	        V DEMO_MANAGER_USER
	        "/assigned_whatsapp_business_accounts?" AT TOK_GRANULAR),
	    DEMO_WABA_NOPHONES);
	GET(&s, &r, OWNED "?summary=total_count&limit=1&" AT TOK_GRANULAR);
	expect_ok(&r);
	ck_assert_int_eq(jint(r.json, "summary.total_count"), 1);
	ck_assert_ptr_null(jget(r.json, "paging.next"));
	http_resp_free(&r);
	/* an admin token without targets still sees them all */
	ck_assert_str_eq(listed(&s, OWNED "?" AT TOK_ADMIN),
	    DEMO_WABA "," DEMO_WABA_NOPHONES "," DEMO_WABA_LABS);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_granular_nested)
{
	struct server s;
	struct http_resp r;

	start(&s);
	GET(&s, &r,
	    V DEMO_BUSINESS
	    "?fields=owned_whatsapp_business_accounts"
	    "{id,name},client_whatsapp_business_accounts{id}&" AT TOK_GRANULAR);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "owned_whatsapp_business_accounts.data"),
	    DEMO_WABA_NOPHONES);
	ck_assert_str_eq(jids(r.json, "client_whatsapp_business_accounts.data"),
	    "");
	http_resp_free(&r);
	/* nesting the numbers no longer reaches WABA 1's */
	GET(&s, &r, OWNED "?fields=id,phone_numbers{id}&" AT TOK_GRANULAR);
	expect_ok(&r);
	ck_assert(jeq(jget(r.json, "data"),
	    "[{\"id\":\"" DEMO_WABA_NOPHONES
	    "\",\"phone_numbers\":{\"data\":[]}}]"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_granular_batch)
{
	struct server s;
	struct http_resp r;
	struct json_object *body;
	CURL *c = curl_easy_init();
	char *enc, form[1024];

	start(&s);
	ck_assert_ptr_nonnull(c);
	enc = curl_easy_escape(c,
	    "[{\"method\":\"GET\",\"relative_url\":"
	    "\"v24.0/" DEMO_BUSINESS "/owned_whatsapp_business_accounts\"}]",
	    0);
	snprintf(form, sizeof(form), AT TOK_GRANULAR "&batch=%s", enc);
	curl_free(enc);
	curl_easy_cleanup(c);
	ck_assert_int_eq(http_post_form(&s, V, form, &r), 0);
	expect_ok(&r);
	ck_assert_int_eq(jint(json_object_array_get_idx(r.json, 0), "code"),
	    200);
	body = json_tokener_parse(
	    jstr(json_object_array_get_idx(r.json, 0), "body"));
	ck_assert_ptr_nonnull(body);
	ck_assert_str_eq(jids(body, "data"), DEMO_WABA_NOPHONES);
	json_object_put(body);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_granular_cursors)
{
	struct server s;
	struct http_resp r, n;
	char path[512];
	char *tok;

	start(&s);
	/* WABAs 1 and 5; WABA 2 lies between them in the list's order */
	tok = granular_token(&s, "\"" DEMO_WABA "\",\"" DEMO_WABA_LABS "\"");
	snprintf(path, sizeof(path), OWNED "?limit=1&" AT "%s", tok);
	GET(&s, &r, "%s", path);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA);
	follow(&s, jstr(r.json, "paging.next"), &n);
	expect_ok(&n);
	ck_assert_str_eq(jids(n.json, "data"), DEMO_WABA_LABS);
	ck_assert_ptr_null(jget(n.json, "paging.next"));
	http_resp_free(&n);
	http_resp_free(&r);

	/* the next link of a nested list, followed later */
	snprintf(path, sizeof(path),
	    V DEMO_BUSINESS "?fields=owned_whatsapp_"
	                    "business_accounts.limit(1){id}&" AT "%s",
	    tok);
	GET(&s, &r, "%s", path);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "owned_whatsapp_business_accounts.data"),
	    DEMO_WABA);
	follow(&s, jstr(r.json, "owned_whatsapp_business_accounts.paging.next"),
	    &n);
	expect_ok(&n);
	ck_assert_str_eq(jids(n.json, "data"), DEMO_WABA_LABS);
	http_resp_free(&n);
	http_resp_free(&r);

	/* and backwards from the last page */
	snprintf(path, sizeof(path),
	    OWNED "?sort=creation_time_descending&"
	          "limit=1&" AT "%s",
	    tok);
	GET(&s, &r, "%s", path);
	expect_ok(&r);
	ck_assert_str_eq(jids(r.json, "data"), DEMO_WABA_LABS);
	follow(&s, jstr(r.json, "paging.next"), &n);
	expect_ok(&n);
	ck_assert_str_eq(jids(n.json, "data"), DEMO_WABA);
	http_resp_free(&n);
	http_resp_free(&r);
	free(tok);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- debug_token --------------------------------------------------- */

#define DEBUG_AS(tok) V "debug_token?" AT tok "&input_token="

START_TEST(test_debug_token_other_business)
{
	struct server s;
	struct http_resp r;

	start(&s);
	/* Lucky's admin, same app, may not inspect Jasper's tokens */
	GET(&s, &r, DEBUG_AS(TOK_PARTNER) TOK_ADMIN);
	expect_error(&r, 400, 100);
	ck_assert_ptr_null(jget(r.json, "data"));
	http_resp_free(&r);
	GET(&s, &r, DEBUG_AS(TOK_PARTNER) TOK_GRANULAR);
	expect_error(&r, 400, 100);
	http_resp_free(&r);
	/* its own it may, and a user of Jasper's may inspect Jasper's */
	GET(&s, &r, DEBUG_AS(TOK_PARTNER) TOK_PARTNER);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "data.user_id"), DEMO_PARTNER_USER);
	http_resp_free(&r);
	GET(&s, &r, DEBUG_AS(TOK_EMPLOYEE) TOK_ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "data.user_id"), DEMO_ADMIN_USER);
	http_resp_free(&r);
	/* the app token inspects every token of its app */
	GET(&s, &r, DEBUG_AS(DEMO_APP "%%7C" DEMO_APP_SECRET) TOK_PARTNER);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "data.user_id"), DEMO_PARTNER_USER);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_debug_token_secret_guess)
{
	struct server s;
	struct http_resp right, wrong;

	start(&s);
	/* another app's token: the answer is the same whatever the secret */
	GET(&s, &right,
	    DEBUG_AS(TOK_ADMIN) DEMO_SECURE_APP "%%7C" DEMO_SECURE_SECRET);
	GET(&s, &wrong, DEBUG_AS(TOK_ADMIN) DEMO_SECURE_APP "%%7Cguess");
	expect_error(&right, 400, 100);
	same_answer(&right, &wrong);
	http_resp_free(&right);
	http_resp_free(&wrong);
	GET(&s, &right,
	    DEBUG_AS(DEMO_APP "%%7C" DEMO_APP_SECRET) DEMO_SECURE_APP
	    "%%7C" DEMO_SECURE_SECRET);
	GET(&s, &wrong,
	    DEBUG_AS(DEMO_APP "%%7C" DEMO_APP_SECRET) DEMO_SECURE_APP
	    "%%7Cguess");
	expect_error(&right, 400, 100);
	same_answer(&right, &wrong);
	http_resp_free(&right);
	http_resp_free(&wrong);

	/* nor does a user token learn its own app's secret */
	GET(&s, &right, DEBUG_AS(TOK_ADMIN) DEMO_APP "%%7C" DEMO_APP_SECRET);
	GET(&s, &wrong, DEBUG_AS(TOK_ADMIN) DEMO_APP "%%7Cguess");
	expect_error(&right, 400, 100);
	same_answer(&right, &wrong);
	http_resp_free(&right);
	http_resp_free(&wrong);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("isolation");
	TCase *mig = tcase_create("migration");
	TCase *users = tcase_create("assigned users");
	TCase *gran = tcase_create("granular targets");
	TCase *debug = tcase_create("debug_token");

	tcase_set_timeout(mig, 60);
	tcase_set_timeout(users, 60);
	tcase_set_timeout(gran, 60);
	tcase_set_timeout(debug, 60);
	tcase_add_test(mig, test_migrate_hidden_source);
	tcase_add_test(mig, test_migrate_granular_source);
	tcase_add_test(mig, test_migrate_needs_source_permission);
	tcase_add_test(mig, test_migrate_portfolio);
	tcase_add_test(users, test_assigned_users_list_own);
	tcase_add_test(users, test_assigned_users_manage_own);
	tcase_add_test(gran, test_granular_edges);
	tcase_add_test(gran, test_granular_nested);
	tcase_add_test(gran, test_granular_batch);
	tcase_add_test(gran, test_granular_cursors);
	tcase_add_test(debug, test_debug_token_other_business);
	tcase_add_test(debug, test_debug_token_secret_guess);
	suite_add_tcase(su, mig);
	suite_add_tcase(su, users);
	suite_add_tcase(su, gran);
	suite_add_tcase(su, debug);
	return suite_run(su);
}
