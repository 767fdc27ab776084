/*
 * test_fixtures.c - fixture documents: the demo fixture and its defaults,
 * one failing case per validation rule (the JSON path in the message, the
 * store unchanged), the broken files of fixtures/broken/, generated ids,
 * replace, and phone_display().
 */
#include <check.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "phone.h"
#include "store.h"
#include "util.h"
#include "suite.h"

#define NOW 1750000000
#define SEED 11

/* fixtures/ relative to this file, as the compiler was given it; meson
 * test runs from the build root, where that path resolves. */
static char *
fixture_path(const char *name)
{
	const char *file = __FILE__, *slash = strrchr(file, '/');
	int dir = slash ? (int)(slash - file) : 1;

	return xasprintf("%.*s/../fixtures/%s", dir, slash ? file : ".", name);
}

static struct json_object *
J(const char *s)
{
	struct json_object *o = json_tokener_parse(s);

	ck_assert_msg(o != NULL, "bad test JSON: %s", s);
	return o;
}

static struct store *
open_mem(void)
{
	char *cause = NULL;
	struct store *st = store_open(":memory:", SEED, &cause);

	ck_assert_msg(st != NULL, "store_open: %s", cause ? cause : "?");
	return st;
}

static struct store *
demo_store(void)
{
	struct store *st = open_mem();
	struct fixture_error fe;

	ck_assert_msg(fixtures_apply_text(st, demo_fixture_json,
	                  demo_fixture_json_len, "demo.json", NOW, &fe) == 0,
	    "%s", fe.message);
	return st;
}

static void
assert_json_eq(struct json_object *got, struct json_object *want)
{
	ck_assert_msg(json_object_equal(got, want), "got %s\nwant %s",
	    json_object_to_json_string(got), json_object_to_json_string(want));
}

static void
assert_json_text(struct json_object *got, const char *want_text)
{
	struct json_object *want = J(want_text);

	assert_json_eq(got, want);
	json_object_put(want);
}

static size_t
count(struct json_object *doc, const char *table)
{
	return json_object_array_length(json_object_object_get(doc, table));
}

static const char *
str(struct json_object *row, const char *key)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(row, key, &v), "no %s in %s",
	    key, json_object_to_json_string(row));
	return json_object_get_string(v);
}

static int64_t
num(struct json_object *row, const char *key)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(row, key, &v), "no %s", key);
	return json_object_get_int64(v);
}

START_TEST(test_demo_counts)
{
	struct store *st = demo_store();
	struct json_object *doc = store_export(st);

	ck_assert_int_eq(count(doc, "apps"), 2);
	ck_assert_int_eq(count(doc, "businesses"), 3);
	ck_assert_int_eq(count(doc, "users"), 6);
	ck_assert_int_eq(count(doc, "tokens"), 13);
	ck_assert_int_eq(count(doc, "wabas"), 5);
	ck_assert_int_eq(count(doc, "phone_numbers"), 6);
	ck_assert_int_eq(count(doc, "assignments"), 3);
	ck_assert_int_eq(count(doc, "shares"), 1);
	ck_assert_int_eq(count(doc, "templates"), 1);
	ck_assert(!json_object_object_get_ex(doc, "about", NULL));
	ck_assert_int_eq(store_node_type(st, 4000000000000001LL), NODE_WABA);
	ck_assert_int_eq(store_node_type(st, 1000000000000002LL), NODE_APP);
	json_object_put(doc);
	store_close(st);
}
END_TEST

START_TEST(test_demo_values)
{
	struct store *st = demo_store();
	struct json_object *r;
	char *ns;
	size_t i;

	r = store_get(st, TBL_APPS, 1000000000000002LL);
	ck_assert(json_object_get_boolean(
	    json_object_object_get(r, "require_appsecret_proof")));
	json_object_put(r);
	r = store_get(st, TBL_BUSINESSES, 2000000000000003LL);
	ck_assert_str_eq(str(r, "country"), "US");
	ck_assert(
	    json_object_get_boolean(json_object_object_get(r, "restricted")));
	json_object_put(r);
	r = store_get(st, TBL_BUSINESSES, 2000000000000002LL);
	ck_assert_str_eq(str(r, "verification_status"), "not_verified");
	json_object_put(r);

	r = store_get(st, TBL_WABAS, 4000000000000001LL);
	ck_assert_str_eq(str(r, "purchase_order_number"), "PO-1001");
	ck_assert(json_object_get_boolean(
	    json_object_object_get(r, "is_enabled_for_insights")));
	ck_assert(!json_object_object_get_ex(r, "phone_number_limit", NULL));
	ns = xstrdup(str(r, "message_template_namespace"));
	ck_assert_int_eq(strlen(ns), 13);
	ck_assert_int_eq(ns[8], '_');
	for (i = 0; i < 13; i++)
		ck_assert(i == 8 || strchr("0123456789abcdef", ns[i]) != NULL);
	json_object_put(r);
	r = store_get(st, TBL_WABAS, 4000000000000002LL);
	ck_assert_str_eq(str(r, "currency"), "USD");
	ck_assert_str_eq(str(r, "timezone_id"), "1");
	ck_assert_str_eq(str(r, "account_review_status"), "APPROVED");
	ck_assert_str_eq(str(r, "status"), "ACTIVE");
	ck_assert(strcmp(str(r, "message_template_namespace"), ns) != 0);
	free(ns);
	json_object_put(r);
	r = store_get(st, TBL_WABAS, 4000000000000003LL);
	ck_assert_str_eq(str(r, "country"), "GB");
	ck_assert_str_eq(str(r, "timezone_id"), "49");
	ck_assert_str_eq(
	    str(json_object_object_get(r, "on_behalf_of_business_info"),
	        "type"),
	    "PARTNER");
	json_object_put(r);
	r = store_get(st, TBL_WABAS, 4000000000000005LL);
	ck_assert_int_eq(num(r, "phone_number_limit"), 2);
	json_object_put(r);

	r = store_get(st, TBL_PHONE_NUMBERS, 5000000000000001LL);
	ck_assert_str_eq(str(r, "display_phone_number"), "+1 555-010-0200");
	ck_assert_str_eq(str(r, "throughput_level"), "STANDARD");
	ck_assert_str_eq(str(r, "name_status"), "APPROVED");
	ck_assert_str_eq(str(r, "account_mode"), "LIVE");
	ck_assert_int_eq(num(r, "last_onboarded_time"), 1700000000);
	json_object_put(r);
	r = store_get(st, TBL_PHONE_NUMBERS, 5000000000000003LL);
	ck_assert_str_eq(str(r, "display_phone_number"), "+44 770 090 0123");
	ck_assert_str_eq(str(r, "account_mode"), "SANDBOX");
	json_object_put(r);
	r = store_get(st, TBL_PHONE_NUMBERS, 5000000000000005LL);
	ck_assert_str_eq(str(r, "platform_type"), "NOT_APPLICABLE");
	ck_assert_str_eq(str(r, "throughput_level"), "NOT_APPLICABLE");
	ck_assert_str_eq(str(r, "name_status"), "PENDING_REVIEW");
	json_object_put(r);

	r = store_get_token(st, "EAAdemoAdmin");
	assert_json_text(json_object_object_get(r, "scopes"),
	    "[\"whatsapp_business_management\",\"business_management\"]");
	ck_assert_str_eq(str(r, "state"), "valid");
	ck_assert_int_eq(num(r, "expires_at"), 0);
	ck_assert_int_eq(num(r, "issued_at"), 1700000000);
	json_object_put(r);
	r = store_get_token(st, "EAAdemoExpired");
	ck_assert_int_eq(num(r, "expires_at"), 1700000000);
	json_object_put(r);
	r = store_get_token(st, "EAAdemoSecure");
	ck_assert_str_eq(str(r, "app"), "1000000000000002");
	json_object_put(r);
	r = store_get_token(st, "EAAdemoGranular");
	assert_json_text(json_object_object_get(r, "granular_scopes"),
	    "[{\"scope\":\"whatsapp_business_management\","
	    "\"target_ids\":[\"4000000000000002\"]}]");
	assert_json_text(json_object_object_get(r, "scopes"),
	    "[\"whatsapp_business_management\"]");
	json_object_put(r);
	r = store_get_token(st, "EAAdemoSessionKey");
	ck_assert_str_eq(str(r, "state"), "session_key_invalid");
	json_object_put(r);

	r = store_share(st, 4000000000000003LL, 2000000000000001LL);
	ck_assert_int_eq(json_object_array_length(
	                     json_object_object_get(r, "permitted_tasks")),
	    2);
	json_object_put(r);
	r = store_assignment(st, 4000000000000002LL, 3000000000000003LL);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(
	                     json_object_object_get(r, "tasks"), 0)),
	    "MANAGE_PHONE");
	json_object_put(r);
	store_close(st);
}
END_TEST

