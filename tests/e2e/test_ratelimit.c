/*
 * test_ratelimit.c - the business-use-case limit (README): which
 * calls count, per app and WABA, the usage headers, the 80008 answer under
 * both status profiles, the higher limit of an active WABA, the window on
 * the emulator clock, the switches; and appsecret_proof (README, errors).
 *
 * Time only moves through POST /_emulator/clock; nothing here sleeps or
 * measures time.
 */
#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../suite.h"

#define BUC_HDR "X-Business-Use-Case-Usage"
#define APP_HDR "X-App-Usage"
#define MSG_80008 \
	"(#80008) There have been too many calls to this " \
	"WhatsApp Business account. Wait a bit and try again. For more " \
	"info, please refer to " \
	"https://developers.facebook.com/docs/graph-api/overview/" \
	"rate-limiting."
#define MSG_BAD_PROOF "Invalid appsecret_proof provided in the API argument"
#define MSG_NO_PROOF \
	"API calls from the server require an " \
	"appsecret_proof argument"

#define WABA_PATH(waba, tok) "/v24.0/" waba "?access_token=" tok

/* ---- a keep-alive connection for long runs of calls ---------------- */

struct kconn {
	CURL *c;
	const struct server *s;
};

static void
kconn_open(struct kconn *k, const struct server *s)
{
	k->c = curl_easy_init();
	k->s = s;
	ck_assert_ptr_nonnull(k->c);
}

static void
kconn_close(struct kconn *k)
{
	curl_easy_cleanup(k->c);
}

/* A GET on the kept-alive connection; out as http_get() fills it. */
static void
kget(struct kconn *k, const char *path, struct http_resp *out)
{
	ck_assert_int_eq(
	    http_req_on(k->c, k->s, "GET", path, NULL, NULL, NULL, out), 0);
}

/* ---- helpers ------------------------------------------------------- */

/* The parsed header (caller puts), failing the test when it is absent. */
static struct json_object *
header_json(const struct http_resp *r, const char *name)
{
	const char *h = http_header(r, name);
	struct json_object *o;

	ck_assert_msg(h != NULL, "no %s header", name);
	o = json_tokener_parse(h);
	ck_assert_msg(o != NULL, "%s is not JSON: %s", name, h);
	return o;
}

/*
 * Checks the X-Business-Use-Case-Usage shape (README, rate limits) for waba:
 * exactly one key, one entry, exactly these members, all integers.
 * Returns call_count; *regain gets estimated_time_to_regain_access.
 */
static int
buc_usage(const struct http_resp *r, const char *waba, int *regain)
{
	static const char *const keys[] = { "type", "call_count",
		"total_cputime", "total_time",
		"estimated_time_to_regain_access" };
	struct json_object *o = header_json(r, BUC_HDR), *arr, *e, *v;
	size_t i;
	int cc;

	ck_assert_ptr_null(http_header(r, APP_HDR));
	ck_assert(json_object_is_type(o, json_type_object));
	ck_assert_int_eq(json_object_object_length(o), 1);
	ck_assert(json_object_object_get_ex(o, waba, &arr));
	ck_assert(json_object_is_type(arr, json_type_array));
	ck_assert_uint_eq(json_object_array_length(arr), 1);
	e = json_object_array_get_idx(arr, 0);
	ck_assert_int_eq(json_object_object_length(e), 5);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		ck_assert_msg(json_object_object_get_ex(e, keys[i], &v),
		    "no %s", keys[i]);
		ck_assert(json_object_is_type(v,
		    i == 0 ? json_type_string : json_type_int));
	}
	ck_assert_str_eq(jstr(e, "type"), "whatsapp_business_management");
	cc = (int)jint(e, "call_count");
	ck_assert(cc >= 0 && cc <= 100);
	ck_assert(
	    jint(e, "total_cputime") >= 0 && jint(e, "total_cputime") <= 100);
	ck_assert(jint(e, "total_time") >= 0 && jint(e, "total_time") <= 100);
	if (regain != NULL)
		*regain = (int)jint(e, "estimated_time_to_regain_access");
	json_object_put(o);
	return cc;
}

