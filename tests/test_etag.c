/*
 * test_etag.c - ETags against the SHA-1 examples of FIPS 180 (and the
 * longer message of its test suite), and their shape: the quoted,
 * lowercase hex the Graph API sends.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "etag.h"
#include "suite.h"

/* The ETag of len bytes of msg against the quoted hex digest. */
static void
check_etag(const char *msg, size_t len, const char *hex)
{
	char got[ETAG_SIZE], want[ETAG_SIZE + 8];

	etag_of(msg, len, got);
	ck_assert_uint_eq(strlen(hex), 40);
	strcpy(want, "\"");
	strcat(want, hex);
	strcat(want, "\"");
	ck_assert_str_eq(got, want);
}

START_TEST(test_fips_vectors)
{
	check_etag("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check_etag("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	/* 448 bits: the padding needs a second block */
	check_etag("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	check_etag("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	           "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	    112, "a49b2446a02c645bf419f995b67091253a04a259");
}
END_TEST

START_TEST(test_million_a)
{
	char *million = malloc(1000000);

	ck_assert_ptr_nonnull(million);
	memset(million, 'a', 1000000);
	check_etag(million, 1000000,
	    "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	free(million);
}
END_TEST

/* Only len bytes count: a body is not a C string, and may hold NULs. */
START_TEST(test_length_not_nul)
{
	char a[ETAG_SIZE], b[ETAG_SIZE];

	etag_of("abcdef", 3, a);
	ck_assert_str_eq(a, "\"a9993e364706816aba3e25717850c26c9cd0d89d\"");
	etag_of("a\0b", 3, a);
	etag_of("a\0c", 3, b);
	ck_assert_str_ne(a, b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("etag");
	TCase *tc = tcase_create("etag");

	tcase_add_test(tc, test_fips_vectors);
	tcase_add_test(tc, test_million_a);
	tcase_add_test(tc, test_length_not_nul);
	suite_add_tcase(s, tc);
	return suite_run(s);
}