/* The embedded demo is fixtures/demo.json. */
START_TEST(test_demo_file_matches_embedded)
{
	struct store *a = demo_store(), *b = open_mem();
	char *path = fixture_path("demo.json");
	struct fixture_error fe;
	struct json_object *da, *db;

	ck_assert_msg(fixtures_apply_file(b, path, NOW, &fe) == 0, "%s",
	    fe.message);
	da = store_export(a);
	db = store_export(b);
	assert_json_eq(db, da);
	json_object_put(da);
	json_object_put(db);
	free(path);
	store_close(a);
	store_close(b);
}
END_TEST

struct bad_case {
	const char *doc;
	const char *path;
	const char *problem; /* the message's tail after "path: " */
	bool conflict;
};

/* clang-format off */
#define APP "{\"id\":\"1000000000000009\",\"name\":\"A\",\"secret\":\"s\""
#define BIZ "{\"id\":\"2000000000000009\",\"name\":\"B\""
#define USR "{\"id\":\"3000000000000009\",\"name\":\"U\"," \
	"\"business\":\"2000000000000001\""
#define TOK "{\"token\":\"EAAnew\",\"app\":\"1000000000000001\"," \
	"\"user\":\"3000000000000001\""
#define WABA "{\"id\":\"4000000000000009\",\"business\":\"2000000000000001\"," \
	"\"name\":\"W\""
#define PHONE "{\"id\":\"5000000000000009\",\"waba\":\"4000000000000001\"," \
	"\"cc\":\"1\",\"phone_number\":\"5550109999\",\"verified_name\":\"V\""
#define ASG "{\"waba\":\"4000000000000002\",\"user\":\"3000000000000002\""
#define TPL "{\"id\":\"7000000000000009\",\"waba\":\"4000000000000001\"," \
	"\"name\":\"t\",\"language\":\"en\",\"category\":\"UTILITY\"," \
	"\"components\":[{\"type\":\"BODY\",\"text\":\"b\"}]"
#define SHR "{\"waba\":\"4000000000000001\",\"business\":\"2000000000000002\""
#define ID_WANT "must be an id (a string of 15 or 16 digits, not starting " \
	"with 0); got "
#define TASKS_WANT "must be one of MANAGE, DEVELOP, MANAGE_TEMPLATES, " \
	"MANAGE_PHONE, VIEW_COST, MANAGE_EXTENSIONS, VIEW_PHONE_ASSETS, " \
"MANAGE_PHONE_ASSETS, VIEW_TEMPLATES, MESSAGING, VIEW_INSIGHTS, " \
	"MANAGE_USERS, MANAGE_BILLING; got "
#define TIME_WANT "must be a unix time from 0 to 253402300799 (the end of " \
	"year 9999); got "
/* clang-format on */

