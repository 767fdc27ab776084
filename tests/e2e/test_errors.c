/*
 * test_errors.c - every row of the README's errors, triggered through the
 * public API (demo fixtures, requests, flags, the control plane), each
 * checked for its HTTP status, code, subcode, type, exact message,
 * is_transient, fbtrace_id, WWW-Authenticate and Cache-Control; both status
 * profiles; and after every rejected write, a state that did not change.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../suite.h"

#define V "/v24.0/"
#define AT "access_token="
#define ADMIN AT TOK_ADMIN

/* The tail every 100/33 message shares. */
/* clang-format off */
#define NO_OBJECT(verb, id)                                                  \
	"Unsupported " verb " request. Object with ID '" id "' does not "    \
	"exist, cannot be loaded due to missing permissions, or does not "   \
	"support this operation. Please read the Graph API documentation at " \
	"https://developers.facebook.com/docs/graph-api"

#define TASK_VALUES "MANAGE, DEVELOP, MANAGE_TEMPLATES, MANAGE_PHONE, "     \
	"VIEW_COST, MANAGE_EXTENSIONS, VIEW_PHONE_ASSETS, "                  \
	"MANAGE_PHONE_ASSETS, VIEW_TEMPLATES, MESSAGING, VIEW_INSIGHTS, "     \
	"MANAGE_USERS, MANAGE_BILLING"
/* clang-format on */

#define MSG_PERMISSION "(#200) Permissions error"
/* clang-format off */
#define MSG_SCOPE "(#200) Requires whatsapp_business_management permission " \
	"to manage the object"
#define MSG_PHONE_ADD "Cannot add phone number to WhatsApp Business Account"
#define MSG_RATE "(#80008) There have been too many calls to this WhatsApp " \
	"Business account. Wait a bit and try again. For more info, please "  \
	"refer to https://developers.facebook.com/docs/graph-api/overview/"  \
	"rate-limiting."
/* clang-format on */

static struct server S;

/* What one error answer must look like. */
struct experr {
	long status;
	int code;
	int subcode; /* 0: error_subcode must be absent */
	const char *type;
	const char *message; /* exact, or a prefix when prefix is set */
	bool prefix;
	bool transient; /* is_transient:true, else the key is absent */
};

/*
 * Checks every part of a Graph error answer; line is the caller's, for the
 * failure message.
 */
static void
expect_error_at(const struct http_resp *r, const struct experr *e, int line)
{
	struct json_object *err = jget(r->json, "error"), *v;
	const char *msg, *www, *rid, *cc;
	char want[2048];
	size_t i;
	bool tok;

	ck_assert_msg(r->status == e->status, "line %d: HTTP %ld, want %ld: %s",
	    line, r->status, e->status, r->body);
	ck_assert_msg(err != NULL, "line %d: no error object: %s", line,
	    r->body);
	ck_assert_msg(jint(err, "code") == e->code,
	    "line %d: code %lld, want %d: %s", line, jint(err, "code"), e->code,
	    r->body);
	v = jget(err, "error_subcode");
	if (e->subcode == 0)
		ck_assert_msg(v == NULL,
		    "line %d: unexpected error_subcode: %s", line, r->body);
	else
		ck_assert_msg(v != NULL && json_object_get_int(v) == e->subcode,
		    "line %d: error_subcode, want %d: %s", line, e->subcode,
		    r->body);
	ck_assert_msg(strcmp(jstr(err, "type"), e->type) == 0,
	    "line %d: type %s, want %s", line, jstr(err, "type"), e->type);
	msg = jstr(err, "message");
	if (e->prefix)
		ck_assert_msg(strncmp(msg, e->message, strlen(e->message)) == 0,
		    "line %d: message\n  %s\nwant prefix\n  %s", line, msg,
		    e->message);
	else
		ck_assert_msg(strcmp(msg, e->message) == 0,
		    "line %d: message\n  %s\nwant\n  %s", line, msg,
		    e->message);
	v = jget(err, "is_transient");
	if (e->transient)
		ck_assert_msg(v != NULL &&
		        json_object_is_type(v, json_type_boolean) &&
		        json_object_get_boolean(v),
		    "line %d: want is_transient:true: %s", line, r->body);
	else
		ck_assert_msg(v == NULL || !json_object_get_boolean(v),
		    "line %d: unexpected is_transient: %s", line, r->body);
	rid = http_header(r, "x-fb-request-id");
	ck_assert_msg(rid != NULL && *rid != '\0',
	    "line %d: no x-fb-request-id", line);
	ck_assert_msg(strcmp(jstr(err, "fbtrace_id"), rid) == 0,
	    "line %d: fbtrace_id %s != x-fb-request-id %s", line,
	    jstr(err, "fbtrace_id"), rid);
	tok = e->code == 190 || e->code == 102;
	snprintf(want, sizeof(want),
	    "OAuth \"Facebook Platform\" \"%s\" \"%s\"",
	    tok ? "invalid_token" : "invalid_request", msg);
	/* a header cannot carry control characters: they read as spaces */
	for (i = 0; want[i] != '\0'; i++)
		if ((unsigned char)want[i] < 0x20 || want[i] == 0x7f)
			want[i] = ' ';
	www = http_header(r, "www-authenticate");
	ck_assert_msg(www != NULL && strcmp(www, want) == 0,
	    "line %d: WWW-Authenticate\n  %s\nwant\n  %s", line,
	    www ? www : "(none)", want);
	cc = http_header(r, "cache-control");
	ck_assert_msg(cc != NULL && strcmp(cc, "no-store") == 0,
	    "line %d: Cache-Control %s", line, cc ? cc : "(none)");
	ck_assert_msg(http_header(r, "etag") == NULL,
	    "line %d: an error carries an ETag", line);
}

static void
expect_error(const struct http_resp *r, long status, int code, int subcode,
    const char *type, const char *message, bool prefix, bool transient,
    int line)
{
	struct experr e = { status, code, subcode, type, message, prefix,
		transient };

	expect_error_at(r, &e, line);
}

/* An exact message; a transient error; a message known by its prefix. */
#define EXPECT_ERROR(r, st, code, sub, type, msg) \
	expect_error((r), (st), (code), (sub), (type), (msg), false, false, \
	    __LINE__)
#define EXPECT_TRANSIENT(r, st, code, sub, type, msg) \
	expect_error((r), (st), (code), (sub), (type), (msg), false, true, \
	    __LINE__)
#define EXPECT_ERROR_PREFIX(r, st, code, sub, type, msg) \
	expect_error((r), (st), (code), (sub), (type), (msg), true, false, \
	    __LINE__)

/* Request helpers on the test's server S; each returns the response. */
static void
req(const char *method, const char *path, const char *body, const char *ctype,
    struct http_resp *r)
{
	ck_assert_msg(http_req(&S, method, path, body, ctype, NULL, r) == 0,
	    "%s %s: transport error", method, path);
}

static void
get(const char *path, struct http_resp *r)
{
	req("GET", path, NULL, NULL, r);
}

static void
post(const char *path, const char *form, struct http_resp *r)
{
	req("POST", path, form, NULL, r);
}

static void
del(const char *path, struct http_resp *r)
{
	req("DELETE", path, NULL, NULL, r);
}

