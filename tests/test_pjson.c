/*
 * test_pjson.c - JSON as the Graph docs write it: strict JSON, the
 * single-quoted form, and what both must refuse.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "pjson.h"
#include "suite.h"

/* Parses s and compares with the strict JSON want. */
static void
parses_as(const char *s, const char *want)
{
	struct json_object *got = pjson_parse(s), *w = json_tokener_parse(want);

	ck_assert_msg(w != NULL, "bad expectation %s", want);
	ck_assert_msg(got != NULL, "refused %s", s);
	ck_assert_msg(json_object_equal(got, w), "%s gave %s, want %s", s,
	    json_object_to_json_string_ext(got, JSON_C_TO_STRING_PLAIN), want);
	json_object_put(got);
	json_object_put(w);
}

static void
refused(const char *s)
{
	struct json_object *got = pjson_parse(s);

	ck_assert_msg(got == NULL, "%s gave %s", s,
	    got ? json_object_to_json_string(got) : "");
}

START_TEST(test_strict)
{
	parses_as("{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
	    "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}");
	parses_as("[]", "[]");
	parses_as("{}", "{}");
	parses_as("[\"it's\"]", "[\"it's\"]");
	parses_as("\"x\"", "\"x\"");
	parses_as("[\"\\u00e9\\n\\\"\"]", "[\"\\u00e9\\n\\\"\"]");
	parses_as("[-1.5e3]", "[-1500.0]");
}
END_TEST

START_TEST(test_scalars)
{
	/* top-level scalars end at the end of the string */
	parses_as("123", "123");
	parses_as("-5", "-5");
	parses_as("1.25", "1.25");
	parses_as("true", "true");
	parses_as("false", "false");
	/* json-c has no object for null: it reads as NULL */
	ck_assert_ptr_null(pjson_parse("null"));
}
END_TEST

START_TEST(test_whitespace)
{
	parses_as("  [1, 2]  ", "[1,2]");
	parses_as("\n{\"a\" : 1}\r\n\t", "{\"a\":1}");
	parses_as("7 ", "7");
	parses_as("['a'] ", "[\"a\"]");
}
END_TEST

START_TEST(test_single_quoted)
{
	/* the docs' own example */
	parses_as("[{'field':'creation_time','operator':'IN_RANGE',"
	          "'value':['1569783261','1604542049']}]",
	    "[{\"field\":\"creation_time\",\"operator\":\"IN_RANGE\","
	    "\"value\":[\"1569783261\",\"1604542049\"]}]");
	parses_as("[{'field':'creation_time', 'operator': 'IN_RANGE', "
	          "'value': ['1569783261', '1604542049']}]",
	    "[{\"field\":\"creation_time\",\"operator\":\"IN_RANGE\","
	    "\"value\":[\"1569783261\",\"1604542049\"]}]");
	parses_as("['MANAGE','DEVELOP']", "[\"MANAGE\",\"DEVELOP\"]");
	/* both quote styles in one document */
	parses_as("{'a':\"x\",\"b\":'y'}", "{\"a\":\"x\",\"b\":\"y\"}");
	/* a double quote inside single quotes, and the reverse */
	parses_as("['say \"hi\"']", "[\"say \\\"hi\\\"\"]");
	parses_as("{'a':\"it's\"}", "{\"a\":\"it's\"}");
	/* escapes inside single quotes */
	parses_as("['it\\'s']", "[\"it's\"]");
	parses_as("['a\\\\']", "[\"a\\\\\"]");
	parses_as("['a\\nb']", "[\"a\\nb\"]");
	parses_as("['a\\\"b']", "[\"a\\\"b\"]");
	parses_as("['\\u00e9']", "[\"\\u00e9\"]");
	parses_as("[1,'x',true]", "[1,\"x\",true]");
}
END_TEST

START_TEST(test_refused)
{
	refused("");
	refused(" ");
	refused("[1");
	refused("[1] x");
	refused("[1] [2]");
	refused("{\"a\":1}}");
	refused("{'a':1}}");
	refused("'unterminated");
	refused("['a]");
	refused("[\"a']");
	refused("abc");
	refused("MANAGE,DEVELOP");
	refused("{a:1} x");
	refused("['a'] 'b'");
}
END_TEST

START_TEST(test_depth)
{
	char buf[256];
	int i;

	/* deep nesting is refused, not a crash */
	for (i = 0; i < 200; i++)
		buf[i] = '[';
	buf[i] = '\0';
	refused(buf);
	for (i = 0; i < 100; i++) {
		buf[i] = '[';
		buf[100 + i] = ']';
	}
	buf[200] = '\0';
	refused(buf);
	for (i = 0; i < 10; i++) {
		buf[i] = '[';
		buf[10 + i] = ']';
	}
	buf[20] = '\0';
	parses_as(buf, "[[[[[[[[[[]]]]]]]]]]");
}
END_TEST

static Suite *
pjson_suite(void)
{
	const TTest *const tests[] = {
		test_strict,
		test_scalars,
		test_whitespace,
		test_single_quoted,
		test_refused,
		test_depth,
		NULL,
	};

	return suite_core("pjson", NULL, NULL, tests);
}

int
main(void)
{
	return suite_run(pjson_suite());
}
