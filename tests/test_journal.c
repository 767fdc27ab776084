/*
 * test_journal.c - the request journal: entry shape, masking, the ring,
 * every filter and the glob matcher.
 */
#include <check.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "gerr.h"
#include "globmatch.h"
#include "journal.h"
#include "request.h"
#include "util.h"
#include "suite.h"

#define T0 1700000000

/* A finished request as the pipeline leaves it; request.c is not linked. */
static void
rq_make(struct request *rq, const char *verb, const char *path, int status)
{
	memset(rq, 0, sizeof(*rq));
	snprintf(rq->verb, sizeof(rq->verb), "%s", verb);
	rq->method = xstrdup(verb);
	rq->path = path ? xstrdup(path) : NULL;
	rq->resp.status = status;
}

static void
rq_free(struct request *rq)
{
	free(rq->method);
	free(rq->path);
	free(rq->target);
	params_cleanup(&rq->params);
	gerr_clear(&rq->err);
}

/* Adds one simple call. */
static void
add(struct journal *j, const char *verb, const char *path, int status,
    int64_t now)
{
	struct request rq;

	rq_make(&rq, verb, path, status);
	journal_add(j, &rq, now);
	rq_free(&rq);
}

static struct json_object *
entries(struct journal *j, const struct params *filter)
{
	struct json_object *o, *data;
	char *cause = NULL;

	o = journal_query(j, filter, 0, &cause);
	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_null(cause);
	ck_assert(json_object_object_get_ex(o, "data", &data));
	json_object_get(data);
	json_object_put(o);
	return data;
}

static int64_t
count(struct journal *j, const struct params *filter)
{
	struct json_object *o, *v;
	char *cause = NULL;
	int64_t n;

	o = journal_query(j, filter, 1, &cause);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(json_object_object_length(o), 1);
	ck_assert(json_object_object_get_ex(o, "count", &v));
	n = json_object_get_int64(v);
	json_object_put(o);
	return n;
}

/* count() with one filter parameter. */
static int64_t
count1(struct journal *j, const char *name, const char *value)
{
	struct params f = { 0 };
	int64_t n;

	params_set(&f, name, value);
	n = count(j, &f);
	params_cleanup(&f);
	return n;
}

static const char *
str_at(struct json_object *o, const char *key)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	return json_object_get_string(v);
}

static int64_t
int_at(struct json_object *o, const char *key)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	ck_assert(json_object_is_type(v, json_type_int));
	return json_object_get_int64(v);
}

static bool
null_at(struct json_object *o, const char *key)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	return v == NULL;
}

START_TEST(test_entry_shape)
{
	struct journal *j = journal_new(10);
	struct json_object *data, *e, *p, *v;
	struct request rq;

	rq_make(&rq, "GET", "/v24.0/2000000000000001", 200);
	params_set(&rq.params, "fields", "id,name");
	rq.token_user = 3000000000000001LL;
	rq.started_us = clock_mono_us() - 5000;
	journal_add(j, &rq, T0);
	rq_free(&rq);
	ck_assert_uint_eq(journal_size(j), 1);

	data = entries(j, NULL);
	ck_assert_int_eq(json_object_array_length(data), 1);
	e = json_object_array_get_idx(data, 0);
	ck_assert_int_eq(json_object_object_length(e), 9);
	ck_assert_int_eq(int_at(e, "seq"), 1);
	ck_assert_int_eq(int_at(e, "time"), T0);
	ck_assert_str_eq(str_at(e, "method"), "GET");
	ck_assert_str_eq(str_at(e, "path"), "/v24.0/2000000000000001");
	ck_assert(json_object_object_get_ex(e, "params", &p));
	ck_assert(json_object_is_type(p, json_type_object));
	ck_assert_int_eq(json_object_object_length(p), 1);
	ck_assert_str_eq(str_at(p, "fields"), "id,name");
	ck_assert_str_eq(str_at(e, "user"), "3000000000000001");
	ck_assert_int_eq(int_at(e, "status"), 200);
	ck_assert(null_at(e, "error_code"));
	ck_assert(json_object_object_get_ex(e, "duration_ms", &v));
	ck_assert(json_object_is_type(v, json_type_double));
	ck_assert(json_object_get_double(v) >= 5.0);
	ck_assert(json_object_get_double(v) < 60000.0);
	json_object_put(data);
	journal_free(j);
}
END_TEST

