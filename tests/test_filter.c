/*
 * test_filter.c - filtering= and sort=: the docs' single-quoted examples,
 * strict JSON, every operator and every error message.
 */
#include <check.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "gerr.h"
#include "suite.h"

static const char *const ownership[] = { "SELF", "CLIENT_OWNED", "ON_BEHALF_OF",
	NULL };
static const char *const modes[] = { "SANDBOX", "LIVE", NULL };

/* What the WABA and phone-number edges accept. */
static const struct filter_spec specs[] = {
	{ "creation_time", FOP_LESS_THAN | FOP_GREATER_THAN | FOP_IN_RANGE,
	    NULL },
	{ "ownership_type", FOP_IN | FOP_EQUAL, ownership },
	{ "account_mode", FOP_EQUAL | FOP_IN, modes },
	{ NULL, 0, NULL },
};

static struct filter *
parse_ok(const char *param, size_t want_n)
{
	struct filter *f = NULL;
	size_t n = 99;
	struct gerr err = { 0 };

	ck_assert_msg(filter_parse(param, specs, &f, &n, &err) == 0, "%s: %s",
	    param, err.id != GE_NONE ? gerr_message(&err) : "");
	ck_assert_uint_eq(n, want_n);
	gerr_clear(&err);
	return f;
}

static void
parse_fails(const char *param, const char *msg)
{
	struct filter *f = (struct filter *)1;
	size_t n = 99;
	struct gerr err = { 0 };

	ck_assert_int_eq(filter_parse(param, specs, &f, &n, &err), -1);
	ck_assert_ptr_null(f);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(err.id, GE_PARAM);
	ck_assert_int_eq(gerr_code(&err), 100);
	ck_assert_str_eq(gerr_message(&err), msg);
	gerr_clear(&err);
}

START_TEST(test_docs_example)
{
	struct filter *f = parse_ok(
	    "[{'field':'creation_time', 'operator': "
	    "'IN_RANGE', 'value': ['1569783261', '1604542049']}]",
	    1);

	ck_assert_str_eq(f[0].field, "creation_time");
	ck_assert_ptr_eq(f[0].field, specs[0].field);
	ck_assert_int_eq(f[0].op, FOP_IN_RANGE);
	ck_assert_int_eq(f[0].lo, 1569783261LL);
	ck_assert_int_eq(f[0].hi, 1604542049LL);
	ck_assert_uint_eq(f[0].nvalues, 2);
	ck_assert_str_eq(f[0].values[0], "1569783261");
	ck_assert_str_eq(f[0].values[1], "1604542049");
	filters_free(f, 1);
}
END_TEST

START_TEST(test_json_form)
{
	struct filter *f = parse_ok(
	    "[{\"field\":\"creation_time\","
	    "\"operator\":\"LESS_THAN\",\"value\":1700000000},"
	    "{\"field\":\"creation_time\",\"operator\":\"GREATER_THAN\","
	    "\"value\":\"1604962813\"}]",
	    2);

	ck_assert_int_eq(f[0].op, FOP_LESS_THAN);
	ck_assert_int_eq(f[0].hi, 1700000000LL);
	ck_assert_int_eq(f[0].lo, LLONG_MIN);
	ck_assert_str_eq(f[0].values[0], "1700000000");
	ck_assert_int_eq(f[1].op, FOP_GREATER_THAN);
	ck_assert_int_eq(f[1].lo, 1604962813LL);
	ck_assert_int_eq(f[1].hi, LLONG_MAX);
	ck_assert_str_eq(f[1].values[0], "1604962813");
	filters_free(f, 2);

	/* integers inside an IN_RANGE, equal bounds */
	f = parse_ok("[{\"field\":\"creation_time\",\"operator\":\"IN_RANGE\","
	             "\"value\":[5,5]}]",
	    1);
	ck_assert_int_eq(f[0].lo, 5);
	ck_assert_int_eq(f[0].hi, 5);
	filters_free(f, 1);
}
END_TEST

