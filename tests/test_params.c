/*
 * test_params.c - ordered name/value lists: add, set, get, del, copy and
 * the urlencoded parser behind query strings and form bodies.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "suite.h"

/* Compares ps with "name=value" strings, in order. */
static void
assert_params(const struct params *ps, const char *const *want, size_t n)
{
	size_t i;

	ck_assert_uint_eq(ps->n, n);
	for (i = 0; i < n; i++) {
		char buf[256];

		snprintf(buf, sizeof(buf), "%s=%s", ps->v[i].name,
		    ps->v[i].value);
		ck_assert_str_eq(buf, want[i]);
	}
}

START_TEST(test_add_get)
{
	struct params ps = { 0 };

	ck_assert_ptr_null(params_get(&ps, "a"));
	params_add(&ps, "a", "1");
	params_add(&ps, "b", "");
	params_add(&ps, "a", "2");
	ck_assert_uint_eq(ps.n, 3);
	/* get answers the first */
	ck_assert_str_eq(params_get(&ps, "a"), "1");
	ck_assert_str_eq(params_get(&ps, "b"), "");
	ck_assert_ptr_null(params_get(&ps, "A"));
	ck_assert_ptr_null(params_get(&ps, "c"));
	params_cleanup(&ps);
	ck_assert_uint_eq(ps.n, 0);
	ck_assert_ptr_null(ps.v);
	/* usable again after cleanup */
	params_add(&ps, "x", "y");
	ck_assert_str_eq(params_get(&ps, "x"), "y");
	params_cleanup(&ps);
	params_cleanup(&ps);
}
END_TEST

START_TEST(test_set_keeps_position)
{
	struct params ps = { 0 };
	static const char *const want[] = { "a=1", "b=new", "c=3", "d=4" };

	params_set(&ps, "a", "1");
	params_set(&ps, "b", "2");
	params_set(&ps, "c", "3");
	params_set(&ps, "b", "new");
	params_set(&ps, "d", "4");
	assert_params(&ps, want, 4);
	params_cleanup(&ps);
}
END_TEST

START_TEST(test_values_are_copies)
{
	struct params ps = { 0 };
	char name[] = "key", value[] = "value";

	params_add(&ps, name, value);
	name[0] = 'X';
	value[0] = 'X';
	ck_assert_str_eq(params_get(&ps, "key"), "value");
	params_cleanup(&ps);
}
END_TEST

START_TEST(test_del)
{
	struct params ps = { 0 };
	static const char *const want[] = { "b=2", "c=3" };

	params_add(&ps, "a", "1");
	params_add(&ps, "b", "2");
	params_add(&ps, "a", "x");
	params_add(&ps, "c", "3");
	params_add(&ps, "a", "y");
	params_del(&ps, "a");
	assert_params(&ps, want, 2);
	params_del(&ps, "missing");
	assert_params(&ps, want, 2);
	params_del(&ps, "b");
	params_del(&ps, "c");
	ck_assert_uint_eq(ps.n, 0);
	params_del(&ps, "c");
	params_cleanup(&ps);
}
END_TEST

START_TEST(test_copy_merges)
{
	struct params q = { 0 }, body = { 0 }, all = { 0 };
	static const char *const want[] = { "fields=id", "user=body", "limit=2",
		"tasks=MANAGE" };

	/* query then body, body winning: the request's merge */
	params_add(&q, "fields", "id");
	params_add(&q, "user", "query");
	params_add(&q, "limit", "2");
	params_add(&body, "user", "body");
	params_add(&body, "tasks", "MANAGE");
	params_copy(&all, &q);
	params_copy(&all, &body);
	assert_params(&all, want, 4);
	/* the sources are untouched */
	ck_assert_str_eq(params_get(&q, "user"), "query");
	params_cleanup(&q);
	params_cleanup(&body);
	params_cleanup(&all);
}
END_TEST

START_TEST(test_grow)
{
	struct params ps = { 0 };
	char name[16], value[16];
	int i;

	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		snprintf(value, sizeof(value), "v%d", i);
		params_add(&ps, name, value);
	}
	ck_assert_uint_eq(ps.n, 1000);
	ck_assert_str_eq(params_get(&ps, "n999"), "v999");
	ck_assert_str_eq(ps.v[500].name, "n500");
	params_cleanup(&ps);
}
END_TEST

static void
parse_as(const char *s, const char *const *want, size_t n)
{
	struct params ps = { 0 };

	params_parse_urlencoded(&ps, s, strlen(s));
	assert_params(&ps, want, n);
	params_cleanup(&ps);
}

