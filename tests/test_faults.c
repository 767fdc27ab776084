/*
 * test_faults.c - fault rules: validation with field paths, every firing
 * mode, seeded replay, error defaults, listing and deletion.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faults.h"
#include "gerr.h"
#include "suite.h"

#define WABA_PATH "/v24.0/2000000000000001"

/* Adds the rule written as JSON text; returns its id, failing the test if
 * it is refused. */
static int64_t
add_ok(struct faults *f, const char *json)
{
	struct json_object *rule = json_tokener_parse(json);
	char *cause = NULL, *field = NULL;
	int64_t id = 0;

	ck_assert_msg(rule != NULL, "bad test JSON %s", json);
	ck_assert_msg(faults_add(f, rule, &id, &cause, &field) == 0,
	    "%s refused: %s (%s)", json, cause, field);
	ck_assert_ptr_null(cause);
	ck_assert_ptr_null(field);
	json_object_put(rule);
	return id;
}

/* True when the call fires; clears the action's error. */
static bool
fires(struct faults *f, const char *method, const char *path,
    struct fault_action *a)
{
	struct fault_action tmp;
	bool hit;

	if (a == NULL)
		a = &tmp;
	hit = faults_match(f, method, path, a);
	if (a == &tmp && hit && a->has_error)
		gerr_clear(&a->err);
	return hit;
}

static size_t
nrules(const struct faults *f)
{
	struct json_object *l = faults_list(f), *data;
	size_t n;

	ck_assert(json_object_object_get_ex(l, "data", &data));
	n = json_object_array_length(data);
	json_object_put(l);
	return n;
}

