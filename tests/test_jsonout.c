/*
 * test_jsonout.c - the response serialiser against json-c's own
 * JSON_C_TO_STRING_PLAIN: every byte in a string, keys that need escapes,
 * integers at their limits, doubles, nesting, the demo fixtures, and
 * random trees.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"
#include "util.h"
#include "suite.h"

extern const char demo_fixture_json[];

static void
same(struct json_object *o)
{
	struct sbuf sb = SBUF_INIT;
	const char *want = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN);

	jsonout(&sb, o);
	ck_assert_str_eq(sb.buf != NULL ? sb.buf : "", want);
	sbuf_release(&sb);
}

START_TEST(test_every_byte)
{
	struct json_object *o = json_object_new_object();
	char s[3];
	int c;

	for (c = 1; c < 256; c++) {
		s[0] = 'a';
		s[1] = (char)c;
		s[2] = '\0';
		/* as a value and as a key */
		json_object_object_add(o, s, json_object_new_string(s));
	}
	same(o);
	json_object_put(o);
}
END_TEST

START_TEST(test_scalars)
{
	struct json_object *a = json_object_new_array();
	const int64_t ints[] = { 0, 1, -1, 42, INT32_MAX, INT32_MIN, INT64_MAX,
		INT64_MIN, 4000000000000001LL };
	const double dbls[] = { 0.0, 1.5, -2.25, 1e300, 1.0 / 3.0, 100.0 };
	size_t i;

	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		json_object_array_add(a, json_object_new_int64(ints[i]));
	json_object_array_add(a, json_object_new_uint64(UINT64_MAX));
	json_object_array_add(a, json_object_new_uint64(5));
	for (i = 0; i < sizeof(dbls) / sizeof(dbls[0]); i++)
		json_object_array_add(a, json_object_new_double(dbls[i]));
	json_object_array_add(a, json_object_new_double_s(1.5, "1.500"));
	json_object_array_add(a, json_object_new_boolean(1));
	json_object_array_add(a, json_object_new_boolean(0));
	json_object_array_add(a, NULL);
	json_object_array_add(a, json_object_new_string(""));
	json_object_array_add(a, json_object_new_string_len("a\0b", 3));
	json_object_array_add(a,
	    json_object_new_string("héllo ✓ \xf0\x9f\x98\x80"));
	json_object_array_add(a, json_object_new_string("https://x/y?z=1"));
	same(a);
	json_object_put(a);
}
END_TEST

START_TEST(test_nesting)
{
	struct json_object *o = json_tokener_parse(
	    "{\"data\":[],\"o\":{},\"n\":null,\"a\":[[],[{}],[null,1,\"x\"]],"
	    "\"deep\":{\"p\":{\"q\":{\"r\":[true,false]}}}}");

	ck_assert_ptr_nonnull(o);
	same(o);
	same(json_object_object_get(o, "data"));
	same(json_object_object_get(o, "n"));
	same(NULL);
	json_object_put(o);
}
END_TEST

START_TEST(test_demo_fixtures)
{
	struct json_object *o = json_tokener_parse(demo_fixture_json);

	ck_assert_ptr_nonnull(o);
	same(o);
	json_object_put(o);
}
END_TEST

static struct json_object *
random_tree(unsigned *seed, int depth)
{
	struct json_object *o;
	char s[12];
	int i, n;

	switch (depth > 0 ? rand_r(seed) % 7 : rand_r(seed) % 4) {
	case 0:
		return json_object_new_int64(
		    (int64_t)rand_r(seed) * (rand_r(seed) % 2 ? 1 : -1000003));
	case 1:
		for (i = 0; i < 11; i++)
			s[i] = (char)(rand_r(seed) % 255 + 1);
		s[11] = '\0';
		return json_object_new_string(s);
	case 2:
		return json_object_new_boolean(rand_r(seed) % 2);
	case 3:
		return NULL;
	case 4:
	case 5:
		o = json_object_new_object();
		n = rand_r(seed) % 5;
		for (i = 0; i < n; i++) {
			s[0] = (char)('a' + rand_r(seed) % 26);
			s[1] = (char)(rand_r(seed) % 2 ? '/' : '"');
			s[2] = (char)('0' + i);
			s[3] = '\0';
			json_object_object_add(o, s,
			    random_tree(seed, depth - 1));
		}
		return o;
	default:
		o = json_object_new_array();
		n = rand_r(seed) % 5;
		for (i = 0; i < n; i++)
			json_object_array_add(o, random_tree(seed, depth - 1));
		return o;
	}
}

START_TEST(test_random_trees)
{
	unsigned seed = 7;
	int i;

	for (i = 0; i < 2000; i++) {
		struct json_object *o = random_tree(&seed, 4);

		same(o);
		json_object_put(o);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("jsonout");
	TCase *tc = tcase_create("same as json-c");

	tcase_add_test(tc, test_every_byte);
	tcase_add_test(tc, test_scalars);
	tcase_add_test(tc, test_nesting);
	tcase_add_test(tc, test_demo_fixtures);
	tcase_add_test(tc, test_random_trees);
	suite_add_tcase(s, tc);
	return suite_run(s);
}
