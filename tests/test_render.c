/*
 * test_render.c - render.c over the demo fixtures, in process: a node's
 * default fields, a field selection with id last, nested list edges and
 * node references, and the error for a field the node type lacks.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "demo_emu.h"
#include "etag.h"
#include "fields.h"
#include "gerr.h"
#include "render.h"
#include "request.h"
#include "store.h"
#include "suite.h"
#include "util.h"

static struct request rq;

static void
setup(void)
{
	demo_setup();
	ck_assert_int_eq(
	    demo_prepare(&rq, "GET", "/v24.0/4000000000000001", "EAAdemoAdmin"),
	    0);
	ck_assert_int_eq(auth_token(&rq), 0);
}

static void
teardown(void)
{
	request_cleanup(&rq);
	demo_teardown();
}

/* Renders the row of table/id with fields (NULL: the defaults). */
static struct json_object *
render(enum store_table table, enum node_type t, int64_t id, const char *fields)
{
	struct json_object *row = store_get(demo.store, table, id), *o;
	struct fieldlist *fl = NULL;

	ck_assert_ptr_nonnull(row);
	if (fields != NULL)
		ck_assert_int_eq(fields_parse(fields, &fl, &rq.err), 0);
	o = render_node(&rq, t, row, fl, NULL);
	fieldlist_free(fl);
	json_object_put(row);
	return o;
}

/* The object's keys in order, joined by ",". */
static char *
keys(struct json_object *o)
{
	struct sbuf sb = SBUF_INIT;

	json_object_object_foreach(o, k, v) {
		(void)v;
		if (sb.len > 0)
			sbuf_addch(&sb, ',');
		sbuf_addstr(&sb, k);
	}
	return sbuf_detach(&sb);
}

static void
assert_keys(struct json_object *o, const char *want)
{
	char *got = keys(o);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_defaults)
{
	struct json_object *o;

	o = render(TBL_WABAS, NODE_WABA, DEMO_WABA, NULL);
	ck_assert_ptr_nonnull(o);
	assert_keys(o,
	    "id,name,currency,timezone_id,"
	    "message_template_namespace");
	ck_assert_str_eq(demo_str(o, "id"), "4000000000000001");
	ck_assert_str_eq(demo_str(o, "name"), "Jasper's Market");
	ck_assert_str_eq(demo_str(o, "currency"), "USD");
	json_object_put(o);

	/* a phone number's defaults end with its id */
	o = render(TBL_PHONE_NUMBERS, NODE_PHONE, DEMO_PHONE, NULL);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(demo_str(o, "display_phone_number"),
	    "+1 555-010-0200");
	ck_assert_str_eq(demo_str(o, "verified_name"), "Jasper's Market");
	assert_keys(o,
	    "verified_name,code_verification_status,"
	    "display_phone_number,quality_rating,platform_type,throughput,"
	    "last_onboarded_time,id");
	json_object_put(o);
}
END_TEST

START_TEST(test_selection_id_last)
{
	struct json_object *o;

	o = render(TBL_WABAS, NODE_WABA, DEMO_WABA, "currency,name");
	assert_keys(o, "currency,name,id");
	json_object_put(o);
	/* asked for earlier, id keeps its place */
	o = render(TBL_WABAS, NODE_WABA, DEMO_WABA, "id,currency");
	assert_keys(o, "id,currency");
	json_object_put(o);
	/* a field with no value is left out, not null */
	o = render(TBL_WABAS, NODE_WABA, DEMO_WABA2, "primary_funding_id,name");
	assert_keys(o, "name,id");
	json_object_put(o);
	/* an alias named id gives way to the real id */
	o = render(TBL_WABAS, NODE_WABA, DEMO_WABA, "name.as(id)");
	assert_keys(o, "id");
	ck_assert_str_eq(demo_str(o, "id"), "4000000000000001");
	json_object_put(o);
	o = render(TBL_WABAS, NODE_WABA, DEMO_WABA, "name.as(title)");
	assert_keys(o, "title,id");
	ck_assert_str_eq(demo_str(o, "title"), "Jasper's Market");
	json_object_put(o);
}
END_TEST