START_TEST(test_entry_error_and_nulls)
{
	struct journal *j = journal_new(10);
	struct json_object *data, *e, *v;
	struct request rq;

	rq_make(&rq, "POST", "/v24.0/2000000000000001/assigned_users", 403);
	gerr_set(&rq.err, GE_PERMISSION, NULL);
	journal_add(j, &rq, T0);
	rq_free(&rq);
	rq_make(&rq, "GET", "/x", 500);
	gerr_custom(&rq.err, 2, 0, NULL, NULL, 503);
	journal_add(j, &rq, T0 + 1);
	rq_free(&rq);

	data = entries(j, NULL);
	e = json_object_array_get_idx(data, 0);
	ck_assert_int_eq(int_at(e, "error_code"), 200);
	ck_assert(null_at(e, "user"));
	ck_assert_int_eq(int_at(e, "status"), 403);
	ck_assert(json_object_object_get_ex(e, "params", &v));
	ck_assert_int_eq(json_object_object_length(v), 0);
	/* never started: no duration to speak of */
	ck_assert(json_object_object_get_ex(e, "duration_ms", &v));
	ck_assert(json_object_get_double(v) == 0.0);
	e = json_object_array_get_idx(data, 1);
	ck_assert_int_eq(int_at(e, "error_code"), 2);
	ck_assert_int_eq(int_at(e, "seq"), 2);
	json_object_put(data);
	journal_free(j);
}
END_TEST

/* Injected faults: the latency counts, a drop is flagged. */
START_TEST(test_entry_fault_effects)
{
	struct journal *j = journal_new(10);
	struct json_object *data, *e, *v;
	struct request rq;

	rq_make(&rq, "GET", "/slow", 200);
	rq.resp.latency_ms = 250;
	journal_add(j, &rq, T0);
	rq_free(&rq);
	rq_make(&rq, "POST", "/dropped", 200);
	rq.resp.drop = true;
	journal_add(j, &rq, T0);
	rq_free(&rq);

	data = entries(j, NULL);
	e = json_object_array_get_idx(data, 0);
	ck_assert(json_object_object_get_ex(e, "duration_ms", &v));
	ck_assert(json_object_get_double(v) == 250.0);
	ck_assert(!json_object_object_get_ex(e, "dropped", NULL));
	e = json_object_array_get_idx(data, 1);
	/* the status the emulator made: the write may have happened */
	ck_assert_int_eq(int_at(e, "status"), 200);
	ck_assert(json_object_object_get_ex(e, "dropped", &v));
	ck_assert(json_object_is_type(v, json_type_boolean));
	ck_assert(json_object_get_boolean(v));
	json_object_put(data);
	journal_free(j);
}
END_TEST

START_TEST(test_entry_path_and_method_fallbacks)
{
	struct journal *j = journal_new(10);
	struct json_object *data, *e;
	struct request rq;

	/* request_prepare() failed: no path or verb yet */
	memset(&rq, 0, sizeof(rq));
	rq.method = xstrdup("PUT");
	rq.target = xstrdup("/v24.0/123?access_token=abc");
	rq.resp.status = 400;
	journal_add(j, &rq, T0);
	rq_free(&rq);
	memset(&rq, 0, sizeof(rq));
	rq.target = xstrdup("/plain");
	journal_add(j, &rq, T0);
	rq_free(&rq);
	memset(&rq, 0, sizeof(rq));
	journal_add(j, &rq, T0);
	rq_free(&rq);
	/* method=DELETE override: the verb wins */
	rq_make(&rq, "DELETE", "/v24.0/1/assigned_users", 200);
	free(rq.method);
	rq.method = xstrdup("POST");
	journal_add(j, &rq, T0);
	rq_free(&rq);

	data = entries(j, NULL);
	ck_assert_int_eq(json_object_array_length(data), 4);
	e = json_object_array_get_idx(data, 0);
	ck_assert_str_eq(str_at(e, "method"), "PUT");
	ck_assert_str_eq(str_at(e, "path"), "/v24.0/123");
	e = json_object_array_get_idx(data, 1);
	ck_assert_str_eq(str_at(e, "method"), "");
	ck_assert_str_eq(str_at(e, "path"), "/plain");
	e = json_object_array_get_idx(data, 2);
	ck_assert_str_eq(str_at(e, "path"), "");
	e = json_object_array_get_idx(data, 3);
	ck_assert_str_eq(str_at(e, "method"), "DELETE");
	json_object_put(data);
	journal_free(j);
}
END_TEST

