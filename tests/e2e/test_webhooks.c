/*
 * test_webhooks.c - webhooks through the real binary and a receiver in
 * this process (tests/receiver.h): the signed envelope, retries after a
 * 500 on the emulator clock, the refusal of a host outside the allow
 * rule, deliveries that survive a kill -9 of a --db store, redelivery,
 * the control plane's validation and reset, and attempts without libcurl.
 */
#include <check.h>
#include <json-c/json.h>
#include <nettle/base16.h>
#include <nettle/hmac.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../receiver.h"
#include "../suite.h"
#include "harness.h"

/* clang-format off */
#define EVENT_BODY "{\"field\":\"account_update\",\"waba\":\"" DEMO_WABA \
	"\",\"value\":{\"event\":\"PARTNER_ADDED\",\"note\":\"Caf\xc3\xa9 " \
	"\xf0\x9f\x98\x80\",\"waba_info\":{\"waba_id\":\"" DEMO_WABA "\"}}}"
/* clang-format on */

static struct receiver rx;
static char hook_url[128];
static char dbpath[256];

static void
rx_up(void)
{
	ck_assert_int_eq(rx_start_hook(&rx, 200, hook_url, sizeof(hook_url)),
	    0);
}

static void
cleanup_db(void)
{
	char p[300];

	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
}

static void
ctl_put(const struct server *s, const char *method, const char *path,
    const char *body, long want)
{
	json_object_put(ctl(s, method, path, body, want));
}

/* The deliveries the control plane lists (filter: a query string). */
static struct json_object *
deliveries(const struct server *s, const char *filter)
{
	char path[256];

	snprintf(path, sizeof(path), "/_emulator/webhooks%s", filter);
	return ctl(s, "GET", path, NULL, 200);
}

/* Waits until every listed delivery has at least n attempts. */
static struct json_object *
wait_attempts(const struct server *s, size_t n)
{
	int i;

	for (i = 0; i < 500; i++) {
		struct json_object *d = deliveries(s, "");
		size_t k, ok = 0, len = jlen(d, "data");
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		for (k = 0; k < len; k++) {
			char p[64];

			snprintf(p, sizeof(p), "data.%zu.attempts", k);
			ok += jlen(d, p) >= n;
		}
		if (len > 0 && ok == len)
			return d;
		json_object_put(d);
		nanosleep(&ts, NULL);
	}
	ck_abort_msg("deliveries did not reach %zu attempts", n);
	return NULL;
}

static void
check_signature(const struct rx_req *q, const char *secret, bool *match)
{
	struct hmac_sha256_ctx ctx;
	uint8_t mac[SHA256_DIGEST_SIZE];
	char want[7 + 2 * SHA256_DIGEST_SIZE + 1] = "sha256=";

	hmac_sha256_set_key(&ctx, strlen(secret), (const uint8_t *)secret);
	hmac_sha256_update(&ctx, q->len, (const uint8_t *)q->body);
	hmac_sha256_digest(&ctx, sizeof(mac), mac);
	base16_encode_update(want + 7, sizeof(mac), mac);
	want[sizeof(want) - 1] = '\0';
	*match = strcmp(q->signature, want) == 0;
}