/* Checks X-App-Usage: exactly {"call_count","total_cputime","total_time"}. */
static void
app_usage(const struct http_resp *r)
{
	struct json_object *o = header_json(r, APP_HDR), *v;

	ck_assert_ptr_null(http_header(r, BUC_HDR));
	ck_assert(json_object_is_type(o, json_type_object));
	ck_assert_int_eq(json_object_object_length(o), 3);
	ck_assert(json_object_object_get_ex(o, "call_count", &v) &&
	    json_object_is_type(v, json_type_int));
	ck_assert(json_object_object_get_ex(o, "total_cputime", &v) &&
	    json_object_is_type(v, json_type_int));
	ck_assert(json_object_object_get_ex(o, "total_time", &v) &&
	    json_object_is_type(v, json_type_int));
	ck_assert(jint(o, "call_count") >= 0 && jint(o, "call_count") <= 100);
	json_object_put(o);
}

/*
 * The exact 80008 body, its fbtrace_id being the x-fb-request-id, and the
 * usage header of a refused call: 100 and some minutes to wait.
 */
static void
assert_throttled(const struct http_resp *r, const char *waba, long status)
{
	const char *rid = http_header(r, "x-fb-request-id");
	char want[1024];
	int regain = -1;

	ck_assert_msg(r->status == status, "%ld: %s", r->status, r->body);
	ck_assert_ptr_nonnull(rid);
	snprintf(want, sizeof(want),
	    "{\"error\":{\"message\":\"%s\","
	    "\"type\":\"OAuthException\",\"code\":80008,"
	    "\"error_subcode\":2446079,\"is_transient\":true,"
	    "\"fbtrace_id\":\"%s\"}}",
	    MSG_80008, rid);
	ck_assert_msg(jeq(r->json, want), "body %s", r->body);
	ck_assert_int_eq(buc_usage(r, waba, &regain), 100);
	ck_assert_int_gt(regain, 0);
}

static void
get_status(const struct server *s, const char *path, long want)
{
	struct http_resp r;

	ck_assert_int_eq(http_get(s, path, &r), 0);
	ck_assert_msg(r.status == want, "%s: %ld, want %ld: %s", path, r.status,
	    want, r.body);
	http_resp_free(&r);
}

static void
clock_post(const struct server *s, const char *json)
{
	struct http_resp r;

	ck_assert_int_eq(http_post_json(s, "/_emulator/clock", json, &r), 0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
}

/* Makes n calls that must pass. */
static void
spend(const struct server *s, const char *path, int n)
{
	int i;

	for (i = 0; i < n; i++)
		get_status(s, path, 200);
}

/* Mints a token of app for user; returns it (caller frees). */
static char *
mint(const struct server *s, const char *app, const char *user)
{
	struct http_resp r;
	char body[256];
	char *tok;

	snprintf(body, sizeof(body), "{\"user\":\"%s\",\"app\":\"%s\"}", user,
	    app);
	ck_assert_int_eq(http_post_json(s, "/_emulator/tokens", body, &r), 0);
	ck_assert_msg(r.status == 200, "%s", r.body);
	tok = strdup(jstr(r.json, "access_token"));
	ck_assert(tok[0] != '\0');
	http_resp_free(&r);
	return tok;
}

/* ---- the default limit: 200 an hour -------------------------------- */

static void
two_hundred_then_throttled(long throttled_status)
{
	const char *args[] = { "--status-profile", "classic", NULL };
	struct server s;
	struct kconn k;
	struct http_resp r;
	int i, cc, regain, last = -1;

	ck_assert_int_eq(
	    server_start(&s, throttled_status == 400 ? args : NULL), 0);
	kconn_open(&k, &s);
	for (i = 1; i <= 200; i++) {
		kget(&k, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), &r);
		ck_assert_msg(r.status == 200, "call %d: %ld %s", i, r.status,
		    r.body);
		ck_assert_str_eq(jstr(r.json, "id"), DEMO_WABA_NOPHONES);
		cc = buc_usage(&r, DEMO_WABA_NOPHONES, &regain);
		/* the percentage documented in ratelimit.c */
		ck_assert_msg(cc == i * 100 / 200, "call %d: call_count %d", i,
		    cc);
		ck_assert(cc >= last);
		ck_assert_int_eq(regain, 0);
		last = cc;
		http_resp_free(&r);
	}
	ck_assert_int_eq(last, 100);
	kget(&k, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), &r);
	assert_throttled(&r, DEMO_WABA_NOPHONES, throttled_status);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA_NOPHONES, &regain), 100);
	ck_assert(regain > 0 && regain <= 60);
	http_resp_free(&r);
	/* still refused */
	kget(&k, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), &r);
	assert_throttled(&r, DEMO_WABA_NOPHONES, throttled_status);
	http_resp_free(&r);
	/* other WABAs of the same app are counted separately */
	kget(&k, WABA_PATH(DEMO_WABA_LABS, TOK_ADMIN), &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA_LABS, NULL), 0);
	http_resp_free(&r);
	kconn_close(&k);

	clock_post(&s, "{\"advance_seconds\":3600}");
	ck_assert_int_eq(
	    http_get(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA_NOPHONES, &regain), 0);
	ck_assert_int_eq(regain, 0);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}

