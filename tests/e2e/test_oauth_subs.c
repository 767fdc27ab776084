/*
 * test_oauth_subs.c - apps, OAuth and subscriptions through the real
 * binary: /oauth/access_token in its three forms and its errors, the
 * codes the control plane mints, /{app-id}/subscriptions and
 * /{waba-id}/subscribed_apps with the handshake against a receiver in
 * this process (tests/receiver.h), and a tech provider's onboarding from
 * code to signed webhook.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "../receiver.h"
#include "../suite.h"
#include "harness.h"

#define APP_TOKEN DEMO_APP "|" DEMO_APP_SECRET
#define CLIENT "client_id=" DEMO_APP "&client_secret=" DEMO_APP_SECRET

static struct receiver rx;
static char hook_url[128];

static void
rx_up(bool echo, int status)
{
	ck_assert_int_eq(rx_start_hook(&rx, status, hook_url, sizeof(hook_url)),
	    0);
	pthread_mutex_lock(&rx.mu);
	rx.echo = echo;
	pthread_mutex_unlock(&rx.mu);
}

static void
rx_echo(bool echo)
{
	pthread_mutex_lock(&rx.mu);
	rx.echo = echo;
	pthread_mutex_unlock(&rx.mu);
}

/* A JSON answer with this status; the caller puts it. */
static struct json_object *
call(const struct server *s, const char *method, const char *path,
    const char *body, const char *ctype, const char *token, long want)
{
	struct http_resp r;
	struct json_object *o;
	char auth[256];
	const char *hdrs[] = { auth, NULL };

	snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
	    token ? token : "");
	ck_assert_int_eq(
	    http_req(s, method, path, body, ctype, token ? hdrs : NULL, &r), 0);
	ck_assert_msg(r.status == want, "%s %s: %ld %s", method, path, r.status,
	    r.body);
	o = json_object_get(r.json);
	ck_assert_ptr_nonnull(o);
	http_resp_free(&r);
	return o;
}

static void
expect_error(struct json_object *o, int code, int subcode, const char *msg)
{
	ck_assert_msg(jint(o, "error.code") == code, "code %lld, want %d: %s",
	    jint(o, "error.code"), code, json_object_to_json_string(o));
	ck_assert_int_eq(jint(o, "error.error_subcode"), subcode);
	if (msg != NULL)
		ck_assert_str_eq(jstr(o, "error.message"), msg);
	ck_assert_str_eq(jstr(o, "error.type"),
	    subcode == 33 ? "GraphMethodException" : "OAuthException");
	ck_assert_str_ne(jstr(o, "error.fbtrace_id"), "");
	json_object_put(o);
}

/* POST /_emulator/oauth/codes; the code (caller frees). */
static char *
mint_code(const struct server *s, const char *extra)
{
	char body[512];
	struct json_object *o;
	char *code;

	snprintf(body, sizeof(body),
	    "{\"app\":\"" DEMO_APP "\",\"user\":\"" DEMO_ADMIN_USER "\"%s}",
	    extra);
	o = call(s, "POST", "/_emulator/oauth/codes", body, "application/json",
	    NULL, 200);
	code = strdup(jstr(o, "code"));
	ck_assert_int_gt(jint(o, "expires_at"), 0);
	json_object_put(o);
	return code;
}

static struct json_object *
exchange(const struct server *s, const char *code, const char *extra, long want)
{
	char body[512];

	snprintf(body, sizeof(body), CLIENT "&code=%s%s", code, extra);
	return call(s, "POST", "/v24.0/oauth/access_token", body, NULL, NULL,
	    want);
}

