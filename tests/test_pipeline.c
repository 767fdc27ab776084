/*
 * test_pipeline.c - pipeline.c's decisions over the demo fixtures,
 * through emu_handle() in process: how a path resolves (version prefix,
 * node, edge, what is left over), the errors for what does not resolve,
 * method= and suppress_http_code=.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "demo_emu.h"
#include "request.h"
#include "response.h"
#include "store.h"
#include "suite.h"

#define ADMIN "EAAdemoAdmin"

/* GET target as the admin: the error's message, after checking codes. */
static void
expect_error(const char *method, const char *target, int status, int code,
    int subcode, const char *message)
{
	struct json_object *o, *e;
	int st;

	o = demo_call(method, target, NULL, NULL, ADMIN, &st);
	ck_assert_int_eq(st, status);
	e = demo_graph_error(o, code, subcode);
	ck_assert_str_eq(demo_str(e, "message"), message);
	json_object_put(o);
}

START_TEST(test_unknown_components)
{
	/* an edge path too long for any route */
	expect_error("GET", "/v24.0/4000000000000001/phone_numbers/x/y", 400,
	    2500, 0, "Unknown path components: /x/y");
	/* a first segment that is not an id: the rest is left over */
	expect_error("GET", "/v24.0/nosuchnode/phone_numbers", 400, 2500, 0,
	    "Unknown path components: /phone_numbers");
	/* an edge the node type lacks */
	expect_error("GET", "/v24.0/4000000000000001/feed", 400, 100, 0,
	    "(#100) Tried accessing nonexisting field (feed) on node type "
	    "(WhatsAppBusinessAccount)");
}
END_TEST

START_TEST(test_unknown_id)
{
	static const char tail[] =
	    "' does not exist, cannot be loaded due "
	    "to missing permissions, or does not support this operation. "
	    "Please read the Graph API documentation at "
	    "https://developers.facebook.com/docs/graph-api";
	char want[512];

	snprintf(want, sizeof(want),
	    "Unsupported get request. Object with "
	    "ID '4999999999999999%s",
	    tail);
	expect_error("GET", "/v24.0/4999999999999999", 400, 100, 33, want);
	/* an unknown id is 100/33 whatever follows it */
	expect_error("GET", "/v24.0/4999999999999999/phone_numbers/x", 400, 100,
	    33, want);
	/* an id is written one way: with a leading zero it is another */
	snprintf(want, sizeof(want),
	    "Unsupported get request. Object with "
	    "ID '04000000000000001%s",
	    tail);
	expect_error("GET", "/v24.0/04000000000000001", 400, 100, 33, want);
	/* the node exists, not for this method */
	snprintf(want, sizeof(want),
	    "Unsupported delete request. Object "
	    "with ID '4000000000000001%s",
	    tail);
	expect_error("DELETE", "/v24.0/4000000000000001", 400, 100, 33, want);
}
END_TEST

/* The version answered for target, in the header and the node read. */
static void
expect_version(const char *target, const char *version)
{
	struct request rq;

	demo_run(&rq, "GET", target, NULL, NULL, ADMIN);
	ck_assert_int_eq(rq.resp.status, 200);
	ck_assert_str_eq(response_get_header(&rq.resp, "facebook-api-version"),
	    version);
	ck_assert_ptr_nonnull(
	    strstr(rq.resp.body, "\"id\":\"4000000000000001\""));
	request_cleanup(&rq);
}

START_TEST(test_version_prefix)
{
	expect_version("/v24.0/4000000000000001", "v24.0");
	expect_version("/v19.0/4000000000000001", "v19.0");
	/* none given: the default */
	expect_version("/4000000000000001", "v24.0");
	expect_version("//v21.0//4000000000000001", "v21.0");
}
END_TEST

START_TEST(test_method_override)
{
	struct json_object *o, *asg;
	int st;

	/* a GET with method=post adds the assignment */
	o = demo_call("GET",
	    "/v24.0/4000000000000001/assigned_users"
	    "?method=post&user=3000000000000004&tasks=MANAGE",
	    NULL, NULL, ADMIN, &st);
	ck_assert_int_eq(st, 200);
	ck_assert(
	    json_object_get_boolean(json_object_object_get(o, "success")));
	json_object_put(o);
	asg = store_assignment(demo.store, DEMO_WABA, 3000000000000004LL);
	ck_assert_ptr_nonnull(asg);
	json_object_put(asg);

	/* and method=delete removes it again */
	o = demo_call("POST", "/v24.0/4000000000000001/assigned_users",
	    "application/x-www-form-urlencoded",
	    "method=delete&user=3000000000000004", ADMIN, &st);
	ck_assert_int_eq(st, 200);
	json_object_put(o);
	ck_assert_ptr_null(
	    store_assignment(demo.store, DEMO_WABA, 3000000000000004LL));
}
END_TEST

START_TEST(test_suppress_http_code)
{
	struct json_object *o;
	int st;

	o = demo_call("GET", "/v24.0/4999999999999999?suppress_http_code=1",
	    NULL, NULL, ADMIN, &st);
	ck_assert_int_eq(st, 200);
	demo_graph_error(o, 100, 33);
	json_object_put(o);
	/* a token error too */
	o = demo_call("GET", "/v24.0/4000000000000001?suppress_http_code=1",
	    NULL, NULL, "EAAdemoExpired", &st);
	ck_assert_int_eq(st, 200);
	demo_graph_error(o, 190, 463);
	json_object_put(o);
	o = demo_call("GET", "/v24.0/4000000000000001", NULL, NULL,
	    "EAAdemoExpired", &st);
	ck_assert_int_eq(st, 401);
	json_object_put(o);
}
END_TEST

START_TEST(test_token_required)
{
	struct json_object *o;
	int st;

	o = demo_call("GET", "/v24.0/4000000000000001", NULL, NULL, NULL, &st);
	ck_assert_int_eq(st, 400);
	demo_graph_error(o, 104, 0);
	json_object_put(o);
}
END_TEST

static Suite *
pipeline_suite(void)
{
	const TTest *const tests[] = {
		test_unknown_components,
		test_unknown_id,
		test_version_prefix,
		test_method_override,
		test_suppress_http_code,
		test_token_required,
		NULL,
	};

	return suite_core("pipeline", demo_setup, demo_teardown, tests);
}

int
main(void)
{
	return suite_run(pipeline_suite());
}