START_TEST(test_masking)
{
	static const char *const cases[][3] = {
		/* name, value, journaled */
		{ "access_token", "EAACEdEose0cBA1234", "EAAC***" },
		{ "access_token", "12345678", "***" },
		{ "access_token", "123456789", "1234***" },
		{ "access_token", "", "***" },
		{ "input_token", "EAAGm0PX4ZCpsBAxyz", "EAAG***" },
		{ "fb_exchange_token", "LONGTOKENVALUE", "LONG***" },
		{ "refresh_token", "short", "***" },
		{ "appsecret_proof", "6cc300911a5969b7fcb07a15cd33", "***" },
		{ "client_secret", "averyveryverylongsecret", "***" },
		{ "secret", "averyveryverylongsecret", "***" },
		/* not secrets */
		{ "token", "notmaskedatall", "notmaskedatall" },
		{ "tokens", "notmaskedatall", "notmaskedatall" },
		{ "_tokenx", "notmaskedatall", "notmaskedatall" },
		{ "appsecret_time", "1700000000", "1700000000" },
		{ "user", "3000000000000001", "3000000000000001" },
	};
	struct journal *j = journal_new(100);
	struct json_object *data, *p;
	struct request rq;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rq_make(&rq, "GET", "/m", 200);
		params_set(&rq.params, cases[i][0], cases[i][1]);
		journal_add(j, &rq, T0);
		rq_free(&rq);
		data = entries(j, NULL);
		ck_assert(json_object_object_get_ex(
		    json_object_array_get_idx(data, (int)i), "params", &p));
		ck_assert_msg(strcmp(str_at(p, cases[i][0]), cases[i][2]) == 0,
		    "%s=%s journaled as %s", cases[i][0], cases[i][1],
		    str_at(p, cases[i][0]));
		json_object_put(data);
	}
	journal_free(j);
}
END_TEST

/* Credentials inside other values: batch items, bodies, headers. */
START_TEST(test_masking_inside_values)
{
	static const char *const cases[][2] = {
		/* value, journaled */
		{ "[{\"method\":\"GET\",\"relative_url\":\"v24.0/4?access_token="
		  "EAAdemoAdmin&fields=id\"}]",
		    "[{\"method\":\"GET\",\"relative_url\":\"v24.0/4?access_token="
		    "EAAd***&fields=id\"}]" },
		{ "[{\"body\":\"input_token=EAAGm0PX4ZCpsB&appsecret_proof=abc"
		  "def0123\"}]",
		    "[{\"body\":\"input_token=EAAG***&appsecret_proof=***\"}]" },
		{ "[{\"headers\":[{\"name\":\"Authorization\",\"value\":"
		  "\"OAuth EAAdemoAdmin\"}]}]",
		    "[{\"headers\":[{\"name\":\"Authorization\",\"value\":"
		    "\"OAuth EAAd***\"}]}]" },
		{ "Bearer 1000000000000001|demo-app-secret", "Bearer 1000***" },
		{ "x=1000000000000001|demo-app-secret&y=2",
		    "x=1000000000000001|***&y=2" },
		{ "{\"client_secret\": \"abcdefghijkl\",\"access_token\":\"x\"}",
		    "{\"client_secret\": \"***\",\"access_token\":\"***\"}" },
		{ "{\\\"input_token\\\":\\\"EAAGm0PX4ZCpsBAxyz\\\"}",
		    "{\\\"input_token\\\":\\\"EAAG***\\\"}" },
		{ "see EAAdemoAdmin-x.y here", "see EAAd*** here" },
		{ "client_id=1000000000000001&code=AQDx9z8k&redirect_uri=x",
		    "client_id=1000000000000001&code=***&redirect_uri=x" },
		/* not credentials */
		{ "name,id,phone_numbers{id}", "name,id,phone_numbers{id}" },
		{ "3000000000000001", "3000000000000001" },
		{ "EAA myEAAtoken token=abc", "EAA myEAAtoken token=abc" },
		{ "access_token is a word", "access_token is a word" },
	};
	struct journal *j = journal_new(100);
	struct json_object *data, *p;
	struct request rq;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rq_make(&rq, "POST", "/", 200);
		params_set(&rq.params, "batch", cases[i][0]);
		journal_add(j, &rq, T0);
		rq_free(&rq);
		data = entries(j, NULL);
		ck_assert(json_object_object_get_ex(
		    json_object_array_get_idx(data, (int)i), "params", &p));
		ck_assert_msg(strcmp(str_at(p, "batch"), cases[i][1]) == 0,
		    "%s journaled as %s", cases[i][0], str_at(p, "batch"));
		json_object_put(data);
	}
	/* the path too */
	rq_make(&rq, "GET", "/v24.0/EAAdemoAdmin", 400);
	journal_add(j, &rq, T0);
	rq_free(&rq);
	data = entries(j, NULL);
	ck_assert_str_eq(str_at(json_object_array_get_idx(data,
	                            (int)json_object_array_length(data) - 1),
	                     "path"),
	    "/v24.0/EAAd***");
	json_object_put(data);
	journal_free(j);
}
END_TEST

