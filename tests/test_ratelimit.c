/*
 * test_ratelimit.c - the rolling window, the usage figures and headers,
 * key eviction, and appsecret_proof.  Time is passed in as numbers.
 */
#include <check.h>
#include <json-c/json.h>
#include <malloc.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "proof.h"
#include "ratelimit.h"
#include "suite.h"

#define T0 1700000000
#define APP 1000000000000001LL
#define WABA 2000000000000001LL

/* Makes n calls at now; returns how many were refused. */
static int
hits(struct ratelimit *rl, int64_t app, int64_t waba, bool active, int64_t now,
    int n, struct rl_usage *last)
{
	struct rl_usage u;
	int i, refused = 0;

	for (i = 0; i < n; i++) {
		ratelimit_hit(rl, app, waba, active, now, &u);
		if (u.throttled)
			refused++;
	}
	if (last)
		*last = u;
	return refused;
}

START_TEST(test_200_then_throttled)
{
	struct ratelimit *rl = ratelimit_new(200, 5000, 3600);
	struct rl_usage u;

	ck_assert_int_eq(hits(rl, APP, WABA, false, T0, 199, &u), 0);
	ck_assert_int_eq(u.call_count, 99);
	ck_assert(!u.throttled);
	ratelimit_hit(rl, APP, WABA, false, T0, &u);
	ck_assert(!u.throttled);
	ck_assert_int_eq(u.call_count, 100);
	ck_assert_int_eq(u.regain_minutes, 0);
	ratelimit_hit(rl, APP, WABA, false, T0, &u);
	ck_assert(u.throttled);
	ck_assert_int_eq(u.call_count, 100);
	ck_assert_int_eq(u.total_cputime, 50);
	ck_assert_int_eq(u.total_time, 33);
	ck_assert_int_eq(u.regain_minutes, 60);
	ck_assert_uint_eq(ratelimit_throttled(rl), 1);
	/* refused calls are not counted: still exactly 200 in the window */
	ck_assert_int_eq(hits(rl, APP, WABA, false, T0 + 10, 5, NULL), 5);
	ck_assert_uint_eq(ratelimit_throttled(rl), 6);
	ratelimit_hit(rl, APP, WABA, false, T0 + 3600, &u);
	ck_assert(!u.throttled);
	ck_assert_int_eq(u.call_count, 0); /* 1 of 200 */
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_window_boundary)
{
	struct ratelimit *rl = ratelimit_new(1, 5000, 3600);
	struct rl_usage u;

	ratelimit_hit(rl, APP, WABA, false, T0, &u);
	ck_assert(!u.throttled);
	ratelimit_hit(rl, APP, WABA, false, T0 + 3599, &u);
	ck_assert(u.throttled);
	ck_assert_int_eq(u.regain_minutes, 1); /* 1 second, rounded up */
	ratelimit_hit(rl, APP, WABA, false, T0 + 3600, &u);
	ck_assert(!u.throttled);
	ck_assert_int_eq(u.call_count, 100);
	/* the call at T0+3600 now blocks until T0+7200 */
	ratelimit_hit(rl, APP, WABA, false, T0 + 7199, &u);
	ck_assert(u.throttled);
	ratelimit_hit(rl, APP, WABA, false, T0 + 7200, &u);
	ck_assert(!u.throttled);
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_rolling_not_fixed)
{
	struct ratelimit *rl = ratelimit_new(200, 5000, 3600);
	struct rl_usage u;

	/* 100 calls at T0, 100 at T0+1800: the first hundred leave first */
	ck_assert_int_eq(hits(rl, APP, WABA, false, T0, 100, NULL), 0);
	ck_assert_int_eq(hits(rl, APP, WABA, false, T0 + 1800, 100, NULL), 0);
	ratelimit_hit(rl, APP, WABA, false, T0 + 3599, &u);
	ck_assert(u.throttled);
	ck_assert_int_eq(u.regain_minutes, 1);
	ck_assert_int_eq(hits(rl, APP, WABA, false, T0 + 3600, 100, &u), 0);
	ck_assert_int_eq(u.call_count, 100);
	ratelimit_hit(rl, APP, WABA, false, T0 + 3600, &u);
	ck_assert(u.throttled);
	/* the oldest counted calls are now the ones at T0+1800 */
	ck_assert_int_eq(u.regain_minutes, 30);
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_regain_minutes)
{
	struct ratelimit *rl = ratelimit_new(2, 5000, 3600);
	struct rl_usage u;

	ratelimit_hit(rl, APP, WABA, false, T0, &u);
	ratelimit_hit(rl, APP, WABA, false, T0 + 100, &u);
	ratelimit_hit(rl, APP, WABA, false, T0 + 100, &u);
	ck_assert(u.throttled);
	/* 3500 s until the T0 call leaves: ceil(3500/60) = 59 */
	ck_assert_int_eq(u.regain_minutes, 59);
	ratelimit_hit(rl, APP, WABA, false, T0 + 3540, &u);
	ck_assert_int_eq(u.regain_minutes, 1); /* exactly 60 s */
	ratelimit_hit(rl, APP, WABA, false, T0 + 3539, &u);
	ck_assert_int_eq(u.regain_minutes, 2); /* 61 s */
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_active_limit)
{
	struct ratelimit *rl = ratelimit_new(200, 5000, 3600);
	struct rl_usage u;

	ck_assert_int_eq(hits(rl, APP, WABA, true, T0, 4999, &u), 0);
	ck_assert_int_eq(u.call_count, 99);
	ck_assert_int_eq(hits(rl, APP, WABA, true, T0 + 1, 1, &u), 0);
	ck_assert_int_eq(u.call_count, 100);
	ratelimit_hit(rl, APP, WABA, true, T0 + 2, &u);
	ck_assert(u.throttled);
	ck_assert_int_eq(u.regain_minutes, 60);
	/* losing the connected number: 5000 counted against 200 */
	ratelimit_hit(rl, APP, WABA, false, T0 + 2, &u);
	ck_assert(u.throttled);
	/* 4801 calls must leave; the T0 run holds 4999 of them */
	ck_assert_int_eq(u.regain_minutes, 60);
	ratelimit_hit(rl, APP, WABA, true, T0 + 3600, &u);
	ck_assert(!u.throttled);
	ck_assert_int_eq(u.call_count, 0); /* 2 of 5000 */
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_fallback_regain_walks_runs)
{
	struct ratelimit *rl = ratelimit_new(2, 10, 3600);
	struct rl_usage u;
	int i;

	/* one call a minute, active, then judged against the lower limit */
	for (i = 0; i < 5; i++)
		ratelimit_hit(rl, APP, WABA, true, T0 + 60 * i, &u);
	ratelimit_hit(rl, APP, WABA, false, T0 + 300, &u);
	ck_assert(u.throttled);
	/* 5 counted, limit 2: the 4th oldest (T0+180) must leave */
	ck_assert_int_eq(u.regain_minutes, (180 + 3600 - 300) / 60);
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_percentages)
{
	struct ratelimit *rl = ratelimit_new(200, 5000, 3600);
	struct rl_usage u;

	ratelimit_hit(rl, APP, WABA, false, T0, &u);
	ck_assert_int_eq(u.call_count, 0);
	ck_assert_int_eq(hits(rl, APP, WABA, false, T0, 1, &u), 0);
	ck_assert_int_eq(u.call_count, 1); /* 2/200 */
	ck_assert_int_eq(hits(rl, APP, WABA, false, T0, 98, &u), 0);
	ck_assert_int_eq(u.call_count, 50);
	ck_assert_int_eq(u.total_cputime, 25);
	ck_assert_int_eq(u.total_time, 16);
	ck_assert_int_eq(u.regain_minutes, 0);
	ck_assert(!u.throttled);
	ck_assert_int_eq(hits(rl, APP, WABA, false, T0, 51, &u), 0);
	ck_assert_int_eq(u.call_count, 75); /* 151/200 = 75.5 */
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_keys_independent)
{
	struct ratelimit *rl = ratelimit_new(3, 5000, 3600);
	struct rl_usage u;

	ck_assert_int_eq(hits(rl, APP, WABA, false, T0, 4, NULL), 1);
	ratelimit_hit(rl, APP, WABA + 1, false, T0, &u);
	ck_assert(!u.throttled);
	ratelimit_hit(rl, APP + 1, WABA, false, T0, &u);
	ck_assert(!u.throttled);
	ck_assert_int_eq(u.call_count, 33);
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_app_hit)
{
	struct ratelimit *rl = ratelimit_new(1, 100, 3600);
	struct rl_usage u;
	int i;

	for (i = 0; i < 50; i++)
		ratelimit_app_hit(rl, APP, T0, &u);
	ck_assert_int_eq(u.call_count, 50);
	ck_assert_int_eq(u.total_cputime, 25);
	ck_assert_int_eq(u.total_time, 16);
	for (i = 0; i < 100; i++)
		ratelimit_app_hit(rl, APP, T0 + 1, &u);
	ck_assert(!u.throttled);
	ck_assert_int_eq(u.call_count, 100); /* capped */
	ck_assert_int_eq(u.regain_minutes, 0);
	ck_assert_uint_eq(ratelimit_throttled(rl), 0);
	/* the app counter is apart from the business one */
	ratelimit_hit(rl, APP, WABA, false, T0 + 1, &u);
	ck_assert(!u.throttled);
	ratelimit_app_hit(rl, APP, T0 + 3600, &u);
	ck_assert_int_eq(u.call_count, 100); /* 101 at T0+1 still count */
	ratelimit_app_hit(rl, APP, T0 + 3601, &u);
	ck_assert_int_eq(u.call_count, 2);
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_reset)
{
	struct ratelimit *rl = ratelimit_new(1, 5000, 3600);
	struct rl_usage u;

	ck_assert_int_eq(hits(rl, APP, WABA, false, T0, 2, NULL), 1);
	ratelimit_app_hit(rl, APP, T0, &u);
	ratelimit_reset(rl);
	ratelimit_hit(rl, APP, WABA, false, T0, &u);
	ck_assert(!u.throttled);
	ratelimit_app_hit(rl, APP, T0, &u);
	ck_assert_int_eq(u.call_count, 0);
	/* a metrics counter only goes up */
	ck_assert_uint_eq(ratelimit_throttled(rl), 1);
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_eviction)
{
	struct ratelimit *rl = ratelimit_new(200, 5000, 3600);
	struct rl_usage u;
	int64_t w;

	/* a burst of short-lived keys, then many more an hour later */
	for (w = 1; w <= 10000; w++)
		ratelimit_hit(rl, APP, w, false, T0, &u);
	for (w = 10001; w <= 20000; w++)
		ratelimit_hit(rl, APP, w, false, T0 + 3600, &u);
	/* the first burst is gone; the second still counts */
	ratelimit_hit(rl, APP, 1, false, T0 + 3600, &u);
	ck_assert_int_eq(u.call_count, 0);
	ck_assert_int_eq(hits(rl, APP, 20000, false, T0 + 3600, 199, &u), 0);
	ck_assert_int_eq(u.call_count, 100);
	ck_assert_int_eq(hits(rl, APP, 20000, false, T0 + 3600, 1, &u), 1);
	ratelimit_free(rl);
}
END_TEST

