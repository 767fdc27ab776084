/*
 * test_fields.c - the fields= parser: the tree it builds and Graph's
 * syntax errors, with offsets checked against captured Graph responses.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "gerr.h"
#include "suite.h"

static struct fieldlist *
parse_ok(const char *s)
{
	struct fieldlist *fl = NULL;
	struct gerr err = { 0 };

	ck_assert_msg(fields_parse(s, &fl, &err) == 0, "%s: %s", s,
	    err.id != GE_NONE ? gerr_message(&err) : "");
	ck_assert_ptr_nonnull(fl);
	gerr_clear(&err);
	return fl;
}

/* Expects exactly: Syntax error "<what>" at character <at>: <s> (2500). */
static void
parse_fails(const char *s, const char *what, size_t at)
{
	struct fieldlist *fl = (struct fieldlist *)1;
	struct gerr err = { 0 };
	char *want;

	ck_assert_int_eq(fields_parse(s, &fl, &err), -1);
	ck_assert_ptr_null(fl);
	ck_assert_int_eq(err.id, GE_SYNTAX);
	ck_assert_int_eq(gerr_code(&err), 2500);
	if (asprintf(&want, "Syntax error \"%s\" at character %zu: %s", what,
	        at, s) < 0)
		ck_abort();
	ck_assert_str_eq(gerr_message(&err), want);
	free(want);
	gerr_clear(&err);
}

START_TEST(test_simple)
{
	struct fieldlist *fl = parse_ok("id,name,currency");

	ck_assert_uint_eq(fl->n, 3);
	ck_assert_str_eq(fl->v[0].name, "id");
	ck_assert_str_eq(fl->v[1].name, "name");
	ck_assert_str_eq(fl->v[2].name, "currency");
	ck_assert_int_eq(fl->v[0].limit, -1);
	ck_assert_ptr_null(fl->v[0].alias);
	ck_assert_ptr_null(fl->v[0].sub);
	ck_assert_ptr_null(fl->v[0].start);
	ck_assert_ptr_eq(fieldlist_find(fl, "name"), &fl->v[1]);
	ck_assert_ptr_null(fieldlist_find(fl, "nam"));
	ck_assert_ptr_null(fieldlist_find(NULL, "id"));
	fieldlist_free(fl);

	fl = parse_ok("a");
	ck_assert_uint_eq(fl->n, 1);
	fieldlist_free(fl);
	fl = parse_ok("0,_x,A_9");
	ck_assert_uint_eq(fl->n, 3);
	ck_assert_str_eq(fl->v[0].name, "0");
	fieldlist_free(fl);
}
END_TEST

START_TEST(test_empty)
{
	struct fieldlist *fl = parse_ok("");

	ck_assert_uint_eq(fl->n, 0);
	ck_assert_ptr_null(fieldlist_find(fl, "id"));
	fieldlist_free(fl);
	fl = parse_ok(NULL);
	ck_assert_uint_eq(fl->n, 0);
	fieldlist_free(fl);
	fieldlist_free(NULL);
}
END_TEST

START_TEST(test_nested)
{
	struct fieldlist *fl = parse_ok(
	    "id,phone_numbers.limit(2){id,"
	    "verified_name,throughput{level}},name");
	const struct field *pn;

	ck_assert_uint_eq(fl->n, 3);
	pn = fieldlist_find(fl, "phone_numbers");
	ck_assert_ptr_nonnull(pn);
	ck_assert_int_eq(pn->limit, 2);
	ck_assert_ptr_nonnull(pn->sub);
	ck_assert_uint_eq(pn->sub->n, 3);
	ck_assert_str_eq(pn->sub->v[1].name, "verified_name");
	ck_assert_ptr_nonnull(pn->sub->v[2].sub);
	ck_assert_str_eq(pn->sub->v[2].sub->v[0].name, "level");
	ck_assert_str_eq(fl->v[2].name, "name");
	fieldlist_free(fl);

	/* the old spelling of {...} */
	fl = parse_ok("phone_numbers.fields(id,status).limit(1),id");
	ck_assert_uint_eq(fl->n, 2);
	ck_assert_ptr_nonnull(fl->v[0].sub);
	ck_assert_uint_eq(fl->v[0].sub->n, 2);
	ck_assert_str_eq(fl->v[0].sub->v[1].name, "status");
	ck_assert_int_eq(fl->v[0].limit, 1);
	fieldlist_free(fl);

	fl = parse_ok("a.fields(b.fields(c{d}))");
	ck_assert_str_eq(fl->v[0].sub->v[0].sub->v[0].sub->v[0].name, "d");
	fieldlist_free(fl);
}
END_TEST