START_TEST(test_201st_call_429)
{
	two_hundred_then_throttled(429);
}
END_TEST

START_TEST(test_201st_call_classic_400)
{
	two_hundred_then_throttled(400);
}
END_TEST

START_TEST(test_app_usage_on_other_calls)
{
	static const char *const paths[] = {
		"/v24.0/" DEMO_WABA "/phone_numbers?access_token=" TOK_ADMIN,
		"/v24.0/" DEMO_BUSINESS "/owned_whatsapp_business_accounts"
		"?access_token=" TOK_ADMIN,
		"/v24.0/" DEMO_BUSINESS "?access_token=" TOK_ADMIN,
		"/v24.0/" DEMO_PHONE "?access_token=" TOK_ADMIN,
		"/v24.0/debug_token?input_token=" TOK_ADMIN
		"&access_token=" TOK_APP,
	};
	struct server s;
	struct http_resp r;
	size_t i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		ck_assert_int_eq(http_get(&s, paths[i], &r), 0);
		ck_assert_msg(r.status == 200, "%s: %s", paths[i], r.body);
		app_usage(&r);
		http_resp_free(&r);
	}
	/* errors before any counting carry it too */
	ck_assert_int_eq(
	    http_get(&s, "/v24.0/4999999999999999?access_token=" TOK_ADMIN, &r),
	    0);
	ck_assert_int_eq(r.status, 400);
	app_usage(&r);
	http_resp_free(&r);
	/* a counted call carries the business header instead */
	ck_assert_int_eq(http_get(&s, WABA_PATH(DEMO_WABA, TOK_ADMIN), &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA, NULL), 0);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- appsecret_proof ----------------------------------------------- */

static void
assert_proof_error(const struct http_resp *r, const char *msg)
{
	ck_assert_int_eq(r->status, 400);
	ck_assert_int_eq(jint(r->json, "error.code"), 100);
	ck_assert_str_eq(jstr(r->json, "error.type"), "GraphMethodException");
	ck_assert_str_eq(jstr(r->json, "error.message"), msg);
	ck_assert_ptr_null(jget(r->json, "error.error_subcode"));
}

