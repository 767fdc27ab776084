/*
 * test_sign.c - the signed bytes of a webhook: HMAC-SHA256 against
 * RFC 4231's vectors, the \uXXXX escaping of non-ASCII text (surrogate
 * pairs above U+FFFF), and a body that parses back to the same JSON.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"
#include "webhooks/sign.h"

START_TEST(test_rfc4231_vectors)
{
	char key1[21], out[SIGN_HEADER_LEN];
	const char *msg = "what do ya want for nothing?";

	memset(key1, 0x0b, 20);
	key1[20] = '\0';
	sign_header(key1, "Hi There", 8, out);
	ck_assert_str_eq(out,
	    "sha256=b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7");
	sign_header("Jefe", msg, strlen(msg), out);
	ck_assert_str_eq(out,
	    "sha256=5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
}
END_TEST

START_TEST(test_escape_non_ascii)
{
	/* é (2 bytes), € (3 bytes), 😀 (4 bytes: a surrogate pair) */
	const char *in = "a\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80/z";
	size_t n;
	char *out = sign_escape(in, strlen(in), &n);

	ck_assert_str_eq(out, "a\\u00e9 \\u20ac \\ud83d\\ude00/z");
	ck_assert_uint_eq(n, strlen(out));
	free(out);
	/* a stray byte is not passed through raw */
	out = sign_escape("x\xff", 2, &n);
	ck_assert_str_eq(out, "x\\ufffd");
	free(out);
	/* ASCII is untouched */
	out = sign_escape("{\"a\":1}", 7, &n);
	ck_assert_str_eq(out, "{\"a\":1}");
	free(out);
}
END_TEST

START_TEST(test_body_round_trips)
{
	struct json_object *
	    doc = json_tokener_parse(
	       "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\","
	       "\"changes\":[{\"value\":{\"name\":\"Caf\xc3\xa9 \xf0\x9f\x98\x80\","
	       "\"url\":\"https://x/y\"},\"field\":\"account_update\"}]}]}"),
	   *back;
	size_t n, i;
	char *body = sign_body(doc, &n);

	for (i = 0; i < n; i++)
		ck_assert_msg((unsigned char)body[i] < 0x80, "byte %zu", i);
	ck_assert_ptr_null(strstr(body, "\\/"));
	back = json_tokener_parse(body);
	ck_assert(json_object_equal(doc, back));
	json_object_put(back);
	json_object_put(doc);
	free(body);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sign");
	TCase *tc = tcase_create("sign");

	tcase_add_test(tc, test_rfc4231_vectors);
	tcase_add_test(tc, test_escape_non_ascii);
	tcase_add_test(tc, test_body_round_trips);
	suite_add_tcase(s, tc);
	return suite_run(s);
}