/*
 * Half a million keys, a hundred new ones a second, a one-minute window:
 * about 6,000 are live at any time, and the heap must show it.  (Under
 * the address sanitizer mallinfo2() reports nothing, so this only bites
 * in the plain build.)
 */
START_TEST(test_eviction_bounded)
{
	struct ratelimit *rl = ratelimit_new(200, 5000, 60);
	struct rl_usage u;
	size_t before, after;
	int64_t i;

	before = mallinfo2().uordblks;
	for (i = 0; i < 500000; i++)
		ratelimit_hit(rl, APP, i, false, T0 + i / 100, &u);
	after = mallinfo2().uordblks;
	ck_assert_msg(after < before + 4 * 1024 * 1024,
	    "heap grew by %zu bytes", after - before);
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_clock_set_back)
{
	struct ratelimit *rl = ratelimit_new(2, 5000, 3600);
	struct rl_usage u;

	ratelimit_hit(rl, APP, WABA, false, T0 + 1000, &u);
	ratelimit_hit(rl, APP, WABA, false, T0, &u);
	ck_assert(!u.throttled);
	ratelimit_hit(rl, APP, WABA, false, T0, &u);
	ck_assert(u.throttled);
	ck_assert_int_gt(u.regain_minutes, 60);
	ratelimit_hit(rl, APP, WABA, false, T0 + 4600, &u);
	ck_assert(!u.throttled);
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_many_seconds)
{
	struct ratelimit *rl = ratelimit_new(200, 5000, 3600);
	struct rl_usage u;
	int64_t t;

	/* one call a second for two hours: only the last hour counts */
	for (t = 0; t < 7200; t++)
		ratelimit_hit(rl, APP, WABA, true, T0 + t, &u);
	ck_assert(!u.throttled);
	ck_assert_int_eq(u.call_count, 3600 * 100 / 5000);
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_buc_header)
{
	struct rl_usage u = { 42, 21, 14, 0, false };
	struct json_object *o, *arr, *e, *v;
	char s[RL_HEADER_SIZE];

	ratelimit_buc_header(s, WABA, &u);

	o = json_tokener_parse(s);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(json_object_object_length(o), 1);
	ck_assert(json_object_object_get_ex(o, "2000000000000001", &arr));
	ck_assert_int_eq(json_object_array_length(arr), 1);
	e = json_object_array_get_idx(arr, 0);
	ck_assert_int_eq(json_object_object_length(e), 5);
	ck_assert(json_object_object_get_ex(e, "type", &v));
	ck_assert_str_eq(json_object_get_string(v),
	    "whatsapp_business_management");
	ck_assert(json_object_object_get_ex(e, "call_count", &v));
	ck_assert(json_object_is_type(v, json_type_int));
	ck_assert_int_eq(json_object_get_int(v), 42);
	ck_assert(json_object_object_get_ex(e, "total_cputime", &v));
	ck_assert_int_eq(json_object_get_int(v), 21);
	ck_assert(json_object_object_get_ex(e, "total_time", &v));
	ck_assert_int_eq(json_object_get_int(v), 14);
	ck_assert(json_object_object_get_ex(e,
	    "estimated_time_to_regain_access", &v));
	ck_assert_int_eq(json_object_get_int(v), 0);
	/* compact: a header value has no spaces or newlines */
	ck_assert_ptr_null(strchr(s, ' '));
	ck_assert_ptr_null(strchr(s, '\n'));
	json_object_put(o);
}
END_TEST