START_TEST(test_client_credentials_and_client_errors)
{
	struct server s;
	struct json_object *o;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	o = call(&s, "GET",
	    "/oauth/access_token?" CLIENT "&grant_type=client_credentials",
	    NULL, NULL, NULL, 200);
	ck_assert(jeq(o,
	    "{\"access_token\":\"" APP_TOKEN "\","
	    "\"token_type\":\"bearer\"}"));
	json_object_put(o);
	/* the app token it gives works as one */
	o = call(&s, "GET", "/v24.0/" DEMO_APP "/subscriptions", NULL, NULL,
	    APP_TOKEN, 200);
	ck_assert(jeq(o, "{\"data\":[]}"));
	json_object_put(o);
	expect_error(call(&s, "GET",
	                 "/oauth/access_token?client_id=" DEMO_APP
	                 "&client_secret=wrong&grant_type=client_credentials",
	                 NULL, NULL, NULL, 400),
	    1, -1, "Error validating client secret.");
	expect_error(
	    call(&s, "GET",
	        "/oauth/access_token?client_id="
	        "1000000000000099&client_secret=x&grant_type=client_credentials",
	        NULL, NULL, NULL, 400),
	    101, -1, NULL);
	expect_error(call(&s, "GET", "/oauth/access_token?client_secret=x",
	                 NULL, NULL, NULL, 400),
	    100, -1, NULL);
	expect_error(call(&s, "GET",
	                 "/oauth/access_token?" CLIENT "&grant_type=password",
	                 NULL, NULL, NULL, 400),
	    100, -1, NULL);
	expect_error(call(&s, "GET", "/oauth/access_token?" CLIENT, NULL, NULL,
	                 NULL, 400),
	    100, -1, NULL);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_code_exchange)
{
	struct server s;
	struct json_object *o, *me, *perm;
	struct http_resp r;
	char *code, *tok;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	code = mint_code(&s,
	    ",\"redirect_uri\":\"https://tp.example/cb\","
	    "\"scopes\":[\"whatsapp_business_management\"],"
	    "\"granular_scopes\":[{\"scope\":\"whatsapp_business_management\","
	    "\"target_ids\":[\"" DEMO_WABA "\"]}]");
	/* another redirect_uri, or none: 36008, and the code stays good */
	expect_error(exchange(&s, code, "", 400), 100, 36008, NULL);
	expect_error(exchange(&s, code, "&redirect_uri=https://x/", 400), 100,
	    36008, NULL);
	o = exchange(&s, code, "&redirect_uri=https://tp.example/cb", 200);
	ck_assert_str_eq(jstr(o, "token_type"), "bearer");
	ck_assert_ptr_null(jget(o, "expires_in"));
	tok = strdup(jstr(o, "access_token"));
	json_object_put(o);
	/* the token is the code's user's, with the code's scopes */
	me = call(&s, "GET", "/v24.0/me", NULL, NULL, tok, 200);
	ck_assert_str_eq(jstr(me, "id"), DEMO_ADMIN_USER);
	json_object_put(me);
	perm = call(&s, "GET", "/v24.0/me/permissions", NULL, NULL, tok, 200);
	ck_assert(jeq(perm,
	    "{\"data\":[{\"permission\":"
	    "\"whatsapp_business_management\",\"status\":\"granted\"}]}"));
	json_object_put(perm);
	/* its granular target is the one WABA */
	expect_error(
	    call(&s, "GET", "/v24.0/" DEMO_WABA_NOPHONES, NULL, NULL, tok, 403),
	    200, -1, NULL);
	o = call(&s, "GET", "/v24.0/" DEMO_WABA, NULL, NULL, tok, 200);
	json_object_put(o);
	/* used once: 36009, with Graph's WWW-Authenticate */
	{
		char body[512];

		snprintf(body, sizeof(body),
		    CLIENT "&code=%s&redirect_uri="
		           "https://tp.example/cb",
		    code);
		ck_assert_int_eq(
		    http_post_form(&s, "/v24.0/oauth/access_token", body, &r),
		    0);
		ck_assert_int_eq(r.status, 400);
		ck_assert_ptr_nonnull(strstr(
		    http_header(&r, "www-authenticate"), "\"invalid_code\""));
		expect_error(json_object_get(r.json), 100, 36009,
		    "This authorization code has been used.");
		http_resp_free(&r);
	}
	/* a code of another app is no code for this one */
	free(code);
	code = mint_code(&s, "");
	{
		char body[512];

		snprintf(body, sizeof(body),
		    "client_id=" DEMO_SECURE_APP
		    "&client_secret=" DEMO_SECURE_SECRET "&code=%s",
		    code);
		expect_error(call(&s, "POST", "/oauth/access_token", body, NULL,
		                 NULL, 400),
		    100, -1, NULL);
	}
	/* expiry on the emulator clock: 10 minutes */
	o = call(&s, "POST", "/_emulator/clock", "{\"advance_seconds\":599}",
	    "application/json", NULL, 200);
	json_object_put(o);
	free(tok);
	o = exchange(&s, code, "", 200);
	json_object_put(o);
	free(code);
	code = mint_code(&s, "");
	o = call(&s, "POST", "/_emulator/clock", "{\"advance_seconds\":600}",
	    "application/json", NULL, 200);
	json_object_put(o);
	expect_error(exchange(&s, code, "", 400), 100, 36007,
	    "This authorization code has expired.");
	free(code);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_fb_exchange_token)
{
	struct server s;
	struct json_object *o, *me;
	char *tok;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	o = call(&s, "GET",
	    "/v24.0/oauth/access_token?" CLIENT
	    "&grant_type=fb_exchange_token&fb_exchange_token=" TOK_EMPLOYEE,
	    NULL, NULL, NULL, 200);
	ck_assert_int_eq(jint(o, "expires_in"), 5184000);
	ck_assert_str_eq(jstr(o, "token_type"), "bearer");
	ck_assert_str_ne(jstr(o, "access_token"), TOK_EMPLOYEE);
	tok = strdup(jstr(o, "access_token"));
	json_object_put(o);
	me = call(&s, "GET", "/v24.0/me", NULL, NULL, tok, 200);
	ck_assert_str_eq(jstr(me, "id"), DEMO_EMPLOYEE_USER);
	json_object_put(me);
	/* it lives 60 days on the clock */
	o = call(&s, "POST", "/_emulator/clock",
	    "{\"advance_seconds\":5184000}", "application/json", NULL, 200);
	json_object_put(o);
	expect_error(call(&s, "GET", "/v24.0/me", NULL, NULL, tok, 401), 190,
	    463, NULL);
	free(tok);
	expect_error(
	    call(&s, "GET",
	        "/oauth/access_token?" CLIENT
	        "&grant_type=fb_exchange_token&fb_exchange_token=EAAnope",
	        NULL, NULL, NULL, 401),
	    190, -1, NULL);
	expect_error(call(&s, "GET",
	                 "/oauth/access_token?" CLIENT
	                 "&grant_type=fb_exchange_token",
	                 NULL, NULL, NULL, 400),
	    100, -1, NULL);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_bad_codes_change_nothing)
{
	static const char *const bad[][2] = {
		{ "{\"app\":\"" DEMO_APP "\"}", "$.user" },
		{ "{\"app\":\"" DEMO_APP "\",\"user\":\"3000000000000099\"}",
		    "$.user" },
		{ "{\"app\":\"" DEMO_APP "\",\"user\":\"" DEMO_ADMIN_USER
		  "\",\"colour\":1}",
		    "$.colour" },
		{ "{\"app\":\"" DEMO_APP "\",\"user\":\"" DEMO_ADMIN_USER
		  "\",\"scopes\":\"x\"}",
		    "$.scopes" },
		{ "[]", "$" },
	};
	struct server s;
	struct json_object *before, *after, *o;
	size_t i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	before = call(&s, "GET", "/_emulator/state", NULL, NULL, NULL, 200);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = call(&s, "POST", "/_emulator/oauth/codes", bad[i][0],
		    "application/json", NULL, 400);
		ck_assert_msg(strcmp(jstr(o, "error.field"), bad[i][1]) == 0,
		    "%s: %s", bad[i][0], json_object_to_json_string(o));
		json_object_put(o);
	}
	o = call(&s, "POST", "/_emulator/oauth/nope", "{}", "application/json",
	    NULL, 404);
	json_object_put(o);
	after = call(&s, "GET", "/_emulator/state", NULL, NULL, NULL, 200);
	ck_assert(json_object_equal(before, after));
	json_object_put(before);
	json_object_put(after);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_app_subscriptions)
{
	struct server s;
	struct json_object *o;
	char body[512];
	const struct rx_req *q;

	rx_up(true, 200);
	ck_assert_int_eq(server_start(&s, NULL), 0);
	/* app tokens only, and only the app's own */
	expect_error(call(&s, "GET", "/v24.0/" DEMO_APP "/subscriptions", NULL,
	                 NULL, TOK_ADMIN, 400),
	    15, -1,
	    "(#15) This method must be called with an app access_token.");
	expect_error(call(&s, "GET", "/v24.0/" DEMO_APP "/subscriptions", NULL,
	                 NULL, DEMO_SECURE_APP "|" DEMO_SECURE_SECRET, 400),
	    100, 33, NULL);
	snprintf(body, sizeof(body),
	    "object=whatsapp_business_account&"
	    "callback_url=%s&verify_token=vt-1&fields=account_update,"
	    "message_template_status_update&include_values=true",
	    hook_url);
	o = call(&s, "POST", "/v24.0/" DEMO_APP "/subscriptions", body, NULL,
	    APP_TOKEN, 200);
	ck_assert(jeq(o, "{\"success\":true}"));
	json_object_put(o);
	/* the handshake came first, with Meta's three parameters */
	ck_assert_uint_eq(rx_count(&rx), 1);
	q = &rx.reqs[0];
	ck_assert_str_eq(q->method, "GET");
	ck_assert_ptr_nonnull(strstr(q->target, "hub.mode=subscribe"));
	ck_assert_ptr_nonnull(strstr(q->target, "hub.verify_token=vt-1"));
	ck_assert_ptr_nonnull(strstr(q->target, "hub.challenge="));
	o = call(&s, "GET", "/v24.0/" DEMO_APP "/subscriptions", NULL, NULL,
	    APP_TOKEN, 200);
	snprintf(body, sizeof(body),
	    "{\"data\":[{\"object\":"
	    "\"whatsapp_business_account\",\"callback_url\":\"%s\","
	    "\"active\":true,\"fields\":[{\"name\":\"account_update\","
	    "\"version\":\"v24.0\"},{\"name\":"
	    "\"message_template_status_update\",\"version\":\"v24.0\"}]}]}",
	    hook_url);
	ck_assert_msg(jeq(o, body), "%s", json_object_to_json_string(o));
	json_object_put(o);
	/* fields as JSON add to the subscription */
	snprintf(body, sizeof(body),
	    "{\"object\":\"whatsapp_business_account\","
	    "\"callback_url\":\"%s\",\"verify_token\":\"vt-1\",\"fields\":"
	    "[\"security\",\"account_update\"]}",
	    hook_url);
	o = call(&s, "POST", "/v24.0/" DEMO_APP "/subscriptions", body,
	    "application/json", APP_TOKEN, 200);
	json_object_put(o);
	o = call(&s, "GET", "/v24.0/" DEMO_APP "/subscriptions", NULL, NULL,
	    APP_TOKEN, 200);
	ck_assert_uint_eq(jlen(o, "data.0.fields"), 3);
	ck_assert_str_eq(jstr(o, "data.0.fields.2.name"), "security");
	json_object_put(o);
	/* a failed handshake: 2200, and the subscription is unchanged */
	rx_echo(false);
	rx_set_status(&rx, 404);
	snprintf(body, sizeof(body),
	    "object=whatsapp_business_account&"
	    "callback_url=%s/other&verify_token=vt-2&fields=messages",
	    hook_url);
	expect_error(call(&s, "POST", "/v24.0/" DEMO_APP "/subscriptions", body,
	                 NULL, APP_TOKEN, 400),
	    2200, -1,
	    "(#2200) Callback "
	    "verification failed with the following errors: HTTP Status Code "
	    "= 404; HTTP Message = Not Found");
	/* bad input: refused before any handshake */
	ck_assert_uint_eq(rx_count(&rx), 3);
	snprintf(body, sizeof(body),
	    "object=whatsapp_business_account&"
	    "callback_url=%s&fields=feed",
	    hook_url);
	expect_error(call(&s, "POST", "/v24.0/" DEMO_APP "/subscriptions", body,
	                 NULL, APP_TOKEN, 400),
	    100, -1, NULL);
	snprintf(body, sizeof(body),
	    "object=page&callback_url=%s&"
	    "fields=messages",
	    hook_url);
	expect_error(call(&s, "POST", "/v24.0/" DEMO_APP "/subscriptions", body,
	                 NULL, APP_TOKEN, 400),
	    100, -1, NULL);
	expect_error(
	    call(&s, "POST", "/v24.0/" DEMO_APP "/subscriptions",
	        "object=whatsapp_business_account&callback_url=ftp://x/&"
	        "fields=messages",
	        NULL, APP_TOKEN, 400),
	    100, -1, NULL);
	expect_error(call(&s, "POST", "/v24.0/" DEMO_APP "/subscriptions",
	                 "object=whatsapp_business_account&fields=messages",
	                 NULL, APP_TOKEN, 400),
	    100, -1, NULL);
	ck_assert_uint_eq(rx_count(&rx), 3);
	o = call(&s, "GET", "/v24.0/" DEMO_APP "/subscriptions", NULL, NULL,
	    APP_TOKEN, 200);
	ck_assert_str_eq(jstr(o, "data.0.callback_url"), hook_url);
	ck_assert_uint_eq(jlen(o, "data.0.fields"), 3);
	json_object_put(o);
	/* DELETE with fields removes those; without, the subscription */
	o = call(&s, "DELETE",
	    "/v24.0/" DEMO_APP "/subscriptions?"
	    "object=whatsapp_business_account&fields=security",
	    NULL, NULL, APP_TOKEN, 200);
	ck_assert(jeq(o, "{\"success\":true}"));
	json_object_put(o);
	o = call(&s, "GET", "/v24.0/" DEMO_APP "/subscriptions", NULL, NULL,
	    APP_TOKEN, 200);
	ck_assert_uint_eq(jlen(o, "data.0.fields"), 2);
	json_object_put(o);
	o = call(&s, "DELETE",
	    "/v24.0/" DEMO_APP "/subscriptions?"
	    "object=whatsapp_business_account",
	    NULL, NULL, APP_TOKEN, 200);
	json_object_put(o);
	o = call(&s, "GET", "/v24.0/" DEMO_APP "/subscriptions", NULL, NULL,
	    APP_TOKEN, 200);
	ck_assert(jeq(o, "{\"data\":[]}"));
	json_object_put(o);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

/* Waits for the receiver's n-th request. */
static void
wait_rx(size_t n)
{
	ck_assert_msg(rx_wait(&rx, n, 5000), "receiver got %zu of %zu",
	    rx_count(&rx), n);
}

START_TEST(test_onboarding_flow)
{
	struct server s;
	struct json_object *o, *body, *d;
	char form[512], path[256], *code, *tok, *app_tok, *sig;
	const struct rx_req *q;
	size_t n;

	rx_up(true, 200);
	ck_assert_int_eq(server_start(&s, NULL), 0);
	/* the tech provider's back end: an app token, then its subscription */
	o = call(&s, "POST", "/v24.0/oauth/access_token",
	    CLIENT "&grant_type=client_credentials", NULL, NULL, 200);
	app_tok = strdup(jstr(o, "access_token"));
	json_object_put(o);
	snprintf(form, sizeof(form),
	    "object=whatsapp_business_account&"
	    "callback_url=%s&verify_token=onboard&fields=account_update,"
	    "phone_number_name_update",
	    hook_url);
	o = call(&s, "POST", "/v24.0/" DEMO_APP "/subscriptions", form, NULL,
	    app_tok, 200);
	json_object_put(o);
	wait_rx(1);
	/* Embedded Signup hands the front end a code; the back end trades it */
	code = mint_code(&s, "");
	o = exchange(&s, code, "", 200);
	tok = strdup(jstr(o, "access_token"));
	json_object_put(o);
	free(code);
	/* the WABA subscribes the app: PARTNER_APP_INSTALLED follows */
	o = call(&s, "POST", "/v24.0/" DEMO_WABA "/subscribed_apps", NULL, NULL,
	    tok, 200);
	ck_assert(jeq(o, "{\"success\":true}"));
	json_object_put(o);
	o = call(&s, "GET", "/v24.0/" DEMO_WABA "/subscribed_apps", NULL, NULL,
	    tok, 200);
	ck_assert(jeq(o,
	    "{\"data\":[{\"whatsapp_business_api_data\":{\"id\":\"" DEMO_APP
	    "\",\"link\":\"https://www.facebook.com/games/?app_id=" DEMO_APP
	    "\",\"name\":\"Demo App\"}}]}"));
	json_object_put(o);
	wait_rx(2);
	q = &rx.reqs[1];
	ck_assert_str_eq(q->method, "POST");
	body = json_tokener_parse(q->body);
	ck_assert_ptr_nonnull(body);
	ck_assert_str_eq(jstr(body, "entry.0.id"), DEMO_WABA);
	ck_assert_str_eq(jstr(body, "entry.0.changes.0.field"),
	    "account_update");
	ck_assert(jeq(jget(body, "entry.0.changes.0.value"),
	    "{\"event\":\"PARTNER_APP_INSTALLED\",\"waba_info\":{\"waba_id\":\"" DEMO_WABA
	    "\",\"owner_business_id\":\"" DEMO_BUSINESS "\","
	    "\"partner_app_id\":\"" DEMO_APP "\"}}"));
	json_object_put(body);
	/* signed with the app's secret over the bytes sent */
	{
		char hex[65];
		char *msg = strndup(q->body, q->len);

		hmac_hex(DEMO_APP_SECRET, msg, hex);
		free(msg);
		sig = NULL;
		ck_assert_int_gt(asprintf(&sig, "sha256=%s", hex), 0);
		ck_assert_str_eq(q->signature, sig);
		free(sig);
	}
	/* subscribing again installs nothing new */
	o = call(&s, "POST", "/v24.0/" DEMO_WABA "/subscribed_apps", NULL, NULL,
	    tok, 200);
	json_object_put(o);
	/* a field the app asked for reaches it; one it did not, does not */
	o = call(&s, "POST", "/_emulator/webhooks/events",
	    "{\"field\":"
	    "\"security\",\"waba\":\"" DEMO_WABA "\",\"value\":{\"x\":1}}",
	    "application/json", NULL, 200);
	json_object_put(o);
	o = call(&s, "POST", "/_emulator/webhooks/events",
	    "{\"field\":"
	    "\"phone_number_name_update\",\"waba\":\"" DEMO_WABA "\","
	    "\"value\":{\"decision\":\"APPROVED\"}}",
	    "application/json", NULL, 200);
	json_object_put(o);
	wait_rx(3);
	body = json_tokener_parse(rx.reqs[2].body);
	ck_assert_str_eq(jstr(body, "entry.0.changes.0.field"),
	    "phone_number_name_update");
	json_object_put(body);
	d = call(&s, "GET", "/_emulator/webhooks", NULL, NULL, NULL, 200);
	n = jlen(d, "data");
	ck_assert_uint_eq(n, 2);
	json_object_put(d);
	/* the app leaves the WABA: its events stop */
	o = call(&s, "DELETE", "/v24.0/" DEMO_WABA "/subscribed_apps", NULL,
	    NULL, tok, 200);
	ck_assert(jeq(o, "{\"success\":true}"));
	json_object_put(o);
	o = call(&s, "GET", "/v24.0/" DEMO_WABA "/subscribed_apps", NULL, NULL,
	    tok, 200);
	ck_assert(jeq(o, "{\"data\":[]}"));
	json_object_put(o);
	o = call(&s, "POST", "/_emulator/webhooks/events",
	    "{\"field\":"
	    "\"account_update\",\"waba\":\"" DEMO_WABA "\",\"value\":{}}",
	    "application/json", NULL, 200);
	json_object_put(o);
	snprintf(path, sizeof(path), "/_emulator/webhooks");
	d = call(&s, "GET", path, NULL, NULL, NULL, 200);
	ck_assert_uint_eq(jlen(d, "data"), 2);
	json_object_put(d);
	free(tok);
	free(app_tok);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

START_TEST(test_subscribed_apps_override)
{
	struct server s;
	struct json_object *o, *st;
	char form[512];

	rx_up(true, 200);
	ck_assert_int_eq(server_start(&s, NULL), 0);
	snprintf(form, sizeof(form),
	    "override_callback_uri=%s/waba&"
	    "verify_token=ov",
	    hook_url);
	o = call(&s, "POST", "/v24.0/" DEMO_WABA "/subscribed_apps", form, NULL,
	    TOK_ADMIN, 200);
	json_object_put(o);
	wait_rx(1);
	ck_assert_str_eq(rx.reqs[0].method, "GET");
	ck_assert_ptr_nonnull(strstr(rx.reqs[0].target, "/hook/waba?"));
	ck_assert_ptr_nonnull(strstr(rx.reqs[0].target, "hub.verify_token=ov"));
	o = call(&s, "GET", "/v24.0/" DEMO_WABA "/subscribed_apps", NULL, NULL,
	    TOK_ADMIN, 200);
	snprintf(form, sizeof(form), "%s/waba", hook_url);
	ck_assert_str_eq(jstr(o, "data.0.override_callback_uri"), form);
	json_object_put(o);
	/* the state exports it, and a reset forgets it */
	st = call(&s, "GET", "/_emulator/state", NULL, NULL, NULL, 200);
	ck_assert_uint_eq(jlen(st, "subscribed_apps"), 1);
	ck_assert_str_eq(jstr(st, "subscribed_apps.0.override_callback_uri"),
	    form);
	/* a failed override handshake changes nothing */
	rx_echo(false);
	rx_set_status(&rx, 500);
	snprintf(form, sizeof(form),
	    "override_callback_uri=%s/new&"
	    "verify_token=ov",
	    hook_url);
	expect_error(call(&s, "POST", "/v24.0/" DEMO_WABA "/subscribed_apps",
	                 form, NULL, TOK_ADMIN, 400),
	    2200, -1, NULL);
	/* a host outside loopback is refused and never called */
	expect_error(
	    call(&s, "POST", "/v24.0/" DEMO_WABA "/subscribed_apps",
	        "override_callback_uri=http://203.0.113.9/x&verify_token=ov",
	        NULL, TOK_ADMIN, 400),
	    2200, -1, NULL);
	expect_error(call(&s, "POST", "/v24.0/" DEMO_WABA "/subscribed_apps",
	                 "override_callback_uri=http://127.0.0.1:1/x", NULL,
	                 TOK_ADMIN, 400),
	    100, -1, NULL);
	o = call(&s, "GET", "/_emulator/state", NULL, NULL, NULL, 200);
	ck_assert(json_object_equal(o, st));
	json_object_put(o);
	/* a WABA the caller cannot see does not exist for it */
	expect_error(call(&s, "POST",
	                 "/v24.0/" DEMO_WABA_BLOCKED "/subscribed_apps", NULL,
	                 NULL, TOK_ADMIN, 400),
	    100, 33, NULL);
	/* export, reset, import: the row comes back as it was */
	o = call(&s, "POST", "/_emulator/reset", NULL, NULL, NULL, 200);
	json_object_put(o);
	o = call(&s, "GET", "/v24.0/" DEMO_WABA "/subscribed_apps", NULL, NULL,
	    TOK_ADMIN, 200);
	ck_assert(jeq(o, "{\"data\":[]}"));
	json_object_put(o);
	o = call(&s, "PUT", "/_emulator/state", json_object_to_json_string(st),
	    "application/json", NULL, 200);
	json_object_put(o);
	o = call(&s, "GET", "/_emulator/state", NULL, NULL, NULL, 200);
	ck_assert(json_object_equal(o, st));
	json_object_put(o);
	json_object_put(st);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

/*
 * A receiver that never answers the handshake holds only its own call:
 * other calls are served meanwhile (the handshake runs without the lock;
 * meson runs this suite with three HTTP workers).
 */
START_TEST(test_handshake_holds_no_lock)
{
	struct server s;
	struct json_object *o;
	struct http_resp r;
	struct timespec t0, t1;
	int fd, one = 1;
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	pid_t pid;
	char form[256];

	/* a socket that listens and never accepts: connects, then silence */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(fd, 8), 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	ck_assert_int_eq(server_start(&s, NULL), 0);
	snprintf(form, sizeof(form),
	    "object=whatsapp_business_account&"
	    "callback_url=http://127.0.0.1:%d/h&verify_token=x&"
	    "fields=messages",
	    ntohs(a.sin_port));
	pid = fork();
	if (pid == 0) {
		struct http_resp rr;
		const char *h[] = { "Authorization: Bearer " APP_TOKEN, NULL };

		(void)http_req(&s, "POST", "/v24.0/" DEMO_APP "/subscriptions",
		    form, NULL, h, &rr);
		_exit(rr.status == 400 && rr.json != NULL &&
		            jint(rr.json, "error.code") == 2200 ?
		        0 :
		        1);
	}
	{
		struct timespec ts = { 0, 300 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(
	    http_get(&s, "/v24.0/" DEMO_WABA "?access_token=" TOK_ADMIN, &r),
	    0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_lt((t1.tv_sec - t0.tv_sec) * 1000 +
	        (t1.tv_nsec - t0.tv_nsec) / 1000000,
	    1000);
	{
		int status = -1;

		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "the hanging handshake did not end in 2200");
	}
	o = call(&s, "GET", "/v24.0/" DEMO_APP "/subscriptions", NULL, NULL,
	    APP_TOKEN, 200);
	ck_assert(jeq(o, "{\"data\":[]}"));
	json_object_put(o);
	close(fd);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* How many of the receiver's requests from first on carry a signature
 * of one of the demo apps over their body. */
static size_t
well_signed(size_t first)
{
	size_t i, n = 0;

	for (i = first; i < rx_count(&rx); i++) {
		const struct rx_req *q = &rx.reqs[i];
		char *msg = strndup(q->body, q->len), hex[65], want[80];

		hmac_hex(DEMO_APP_SECRET, msg, hex);
		snprintf(want, sizeof(want), "sha256=%s", hex);
		n += strcmp(q->signature, want) == 0;
		hmac_hex(DEMO_SECURE_SECRET, msg, hex);
		snprintf(want, sizeof(want), "sha256=%s", hex);
		n += strcmp(q->signature, want) == 0;
		free(msg);
	}
	return n;
}

/* clang-format off */
#define EVENT "{\"field\":\"account_update\",\"waba\":\"" DEMO_WABA \
	"\",\"value\":{\"event\":\"ACCOUNT_VIOLATION\"}}"
/* clang-format on */

/*
 * Delivery faults are fault rules matching a webhook field: a wrong
 * signature, a duplicate, a drop (retried as a failed attempt) and a
 * delay.  --webhook-url sends every event to both demo apps.
 */
START_TEST(test_delivery_faults)
{
	const char *args[] = { "--webhook-url", hook_url, NULL };
	struct server s;
	struct json_object *o, *d;
	struct timespec t0, t1;
	size_t i;

	rx_up(true, 200);
	ck_assert_int_eq(server_start(&s, args), 0);
	/* the second delivery of the event is signed with another key */
	o = call(&s, "POST", "/_emulator/faults",
	    "{\"match\":{\"webhook\":"
	    "\"account_*\"},\"wrong_signature\":true,\"every_nth\":2}",
	    "application/json", NULL, 200);
	json_object_put(o);
	o = call(&s, "POST", "/_emulator/webhooks/events", EVENT,
	    "application/json", NULL, 200);
	json_object_put(o);
	wait_rx(2);
	ck_assert_uint_eq(well_signed(0), 1);
	o = call(&s, "DELETE", "/_emulator/faults", NULL, NULL, NULL, 200);
	json_object_put(o);
	/* a duplicate: the receiver sees one delivery twice */
	o = call(&s, "POST", "/_emulator/faults",
	    "{\"match\":{\"webhook\":"
	    "\"*\"},\"duplicate\":true,\"times\":1}",
	    "application/json", NULL, 200);
	json_object_put(o);
	o = call(&s, "POST", "/_emulator/webhooks/events", EVENT,
	    "application/json", NULL, 200);
	json_object_put(o);
	wait_rx(5);
	ck_assert_uint_eq(well_signed(2), 3);
	ck_assert_str_eq(rx.reqs[2].body, rx.reqs[3].body);
	ck_assert_str_eq(rx.reqs[2].signature, rx.reqs[3].signature);
	o = call(&s, "DELETE", "/_emulator/faults", NULL, NULL, NULL, 200);
	json_object_put(o);
	/* a drop: nothing arrives, the attempt fails and is retried */
	o = call(&s, "POST", "/_emulator/faults",
	    "{\"match\":{\"webhook\":"
	    "\"account_update\"},\"drop_connection\":true,\"times\":2}",
	    "application/json", NULL, 200);
	json_object_put(o);
	o = call(&s, "POST", "/_emulator/webhooks/events", EVENT,
	    "application/json", NULL, 200);
	json_object_put(o);
	for (i = 0; i < 500; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		d = call(&s, "GET", "/_emulator/webhooks?state=pending", NULL,
		    NULL, NULL, 200);
		if (jlen(d, "data") == 2 && jlen(d, "data.0.attempts") == 1 &&
		    jlen(d, "data.1.attempts") == 1)
			break;
		json_object_put(d);
		d = NULL;
		nanosleep(&ts, NULL);
	}
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(jint(d, "data.0.attempts.0.status"), 0);
	ck_assert_ptr_nonnull(strstr(jstr(d, "data.0.attempts.0.error"),
	    "dropped by fault rule"));
	json_object_put(d);
	ck_assert_uint_eq(rx_count(&rx), 5);
	o = call(&s, "POST", "/_emulator/clock", "{\"advance_seconds\":15}",
	    "application/json", NULL, 200);
	json_object_put(o);
	wait_rx(7);
	ck_assert_uint_eq(well_signed(5), 2);
	o = call(&s, "DELETE", "/_emulator/faults", NULL, NULL, NULL, 200);
	json_object_put(o);
	/* a delay holds the delivery, not the API */
	o = call(&s, "POST", "/_emulator/faults",
	    "{\"match\":{\"webhook\":"
	    "\"*\"},\"latency_ms\":400}",
	    "application/json", NULL, 200);
	json_object_put(o);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	o = call(&s, "POST", "/_emulator/webhooks/events", EVENT,
	    "application/json", NULL, 200);
	json_object_put(o);
	wait_rx(8);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_ge((t1.tv_sec - t0.tv_sec) * 1000 +
	        (t1.tv_nsec - t0.tv_nsec) / 1000000,
	    400);
	wait_rx(9);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

/*
 * GET /{app-id}: the Application node for the app's own tokens, with its
 * default fields and fields=; its secret is no field.
 */
START_TEST(test_app_node)
{
	static const char *const own[] = { APP_TOKEN, TOK_ADMIN };
	struct server s;
	struct json_object *o;
	size_t i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		o = call(&s, "GET", "/v24.0/" DEMO_APP, NULL, NULL, own[i],
		    200);
		ck_assert_msg(jeq(o,
		                  "{\"link\":\"https://www.facebook.com/"
		                  "games/?app_id=" DEMO_APP
		                  "\",\"name\":\"Demo App\","
		                  "\"id\":\"" DEMO_APP "\"}"),
		    "%s", json_object_to_json_string(o));
		json_object_put(o);
	}
	o = call(&s, "GET", "/v24.0/" DEMO_APP "?fields=name,category", NULL,
	    NULL, APP_TOKEN, 200);
	ck_assert_msg(jeq(o, "{\"name\":\"Demo App\",\"id\":\"" DEMO_APP "\"}"),
	    "%s", json_object_to_json_string(o));
	json_object_put(o);
	expect_error(call(&s, "GET", "/v24.0/" DEMO_APP "?fields=id,secret",
	                 NULL, NULL, APP_TOKEN, 400),
	    100, -1,
	    "(#100) Tried accessing "
	    "nonexisting field (secret) on node type (Application)");
	expect_error(call(&s, "GET", "/v24.0/" DEMO_APP "?fields=colour", NULL,
	                 NULL, TOK_ADMIN, 400),
	    100, -1,
	    "(#100) Tried accessing "
	    "nonexisting field (colour) on node type (Application)");
	/* another app's tokens learn nothing about it */
	expect_error(call(&s, "GET", "/v24.0/" DEMO_SECURE_APP, NULL, NULL,
	                 APP_TOKEN, 400),
	    100, 33, NULL);
	expect_error(call(&s, "GET", "/v24.0/" DEMO_SECURE_APP, NULL, NULL,
	                 TOK_ADMIN, 400),
	    100, 33, NULL);
	expect_error(call(&s, "GET", "/v24.0/" DEMO_APP, NULL, NULL, NULL, 400),
	    104, -1, NULL);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("oauth_subs");
	TCase *tc = harness_tcase("oauth_subs", NULL, NULL);

	tcase_add_test(tc, test_client_credentials_and_client_errors);
	tcase_add_test(tc, test_code_exchange);
	tcase_add_test(tc, test_fb_exchange_token);
	tcase_add_test(tc, test_bad_codes_change_nothing);
	tcase_add_test(tc, test_app_subscriptions);
	tcase_add_test(tc, test_app_node);
	tcase_add_test(tc, test_onboarding_flow);
	tcase_add_test(tc, test_subscribed_apps_override);
	tcase_add_test(tc, test_handshake_holds_no_lock);
	tcase_add_test(tc, test_delivery_faults);
	suite_add_tcase(su, tc);
	return suite_run(su);
}