START_TEST(test_enums)
{
	struct filter *f = parse_ok("[{'field':'ownership_type','operator':"
	                            "'IN','value':['SELF','CLIENT_OWNED']}]",
	    1);

	ck_assert_int_eq(f[0].op, FOP_IN);
	ck_assert_uint_eq(f[0].nvalues, 2);
	ck_assert_str_eq(f[0].values[0], "SELF");
	ck_assert_str_eq(f[0].values[1], "CLIENT_OWNED");
	filters_free(f, 1);

	f = parse_ok("[{'field':'account_mode','operator':'EQUAL',"
	             "'value':'SANDBOX'}]",
	    1);
	ck_assert_int_eq(f[0].op, FOP_EQUAL);
	ck_assert_uint_eq(f[0].nvalues, 1);
	ck_assert_str_eq(f[0].values[0], "SANDBOX");
	filters_free(f, 1);

	/* IN takes a lone string too */
	f = parse_ok("[{'field':'ownership_type','operator':'IN',"
	             "'value':'ON_BEHALF_OF'}]",
	    1);
	ck_assert_uint_eq(f[0].nvalues, 1);
	ck_assert_str_eq(f[0].values[0], "ON_BEHALF_OF");
	filters_free(f, 1);

	/* several filters at once, in the spec's order */
	f = parse_ok(
	    "[{'field':'ownership_type','operator':'EQUAL','value':"
	    "'SELF'},{'field':'creation_time','operator':'LESS_THAN',"
	    "'value':'10'},{'field':'account_mode','operator':'IN','value':"
	    "['LIVE']}]",
	    3);
	ck_assert_str_eq(f[0].field, "creation_time");
	ck_assert_str_eq(f[1].field, "ownership_type");
	ck_assert_str_eq(f[1].values[0], "SELF");
	ck_assert_int_eq(f[2].op, FOP_IN);
	ck_assert_str_eq(f[2].values[0], "LIVE");
	filters_free(f, 3);
}
END_TEST

START_TEST(test_absent_and_empty)
{
	struct filter *f = (struct filter *)1;
	size_t n = 99;
	struct gerr err = { 0 };

	ck_assert_int_eq(filter_parse(NULL, specs, &f, &n, &err), 0);
	ck_assert_ptr_null(f);
	ck_assert_uint_eq(n, 0);
	f = parse_ok("[]", 0);
	ck_assert_ptr_null(f);
	filters_free(NULL, 0);
}
END_TEST

START_TEST(test_shape_errors)
{
	static const char shape[] = "(#100) Param filtering must be an array "
	                            "of {field, operator, value} objects";

	parse_fails("", shape);
	parse_fails("creation_time", shape);
	parse_fails("{'field':'creation_time','operator':'LESS_THAN',"
	            "'value':'1'}",
	    shape);
	parse_fails("[1]", shape);
	parse_fails("[{'field':'creation_time','operator':'LESS_THAN'}]",
	    shape);
	parse_fails("[{'operator':'LESS_THAN','value':'1'}]", shape);
	parse_fails("[{'field':'creation_time','value':'1'}]", shape);
	parse_fails("[{'field':1,'operator':'LESS_THAN','value':'1'}]",
	    "(#100) Param filtering[0].field must be a string - got \"1\"");
	parse_fails("[{'field':'creation_time','operator':['IN'],'value':'1'}]",
	    "(#100) Param filtering[0].operator must be a string - got "
	    "\"[\"IN\"]\"");
	parse_fails("[{'field':null,'operator':'IN','value':'1'}]",
	    "(#100) Param filtering[0].field must be a string - got \"null\"");
	parse_fails("[{'field':'creation_time','operator':'LESS_THAN',"
	            "'value':null}]",
	    shape);
	parse_fails("[{'field':'creation_time'", shape);
	parse_fails("[{'field':'creation_time','operator':'LESS_THAN',"
	            "'value':'1'}] x",
	    shape);
	/* a good first element does not leak when the second is bad */
	parse_fails("[{'field':'ownership_type','operator':'IN','value':"
	            "['SELF']},{}]",
	    shape);
}
END_TEST