START_TEST(test_buc_header_throttled)
{
	struct ratelimit *rl = ratelimit_new(1, 5000, 3600);
	struct json_object *o, *e, *v;
	struct rl_usage u;
	char s[RL_HEADER_SIZE];

	ratelimit_hit(rl, APP, WABA, false, T0, &u);
	ratelimit_hit(rl, APP, WABA, false, T0 + 60, &u);
	ratelimit_buc_header(s, WABA, &u);
	o = json_tokener_parse(s);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "2000000000000001", &v));
	e = json_object_array_get_idx(v, 0);
	ck_assert(json_object_object_get_ex(e, "call_count", &v));
	ck_assert_int_eq(json_object_get_int(v), 100);
	ck_assert(json_object_object_get_ex(e,
	    "estimated_time_to_regain_access", &v));
	ck_assert_int_eq(json_object_get_int(v), 59);
	json_object_put(o);
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_app_header)
{
	struct rl_usage u = { 7, 3, 2, 0, false };
	struct json_object *o, *v;
	char s[RL_HEADER_SIZE];

	ratelimit_app_header(s, &u);

	o = json_tokener_parse(s);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(json_object_object_length(o), 3);
	ck_assert(json_object_object_get_ex(o, "call_count", &v));
	ck_assert_int_eq(json_object_get_int(v), 7);
	ck_assert(json_object_object_get_ex(o, "total_cputime", &v));
	ck_assert_int_eq(json_object_get_int(v), 3);
	ck_assert(json_object_object_get_ex(o, "total_time", &v));
	ck_assert_int_eq(json_object_get_int(v), 2);
	ck_assert_ptr_null(strchr(s, ' '));
	json_object_put(o);
}
END_TEST

