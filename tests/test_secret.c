/*
 * test_secret.c - secret_equal(): equal only when the strings are, at any
 * length, with NULL never equal.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "suite.h"

START_TEST(test_equal_and_not)
{
	char longer[300];

	ck_assert(secret_equal("demo-app-secret", "demo-app-secret"));
	ck_assert(secret_equal("", ""));
	ck_assert(!secret_equal("demo-app-secret", "demo-app-secreT"));
	ck_assert(!secret_equal("demo-app-secret", "demo-app-secre"));
	ck_assert(!secret_equal("demo-app-secret", ""));
	ck_assert(!secret_equal("a", "b"));
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	ck_assert(secret_equal(longer, longer));
	ck_assert(!secret_equal(longer, longer + 1));
}
END_TEST

START_TEST(test_null_never_equal)
{
	ck_assert(!secret_equal(NULL, NULL));
	ck_assert(!secret_equal(NULL, ""));
	ck_assert(!secret_equal("", NULL));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("secret");
	TCase *tc = tcase_create("compare");

	tcase_add_test(tc, test_equal_and_not);
	tcase_add_test(tc, test_null_never_equal);
	suite_add_tcase(s, tc);
	return suite_run(s);
}
