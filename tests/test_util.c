/*
 * test_util.c - the shared codecs: percent-decoding and encoding, base64url,
 * UTF-8 validation, numeric ids, the string buffer and the mixer.
 */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "suite.h"

START_TEST(test_url_decode)
{
	char *s;

	s = url_decode("a+b%20c%2Fd", 11, true);
	ck_assert_str_eq(s, "a b c/d");
	free(s);
	s = url_decode("a+b", 3, false);
	ck_assert_str_eq(s, "a+b");
	free(s);
	/* malformed escapes stay as they are */
	s = url_decode("100%", 4, true);
	ck_assert_str_eq(s, "100%");
	free(s);
	s = url_decode("%zz%4", 5, true);
	ck_assert_str_eq(s, "%zz%4");
	free(s);
}
END_TEST

START_TEST(test_bytes_clear)
{
	static const bool stop[256] = { ['E'] = true, ['|'] = true };

	ck_assert(bytes_clear("", 0, 0x20, stop));
	ck_assert(bytes_clear("/v24.0/123?a=b", 14, 0x20, stop));
	ck_assert(!bytes_clear("/x?t=EAA", 8, 0x20, stop));
	ck_assert(!bytes_clear("1|2", 3, 0x20, stop));
	/* below: control bytes stop only when asked to */
	ck_assert(!bytes_clear("a\tb", 3, 0x20, stop));
	ck_assert(bytes_clear("a\tb", 3, 0, stop));
	/* only the first n bytes are read */
	ck_assert(bytes_clear("abE", 2, 0, stop));
	/* bytes past 0x7f index the table, not below it */
	ck_assert(bytes_clear("\xc3\xa9", 2, 0x20, stop));
}
END_TEST

START_TEST(test_has_nul_escape)
{
	ck_assert(has_nul_escape("%00", 3));
	ck_assert(has_nul_escape("a%2%00", 6));
	ck_assert(has_nul_escape("%%00b", 5));
	/* only within the n bytes given */
	ck_assert(!has_nul_escape("a%00", 3));
	ck_assert(!has_nul_escape("%0", 2));
	ck_assert(!has_nul_escape("%20%0a%", 7));
	ck_assert(!has_nul_escape("", 0));
}
END_TEST

START_TEST(test_put_decimal)
{
	static const struct {
		long long v;
		const char *s;
	} cases[] = { { 0, "0" }, { 9, "9" }, { 10, "10" }, { -1, "-1" },
		{ -10, "-10" }, { 99, "99" }, { 100, "100" },
		{ 4000000000000001LL, "4000000000000001" },
		{ LLONG_MAX, "9223372036854775807" },
		{ LLONG_MIN, "-9223372036854775808" } };
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *end;

		memset(buf, 'x', sizeof(buf));
		end = put_decimal(buf, cases[i].v);
		ck_assert_uint_eq((size_t)(end - buf), strlen(cases[i].s));
		ck_assert(memcmp(buf, cases[i].s, strlen(cases[i].s)) == 0);
		/* nothing written past the end it returns */
		ck_assert_int_eq(*end, 'x');
	}
}
END_TEST

START_TEST(test_url_encode)
{
	struct sbuf sb = SBUF_INIT;

	url_encode(&sb, "a b/c?d=é~_.-");
	ck_assert_str_eq(sb.buf, "a%20b%2Fc%3Fd%3D%C3%A9~_.-");
	sbuf_release(&sb);
}
END_TEST

START_TEST(test_b64url)
{
	const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar",
		"\xff\xfe\xfd" };
	const char *out[] = { "", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE",
		"Zm9vYmFy", "__79" };
	size_t i, n;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char *e = b64url_encode(in[i], strlen(in[i]));
		unsigned char *d;

		ck_assert_str_eq(e, out[i]);
		d = b64url_decode(e, &n);
		ck_assert_ptr_nonnull(d);
		ck_assert_uint_eq(n, strlen(in[i]));
		ck_assert(memcmp(d, in[i], n) == 0);
		free(d);
		free(e);
	}
	ck_assert_ptr_null(b64url_decode("Zm9v+", &n));
	ck_assert_ptr_null(b64url_decode("Z", &n));
	ck_assert_ptr_null(b64url_decode("a=b", &n));
}
END_TEST