START_TEST(test_nested)
{
	struct json_object *o, *phones, *data, *first, *paging, *biz;

	o = render(TBL_WABAS, NODE_WABA, DEMO_WABA,
	    "phone_numbers.limit(1){verified_name},owner_business_info");
	ck_assert_ptr_nonnull(o);
	assert_keys(o, "phone_numbers,owner_business_info,id");

	ck_assert(json_object_object_get_ex(o, "phone_numbers", &phones));
	ck_assert(json_object_object_get_ex(phones, "data", &data));
	ck_assert_uint_eq(json_object_array_length(data), 1);
	first = json_object_array_get_idx(data, 0);
	assert_keys(first, "verified_name,id");
	ck_assert_str_eq(demo_str(first, "id"), "5000000000000001");
	/* the second of the WABA's two numbers is a page away */
	ck_assert(json_object_object_get_ex(phones, "paging", &paging));
	ck_assert_ptr_nonnull(strstr(demo_str(paging, "next"),
	    "/4000000000000001/phone_numbers?"));

	ck_assert(json_object_object_get_ex(o, "owner_business_info", &biz));
	assert_keys(biz, "id,name");
	ck_assert_str_eq(demo_str(biz, "id"), "2000000000000001");
	ck_assert_str_eq(demo_str(biz, "name"), "Jasper's Market");
	json_object_put(o);
}
END_TEST

/*
 * A node read with its default fields: render_read() hands back the
 * answer's bytes and ETag in rq.answer and leaves the response to the
 * pipeline; the second read, from the bytes kept on the row, is the same.
 */
START_TEST(test_read_answer)
{
	struct json_object *row, *want, *got;
	char etag[ETAG_SIZE], *first;
	int round;

	want = render(TBL_WABAS, NODE_WABA, 4000000000000001LL, NULL);
	ck_assert_ptr_nonnull(want);
	first = NULL;
	for (round = 0; round < 2; round++) {
		row = store_get(demo.store, TBL_WABAS, 4000000000000001LL);
		ck_assert_ptr_nonnull(row);
		ck_assert_int_eq(render_read(&rq, NODE_WABA, row), 0);
		json_object_put(row);
		ck_assert_ptr_null(rq.result);
		ck_assert_ptr_null(rq.resp.body);
		ck_assert_ptr_nonnull(rq.answer);
		ck_assert_uint_eq(rq.answer_len, strlen(rq.answer));
		got = json_tokener_parse(rq.answer);
		ck_assert_msg(json_object_equal(got, want), "%s", rq.answer);
		json_object_put(got);
		etag_of(rq.answer, rq.answer_len, etag);
		ck_assert_str_eq(rq.answer_etag, etag);
		if (first == NULL)
			first = xstrdup(rq.answer);
		else
			ck_assert_str_eq(rq.answer, first);
	}
	free(first);
	json_object_put(want);
}
END_TEST

START_TEST(test_unknown_field)
{
	struct fieldlist *fl = NULL;
	struct json_object *row;

	ck_assert_ptr_null(
	    render(TBL_WABAS, NODE_WABA, DEMO_WABA, "name,nope"));
	ck_assert_int_eq(rq.err.id, GE_PARAM);
	ck_assert_str_eq(rq.err.message,
	    "(#100) Tried accessing nonexisting "
	    "field (nope) on node type (WhatsAppBusinessAccount)");
	gerr_clear(&rq.err);

	/* a field of another node type is just as unknown */
	row = store_get(demo.store, TBL_PHONE_NUMBERS, DEMO_PHONE);
	ck_assert_int_eq(fields_parse("currency", &fl, &rq.err), 0);
	ck_assert_int_eq(render_check(&rq, NODE_PHONE, fl), -1);
	ck_assert_ptr_nonnull(strstr(rq.err.message, "(currency)"));
	ck_assert_ptr_null(render_node(&rq, NODE_PHONE, row, fl, NULL));
	fieldlist_free(fl);
	json_object_put(row);
}
END_TEST

static Suite *
render_suite(void)
{
	const TTest *const tests[] = {
		test_defaults,
		test_selection_id_last,
		test_nested,
		test_unknown_field,
		test_read_answer,
		NULL,
	};

	return suite_core("render", setup, teardown, tests);
}

int
main(void)
{
	return suite_run(render_suite());
}