/* A filter has field, operator and value, and nothing else. */
START_TEST(test_unknown_keys)
{
	parse_fails("[{'field':'account_mode','operator':'EQUAL',"
	            "'value':'LIVE','values':'SANDBOX'}]",
	    "(#100) Param filtering[0] "
	    "has an unknown key \"values\": a filter has only field, operator "
	    "and value");
	parse_fails(
	    "[{'field':'account_mode','operator':'EQUAL','value':'LIVE'},"
	    "{'op':'IN'}]",
	    "(#100) Param filtering[1] has an unknown key "
	    "\"op\": a filter has only field, operator and value");
	/* keys are case-sensitive */
	parse_fails("[{'Field':'account_mode','operator':'EQUAL',"
	            "'value':'LIVE'}]",
	    "(#100) Param filtering[0] has an unknown key "
	    "\"Field\": a filter has only field, operator and value");
}
END_TEST

/* A NUL would cut a string where strcmp reads it: "LIVE\0x" is not LIVE. */
START_TEST(test_nul_in_strings)
{
	static const char want[] = "(#100) Param filtering[0] must not "
	                           "contain a NUL character";

	parse_fails("[{'field':'account_mode','operator':'EQUAL',"
	            "'value':'LIVE\\u0000x'}]",
	    want);
	parse_fails("[{'field':'account_mode\\u0000x','operator':'EQUAL',"
	            "'value':'LIVE'}]",
	    want);
	parse_fails("[{'field':'account_mode','operator':'EQUAL\\u0000',"
	            "'value':'LIVE'}]",
	    want);
	parse_fails("[{'field':'account_mode','operator':'IN',"
	            "'value':['SANDBOX','LIVE\\u0000']}]",
	    want);
	parse_fails("[{'field':'creation_time','operator':'LESS_THAN',"
	            "'value':'5\\u00009'}]",
	    want);
}
END_TEST

START_TEST(test_field_and_operator_errors)
{
	parse_fails("[{'field':'name','operator':'EQUAL','value':'x'}]",
	    "(#100) Filtering field name is not supported. Supported fields: "
	    "creation_time, ownership_type, account_mode");
	parse_fails("[{'field':'creation_time','operator':'EQUAL',"
	            "'value':'1'}]",
	    "(#100) Filtering operator EQUAL is not supported for field "
	    "creation_time. Supported operators: LESS_THAN, GREATER_THAN, "
	    "IN_RANGE");
	parse_fails("[{'field':'ownership_type','operator':'CONTAIN',"
	            "'value':'SELF'}]",
	    "(#100) Filtering operator CONTAIN is not "
	    "supported for field ownership_type. Supported operators: EQUAL, "
	    "IN");
	/* operators are upper case, as documented */
	parse_fails("[{'field':'ownership_type','operator':'in',"
	            "'value':'SELF'}]",
	    "(#100) Filtering operator in is not "
	    "supported for field ownership_type. Supported operators: EQUAL, "
	    "IN");
}
END_TEST