START_TEST(test_appsecret_proof)
{
	struct server s;
	struct http_resp r;
	char proof[65], tproof[65], wrong[65], path[512], body[512];

	ck_assert_int_eq(server_start(&s, NULL), 0);
	hmac_hex(DEMO_SECURE_SECRET, TOK_SECURE, proof);
	hmac_hex(DEMO_SECURE_SECRET, TOK_SECURE "|1700000000", tproof);
	hmac_hex("not-the-secret", TOK_SECURE, wrong);

	/* required and missing */
	ck_assert_int_eq(http_get(&s, WABA_PATH(DEMO_WABA, TOK_SECURE), &r), 0);
	assert_proof_error(&r, MSG_NO_PROOF);
	http_resp_free(&r);

	/* right */
	snprintf(path, sizeof(path),
	    WABA_PATH(DEMO_WABA, TOK_SECURE) "&appsecret_proof=%s", proof);
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	ck_assert_msg(r.status == 200, "%s", r.body);
	ck_assert_str_eq(jstr(r.json, "id"), DEMO_WABA);
	http_resp_free(&r);

	/* the same with the token in the Authorization header */
	{
		char auth[128];
		const char *hdrs[] = { auth, NULL };

		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
		    TOK_SECURE);
		snprintf(path, sizeof(path),
		    "/v24.0/" DEMO_WABA "?appsecret_proof=%s", proof);
		ck_assert_int_eq(
		    http_req(&s, "GET", path, NULL, NULL, hdrs, &r), 0);
		ck_assert_msg(r.status == 200, "%s", r.body);
		http_resp_free(&r);
	}

	/* wrong: another key, uppercase hex, a truncated proof */
	snprintf(path, sizeof(path),
	    WABA_PATH(DEMO_WABA, TOK_SECURE) "&appsecret_proof=%s", wrong);
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	assert_proof_error(&r, MSG_BAD_PROOF);
	http_resp_free(&r);
	snprintf(path, sizeof(path),
	    WABA_PATH(DEMO_WABA, TOK_SECURE) "&appsecret_proof=%.40s", proof);
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	assert_proof_error(&r, MSG_BAD_PROOF);
	http_resp_free(&r);

	/* a proof is checked even when the app does not require one */
	ck_assert_int_eq(
	    http_get(&s,
	        WABA_PATH(DEMO_WABA,
	            TOK_ADMIN) "&appsecret_proof=0123456789abcdef0123456789abcdef0123456789abcdef"
	                       "0123456789abcdef",
	        &r),
	    0);
	assert_proof_error(&r, MSG_BAD_PROOF);
	http_resp_free(&r);
	{
		char ok[65];

		hmac_hex(DEMO_APP_SECRET, TOK_ADMIN, ok);
		snprintf(path, sizeof(path),
		    WABA_PATH(DEMO_WABA, TOK_ADMIN) "&appsecret_proof=%s", ok);
		get_status(&s, path, 200);
	}

	/* with appsecret_time the proof covers "token|time" */
	snprintf(path, sizeof(path),
	    WABA_PATH(DEMO_WABA,
	        TOK_SECURE) "&appsecret_proof=%s&appsecret_time=1700000000",
	    tproof);
	get_status(&s, path, 200);
	snprintf(path, sizeof(path),
	    WABA_PATH(DEMO_WABA,
	        TOK_SECURE) "&appsecret_proof=%s&appsecret_time=1700000000",
	    proof);
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	assert_proof_error(&r, MSG_BAD_PROOF);
	http_resp_free(&r);
	snprintf(path, sizeof(path),
	    WABA_PATH(DEMO_WABA,
	        TOK_SECURE) "&appsecret_proof=%s&appsecret_time=1700000001",
	    tproof);
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	assert_proof_error(&r, MSG_BAD_PROOF);
	http_resp_free(&r);

	/* token and proof in the body of a POST */
	snprintf(body, sizeof(body),
	    "access_token=" TOK_SECURE
	    "&appsecret_proof=%s&user=" DEMO_NOACCESS_USER "&tasks=MANAGE",
	    proof);
	ck_assert_int_eq(
	    http_post_form(&s, "/v24.0/" DEMO_WABA "/assigned_users", body, &r),
	    0);
	ck_assert_msg(r.status == 200, "%s", r.body);
	ck_assert(jeq(r.json, "{\"success\":true}"));
	http_resp_free(&r);
	snprintf(body, sizeof(body),
	    "{\"access_token\":\"" TOK_SECURE "\","
	    "\"appsecret_proof\":\"%s\",\"user\":\"" DEMO_NOACCESS_USER "\"}",
	    wrong);
	ck_assert_int_eq(http_req(&s, "DELETE",
	                     "/v24.0/" DEMO_WABA "/assigned_users", body,
	                     "application/json", NULL, &r),
	    0);
	assert_proof_error(&r, MSG_BAD_PROOF);
	http_resp_free(&r);
	/* the refused DELETE changed nothing */
	ck_assert_int_eq(http_get(&s,
	                     "/v24.0/" DEMO_WABA "/assigned_users"
	                     "?business=" DEMO_BUSINESS
	                     "&access_token=" TOK_ADMIN,
	                     &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(jlen(r.json, "data"), 3);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- small limits: 3, and 6 for an active WABA --------------------- */

static const char *const small_args[] = { "--rate-limit", "3",
	"--rate-limit-active", "6", NULL };

START_TEST(test_active_waba_higher_limit)
{
	struct server s;
	struct http_resp r;
	int i;

	ck_assert_int_eq(server_start(&s, small_args), 0);
	/* DEMO_WABA has a CONNECTED number: 6 an hour */
	for (i = 1; i <= 6; i++) {
		ck_assert_int_eq(
		    http_get(&s, WABA_PATH(DEMO_WABA, TOK_ADMIN), &r), 0);
		ck_assert_msg(r.status == 200, "call %d: %s", i, r.body);
		ck_assert_int_eq(buc_usage(&r, DEMO_WABA, NULL), i * 100 / 6);
		http_resp_free(&r);
	}
	ck_assert_int_eq(http_get(&s, WABA_PATH(DEMO_WABA, TOK_ADMIN), &r), 0);
	assert_throttled(&r, DEMO_WABA, 429);
	http_resp_free(&r);
	/* DEMO_WABA_NOPHONES has none: 3 an hour */
	for (i = 1; i <= 3; i++) {
		ck_assert_int_eq(
		    http_get(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), &r),
		    0);
		ck_assert_int_eq(r.status, 200);
		ck_assert_int_eq(buc_usage(&r, DEMO_WABA_NOPHONES, NULL),
		    i * 100 / 3);
		http_resp_free(&r);
	}
	ck_assert_int_eq(
	    http_get(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), &r), 0);
	assert_throttled(&r, DEMO_WABA_NOPHONES, 429);
	http_resp_free(&r);
	/* a DISCONNECTED or FLAGGED number does not make a WABA active */
	spend(&s, WABA_PATH(DEMO_WABA_LABS, TOK_ADMIN), 3);
	get_status(&s, WABA_PATH(DEMO_WABA_LABS, TOK_ADMIN), 429);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_assigned_users_count)
{
	struct server s;
	struct http_resp r;
	int regain;

	ck_assert_int_eq(server_start(&s, small_args), 0);
	ck_assert_int_eq(http_get(&s,
	                     "/v24.0/" DEMO_WABA_NOPHONES
	                     "/assigned_users?business=" DEMO_BUSINESS
	                     "&access_token=" TOK_ADMIN,
	                     &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA_NOPHONES, NULL), 33);
	http_resp_free(&r);
	ck_assert_int_eq(http_post_form(&s,
	                     "/v24.0/" DEMO_WABA_NOPHONES
	                     "/assigned_users?access_token=" TOK_ADMIN,
	                     "user=" DEMO_NOACCESS_USER "&tasks=['MANAGE']",
	                     &r),
	    0);
	ck_assert_msg(r.status == 200, "%s", r.body);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA_NOPHONES, NULL), 66);
	http_resp_free(&r);
	ck_assert_int_eq(http_req(&s, "DELETE",
	                     "/v24.0/" DEMO_WABA_NOPHONES
	                     "/assigned_users?user=" DEMO_NOACCESS_USER
	                     "&access_token=" TOK_ADMIN,
	                     NULL, NULL, NULL, &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA_NOPHONES, &regain), 100);
	ck_assert_int_eq(regain, 0);
	http_resp_free(&r);
	/* the node read shares the count ... */
	ck_assert_int_eq(
	    http_get(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), &r), 0);
	assert_throttled(&r, DEMO_WABA_NOPHONES, 429);
	http_resp_free(&r);
	/* ... and so does every assigned_users method */
	ck_assert_int_eq(http_post_form(&s,
	                     "/v24.0/" DEMO_WABA_NOPHONES
	                     "/assigned_users?access_token=" TOK_ADMIN,
	                     "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r),
	    0);
	assert_throttled(&r, DEMO_WABA_NOPHONES, 429);
	http_resp_free(&r);
	/* the refused write did not happen */
	clock_post(&s, "{\"advance_seconds\":3600}");
	ck_assert_int_eq(http_get(&s,
	                     "/v24.0/" DEMO_WABA_NOPHONES
	                     "/assigned_users?business=" DEMO_BUSINESS
	                     "&access_token=" TOK_ADMIN,
	                     &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(jlen(r.json, "data"), 1);
	ck_assert_str_eq(jstr(r.json, "data.0.id"), DEMO_MANAGER_USER);
	http_resp_free(&r);
	/* phone_numbers is not a counted edge */
	spend(&s,
	    "/v24.0/" DEMO_WABA_NOPHONES
	    "/phone_numbers?access_token=" TOK_ADMIN,
	    5);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_limit_is_per_app)
{
	struct server s;
	struct http_resp r;
	char proof[65], path[512];
	char *tok;

	ck_assert_int_eq(server_start(&s, small_args), 0);
	spend(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 3);
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 429);
	/* another user's token of the same app shares the app's count */
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_MANAGER), 429);

	/* a token of the other app (which requires a proof) starts afresh */
	tok = mint(&s, DEMO_SECURE_APP, DEMO_ADMIN_USER);
	hmac_hex(DEMO_SECURE_SECRET, tok, proof);
	snprintf(path, sizeof(path),
	    "/v24.0/" DEMO_WABA_NOPHONES "?access_token=%s&appsecret_proof=%s",
	    tok, proof);
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	ck_assert_msg(r.status == 200, "%s", r.body);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA_NOPHONES, NULL), 33);
	http_resp_free(&r);
	/* EAAdemoSecure is the same app as the minted token */
	hmac_hex(DEMO_SECURE_SECRET, TOK_SECURE, proof);
	snprintf(path, sizeof(path),
	    WABA_PATH(DEMO_WABA_NOPHONES, TOK_SECURE) "&appsecret_proof=%s",
	    proof);
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA_NOPHONES, NULL), 66);
	http_resp_free(&r);
	snprintf(path, sizeof(path),
	    "/v24.0/" DEMO_WABA_NOPHONES "?access_token=%s&appsecret_proof=%s",
	    tok, proof);
	/* (that proof is for the other token: refused, not counted) */
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	assert_proof_error(&r, MSG_BAD_PROOF);
	http_resp_free(&r);
	hmac_hex(DEMO_SECURE_SECRET, tok, proof);
	snprintf(path, sizeof(path),
	    "/v24.0/" DEMO_WABA_NOPHONES "?access_token=%s&appsecret_proof=%s",
	    tok, proof);
	get_status(&s, path, 200);
	get_status(&s, path, 429);
	/* the first app is still refused, untouched by the second's calls */
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 429);
	free(tok);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* Seconds of the journal's entries for path, oldest first. */