START_TEST(test_masking_utf8)
{
	struct journal *j = journal_new(10);
	struct json_object *data, *p;
	struct request rq;

	/* "abc" then a two-byte character straddling the cut */
	rq_make(&rq, "GET", "/m", 200);
	params_set(&rq.params, "access_token", "abc\xc3\xa9xxxxxxx");
	journal_add(j, &rq, T0);
	rq_free(&rq);
	data = entries(j, NULL);
	ck_assert(json_object_object_get_ex(json_object_array_get_idx(data, 0),
	    "params", &p));
	ck_assert_str_eq(str_at(p, "access_token"), "abc***");
	json_object_put(data);
	journal_free(j);
}
END_TEST

START_TEST(test_ring_overflow)
{
	struct journal *j = journal_new(3);
	struct json_object *data;
	int i;

	for (i = 1; i <= 7; i++)
		add(j, "GET", "/r", 200, T0 + i);
	ck_assert_uint_eq(journal_size(j), 3);
	data = entries(j, NULL);
	ck_assert_int_eq(json_object_array_length(data), 3);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(
		    int_at(json_object_array_get_idx(data, i), "seq"), 5 + i);
		ck_assert_int_eq(
		    int_at(json_object_array_get_idx(data, i), "time"),
		    T0 + 5 + i);
	}
	json_object_put(data);
	ck_assert_int_eq(count(j, NULL), 3);
	journal_free(j);
}
END_TEST

START_TEST(test_capacity_zero)
{
	struct journal *j = journal_new(0);

	add(j, "GET", "/r", 200, T0);
	ck_assert_uint_eq(journal_size(j), 0);
	ck_assert_int_eq(count(j, NULL), 0);
	journal_free(j);
}
END_TEST

START_TEST(test_clear)
{
	struct journal *j = journal_new(2);
	struct json_object *data;

	add(j, "GET", "/a", 200, T0);
	add(j, "GET", "/b", 200, T0);
	add(j, "GET", "/c", 200, T0);
	journal_clear(j);
	ck_assert_uint_eq(journal_size(j), 0);
	data = entries(j, NULL);
	ck_assert_int_eq(json_object_array_length(data), 0);
	json_object_put(data);
	add(j, "GET", "/d", 200, T0);
	data = entries(j, NULL);
	ck_assert_int_eq(json_object_array_length(data), 1);
	/* sequence numbers are never reused */
	ck_assert_int_eq(int_at(json_object_array_get_idx(data, 0), "seq"), 4);
	json_object_put(data);
	journal_free(j);
}
END_TEST

/* A small journal for the filter tests. */
static struct journal *
sample(void)
{
	struct journal *j = journal_new(100);

	add(j, "GET", "/v24.0/2000000000000001", 200, T0);
	add(j, "GET", "/v24.0/2000000000000001/phone_numbers", 200, T0 + 10);
	add(j, "POST", "/v24.0/2000000000000001/assigned_users", 403, T0 + 20);
	add(j, "DELETE", "/v24.0/2000000000000001/assigned_users", 200,
	    T0 + 30);
	add(j, "GET", "/2000000000000001", 429, T0 + 40);
	return j;
}