/* Every one is applied to the demo state and must change nothing. */
static const struct bad_case bad_cases[] = {
	/* the document */
	{ "[]", "$", "expected an object", false },
	{ "\"x\"", "$", "expected an object", false },
	{ "{\"colour\":[]}", "$.colour", "unknown key", false },
	{ "{\"apps\":{}}", "$.apps", "expected an array", false },
	{ "{\"wabas\":null}", "$.wabas", "expected an array", false },
	{ "{\"about\":[1]}", "$.about", "expected an object", false },
	{ "{\"apps\":[5]}", "$.apps[0]", "expected an object", false },
	/* keys and values of any object */
	{ "{\"apps\":[" APP ",\"colour\":1}]}", "$.apps[0].colour",
	    "unknown key", false },
	{ "{\"apps\":[{\"id\":\"1000000000000009\",\"secret\":\"s\"}]}",
	    "$.apps[0].name", "is required", false },
	{ "{\"apps\":[{\"name\":\"A\",\"secret\":\"s\"}]}", "$.apps[0].id",
	    "is required", false },
	{ "{\"apps\":[{\"id\":1000000000000009,\"name\":\"A\","
	  "\"secret\":\"s\"}]}",
	    "$.apps[0].id", ID_WANT "1000000000000009", false },
	{ "{\"apps\":[{\"id\":\"10000000000009\",\"name\":\"A\","
	  "\"secret\":\"s\"}]}",
	    "$.apps[0].id", ID_WANT "\"10000000000009\"", false },
	{ "{\"apps\":[{\"id\":\"10000000000000009\",\"name\":\"A\","
	  "\"secret\":\"s\"}]}",
	    "$.apps[0].id", ID_WANT "\"10000000000000009\"", false },
	{ "{\"apps\":[{\"id\":\"0100000000000009\",\"name\":\"A\","
	  "\"secret\":\"s\"}]}",
	    "$.apps[0].id", ID_WANT "\"0100000000000009\"", false },
	{ "{\"apps\":[{\"id\":\"10000000000000x9\",\"name\":\"A\","
	  "\"secret\":\"s\"}]}",
	    "$.apps[0].id", ID_WANT "\"10000000000000x9\"", false },
	{ "{\"apps\":[{\"id\":\"1000000000000009\",\"name\":\"\","
	  "\"secret\":\"s\"}]}",
	    "$.apps[0].name", "must be a non-empty string; got \"\"", false },
	{ "{\"apps\":[{\"id\":\"1000000000000009\",\"name\":null,"
	  "\"secret\":\"s\"}]}",
	    "$.apps[0].name", "must be a non-empty string; got null", false },
	{ "{\"apps\":[{\"id\":\"1000000000000009\",\"name\":\"A\","
	  "\"secret\":5}]}",
	    "$.apps[0].secret", "must be a non-empty string; got 5", false },
	{ "{\"apps\":[" APP ",\"require_appsecret_proof\":\"yes\"}]}",
	    "$.apps[0].require_appsecret_proof",
	    "must be true or false; got \"yes\"", false },
	/* businesses */
	{ "{\"businesses\":[" BIZ ",\"verification_status\":\"VERIFIED\"}]}",
	    "$.businesses[0].verification_status",
	    "must be one of expired, failed, ineligible, not_verified, "
	    "pending, pending_need_more_info, pending_submission, rejected, "
	    "revoked, verified; got \"VERIFIED\"",
	    false },
	{ "{\"businesses\":[" BIZ ",\"restricted\":1}]}",
	    "$.businesses[0].restricted", "must be true or false; got 1",
	    false },
	{ "{\"businesses\":[" BIZ ",\"country\":\"\"}]}",
	    "$.businesses[0].country", "must be a non-empty string; got \"\"",
	    false },
	/* users */
	{ "{\"users\":[{\"id\":\"3000000000000009\",\"name\":\"U\","
	  "\"business\":\"2000000000000009\"}]}",
	    "$.users[0].business", "unknown business '2000000000000009'",
	    false },
	{ "{\"users\":[{\"id\":\"3000000000000009\",\"name\":\"U\","
	  "\"business\":\"4000000000000001\"}]}",
	    "$.users[0].business", "unknown business '4000000000000001'",
	    false },
	{ "{\"users\":[{\"id\":\"3000000000000009\",\"name\":\"U\"}]}",
	    "$.users[0].business", "is required", false },
	{ "{\"users\":[" USR ",\"user_type\":\"PERSONAL_USER\"}]}",
	    "$.users[0].user_type",
	    "must be one of SYSTEM_USER, "
	    "BUSINESS_USER; got \"PERSONAL_USER\"",
	    false },
	{ "{\"users\":[" USR ",\"role\":\"OWNER\"}]}", "$.users[0].role",
	    "must be one of ADMIN, EMPLOYEE; got \"OWNER\"", false },
	/* ids */
	{ "{\"apps\":[" APP "}],\"businesses\":[{\"id\":\"1000000000000009\","
	  "\"name\":\"B\"}]}",
	    "$.businesses[0].id", "duplicate id (first at $.apps[0].id)",
	    true },
	{ "{\"apps\":[{\"id\":\"1000000000000001\",\"name\":\"A\","
	  "\"secret\":\"s\"}]}",
	    "$.apps[0].id", "id '1000000000000001' already exists", true },
	{ "{\"businesses\":[{\"id\":\"4000000000000001\",\"name\":\"B\"}]}",
	    "$.businesses[0].id", "id '4000000000000001' already exists",
	    true },
	/* tokens */
	{ "{\"tokens\":[{\"token\":\"a|b\",\"app\":\"1000000000000001\","
	  "\"user\":\"3000000000000001\"}]}",
	    "$.tokens[0].token",
	    "must be a non-empty string without '|' or whitespace; got \"a|b\"",
	    false },
	{ "{\"tokens\":[{\"token\":\"a b\",\"app\":\"1000000000000001\","
	  "\"user\":\"3000000000000001\"}]}",
	    "$.tokens[0].token",
	    "must be a non-empty string without '|' or whitespace; got \"a b\"",
	    false },
	{ "{\"tokens\":[{\"token\":\"\",\"app\":\"1000000000000001\","
	  "\"user\":\"3000000000000001\"}]}",
	    "$.tokens[0].token",
	    "must be a non-empty string without '|' or whitespace; got \"\"",
	    false },
	{ "{\"tokens\":[{\"app\":\"1000000000000001\","
	  "\"user\":\"3000000000000001\"}]}",
	    "$.tokens[0].token", "is required", false },
	{ "{\"tokens\":[" TOK "}," TOK "}]}", "$.tokens[1].token",
	    "duplicate token (first at $.tokens[0].token)", true },
	{ "{\"tokens\":[{\"token\":\"EAAdemoAdmin\",\"app\":\"1000000000000001\","
	  "\"user\":\"3000000000000001\"}]}",
	    "$.tokens[0].token", "token 'EAAdemoAdmin' already exists", true },
	{ "{\"tokens\":[{\"token\":\"EAAnew\",\"app\":\"1000000000000009\","
	  "\"user\":\"3000000000000001\"}]}",
	    "$.tokens[0].app", "unknown app '1000000000000009'", false },
	{ "{\"tokens\":[{\"token\":\"EAAnew\",\"app\":\"1000000000000001\","
	  "\"user\":\"3000000000000009\"}]}",
	    "$.tokens[0].user", "unknown user '3000000000000009'", false },
	{ "{\"tokens\":[" TOK ",\"scopes\":\"x\"}]}", "$.tokens[0].scopes",
	    "must be an array of scope names; got \"x\"", false },
	{ "{\"tokens\":[" TOK ",\"scopes\":[\"a b\"]}]}",
	    "$.tokens[0].scopes[0]",
	    "must be a non-empty string without whitespace; got \"a b\"",
	    false },
	{ "{\"tokens\":[" TOK ",\"scopes\":[\"a\",\"a\"]}]}",
	    "$.tokens[0].scopes[1]", "duplicate value \"a\"", false },
	{ "{\"tokens\":[" TOK ",\"granular_scopes\":{}}]}",
	    "$.tokens[0].granular_scopes",
	    "must be an array of {scope, target_ids}; got {}", false },
	{ "{\"tokens\":[" TOK ",\"granular_scopes\":[1]}]}",
	    "$.tokens[0].granular_scopes[0]", "expected an object", false },
	{ "{\"tokens\":[" TOK ",\"granular_scopes\":[{\"scope\":\"x\","
	  "\"colour\":1}]}]}",
	    "$.tokens[0].granular_scopes[0].colour", "unknown key", false },
	{ "{\"tokens\":[" TOK ",\"granular_scopes\":[{\"target_ids\":[]}]}]}",
	    "$.tokens[0].granular_scopes[0].scope", "is required", false },
	{ "{\"tokens\":[" TOK ",\"granular_scopes\":[{\"scope\":\"\"}]}]}",
	    "$.tokens[0].granular_scopes[0].scope",
	    "must be a non-empty string without whitespace; got \"\"", false },
	{ "{\"tokens\":[" TOK ",\"granular_scopes\":[{\"scope\":\"x\","
	  "\"target_ids\":\"4000000000000001\"}]}]}",
	    "$.tokens[0].granular_scopes[0].target_ids",
	    "must be an array of ids; got \"4000000000000001\"", false },
	{ "{\"tokens\":[" TOK ",\"granular_scopes\":[{\"scope\":\"x\","
	  "\"target_ids\":[\"123\"]}]}]}",
	    "$.tokens[0].granular_scopes[0].target_ids[0]", ID_WANT "\"123\"",
	    false },
	{ "{\"tokens\":[" TOK ",\"issued_at\":-1}]}", "$.tokens[0].issued_at",
	    TIME_WANT "-1", false },
	{ "{\"tokens\":[" TOK ",\"issued_at\":\"1700000000\"}]}",
	    "$.tokens[0].issued_at", TIME_WANT "\"1700000000\"", false },
	{ "{\"tokens\":[" TOK ",\"expires_at\":1.5}]}",
	    "$.tokens[0].expires_at", TIME_WANT "1.5", false },
	/* past the end of year 9999 a time no longer renders */
	{ "{\"tokens\":[" TOK ",\"expires_at\":253402300800}]}",
	    "$.tokens[0].expires_at", TIME_WANT "253402300800", false },
	{ "{\"tokens\":[" TOK ",\"issued_at\":9223372036854775807}]}",
	    "$.tokens[0].issued_at", TIME_WANT "9223372036854775807", false },
	{ "{\"tokens\":[" TOK ",\"issued_at\":18446744073709551615}]}",
	    "$.tokens[0].issued_at", TIME_WANT "18446744073709551615", false },
	{ "{\"tokens\":[" TOK ",\"granular_scopes\":[{\"scope\":\"x\"},"
	  "{\"scope\":\"y\",\"target_ids\":[\"4000000000000001\","
	  "\"x\"]}]}]}",
	    "$.tokens[0].granular_scopes[1].target_ids[1]", ID_WANT "\"x\"",
	    false },
	{ "{\"tokens\":[" TOK ",\"state\":\"revoked\"}]}", "$.tokens[0].state",
	    "must be one of valid, expired, invalidated, "
	    "logged_out, session_key_invalid; got \"revoked\"",
	    false },
	/* WABAs */
	{ "{\"wabas\":[{\"id\":\"4000000000000009\","
	  "\"business\":\"2000000000000009\",\"name\":\"W\"}]}",
	    "$.wabas[0].business", "unknown business '2000000000000009'",
	    false },
	{ "{\"wabas\":[{\"id\":\"4000000000000009\","
	  "\"business\":\"2000000000000001\"}]}",
	    "$.wabas[0].name", "is required", false },
	{ "{\"wabas\":[" WABA ",\"colour\":\"green\"}]}", "$.wabas[0].colour",
	    "unknown key", false },
	{ "{\"wabas\":[" WABA ",\"timezone_id\":\"UTC\"}]}",
	    "$.wabas[0].timezone_id", "must be a string of digits; got \"UTC\"",
	    false },
	{ "{\"wabas\":[" WABA ",\"timezone_id\":1}]}", "$.wabas[0].timezone_id",
	    "must be a string of digits; got 1", false },
	{ "{\"wabas\":[" WABA ",\"ownership_type\":\"SELF_OWNED\"}]}",
	    "$.wabas[0].ownership_type",
	    "must be one of SELF, CLIENT_OWNED, "
	    "ON_BEHALF_OF; got \"SELF_OWNED\"",
	    false },
	{ "{\"wabas\":[" WABA ",\"account_review_status\":\"RESTRICTED\"}]}",
	    "$.wabas[0].account_review_status",
	    "must be one of PENDING, "
	    "APPROVED, REJECTED; got \"RESTRICTED\"",
	    false },
	{ "{\"wabas\":[" WABA ",\"is_enabled_for_insights\":\"true\"}]}",
	    "$.wabas[0].is_enabled_for_insights",
	    "must be true or false; got \"true\"", false },
	{ "{\"wabas\":[" WABA ",\"on_behalf_of_business_info\":\"x\"}]}",
	    "$.wabas[0].on_behalf_of_business_info",
	    "must be an object {id, name, status, type}; got \"x\"", false },
	{ "{\"wabas\":[" WABA ",\"on_behalf_of_business_info\":"
	  "{\"colour\":1}}]}",
	    "$.wabas[0].on_behalf_of_business_info.colour", "unknown key",
	    false },
	{ "{\"wabas\":[" WABA ",\"on_behalf_of_business_info\":"
	  "{\"id\":\"12\"}}]}",
	    "$.wabas[0].on_behalf_of_business_info.id", ID_WANT "\"12\"",
	    false },
	{ "{\"wabas\":[" WABA ",\"on_behalf_of_business_info\":"
	  "{\"name\":5}}]}",
	    "$.wabas[0].on_behalf_of_business_info.name",
	    "must be a non-empty string; got 5", false },
	{ "{\"wabas\":[" WABA ",\"phone_number_limit\":0}]}",
	    "$.wabas[0].phone_number_limit", "must be an integer >= 1; got 0",
	    false },
	{ "{\"wabas\":[" WABA ",\"phone_number_limit\":\"2\"}]}",
	    "$.wabas[0].phone_number_limit",
	    "must be an integer >= 1; got \"2\"", false },
	{ "{\"wabas\":[" WABA ",\"creation_time\":-5}]}",
	    "$.wabas[0].creation_time", TIME_WANT "-5", false },
	{ "{\"wabas\":[" WABA ",\"creation_time\":253402300800}]}",
	    "$.wabas[0].creation_time", TIME_WANT "253402300800", false },
	{ "{\"wabas\":[" WABA ",\"currency\":\"\"}]}", "$.wabas[0].currency",
	    "must be a non-empty string; got \"\"", false },
	{ "{\"wabas\":[" WABA ",\"primary_funding_id\":6}]}",
	    "$.wabas[0].primary_funding_id",
	    "must be a non-empty string; got 6", false },
	{ "{\"wabas\":[" WABA ",\"message_template_namespace\":\"\"}]}",
	    "$.wabas[0].message_template_namespace",
	    "must be a non-empty string; got \"\"", false },
	{ "{\"wabas\":[" WABA ",\"status\":[]}]}", "$.wabas[0].status",
	    "must be a non-empty string; got []", false },
	/* phone numbers */
	{ "{\"phone_numbers\":[{\"id\":\"5000000000000009\","
	  "\"waba\":\"4000000000000009\",\"cc\":\"1\","
	  "\"phone_number\":\"5550109999\",\"verified_name\":\"V\"}]}",
	    "$.phone_numbers[0].waba", "unknown WABA '4000000000000009'",
	    false },
	{ "{\"phone_numbers\":[{\"id\":\"5000000000000009\","
	  "\"waba\":\"4000000000000001\",\"cc\":\"1234\","
	  "\"phone_number\":\"5550109999\",\"verified_name\":\"V\"}]}",
	    "$.phone_numbers[0].cc", "must be 1 to 3 digits; got \"1234\"",
	    false },
	{ "{\"phone_numbers\":[{\"id\":\"5000000000000009\","
	  "\"waba\":\"4000000000000001\",\"cc\":\"+1\","
	  "\"phone_number\":\"5550109999\",\"verified_name\":\"V\"}]}",
	    "$.phone_numbers[0].cc", "must be a string of digits; got \"+1\"",
	    false },
	{ "{\"phone_numbers\":[{\"id\":\"5000000000000009\","
	  "\"waba\":\"4000000000000001\",\"cc\":1,"
	  "\"phone_number\":\"5550109999\",\"verified_name\":\"V\"}]}",
	    "$.phone_numbers[0].cc", "must be a string of digits; got 1",
	    false },
	{ "{\"phone_numbers\":[{\"id\":\"5000000000000009\","
	  "\"waba\":\"4000000000000001\",\"cc\":\"1\","
	  "\"phone_number\":\"555-0100\",\"verified_name\":\"V\"}]}",
	    "$.phone_numbers[0].phone_number",
	    "must be a string of digits; got \"555-0100\"", false },
	{ "{\"phone_numbers\":[{\"id\":\"5000000000000009\","
	  "\"waba\":\"4000000000000001\",\"cc\":\"1\","
	  "\"phone_number\":\"\",\"verified_name\":\"V\"}]}",
	    "$.phone_numbers[0].phone_number",
	    "must be a string of digits; got \"\"", false },
	{ "{\"phone_numbers\":[{\"id\":\"5000000000000009\","
	  "\"waba\":\"4000000000000001\",\"cc\":\"44\","
	  "\"phone_number\":\"77009001234567\",\"verified_name\":\"V\"}]}",
	    "$.phone_numbers[0].phone_number",
	    "cc and phone_number together "
	    "must have at most 15 digits; got 16",
	    false },
	{ "{\"phone_numbers\":[{\"id\":\"5000000000000009\","
	  "\"waba\":\"4000000000000001\",\"cc\":\"1\","
	  "\"phone_number\":\"5550109999\"}]}",
	    "$.phone_numbers[0].verified_name", "is required", false },
	{ "{\"phone_numbers\":[" PHONE ",\"status\":\"ON\"}]}",
	    "$.phone_numbers[0].status",
	    "must be one of PENDING, DELETED, "
	    "MIGRATED, BANNED, RESTRICTED, RATE_LIMITED, FLAGGED, CONNECTED, "
	    "DISCONNECTED, UNKNOWN, UNVERIFIED; got \"ON\"",
	    false },
	{ "{\"phone_numbers\":[" PHONE ",\"code_verification_status\":"
	  "\"PENDING\"}]}",
	    "$.phone_numbers[0].code_verification_status",
	    "must be one of NOT_VERIFIED, VERIFIED, EXPIRED; got \"PENDING\"",
	    false },
	{ "{\"phone_numbers\":[" PHONE ",\"quality_rating\":\"NA\"}]}",
	    "$.phone_numbers[0].quality_rating",
	    "must be one of GREEN, YELLOW, "
	    "RED, UNKNOWN; got \"NA\"",
	    false },
	{ "{\"phone_numbers\":[" PHONE ",\"platform_type\":\"CLOUD\"}]}",
	    "$.phone_numbers[0].platform_type",
	    "must be one of CLOUD_API, "
	    "ON_PREMISE, NOT_APPLICABLE; got \"CLOUD\"",
	    false },
	{ "{\"phone_numbers\":[" PHONE ",\"throughput_level\":\"LOW\"}]}",
	    "$.phone_numbers[0].throughput_level",
	    "must be one of STANDARD, "
	    "HIGH, NOT_APPLICABLE; got \"LOW\"",
	    false },
	{ "{\"phone_numbers\":[" PHONE ",\"name_status\":\"OK\"}]}",
	    "$.phone_numbers[0].name_status",
	    "must be one of NONE, NON_EXISTS, "
	    "PENDING_REVIEW, AVAILABLE_WITHOUT_REVIEW, EXPIRED, APPROVED, "
	    "DECLINED; got \"OK\"",
	    false },
	{ "{\"phone_numbers\":[" PHONE ",\"account_mode\":\"TEST\"}]}",
	    "$.phone_numbers[0].account_mode",
	    "must be one of SANDBOX, LIVE; "
	    "got \"TEST\"",
	    false },
	{ "{\"phone_numbers\":[" PHONE ",\"messaging_limit_tier\":"
	  "\"TIER_5K\"}]}",
	    "$.phone_numbers[0].messaging_limit_tier",
	    "must be one of TIER_50, TIER_250, TIER_1K, TIER_2K, TIER_10K, "
	    "TIER_100K, TIER_UNLIMITED; got \"TIER_5K\"",
	    false },
	{ "{\"phone_numbers\":[" PHONE ",\"last_onboarded_time\":"
	  "\"2025-02-04T17:40:07+0000\"}]}",
	    "$.phone_numbers[0].last_onboarded_time",
	    TIME_WANT "\"2025-02-04T17:40:07+0000\"", false },
	{ "{\"phone_numbers\":[" PHONE ",\"last_onboarded_time\":"
	  "9223372036854775807}]}",
	    "$.phone_numbers[0].last_onboarded_time",
	    TIME_WANT "9223372036854775807", false },
	{ "{\"phone_numbers\":[" PHONE ",\"is_official_business_account\":0}]}",
	    "$.phone_numbers[0].is_official_business_account",
	    "must be true or false; got 0", false },
	{ "{\"phone_numbers\":[" PHONE ",\"preverified_id\":\"\"}]}",
	    "$.phone_numbers[0].preverified_id",
	    "must be a non-empty string; got \"\"", false },
	{ "{\"phone_numbers\":[" PHONE ",\"display_phone_number\":5}]}",
	    "$.phone_numbers[0].display_phone_number",
	    "must be a non-empty string; got 5", false },
	{ "{\"phone_numbers\":[" PHONE "},{\"id\":\"5000000000000010\","
	  "\"waba\":\"4000000000000001\",\"cc\":\"1\","
	  "\"phone_number\":\"5550109999\",\"verified_name\":\"V\"}]}",
	    "$.phone_numbers[1].phone_number",
	    "duplicate phone number "
	    "+1 5550109999 (first at $.phone_numbers[0].phone_number)",
	    true },
	{ "{\"phone_numbers\":[{\"id\":\"5000000000000009\","
	  "\"waba\":\"4000000000000002\",\"cc\":\"1\","
	  "\"phone_number\":\"5550100200\",\"verified_name\":\"V\"}]}",
	    "$.phone_numbers[0].phone_number",
	    "phone number +1 5550100200 "
	    "already exists (id '5000000000000001')",
	    true },
	/* assignments */
	{ "{\"assignments\":[" ASG "}]}", "$.assignments[0].tasks",
	    "is required", false },
	{ "{\"assignments\":[" ASG ",\"tasks\":[]}]}", "$.assignments[0].tasks",
	    "must be a non-empty array of tasks; got []", false },
	{ "{\"assignments\":[" ASG ",\"tasks\":\"MANAGE\"}]}",
	    "$.assignments[0].tasks",
	    "must be a non-empty array of tasks; got \"MANAGE\"", false },
	{ "{\"assignments\":[" ASG
	  ",\"tasks\":[\"MANAGE\",\"FULL_CONTROL\"]}]}",
	    "$.assignments[0].tasks[1]", TASKS_WANT "\"FULL_CONTROL\"", false },
	{ "{\"assignments\":[" ASG ",\"tasks\":[\"MANAGE\",\"MANAGE\"]}]}",
	    "$.assignments[0].tasks[1]", "duplicate value \"MANAGE\"", false },
	{ "{\"assignments\":[" ASG ",\"tasks\":[\"MANAGE\",\"DEVELOP\","
	  "\"VIEW_COST\",\"DEVELOP\"]}]}",
	    "$.assignments[0].tasks[3]", "duplicate value \"DEVELOP\"", false },
	/* there are 13 tasks: a fourteenth is a repeat, whatever it is */
	{ "{\"assignments\":[" ASG ",\"tasks\":[\"MANAGE\",\"DEVELOP\","
	  "\"MANAGE_TEMPLATES\",\"MANAGE_PHONE\",\"VIEW_COST\","
	  "\"MANAGE_EXTENSIONS\",\"VIEW_PHONE_ASSETS\","
	  "\"MANAGE_PHONE_ASSETS\",\"VIEW_TEMPLATES\",\"MESSAGING\","
	  "\"VIEW_INSIGHTS\",\"MANAGE_USERS\",\"MANAGE_BILLING\","
	  "\"MANAGE\"]}]}",
	    "$.assignments[0].tasks", "must have at most 13 tasks; got 14",
	    false },
	{ "{\"assignments\":[{\"waba\":\"4000000000000009\","
	  "\"user\":\"3000000000000002\",\"tasks\":[\"MANAGE\"]}]}",
	    "$.assignments[0].waba", "unknown WABA '4000000000000009'", false },
	{ "{\"assignments\":[{\"waba\":\"4000000000000002\","
	  "\"user\":\"3000000000000009\",\"tasks\":[\"MANAGE\"]}]}",
	    "$.assignments[0].user", "unknown user '3000000000000009'", false },
	{ "{\"assignments\":[{\"waba\":\"4000000000000001\","
	  "\"user\":\"3000000000000005\",\"tasks\":[\"MANAGE\"]}]}",
	    "$.assignments[0].user",
	    "user '3000000000000005' belongs to "
	    "business '2000000000000002', which neither owns WABA "
	    "'4000000000000001' nor has a share of it",
	    false },
	{ "{\"assignments\":[" ASG ",\"tasks\":[\"MANAGE\"]}," ASG
	  ",\"tasks\":[\"DEVELOP\"]}]}",
	    "$.assignments[1]",
	    "duplicate assignment of WABA '4000000000000002' and user "
	    "'3000000000000002' (first at $.assignments[0])",
	    true },
	{ "{\"assignments\":[{\"waba\":\"4000000000000001\","
	  "\"user\":\"3000000000000002\",\"tasks\":[\"MANAGE\"]}]}",
	    "$.assignments[0]",
	    "user '3000000000000002' is already assigned "
	    "to WABA '4000000000000001'",
	    true },
	/* shares */
	{ "{\"shares\":[{\"waba\":\"4000000000000001\","
	  "\"business\":\"2000000000000001\"}]}",
	    "$.shares[0].business",
	    "business '2000000000000001' owns WABA '4000000000000001'; a share "
	    "goes to another business",
	    false },
	{ "{\"shares\":[{\"waba\":\"4000000000000003\","
	  "\"business\":\"2000000000000001\"}]}",
	    "$.shares[0]",
	    "WABA '4000000000000003' is already shared with business "
	    "'2000000000000001'",
	    true },
	{ "{\"shares\":[" SHR "}," SHR "}]}", "$.shares[1]",
	    "duplicate share of WABA '4000000000000001' and business "
	    "'2000000000000002' (first at $.shares[0])",
	    true },
	{ "{\"shares\":[" SHR ",\"permitted_tasks\":[\"X\"]}]}",
	    "$.shares[0].permitted_tasks[0]", TASKS_WANT "\"X\"", false },
	{ "{\"shares\":[" SHR ",\"permitted_tasks\":[\"VIEW_COST\","
	  "\"MESSAGING\",\"VIEW_COST\"]}]}",
	    "$.shares[0].permitted_tasks[2]", "duplicate value \"VIEW_COST\"",
	    false },
	{ "{\"shares\":[" SHR ",\"permitted_tasks\":null,\"x\":1}]}",
	    "$.shares[0].x", "unknown key", false },
	{ "{\"shares\":[{\"waba\":\"4000000000000001\","
	  "\"business\":\"2000000000000009\"}]}",
	    "$.shares[0].business", "unknown business '2000000000000009'",
	    false },
	{ "{\"shares\":[{\"business\":\"2000000000000002\"}]}",
	    "$.shares[0].waba", "is required", false },
	/* a late error undoes the good objects before it */
	{ "{\"businesses\":[" BIZ "}],\"users\":[{\"id\":\"3000000000000009\","
	  "\"name\":\"U\",\"business\":\"2000000000000009\"}],"
	  "\"wabas\":[{\"id\":\"4000000000000009\","
	  "\"business\":\"2000000000000009\",\"name\":\"W\"}],"
	  "\"phone_numbers\":[" PHONE ",\"status\":\"ON\"}]}",
	    "$.phone_numbers[0].status", "must be one of PENDING", false },
	{ "{\"businesses\":[" BIZ "}],\"wabas\":[{\"id\":\"4000000000000009\","
	  "\"business\":\"2000000000000009\",\"name\":\"W\"}],"
	  "\"assignments\":[{\"waba\":\"4000000000000009\","
	  "\"user\":\"3000000000000001\",\"tasks\":[\"MANAGE\"]}]}",
	    "$.assignments[0].user", "user '3000000000000001' belongs to",
	    false },
	/* templates */
	{ "{\"templates\":[{\"id\":\"7000000000000009\","
	  "\"waba\":\"4000000000000001\",\"language\":\"en\","
	  "\"category\":\"UTILITY\",\"components\":[{}]}]}",
	    "$.templates[0].name", "is required", false },
	{ "{\"templates\":[" TPL ",\"category\":\"PROMO\"}]}",
	    "$.templates[0].category", "must be one of MARKETING", false },
	{ "{\"templates\":[" TPL ",\"components\":[]}]}",
	    "$.templates[0].components", "must be a non-empty array", false },
	{ "{\"templates\":[" TPL ",\"components\":[1]}]}",
	    "$.templates[0].components[0]", "expected an object", false },
	{ "{\"templates\":[" TPL ",\"edits\":[-1]}]}",
	    "$.templates[0].edits[0]", "must be a unix time", false },
	{ "{\"templates\":[" TPL ",\"pauses\":-1}]}", "$.templates[0].pauses",
	    "must be an integer >= 0", false },
	{ "{\"templates\":[" TPL ",\"waba\":\"4000000000000009\"}]}",
	    "$.templates[0].waba", "unknown WABA '4000000000000009'", false },
	/* a live name and language is unique on its WABA */
	{ "{\"templates\":[" TPL "},{\"id\":\"7000000000000008\","
	  "\"waba\":\"4000000000000001\",\"name\":\"t\",\"language\":"
	  "\"en\",\"category\":\"UTILITY\",\"components\":[{}]}]}",
	    "$.templates[1].name", "WABA '4000000000000001' has template 't'",
	    true },
};