START_TEST(test_validation)
{
	static const char *const bad[][2] = {
		/* rule, field */
		{ "[]", "" },
		{ "\"x\"", "" },
		{ "{}", "match" },
		{ "{\"error\":{\"code\":2}}", "match" },
		{ "{\"match\":\"/x\",\"error\":{\"code\":2}}", "match" },
		{ "{\"match\":{},\"error\":{\"code\":2}}", "match.path" },
		{ "{\"match\":{\"path\":3},\"error\":{\"code\":2}}",
		    "match.path" },
		{ "{\"match\":{\"path\":\"\"},\"error\":{\"code\":2}}",
		    "match.path" },
		{ "{\"match\":{\"path\":\"v24.0/1\"},\"error\":{\"code\":2}}",
		    "match.path" },
		{ "{\"match\":{\"path\":\"/x\",\"method\":\"FETCH\"},"
		  "\"error\":{\"code\":2}}",
		    "match.method" },
		/* webhook rules: deliveries, not requests */
		{ "{\"match\":{\"webhook\":\"*\",\"path\":\"/x\"},"
		  "\"duplicate\":true}",
		    "match.webhook" },
		{ "{\"match\":{\"webhook\":\"*\"},\"error\":{\"code\":2}}",
		    "error" },
		{ "{\"match\":{\"webhook\":\"*\"}}", "latency_ms" },
		{ "{\"match\":{\"webhook\":\"\"},\"duplicate\":true}",
		    "match.webhook" },
		{ "{\"match\":{\"webhook\":\"*\"},\"duplicate\":1}",
		    "duplicate" },
		{ "{\"match\":{\"path\":\"/x\"},\"wrong_signature\":true}",
		    "wrong_signature" },
		{ "{\"match\":{\"path\":\"/x\",\"method\":1},"
		  "\"error\":{\"code\":2}}",
		    "match.method" },
		{ "{\"match\":{\"path\":\"/x\",\"verb\":\"GET\"},"
		  "\"error\":{\"code\":2}}",
		    "match.verb" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2},"
		  "\"every_n\":2}",
		    "every_n" },
		{ "{\"match\":{\"path\":\"/x\"}}", "error" },
		{ "{\"match\":{\"path\":\"/x\"},\"latency_ms\":0}", "error" },
		{ "{\"match\":{\"path\":\"/x\"},\"drop_connection\":false}",
		    "error" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":2}", "error" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{}}", "error.code" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":\"2\"}}",
		    "error.code" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":0}}",
		    "error.code" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2.5}}",
		    "error.code" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2,"
		  "\"error_subcode\":-1}}",
		    "error.error_subcode" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2,"
		  "\"status\":700}}",
		    "error.status" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2,"
		  "\"status\":\"503\"}}",
		    "error.status" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2,"
		  "\"message\":\"\"}}",
		    "error.message" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2,"
		  "\"type\":false}}",
		    "error.type" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2,"
		  "\"subcode\":1}}",
		    "error.subcode" },
		{ "{\"match\":{\"path\":\"/x\"},\"latency_ms\":-1}",
		    "latency_ms" },
		{ "{\"match\":{\"path\":\"/x\"},\"latency_ms\":\"5\"}",
		    "latency_ms" },
		{ "{\"match\":{\"path\":\"/x\"},\"latency_ms\":99999999}",
		    "latency_ms" },
		{ "{\"match\":{\"path\":\"/x\"},\"drop_connection\":1}",
		    "drop_connection" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2},"
		  "\"times\":0}",
		    "times" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2},"
		  "\"times\":\"3\"}",
		    "times" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2},"
		  "\"every_nth\":0}",
		    "every_nth" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2},"
		  "\"probability\":1.5}",
		    "probability" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2},"
		  "\"probability\":-0.1}",
		    "probability" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2},"
		  "\"probability\":\"0.5\"}",
		    "probability" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2},"
		  "\"probability\":0.5,\"seed\":\"7\"}",
		    "seed" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2},"
		  "\"times\":2,\"every_nth\":3}",
		    "every_nth" },
		{ "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2},"
		  "\"every_nth\":3,\"probability\":0.5}",
		    "probability" },
	};
	struct faults *f = faults_new();
	struct json_object *rule;
	char *cause, *field;
	int64_t id;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rule = json_tokener_parse(bad[i][0]);
		ck_assert_msg(rule != NULL, "bad test JSON %s", bad[i][0]);
		cause = field = NULL;
		id = 0;
		ck_assert_msg(faults_add(f, rule, &id, &cause, &field) == -1,
		    "%s accepted", bad[i][0]);
		ck_assert_ptr_nonnull(cause);
		ck_assert(cause[0] != '\0');
		ck_assert_ptr_nonnull(field);
		ck_assert_msg(strcmp(field, bad[i][1]) == 0,
		    "%s: field %s, want %s (%s)", bad[i][0], field, bad[i][1],
		    cause);
		ck_assert_int_eq(id, 0);
		free(cause);
		free(field);
		json_object_put(rule);
	}
	/* NULL is no object either */
	cause = field = NULL;
	ck_assert_int_eq(faults_add(f, NULL, &id, &cause, &field), -1);
	free(cause);
	free(field);
	/* nothing was added, and no id was used up */
	ck_assert_uint_eq(nrules(f), 0);
	ck_assert(!fires(f, "GET", "/x", NULL));
	ck_assert_int_eq(add_ok(f,
	                     "{\"match\":{\"path\":\"/x\"},"
	                     "\"error\":{\"code\":2}}"),
	    1);
	faults_free(f);
}
END_TEST

START_TEST(test_cause_text)
{
	struct faults *f = faults_new();
	struct json_object *rule = json_tokener_parse(
	    "{\"match\":{\"path\":\"/x\"},\"error\":{\"code\":2},"
	    "\"probability\":2}");
	char *cause = NULL, *field = NULL;
	int64_t id;

	ck_assert_int_eq(faults_add(f, rule, &id, &cause, &field), -1);
	ck_assert_ptr_nonnull(strstr(cause, "probability"));
	ck_assert_ptr_nonnull(strstr(cause, "between 0 and 1"));
	free(cause);
	free(field);
	json_object_put(rule);
	faults_free(f);
}
END_TEST

START_TEST(test_always_and_matching)
{
	struct faults *f = faults_new();
	struct fault_action a;

	add_ok(f,
	    "{\"match\":{\"method\":\"get\",\"path\":\"/*/123\"},"
	    "\"error\":{\"code\":2}}");
	ck_assert(fires(f, "GET", "/v24.0/123", &a));
	ck_assert_int_eq(a.rule_id, 1);
	ck_assert(a.has_error);
	ck_assert_int_eq(a.err.id, GE_CUSTOM);
	ck_assert_int_eq(gerr_code(&a.err), 2);
	ck_assert_int_eq(gerr_status(&a.err, PROFILE_DEFAULT), 500);
	ck_assert_str_eq(gerr_message(&a.err),
	    gerr_row(GE_UNEXPECTED)->message);
	ck_assert(!a.drop);
	ck_assert_uint_eq(a.latency_ms, 0);
	gerr_clear(&a.err);
	ck_assert(fires(f, "get", "/v24.0/123", NULL));
	ck_assert(!fires(f, "POST", "/v24.0/123", NULL));
	ck_assert(!fires(f, "GET", "/v24.0/1234", NULL));
	ck_assert(!fires(f, "GET", "/123", NULL));
	ck_assert(!fires(f, "GET", "/v24.0/123/phone_numbers", NULL));
	ck_assert(!fires(f, NULL, NULL, NULL));
	faults_free(f);
}
END_TEST