START_TEST(test_filter_method)
{
	struct journal *j = sample();

	ck_assert_int_eq(count1(j, "method", "GET"), 3);
	ck_assert_int_eq(count1(j, "method", "get"), 3);
	ck_assert_int_eq(count1(j, "method", "Post"), 1);
	ck_assert_int_eq(count1(j, "method", "PUT"), 0);
	ck_assert_int_eq(count1(j, "method", ""), 5);
	journal_free(j);
}
END_TEST

START_TEST(test_filter_path)
{
	struct journal *j = sample();

	/* without '*', an exact match of the whole path */
	ck_assert_int_eq(count1(j, "path", "/v24.0/2000000000000001"), 1);
	ck_assert_int_eq(count1(j, "path", "/v24.0/200000000000000"), 0);
	ck_assert_int_eq(count1(j, "path", "/v24.0/2000000000000001/"), 0);
	ck_assert_int_eq(count1(j, "path", "*/assigned_users"), 2);
	ck_assert_int_eq(count1(j, "path", "/*/2000000000000001"), 1);
	ck_assert_int_eq(count1(j, "path", "*2000000000000001"), 2);
	ck_assert_int_eq(count1(j, "path", "/v24.0/*"), 4);
	ck_assert_int_eq(count1(j, "path", "*"), 5);
	ck_assert_int_eq(count1(j, "path", "*phone*"), 1);
	ck_assert_int_eq(count1(j, "path", ""), 5);
	journal_free(j);
}
END_TEST

START_TEST(test_filter_status_since)
{
	struct journal *j = sample();

	ck_assert_int_eq(count1(j, "status", "200"), 3);
	ck_assert_int_eq(count1(j, "status", "429"), 1);
	ck_assert_int_eq(count1(j, "status", "500"), 0);
	ck_assert_int_eq(count1(j, "since", "1700000020"), 3);
	ck_assert_int_eq(count1(j, "since", "1700000021"), 2);
	ck_assert_int_eq(count1(j, "since", "0"), 5);
	ck_assert_int_eq(count1(j, "since", "1800000000"), 0);
	/* other parameters are not filters */
	ck_assert_int_eq(count1(j, "count", "1"), 5);
	journal_free(j);
}
END_TEST

START_TEST(test_filter_combined)
{
	struct journal *j = sample();
	struct params f = { 0 };
	struct json_object *data;

	params_set(&f, "method", "get");
	params_set(&f, "path", "*2000000000000001*");
	params_set(&f, "status", "200");
	params_set(&f, "since", "1700000005");
	ck_assert_int_eq(count(j, &f), 1);
	data = entries(j, &f);
	ck_assert_int_eq(json_object_array_length(data), 1);
	ck_assert_str_eq(str_at(json_object_array_get_idx(data, 0), "path"),
	    "/v24.0/2000000000000001/phone_numbers");
	json_object_put(data);
	params_cleanup(&f);
	journal_free(j);
}
END_TEST

START_TEST(test_filter_bad)
{
	static const char *const bad[][2] = {
		{ "status", "abc" },
		{ "status", "99" },
		{ "status", "600" },
		{ "status", "-1" },
		{ "status", "2.5" },
		{ "status", "200x" },
		{ "status", " 200" },
		{ "since", "x" },
		{ "since", "-5" },
		{ "since", "1e9" },
		{ "since", "99999999999999999999" },
	};
	struct journal *j = sample();
	struct params f;
	char *cause;
	size_t i;
	int only;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (only = 0; only <= 1; only++) {
			memset(&f, 0, sizeof(f));
			params_set(&f, bad[i][0], bad[i][1]);
			cause = NULL;
			ck_assert_ptr_null(journal_query(j, &f, only, &cause));
			ck_assert_ptr_nonnull(cause);
			ck_assert_msg(strstr(cause, bad[i][0]) != NULL,
			    "cause '%s' does not name %s", cause, bad[i][0]);
			free(cause);
			params_cleanup(&f);
		}
	}
	journal_free(j);
}
END_TEST

