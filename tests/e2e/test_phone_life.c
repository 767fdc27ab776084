/*
 * test_phone_life.c - a phone number's life through the real binary:
 * from POST phone_numbers to CONNECTED and back to DISCONNECTED with the
 * code read from the control plane, every error of the registration flow
 * (each limit reached and passed on the emulator clock), the two-step
 * PIN, display-name review and its events, the business profile, the
 * settings, the control plane's quality / limit changes, and the rate
 * limit that follows registration.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../receiver.h"
#include "../suite.h"
#include "harness.h"

#define V "/v24.0/"
#define AT "access_token="
#define ADMIN AT TOK_ADMIN
#define CONNECTED_PHONE DEMO_PHONE /* CONNECTED, VERIFIED, no PIN */

static struct json_object *
call(const struct server *s, const char *method, const char *path,
    const char *body, long want)
{
	struct http_resp r;
	struct json_object *o;

	ck_assert_int_eq(http_req(s, method, path, body, NULL, NULL, &r), 0);
	ck_assert_msg(r.status == want, "%s %s %s: %ld %s", method, path,
	    body ? body : "", r.status, r.body);
	o = json_object_get(r.json);
	http_resp_free(&r);
	return o;
}

/* A Graph POST that must succeed with {"success":true}. */
static void
post_ok(const struct server *s, const char *path, const char *form)
{
	struct json_object *o = call(s, "POST", path, form, 200);

	ck_assert_msg(jeq(o, "{\"success\":true}"), "%s: %s", path,
	    json_object_to_json_string(o));
	json_object_put(o);
}

/* A Graph POST that must fail with code / subcode (0: none). */
static struct json_object *
post_err(const struct server *s, const char *path, const char *form, int code,
    int subcode)
{
	struct json_object *o = call(s, "POST", path, form, 400);

	ck_assert_msg(jint(o, "error.code") == code, "%s %s: %s", path, form,
	    json_object_to_json_string(o));
	if (subcode != 0)
		ck_assert_int_eq(jint(o, "error.error_subcode"), subcode);
	else
		ck_assert_ptr_null(jget(o, "error.error_subcode"));
	ck_assert_str_ne(jstr(o, "error.fbtrace_id"), "");
	return o;
}

static void
post_fail(const struct server *s, const char *path, const char *form, int code,
    int subcode)
{
	json_object_put(post_err(s, path, form, code, subcode));
}

static struct json_object *
phone(const struct server *s, const char *id, const char *fields)
{
	char path[256];

	snprintf(path, sizeof(path), V "%s?fields=%s&" ADMIN, id, fields);
	return call(s, "GET", path, NULL, 200);
}

#define STATE_FIELDS \
	"status,code_verification_status,platform_type," \
	"throughput"

/* The number's state row, as section 9's table has it. */
static void
expect_state(const struct server *s, const char *id, const char *status,
    const char *cvs, const char *platform, const char *level)
{
	struct json_object *p = phone(s, id, STATE_FIELDS);
	char want[256];

	snprintf(want, sizeof(want),
	    "{\"status\":\"%s\","
	    "\"code_verification_status\":\"%s\",\"platform_type\":\"%s\","
	    "\"throughput\":{\"level\":\"%s\"},\"id\":\"%s\"}",
	    status, cvs, platform, level, id);
	ck_assert_msg(jeq(p, want), "%s", json_object_to_json_string(p));
	json_object_put(p);
}

/* Adds a number to a WABA with POST phone_numbers; *id is its id. */
static void
add_number(const struct server *s, const char *waba, const char *number,
    char id[32])
{
	char path[128], form[160];
	struct json_object *o;

	snprintf(path, sizeof(path), V "%s/phone_numbers?" ADMIN, waba);
	snprintf(form, sizeof(form),
	    "cc=1&phone_number=%s&"
	    "verified_name=Fern+Books",
	    number);
	o = call(s, "POST", path, form, 200);
	snprintf(id, 32, "%s", jstr(o, "id"));
	json_object_put(o);
}

static struct json_object *
codes(const struct server *s, const char *id)
{
	char path[128];

	snprintf(path, sizeof(path), "/_emulator/phone_numbers/%s/codes", id);
	return call(s, "GET", path, NULL, 200);
}