START_TEST(test_any_method)
{
	struct faults *f = faults_new();

	add_ok(f,
	    "{\"match\":{\"path\":\"*/assigned_users\"},"
	    "\"drop_connection\":true}");
	add_ok(f,
	    "{\"match\":{\"path\":\"/star\",\"method\":\"*\"},"
	    "\"drop_connection\":true}");
	ck_assert(fires(f, "GET", WABA_PATH "/assigned_users", NULL));
	ck_assert(fires(f, "POST", "/assigned_users", NULL));
	ck_assert(fires(f, "DELETE", WABA_PATH "/assigned_users", NULL));
	ck_assert(fires(f, NULL, "/assigned_users", NULL));
	ck_assert(fires(f, "GET", "/star", NULL));
	ck_assert(!fires(f, "GET", WABA_PATH, NULL));
	faults_free(f);
}
END_TEST

START_TEST(test_error_defaults)
{
	struct faults *f = faults_new();
	struct fault_action a;
	struct json_object *body, *e, *v;

	/* in the table: the row's message, type, subcode and status */
	add_ok(f, "{\"match\":{\"path\":\"/a\"},\"error\":{\"code\":190}}");
	/* 80008 carries its subcode and is transient */
	add_ok(f, "{\"match\":{\"path\":\"/b\"},\"error\":{\"code\":80008}}");
	/* not in the table: generic message, 400 */
	add_ok(f, "{\"match\":{\"path\":\"/c\"},\"error\":{\"code\":4}}");
	/* everything given */
	add_ok(f,
	    "{\"match\":{\"path\":\"/d\"},\"error\":{\"code\":4,"
	    "\"error_subcode\":1349193,\"message\":\"(#4) Application request "
	    "limit reached\",\"type\":\"GraphMethodException\","
	    "\"status\":503}}");
	/* a known code with an unknown subcode keeps the code's defaults */
	add_ok(f,
	    "{\"match\":{\"path\":\"/e\"},\"error\":{\"code\":190,"
	    "\"error_subcode\":999}}");
	/* an explicit 0 subcode drops the row's */
	add_ok(f,
	    "{\"match\":{\"path\":\"/f\"},\"error\":{\"code\":80008,"
	    "\"error_subcode\":0}}");
	/* a known subcode picks its own row */
	add_ok(f,
	    "{\"match\":{\"path\":\"/g\"},\"error\":{\"code\":190,"
	    "\"error_subcode\":463}}");

	ck_assert(fires(f, "GET", "/a", &a));
	ck_assert_int_eq(gerr_code(&a.err), 190);
	ck_assert_int_eq(gerr_subcode(&a.err), 0);
	ck_assert_int_eq(gerr_status(&a.err, PROFILE_DEFAULT), 401);
	ck_assert_int_eq(gerr_status(&a.err, PROFILE_CLASSIC), 400);
	ck_assert_str_eq(gerr_message(&a.err), gerr_row(GE_TOKEN)->message);
	body = gerr_json(&a.err, "trace");
	ck_assert(json_object_object_get_ex(body, "error", &e));
	ck_assert(json_object_object_get_ex(e, "type", &v));
	ck_assert_str_eq(json_object_get_string(v), "OAuthException");
	json_object_put(body);
	gerr_clear(&a.err);

	ck_assert(fires(f, "GET", "/b", &a));
	ck_assert_int_eq(gerr_code(&a.err), 80008);
	ck_assert_int_eq(gerr_subcode(&a.err), 2446079);
	ck_assert_int_eq(gerr_status(&a.err, PROFILE_DEFAULT), 429);
	ck_assert_str_eq(gerr_message(&a.err),
	    gerr_row(GE_RATE_LIMIT)->message);
	body = gerr_json(&a.err, "trace");
	ck_assert(json_object_object_get_ex(body, "error", &e));
	ck_assert(json_object_object_get_ex(e, "is_transient", &v));
	ck_assert(json_object_get_boolean(v));
	json_object_put(body);
	gerr_clear(&a.err);

	ck_assert(fires(f, "GET", "/c", &a));
	ck_assert_int_eq(gerr_code(&a.err), 4);
	ck_assert_int_eq(gerr_status(&a.err, PROFILE_DEFAULT), 400);
	ck_assert_ptr_nonnull(strstr(gerr_message(&a.err), "(#4)"));
	body = gerr_json(&a.err, "trace");
	ck_assert(json_object_object_get_ex(body, "error", &e));
	ck_assert(json_object_object_get_ex(e, "type", &v));
	ck_assert_str_eq(json_object_get_string(v), "OAuthException");
	ck_assert(!json_object_object_get_ex(e, "error_subcode", NULL));
	json_object_put(body);
	gerr_clear(&a.err);

	ck_assert(fires(f, "GET", "/d", &a));
	ck_assert_int_eq(gerr_code(&a.err), 4);
	ck_assert_int_eq(gerr_subcode(&a.err), 1349193);
	ck_assert_int_eq(gerr_status(&a.err, PROFILE_DEFAULT), 503);
	ck_assert_str_eq(gerr_message(&a.err),
	    "(#4) Application request limit reached");
	body = gerr_json(&a.err, "trace");
	ck_assert(json_object_object_get_ex(body, "error", &e));
	ck_assert(json_object_object_get_ex(e, "type", &v));
	ck_assert_str_eq(json_object_get_string(v), "GraphMethodException");
	json_object_put(body);
	gerr_clear(&a.err);

	ck_assert(fires(f, "GET", "/e", &a));
	ck_assert_int_eq(gerr_subcode(&a.err), 999);
	ck_assert_int_eq(gerr_status(&a.err, PROFILE_DEFAULT), 401);
	ck_assert_str_eq(gerr_message(&a.err), gerr_row(GE_TOKEN)->message);
	gerr_clear(&a.err);

	ck_assert(fires(f, "GET", "/f", &a));
	ck_assert_int_eq(gerr_subcode(&a.err), 0);
	gerr_clear(&a.err);

	ck_assert(fires(f, "GET", "/g", &a));
	ck_assert_int_eq(gerr_subcode(&a.err), 463);
	ck_assert_str_eq(gerr_message(&a.err),
	    gerr_row(GE_TOKEN_EXPIRED)->message);
	gerr_clear(&a.err);
	faults_free(f);
}
END_TEST

