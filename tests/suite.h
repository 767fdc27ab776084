/*
 * suite.h - the one way every check suite, unit or end-to-end, is run.
 */
#ifndef WABA_TEST_SUITE_H
#define WABA_TEST_SUITE_H

#include <check.h>
#include <stdlib.h>

/*
 * A suite of one test case, "core", holding the NULL-terminated tests; setup
 * and teardown (either may be NULL) run around each test, in its process.
 */
static inline Suite *
suite_core(const char *name, void (*setup)(void), void (*teardown)(void),
    const TTest *const tests[])
{
	Suite *s = suite_create(name);
	TCase *tc = tcase_create("core");

	if (setup != NULL || teardown != NULL)
		tcase_add_checked_fixture(tc, setup, teardown);
	for (; *tests != NULL; tests++)
		tcase_add_test(tc, *tests);
	suite_add_tcase(s, tc);
	return s;
}

/* Runs s (the runner frees it) and returns main()'s exit status. */
static inline int
suite_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