START_TEST(test_bad_case)
{
	const struct bad_case *bc = &bad_cases[_i];
	struct store *st = demo_store();
	struct json_object *before = store_export(st), *after,
	                   *doc = J(bc->doc);
	struct json_object *created = (struct json_object *)1;
	struct fixture_error fe;
	char *prefix = xasprintf("case.json: %s: ", bc->path);

	ck_assert_int_eq(
	    fixtures_apply(st, doc, "case.json", false, NOW, &created, &fe),
	    -1);
	ck_assert_ptr_null(created);
	ck_assert_ptr_nonnull(fe.message);
	ck_assert_msg(strcmp(fe.path, bc->path) == 0, "path %s, want %s (%s)",
	    fe.path, bc->path, fe.message);
	ck_assert_msg(strncmp(fe.message, prefix, strlen(prefix)) == 0 &&
	        strncmp(fe.message + strlen(prefix), bc->problem,
	            strlen(bc->problem)) == 0,
	    "message %s\nwant %s%s", fe.message, prefix, bc->problem);
	ck_assert_int_eq(fe.conflict, bc->conflict);
	after = store_export(st);
	assert_json_eq(after, before);
	fixture_error_cleanup(&fe);
	ck_assert_ptr_null(fe.message);
	json_object_put(before);
	json_object_put(after);
	json_object_put(doc);
	free(prefix);
	store_close(st);
}
END_TEST