START_TEST(test_glob)
{
	static const struct {
		const char *p, *s;
		int want;
	} cases[] = {
		{ "", "", 1 },
		{ "", "a", 0 },
		{ "a", "", 0 },
		{ "*", "", 1 },
		{ "**", "", 1 },
		{ "*", "/v24.0/123/edge", 1 },
		{ "abc", "abc", 1 },
		{ "abc", "abcd", 0 },
		{ "abcd", "abc", 0 },
		{ "a*", "a", 1 },
		{ "a*", "ba", 0 },
		{ "*a", "ba", 1 },
		{ "*a", "ab", 0 },
		{ "a*b*c", "abc", 1 },
		{ "a*b*c", "aXXbYYc", 1 },
		{ "a*b*c", "aXXbYYcZ", 0 },
		{ "a*b*c", "acb", 0 },
		{ "*/123", "/v24.0/123", 1 },
		{ "*/123", "/v24.0/1234", 0 },
		{ "/*/123", "/v24.0/123", 1 },
		{ "/*/123", "/123", 0 },
		{ "/*/123", "//123", 1 },
		{ "*ab*ab*", "xabyab", 1 },
		{ "*aab", "aaab", 1 },
		{ "*?", "x?", 1 },
		{ "*?", "xy", 0 }, /* only '*' is special */
		{ "a**b", "ab", 1 },
		{ "a*", "a*", 1 },
	};
	char s[4001], p[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(glob_match(cases[i].p, cases[i].s) ==
		        cases[i].want,
		    "glob_match(\"%s\", \"%s\")", cases[i].p, cases[i].s);
	ck_assert_int_eq(glob_match(NULL, "a"), 0);
	ck_assert_int_eq(glob_match("a", NULL), 0);
	/* a pathological pattern finishes at once (no exponential retry) */
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	strcpy(p, "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
	ck_assert_int_eq(glob_match(p, s), 0);
	s[sizeof(s) - 2] = 'b';
	ck_assert_int_eq(glob_match(p, s), 1);
}
END_TEST

/*
 * Requests are journalled outside emu->lock: writers on several threads
 * and a reader at once keep the ring whole, with every sequence number
 * used once.
 */
#define WRITERS 4
#define PER_WRITER 2000

static void *
writer(void *arg)
{
	struct journal *j = arg;
	struct request rq;
	int i;

	for (i = 0; i < PER_WRITER; i++) {
		rq_make(&rq, "GET", "/v24.0/1", 200);
		params_set(&rq.params, "access_token", "EAAdemoAdmin");
		params_set(&rq.params, "fields", "id,name");
		journal_add(j, &rq, T0);
		rq_free(&rq);
	}
	return NULL;
}

START_TEST(test_concurrent_writers)
{
	struct journal *j = journal_new(100);
	pthread_t t[WRITERS];
	struct json_object *data, *e;
	int64_t prev = 0, seq;
	size_t i;

	for (i = 0; i < WRITERS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, writer, j), 0);
	for (i = 0; i < 50; i++) {
		data = entries(j, NULL);
		ck_assert_uint_le(json_object_array_length(data), 100);
		json_object_put(data);
	}
	for (i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	ck_assert_uint_eq(journal_size(j), 100);
	data = entries(j, NULL);
	for (i = 0; i < json_object_array_length(data); i++) {
		e = json_object_array_get_idx(data, i);
		seq = json_object_get_int64(json_object_object_get(e, "seq"));
		ck_assert_int_gt(seq, prev);
		prev = seq;
		ck_assert_str_eq(
		    json_object_get_string(json_object_object_get(
		        json_object_object_get(e, "params"), "access_token")),
		    "EAAd***");
	}
	ck_assert_int_eq(prev, WRITERS * PER_WRITER);
	json_object_put(data);
	journal_free(j);
}
END_TEST

static Suite *
journal_suite(void)
{
	Suite *s = suite_create("journal");
	const TTest *const entries[] = {
		test_entry_shape,
		test_entry_error_and_nulls,
		test_entry_fault_effects,
		test_entry_path_and_method_fallbacks,
		test_masking,
		test_masking_inside_values,
		test_masking_utf8,
		test_ring_overflow,
		test_capacity_zero,
		test_clear,
		NULL,
	};
	const TTest *const filters[] = {
		test_filter_method,
		test_filter_path,
		test_filter_status_since,
		test_filter_combined,
		test_filter_bad,
		test_glob,
		test_concurrent_writers,
		NULL,
	};

	suite_case(s, "entries", NULL, NULL, entries);
	suite_case(s, "filters", NULL, NULL, filters);
	return s;
}

int
main(void)
{
	return suite_run(journal_suite());
}