START_TEST(test_unknown_code_1_2_status)
{
	struct faults *f = faults_new();
	struct fault_action a;

	add_ok(f, "{\"match\":{\"path\":\"/one\"},\"error\":{\"code\":1}}");
	add_ok(f,
	    "{\"match\":{\"path\":\"/two\"},\"error\":{\"code\":2,"
	    "\"status\":503}}");
	ck_assert(fires(f, "GET", "/one", &a));
	ck_assert_int_eq(gerr_status(&a.err, PROFILE_DEFAULT), 500);
	ck_assert_str_eq(gerr_message(&a.err), gerr_row(GE_UNKNOWN)->message);
	gerr_clear(&a.err);
	ck_assert(fires(f, "GET", "/two", &a));
	ck_assert_int_eq(gerr_status(&a.err, PROFILE_DEFAULT), 503);
	gerr_clear(&a.err);
	faults_free(f);
}
END_TEST

START_TEST(test_latency_and_drop)
{
	struct faults *f = faults_new();
	struct fault_action a;

	add_ok(f, "{\"match\":{\"path\":\"/slow\"},\"latency_ms\":250}");
	add_ok(f,
	    "{\"match\":{\"path\":\"/drop\"},\"drop_connection\":true,"
	    "\"latency_ms\":10}");
	ck_assert(fires(f, "GET", "/slow", &a));
	ck_assert(!a.has_error);
	ck_assert(!a.drop);
	ck_assert_uint_eq(a.latency_ms, 250);
	ck_assert_int_eq(a.rule_id, 1);
	ck_assert(fires(f, "GET", "/drop", &a));
	ck_assert(!a.has_error);
	ck_assert(a.drop);
	ck_assert_uint_eq(a.latency_ms, 10);
	ck_assert_int_eq(a.rule_id, 2);
	faults_free(f);
}
END_TEST