/*
 * A document of one token, tok, whose key is an array of n values made by
 * fmt from the index (element dup repeats element 0); caller frees.
 */
static char *
token_with(const char *tok, const char *key, const char *fmt, size_t n,
    size_t dup)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	sbuf_addf(&sb,
	    "{\"tokens\":[{\"token\":\"%s\","
	    "\"app\":\"1000000000000001\",\"user\":\"3000000000000001\","
	    "\"%s\":[",
	    tok, key);
	for (i = 0; i < n; i++) {
		if (i > 0)
			sbuf_addch(&sb, ',');
		sbuf_addf(&sb, fmt, i == dup ? (size_t)0 : i);
	}
	sbuf_addstr(&sb, "]}]}");
	return sbuf_detach(&sb);
}

/* A token with one granular scope of n distinct target ids. */
static char *
targets_doc(const char *tok, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	sbuf_addf(&sb,
	    "{\"tokens\":[{\"token\":\"%s\","
	    "\"app\":\"1000000000000001\",\"user\":\"3000000000000001\","
	    "\"granular_scopes\":[{\"scope\":\"x\",\"target_ids\":[",
	    tok);
	for (i = 0; i < n; i++)
		sbuf_addf(&sb, "%s\"%llu\"", i ? "," : "",
		    4000000000000000ULL + i);
	sbuf_addstr(&sb, "]}]}]}");
	return sbuf_detach(&sb);
}