START_TEST(test_modifiers)
{
	struct fieldlist *fl = parse_ok(
	    "analytics.start(1693526400)"
	    ".end(1696118400).granularity(DAY),x.limit(0),y.summary(true)"
	    ".limit(007)");

	ck_assert_str_eq(fl->v[0].name, "analytics");
	ck_assert_str_eq(fl->v[0].start, "1693526400");
	ck_assert_str_eq(fl->v[0].end, "1696118400");
	ck_assert_str_eq(fl->v[0].granularity, "DAY");
	ck_assert_int_eq(fl->v[0].limit, -1);
	ck_assert_int_eq(fl->v[1].limit, 0);
	ck_assert_int_eq(fl->v[2].limit, 7);
	fieldlist_free(fl);

	/* raw arguments run to the matching parenthesis */
	fl = parse_ok("a.start(f(x),y).end()");
	ck_assert_str_eq(fl->v[0].start, "f(x),y");
	ck_assert_str_eq(fl->v[0].end, "");
	fieldlist_free(fl);

	/* later modifiers replace earlier ones; huge limits saturate */
	fl = parse_ok("a.limit(1).limit(5).start(1).start(2),"
	              "b.limit(99999999999999999999)");
	ck_assert_int_eq(fl->v[0].limit, 5);
	ck_assert_str_eq(fl->v[0].start, "2");
	ck_assert_int_ge(fl->v[1].limit, 1000000);
	fieldlist_free(fl);
}
END_TEST

START_TEST(test_aliases)
{
	struct fieldlist *fl = parse_ok("phone_numbers.limit(1).as(first),"
	                                "phone_numbers.limit(5).as(five),id");

	ck_assert_uint_eq(fl->n, 3);
	ck_assert_str_eq(fl->v[0].alias, "first");
	ck_assert_str_eq(fl->v[1].alias, "five");
	ck_assert_int_eq(fl->v[1].limit, 5);
	/* find looks up the name, not the alias */
	ck_assert_ptr_eq(fieldlist_find(fl, "phone_numbers"), &fl->v[0]);
	ck_assert_ptr_null(fieldlist_find(fl, "five"));
	fieldlist_free(fl);

	/* a name and an alias of another field may coincide in the name */
	fl = parse_ok("name,id.as(name2),name.as(n)");
	ck_assert_uint_eq(fl->n, 3);
	fieldlist_free(fl);
}
END_TEST

/* The captured Graph responses of reference section 1.2. */
START_TEST(test_graph_examples)
{
	parse_fails("likes.limit(1000){id},comments.limit(1000){id}{from},"
	            "sharedposts{id}",
	    "Expected end of string instead of \"{\".", 46);
	parse_fails(
	    "name,id,status,account_id,adlabels,boosted_object_id,"
	    "brand_lift_studies,budget_rebalance_flag,buying_type,"
	    "can_create_brand_lift_study,can_use_spend_cap,configured_status,"
	    "created_time,effective_status,,stop_time",
	    "Expected name.", 200);
	parse_fails("*****", "Expected name.", 0);
	parse_fails("id,name,picture,picture",
	    "Field picture specified more "
	    "than once. This is only possible before version 2.1",
	    23);
	parse_fails("id,id",
	    "Field id specified more than once. This is only "
	    "possible before version 2.1",
	    5);
	parse_fails(
	    "email,gender,link,locale,first_name,last_name,last_name,"
	    "first_name,middle_name,name_format,timezone,is_verified,verified,"
	    "permissions,cover,devices,id",
	    "Field last_name specified more "
	    "than once. This is only possible before version 2.1",
	    55);
	parse_fails(
	    "id,name,about,emails,cover.fields(id,source),"
	    "picture.type(large),category,category_list.fields(name),"
	    "location{city,country,latitude,longitude,state,street,zip},"
	    "events.fields(id,type,name,cover.fields(id,source),"
	    "picture.type(large),description,start_time,end_time,category,"
	    "ticket_uri,ticketing_privacy_uri,ticketing_terms_uri,"
	    "place.fields(id,name,location{city,country,latitude,longitude,"
	    "state,street,zip}),is_canceled,timezone,updated_time)"
	    ".since(2018-04-06T18:00:00).until(2018-05-06T07:00:00",
	    "Expected \")\", got end of string", 493);
	parse_fails(
	    "id,created_time,story,message,caption,from,description,"
	    "link,name,parent_id,comments.limit%280%29.summary%28true%29,"
	    "likes.limit%280%29.summary%28true%29",
	    "Expected \"(\" instead of \"%\".", 89);
	parse_fails(
	    "app_,0.7933770411601355access_token,messenger_profile{"
	    "whitelisted_domains,account_linking_url,get_started,greeting,"
	    "home_url},unseen_message_count",
	    "Expected \"(\" instead of \",\".", 35);
	parse_fails("third_party_id?access_token=AAAB",
	    "Expected end of string instead of \"?\".", 14);
	parse_fails("applications/developer",
	    "Expected end of string instead of \"/\".", 12);
}
END_TEST