/* Every byte value, and every length around the three-byte groups. */
START_TEST(test_b64url_round_trip)
{
	unsigned char in[256];
	size_t len, i, n;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(255 - i);
	for (len = 0; len <= sizeof(in); len++) {
		char enc[(sizeof(in) * 4 + 2) / 3 + 1], *e;
		unsigned char *d;

		memset(enc, '*', sizeof(enc));
		b64url_encode_to(enc, in, len);
		ck_assert_uint_eq(strlen(enc), (len * 4 + 2) / 3);
		ck_assert_uint_eq(strspn(enc,
		                      "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                      "abcdefghijklmnopqrstuvwxyz0123456789-_"),
		    strlen(enc));
		e = b64url_encode(in, len);
		ck_assert_str_eq(e, enc);
		free(e);
		d = b64url_decode(enc, &n);
		ck_assert_ptr_nonnull(d);
		ck_assert_uint_eq(n, len);
		ck_assert(memcmp(d, in, len) == 0);
		ck_assert_int_eq(d[n], '\0');
		free(d);
	}
}
END_TEST

/*
 * What decode takes: the digits alone, unpadded; a length of 4k + 1 is
 * refused, and bits left over after the last byte are dropped.
 */
START_TEST(test_b64url_decode_accepts)
{
	const char *bad[] = { "Zg==", "Zm8=", "Zg=", "Zm9v\n", "Zm 9v", " Zm9v",
		"Zm9v\t", "Zm9v\r\n", "Z\fg", "Zm9v/", "ab+c", "Zm9vY", "ZZZZZ",
		"Zm9v=", "=", "\xc3\xa9" };
	unsigned char *d;
	size_t i, n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(b64url_decode(bad[i], &n) == NULL, "%s", bad[i]);
	d = b64url_decode("", &n);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(d[0], '\0');
	free(d);
	d = b64url_decode("Zh", &n); /* 'f' and four bits dropped */
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(d[0], 'f');
	free(d);
	d = b64url_decode("Zm9", &n); /* "fo" and two bits dropped */
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(n, 2);
	ck_assert(memcmp(d, "fo", 2) == 0);
	free(d);
	d = b64url_decode("-_-_", &n);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(n, 3);
	ck_assert(memcmp(d, "\xfb\xff\xbf", 3) == 0);
	free(d);
}
END_TEST

START_TEST(test_utf8)
{
	ck_assert(utf8_valid("plain", 5));
	ck_assert(utf8_valid("caf\xc3\xa9", 5));
	ck_assert(utf8_valid("\xf0\x9f\x98\x80", 4));
	ck_assert(!utf8_valid("\xc3", 1));             /* truncated */
	ck_assert(!utf8_valid("\xc0\xaf", 2));         /* overlong */
	ck_assert(!utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	ck_assert(!utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
	ck_assert(!utf8_valid("\xff", 1));
}
END_TEST

START_TEST(test_ids)
{
	ck_assert(is_numeric_id("4000000000000001"));
	ck_assert(!is_numeric_id(""));
	ck_assert(!is_numeric_id("12a"));
	ck_assert(!is_numeric_id("-1"));
	ck_assert(!is_numeric_id("1234567890123456789")); /* 19 digits */
	ck_assert_int_eq(parse_id("4000000000000001"), 4000000000000001LL);
	ck_assert_int_eq(parse_id("x"), -1);
	ck_assert(is_graph_version("v24.0"));
	ck_assert(is_graph_version("v2.11"));
	ck_assert(!is_graph_version("3.0"));
	ck_assert(!is_graph_version("v24"));
	ck_assert(!is_graph_version("v24.0x"));
	ck_assert(!is_graph_version("v12345678901234.5"));
}
END_TEST

START_TEST(test_sbuf)
{
	struct sbuf sb = SBUF_INIT;
	char *s;
	int i;

	for (i = 0; i < 1000; i++)
		sbuf_addch(&sb, 'x');
	ck_assert_uint_eq(sb.len, 1000);
	sbuf_release(&sb);
	sbuf_addint(&sb, 0);
	sbuf_addch(&sb, ' ');
	sbuf_addint(&sb, -42);
	sbuf_addch(&sb, ' ');
	sbuf_addint(&sb, 9223372036854775807LL);
	sbuf_addf(&sb, " %s", "end");
	ck_assert_str_eq(sb.buf, "0 -42 9223372036854775807 end");
	s = sbuf_detach(&sb);
	ck_assert_ptr_null(sb.buf);
	free(s);
	s = sbuf_detach(&sb);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

/* xasprintf() is xvasprintf() behind a va_list: the path under test. */
START_TEST(test_xvasprintf)
{
	char *s = xasprintf("%s=%d", "n", 42), *e = xasprintf("%s", "");

	ck_assert_str_eq(s, "n=42");
	/* an empty result is still a string to free */
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e, "");
	free(s);
	free(e);
}
END_TEST

START_TEST(test_mix64)
{
	/* a fixed function: ids and trace ids depend on it across versions */
	ck_assert(mix64(0) == 0xe220a8397b1dcdafULL);
	ck_assert(mix64(1) != mix64(2));
}
END_TEST

START_TEST(test_str_same)
{
	char a[] = "edge";

	ck_assert(str_same(a, "edge"));
	ck_assert(!str_same(a, "edges"));
	ck_assert(str_same(NULL, NULL));
	/* NULL is no string, not even the empty one */
	ck_assert(!str_same(NULL, ""));
	ck_assert(!str_same("", NULL));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("codecs");

	tcase_add_test(tc, test_url_decode);
	tcase_add_test(tc, test_has_nul_escape);
	tcase_add_test(tc, test_bytes_clear);
	tcase_add_test(tc, test_put_decimal);
	tcase_add_test(tc, test_url_encode);
	tcase_add_test(tc, test_b64url);
	tcase_add_test(tc, test_b64url_round_trip);
	tcase_add_test(tc, test_b64url_decode_accepts);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_ids);
	tcase_add_test(tc, test_sbuf);
	tcase_add_test(tc, test_xvasprintf);
	tcase_add_test(tc, test_mix64);
	tcase_add_test(tc, test_str_same);
	suite_add_tcase(s, tc);
	return suite_run(s);
}