/*
 * Applies text (freed here) and checks fe.message against want: "" for a
 * document that applies.
 */
static void
expect_apply(struct store *st, char *text, const char *want)
{
	struct json_object *doc = J(text);
	struct fixture_error fe;

	if (fixtures_apply(st, doc, NULL, false, NOW, NULL, &fe) == 0)
		ck_assert_str_eq("", want);
	else
		ck_assert_str_eq(fe.message, want);
	fixture_error_cleanup(&fe);
	json_object_put(doc);
	free(text);
}

/*
 * Arrays are checked under the server lock: their length is bounded, and
 * duplicates are found without comparing every pair.
 */
/* n apps with ids 1000000000000100 + i; app bad gets bad_key instead. */
static char *
apps_doc(size_t n, size_t bad, const char *bad_key)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	sbuf_addstr(&sb, "{\"apps\":[");
	for (i = 0; i < n; i++)
		sbuf_addf(&sb,
		    "%s{\"id\":\"%llu\",\"%s\":\"A\","
		    "\"secret\":\"s\"}",
		    i ? "," : "",
		    1000000000000100ULL +
		        (i == bad && strcmp(bad_key, "id") == 0 ? 0 : i),
		    i == bad && strcmp(bad_key, "id") != 0 ? bad_key : "name");
	sbuf_addstr(&sb, "]}");
	return sbuf_detach(&sb);
}

/* Paths name rows past the first ten by their whole index. */
START_TEST(test_row_paths)
{
	struct store *st = demo_store();

	expect_apply(st, apps_doc(124, 123, "nom"),
	    "$.apps[123].nom: unknown key");
	expect_apply(st, apps_doc(31, 30, "id"),
	    "$.apps[30].id: duplicate id (first at $.apps[0].id)");
	expect_apply(st, apps_doc(3, 99, "name"), "");
	store_close(st);
}
END_TEST

START_TEST(test_array_limits)
{
	struct store *st = demo_store();

	/* a hundred scopes: fine; a repeat among them is found */
	expect_apply(st,
	    token_with("EAAa", "scopes", "\"s%zu\"", 100, (size_t)-1), "");
	expect_apply(st, token_with("EAAb", "scopes", "\"s%zu\"", 100, 99),
	    "$.tokens[0].scopes[99]: duplicate value \"s0\"");
	/* 101, or 60,000, are refused before any is looked at */
	expect_apply(st,
	    token_with("EAAc", "scopes", "\"s%zu\"", 101, (size_t)-1),
	    "$.tokens[0].scopes: must have at most 100 "
	    "scope names; got 101");
	expect_apply(st,
	    token_with("EAAd", "scopes", "\"s%zu\"", 60000, (size_t)-1),
	    "$.tokens[0].scopes: must have at most 100 "
	    "scope names; got 60000");

	/* granular scopes: at most 100 entries of at most 1,000 targets */
	expect_apply(st,
	    token_with("EAAe", "granular_scopes", "{\"scope\":\"s%zu\"}", 101,
	        (size_t)-1),
	    "$.tokens[0].granular_scopes: must have at most 100 entries; "
	    "got 101");
	expect_apply(st,
	    token_with("EAAf", "granular_scopes", "{\"scope\":\"s%zu\"}", 100,
	        (size_t)-1),
	    "");
	expect_apply(st, targets_doc("EAAg", 1000), "");
	expect_apply(st, targets_doc("EAAh", 1001),
	    "$.tokens[0].granular_scopes[0].target_ids: must have at most "
	    "1000 ids; got 1001");
	store_close(st);
}
END_TEST

/* The last time that renders is accepted, and kept as given. */
START_TEST(test_time_limit)
{
	struct store *st = demo_store();
	struct json_object *doc, *row;
	struct fixture_error fe;

	doc = J("{\"tokens\":[" TOK ",\"expires_at\":253402300799,"
	        "\"issued_at\":0}],\"phone_numbers\":[" PHONE
	        ",\"last_onboarded_time\":253402300799}]}");
	ck_assert_msg(fixtures_apply(st, doc, NULL, false, NOW, NULL, &fe) == 0,
	    "%s", fe.message);
	row = store_get_token(st, "EAAnew");
	ck_assert_int_eq(num(row, "expires_at"), 253402300799LL);
	ck_assert_int_eq(num(row, "issued_at"), 0);
	json_object_put(row);
	row = store_get(st, TBL_PHONE_NUMBERS, 5000000000000009LL);
	ck_assert_int_eq(num(row, "last_onboarded_time"), 253402300799LL);
	json_object_put(row);
	json_object_put(doc);
	store_close(st);
}
END_TEST

/* No source: the message starts with the path. */
START_TEST(test_bad_no_source)
{
	struct store *st = open_mem();
	struct json_object *doc = J("{\"apps\":[1]}");
	struct fixture_error fe;

	ck_assert_int_eq(fixtures_apply(st, doc, NULL, false, NOW, NULL, &fe),
	    -1);
	ck_assert_str_eq(fe.message, "$.apps[0]: expected an object");
	fixture_error_cleanup(&fe);
	/* A NULL fe is allowed. */
	ck_assert_int_eq(fixtures_apply(st, doc, NULL, false, NOW, NULL, NULL),
	    -1);
	json_object_put(doc);
	store_close(st);
}
END_TEST

/* References to objects already in the store; any order in the document. */
START_TEST(test_refs_store_and_forward)
{
	struct store *st = demo_store();
	struct json_object *doc, *created = NULL, *r;
	struct fixture_error fe;

	doc = J(
	    "{\"assignments\":[{\"waba\":\"4000000000000009\","
	    "\"user\":\"3000000000000009\",\"tasks\":[\"MANAGE\"]},"
	    "{\"waba\":\"4000000000000003\",\"user\":\"3000000000000001\","
	    "\"tasks\":[\"DEVELOP\"]},"
	    "{\"waba\":\"4000000000000001\",\"user\":\"3000000000000009\","
	    "\"tasks\":[\"VIEW_COST\"]}],"
	    "\"phone_numbers\":[{\"id\":\"5000000000000009\","
	    "\"waba\":\"4000000000000009\",\"cc\":\"593\","
	    "\"phone_number\":\"999999999\",\"verified_name\":\"V\","
	    "\"platform_type\":\"CLOUD_API\",\"messaging_limit_tier\":null},"
	    "{\"id\":\"5000000000000010\",\"waba\":\"4000000000000002\","
	    "\"cc\":\"1\",\"phone_number\":\"5550109999\","
	    "\"verified_name\":\"V\"}],"
	    "\"shares\":[{\"waba\":\"4000000000000001\","
	    "\"business\":\"2000000000000009\"}],"
	    "\"tokens\":[{\"token\":\"EAAnew\",\"app\":\"1000000000000001\","
	    "\"user\":\"3000000000000009\"}],"
	    "\"wabas\":[{\"id\":\"4000000000000009\","
	    "\"business\":\"2000000000000009\",\"name\":\"W\","
	    "\"phone_number_limit\":null}],"
	    "\"users\":[{\"id\":\"3000000000000009\",\"name\":\"U\","
	    "\"business\":\"2000000000000009\"}],"
	    "\"businesses\":[{\"id\":\"2000000000000009\",\"name\":\"B\","
	    "\"country\":\"EC\"}],"
	    "\"about\":{\"anything\":[1,2]}}");
	ck_assert_msg(
	    fixtures_apply(st, doc, "x.json", false, NOW, &created, &fe) == 0,
	    "%s", fe.message);
	assert_json_text(created,
	    ("{\"businesses\":[\"2000000000000009\"],"
	     "\"users\":[\"3000000000000009\"],\"wabas\":[\"4000000000000009\"],"
	     "\"phone_numbers\":[\"5000000000000009\",\"5000000000000010\"],"
	     "\"tokens\":[\"EAAnew\"],"
	     "\"assignments\":[{\"waba\":\"4000000000000009\","
	     "\"user\":\"3000000000000009\"},{\"waba\":\"4000000000000003\","
	     "\"user\":\"3000000000000001\"},{\"waba\":\"4000000000000001\","
	     "\"user\":\"3000000000000009\"}],"
	     "\"shares\":[{\"waba\":\"4000000000000001\","
	     "\"business\":\"2000000000000009\"}]}"));
	/* Defaults from the clock and from other objects. */
	r = store_get(st, TBL_WABAS, 4000000000000009LL);
	ck_assert_int_eq(num(r, "creation_time"), NOW);
	ck_assert_str_eq(str(r, "country"), "EC");
	ck_assert(!json_object_object_get_ex(r, "phone_number_limit", NULL));
	json_object_put(r);
	r = store_get(st, TBL_PHONE_NUMBERS, 5000000000000009LL);
	ck_assert_str_eq(str(r, "display_phone_number"), "+593 99 999 9999");
	ck_assert_str_eq(str(r, "throughput_level"), "STANDARD");
	ck_assert_str_eq(str(r, "status"), "PENDING");
	ck_assert_str_eq(str(r, "code_verification_status"), "NOT_VERIFIED");
	ck_assert_str_eq(str(r, "quality_rating"), "UNKNOWN");
	ck_assert_str_eq(str(r, "name_status"), "PENDING_REVIEW");
	ck_assert_int_eq(num(r, "creation_time"), NOW);
	ck_assert(!json_object_object_get_ex(r, "messaging_limit_tier", NULL));
	json_object_put(r);
	r = store_get_token(st, "EAAnew");
	ck_assert_int_eq(num(r, "issued_at"), NOW);
	assert_json_text(json_object_object_get(r, "granular_scopes"), "[]");
	json_object_put(r);
	r = store_get(st, TBL_USERS, 3000000000000009LL);
	ck_assert_str_eq(str(r, "user_type"), "BUSINESS_USER");
	ck_assert_str_eq(str(r, "role"), "EMPLOYEE");
	json_object_put(r);
	json_object_put(created);
	json_object_put(doc);
	store_close(st);
}
END_TEST