/* V "{id}/{edge}?access_token=admin" (edge NULL: the node), in one of
 * four rotating buffers so that a call may use two. */
static const char *
at(const char *id, const char *e)
{
	static char bufs[4][160];
	static int k;
	char *b = bufs[k++ % 4];

	snprintf(b, sizeof(bufs[0]), V "%s%s%s?" ADMIN, id, e ? "/" : "",
	    e ? e : "");
	return b;
}

/* ---- the flow ------------------------------------------------------ */

START_TEST(test_full_flow)
{
	struct server s;
	struct json_object *c, *o;
	char id[32], form[64];

	ck_assert_int_eq(server_start(&s, NULL), 0);
	add_number(&s, DEMO_WABA_NOPHONES, "5550109001", id);
	expect_state(&s, id, "PENDING", "NOT_VERIFIED", "NOT_APPLICABLE",
	    "NOT_APPLICABLE");
	/* registering before verification: 100, nothing changes */
	post_fail(&s, at(id, "register"),
	    "messaging_product=whatsapp&"
	    "pin=246810",
	    100, 0);
	expect_state(&s, id, "PENDING", "NOT_VERIFIED", "NOT_APPLICABLE",
	    "NOT_APPLICABLE");
	/* no code sent yet: any code is wrong */
	post_fail(&s, at(id, "verify_code"), "code=123456", 100, 2388093);

	post_ok(&s, at(id, "request_code"), "code_method=SMS&language=en_US");
	c = codes(&s, id);
	ck_assert_uint_eq(jlen(c, "data"), 1);
	ck_assert_str_eq(jstr(c, "data.0.code_method"), "SMS");
	ck_assert_str_eq(jstr(c, "data.0.language"), "en_US");
	ck_assert_uint_eq(strlen(jstr(c, "data.0.code")), 6);
	o = ctl(&s, "GET", "/_emulator/clock", NULL, 200);
	ck_assert_int_eq(jint(c, "data.0.sent_at"), jint(o, "now"));
	json_object_put(o);

	/* a wrong code: 100 / 2388093 with Meta's user title */
	snprintf(form, sizeof(form), "code=%06d",
	    (atoi(jstr(c, "data.0.code")) + 1) % 1000000);
	o = post_err(&s, at(id, "verify_code"), form, 100, 2388093);
	ck_assert_str_eq(jstr(o, "error.error_user_title"),
	    "Code Couldn't Be Verified");
	json_object_put(o);
	expect_state(&s, id, "PENDING", "NOT_VERIFIED", "NOT_APPLICABLE",
	    "NOT_APPLICABLE");

	snprintf(form, sizeof(form), "code=%s", jstr(c, "data.0.code"));
	post_ok(&s, at(id, "verify_code"), form);
	json_object_put(c);
	expect_state(&s, id, "PENDING", "VERIFIED", "NOT_APPLICABLE",
	    "NOT_APPLICABLE");

	/* bad input to register: each a 100 that changes nothing */
	post_fail(&s, at(id, "register"),
	    "messaging_product=whatsapp&"
	    "pin=24681",
	    100, 0);
	post_fail(&s, at(id, "register"),
	    "messaging_product=whatsapp&"
	    "pin=24681x",
	    100, 0);
	post_fail(&s, at(id, "register"),
	    "messaging_product=sms&"
	    "pin=246810",
	    100, 0);
	post_fail(&s, at(id, "register"), "pin=246810", 100, 0);
	post_fail(&s, at(id, "register"),
	    "messaging_product=whatsapp&"
	    "pin=246810&data_localization_region=Germany",
	    100, 0);
	o = ctl(&s, "POST", at(id, "register"),
	    "{\"messaging_product\":\"whatsapp\",\"pin\":246810}", 400);
	ck_assert_int_eq(jint(o, "error.code"), 100);
	json_object_put(o);
	expect_state(&s, id, "PENDING", "VERIFIED", "NOT_APPLICABLE",
	    "NOT_APPLICABLE");
	o = phone(&s, id, "is_pin_enabled,certificate");
	ck_assert_ptr_null(jget(o, "certificate"));
	ck_assert(!json_object_get_boolean(jget(o, "is_pin_enabled")));
	json_object_put(o);

	post_ok(&s, at(id, "register"),
	    "messaging_product=whatsapp&"
	    "pin=246810&data_localization_region=DE");
	expect_state(&s, id, "CONNECTED", "VERIFIED", "CLOUD_API", "STANDARD");
	o = phone(&s, id, "is_pin_enabled,certificate,health_status");
	ck_assert(json_object_get_boolean(jget(o, "is_pin_enabled")));
	ck_assert_uint_gt(strlen(jstr(o, "certificate")), 8);
	ck_assert_str_eq(jstr(o, "health_status.can_send_message"),
	    "AVAILABLE");
	ck_assert_str_eq(jstr(o, "health_status.entities.0.entity_type"),
	    "PHONE_NUMBER");
	json_object_put(o);
	o = call(&s, "GET", at(id, "settings"), NULL, 200);
	ck_assert(jeq(jget(o, "storage_configuration"),
	    "{\"status\":"
	    "\"IN_COUNTRY_STORAGE_ENABLED\",\"data_localization_region\":"
	    "\"DE\"}"));
	json_object_put(o);

	/* the first registration set the PIN: another one is 133005 */
	o = post_err(&s, at(id, "register"),
	    "messaging_product=whatsapp&"
	    "pin=135790",
	    133005, 0);
	ck_assert_str_eq(jstr(o, "error.message"),
	    "(#133005) Two step verification PIN Mismatch");
	json_object_put(o);
	post_ok(&s, at(id, "register"),
	    "messaging_product=whatsapp&"
	    "pin=246810");

	post_ok(&s, at(id, "deregister"), NULL);
	expect_state(&s, id, "DISCONNECTED", "VERIFIED", "NOT_APPLICABLE",
	    "NOT_APPLICABLE");
	o = phone(&s, id, "health_status");
	ck_assert_str_eq(jstr(o, "health_status.can_send_message"), "BLOCKED");
	ck_assert_int_eq(jint(o,
	                     "health_status.entities.0.errors.0."
	                     "error_code"),
	    133010);
	json_object_put(o);
	/* and back again, with the same PIN */
	post_ok(&s, at(id, "register"),
	    "messaging_product=whatsapp&"
	    "pin=246810");
	expect_state(&s, id, "CONNECTED", "VERIFIED", "CLOUD_API", "STANDARD");
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* The codes: deterministic under the seed, five an hour on the clock. */
START_TEST(test_code_limit_and_determinism)
{
	struct server s;
	struct json_object *c, *o;
	char id[32], first[8];
	int i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	add_number(&s, DEMO_WABA_NOPHONES, "5550109002", id);
	for (i = 0; i < 5; i++)
		post_ok(&s, at(id, "request_code"),
		    i % 2 ? "code_method=VOICE&language=pt_BR" :
		            "code_method=SMS&language=en_US");
	o = post_err(&s, at(id, "request_code"),
	    "code_method=SMS&language=en_US", 136024, 2494158);
	ck_assert_str_eq(jstr(o, "error.message"), "Request code error");
	ck_assert(strstr(jstr(o, "error.error_user_msg"), "too many times"));
	json_object_put(o);
	c = codes(&s, id);
	ck_assert_uint_eq(jlen(c, "data"), 5);
	/* newest first: the fifth was SMS, the fourth VOICE */
	ck_assert_str_eq(jstr(c, "data.0.code_method"), "SMS");
	ck_assert_str_eq(jstr(c, "data.1.code_method"), "VOICE");
	ck_assert_str_eq(jstr(c, "data.1.language"), "pt_BR");
	ck_assert_int_ge(jint(c, "data.0.sent_at"), jint(c, "data.4.sent_at"));
	snprintf(first, sizeof(first), "%s", jstr(c, "data.4.code"));
	json_object_put(c);
	/* bad input: 100 and no code sent */
	post_fail(&s, at(id, "request_code"), "code_method=FAX&language=en_US",
	    100, 0);
	post_fail(&s, at(id, "request_code"), "code_method=SMS", 100, 0);
	/* an hour later the window has moved */
	ctl_advance(&s, 3600);
	post_ok(&s, at(id, "request_code"), "code_method=SMS&language=en_US");
	c = codes(&s, id);
	ck_assert_uint_eq(jlen(c, "data"), 6);
	json_object_put(c);
	ck_assert_int_eq(server_stop(&s), 0);

	/* the same seed and number send the same first code */
	ck_assert_int_eq(server_start(&s, NULL), 0);
	add_number(&s, DEMO_WABA_NOPHONES, "5550109002", id);
	post_ok(&s, at(id, "request_code"), "code_method=SMS&language=en_US");
	c = codes(&s, id);
	ck_assert_str_eq(jstr(c, "data.0.code"), first);
	json_object_put(c);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* 10 register and 10 deregister calls per 72 hours, each on its own. */
START_TEST(test_register_limit)
{
	struct server s;
	const char *reg = "messaging_product=whatsapp&pin=112233";
	struct json_object *o;
	int i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	for (i = 0; i < 10; i++)
		post_ok(&s, at(CONNECTED_PHONE, "register"), reg);
	o = post_err(&s, at(CONNECTED_PHONE, "register"), reg, 133016, 0);
	ck_assert_str_eq(jstr(o, "error.type"), "OAuthException");
	json_object_put(o);
	for (i = 0; i < 10; i++)
		post_ok(&s, at(CONNECTED_PHONE, "deregister"), NULL);
	post_fail(&s, at(CONNECTED_PHONE, "deregister"), NULL, 133016, 0);
	expect_state(&s, CONNECTED_PHONE, "DISCONNECTED", "VERIFIED",
	    "NOT_APPLICABLE", "NOT_APPLICABLE");
	/* the window moves: 72 hours after the first calls, one frees */
	/* a minute short first: the clock also runs with the machine's */
	ctl_advance(&s, 72 * 3600 - 60);
	post_fail(&s, at(CONNECTED_PHONE, "register"), reg, 133016, 0);
	ctl_advance(&s, 60);
	post_ok(&s, at(CONNECTED_PHONE, "register"), reg);
	expect_state(&s, CONNECTED_PHONE, "CONNECTED", "VERIFIED", "CLOUD_API",
	    "STANDARD");
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* MANAGE_PHONE, MANAGE_PHONE_ASSETS or MANAGE: a developer may not. */
START_TEST(test_permissions)
{
	struct server s;
	struct json_object *o;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	o = call(&s, "POST", V CONNECTED_PHONE "/deregister?" AT TOK_EMPLOYEE,
	    NULL, 403);
	ck_assert_int_eq(jint(o, "error.code"), 200);
	json_object_put(o);
	o = call(&s, "POST",
	    V CONNECTED_PHONE "/whatsapp_business_profile?" AT TOK_EMPLOYEE,
	    "messaging_product=whatsapp&about=Hi", 403);
	ck_assert_int_eq(jint(o, "error.code"), 200);
	json_object_put(o);
	expect_state(&s, CONNECTED_PHONE, "CONNECTED", "VERIFIED", "CLOUD_API",
	    "STANDARD");
	/* MANAGE on the WABA may */
	o = call(&s, "GET", V CONNECTED_PHONE "/settings?" AT TOK_MANAGER, NULL,
	    200);
	json_object_put(o);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- PIN and display name ------------------------------------------ */

static struct receiver rx;

/*
 * The value of a delivered event of field whose value has decision or
 * event `what`, waiting up to 5 s for it; fails the test when none came.
 */
static struct json_object *
event_value(const char *field, const char *what)
{
	size_t i, seen = 0;

	for (;;) {
		for (i = seen; i < rx_count(&rx); i++) {
			struct json_object *b = json_tokener_parse(
			                       rx.reqs[i].body),
			                   *v;

			v = jget(b, "entry.0.changes.0.value");
			if (b != NULL &&
			    strcmp(jstr(b, "entry.0.changes.0.field"), field) ==
			        0 &&
			    (strcmp(jstr(v, "decision"), what) == 0 ||
			        strcmp(jstr(v, "event"), what) == 0)) {
				json_object_get(v);
				json_object_put(b);
				return v;
			}
			json_object_put(b);
		}
		seen = i;
		ck_assert_msg(rx_wait(&rx, seen + 1, 5000), "no %s event %s",
		    field, what);
	}
}

START_TEST(test_pin_and_display_name)
{
	struct server s;
	struct json_object *o;
	char url[96];
	const char *args[3] = { "--webhook-url", url, NULL };

	ck_assert_int_eq(rx_start_hook(&rx, 200, url, sizeof(url)), 0);
	ck_assert_int_eq(server_start(&s, args), 0);

	post_fail(&s, at(CONNECTED_PHONE, NULL), "pin=12345", 100, 0);
	post_fail(&s, at(CONNECTED_PHONE, NULL), "", 100, 0);
	o = phone(&s, CONNECTED_PHONE, "is_pin_enabled");
	ck_assert(!json_object_get_boolean(jget(o, "is_pin_enabled")));
	json_object_put(o);
	post_ok(&s, at(CONNECTED_PHONE, NULL), "pin=654321");
	o = phone(&s, CONNECTED_PHONE, "is_pin_enabled");
	ck_assert(json_object_get_boolean(jget(o, "is_pin_enabled")));
	json_object_put(o);
	post_fail(&s, at(CONNECTED_PHONE, "register"),
	    "messaging_product=whatsapp&pin=111111", 133005, 0);
	post_ok(&s, at(CONNECTED_PHONE, "register"),
	    "messaging_product=whatsapp&pin=654321");

	/* a new name waits for review; the old one stays meanwhile */
	post_ok(&s, at(CONNECTED_PHONE, NULL),
	    "new_display_name=Jasper%27s+"
	    "Fresh+Market");
	o = phone(&s, CONNECTED_PHONE,
	    "verified_name,name_status,"
	    "new_name_status");
	ck_assert(jeq(o,
	    "{\"verified_name\":\"Jasper's Market\","
	    "\"name_status\":\"APPROVED\",\"new_name_status\":"
	    "\"PENDING_REVIEW\",\"id\":\"" CONNECTED_PHONE "\"}"));
	json_object_put(o);
	post_fail(&s, at(CONNECTED_PHONE, NULL), "new_display_name=Other", 100,
	    0);
	ctl_advance(&s, 10);
	o = phone(&s, CONNECTED_PHONE, "verified_name,new_name_status");
	ck_assert(jeq(o,
	    "{\"verified_name\":\"Jasper's Fresh Market\","
	    "\"new_name_status\":\"APPROVED\",\"id\":\"" CONNECTED_PHONE
	    "\"}"));
	json_object_put(o);

	/* the documented rule: a name using the WhatsApp brand is declined */
	post_ok(&s, at(CONNECTED_PHONE, NULL),
	    "new_display_name=Jasper+"
	    "WhatsApp+Shop");
	ctl_advance(&s, 9);
	o = phone(&s, CONNECTED_PHONE, "new_name_status");
	ck_assert_str_eq(jstr(o, "new_name_status"), "PENDING_REVIEW");
	json_object_put(o);
	ctl_advance(&s, 1);
	o = phone(&s, CONNECTED_PHONE, "verified_name,new_name_status");
	ck_assert(jeq(o,
	    "{\"verified_name\":\"Jasper's Fresh Market\","
	    "\"new_name_status\":\"DECLINED\",\"id\":\"" CONNECTED_PHONE
	    "\"}"));
	json_object_put(o);

	/* one event per decision (and per subscribed app) */
	ck_assert(rx_wait(&rx, 2, 5000));
	o = event_value("phone_number_name_update", "APPROVED");
	ck_assert(jeq(o,
	    "{\"display_phone_number\":\"15550100200\","
	    "\"decision\":\"APPROVED\",\"requested_verified_name\":"
	    "\"Jasper's Fresh Market\",\"rejection_reason\":\"NONE\"}"));
	json_object_put(o);
	o = event_value("phone_number_name_update", "REJECTED");
	ck_assert(jeq(o,
	    "{\"display_phone_number\":\"15550100200\","
	    "\"decision\":\"REJECTED\",\"requested_verified_name\":"
	    "\"Jasper WhatsApp Shop\",\"rejection_reason\":"
	    "\"NAME_USES_META_BRAND\"}"));
	json_object_put(o);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

/* ---- business profile and settings --------------------------------- */

static void
expect_profile(const struct server *s, const char *want)
{
	struct json_object *o = call(s, "GET",
	    at(CONNECTED_PHONE, "whatsapp_business_profile"), NULL, 200);

	ck_assert_msg(jeq(o, want), "%s", json_object_to_json_string(o));
	json_object_put(o);
}

START_TEST(test_business_profile)
{
	struct server s;
	struct json_object *o;
	const char *prof = at(CONNECTED_PHONE, "whatsapp_business_profile");
	char *long_about, *body;
	const char *full =
	    "{\"data\":[{\"about\":\"Fresh fruit daily\","
	    "\"address\":\"1 Market St\",\"description\":\"Since 1990.\","
	    "\"email\":\"hi@jasper.example\",\"websites\":"
	    "[\"https://jasper.example/\",\"http://jasper.example/shop\"],"
	    "\"vertical\":\"GROCERY\",\"messaging_product\":\"whatsapp\"}]}";

	ck_assert_int_eq(server_start(&s, NULL), 0);
	expect_profile(&s,
	    "{\"data\":[{\"websites\":[],"
	    "\"messaging_product\":\"whatsapp\"}]}");
	o = ctl(&s, "POST", prof,
	    "{\"messaging_product\":\"whatsapp\","
	    "\"about\":\"Fresh fruit daily\",\"address\":\"1 Market St\","
	    "\"description\":\"Since 1990.\",\"email\":\"hi@jasper.example\","
	    "\"websites\":[\"https://jasper.example/\","
	    "\"http://jasper.example/shop\"],\"vertical\":\"GROCERY\"}",
	    200);
	ck_assert(jeq(o, "{\"success\":true}"));
	json_object_put(o);
	expect_profile(&s, full);
	o = call(&s, "GET",
	    V CONNECTED_PHONE "/whatsapp_business_profile?"
	                      "fields=websites,about&" ADMIN,
	    NULL, 200);
	ck_assert(jeq(o,
	    "{\"data\":[{\"websites\":[\"https://jasper.example/"
	    "\",\"http://jasper.example/shop\"],\"about\":\"Fresh fruit daily"
	    "\",\"messaging_product\":\"whatsapp\"}]}"));
	json_object_put(o);
	o = call(&s, "GET",
	    V CONNECTED_PHONE "/whatsapp_business_profile?"
	                      "fields=about,bogus&" ADMIN,
	    NULL, 400);
	ck_assert_int_eq(jint(o, "error.code"), 100);
	json_object_put(o);

	/* each bad input: 100, and the profile stays as it was */
	long_about = malloc(141);
	memset(long_about, 'a', 140);
	long_about[140] = '\0';
	body = malloc(700);
	snprintf(body, 700, "messaging_product=whatsapp&about=%s", long_about);
	post_fail(&s, prof, body, 100, 0);
	long_about[139] = '\0'; /* 139 is the most */
	snprintf(body, 700,
	    "messaging_product=whatsapp&about=%s&"
	    "description=",
	    long_about);
	post_ok(&s, prof, body);
	o = call(&s, "GET", prof, NULL, 200);
	ck_assert_str_eq(jstr(o, "data.0.about"), long_about);
	ck_assert_ptr_null(jget(o, "data.0.description"));
	json_object_put(o);
	post_ok(&s, prof,
	    "messaging_product=whatsapp&about=Fresh+fruit+daily&"
	    "description=Since+1990.");
	memset(body, 'd', 39 + 513);
	memcpy(body, "messaging_product=whatsapp&description=", 39);
	body[39 + 513] = '\0';
	post_fail(&s, prof, body, 100, 0);
	post_fail(&s, prof, "messaging_product=whatsapp&about=", 100, 0);
	post_fail(&s, prof, "messaging_product=whatsapp&vertical=BOGUS", 100,
	    0);
	post_fail(&s, prof, "messaging_product=whatsapp&email=not-an-email",
	    100, 0);
	post_fail(&s, prof,
	    "messaging_product=whatsapp&websites=["
	    "\"https://a.example\",\"https://b.example\",\"https://c.example\"]",
	    100, 0);
	post_fail(&s, prof,
	    "messaging_product=whatsapp&websites=ftp://a.example", 100, 0);
	post_fail(&s, prof, "about=Hi", 100, 0);
	o = ctl(&s, "POST", prof,
	    "{\"messaging_product\":\"whatsapp\","
	    "\"about\":42}",
	    400);
	ck_assert_int_eq(jint(o, "error.code"), 100);
	json_object_put(o);
	expect_profile(&s, full);
	free(long_about);
	free(body);

	/* the profile travels with the state */
	o = call(&s, "GET", "/_emulator/state", NULL, 200);
	body = strdup(json_object_to_json_string(o));
	json_object_put(o);
	json_object_put(ctl(&s, "POST", "/_emulator/reset", NULL, 200));
	expect_profile(&s,
	    "{\"data\":[{\"websites\":[],"
	    "\"messaging_product\":\"whatsapp\"}]}");
	json_object_put(ctl(&s, "PUT", "/_emulator/state", body, 200));
	free(body);
	expect_profile(&s, full);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_settings)
{
	struct server s;
	struct json_object *o;
	const char *set = at(CONNECTED_PHONE, "settings");
	const char
	    *dflt = "{\"calling\":{\"status\":\"DISABLED\","
	            "\"call_icon_visibility\":\"DEFAULT\","
	            "\"callback_permission_status\":\"DISABLED\"},"
	            "\"storage_configuration\":{\"status\":\"DEFAULT\"}}";

	ck_assert_int_eq(server_start(&s, NULL), 0);
	o = call(&s, "GET", set, NULL, 200);
	ck_assert(jeq(o, dflt));
	json_object_put(o);
	post_fail(&s, set, "colour=blue", 100, 0);
	o = ctl(&s, "POST", set, "{\"calling\":{\"status\":\"ON\"}}", 400);
	ck_assert_int_eq(jint(o, "error.code"), 100);
	json_object_put(o);
	o = ctl(&s, "POST", set,
	    "{\"calling\":{\"status\":\"ENABLED\","
	    "\"ringtone\":\"loud\"}}",
	    400);
	ck_assert_int_eq(jint(o, "error.code"), 100);
	json_object_put(o);
	o = ctl(&s, "POST", set, "{\"calling\":\"yes\"}", 400);
	ck_assert_int_eq(jint(o, "error.code"), 100);
	json_object_put(o);
	o = call(&s, "GET", set, NULL, 200);
	ck_assert(jeq(o, dflt));
	json_object_put(o);
	o = ctl(&s, "POST", set,
	    "{\"calling\":{\"status\":\"ENABLED\","
	    "\"call_icon_visibility\":\"DISABLE_ALL\"}}",
	    200);
	ck_assert(jeq(o, "{\"success\":true}"));
	json_object_put(o);
	o = call(&s, "GET", set, NULL, 200);
	ck_assert(jeq(jget(o, "calling"),
	    "{\"status\":\"ENABLED\","
	    "\"call_icon_visibility\":\"DISABLE_ALL\","
	    "\"callback_permission_status\":\"DISABLED\"}"));
	json_object_put(o);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- the control plane: quality rating and messaging limit --------- */

START_TEST(test_quality_and_limit)
{
	struct server s;
	struct json_object *o, *g;
	char url[96];
	const char *args[3] = { "--webhook-url", url, NULL };
	const char *cpath = "/_emulator/phone_numbers/" CONNECTED_PHONE;

	ck_assert_int_eq(rx_start_hook(&rx, 200, url, sizeof(url)), 0);
	rx_set_status(&rx, 200);
	ck_assert_int_eq(server_start(&s, args), 0);
	o = phone(&s, CONNECTED_PHONE,
	    "whatsapp_business_manager_messaging_"
	    "limit,messaging_limit_tier,quality_rating");
	ck_assert(jeq(o,
	    "{\"whatsapp_business_manager_messaging_limit\":"
	    "\"TIER_250\",\"messaging_limit_tier\":\"TIER_250\","
	    "\"quality_rating\":\"GREEN\",\"id\":\"" CONNECTED_PHONE "\"}"));
	json_object_put(o);

	/* bad input: 400 and nothing changes, no event */
	json_object_put(
	    ctl(&s, "POST", cpath, "{\"quality_rating\":\"PURPLE\"}", 400));
	json_object_put(
	    ctl(&s, "POST", cpath, "{\"messaging_limit\":\"TIER_7\"}", 400));
	json_object_put(ctl(&s, "POST", cpath, "{\"tier\":\"TIER_1K\"}", 400));
	json_object_put(ctl(&s, "POST",
	    "/_emulator/phone_numbers/5999999999999999", "{}", 404));

	o = ctl(&s, "POST", cpath, "{\"messaging_limit\":\"TIER_10K\"}", 200);
	g = call(&s, "GET", at(CONNECTED_PHONE, NULL), NULL, 200);
	ck_assert_msg(json_object_equal(o, g), "%s vs %s",
	    json_object_to_json_string(o), json_object_to_json_string(g));
	json_object_put(g);
	json_object_put(o);
	o = ctl(&s, "POST", cpath, "{\"quality_rating\":\"RED\"}", 200);
	ck_assert_str_eq(jstr(o, "quality_rating"), "RED");
	json_object_put(o);
	o = phone(&s, CONNECTED_PHONE,
	    "whatsapp_business_manager_messaging_"
	    "limit,health_status");
	ck_assert_str_eq(jstr(o, "whatsapp_business_manager_messaging_limit"),
	    "TIER_10K");
	ck_assert_str_eq(jstr(o, "health_status.can_send_message"), "LIMITED");
	json_object_put(o);

	o = event_value("phone_number_quality_update", "UPGRADE");
	ck_assert(jeq(o,
	    "{\"display_phone_number\":\"15550100200\","
	    "\"event\":\"UPGRADE\",\"old_limit\":\"TIER_250\","
	    "\"current_limit\":\"TIER_10K\","
	    "\"max_daily_conversations_per_business\":10000}"));
	json_object_put(o);
	o = event_value("phone_number_quality_update", "FLAGGED");
	ck_assert_str_eq(jstr(o, "current_limit"), "TIER_10K");
	json_object_put(o);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

/* ---- registration feeds the rate limit ----------------------------- */

static const char *const small_args[] = { "--rate-limit", "3",
	"--rate-limit-active", "6", NULL };

static long
waba_get(const struct server *s)
{
	struct http_resp r;
	long st;

	ck_assert_int_eq(http_get(s, V DEMO_WABA_NOPHONES "?" ADMIN, &r), 0);
	st = r.status;
	http_resp_free(&r);
	return st;
}

START_TEST(test_registration_feeds_rate_limit)
{
	struct server s;
	struct json_object *c;
	char id[32], form[32];
	int i;

	ck_assert_int_eq(server_start(&s, small_args), 0);
	add_number(&s, DEMO_WABA_NOPHONES, "5550109003", id);
	post_ok(&s, at(id, "request_code"), "code_method=SMS&language=en_US");
	c = codes(&s, id);
	snprintf(form, sizeof(form), "code=%s", jstr(c, "data.0.code"));
	json_object_put(c);
	post_ok(&s, at(id, "verify_code"), form);
	post_ok(&s, at(id, "register"),
	    "messaging_product=whatsapp&"
	    "pin=101010");
	/* a CONNECTED number: the higher limit, 6 an hour */
	for (i = 1; i <= 4; i++)
		ck_assert_int_eq(waba_get(&s), 200);
	/* deregistered, the WABA is back to 3, which 4 calls exceed */
	post_ok(&s, at(id, "deregister"), NULL);
	ck_assert_int_eq(waba_get(&s), 429);
	post_ok(&s, at(id, "register"),
	    "messaging_product=whatsapp&"
	    "pin=101010");
	ck_assert_int_eq(waba_get(&s), 200);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("phone_life");
	TCase *tc = harness_tcase("phone_life", NULL, NULL);

	tcase_add_test(tc, test_full_flow);
	tcase_add_test(tc, test_code_limit_and_determinism);
	tcase_add_test(tc, test_register_limit);
	tcase_add_test(tc, test_permissions);
	tcase_add_test(tc, test_pin_and_display_name);
	tcase_add_test(tc, test_business_profile);
	tcase_add_test(tc, test_settings);
	tcase_add_test(tc, test_quality_and_limit);
	tcase_add_test(tc, test_registration_feeds_rate_limit);
	suite_add_tcase(su, tc);
	return suite_run(su);
}
