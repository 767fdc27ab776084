/*
 * test_clock.c - the clock seam: a fake source, advancing and setting the
 * emulator's time without sleeping.
 */
#include <check.h>
#include <stdlib.h>

#include "clock.h"
#include "suite.h"

static int64_t fake_us;

static int64_t
fake_now(void *ctx)
{
	(void)ctx;
	return fake_us;
}

START_TEST(test_fake_source)
{
	const struct clock_source src = { fake_now, NULL };
	struct clock c;

	fake_us = 1700000000LL * 1000000 + 250000;
	clock_init(&c, &src);
	ck_assert_int_eq(clock_now(&c), 1700000000);
	ck_assert_int_eq(clock_now_us(&c), 1700000000LL * 1000000 + 250000);
	clock_advance(&c, 3600);
	ck_assert_int_eq(clock_now(&c), 1700003600);
	/* the source moves on; the offset stays */
	fake_us += 10 * 1000000LL;
	ck_assert_int_eq(clock_now(&c), 1700003610);
	clock_set(&c, 1800000000);
	ck_assert_int_eq(clock_now(&c), 1800000000);
	clock_advance(&c, -100);
	ck_assert_int_eq(clock_now(&c), 1799999900);
	/* init forgets the offset */
	clock_init(&c, &src);
	ck_assert_int_eq(clock_now(&c), 1700000010);
}
END_TEST

START_TEST(test_system_and_monotonic)
{
	struct clock c;
	int64_t a, b;

	clock_init(&c, &clock_system);
	ck_assert(clock_now(&c) > 1700000000);
	a = clock_mono_us();
	b = clock_mono_us();
	ck_assert(b >= a);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("seam");

	tcase_add_test(tc, test_fake_source);
	tcase_add_test(tc, test_system_and_monotonic);
	suite_add_tcase(s, tc);
	return suite_run(s);
}