START_TEST(test_generate_ids)
{
	struct store *st = demo_store(), *twin = demo_store(),
	             *probe = open_mem();
	char first[24];
	struct json_object *doc, *created = NULL, *created2 = NULL, *ids;
	struct fixture_error fe;
	const char *biz, *waba;
	char *text;

	/* An id stated in the document is never generated for another. */
	snprintf(first, sizeof(first), "%lld", (long long)store_new_id(probe));
	text = xasprintf(
	    "{\"businesses\":[{\"name\":\"Gen Co\"},"
	    "{\"id\":\"%s\",\"name\":\"Stated\"}],"
	    "\"wabas\":[{\"business\":\"2000000000000001\",\"name\":\"Gen\"}],"
	    "\"phone_numbers\":[{\"waba\":\"4000000000000002\",\"cc\":\"1\","
	    "\"phone_number\":\"5550109998\",\"verified_name\":\"V\"}],"
	    "\"tokens\":[{\"token\":\"EAAgen\",\"app\":\"1000000000000001\","
	    "\"user\":\"3000000000000001\"}]}",
	    first);
	doc = J(text);
	free(text);
	ck_assert_msg(
	    fixtures_apply(st, doc, "control", true, NOW, &created, &fe) == 0,
	    "%s", fe.message);
	ids = json_object_object_get(created, "businesses");
	ck_assert_int_eq(json_object_array_length(ids), 2);
	biz = json_object_get_string(json_object_array_get_idx(ids, 0));
	ck_assert_int_eq(strlen(biz), 15);
	ck_assert_str_ne(biz, first);
	ck_assert_str_eq(
	    json_object_get_string(json_object_array_get_idx(ids, 1)), first);
	ck_assert_int_eq(store_node_type(st, parse_id(biz)), NODE_BUSINESS);
	waba = json_object_get_string(json_object_array_get_idx(
	    json_object_object_get(created, "wabas"), 0));
	ck_assert_int_eq(store_node_type(st, parse_id(waba)), NODE_WABA);
	ck_assert_int_eq(json_object_array_length(
	                     json_object_object_get(created, "phone_numbers")),
	    1);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(
	                     json_object_object_get(created, "tokens"), 0)),
	    "EAAgen");
	/* The same seed and state give the same ids. */
	ck_assert_int_eq(
	    fixtures_apply(twin, doc, "control", true, NOW, &created2, &fe), 0);
	assert_json_eq(created2, created);
	json_object_put(created2);
	/* Without generate_ids the id is required. */
	ck_assert_int_eq(
	    fixtures_apply(probe, doc, "control", false, NOW, NULL, &fe), -1);
	ck_assert_str_eq(fe.path, "$.businesses[0].id");
	fixture_error_cleanup(&fe);
	json_object_put(created);
	json_object_put(doc);
	store_close(st);
	store_close(twin);
	store_close(probe);
}
END_TEST

START_TEST(test_replace)
{
	struct store *st = demo_store();
	struct json_object *boot = store_export(st), *bad, *small, *now, *want;
	struct fixture_error fe;

	/* A bad document leaves the old state. */
	bad = J("{\"businesses\":[{\"id\":\"2000000000000009\",\"name\":\"B\","
	        "\"colour\":1}]}");
	ck_assert_int_eq(fixtures_replace(st, bad, "PUT", NOW, &fe), -1);
	ck_assert_str_eq(fe.path, "$.businesses[0].colour");
	fixture_error_cleanup(&fe);
	now = store_export(st);
	assert_json_eq(now, boot);
	json_object_put(now);
	/* Validation runs against an empty state: demo ids do not exist. */
	json_object_put(bad);
	bad = J("{\"users\":[{\"id\":\"3000000000000009\",\"name\":\"U\","
	        "\"business\":\"2000000000000001\"}]}");
	ck_assert_int_eq(fixtures_replace(st, bad, "PUT", NOW, &fe), -1);
	ck_assert_str_eq(fe.path, "$.users[0].business");
	fixture_error_cleanup(&fe);
	now = store_export(st);
	assert_json_eq(now, boot);
	json_object_put(now);

	/* A good one replaces everything. */
	small = J("{\"businesses\":[{\"id\":\"2000000000000009\","
	          "\"name\":\"B\"}]}");
	ck_assert_int_eq(fixtures_replace(st, small, "PUT", NOW, &fe), 0);
	now = store_export(st);
	want = J(
	    "{\"apps\":[],\"businesses\":[{\"id\":\"2000000000000009\","
	    "\"name\":\"B\",\"verification_status\":\"not_verified\","
	    "\"restricted\":false,\"country\":\"US\"}],\"users\":[],"
	    "\"wabas\":[],\"phone_numbers\":[],\"templates\":[],\"tokens\":[],"
	    "\"assignments\":[],\"shares\":[],\"subscriptions\":[],"
	    "\"subscribed_apps\":[],\"oauth_codes\":[],\"messages\":[]}");
	assert_json_eq(now, want);
	ck_assert_int_eq(store_node_type(st, 4000000000000001LL), NODE_NONE);
	json_object_put(now);
	json_object_put(want);

	/* The export goes back in unchanged: ids, order, token states. */
	ck_assert_msg(fixtures_replace(st, boot, "PUT", NOW, &fe) == 0, "%s",
	    fe.message);
	now = store_export(st);
	assert_json_eq(now, boot);
	ck_assert_msg(fixtures_replace(st, now, "PUT", NOW + 99, &fe) == 0,
	    "%s", fe.message);
	json_object_put(now);
	now = store_export(st);
	assert_json_eq(now, boot);
	json_object_put(now);
	json_object_put(bad);
	json_object_put(small);
	json_object_put(boot);
	store_close(st);
}
END_TEST

/* Counts the statements a connection starts (not trigger programs). */
static int
count_stmt(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	(void)p;
	if (strncmp((const char *)x, "--", 2) != 0)
		++*(long *)ctx;
	return 0;
}

/* A document of one business owning n WABAs; caller puts it. */
static struct json_object *
many_wabas(size_t n, const char *last_id)
{
	struct json_object *doc = J("{\"businesses\":[{\"id\":"
	                            "\"2000000000000009\",\"name\":\"B\"}]}");
	struct json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		char text[200];

		if (i + 1 == n && last_id != NULL)
			snprintf(text, sizeof(text),
			    "{\"id\":\"%s\","
			    "\"business\":\"2000000000000009\","
			    "\"name\":\"W %zu\"}",
			    last_id, i);
		else
			snprintf(text, sizeof(text),
			    "{\"id\":\"%lld\","
			    "\"business\":\"2000000000000009\","
			    "\"name\":\"W %zu\"}",
			    4100000000000000LL + (long long)i, i);
		json_object_array_add(arr, J(text));
	}
	json_object_object_add(doc, "wabas", arr);
	return doc;
}

/*
 * A load costs one statement per row and a few per table, whatever the
 * number of rows: no lookup per row in the store (an empty one cannot
 * hold a repeat the document's own indexes missed) and no SQL text per
 * row.  Foreign keys, off during the load, are on again after it.
 */
