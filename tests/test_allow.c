/*
 * test_allow.c - the webhook host rule: loopback addresses and
 * "localhost" always, listed names only when listed, anything else (and
 * tricks that hide the host) refused with a reason.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"
#include "webhooks/allow.h"

static bool
allowed(const char *url, char *const *hosts, size_t n)
{
	char *cause = NULL;
	bool ok = allow_url(url, hosts, n, &cause);

	ck_assert_msg(ok == (cause == NULL), "%s: a cause iff refused", url);
	free(cause);
	return ok;
}

START_TEST(test_loopback_always)
{
	ck_assert(allowed("http://127.0.0.1:8080/hook", NULL, 0));
	ck_assert(allowed("http://127.1.2.3/", NULL, 0));
	ck_assert(allowed("https://localhost/x?y=1", NULL, 0));
	ck_assert(allowed("http://LOCALHOST:1", NULL, 0));
	ck_assert(allowed("http://[::1]:9000/", NULL, 0));
	ck_assert(allowed("http://user:pw@127.0.0.1/", NULL, 0));
}
END_TEST

START_TEST(test_others_refused)
{
	char *cause = NULL;

	ck_assert(!allowed("http://example.com/hook", NULL, 0));
	ck_assert(!allowed("http://10.0.0.1/", NULL, 0));
	ck_assert(!allowed("http://127.0.0.1.nip.io/", NULL, 0));
	ck_assert(!allowed("http://127.0.0.1@example.com/", NULL, 0));
	ck_assert(!allowed("http://localhost.example.com/", NULL, 0));
	ck_assert(!allowed("http://2130706433/", NULL, 0));
	ck_assert(!allowed("ftp://127.0.0.1/", NULL, 0));
	ck_assert(!allowed("127.0.0.1/hook", NULL, 0));
	ck_assert(!allowed("http:///hook", NULL, 0));
	ck_assert(!allow_url("http://example.com/", NULL, 0, &cause));
	ck_assert_ptr_nonnull(strstr(cause, "--webhook-allow"));
	free(cause);
}
END_TEST

START_TEST(test_listed_hosts)
{
	char *hosts[] = { "receiver.test", "Hooks.Internal" };

	ck_assert(allowed("http://receiver.test:8000/w", hosts, 2));
	ck_assert(allowed("https://hooks.internal/", hosts, 2));
	ck_assert(!allowed("http://other.test/", hosts, 2));
	ck_assert(!allowed("http://receiver.test.evil/", hosts, 2));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("allow");
	TCase *tc = tcase_create("allow");

	tcase_add_test(tc, test_loopback_always);
	tcase_add_test(tc, test_others_refused);
	tcase_add_test(tc, test_listed_hosts);
	suite_add_tcase(s, tc);
	return suite_run(s);
}