START_TEST(test_value_errors)
{
	parse_fails("[{'field':'ownership_type','operator':'IN',"
	            "'value':['SELF','MINE']}]",
	    "(#100) Param filtering[0].value "
	    "must be one of {SELF, CLIENT_OWNED, ON_BEHALF_OF} - got \"MINE\"");
	parse_fails(
	    "[{'field':'creation_time','operator':'LESS_THAN','value':"
	    "'5'},{'field':'account_mode','operator':'EQUAL','value':'live'}]",
	    "(#100) Param filtering[1].value must be one of {SANDBOX, LIVE} - "
	    "got \"live\"");
	parse_fails("[{'field':'account_mode','operator':'EQUAL',"
	            "'value':['LIVE']}]",
	    "(#100) Param filtering[0].value must be one "
	    "of {SANDBOX, LIVE} - got \"[\"LIVE\"]\"");
	parse_fails("[{'field':'account_mode','operator':'IN','value':[]}]",
	    "(#100) Param filtering[0].value must be one of {SANDBOX, LIVE} - "
	    "got \"[]\"");
	parse_fails("[{'field':'account_mode','operator':'IN','value':[1]}]",
	    "(#100) Param filtering[0].value must be one of {SANDBOX, LIVE} - "
	    "got \"1\"");
	parse_fails("[{'field':'creation_time','operator':'LESS_THAN',"
	            "'value':'yesterday'}]",
	    "(#100) Param filtering[0].value must be "
	    "a unix timestamp - got \"yesterday\"");
	parse_fails("[{'field':'creation_time','operator':'GREATER_THAN',"
	            "'value':-1}]",
	    "(#100) Param filtering[0].value must be a unix "
	    "timestamp - got \"-1\"");
	parse_fails("[{'field':'creation_time','operator':'GREATER_THAN',"
	            "'value':'1234567890123456789'}]",
	    "(#100) Param "
	    "filtering[0].value must be a unix timestamp - got "
	    "\"1234567890123456789\"");
	parse_fails("[{'field':'creation_time','operator':'GREATER_THAN',"
	            "'value':1.5}]",
	    "(#100) Param filtering[0].value must be a unix "
	    "timestamp - got \"1.5\"");
	parse_fails("[{'field':'creation_time','operator':'IN_RANGE',"
	            "'value':'1'}]",
	    "(#100) Param filtering[0].value must be an array "
	    "of two unix timestamps [from, to] - got \"1\"");
	parse_fails("[{'field':'creation_time','operator':'IN_RANGE',"
	            "'value':['1','2','3']}]",
	    "(#100) Param filtering[0].value "
	    "must be an array of two unix timestamps [from, to] - got "
	    "\"[\"1\",\"2\",\"3\"]\"");
	parse_fails("[{'field':'creation_time','operator':'IN_RANGE',"
	            "'value':['1','x']}]",
	    "(#100) Param filtering[0].value must be an "
	    "array of two unix timestamps [from, to] - got \"[\"1\",\"x\"]\"");
	parse_fails("[{'field':'creation_time','operator':'IN_RANGE',"
	            "'value':['9','2']}]",
	    "(#100) Param filtering[0].value must be a "
	    "range [from, to] with from <= to - got \"[\"9\",\"2\"]\"");
}
END_TEST

/* A filtering= of n copies of item, comma-joined in brackets; caller frees. */
static char *
repeat_item(const char *item, size_t n)
{
	size_t len = strlen(item), i;
	char *s = malloc(n * (len + 1) + 2), *p = s;

	ck_assert_ptr_nonnull(s);
	*p++ = '[';
	for (i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ',';
		memcpy(p, item, len);
		p += len;
	}
	*p++ = ']';
	*p = '\0';
	return s;
}

/*
 * Each filter makes its own SQL text: at most one per field and operator,
 * at most 8 in all, and the order they come in does not matter.
 */
