/*
 * suite.h - the one way every check suite, unit or end-to-end, is run.
 */
#ifndef WABA_TEST_SUITE_H
#define WABA_TEST_SUITE_H

#include <check.h>
#include <stdlib.h>

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