static size_t
journal_times(const struct server *s, const char *glob, long long *t,
    size_t max)
{
	struct http_resp r;
	char path[256];
	size_t i, n;

	snprintf(path, sizeof(path), "/_emulator/requests?path=%s", glob);
	ck_assert_int_eq(http_get(s, path, &r), 0);
	ck_assert_int_eq(r.status, 200);
	n = jlen(r.json, "data");
	for (i = 0; i < n && i < max; i++) {
		char key[32];

		snprintf(key, sizeof(key), "data.%zu.time", i);
		t[i] = jint(r.json, key);
	}
	http_resp_free(&r);
	return n;
}

START_TEST(test_window_on_the_clock)
{
	struct server s;
	struct http_resp r;
	long long t[8];
	char json[64];
	int regain;

	ck_assert_int_eq(server_start(&s, small_args), 0);
	spend(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 3);
	ck_assert_int_eq(
	    http_get(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), &r), 0);
	assert_throttled(&r, DEMO_WABA_NOPHONES, 429);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA_NOPHONES, &regain), 100);
	ck_assert(regain > 0 && regain <= 60);
	http_resp_free(&r);

	/*
	 * The first counted call leaves the window an hour after it was
	 * made; setting the clock puts it at the start of that second.
	 */
	ck_assert_uint_eq(journal_times(&s, "*/" DEMO_WABA_NOPHONES, t, 8), 4);
	snprintf(json, sizeof(json), "{\"now\":%lld}", t[0] + 3599);
	clock_post(&s, json);
	ck_assert_int_eq(
	    http_get(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), &r), 0);
	assert_throttled(&r, DEMO_WABA_NOPHONES, 429);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA_NOPHONES, &regain), 100);
	ck_assert_int_eq(regain, 1);
	http_resp_free(&r);
	snprintf(json, sizeof(json), "{\"now\":%lld}", t[2] + 3600);
	clock_post(&s, json);
	ck_assert_int_eq(
	    http_get(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA_NOPHONES, &regain), 33);
	ck_assert_int_eq(regain, 0);
	http_resp_free(&r);

	/* advance_seconds moves the window as well */
	spend(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 2);
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 429);
	clock_post(&s, "{\"advance_seconds\":3600}");
	spend(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 3);
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 429);

	/*
	 * Refused calls are not counted: half an hour on, five refusals;
	 * once the counted calls leave the window, calls pass again.
	 */
	clock_post(&s, "{\"advance_seconds\":1800}");
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 429);
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 429);
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 429);
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 429);
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 429);
	clock_post(&s, "{\"advance_seconds\":1800}");
	ck_assert_int_eq(
	    http_get(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA_NOPHONES, NULL), 33);
	http_resp_free(&r);
	spend(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 2);
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 429);

	/* reset forgets every count */
	ck_assert_int_eq(http_post_json(&s, "/_emulator/reset", "{}", &r), 0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 200);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_batch_items_count_one_each)
{
	struct server s;
	struct http_resp r;
	struct json_object *body;
	int i;

	ck_assert_int_eq(server_start(&s, small_args), 0);
	ck_assert_int_eq(
	    http_post_form(&s, "/v24.0/",
	        "access_token=" TOK_ADMIN "&include_headers=true&batch=["
	        "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_NOPHONES
	        "\"},"
	        "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_NOPHONES
	        "/assigned_users?business=" DEMO_BUSINESS "\"},"
	        "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_NOPHONES
	        "/phone_numbers\"},"
	        "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_NOPHONES
	        "\"},"
	        "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA_NOPHONES
	        "\"}]",
	        &r),
	    0);
	ck_assert_msg(r.status == 200, "%s", r.body);
	ck_assert_uint_eq(jlen(r.json, ""), 5);
	for (i = 0; i < 5; i++) {
		char key[32];

		snprintf(key, sizeof(key), "%d.code", i);
		ck_assert_int_eq(jint(r.json, key), i < 4 ? 200 : 429);
	}
	body = json_tokener_parse(jstr(r.json, "4.body"));
	ck_assert_ptr_nonnull(body);
	ck_assert_int_eq(jint(body, "error.code"), 80008);
	ck_assert_int_eq(jint(body, "error.error_subcode"), 2446079);
	ck_assert_str_eq(jstr(body, "error.message"), MSG_80008);
	json_object_put(body);
	http_resp_free(&r);
	/* three counted items used the whole limit */
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 429);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- switches ------------------------------------------------------ */