/* The whole state as the control plane exports it; caller puts it. */
static struct json_object *
state(void)
{
	struct http_resp r;
	struct json_object *st;

	get("/_emulator/state", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(r.json);
	st = json_object_get(r.json);
	http_resp_free(&r);
	return st;
}

/* Fails when the state differs from before; puts before. */
static void
state_unchanged_at(struct json_object *before, int line)
{
	struct json_object *now = state();
	bool eq = json_object_equal(before, now);

	json_object_put(before);
	json_object_put(now);
	ck_assert_msg(eq, "line %d: a rejected write changed the state", line);
}

#define STATE_UNCHANGED(before) state_unchanged_at((before), __LINE__)

static void
control(const char *method, const char *path, const char *json,
    struct http_resp *r)
{
	req(method, path, json, json ? "application/json" : NULL, r);
	ck_assert_msg(r->status == 200, "%s %s: %ld %s", method, path,
	    r->status, r->body);
}

static void
set_clock(long long now)
{
	struct http_resp r;
	char body[64];

	snprintf(body, sizeof(body), "{\"now\":%lld}", now);
	control("POST", "/_emulator/clock", body, &r);
	ck_assert_int_eq(jint(r.json, "now"), now);
	http_resp_free(&r);
}

static void
advance_clock(long long seconds)
{
	struct http_resp r;
	char body[64];

	snprintf(body, sizeof(body), "{\"advance_seconds\":%lld}", seconds);
	control("POST", "/_emulator/clock", body, &r);
	http_resp_free(&r);
}

/* The next matching Graph call answers this error code. */
static void
inject_fault(int code)
{
	struct http_resp r;
	char body[128];

	snprintf(body, sizeof(body),
	    "{\"match\":{\"path\":\"*\"},"
	    "\"error\":{\"code\":%d},\"times\":1}",
	    code);
	control("POST", "/_emulator/faults", body, &r);
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
setup_classic(void)
{
	static const char *const args[] = { "--status-profile", "classic",
		NULL };

	start(args);
}

static void
setup_read_only(void)
{
	static const char *const args[] = { "--read-only", NULL };

	start(args);
}

static void
setup_rate_limited(void)
{
	static const char *const args[] = { "--rate-limit", "3", NULL };

	start(args);
}

static void
setup_classic_flags(void)
{
	static const char *const args[] = { "--status-profile", "classic",
		"--rate-limit", "1", "--read-only", NULL };

	start(args);
}

static void
teardown(void)
{
	if (S.pid > 0)
		server_stop(&S);
}

/* ---- 100: missing or malformed parameters ---------------------------- */

START_TEST(test_100_missing_parameter)
{
	struct json_object *before = state();
	struct http_resp r;

	post(V DEMO_WABA "/assigned_users?" ADMIN, "tasks=MANAGE", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) The parameter user is required");
	http_resp_free(&r);
	del(V DEMO_WABA "/assigned_users?" ADMIN, &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) The parameter user is required");
	http_resp_free(&r);
	post(V DEMO_WABA "/phone_numbers?" ADMIN, "cc=1", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) The parameter phone_number is required");
	http_resp_free(&r);
	STATE_UNCHANGED(before);

	get(V DEMO_WABA "/assigned_users?" ADMIN, &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) The parameter business is required");
	http_resp_free(&r);
	get(V "debug_token?" AT TOK_APP, &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) For field 'debug_token': The parameter input_token is "
	    "required");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_100_bad_enum_names_allowed_values)
{
	struct json_object *before = state();
	struct http_resp r;

	/* the docs' single-quoted form, URL-encoded */
	post(V DEMO_WABA "/assigned_users?" ADMIN,
	    "user=" DEMO_NOACCESS_USER "&tasks=%5B%27BOGUS%27%5D", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param tasks[0] must be one of {" TASK_VALUES "} - got "
	    "\"BOGUS\"");
	http_resp_free(&r);
	post(V DEMO_WABA "/assigned_users?" ADMIN,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE,SUPERVISE", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param tasks[1] must be one of {" TASK_VALUES "} - got "
	    "\"SUPERVISE\"");
	http_resp_free(&r);
	STATE_UNCHANGED(before);

	get(V DEMO_BUSINESS "/owned_whatsapp_business_accounts?" ADMIN
	                    "&sort=newest_first",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param sort[0] must be one of {creation_time_ascending, "
	    "creation_time_descending} - got \"newest_first\"");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_100_bad_boolean)
{
	struct json_object *before = state();
	struct http_resp r;

	post(V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN,
	    "cc=1&phone_number=5550107777&verified_name=X"
	    "&migrate_phone_number=maybe",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param migrate_phone_number must be a boolean, got "
	    "\"maybe\"");
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_100_unsupported_filter)
{
	struct http_resp r;

	/* filtering=[{'field':'name','operator':'EQUAL','value':'x'}] */
	get(V DEMO_BUSINESS
	    "/owned_whatsapp_business_accounts?" ADMIN
	    "&filtering=%5B%7B%27field%27%3A%27name%27%2C%27operator%27%3A"
	    "%27EQUAL%27%2C%27value%27%3A%27x%27%7D%5D",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Filtering field name is not supported. Supported fields: "
	    "creation_time, ownership_type");
	http_resp_free(&r);

	/* creation_time with EQUAL */
	get(V DEMO_BUSINESS
	    "/owned_whatsapp_business_accounts?" ADMIN
	    "&filtering=%5B%7B%22field%22%3A%22creation_time%22%2C%22operator"
	    "%22%3A%22EQUAL%22%2C%22value%22%3A%221%22%7D%5D",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Filtering operator EQUAL is not supported for field "
	    "creation_time. Supported operators: LESS_THAN, GREATER_THAN, "
	    "IN_RANGE");
	http_resp_free(&r);

	/* account_mode EQUAL FOO */
	get(V DEMO_WABA
	    "/phone_numbers?" ADMIN
	    "&filtering=%5B%7B%22field%22%3A%22account_mode%22%2C%22operator"
	    "%22%3A%22EQUAL%22%2C%22value%22%3A%22FOO%22%7D%5D",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param filtering[0].value must be one of {SANDBOX, LIVE} - "
	    "got \"FOO\"");
	http_resp_free(&r);

	/* creation_time LESS_THAN abc */
	get(V DEMO_BUSINESS
	    "/owned_whatsapp_business_accounts?" ADMIN
	    "&filtering=%5B%7B%22field%22%3A%22creation_time%22%2C%22operator"
	    "%22%3A%22LESS_THAN%22%2C%22value%22%3A%22abc%22%7D%5D",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param filtering[0].value must be a unix timestamp - got "
	    "\"abc\"");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_100_batch_over_50)
{
	struct json_object *before = state();
	struct http_resp r;
	size_t cap = 51 * 200 + 64, n, i;
	char *body = malloc(cap);

	ck_assert_ptr_nonnull(body);
	/* 51 writes, URL-encoded: none of them may run */
	n = (size_t)snprintf(body, cap, "%s", ADMIN "&batch=%5B");
	for (i = 0; i < 51; i++)
		n += (size_t)snprintf(body + n, cap - n, "%s%s",
		    i > 0 ? "%2C" : "",
		    "%7B%22method%22%3A%22DELETE%22%2C%22relative_url%22%3A%22" DEMO_WABA
		    "%2Fassigned_users%3Fuser%3D" DEMO_MANAGER_USER "%22%7D");
	snprintf(body + n, cap - n, "%s", "%5D");
	post(V, body, &r);
	free(body);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param batch must contain between 1 and 50 requests, got "
	    "51");
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_100_bad_limit_and_cursor)
{
	struct http_resp r;

	get(V DEMO_WABA "/phone_numbers?" ADMIN "&limit=abc", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param limit must be a positive integer");
	http_resp_free(&r);
	get(V DEMO_WABA "/phone_numbers?" ADMIN "&limit=0", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param limit must be a positive integer");
	http_resp_free(&r);
	get(V DEMO_WABA "/phone_numbers?" ADMIN "&after=%21%21%21", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param after must be a valid cursor");
	http_resp_free(&r);
	get(V DEMO_WABA "/phone_numbers?" ADMIN "&before=bm90LWEtY3Vyc29y", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param before must be a valid cursor");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_100_nonexisting_field)
{
	struct http_resp r;

	get(V DEMO_WABA "?" ADMIN "&fields=name,colour", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Tried accessing nonexisting field (colour) on node type "
	    "(WhatsAppBusinessAccount)");
	http_resp_free(&r);
	get(V DEMO_WABA "/no_such_edge?" ADMIN, &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Tried accessing nonexisting field (no_such_edge) on "
	    "node type (WhatsAppBusinessAccount)");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- 100/33 ------------------------------------------------------------ */

START_TEST(test_100_33_names_the_method)
{
	struct json_object *before = state();
	struct http_resp r;

	get(V "4999999999999999?" ADMIN, &r);
	EXPECT_ERROR(&r, 400, 100, 33, "GraphMethodException",
	    NO_OBJECT("get", "4999999999999999"));
	http_resp_free(&r);
	post(V "4999999999999999/phone_numbers?" ADMIN,
	    "cc=1&phone_number=5550107777&verified_name=X", &r);
	EXPECT_ERROR(&r, 400, 100, 33, "GraphMethodException",
	    NO_OBJECT("post", "4999999999999999"));
	http_resp_free(&r);
	del(V "4999999999999999/assigned_users?" ADMIN
	      "&user=" DEMO_MANAGER_USER,
	    &r);
	EXPECT_ERROR(&r, 400, 100, 33, "GraphMethodException",
	    NO_OBJECT("delete", "4999999999999999"));
	http_resp_free(&r);
	/* an existing node that does not support the operation */
	del(V DEMO_WABA "?" ADMIN, &r);
	EXPECT_ERROR(&r, 400, 100, 33, "GraphMethodException",
	    NO_OBJECT("delete", DEMO_WABA));
	http_resp_free(&r);
	req("PUT", V DEMO_WABA "?" ADMIN, "name=Renamed", NULL, &r);
	EXPECT_ERROR(&r, 400, 100, 33, "GraphMethodException",
	    NO_OBJECT("put", DEMO_WABA));
	http_resp_free(&r);
	/* a WABA the caller's business has no relation to does not exist */
	get(V DEMO_WABA_BLOCKED "?" ADMIN, &r);
	EXPECT_ERROR(&r, 400, 100, 33, "GraphMethodException",
	    NO_OBJECT("get", DEMO_WABA_BLOCKED));
	http_resp_free(&r);
	get(V "undefined?" ADMIN, &r);
	EXPECT_ERROR(&r, 400, 100, 33, "GraphMethodException",
	    NO_OBJECT("get", "undefined"));
	http_resp_free(&r);
	/* an id with a line break: still one WWW-Authenticate header */
	get(V "abc%0D%0AX-Injected:%20yes?" ADMIN, &r);
	EXPECT_ERROR(&r, 400, 100, 33, "GraphMethodException",
	    NO_OBJECT("get", "abc\r\nX-Injected: yes"));
	ck_assert_ptr_null(http_header(&r, "x-injected"));
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- 100 appsecret_proof ----------------------------------------------- */

START_TEST(test_100_appsecret_proof)
{
	struct json_object *before = state();
	struct http_resp r;
	char proof[65], path[512];

	get(V DEMO_WABA "?" ADMIN "&appsecret_proof=abc", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "GraphMethodException",
	    "Invalid appsecret_proof provided in the API argument");
	http_resp_free(&r);
	/* a proof made with another app's secret is wrong too */
	hmac_hex(DEMO_SECURE_SECRET, TOK_ADMIN, proof);
	snprintf(path, sizeof(path),
	    V DEMO_WABA "/assigned_users?" ADMIN "&appsecret_proof=%s", proof);
	post(path, "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "GraphMethodException",
	    "Invalid appsecret_proof provided in the API argument");
	http_resp_free(&r);
	/* the Secure App requires one */
	get(V DEMO_WABA "?" AT TOK_SECURE, &r);
	EXPECT_ERROR(&r, 400, 100, 0, "GraphMethodException",
	    "API calls from the server require an appsecret_proof argument");
	http_resp_free(&r);
	del(V DEMO_WABA "/assigned_users?" AT TOK_SECURE
	                "&user=" DEMO_MANAGER_USER,
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "GraphMethodException",
	    "API calls from the server require an appsecret_proof argument");
	http_resp_free(&r);
	STATE_UNCHANGED(before);

	/* and the right one passes */
	hmac_hex(DEMO_SECURE_SECRET, TOK_SECURE, proof);
	snprintf(path, sizeof(path),
	    V DEMO_WABA "?" AT TOK_SECURE "&appsecret_proof=%s", proof);
	get(path, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "id"), DEMO_WABA);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- tokens: 102, 104, 190 --------------------------------------------- */

START_TEST(test_102_session_key)
{
	struct json_object *before = state();
	struct http_resp r;

	get(V DEMO_WABA "?" AT TOK_SESSION_KEY, &r);
	EXPECT_ERROR(&r, 401, 102, 0, "OAuthException",
	    "Session key invalid or no longer valid");
	http_resp_free(&r);
	post(V DEMO_WABA "/assigned_users?" AT TOK_SESSION_KEY,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	EXPECT_ERROR(&r, 401, 102, 0, "OAuthException",
	    "Session key invalid or no longer valid");
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/*
 * Without a token nothing is visible: a path that names no object, no
 * edge, no method or too many segments is 104 too, as a good one is;
 * only /me, which has no one to stand for, is 2500.
 */
START_TEST(test_104_before_the_path)
{
	static const struct {
		const char *method, *path;
		int code;
	} cases[] = {
		{ "GET", V "4999999999999999", 104 },
		{ "GET", V DEMO_WABA "/nonsense", 104 },
		{ "GET", V DEMO_WABA "/phone_numbers/extra", 104 },
		{ "DELETE", V, 104 },
		{ "GET", V "debug_token/extra", 104 },
		{ "POST", V "debug_token", 104 },
		{ "GET", V "?ids=" DEMO_WABA, 104 },
		{ "GET", V "me/permissions", 2500 },
	};
	struct http_resp r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		req(cases[i].method, cases[i].path, NULL, NULL, &r);
		ck_assert_msg(jint(r.json, "error.code") == cases[i].code,
		    "%s %s: %s", cases[i].method, cases[i].path, r.body);
		http_resp_free(&r);
	}
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_104_no_token)
{
	struct json_object *before = state();
	struct http_resp r;

	get(V DEMO_WABA, &r);
	EXPECT_ERROR(&r, 400, 104, 0, "OAuthException",
	    "An access token is required to request this resource.");
	http_resp_free(&r);
	post(V DEMO_WABA "/phone_numbers",
	    "cc=1&phone_number=5550107777&verified_name=X", &r);
	EXPECT_ERROR(&r, 400, 104, 0, "OAuthException",
	    "An access token is required to request this resource.");
	http_resp_free(&r);
	del(V DEMO_WABA "/assigned_users?user=" DEMO_MANAGER_USER, &r);
	EXPECT_ERROR(&r, 400, 104, 0, "OAuthException",
	    "An access token is required to request this resource.");
	http_resp_free(&r);
	/* an empty token is no token */
	get(V DEMO_WABA "?access_token=", &r);
	EXPECT_ERROR(&r, 400, 104, 0, "OAuthException",
	    "An access token is required to request this resource.");
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_190_unknown_token)
{
	static const char msg[] =
	    "Invalid OAuth access token - Cannot parse access token";
	struct json_object *before = state();
	struct http_resp r;

	get(V DEMO_WABA "?" AT "nonsense", &r);
	EXPECT_ERROR(&r, 401, 190, 0, "OAuthException", msg);
	http_resp_free(&r);
	/* an app token with the wrong secret fails its signature */
	get(V DEMO_WABA "?" AT DEMO_APP "%7Cwrong-secret", &r);
	EXPECT_ERROR(&r, 401, 190, 0, "OAuthException",
	    "Invalid OAuth access token signature.");
	http_resp_free(&r);
	del(V DEMO_WABA "/assigned_users?" AT
	                "nonsense&user=" DEMO_MANAGER_USER,
	    &r);
	EXPECT_ERROR(&r, 401, 190, 0, "OAuthException", msg);
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_190_460_467_token_states)
{
	struct json_object *before = state();
	struct http_resp r;

	get(V DEMO_WABA "?" AT TOK_INVALIDATED, &r);
	EXPECT_ERROR(&r, 401, 190, 460, "OAuthException",
	    "Error validating access token: The session has been invalidated "
	    "because the user changed their password or Facebook has changed "
	    "the session for security reasons.");
	http_resp_free(&r);
	post(V DEMO_WABA "/phone_numbers?" AT TOK_LOGGED_OUT,
	    "cc=1&phone_number=5550107777&verified_name=X", &r);
	EXPECT_ERROR(&r, 401, 190, 467, "OAuthException",
	    "Error validating access token: This may be because the user "
	    "logged out or may be due to a system error.");
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_190_463_expired_fixture_token)
{
	struct http_resp r;

	/* on the system clock only the expiry date is known */
	get(V DEMO_WABA "?" AT TOK_EXPIRED, &r);
	EXPECT_ERROR_PREFIX(&r, 401, 190, 463, "OAuthException",
	    "Error validating access token: Session has expired on Tuesday, "
	    "14-Nov-23 14:13:20 PST. The current time is ");
	http_resp_free(&r);
	/* Tuesday, 31-Dec-24 18:53:20 PST */
	set_clock(1735700000);
	get(V DEMO_WABA "?" AT TOK_EXPIRED, &r);
	EXPECT_ERROR(&r, 401, 190, 463, "OAuthException",
	    "Error validating access token: Session has expired on Tuesday, "
	    "14-Nov-23 14:13:20 PST. The current time is Tuesday, 31-Dec-24 "
	    "18:53:20 PST.");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_190_463_minted_token_expires_on_the_clock)
{
	struct json_object *before;
	struct http_resp r;
	char path[512], tok[128];

	/* Monday, 01-Jul-24 23:00:00 PDT */
	set_clock(1719900000);
	control("POST", "/_emulator/tokens",
	    "{\"user\":\"" DEMO_ADMIN_USER "\",\"app\":\"" DEMO_APP
	    "\",\"scopes\":[\"whatsapp_business_"
	    "management\",\"business_management\"],\"expires_in\":3600}",
	    &r);
	ck_assert_int_eq(jint(r.json, "expires_at"), 1719903600);
	snprintf(tok, sizeof(tok), "%s", jstr(r.json, "access_token"));
	http_resp_free(&r);
	snprintf(path, sizeof(path), V DEMO_WABA "?" AT "%s", tok);

	get(path, &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	advance_clock(3599);
	get(path, &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);

	advance_clock(1);
	get(path, &r);
	EXPECT_ERROR(&r, 401, 190, 463, "OAuthException",
	    "Error validating access token: Session has expired on Tuesday, "
	    "02-Jul-24 00:00:00 PDT. The current time is Tuesday, 02-Jul-24 "
	    "00:00:00 PDT.");
	http_resp_free(&r);

	/* Wednesday, 03-Jul-24 00:00:00 PDT; writes are refused too */
	set_clock(1719990000);
	before = state();
	snprintf(path, sizeof(path), V DEMO_WABA "/assigned_users?" AT "%s",
	    tok);
	post(path, "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	EXPECT_ERROR(&r, 401, 190, 463, "OAuthException",
	    "Error validating access token: Session has expired on Tuesday, "
	    "02-Jul-24 00:00:00 PDT. The current time is Wednesday, 03-Jul-24 "
	    "00:00:00 PDT.");
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_190_463_expired_by_state)
{
	struct http_resp r;

	control("POST", "/_emulator/tokens/" TOK_MANAGER,
	    "{\"state\":\"expired\"}", &r);
	http_resp_free(&r);
	set_clock(1735700000);
	get(V DEMO_WABA "?" AT TOK_MANAGER, &r);
	EXPECT_ERROR(&r, 401, 190, 463, "OAuthException",
	    "Error validating access token: Session has expired on Tuesday, "
	    "31-Dec-24 18:53:20 PST. The current time is Tuesday, 31-Dec-24 "
	    "18:53:20 PST.");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- 200 --------------------------------------------------------------- */

START_TEST(test_200_missing_scope)
{
	struct json_object *before = state();
	struct http_resp r;

	get(V DEMO_WABA "?" AT TOK_NOSCOPE, &r);
	EXPECT_ERROR(&r, 403, 200, 0, "OAuthException", MSG_SCOPE);
	http_resp_free(&r);
	post(V DEMO_WABA "/phone_numbers?" AT TOK_NOSCOPE,
	    "cc=1&phone_number=5550107777&verified_name=X", &r);
	EXPECT_ERROR(&r, 403, 200, 0, "OAuthException", MSG_SCOPE);
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_200_granular_target_excluded)
{
	struct json_object *before = state();
	struct http_resp r;

	/* its target is 4...02; 4...01 is excluded */
	get(V DEMO_WABA_NOPHONES "?" AT TOK_GRANULAR, &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	get(V DEMO_WABA "?" AT TOK_GRANULAR, &r);
	EXPECT_ERROR(&r, 403, 200, 0, "OAuthException", MSG_PERMISSION);
	http_resp_free(&r);
	del(V DEMO_WABA "/assigned_users?" AT TOK_GRANULAR
	                "&user=" DEMO_MANAGER_USER,
	    &r);
	EXPECT_ERROR(&r, 403, 200, 0, "OAuthException", MSG_PERMISSION);
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_200_no_role_or_task)
{
	struct http_resp r;

	get(V DEMO_WABA "?" AT TOK_NOACCESS, &r);
	EXPECT_ERROR(&r, 403, 200, 0, "OAuthException", MSG_PERMISSION);
	http_resp_free(&r);
	get(V DEMO_WABA "/phone_numbers?" AT TOK_NOACCESS, &r);
	EXPECT_ERROR(&r, 403, 200, 0, "OAuthException", MSG_PERMISSION);
	http_resp_free(&r);
	/* the WABA lists of a business need an ADMIN */
	get(V DEMO_BUSINESS
	    "/owned_whatsapp_business_accounts?" AT TOK_EMPLOYEE,
	    &r);
	EXPECT_ERROR(&r, 403, 200, 0, "OAuthException", MSG_PERMISSION);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_200_employee_write_without_task)
{
	struct json_object *before = state();
	struct http_resp r;

	/* DEVELOP and VIEW_PHONE_ASSETS read, but do not write */
	get(V DEMO_WABA "/phone_numbers?" AT TOK_EMPLOYEE, &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	post(V DEMO_WABA "/phone_numbers?" AT TOK_EMPLOYEE,
	    "cc=1&phone_number=5550107777&verified_name=X", &r);
	EXPECT_ERROR(&r, 403, 200, 0, "OAuthException", MSG_PERMISSION);
	http_resp_free(&r);
	post(V DEMO_WABA "/assigned_users?" AT TOK_EMPLOYEE,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	EXPECT_ERROR(&r, 403, 200, 0, "OAuthException", MSG_PERMISSION);
	http_resp_free(&r);
	del(V DEMO_WABA "/assigned_users?" AT TOK_EMPLOYEE
	                "&user=" DEMO_MANAGER_USER,
	    &r);
	EXPECT_ERROR(&r, 403, 200, 0, "OAuthException", MSG_PERMISSION);
	http_resp_free(&r);
	/* MANAGE_PHONE adds numbers but does not manage users */
	post(V DEMO_WABA_NOPHONES "/assigned_users?" AT TOK_MANAGER,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	EXPECT_ERROR(&r, 403, 200, 0, "OAuthException", MSG_PERMISSION);
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_200_app_token_on_a_waba)
{
	struct json_object *before = state();
	struct http_resp r;

	get(V DEMO_WABA "?" AT DEMO_APP "%7C" DEMO_APP_SECRET, &r);
	EXPECT_ERROR(&r, 403, 200, 0, "OAuthException", MSG_PERMISSION);
	http_resp_free(&r);
	post(V DEMO_WABA "/assigned_users?" AT DEMO_APP "%7C" DEMO_APP_SECRET,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	EXPECT_ERROR(&r, 403, 200, 0, "OAuthException", MSG_PERMISSION);
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- 300 (--read-only) ------------------------------------------------- */

START_TEST(test_300_read_only)
{
	static const char msg[] = "(#300) Edit failure: the emulator is "
	                          "read-only";
	struct json_object *before = state();
	struct http_resp r;

	post(V DEMO_WABA "/phone_numbers?" ADMIN,
	    "cc=1&phone_number=5550107777&verified_name=X", &r);
	EXPECT_ERROR(&r, 400, 300, 0, "OAuthException", msg);
	http_resp_free(&r);
	post(V DEMO_WABA "/assigned_users?" ADMIN,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	EXPECT_ERROR(&r, 400, 300, 0, "OAuthException", msg);
	http_resp_free(&r);
	del(V DEMO_WABA "/assigned_users?" ADMIN "&user=" DEMO_MANAGER_USER,
	    &r);
	EXPECT_ERROR(&r, 400, 300, 0, "OAuthException", msg);
	http_resp_free(&r);
	/* method=DELETE on a GET is a write too */
	get(V DEMO_WABA "/assigned_users?" ADMIN
	                "&method=DELETE&user=" DEMO_MANAGER_USER,
	    &r);
	EXPECT_ERROR(&r, 400, 300, 0, "OAuthException", msg);
	http_resp_free(&r);
	STATE_UNCHANGED(before);

	/* reads still work, and still show the manager */
	get(V DEMO_WABA "/assigned_users?" ADMIN "&business=" DEMO_BUSINESS,
	    &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq((int)jlen(r.json, "data"), 2);
	ck_assert_str_eq(jstr(r.json, "data.1.id"), DEMO_MANAGER_USER);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- 368 --------------------------------------------------------------- */

START_TEST(test_368_restricted_business)
{
	static const char msg[] = "The action attempted has been deemed "
	                          "abusive or is otherwise disallowed";
	struct json_object *before = state();
	struct http_resp r;

	get(V DEMO_WABA_BLOCKED "?" AT TOK_BLOCKED, &r);
	EXPECT_ERROR(&r, 403, 368, 0, "OAuthException", msg);
	http_resp_free(&r);
	post(V DEMO_WABA_BLOCKED "/phone_numbers?" AT TOK_BLOCKED,
	    "cc=1&phone_number=5550107777&verified_name=X", &r);
	EXPECT_ERROR(&r, 403, 368, 0, "OAuthException", msg);
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- 2500 -------------------------------------------------------------- */

START_TEST(test_2500_unknown_path_components)
{
	struct json_object *before = state();
	struct http_resp r;

	get(V DEMO_WABA "/phone_numbers/extra?" ADMIN, &r);
	EXPECT_ERROR(&r, 400, 2500, 0, "OAuthException",
	    "Unknown path components: /extra");
	http_resp_free(&r);
	get(V DEMO_WABA "/assigned_users/a/b?" ADMIN, &r);
	EXPECT_ERROR(&r, 400, 2500, 0, "OAuthException",
	    "Unknown path components: /a/b");
	http_resp_free(&r);
	/* a malformed version reads as a node, the rest as components */
	get("/3.0/me/feed?" ADMIN, &r);
	EXPECT_ERROR(&r, 400, 2500, 0, "OAuthException",
	    "Unknown path components: /me/feed");
	http_resp_free(&r);
	post(V DEMO_WABA "/phone_numbers/extra?" ADMIN,
	    "cc=1&phone_number=5550107777&verified_name=X", &r);
	EXPECT_ERROR(&r, 400, 2500, 0, "OAuthException",
	    "Unknown path components: /extra");
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_2500_fields_syntax)
{
	struct http_resp r;

	get(V DEMO_WABA "?" ADMIN "&fields=name,,id", &r);
	EXPECT_ERROR(&r, 400, 2500, 0, "OAuthException",
	    "Syntax error \"Expected name.\" at character 5: name,,id");
	http_resp_free(&r);
	get(V DEMO_WABA "?" ADMIN "&fields=name,%0A", &r);
	EXPECT_ERROR(&r, 400, 2500, 0, "OAuthException",
	    "Syntax error \"Expected name.\" at character 5: name,\n");
	http_resp_free(&r);
	get(V DEMO_WABA "?" ADMIN "&fields=name,name", &r);
	EXPECT_ERROR(&r, 400, 2500, 0, "OAuthException",
	    "Syntax error \"Field name specified more than once. This is only "
	    "possible before version 2.1\" at character 9: name,name");
	http_resp_free(&r);
	/* phone_numbers{id}} */
	get(V DEMO_WABA "?" ADMIN "&fields=phone_numbers%7Bid%7D%7D", &r);
	EXPECT_ERROR(&r, 400, 2500, 0, "OAuthException",
	    "Syntax error \"Expected end of string instead of \"}\".\" at "
	    "character 17: phone_numbers{id}}");
	http_resp_free(&r);
	/* name.limit( */
	get(V DEMO_WABA "?" ADMIN "&fields=name.limit%28", &r);
	EXPECT_ERROR(&r, 400, 2500, 0, "OAuthException",
	    "Syntax error \"Expected \")\", got end of string\" at character "
	    "11: name.limit(");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- 80008 ------------------------------------------------------------- */

START_TEST(test_80008_rate_limit)
{
	struct json_object *before;
	struct http_resp r;
	const char *buc;
	int i;

	for (i = 0; i < 3; i++) {
		get(V DEMO_WABA_NOPHONES "?" ADMIN, &r);
		ck_assert_int_eq(r.status, 200);
		http_resp_free(&r);
	}
	get(V DEMO_WABA_NOPHONES "?" ADMIN, &r);
	EXPECT_TRANSIENT(&r, 429, 80008, 2446079, "OAuthException", MSG_RATE);
	buc = http_header(&r, "x-business-use-case-usage");
	ck_assert_ptr_nonnull(buc);
	ck_assert_ptr_nonnull(strstr(buc, DEMO_WABA_NOPHONES));
	http_resp_free(&r);

	/* the assigned_users edge shares the count, writes included */
	before = state();
	post(V DEMO_WABA_NOPHONES "/assigned_users?" ADMIN,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	EXPECT_TRANSIENT(&r, 429, 80008, 2446079, "OAuthException", MSG_RATE);
	http_resp_free(&r);
	del(V DEMO_WABA_NOPHONES "/assigned_users?" ADMIN
	                         "&user=" DEMO_MANAGER_USER,
	    &r);
	EXPECT_TRANSIENT(&r, 429, 80008, 2446079, "OAuthException", MSG_RATE);
	http_resp_free(&r);
	STATE_UNCHANGED(before);

	/* another WABA has its own count */
	get(V DEMO_WABA "?" ADMIN, &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- 200000, 200005, 200008 -------------------------------------------- */

START_TEST(test_200000_number_on_another_waba)
{
	struct json_object *before = state();
	struct http_resp r;

	post(V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN,
	    "cc=1&phone_number=5550100200&verified_name=X", &r);
	EXPECT_ERROR(&r, 400, 200000, 0, "OAuthException", MSG_PHONE_ADD);
	http_resp_free(&r);
	post(V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN,
	    "cc=1&phone_number=5550100200&verified_name=X"
	    "&migrate_phone_number=false",
	    &r);
	EXPECT_ERROR(&r, 400, 200000, 0, "OAuthException", MSG_PHONE_ADD);
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_200000_waba_at_its_limit)
{
	struct json_object *before = state();
	struct http_resp r;

	post(V DEMO_WABA_LABS "/phone_numbers?" ADMIN,
	    "cc=1&phone_number=5550107777&verified_name=Third", &r);
	EXPECT_ERROR(&r, 400, 200000, 0, "OAuthException", MSG_PHONE_ADD);
	http_resp_free(&r);
	/* migrating into a full WABA is refused the same way */
	post(V DEMO_WABA_LABS "/phone_numbers?" ADMIN,
	    "cc=1&phone_number=5550100201&migrate_phone_number=true", &r);
	EXPECT_ERROR(&r, 400, 200000, 0, "OAuthException", MSG_PHONE_ADD);
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_200005_no_insights)
{
	struct http_resp r;

	get(V DEMO_WABA_NOPHONES "?" ADMIN
	                         "&fields=template_performance_metrics",
	    &r);
	EXPECT_ERROR(&r, 400, 200005, 0, "OAuthException",
	    "Template Insights are not available yet for this WhatsApp "
	    "Business account");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_200008_no_phone_numbers)
{
	struct http_resp r;

	/* analytics.start(1).end(86400) */
	get(V DEMO_WABA_NOPHONES
	    "?" ADMIN "&fields=analytics.start%281%29.end%2886400%29",
	    &r);
	EXPECT_ERROR(&r, 400, 200008, 0, "OAuthException",
	    "WhatsApp Business Account has no linked phone numbers.");
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- 1 / 2 ------------------------------------------------------------- */

START_TEST(test_1_2_injected_faults)
{
	struct json_object *before = state();
	struct http_resp r;

	inject_fault(1);
	get(V DEMO_WABA "?" ADMIN, &r);
	EXPECT_TRANSIENT(&r, 500, 1, 0, "OAuthException",
	    "An unknown error has occurred.");
	http_resp_free(&r);
	inject_fault(2);
	post(V DEMO_WABA "/assigned_users?" ADMIN,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	EXPECT_TRANSIENT(&r, 500, 2, 0, "OAuthException",
	    "An unexpected error has occurred. Please retry your request "
	    "later.");
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	/* "times":1: the next call goes through */
	get(V DEMO_WABA "?" ADMIN, &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- suppress_http_code ------------------------------------------------ */

START_TEST(test_suppress_http_code)
{
	struct json_object *before = state();
	struct http_resp r;

	get(V "4999999999999999?" ADMIN "&suppress_http_code=1", &r);
	EXPECT_ERROR(&r, 200, 100, 33, "GraphMethodException",
	    NO_OBJECT("get", "4999999999999999"));
	http_resp_free(&r);
	get(V DEMO_WABA "?" AT "nonsense&suppress_http_code=1", &r);
	EXPECT_ERROR(&r, 200, 190, 0, "OAuthException",
	    "Invalid OAuth access token - Cannot parse access token");
	http_resp_free(&r);
	/* from a form body too, on a rejected write */
	post(V DEMO_WABA "/assigned_users?" AT TOK_EMPLOYEE,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE&suppress_http_code=1",
	    &r);
	EXPECT_ERROR(&r, 200, 200, 0, "OAuthException", MSG_PERMISSION);
	http_resp_free(&r);
	inject_fault(2);
	get(V DEMO_WABA "?" ADMIN "&suppress_http_code=1", &r);
	EXPECT_TRANSIENT(&r, 200, 2, 0, "OAuthException",
	    "An unexpected error has occurred. Please retry your request "
	    "later.");
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	/* success is unchanged */
	get(V DEMO_WABA "?" ADMIN "&suppress_http_code=1", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "id"), DEMO_WABA);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- both status profiles ---------------------------------------------- */

/* One trigger, its code and its status under each profile. */
struct trigger {
	const char *method;
	const char *path;
	const char *form; /* POST body, NULL for none */
	int fault;        /* inject this error code first; 0 = none */
	int code;
	int subcode;
	long st_default;
	long st_classic;
};

/* method  path  form  fault  code  subcode  default  classic */
static const struct trigger triggers[] = {
	{ "POST", V DEMO_WABA "/assigned_users?" ADMIN, "tasks=MANAGE", 0, 100,
	    0, 400, 400 },
	{ "GET", V "4999999999999999?" ADMIN, NULL, 0, 100, 33, 400, 400 },
	{ "GET", V DEMO_WABA "?" AT TOK_SECURE, NULL, 0, 100, 0, 400, 400 },
	{ "GET", V DEMO_WABA "?" AT TOK_SESSION_KEY, NULL, 0, 102, 0, 401,
	    400 },
	{ "GET", V DEMO_WABA, NULL, 0, 104, 0, 400, 400 },
	{ "GET", V DEMO_WABA "?" AT "nonsense", NULL, 0, 190, 0, 401, 400 },
	{ "GET", V DEMO_WABA "?" AT TOK_EXPIRED, NULL, 0, 190, 463, 401, 400 },
	{ "GET", V DEMO_WABA "?" AT TOK_INVALIDATED, NULL, 0, 190, 460, 401,
	    400 },
	{ "GET", V DEMO_WABA "?" AT TOK_LOGGED_OUT, NULL, 0, 190, 467, 401,
	    400 },
	{ "GET", V DEMO_WABA "?" AT TOK_NOSCOPE, NULL, 0, 200, 0, 403, 400 },
	{ "GET", V DEMO_WABA "?" AT TOK_GRANULAR, NULL, 0, 200, 0, 403, 400 },
	{ "GET", V DEMO_WABA "?" AT TOK_NOACCESS, NULL, 0, 200, 0, 403, 400 },
	{ "GET", V DEMO_WABA_BLOCKED "?" AT TOK_BLOCKED, NULL, 0, 368, 0, 403,
	    400 },
	{ "GET", V DEMO_WABA "/phone_numbers/extra?" ADMIN, NULL, 0, 2500, 0,
	    400, 400 },
	{ "GET", V DEMO_WABA "?" ADMIN "&fields=name,,id", NULL, 0, 2500, 0,
	    400, 400 },
	{ "POST", V DEMO_WABA_NOPHONES "/phone_numbers?" ADMIN,
	    "cc=1&phone_number=5550100200&verified_name=X", 0, 200000, 0, 400,
	    400 },
	{ "POST", V DEMO_WABA_LABS "/phone_numbers?" ADMIN,
	    "cc=1&phone_number=5550107777&verified_name=X", 0, 200000, 0, 400,
	    400 },
	{ "GET",
	    V DEMO_WABA_NOPHONES "?" ADMIN
	                         "&fields=template_performance_metrics",
	    NULL, 0, 200005, 0, 400, 400 },
	{ "GET",
	    V DEMO_WABA_NOPHONES
	    "?" ADMIN "&fields=analytics.start%281%29.end%2886400%29",
	    NULL, 0, 200008, 0, 400, 400 },
	{ "GET", V DEMO_WABA "?" ADMIN, NULL, 1, 1, 0, 500, 500 },
	{ "GET", V DEMO_WABA "?" ADMIN, NULL, 2, 2, 0, 500, 500 },
	/* a fault with a chosen 4xx follows the profile as well */
};

static void
run_triggers(bool classic)
{
	struct json_object *before = state();
	size_t i;

	for (i = 0; i < sizeof(triggers) / sizeof(triggers[0]); i++) {
		const struct trigger *t = &triggers[i];
		long want = classic ? t->st_classic : t->st_default;
		struct http_resp r;

		if (t->fault != 0)
			inject_fault(t->fault);
		req(t->method, t->path, t->form, NULL, &r);
		ck_assert_msg(r.status == want &&
		        jint(r.json, "error.code") == t->code &&
		        (t->subcode == 0 ?
		                jget(r.json, "error.error_subcode") == NULL :
		                jint(r.json, "error.error_subcode") ==
		                    t->subcode),
		    "row %zu (%s %s): HTTP %ld, want %ld (%s profile): %s", i,
		    t->method, t->path, r.status, want,
		    classic ? "classic" : "default", r.body);
		http_resp_free(&r);
	}
	STATE_UNCHANGED(before);
}

START_TEST(test_profile_default)
{
	run_triggers(false);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

START_TEST(test_profile_classic)
{
	struct http_resp r;

	run_triggers(true);
	/* a fault's own 4xx folds to 400 too */
	control("POST", "/_emulator/faults",
	    "{\"match\":{\"path\":\"*\"},"
	    "\"error\":{\"code\":4,\"message\":\"(#4) Application request "
	    "limit reached\",\"status\":429},\"times\":1}",
	    &r);
	http_resp_free(&r);
	get(V DEMO_WABA "?" ADMIN, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_int_eq(jint(r.json, "error.code"), 4);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* --status-profile classic with the flags the table cannot use. */
START_TEST(test_profile_classic_flags)
{
	struct json_object *before = state();
	struct http_resp r;

	get(V DEMO_WABA_NOPHONES "?" ADMIN, &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	get(V DEMO_WABA_NOPHONES "?" ADMIN, &r);
	EXPECT_TRANSIENT(&r, 400, 80008, 2446079, "OAuthException", MSG_RATE);
	http_resp_free(&r);
	post(V DEMO_WABA "/phone_numbers?" ADMIN,
	    "cc=1&phone_number=5550107777&verified_name=X", &r);
	EXPECT_ERROR(&r, 400, 300, 0, "OAuthException",
	    "(#300) Edit failure: the emulator is read-only");
	http_resp_free(&r);
	get(V DEMO_WABA "?" AT "nonsense", &r);
	EXPECT_ERROR(&r, 400, 190, 0, "OAuthException",
	    "Invalid OAuth access token - Cannot parse access token");
	http_resp_free(&r);
	STATE_UNCHANGED(before);
	ck_assert_int_eq(server_stop(&S), 0);
}
END_TEST

/* ---- 100: input validation ---------------------------------------------- */

#define USERS V DEMO_WABA "/assigned_users?" ADMIN
#define PHONES V DEMO_WABA "/phone_numbers?" ADMIN
#define NUL_IN(p) "(#100) Param " p " must not contain a NUL character"

/*
 * A NUL would cut a value where C reads it: "3…2%00x" would be the user
 * "3…2".  Each way a value arrives is refused, and nothing changes.
 */
START_TEST(test_100_nul_in_values)
{
	struct json_object *before = state();
	struct http_resp r;

	post(USERS, "user=" DEMO_NOACCESS_USER "%00x&tasks=MANAGE", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException", NUL_IN("user"));
	http_resp_free(&r);
	post(USERS,
	    "user=" DEMO_NOACCESS_USER "&tasks=%5B%22MANAGE%5Cu0000x%22%5D",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException", NUL_IN("tasks"));
	http_resp_free(&r);
	req("POST", USERS,
	    "{\"user\":\"" DEMO_NOACCESS_USER "\\u0000\","
	    "\"tasks\":[\"MANAGE\"]}",
	    "application/json", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException", NUL_IN("user"));
	http_resp_free(&r);
	req("POST", USERS,
	    "{\"user\":\"" DEMO_NOACCESS_USER "\","
	    "\"tasks\":[\"MANAGE\\u0000\"]}",
	    "application/json", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException", NUL_IN("tasks"));
	http_resp_free(&r);
	post(V DEMO_WABA "/assigned_users%00x?" ADMIN,
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) The request path must not contain a NUL character");
	http_resp_free(&r);
	STATE_UNCHANGED(before);

	get(V DEMO_WABA "?" ADMIN "%00junk", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException", NUL_IN("access_token"));
	http_resp_free(&r);
	get(V DEMO_WABA "%00?" ADMIN, &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) The request path must not contain a NUL character");
	http_resp_free(&r);
}
END_TEST

#define NOT_AN_ID(p, v) \
	"(#100) Param " p " must be an id (1 to 18 " \
	"digits, not starting with 0), got \"" v "\""

/* An id parameter is written as a path's id is: "03…" is not "3…". */
START_TEST(test_100_id_parameters)
{
	static const char *const bad[] = {
		"0" DEMO_NOACCESS_USER,
		"%2B" DEMO_NOACCESS_USER,
		"%20" DEMO_NOACCESS_USER,
		DEMO_NOACCESS_USER "%20",
		"1234567890123456789",
		"0",
		"-1",
	};
	static const char *const shown[] = {
		"0" DEMO_NOACCESS_USER,
		"+" DEMO_NOACCESS_USER,
		" " DEMO_NOACCESS_USER,
		DEMO_NOACCESS_USER " ",
		"1234567890123456789",
		"0",
		"-1",
	};
	struct json_object *before = state();
	struct http_resp r;
	char body[128], want[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "user=%s&tasks=MANAGE", bad[i]);
		snprintf(want, sizeof(want),
		    "(#100) Param user must be an id "
		    "(1 to 18 digits, not starting with 0), got \"%s\"",
		    shown[i]);
		post(USERS, body, &r);
		EXPECT_ERROR(&r, 400, 100, 0, "OAuthException", want);
		http_resp_free(&r);
	}
	/* a removal by a misspelt id removes nothing */
	del(USERS "&user=0" DEMO_EMPLOYEE_USER, &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    NOT_AN_ID("user", "0" DEMO_EMPLOYEE_USER));
	http_resp_free(&r);
	STATE_UNCHANGED(before);

	get(USERS "&business=0" DEMO_BUSINESS, &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    NOT_AN_ID("business", "0" DEMO_BUSINESS));
	http_resp_free(&r);
	get(V DEMO_WABA "?fields=assigned_users&business=0" DEMO_BUSINESS
	                "&" ADMIN,
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    NOT_AN_ID("business", "0" DEMO_BUSINESS));
	http_resp_free(&r);
	/* the one spelling still works */
	get(USERS "&business=" DEMO_BUSINESS, &r);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
}
END_TEST

/* verified_name is a display name; preverified_id an id. */
START_TEST(test_100_phone_create_parameters)
{
	struct json_object *before = state();
	struct http_resp r;
	char sb[4096];
	size_t n;
	int i;

	post(PHONES, "cc=1&phone_number=5550109001&verified_name=%20%20", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param verified_name must not be blank");
	http_resp_free(&r);
	/* U+00A0 and U+3000 are spaces too */
	post(PHONES,
	    "cc=1&phone_number=5550109001&verified_name="
	    "%C2%A0%E3%80%80",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param verified_name must not be blank");
	http_resp_free(&r);
	post(PHONES, "cc=1&phone_number=5550109001&verified_name=Shop%0AX", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param verified_name must not contain control characters");
	http_resp_free(&r);
	post(PHONES, "cc=1&phone_number=5550109001&verified_name=Shop%C2%85",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param verified_name must not contain control characters");
	http_resp_free(&r);
	req("POST", PHONES,
	    "{\"cc\":\"1\",\"phone_number\":\"5550109001\","
	    "\"verified_name\":5}",
	    "application/json", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param verified_name must be a string, got 5");
	http_resp_free(&r);
	req("POST", PHONES,
	    "{\"cc\":\"1\",\"phone_number\":\"5550109001\","
	    "\"verified_name\":[\"Shop\"]}",
	    "application/json", &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param verified_name must be a string, got [\"Shop\"]");
	http_resp_free(&r);
	n = (size_t)snprintf(sb, sizeof(sb),
	    "cc=1&phone_number=5550109001&verified_name=");
	for (i = 0; i < 257; i++)
		n += (size_t)snprintf(sb + n, sizeof(sb) - n, "%%C3%%A9");
	post(PHONES, sb, &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param verified_name is too long: at most 256 characters, "
	    "got 257");
	http_resp_free(&r);
	post(PHONES,
	    "cc=1&phone_number=5550109001&verified_name=Shop"
	    "&preverified_id=abc",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    NOT_AN_ID("preverified_id", "abc"));
	http_resp_free(&r);
	post(PHONES,
	    "cc=1&phone_number=5550109001&verified_name=Shop"
	    "&preverified_id=0123",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    NOT_AN_ID("preverified_id", "0123"));
	http_resp_free(&r);
	STATE_UNCHANGED(before);

	/* 256 characters, and a preverified id, are fine */
	n = (size_t)snprintf(sb, sizeof(sb),
	    "cc=1&phone_number=5550109001"
	    "&preverified_id=123&fields=verified_name,is_preverified_number"
	    "&verified_name=");
	for (i = 0; i < 256; i++)
		n += (size_t)snprintf(sb + n, sizeof(sb) - n, "%%C3%%A9");
	post(PHONES, sb, &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	ck_assert_uint_eq(strlen(jstr(r.json, "verified_name")), 512);
	ck_assert(
	    json_object_get_boolean(jget(r.json, "is_preverified_number")));
	http_resp_free(&r);
}
END_TEST

#define PHONE_LIST V DEMO_WABA "/phone_numbers?" ADMIN "&filtering="

/* A filter is {field, operator, value}: more keys, or a NUL, is refused. */
START_TEST(test_100_filtering_shape)
{
	struct http_resp r;

	get(PHONE_LIST "%5B%7B%22field%22:%22account_mode%22,%22operator%22:"
	               "%22EQUAL%22,%22value%22:%22LIVE%22,%22limit%22:1%7D%5D",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param "
	    "filtering[0] has an unknown key \"limit\": a filter has only "
	    "field, operator and value");
	http_resp_free(&r);
	get(PHONE_LIST "%5B%7B%22field%22:%22account_mode%22,%22operator%22:"
	               "%22EQUAL%22,%22value%22:%22LIVE%5Cu0000x%22%7D%5D",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param "
	    "filtering[0] must not contain a NUL character");
	http_resp_free(&r);
	get(PHONE_LIST "%5B%7B%22field%22:true,%22operator%22:"
	               "%22EQUAL%22,%22value%22:%22LIVE%22%7D%5D",
	    &r);
	EXPECT_ERROR(&r, 400, 100, 0, "OAuthException",
	    "(#100) Param "
	    "filtering[0].field must be a string - got \"true\"");
	http_resp_free(&r);
	/* the same filter without the extra key is fine */
	get(PHONE_LIST "%5B%7B%22field%22:%22account_mode%22,%22operator%22:"
	               "%22EQUAL%22,%22value%22:%22LIVE%22%7D%5D",
	    &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	http_resp_free(&r);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("errors");
	TCase *tc;

	tc = harness_tcase("default profile", setup_default, teardown);
	tcase_add_test(tc, test_100_missing_parameter);
	tcase_add_test(tc, test_100_bad_enum_names_allowed_values);
	tcase_add_test(tc, test_100_bad_boolean);
	tcase_add_test(tc, test_100_unsupported_filter);
	tcase_add_test(tc, test_100_batch_over_50);
	tcase_add_test(tc, test_100_bad_limit_and_cursor);
	tcase_add_test(tc, test_100_nonexisting_field);
	tcase_add_test(tc, test_100_33_names_the_method);
	tcase_add_test(tc, test_100_appsecret_proof);
	tcase_add_test(tc, test_102_session_key);
	tcase_add_test(tc, test_104_no_token);
	tcase_add_test(tc, test_104_before_the_path);
	tcase_add_test(tc, test_190_unknown_token);
	tcase_add_test(tc, test_190_460_467_token_states);
	tcase_add_test(tc, test_190_463_expired_fixture_token);
	tcase_add_test(tc, test_190_463_minted_token_expires_on_the_clock);
	tcase_add_test(tc, test_190_463_expired_by_state);
	tcase_add_test(tc, test_200_missing_scope);
	tcase_add_test(tc, test_200_granular_target_excluded);
	tcase_add_test(tc, test_200_no_role_or_task);
	tcase_add_test(tc, test_200_employee_write_without_task);
	tcase_add_test(tc, test_200_app_token_on_a_waba);
	tcase_add_test(tc, test_368_restricted_business);
	tcase_add_test(tc, test_2500_unknown_path_components);
	tcase_add_test(tc, test_2500_fields_syntax);
	tcase_add_test(tc, test_200000_number_on_another_waba);
	tcase_add_test(tc, test_200000_waba_at_its_limit);
	tcase_add_test(tc, test_200005_no_insights);
	tcase_add_test(tc, test_200008_no_phone_numbers);
	tcase_add_test(tc, test_1_2_injected_faults);
	tcase_add_test(tc, test_suppress_http_code);
	tcase_add_test(tc, test_profile_default);
	tcase_add_test(tc, test_100_nul_in_values);
	tcase_add_test(tc, test_100_id_parameters);
	tcase_add_test(tc, test_100_phone_create_parameters);
	tcase_add_test(tc, test_100_filtering_shape);
	suite_add_tcase(su, tc);

	tc = harness_tcase("read-only", setup_read_only, teardown);
	tcase_add_test(tc, test_300_read_only);
	suite_add_tcase(su, tc);

	tc = harness_tcase("rate limit 3", setup_rate_limited, teardown);
	tcase_add_test(tc, test_80008_rate_limit);
	suite_add_tcase(su, tc);

	tc = harness_tcase("classic profile", setup_classic, teardown);
	tcase_add_test(tc, test_profile_classic);
	suite_add_tcase(su, tc);

	tc = harness_tcase("classic, rate limit 1, read-only",
	    setup_classic_flags, teardown);
	tcase_add_test(tc, test_profile_classic_flags);
	suite_add_tcase(su, tc);
	return suite_run(su);
}