START_TEST(test_filter_limits)
{
	static const char over[] = "(#100) Param filtering has more than 8 "
	                           "filters";
	struct filter *f;
	char *many;

	/* every field and operator once: fine, whatever the order */
	f = parse_ok(
	    "[{'field':'account_mode','operator':'IN','value':"
	    "['LIVE']},{'field':'creation_time','operator':'IN_RANGE',"
	    "'value':[1,9]},{'field':'ownership_type','operator':'IN',"
	    "'value':['SELF']},{'field':'account_mode','operator':'EQUAL',"
	    "'value':'LIVE'},{'field':'creation_time','operator':"
	    "'GREATER_THAN','value':'1'},{'field':'ownership_type','operator':"
	    "'EQUAL','value':'SELF'},{'field':'creation_time','operator':"
	    "'LESS_THAN','value':'9'}]",
	    7);
	ck_assert_str_eq(f[0].field, "creation_time");
	ck_assert_int_eq(f[0].op, FOP_LESS_THAN);
	ck_assert_int_eq(f[1].op, FOP_GREATER_THAN);
	ck_assert_int_eq(f[2].op, FOP_IN_RANGE);
	ck_assert_int_eq(f[2].lo, 1);
	ck_assert_int_eq(f[2].hi, 9);
	ck_assert_str_eq(f[3].field, "ownership_type");
	ck_assert_int_eq(f[3].op, FOP_EQUAL);
	ck_assert_int_eq(f[4].op, FOP_IN);
	ck_assert_str_eq(f[5].field, "account_mode");
	ck_assert_int_eq(f[5].op, FOP_EQUAL);
	ck_assert_int_eq(f[6].op, FOP_IN);
	filters_free(f, 7);

	/* a field and operator given twice, even with other values */
	parse_fails(
	    "[{'field':'creation_time','operator':'LESS_THAN','value':"
	    "'5'},{'field':'account_mode','operator':'EQUAL','value':'LIVE'},"
	    "{'field':'creation_time','operator':'LESS_THAN','value':'6'}]",
	    "(#100) Param filtering[2]: field creation_time with operator "
	    "LESS_THAN is given twice");
	parse_fails(
	    "[{'field':'ownership_type','operator':'IN','value':"
	    "['SELF']},{'field':'ownership_type','operator':'IN','value':"
	    "'SELF'}]",
	    "(#100) Param filtering[1]: field ownership_type with "
	    "operator IN is given twice");
	/* the same field with another operator is fine */
	f = parse_ok(
	    "[{'field':'ownership_type','operator':'IN','value':"
	    "['SELF']},{'field':'ownership_type','operator':'EQUAL','value':"
	    "'SELF'}]",
	    2);
	filters_free(f, 2);

	/* nine items: refused before any is read */
	many = repeat_item("{'field':'account_mode','operator':'EQUAL',"
	                   "'value':'LIVE'}",
	    9);
	parse_fails(many, over);
	free(many);
	many = repeat_item("1", 1500);
	parse_fails(many, over);
	free(many);
	/* eight is the limit; these eight fail on the repeat instead */
	many = repeat_item("{'field':'account_mode','operator':'EQUAL',"
	                   "'value':'LIVE'}",
	    8);
	parse_fails(many,
	    "(#100) Param filtering[1]: field account_mode with "
	    "operator EQUAL is given twice");
	free(many);
}
END_TEST

/* Eight distinct filters pass and a ninth does not, on a wide spec. */
START_TEST(test_filter_limit_boundary)
{
	static const struct filter_spec wide[] = {
		{ "a", FOP_EQUAL, NULL },
		{ "b", FOP_EQUAL, NULL },
		{ "c", FOP_EQUAL, NULL },
		{ "d", FOP_EQUAL, NULL },
		{ "e", FOP_EQUAL, NULL },
		{ "f", FOP_EQUAL, NULL },
		{ "g", FOP_EQUAL, NULL },
		{ "h", FOP_EQUAL, NULL },
		{ "i", FOP_EQUAL, NULL },
		{ NULL, 0, NULL },
	};
	static const char eight[] =
	    "[{'field':'h','operator':'EQUAL',"
	    "'value':'8'},{'field':'g','operator':'EQUAL','value':'7'},"
	    "{'field':'f','operator':'EQUAL','value':'6'},{'field':'e',"
	    "'operator':'EQUAL','value':'5'},{'field':'d','operator':'EQUAL',"
	    "'value':'4'},{'field':'c','operator':'EQUAL','value':'3'},"
	    "{'field':'b','operator':'EQUAL','value':'2'},{'field':'a',"
	    "'operator':'EQUAL','value':'1'}";
	struct filter *f = NULL;
	size_t n = 0, i;
	struct gerr err = { 0 };
	char nine[sizeof(eight) + 64];

	snprintf(nine, sizeof(nine), "%s]", eight);
	ck_assert_int_eq(filter_parse(nine, wide, &f, &n, &err), 0);
	ck_assert_uint_eq(n, 8);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_eq(f[i].field, wide[i].field);
		ck_assert_int_eq(f[i].lo, (long long)i + 1);
	}
	filters_free(f, n);
	snprintf(nine, sizeof(nine),
	    "%s,{'field':'i','operator':'EQUAL',"
	    "'value':'9'}]",
	    eight);
	ck_assert_int_eq(filter_parse(nine, wide, &f, &n, &err), -1);
	ck_assert_ptr_null(f);
	ck_assert_str_eq(gerr_message(&err),
	    "(#100) Param filtering has more "
	    "than 8 filters");
	gerr_clear(&err);
}
END_TEST