/* Every number at its widest still fits the buffer, as exact JSON. */
START_TEST(test_header_widest)
{
	struct rl_usage u = { INT_MIN, INT_MIN, INT_MIN, INT_MIN, false };
	struct json_object *o, *arr, *v;
	char s[RL_HEADER_SIZE + 1];

	memset(s, 'x', sizeof(s));
	ratelimit_buc_header(s, INT64_MIN, &u);
	ck_assert_uint_eq(s[RL_HEADER_SIZE], 'x');
	ck_assert_uint_eq(strlen(s) + 1, 191);
	o = json_tokener_parse(s);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "-9223372036854775808", &arr));
	ck_assert(json_object_object_get_ex(json_object_array_get_idx(arr, 0),
	    "estimated_time_to_regain_access", &v));
	ck_assert_int_eq(json_object_get_int(v), INT_MIN);
	json_object_put(o);
	ratelimit_app_header(s, &u);
	o = json_tokener_parse(s);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "total_time", &v));
	ck_assert_int_eq(json_object_get_int(v), INT_MIN);
	json_object_put(o);
}
END_TEST

/* Known answers from `openssl dgst -sha256 -hmac SECRET` and RFC 4231. */
#define SECRET "s3cr3t-app-secret"
#define TOKEN "EAACEdEose0cBA1234"
#define PROOF "6cc300911a5969b7fcb07a15cd3347ff17d005cc8eddff9987a79ae3e79ebfa6"
#define PROOF_T \
	"71476ee5831f1e83f902f98ec025deae6a58f7acb0ea3d7a86188306ca32d521"