/* Webhook rules act on deliveries only, and request rules on requests. */
START_TEST(test_webhook_rules)
{
	struct faults *f = faults_new();
	struct fault_action a;

	add_ok(f,
	    "{\"match\":{\"webhook\":\"message_template_*\"},"
	    "\"wrong_signature\":true,\"times\":1}");
	add_ok(f,
	    "{\"match\":{\"webhook\":\"*\"},\"duplicate\":true,"
	    "\"latency_ms\":5}");
	add_ok(f, "{\"match\":{\"path\":\"*\"},\"drop_connection\":true}");
	ck_assert(
	    faults_match_webhook(f, "message_template_status_update", &a));
	ck_assert(a.wrong_signature && !a.duplicate && !a.drop);
	ck_assert_int_eq(a.rule_id, 1);
	/* used up: the next one falls through to the catch-all */
	ck_assert(
	    faults_match_webhook(f, "message_template_status_update", &a));
	ck_assert(!a.wrong_signature && a.duplicate);
	ck_assert_uint_eq(a.latency_ms, 5);
	ck_assert_int_eq(a.rule_id, 2);
	/* a request never meets a webhook rule */
	ck_assert(fires(f, "GET", "/v24.0/1", &a));
	ck_assert(a.drop && !a.duplicate);
	ck_assert_int_eq(a.rule_id, 3);
	faults_free(f);
}
END_TEST

START_TEST(test_times)
{
	struct faults *f = faults_new();
	struct json_object *l, *data, *r, *v;
	int i;

	add_ok(f,
	    "{\"match\":{\"path\":\"/t\"},\"error\":{\"code\":2},"
	    "\"times\":3}");
	ck_assert(!fires(f, "GET", "/other", NULL));
	for (i = 0; i < 3; i++)
		ck_assert(fires(f, "GET", "/t", NULL));
	for (i = 0; i < 5; i++)
		ck_assert(!fires(f, "GET", "/t", NULL));
	/* spent, yet still listed */
	l = faults_list(f);
	ck_assert(json_object_object_get_ex(l, "data", &data));
	ck_assert_int_eq(json_object_array_length(data), 1);
	r = json_object_array_get_idx(data, 0);
	ck_assert(json_object_object_get_ex(r, "remaining", &v));
	ck_assert_int_eq(json_object_get_int(v), 0);
	ck_assert(json_object_object_get_ex(r, "matched", &v));
	ck_assert_int_eq(json_object_get_int(v), 8);
	ck_assert(json_object_object_get_ex(r, "fired", &v));
	ck_assert_int_eq(json_object_get_int(v), 3);
	json_object_put(l);
	faults_free(f);
}
END_TEST

START_TEST(test_every_nth)
{
	struct faults *f = faults_new();
	int i;

	add_ok(f,
	    "{\"match\":{\"path\":\"/n\"},\"error\":{\"code\":2},"
	    "\"every_nth\":3}");
	for (i = 1; i <= 12; i++) {
		/* calls elsewhere do not advance the count */
		ck_assert(!fires(f, "GET", "/elsewhere", NULL));
		ck_assert_msg(fires(f, "GET", "/n", NULL) == (i % 3 == 0),
		    "call %d", i);
	}
	faults_free(f);
}
END_TEST

START_TEST(test_every_nth_one)
{
	struct faults *f = faults_new();
	int i;

	add_ok(f,
	    "{\"match\":{\"path\":\"/n\"},\"latency_ms\":1,"
	    "\"every_nth\":1}");
	for (i = 0; i < 5; i++)
		ck_assert(fires(f, "GET", "/n", NULL));
	faults_free(f);
}
END_TEST

/* The fire pattern of n calls on a fresh instance holding rule. */
static void
pattern(const char *rule, int n, char *out)
{
	struct faults *f = faults_new();
	int i;

	add_ok(f, rule);
	for (i = 0; i < n; i++)
		out[i] = fires(f, "GET", "/p", NULL) ? '1' : '0';
	out[n] = '\0';
	faults_free(f);
}