/* A timestamp field that also allows EQUAL and IN. */
START_TEST(test_timestamp_equal_in)
{
	static const struct filter_spec t[] = {
		{ "t", FOP_EQUAL | FOP_IN, NULL },
		{ NULL, 0, NULL },
	};
	struct filter *f = NULL;
	size_t n = 0;
	struct gerr err = { 0 };

	ck_assert_int_eq(
	    filter_parse(
	        "[{'field':'t','operator':'EQUAL',"
	        "'value':'7'},{'field':'t','operator':'IN','value':['1',2]}]",
	        t, &f, &n, &err),
	    0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(f[0].lo, 7);
	ck_assert_int_eq(f[0].hi, 7);
	ck_assert_uint_eq(f[1].nvalues, 2);
	ck_assert_str_eq(f[1].values[1], "2");
	filters_free(f, n);

	ck_assert_int_eq(filter_parse("[{'field':'t','operator':'IN',"
	                              "'value':'1'}]",
	                     t, &f, &n, &err),
	    -1);
	ck_assert_str_eq(gerr_message(&err),
	    "(#100) Param filtering[0].value "
	    "must be an array of unix timestamps - got \"1\"");
	ck_assert_int_eq(filter_parse("[{'field':'t','operator':'IN',"
	                              "'value':['a']}]",
	                     t, &f, &n, &err),
	    -1);
	ck_assert_str_eq(gerr_message(&err),
	    "(#100) Param filtering[0].value "
	    "must be an array of unix timestamps - got \"[\"a\"]\"");
	gerr_clear(&err);
}
END_TEST

static void
sort_ok(const char *param, bool want)
{
	bool desc = !want;
	struct gerr err = { 0 };

	ck_assert_msg(sort_parse(param, &desc, &err) == 0, "%s",
	    param != NULL ? param : "(no sort)");
	ck_assert(desc == want);
}

static void
sort_fails(const char *param, const char *got)
{
	bool desc = true;
	struct gerr err = { 0 };
	char *want;

	ck_assert_int_eq(sort_parse(param, &desc, &err), -1);
	ck_assert_int_eq(gerr_code(&err), 100);
	if (asprintf(&want,
	        "(#100) Param sort[0] must be one of "
	        "{creation_time_ascending, creation_time_descending} - got \"%s\"",
	        got) < 0)
		ck_abort();
	ck_assert_str_eq(gerr_message(&err), want);
	free(want);
	gerr_clear(&err);
}

START_TEST(test_sort)
{
	sort_ok(NULL, false);
	sort_ok("creation_time_ascending", false);
	sort_ok("creation_time_descending", true);
	sort_ok("[\"creation_time_descending\"]", true);
	sort_ok("['creation_time_descending']", true);
	sort_ok("[\"creation_time_ascending\"]", false);
	sort_ok("\"creation_time_descending\"", true);

	sort_fails("", "");
	sort_fails("name", "name");
	sort_fails("creation_time_DESCENDING", "creation_time_DESCENDING");
	sort_fails("[\"name_ascending\"]", "name_ascending");
	sort_fails("[1]", "1");
	sort_fails("[]", "[]");
	sort_fails("[\"creation_time_ascending\",\"creation_time_descending\"]",
	    "[\"creation_time_ascending\",\"creation_time_descending\"]");
	sort_fails("['creation_time_ascending'", "['creation_time_ascending'");
}
END_TEST

static Suite *
filter_suite(void)
{
	const TTest *const tests[] = {
		test_docs_example,
		test_json_form,
		test_enums,
		test_absent_and_empty,
		test_shape_errors,
		test_field_and_operator_errors,
		test_unknown_keys,
		test_nul_in_strings,
		test_value_errors,
		test_timestamp_equal_in,
		test_filter_limits,
		test_filter_limit_boundary,
		test_sort,
		NULL,
	};

	return suite_core("filter", NULL, NULL, tests);
}

int
main(void)
{
	return suite_run(filter_suite());
}