/* Spaces as people type them: between items, around commas and braces. */
START_TEST(test_whitespace)
{
	struct fieldlist *fl = parse_ok("id, name ,\tcurrency\n");

	ck_assert_uint_eq(fl->n, 3);
	ck_assert_str_eq(fl->v[0].name, "id");
	ck_assert_str_eq(fl->v[1].name, "name");
	ck_assert_str_eq(fl->v[2].name, "currency");
	fieldlist_free(fl);

	fl = parse_ok(" id, phone_numbers.limit(2) { id, verified_name } ");
	ck_assert_uint_eq(fl->n, 2);
	ck_assert_int_eq(fl->v[1].limit, 2);
	ck_assert_ptr_nonnull(fl->v[1].sub);
	ck_assert_uint_eq(fl->v[1].sub->n, 2);
	ck_assert_str_eq(fl->v[1].sub->v[1].name, "verified_name");
	fieldlist_free(fl);

	fl = parse_ok("a.fields( b, c )");
	ck_assert_uint_eq(fl->v[0].sub->n, 2);
	fieldlist_free(fl);

	/* not inside a name or a modifier; an empty item is still empty */
	parse_fails("a, b,", "Expected name.", 5);
	parse_fails("a,  ", "Expected name.", 2);
	parse_fails("a .limit(1)", "Expected end of string instead of \".\".",
	    2);
	parse_fails("a. limit(1)", "Expected name.", 2);
	parse_fails("a.limit (1)", "Expected \"(\" instead of \" \".", 7);
	/* offsets count the spaces; duplicates are still duplicates */
	parse_fails("id, name, id",
	    "Field id specified more than once. "
	    "This is only possible before version 2.1",
	    12);
}
END_TEST

START_TEST(test_syntax_errors)
{
	parse_fails("a}", "Expected end of string instead of \"}\".", 1);
	parse_fails(",a", "Expected name.", 0);
	parse_fails("a,", "Expected name.", 2);
	parse_fails("a, ,b", "Expected name.", 2);
	parse_fails("a b", "Expected end of string instead of \"b\".", 2);
	parse_fails("a{}", "Expected name.", 2);
	parse_fails("a{b,}", "Expected name.", 4);
	parse_fails("a{b", "Expected \"}\", got end of string", 3);
	parse_fails("a{b)", "Expected \"}\" instead of \")\".", 3);
	parse_fails("a{b{c}", "Expected \"}\", got end of string", 6);
	parse_fails("a.", "Expected name.", 2);
	parse_fails("a.{b}", "Expected name.", 2);
	parse_fails("a.limit", "Expected \"(\", got end of string", 7);
	parse_fails("a.limit{b}", "Expected \"(\" instead of \"{\".", 7);
	parse_fails("a.limit(2", "Expected \")\", got end of string", 9);
	parse_fails("a.start(f(x)", "Expected \")\", got end of string", 12);
	parse_fails("a.fields(b", "Expected \")\", got end of string", 10);
	parse_fails("a.fields(b}", "Expected \")\" instead of \"}\".", 10);
	parse_fails("a.fields()", "Expected name.", 9);
	/* one {...} per item, and none after .fields(...) */
	parse_fails("a{b}{c}", "Expected end of string instead of \"{\".", 4);
	parse_fails("a.fields(b){c}",
	    "Expected end of string instead of \"{\".", 11);
	/* a multi-byte character is named whole */
	parse_fails("a\xc3\xa9",
	    "Expected end of string instead of "
	    "\"\xc3\xa9\".",
	    1);
}
END_TEST

