/*
 * test_handshake.c - the hub.challenge verification against a receiver in
 * this process: an echo succeeds; a 404, a wrong echo and no server fail
 * with Graph's 2200 text; a host outside the allow rule fails without
 * being contacted.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "receiver.h"
#include "suite.h"
#include "webhooks/handshake.h"

static struct receiver rx;
static char url[128];

static void
setup(void)
{
	ck_assert_int_eq(rx_start(&rx, 0, 404), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", rx.port);
}

static void
teardown(void)
{
	rx_stop(&rx);
}

START_TEST(test_echo_succeeds)
{
	char *cause = NULL;

	pthread_mutex_lock(&rx.mu);
	rx.echo = true;
	pthread_mutex_unlock(&rx.mu);
	ck_assert_msg(
	    handshake_verify(url, "tok en", "1234567", NULL, 0, &cause) == 0,
	    "%s", cause);
	ck_assert(rx_wait(&rx, 1, 2000));
	ck_assert_str_eq(rx.reqs[0].method, "GET");
	ck_assert_str_eq(rx.reqs[0].target,
	    "/hook?hub.mode=subscribe&"
	    "hub.challenge=1234567&hub.verify_token=tok%20en");
	ck_assert_str_eq(rx.reqs[0].agent, "facebookexternalua");
	/* a random challenge is digits, and echoed back it passes too */
	ck_assert_msg(handshake_verify(url, "t", NULL, NULL, 0, &cause) == 0,
	    "%s", cause);
	ck_assert(rx_wait(&rx, 2, 2000));
	{
		const char *p = strstr(rx.reqs[1].target, "hub.challenge=") +
		    14;
		size_t n = strcspn(p, "&");

		ck_assert_uint_ge(n, 1);
		ck_assert_uint_eq(strspn(p, "0123456789"), n);
	}
}
END_TEST

START_TEST(test_not_found_is_2200)
{
	char *cause = NULL;

	ck_assert_int_eq(handshake_verify(url, "t", "42", NULL, 0, &cause), -1);
	ck_assert_str_eq(cause,
	    "(#2200) Callback verification failed with "
	    "the following errors: HTTP Status Code = 404; HTTP Message = "
	    "Not Found");
	free(cause);
}
END_TEST

START_TEST(test_wrong_echo_fails)
{
	char *cause = NULL;

	rx_set_status(&rx, 200); /* 200 with an empty body */
	ck_assert_int_eq(handshake_verify(url, "t", "42", NULL, 0, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause,
	    "(#2200) Callback verification "
	    "failed with the following errors: HTTP Status Code = 200"));
	free(cause);
}
END_TEST

START_TEST(test_no_server_is_status_0)
{
	char *cause = NULL, dead[128];

	snprintf(dead, sizeof(dead), "http://127.0.0.1:%d/hook", rx.port);
	rx_stop(&rx); /* nothing listens there now */
	ck_assert_int_eq(handshake_verify(dead, "t", "42", NULL, 0, &cause),
	    -1);
	ck_assert_ptr_nonnull(strstr(cause, "curl_errno = 7;"));
	ck_assert_ptr_nonnull(strstr(cause, "HTTP Status Code = 0"));
	free(cause);
	ck_assert_int_eq(rx_start(&rx, 0, 404), 0); /* for teardown */
}
END_TEST

START_TEST(test_foreign_host_never_called)
{
	char *cause = NULL;
	char *hosts[] = { "hooks.test" };

	ck_assert_int_eq(handshake_verify("http://203.0.113.7/hook", "t", "42",
	                     hosts, 1, &cause),
	    -1);
	ck_assert(
	    strncmp(cause, "(#2200) Callback verification failed", 36) == 0);
	ck_assert_ptr_nonnull(strstr(cause, "--webhook-allow"));
	free(cause);
	ck_assert_uint_eq(rx_count(&rx), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("handshake");
	TCase *tc = tcase_create("handshake");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_echo_succeeds);
	tcase_add_test(tc, test_not_found_is_2200);
	tcase_add_test(tc, test_wrong_echo_fails);
	tcase_add_test(tc, test_no_server_is_status_0);
	tcase_add_test(tc, test_foreign_host_never_called);
	suite_add_tcase(s, tc);
	return suite_run(s);
}
