/*
 * suite.h - the one way every check suite, unit or end-to-end, is run.
 */
#ifndef WABA_TEST_SUITE_H
#define WABA_TEST_SUITE_H

#include <check.h>
#include <stdlib.h>

/*
 * Adds to s a case called name holding the NULL-terminated tests; setup and
 * teardown (either may be NULL) run around each test, in its process.
 * Returns the case for what else it needs (a timeout, loop tests).
 */
static inline TCase *
suite_case(Suite *s, const char *name, void (*setup)(void),
    void (*teardown)(void), const TTest *const tests[])
{
	TCase *tc = tcase_create(name);

	if (setup != NULL || teardown != NULL)
		tcase_add_checked_fixture(tc, setup, teardown);
	for (; *tests != NULL; tests++)
		tcase_add_test(tc, *tests);
	suite_add_tcase(s, tc);
	return tc;
}

/* A suite called name of one case, "core", as suite_case() makes it. */
static inline Suite *
suite_core(const char *name, void (*setup)(void), void (*teardown)(void),
    const TTest *const tests[])
{
	Suite *s = suite_create(name);

	suite_case(s, "core", setup, teardown, tests);
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