START_TEST(test_signed_envelope)
{
	const char *args[] = { "--webhook-url", hook_url, NULL };
	struct json_object *ev, *clk, *d, *sent, *value;
	bool by_demo = false, by_secure = false;
	struct server s;
	size_t i;

	rx_up();
	ck_assert_int_eq(server_start(&s, args), 0);
	clk = ctl(&s, "GET", "/_emulator/clock", NULL, 200);
	ev = ctl(&s, "POST", "/_emulator/webhooks/events", EVENT_BODY, 200);
	ck_assert_str_ne(jstr(ev, "event_id"), "");
	/* the demo fixtures have two apps: each gets the event */
	ck_assert(rx_wait(&rx, 2, 5000));
	sent = json_tokener_parse(EVENT_BODY);
	value = jget(sent, "value");
	for (i = 0; i < 2; i++) {
		const struct rx_req *q = &rx.reqs[i];
		struct json_object *body;
		bool a, b;

		ck_assert_str_eq(q->method, "POST");
		ck_assert_str_eq(q->target, "/hook");
		ck_assert_str_eq(q->ctype, "application/json");
		ck_assert_str_eq(q->agent, "facebookexternalua");
		/* ASCII only: non-ASCII travels as \uXXXX */
		ck_assert_uint_eq(
		    strspn(q->body,
		        "\x01\x02\x03\x04\x05\x06\x07"
		        "\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
		        "\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f !\"#$%&'()*+,-./"
		        "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
		        "abcdefghijklmnopqrstuvwxyz{|}~"),
		    q->len);
		ck_assert_ptr_nonnull(strstr(q->body,
		    "Caf\\u00e9 "
		    "\\ud83d\\ude00"));
		check_signature(q, DEMO_APP_SECRET, &a);
		check_signature(q, DEMO_SECURE_SECRET, &b);
		ck_assert_msg(a != b, "signed by exactly one app: %s",
		    q->signature);
		by_demo |= a;
		by_secure |= b;
		body = json_tokener_parse(q->body);
		ck_assert_ptr_nonnull(body);
		ck_assert_str_eq(jstr(body, "object"),
		    "whatsapp_business_account");
		ck_assert_uint_eq(jlen(body, "entry"), 1);
		ck_assert_str_eq(jstr(body, "entry.0.id"), DEMO_WABA);
		ck_assert_int_ge(jint(body, "entry.0.time"), jint(clk, "now"));
		ck_assert_int_le(jint(body, "entry.0.time"),
		    jint(clk, "now") + 5);
		ck_assert_uint_eq(jlen(body, "entry.0.changes"), 1);
		ck_assert_str_eq(jstr(body, "entry.0.changes.0.field"),
		    "account_update");
		ck_assert(json_object_equal(
		    jget(body, "entry.0.changes.0.value"), value));
		json_object_put(body);
	}
	ck_assert(by_demo && by_secure);
	d = wait_attempts(&s, 1);
	ck_assert_uint_eq(jlen(d, "data"), 2);
	for (i = 0; i < 2; i++) {
		char p[64];

		snprintf(p, sizeof(p), "data.%zu.state", i);
		ck_assert_str_eq(jstr(d, p), "delivered");
		snprintf(p, sizeof(p), "data.%zu.attempts.0.status", i);
		ck_assert_int_eq(jint(d, p), 200);
		snprintf(p, sizeof(p), "data.%zu.event_id", i);
		ck_assert_str_eq(jstr(d, p), jstr(ev, "event_id"));
		snprintf(p, sizeof(p), "data.%zu.target", i);
		ck_assert_str_eq(jstr(d, p), hook_url);
		snprintf(p, sizeof(p), "data.%zu.next_attempt_at", i);
		ck_assert_ptr_null(jget(d, p));
	}
	json_object_put(d);
	json_object_put(sent);
	json_object_put(ev);
	json_object_put(clk);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

START_TEST(test_retry_after_500_on_the_clock)
{
	const char *args[] = { "--webhook-url", hook_url, NULL };
	struct json_object *d;
	struct server s;
	struct http_resp r;
	int64_t at, next;

	rx_up();
	rx_set_status(&rx, 500);
	ck_assert_int_eq(server_start(&s, args), 0);
	ctl_put(&s, "POST", "/_emulator/webhooks/events", EVENT_BODY, 200);
	d = wait_attempts(&s, 1);
	ck_assert_str_eq(jstr(d, "data.0.state"), "pending");
	ck_assert_int_eq(jint(d, "data.0.attempts.0.status"), 500);
	at = jint(d, "data.0.attempts.0.at");
	next = jint(d, "data.0.next_attempt_at");
	ck_assert_int_eq(next - at, 15); /* the first step of the backoff */
	json_object_put(d);
	rx_set_status(&rx, 200);
	/* nothing more until the clock reaches the retry */
	ck_assert(!rx_wait(&rx, 3, 300));
	ck_assert_uint_eq(rx_count(&rx), 2);
	ctl_put(&s, "POST", "/_emulator/clock", "{\"advance_seconds\":15}",
	    200);
	ck_assert(rx_wait(&rx, 4, 5000));
	d = wait_attempts(&s, 2);
	ck_assert_str_eq(jstr(d, "data.0.state"), "delivered");
	ck_assert_str_eq(jstr(d, "data.1.state"), "delivered");
	ck_assert_int_eq(jint(d, "data.0.attempts.1.status"), 200);
	json_object_put(d);
	/* the filters */
	d = deliveries(&s,
	    "?state=delivered&field=account_update&waba=" DEMO_WABA);
	ck_assert_uint_eq(jlen(d, "data"), 2);
	json_object_put(d);
	d = deliveries(&s, "?state=pending");
	ck_assert_uint_eq(jlen(d, "data"), 0);
	json_object_put(d);
	ctl_put(&s, "GET", "/_emulator/webhooks?state=lost", NULL, 400);
	ctl_put(&s, "GET", "/_emulator/webhooks?field=nope", NULL, 400);
	/* the metrics counted both outcomes */
	ck_assert_int_eq(http_get(&s, "/_emulator/metrics", &r), 0);
	ck_assert_ptr_nonnull(strstr(r.body,
	    "waba_emu_webhook_deliveries_total"
	    "{field=\"account_update\",outcome=\"retry\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "waba_emu_webhook_deliveries_total"
	    "{field=\"account_update\",outcome=\"delivered\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(r.body, "waba_emu_webhook_pending 0\n"));
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

/* Runs the binary with args; its exit status and standard error. */
static int
run_capture(const char *const *args, char *err, size_t n)
{
	const char *argv[16];
	int fds[2], status;
	size_t k = 0, got = 0;
	ssize_t r;
	pid_t pid;

	argv[k++] = getenv("WABA_EMU_BIN");
	argv[k++] = "--port";
	argv[k++] = "0";
	while (*args != NULL && k < 15)
		argv[k++] = *args++;
	argv[k] = NULL;
	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	while (got + 1 < n && (r = read(fds[0], err + got, n - 1 - got)) > 0)
		got += (size_t)r;
	err[got] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

START_TEST(test_foreign_host_refused)
{
	const char *bad[] = { "--webhook-url", "http://203.0.113.9/hook",
		NULL };
	const char *listed[] = { "--webhook-url", "http://203.0.113.9/hook",
		"--webhook-allow", "203.0.113.9", NULL };
	char err[1024];
	struct server s;

	ck_assert_int_eq(run_capture(bad, err, sizeof(err)), 2);
	ck_assert_msg(strstr(err, "--webhook-allow") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "203.0.113.9") != NULL, "%s", err);
	/* an operator's listed host is accepted (and not called: no event) */
	ck_assert_int_eq(server_start(&s, listed), 0);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_survives_kill_of_db_store)
{
	const char *args[] = { "--db", dbpath, "--webhook-url", hook_url,
		NULL };
	struct json_object *d;
	struct server s;
	int port;

	snprintf(dbpath, sizeof(dbpath), "/tmp/waba-e2e-hooks-%d.db",
	    (int)getpid());
	cleanup_db();
	rx_up();
	port = rx.port;
	rx_stop(&rx); /* the receiver is down: attempts fail */
	ck_assert_int_eq(server_start(&s, args), 0);
	ctl_put(&s, "POST", "/_emulator/webhooks/events", EVENT_BODY, 200);
	d = wait_attempts(&s, 1);
	ck_assert_str_eq(jstr(d, "data.0.state"), "pending");
	ck_assert_int_eq(jint(d, "data.0.attempts.0.status"), 0);
	json_object_put(d);
	server_kill(&s);
	ck_assert_int_eq(rx_start(&rx, port, 200), 0);
	ck_assert_int_eq(server_start(&s, args), 0);
	ctl_put(&s, "POST", "/_emulator/clock", "{\"advance_seconds\":60}",
	    200);
	ck_assert(rx_wait(&rx, 2, 5000));
	d = wait_attempts(&s, 2);
	ck_assert_str_eq(jstr(d, "data.0.state"), "delivered");
	ck_assert_str_eq(jstr(d, "data.1.state"), "delivered");
	json_object_put(d);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
	cleanup_db();
}
END_TEST

START_TEST(test_redeliver_and_reset)
{
	const char *args[] = { "--webhook-url", hook_url, NULL };
	struct json_object *d;
	struct server s;
	char path[128];

	rx_up();
	ck_assert_int_eq(server_start(&s, args), 0);
	ctl_put(&s, "POST", "/_emulator/webhooks/events", EVENT_BODY, 200);
	d = wait_attempts(&s, 1);
	snprintf(path, sizeof(path), "/_emulator/webhooks/%s/redeliver",
	    jstr(d, "data.0.id"));
	json_object_put(d);
	ck_assert(rx_wait(&rx, 2, 5000));
	ctl_put(&s, "POST", path, NULL, 200);
	ck_assert(rx_wait(&rx, 3, 5000));
	/* the same bytes: the event, not a new one */
	ck_assert_str_eq(rx.reqs[2].body, rx.reqs[0].body);
	ctl_put(&s, "POST", "/_emulator/webhooks/999999/redeliver", NULL, 404);
	ctl_put(&s, "POST", "/_emulator/webhooks/x/redeliver", NULL, 404);
	ctl_put(&s, "POST", "/_emulator/reset", NULL, 200);
	d = deliveries(&s, "");
	ck_assert_uint_eq(jlen(d, "data"), 0);
	json_object_put(d);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

START_TEST(test_bad_events_change_nothing)
{
	static const char *const bad[][2] = {
		{ "{\"field\":\"nope\",\"waba\":\"" DEMO_WABA "\","
		  "\"value\":{}}",
		    "400" },
		{ "{\"waba\":\"" DEMO_WABA "\",\"value\":{}}", "400" },
		{ "{\"field\":\"security\",\"value\":{}}", "400" },
		{ "{\"field\":\"security\",\"waba\":4,\"value\":{}}", "400" },
		{ "{\"field\":\"security\",\"waba\":\"" DEMO_PHONE "\","
		  "\"value\":{}}",
		    "404" },
		{ "{\"field\":\"security\",\"waba\":\"" DEMO_WABA "\","
		  "\"value\":[1]}",
		    "400" },
		{ "{\"field\":\"messages\",\"waba\":\"" DEMO_WABA_NOPHONES
		  "\",\"phone_number\":\"" DEMO_PHONE "\",\"value\":{}}",
		    "404" },
	};
	const char *args[] = { "--webhook-url", hook_url, NULL };
	struct json_object *d;
	struct server s;
	size_t i;

	rx_up();
	ck_assert_int_eq(server_start(&s, args), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json_object *e = ctl(&s, "POST",
		    "/_emulator/webhooks/events", bad[i][0], atol(bad[i][1]));

		ck_assert_str_ne(jstr(e, "error.message"), "");
		json_object_put(e);
	}
	d = deliveries(&s, "");
	ck_assert_uint_eq(jlen(d, "data"), 0);
	json_object_put(d);
	ck_assert_uint_eq(rx_count(&rx), 0);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

/*
 * Without libcurl (WABA_EMU_LIBCURL names a library that is not there), an
 * attempt fails with the loader's reason, the delivery stays pending for
 * its retry, and the server goes on serving.
 */
START_TEST(test_libcurl_missing)
{
	const char *args[] = { "--webhook-url", hook_url, NULL };
	struct json_object *d;
	struct http_resp r;
	struct server s;
	const char *err;

	rx_up();
	ck_assert_int_eq(setenv("WABA_EMU_LIBCURL", "libcurl-absent.so.4", 1),
	    0);
	ck_assert_int_eq(server_start(&s, args), 0);
	unsetenv("WABA_EMU_LIBCURL");
	ctl_put(&s, "POST", "/_emulator/webhooks/events", EVENT_BODY, 200);
	d = wait_attempts(&s, 1);
	ck_assert_str_eq(jstr(d, "data.0.state"), "pending");
	ck_assert_int_eq(jint(d, "data.0.attempts.0.status"), 0);
	err = jstr(d, "data.0.attempts.0.error");
	ck_assert_msg(err != NULL &&
	        strstr(err, "libcurl could not be loaded") != NULL &&
	        strstr(err, "libcurl-absent.so.4") != NULL,
	    "%s", err ? err : "(no error)");
	json_object_put(d);
	ck_assert_uint_eq(rx_count(&rx), 0);
	ck_assert_int_eq(
	    http_get(&s, "/v24.0/" DEMO_WABA "?access_token=EAAdemoAdmin", &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("webhooks");
	TCase *tc = harness_tcase("webhooks", NULL, NULL);

	tcase_add_test(tc, test_signed_envelope);
	tcase_add_test(tc, test_retry_after_500_on_the_clock);
	tcase_add_test(tc, test_foreign_host_refused);
	tcase_add_test(tc, test_survives_kill_of_db_store);
	tcase_add_test(tc, test_redeliver_and_reset);
	tcase_add_test(tc, test_bad_events_change_nothing);
	tcase_add_test(tc, test_libcurl_missing);
	suite_add_tcase(su, tc);
	return suite_run(su);
}