START_TEST(test_probability_replays)
{
	static const char
	    *rule = "{\"match\":{\"path\":\"/p\"},"
	            "\"error\":{\"code\":2},\"probability\":0.5,\"seed\":42}";
	char a[1001], b[1001], c[1001];
	int ones = 0, i;

	pattern(rule, 1000, a);
	pattern(rule, 1000, b);
	ck_assert_str_eq(a, b);
	for (i = 0; i < 1000; i++)
		ones += a[i] == '1';
	ck_assert_int_gt(ones, 400);
	ck_assert_int_lt(ones, 600);
	/* another seed, another sequence */
	pattern("{\"match\":{\"path\":\"/p\"},\"error\":{\"code\":2},"
	        "\"probability\":0.5,\"seed\":43}",
	    1000, c);
	ck_assert_str_ne(a, c);
	/* no seed means seed 0, also replayable */
	pattern("{\"match\":{\"path\":\"/p\"},\"error\":{\"code\":2},"
	        "\"probability\":0.5}",
	    1000, b);
	pattern("{\"match\":{\"path\":\"/p\"},\"error\":{\"code\":2},"
	        "\"probability\":0.5,\"seed\":0}",
	    1000, c);
	ck_assert_str_eq(b, c);
}
END_TEST

START_TEST(test_probability_bounds)
{
	char s[201];
	int i, ones = 0;

	pattern("{\"match\":{\"path\":\"/p\"},\"error\":{\"code\":2},"
	        "\"probability\":0,\"seed\":5}",
	    200, s);
	ck_assert_ptr_null(strchr(s, '1'));
	pattern("{\"match\":{\"path\":\"/p\"},\"error\":{\"code\":2},"
	        "\"probability\":1,\"seed\":5}",
	    200, s);
	ck_assert_ptr_null(strchr(s, '0'));
	pattern("{\"match\":{\"path\":\"/p\"},\"error\":{\"code\":2},"
	        "\"probability\":0.1,\"seed\":-7}",
	    200, s);
	for (i = 0; i < 200; i++)
		ones += s[i] == '1';
	ck_assert_int_gt(ones, 5);
	ck_assert_int_lt(ones, 45);
}
END_TEST

START_TEST(test_first_firing_rule_wins)
{
	struct faults *f = faults_new();
	struct fault_action a;
	struct json_object *l, *data, *v;

	/* rule 1 matches every call but fires only every other one */
	add_ok(f,
	    "{\"match\":{\"path\":\"/v24.0/*\"},\"error\":{\"code\":1},"
	    "\"every_nth\":2}");
	add_ok(f, "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":2}}");
	add_ok(f, "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":4}}");
	ck_assert(fires(f, "GET", "/v24.0/1", &a));
	ck_assert_int_eq(a.rule_id, 2);
	gerr_clear(&a.err);
	ck_assert(fires(f, "GET", "/v24.0/1", &a));
	ck_assert_int_eq(a.rule_id, 1);
	ck_assert_int_eq(gerr_code(&a.err), 1);
	gerr_clear(&a.err);
	ck_assert(fires(f, "GET", "/other", &a));
	ck_assert_int_eq(a.rule_id, 2);
	gerr_clear(&a.err);
	/* rule 3 was never reached */
	l = faults_list(f);
	ck_assert(json_object_object_get_ex(l, "data", &data));
	ck_assert(json_object_object_get_ex(json_object_array_get_idx(data, 0),
	    "matched", &v));
	ck_assert_int_eq(json_object_get_int(v), 2);
	ck_assert(json_object_object_get_ex(json_object_array_get_idx(data, 1),
	    "fired", &v));
	ck_assert_int_eq(json_object_get_int(v), 2);
	ck_assert(json_object_object_get_ex(json_object_array_get_idx(data, 2),
	    "matched", &v));
	ck_assert_int_eq(json_object_get_int(v), 0);
	json_object_put(l);
	/* deleting rule 2 lets rule 3 through */
	ck_assert_int_eq(faults_delete(f, 2), 0);
	ck_assert(fires(f, "GET", "/other", &a));
	ck_assert_int_eq(a.rule_id, 3);
	gerr_clear(&a.err);
	faults_free(f);
}
END_TEST