START_TEST(test_meaning_errors)
{
	parse_fails("a.foo(1)", "Unknown modifier foo.", 2);
	parse_fails("id,a.limit(x)", "Expected integer instead of \"x\".", 11);
	parse_fails("a.limit(1x)", "Expected integer instead of \"x\".", 9);
	parse_fails("a.limit(-1)", "Expected integer instead of \"-\".", 8);
	parse_fails("a.limit()", "Expected integer instead of \")\".", 8);
	parse_fails("a.as()", "Expected name.", 5);
	parse_fails("a.as(x-y)", "Expected name.", 6);
	/* duplicates by the key a field answers under */
	parse_fails("a.as(x),b.as(x)",
	    "Field x specified more than once. "
	    "This is only possible before version 2.1",
	    15);
	parse_fails("id,name.as(id)",
	    "Field id specified more than once. "
	    "This is only possible before version 2.1",
	    14);
	parse_fails("p{id,id}",
	    "Field id specified more than once. "
	    "This is only possible before version 2.1",
	    7);
	/* the first by position wins, at any depth */
	parse_fails("b,p{id,id},b",
	    "Field id specified more than once. "
	    "This is only possible before version 2.1",
	    9);
	parse_fails("b,x,b,x",
	    "Field b specified more than once. "
	    "This is only possible before version 2.1",
	    5);
	parse_fails("a.bar(1),a.foo(2)", "Unknown modifier bar.", 2);
	/* a syntax error anywhere beats them */
	parse_fails("a.foo(1),id,id,", "Expected name.", 15);
}
END_TEST

START_TEST(test_depth)
{
	char buf[400];
	size_t i, n = 0;
	struct fieldlist *fl = NULL;
	struct gerr err = { 0 };

	for (i = 0; i < 20; i++) {
		buf[n++] = 'a';
		buf[n++] = '{';
	}
	buf[n++] = 'b';
	for (i = 0; i < 20; i++)
		buf[n++] = '}';
	buf[n] = '\0';
	fieldlist_free(parse_ok(buf));

	n = 0;
	for (i = 0; i < 100; i++) {
		buf[n++] = 'a';
		buf[n++] = '{';
	}
	buf[n] = '\0';
	ck_assert_int_eq(fields_parse(buf, &fl, &err), -1);
	ck_assert_int_eq(gerr_code(&err), 2500);
	gerr_clear(&err);
}
END_TEST

START_TEST(test_many)
{
	/* a long list stays fast and finds the one duplicate at the end */
	size_t n = 20000, i;
	char *s = malloc(n * 8 + 16), *p = s;
	struct fieldlist *fl = NULL;
	struct gerr err = { 0 };

	for (i = 0; i < n; i++)
		p += sprintf(p, "f%zu,", i);
	strcpy(p, "f7");
	ck_assert_int_eq(fields_parse(s, &fl, &err), -1);
	ck_assert_ptr_nonnull(strstr(gerr_message(&err), "Field f7 specified"));
	gerr_clear(&err);
	p[-1] = '\0';
	fl = parse_ok(s);
	ck_assert_uint_eq(fl->n, n);
	fieldlist_free(fl);
	free(s);
}
END_TEST

static Suite *
fields_suite(void)
{
	const TTest *const tests[] = {
		test_simple,
		test_empty,
		test_nested,
		test_modifiers,
		test_aliases,
		test_graph_examples,
		test_whitespace,
		test_syntax_errors,
		test_meaning_errors,
		test_depth,
		test_many,
		NULL,
	};

	return suite_core("fields", NULL, NULL, tests);
}

int
main(void)
{
	return suite_run(fields_suite());
}