START_TEST(test_urlencoded)
{
	static const char *const basic[] = { "a=1", "b=2" };
	static const char *const decoded[] = { "fields=id,name", "q=a b+c",
		"x y=%zz%4" };
	static const char *const empty[] = { "flag=", "v=" };
	static const char *const last[] = { "a=2", "b=1" };
	static const char *const eq[] = { "a=b=c" };
	static const char *const json[] = {
		"filtering=[{'field':'creation_time'}]"
	};

	parse_as("a=1&b=2", basic, 2);
	parse_as("fields=id%2Cname&q=a+b%2Bc&x+y=%zz%4", decoded, 3);
	parse_as("flag&v=", empty, 2);
	/* empty pieces and empty names are skipped */
	parse_as("&&=x&flag&&v=&", empty, 2);
	/* a repeated name: the last value wins, in the first's place */
	parse_as("a=1&b=1&a=2", last, 2);
	parse_as("a=b=c", eq, 1);
	parse_as("filtering=%5B%7B%27field%27%3A%27creation_time%27%7D%5D",
	    json, 1);
	parse_as("", NULL, 0);
	parse_as("&", NULL, 0);
	parse_as("=", NULL, 0);
}
END_TEST

START_TEST(test_urlencoded_slice)
{
	/* only n bytes are read: a body need not be NUL-terminated there */
	struct params ps = { 0 };
	const char *s = "a=1&b=2&c=3";

	params_parse_urlencoded(&ps, s, 5);
	ck_assert_uint_eq(ps.n, 2);
	ck_assert_str_eq(params_get(&ps, "a"), "1");
	ck_assert_str_eq(params_get(&ps, "b"), "");
	params_cleanup(&ps);

	/* a % escape cut by the end of the slice stays as is */
	params_parse_urlencoded(&ps, "k=%41%4", 7);
	ck_assert_str_eq(params_get(&ps, "k"), "A%4");
	params_cleanup(&ps);
	params_parse_urlencoded(&ps, "k=%41", 4);
	ck_assert_str_eq(params_get(&ps, "k"), "%4");
	params_cleanup(&ps);
}
END_TEST

/* A NUL, raw or as %00, in a name or a value is noted, the first only. */
START_TEST(test_urlencoded_nul)
{
	struct params ps = { 0 };

	params_parse_urlencoded(&ps, "a=1&user=3%002&b=%00", 20);
	ck_assert_str_eq(ps.nul, "user");
	ck_assert(!ps.nul_in_name);
	ck_assert_str_eq(params_get(&ps, "a"), "1");
	params_cleanup(&ps);
	ck_assert_ptr_null(ps.nul);

	params_parse_urlencoded(&ps, "to\0ken=x", 9);
	ck_assert_str_eq(ps.nul, "to");
	ck_assert(ps.nul_in_name);
	params_cleanup(&ps);

	params_parse_urlencoded(&ps, "ac%00x=1", 8);
	ck_assert_str_eq(ps.nul, "ac");
	ck_assert(ps.nul_in_name);
	params_cleanup(&ps);

	/* "%%00" is '%' then a NUL; "%0" and "%0g" are no NUL */
	params_parse_urlencoded(&ps, "v=%%00", 6);
	ck_assert_str_eq(ps.nul, "v");
	params_cleanup(&ps);
	params_parse_urlencoded(&ps, "v=%0&w=%0g&x=%2500", 18);
	ck_assert_ptr_null(ps.nul);
	ck_assert_str_eq(params_get(&ps, "x"), "%00");
	params_cleanup(&ps);
}
END_TEST

/* params_copy() carries the JSON mark and the NUL note. */
START_TEST(test_typed_and_copy)
{
	struct params a = { 0 }, b = { 0 };

	params_set_typed(&a, "n", "5", true);
	params_set(&a, "s", "x");
	params_note_nul(&a, "bad", false);
	params_note_nul(&a, "later", true);
	params_copy(&b, &a);
	ck_assert(b.v[0].json);
	ck_assert(!b.v[1].json);
	ck_assert_str_eq(b.nul, "bad");
	ck_assert(!b.nul_in_name);
	/* a plain set replaces the mark */
	params_set(&b, "n", "6");
	ck_assert(!b.v[0].json);
	params_cleanup(&a);
	params_cleanup(&b);
}
END_TEST

static Suite *
params_suite(void)
{
	const TTest *const tests[] = {
		test_add_get,
		test_set_keeps_position,
		test_values_are_copies,
		test_del,
		test_copy_merges,
		test_grow,
		test_urlencoded,
		test_urlencoded_slice,
		test_urlencoded_nul,
		test_typed_and_copy,
		NULL,
	};

	return suite_core("params", NULL, NULL, tests);
}

int
main(void)
{
	return suite_run(params_suite());
}