START_TEST(test_list)
{
	struct faults *f = faults_new();
	struct json_object *l, *data, *r, *m, *v, *want;
	static const char *rule =
	    "{\"match\":{\"method\":\"GET\","
	    "\"path\":\"/*/123\"},\"error\":{\"code\":2,\"message\":\"boom\","
	    "\"status\":503},\"latency_ms\":5,\"every_nth\":2,\"seed\":9}";

	l = faults_list(f);
	ck_assert(json_object_object_get_ex(l, "data", &data));
	ck_assert_int_eq(json_object_array_length(data), 0);
	json_object_put(l);

	ck_assert_int_eq(add_ok(f, rule), 1);
	ck_assert(!fires(f, "GET", "/v1.0/123", NULL));
	l = faults_list(f);
	ck_assert(json_object_object_get_ex(l, "data", &data));
	ck_assert_int_eq(json_object_array_length(data), 1);
	r = json_object_array_get_idx(data, 0);
	ck_assert(json_object_object_get_ex(r, "id", &v));
	ck_assert(json_object_is_type(v, json_type_int));
	ck_assert_int_eq(json_object_get_int(v), 1);
	ck_assert(json_object_object_get_ex(r, "matched", &v));
	ck_assert_int_eq(json_object_get_int(v), 1);
	ck_assert(json_object_object_get_ex(r, "fired", &v));
	ck_assert_int_eq(json_object_get_int(v), 0);
	/* not a "times" rule: nothing remaining to report */
	ck_assert(!json_object_object_get_ex(r, "remaining", NULL));
	/* the rule as given, key for key */
	want = json_tokener_parse(rule);
	json_object_object_foreach(want, key, val) {
		ck_assert_msg(json_object_object_get_ex(r, key, &m), "no %s",
		    key);
		ck_assert_msg(json_object_equal(val, m), "%s differs", key);
	}
	ck_assert_int_eq(json_object_object_length(r),
	    json_object_object_length(want) + 3);
	json_object_put(want);
	json_object_put(l);
	faults_free(f);
}
END_TEST

START_TEST(test_delete_clear_ids)
{
	struct faults *f = faults_new();
	static const char *rule = "{\"match\":{\"path\":\"/x\"},"
	                          "\"error\":{\"code\":2}}";

	ck_assert_int_eq(add_ok(f, rule), 1);
	ck_assert_int_eq(add_ok(f, rule), 2);
	ck_assert_int_eq(add_ok(f, rule), 3);
	ck_assert_int_eq(faults_delete(f, 2), 0);
	ck_assert_int_eq(faults_delete(f, 2), -1);
	ck_assert_int_eq(faults_delete(f, 99), -1);
	ck_assert_int_eq(faults_delete(f, 0), -1);
	ck_assert_uint_eq(nrules(f), 2);
	ck_assert_int_eq(add_ok(f, rule), 4);
	faults_clear(f);
	ck_assert_uint_eq(nrules(f), 0);
	ck_assert(!fires(f, "GET", "/x", NULL));
	/* ids are never reused */
	ck_assert_int_eq(add_ok(f, rule), 5);
	ck_assert(fires(f, "GET", "/x", NULL));
	faults_free(f);
}
END_TEST

START_TEST(test_many_rules)
{
	struct faults *f = faults_new();
	char buf[128];
	int i;

	for (i = 0; i < 100; i++) {
		snprintf(buf, sizeof(buf),
		    "{\"match\":{\"path\":\"/r%d\"},"
		    "\"latency_ms\":%d}",
		    i, i + 1);
		ck_assert_int_eq(add_ok(f, buf), i + 1);
	}
	for (i = 0; i < 100; i += 7) {
		struct fault_action a;

		snprintf(buf, sizeof(buf), "/r%d", i);
		ck_assert(fires(f, "GET", buf, &a));
		ck_assert_int_eq(a.rule_id, i + 1);
		ck_assert_uint_eq(a.latency_ms, (unsigned)i + 1);
	}
	faults_free(f);
}
END_TEST

static Suite *
faults_suite(void)
{
	Suite *s = suite_create("faults");
	const TTest *const rules[] = {
		test_validation,
		test_cause_text,
		test_list,
		test_delete_clear_ids,
		test_many_rules,
		NULL,
	};
	const TTest *const firing[] = {
		test_always_and_matching,
		test_any_method,
		test_error_defaults,
		test_unknown_code_1_2_status,
		test_latency_and_drop,
		test_webhook_rules,
		test_times,
		test_every_nth,
		test_every_nth_one,
		test_probability_replays,
		test_probability_bounds,
		test_first_firing_rule_wins,
		NULL,
	};

	suite_case(s, "rules", NULL, NULL, rules);
	suite_case(s, "firing", NULL, NULL, firing);
	return s;
}

int
main(void)
{
	return suite_run(faults_suite());
}