START_TEST(test_load_cost)
{
	struct store *st = open_mem();
	struct json_object *doc = many_wabas(1000, NULL), *row;
	struct fixture_error fe;
	sqlite3_stmt *stmt;
	long n = 0;

	sqlite3_trace_v2(store_sqlite(st), SQLITE_TRACE_STMT, count_stmt, &n);
	ck_assert_msg(
	    fixtures_apply(st, doc, "many.json", false, NOW, NULL, &fe) == 0,
	    "%s", fe.message);
	ck_assert_msg(n <= 1001 + 40, "%ld statements for 1,001 rows", n);
	sqlite3_trace_v2(store_sqlite(st), 0, NULL, NULL);
	row = store_get(st, TBL_WABAS, 4100000000000999LL);
	ck_assert_ptr_nonnull(row);
	ck_assert_str_eq(str(row, "name"), "W 999");
	json_object_put(row);
	ck_assert_int_eq(sqlite3_prepare_v2(store_sqlite(st),
	                     "PRAGMA foreign_keys", -1, &stmt, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(stmt, 0), 1);
	sqlite3_finalize(stmt);
	json_object_put(doc);
	store_close(st);
}
END_TEST

/*
 * A load refused at its last row leaves the store as it was, and the
 * next load works: the load's transaction and settings were undone.
 */
START_TEST(test_load_refused_late)
{
	struct store *st = demo_store();
	struct json_object *before = store_export(st), *after;
	/* the last WABA takes the demo app's id */
	struct json_object *doc = many_wabas(500, "1000000000000001");
	struct json_object *good = many_wabas(3, NULL);
	struct fixture_error fe;

	ck_assert_int_eq(
	    fixtures_apply(st, doc, "many.json", false, NOW, NULL, &fe), -1);
	ck_assert_str_eq(fe.path, "$.wabas[499].id");
	ck_assert_str_eq(fe.message,
	    "many.json: $.wabas[499].id: "
	    "id '1000000000000001' already exists");
	fixture_error_cleanup(&fe);
	after = store_export(st);
	assert_json_eq(after, before);
	json_object_put(after);
	ck_assert_msg(
	    fixtures_apply(st, good, "good.json", false, NOW, NULL, &fe) == 0,
	    "%s", fe.message);
	after = store_export(st);
	ck_assert_uint_eq(count(after, "wabas"), count(before, "wabas") + 3);
	json_object_put(after);
	json_object_put(before);
	json_object_put(doc);
	json_object_put(good);
	store_close(st);
}
END_TEST

/* The same into an empty store, which takes the bulk path. */
START_TEST(test_load_refused_late_bulk)
{
	struct store *st = open_mem();
	struct json_object *doc = many_wabas(500, NULL);
	struct json_object *good = many_wabas(3, NULL), *after;
	struct fixture_error fe;

	json_object_object_add(json_object_array_get_idx(
	                           json_object_object_get(doc, "wabas"), 499),
	    "business", json_object_new_string("2000000000000008"));
	ck_assert_int_eq(
	    fixtures_apply(st, doc, "many.json", false, NOW, NULL, &fe), -1);
	ck_assert_str_eq(fe.message,
	    "many.json: $.wabas[499].business: "
	    "unknown business '2000000000000008'");
	fixture_error_cleanup(&fe);
	ck_assert(store_is_empty(st));
	ck_assert_msg(
	    fixtures_apply(st, good, "good.json", false, NOW, NULL, &fe) == 0,
	    "%s", fe.message);
	after = store_export(st);
	ck_assert_uint_eq(count(after, "wabas"), 3);
	ck_assert_uint_eq(count(after, "businesses"), 1);
	json_object_put(after);
	json_object_put(doc);
	json_object_put(good);
	store_close(st);
}
END_TEST

START_TEST(test_text_errors)
{
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
		{ "{\n  \"apps\": [,]\n}",
		    "t.json: $: invalid JSON at line 2, "
		    "column 12: " },
		{ "{} x",
		    "t.json: $: invalid JSON at line 1, column 4: "
		    "unexpected text after the document" },
		{ "",
		    "t.json: $: invalid JSON at line 1, column 1: "
		    "unexpected end of input" },
		{ "{\"apps\": [",
		    "t.json: $: invalid JSON at line 1, "
		    "column 11: unexpected end of input" },
		{ "{\"about\": {\"x\": \"\xff\"}}", "t.json: $: invalid JSON" },
	};
	struct store *st = open_mem();
	struct fixture_error fe;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(fixtures_apply_text(st, cases[i].text,
		                     strlen(cases[i].text), "t.json", NOW, &fe),
		    -1);
		ck_assert_msg(strncmp(fe.message, cases[i].want,
		                  strlen(cases[i].want)) == 0,
		    "got %s\nwant %s", fe.message, cases[i].want);
		ck_assert_str_eq(fe.path, "$");
		ck_assert(!fe.conflict);
		fixture_error_cleanup(&fe);
	}
	ck_assert(store_is_empty(st));
	/* Validation errors come through the text entry point too. */
	ck_assert_int_eq(
	    fixtures_apply_text(st, "{\"apps\":{}}", 11, "t.json", NOW, &fe),
	    -1);
	ck_assert_str_eq(fe.message, "t.json: $.apps: expected an array");
	fixture_error_cleanup(&fe);
	store_close(st);
}
END_TEST

struct broken_file {
	const char *name;
	const char *path;
	const char *problem;
};

static const struct broken_file broken_files[] = {
	{ "invalid-json.json", "$", "invalid JSON at line 5, column 3" },
	{ "not-an-object.json", "$", "expected an object" },
	{ "unknown-key.json", "$.wabas[0].colour", "unknown key" },
	{ "dangling-reference.json", "$.wabas[2].business",
	    "unknown business '2000000000000009'" },
	{ "bad-enum.json", "$.phone_numbers[0].status",
	    "must be one of PENDING, DELETED, MIGRATED, BANNED, RESTRICTED, "
	    "RATE_LIMITED, FLAGGED, CONNECTED, DISCONNECTED, UNKNOWN, "
	    "UNVERIFIED; got \"ON\"" },
	{ "duplicate-id.json", "$.wabas[0].id",
	    "duplicate id (first at $.users[0].id)" },
	{ "assignment-without-access.json", "$.assignments[0].user",
	    "user '3000000000000101' belongs to business '2000000000000102', "
	    "which neither owns WABA '4000000000000101' nor has a share of it" },
};

START_TEST(test_broken_file)
{
	const struct broken_file *bf = &broken_files[_i];
	struct store *st = demo_store();
	struct json_object *before = store_export(st), *after;
	char *name = xasprintf("broken/%s", bf->name);
	char *path = fixture_path(name);
	char *want = xasprintf("%s: %s: %s", path, bf->path, bf->problem);
	struct fixture_error fe;

	ck_assert_int_eq(fixtures_apply_file(st, path, NOW, &fe), -1);
	ck_assert_str_eq(fe.path, bf->path);
	ck_assert_msg(strncmp(fe.message, want, strlen(want)) == 0,
	    "got %s\nwant %s", fe.message, want);
	after = store_export(st);
	assert_json_eq(after, before);
	fixture_error_cleanup(&fe);
	json_object_put(before);
	json_object_put(after);
	free(want);
	free(path);
	free(name);
	store_close(st);
}
END_TEST

START_TEST(test_missing_file)
{
	struct store *st = open_mem();
	char *path = fixture_path("broken/no-such-file.json");
	struct fixture_error fe;

	ck_assert_int_eq(fixtures_apply_file(st, path, NOW, &fe), -1);
	ck_assert_ptr_nonnull(strstr(fe.message, "no-such-file.json: "));
	ck_assert_str_eq(fe.path, "$");
	fixture_error_cleanup(&fe);
	free(path);
	store_close(st);
}
END_TEST

START_TEST(test_phone_display)
{
	static const char *const cases[][3] = {
		{ "1", "5550100200", "+1 555-010-0200" },
		{ "593", "999999999", "+593 99 999 9999" },
		{ "44", "7700900123", "+44 770 090 0123" },
		{ "1", "55501002", "+1 5 550 1002" },
		{ "49", "1234", "+49 1234" },
		{ "49", "123", "+49 123" },
		{ "49", "12345", "+49 1 2345" },
		{ "91", "9876543", "+91 987 6543" },
		{ "7", "123456789012", "+7 12 345 678 9012" },
		{ "1", "", "+1" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = phone_display(cases[i][0], cases[i][1]);

		ck_assert_str_eq(got, cases[i][2]);
		free(got);
	}
}
END_TEST

static Suite *
fixtures_suite(void)
{
	Suite *s = suite_create("fixtures");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_demo_counts);
	tcase_add_test(tc, test_demo_values);
	tcase_add_test(tc, test_demo_file_matches_embedded);
	tcase_add_loop_test(tc, test_bad_case, 0,
	    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_bad_no_source);
	tcase_add_test(tc, test_array_limits);
	tcase_add_test(tc, test_time_limit);
	tcase_add_test(tc, test_refs_store_and_forward);
	tcase_add_test(tc, test_generate_ids);
	tcase_add_test(tc, test_replace);
	tcase_add_test(tc, test_load_cost);
	tcase_add_test(tc, test_load_refused_late);
	tcase_add_test(tc, test_load_refused_late_bulk);
	tcase_add_test(tc, test_text_errors);
	tcase_add_loop_test(tc, test_broken_file, 0,
	    (int)(sizeof(broken_files) / sizeof(broken_files[0])));
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_row_paths);
	tcase_add_test(tc, test_phone_display);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_run(fixtures_suite());
}
