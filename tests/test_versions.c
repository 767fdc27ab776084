/*
 * test_versions.c - the Graph versions table: which strings are versions,
 * which are served, and which version serves an expired one.
 */
#include <check.h>
#include <stdint.h>

#include "suite.h"
#include "versions.h"

/* 00:00 UTC of a day, for the table's dates */
#define D2026_05_21 INT64_C(1779321600)

START_TEST(test_parse)
{
	unsigned maj, min;

	ck_assert(versions_parse("v24.0", &maj, &min));
	ck_assert_uint_eq(maj, 24);
	ck_assert_uint_eq(min, 0);
	ck_assert(versions_parse("v2.10", &maj, &min));
	ck_assert_uint_eq(min, 10);
	ck_assert(!versions_parse("v024.0", &maj, &min));
	ck_assert(!versions_parse("v24.00", &maj, &min));
	ck_assert(!versions_parse("24.0", &maj, &min));
	ck_assert(!versions_parse("v24", &maj, &min));
	ck_assert(!versions_parse("v24.0.1", &maj, &min));
	ck_assert(!versions_parse("v12345.0", &maj, &min));
	ck_assert(!versions_parse("v.1", &maj, &min));
}
END_TEST

START_TEST(test_known)
{
	unsigned maj, min, nmaj, nmin;

	ck_assert(versions_known("v24.0", NULL));
	ck_assert(versions_known("v2.10", ""));
	ck_assert(versions_known("v1.0", NULL));
	ck_assert(!versions_known("v3.5", NULL));
	ck_assert(!versions_known("v99.12", NULL));
	ck_assert(!versions_known("v24.00", NULL));
	/* above the newest only up to the latest named */
	ck_assert(versions_parse(versions_newest(), &nmaj, &nmin));
	ck_assert(!versions_known("v99.0", "v98.0"));
	ck_assert(versions_known("v98.0", "v98.0"));
	ck_assert(versions_known("v97.3", "v98.0"));
	ck_assert(!versions_known("v98.1", "v98.0"));
	/* below the newest, the table decides */
	ck_assert(!versions_known("v3.5", "v98.0"));
	ck_assert(versions_parse("v98.0", &maj, &min));
	ck_assert(maj > nmaj);
}
END_TEST

START_TEST(test_serving)
{
	/* v19.0 expires on 2026-05-21, v20.0 on 2026-09-24 */
	ck_assert_str_eq(versions_serving("v19.0", D2026_05_21 - 1), "v19.0");
	ck_assert_str_eq(versions_serving("v19.0", D2026_05_21), "v20.0");
	ck_assert_str_eq(versions_serving("v2.3", D2026_05_21), "v20.0");
	ck_assert_str_eq(versions_serving("v24.0", D2026_05_21), "v24.0");
	/* v1.0 was the only version until 2014 */
	ck_assert_str_eq(versions_serving("v1.0", INT64_C(1300000000)), "v1.0");
	/* far ahead, the newest (its expiry not announced) serves all */
	ck_assert_str_eq(versions_serving("v24.0", INT64_C(4000000000)),
	    versions_newest());
	/* versions above the table are served as themselves */
	ck_assert_str_eq(versions_serving("v98.0", D2026_05_21), "v98.0");
}
END_TEST

static Suite *
versions_suite(void)
{
	const TTest *const tests[] = {
		test_parse,
		test_known,
		test_serving,
		NULL,
	};

	return suite_core("versions", NULL, NULL, tests);
}

int
main(void)
{
	return suite_run(versions_suite());
}