START_TEST(test_proof_known_answers)
{
	char *p;

	p = appsecret_proof(SECRET, TOKEN, NULL);
	ck_assert_str_eq(p, PROOF);
	free(p);
	p = appsecret_proof(SECRET, TOKEN, "1700000000");
	ck_assert_str_eq(p, PROOF_T);
	free(p);
	p = appsecret_proof("Jefe", "what do ya want for nothing?", NULL);
	ck_assert_str_eq(p,
	    "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	free(p);
	ck_assert_ptr_null(appsecret_proof(NULL, TOKEN, NULL));
	ck_assert_ptr_null(appsecret_proof(SECRET, NULL, NULL));
}
END_TEST

START_TEST(test_proof_ok)
{
	char upper[65];
	size_t i;

	ck_assert(appsecret_proof_ok(SECRET, TOKEN, NULL, PROOF));
	ck_assert(appsecret_proof_ok(SECRET, TOKEN, "1700000000", PROOF_T));
	/* the time is part of the message */
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL, PROOF_T));
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, "1700000000", PROOF));
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, "1700000001", PROOF_T));
	/* wrong secret, wrong token */
	ck_assert(!appsecret_proof_ok("other", TOKEN, NULL, PROOF));
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN "x", NULL, PROOF));
	/* one digit off */
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL,
	    "6cc300911a5969b7fcb07a15cd3347ff"
	    "17d005cc8eddff9987a79ae3e79ebfa7"));
	/* short, long, empty, NULL */
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL,
	    "6cc300911a5969b7fcb07a15cd3347ff"
	    "17d005cc8eddff9987a79ae3e79ebfa"));
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL, PROOF "0"));
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL, ""));
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL, NULL));
	ck_assert(!appsecret_proof_ok(NULL, TOKEN, NULL, PROOF));
	/* non-hex of the right length */
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL,
	    "zcc300911a5969b7fcb07a15cd3347ff"
	    "17d005cc8eddff9987a79ae3e79ebfa6"));
	/* uppercase hex is not what any SDK sends */
	for (i = 0; i < 64; i++)
		upper[i] = (char)(PROOF[i] >= 'a' ? PROOF[i] - 32 : PROOF[i]);
	upper[64] = '\0';
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL, upper));
}
END_TEST

static Suite *
ratelimit_suite(void)
{
	Suite *s = suite_create("ratelimit");
	const TTest *const window[] = {
		test_200_then_throttled,
		test_window_boundary,
		test_rolling_not_fixed,
		test_regain_minutes,
		test_active_limit,
		test_fallback_regain_walks_runs,
		test_percentages,
		test_keys_independent,
		test_app_hit,
		test_reset,
		test_eviction,
		test_eviction_bounded,
		test_clock_set_back,
		test_many_seconds,
		NULL,
	};
	const TTest *const headers[] = {
		test_buc_header,
		test_buc_header_throttled,
		test_app_header,
		test_header_widest,
		NULL,
	};
	const TTest *const proof[] = {
		test_proof_known_answers,
		test_proof_ok,
		NULL,
	};

	suite_case(s, "window", NULL, NULL, window);
	suite_case(s, "headers", NULL, NULL, headers);
	suite_case(s, "proof", NULL, NULL, proof);
	return s;
}

int
main(void)
{
	return suite_run(ratelimit_suite());
}