START_TEST(test_no_rate_limit)
{
	const char *args[] = { "--rate-limit", "1", "--no-rate-limit", NULL };
	struct server s;
	struct http_resp r;
	int i;

	ck_assert_int_eq(server_start(&s, args), 0);
	for (i = 0; i < 20; i++) {
		ck_assert_int_eq(
		    http_get(&s,
		        i % 2 ? WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN) :
		                "/v24.0/" DEMO_WABA_NOPHONES
		                "/assigned_users?business=" DEMO_BUSINESS
		                "&access_token=" TOK_ADMIN,
		        &r),
		    0);
		ck_assert_msg(r.status == 200, "call %d: %s", i, r.body);
		ck_assert_ptr_null(jget(r.json, "error"));
		http_resp_free(&r);
	}
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_rate_window_60)
{
	const char *args[] = { "--rate-limit", "2", "--rate-window", "60",
		NULL };
	struct server s;
	struct http_resp r;
	int regain;

	ck_assert_int_eq(server_start(&s, args), 0);
	spend(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 2);
	ck_assert_int_eq(
	    http_get(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), &r), 0);
	assert_throttled(&r, DEMO_WABA_NOPHONES, 429);
	ck_assert_int_eq(buc_usage(&r, DEMO_WABA_NOPHONES, &regain), 100);
	ck_assert_int_eq(regain, 1);
	http_resp_free(&r);
	clock_post(&s, "{\"advance_seconds\":60}");
	spend(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 2);
	get_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN), 429);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("ratelimit");
	TCase *def = tcase_create("default limits");
	TCase *classic = tcase_create("classic profile");
	TCase *small = tcase_create("small limits");
	TCase *sw = tcase_create("switches");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	tcase_set_timeout(def, 120);
	tcase_add_test(def, test_201st_call_429);
	tcase_add_test(def, test_app_usage_on_other_calls);
	tcase_add_test(def, test_appsecret_proof);
	suite_add_tcase(su, def);
	tcase_set_timeout(classic, 120);
	tcase_add_test(classic, test_201st_call_classic_400);
	suite_add_tcase(su, classic);
	tcase_set_timeout(small, 60);
	tcase_add_test(small, test_active_waba_higher_limit);
	tcase_add_test(small, test_assigned_users_count);
	tcase_add_test(small, test_limit_is_per_app);
	tcase_add_test(small, test_window_on_the_clock);
	tcase_add_test(small, test_batch_items_count_one_each);
	suite_add_tcase(su, small);
	tcase_set_timeout(sw, 60);
	tcase_add_test(sw, test_no_rate_limit);
	tcase_add_test(sw, test_rate_window_60);
	suite_add_tcase(su, sw);
	curl_global_cleanup();
	return suite_run(su);
}
