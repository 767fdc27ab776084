/*
 * test_account_events.c - account_update events through the real binary
 * and a receiver in this process (tests/receiver.h): a share made through
 * POST /_emulator/fixtures raises PARTNER_ADDED in the load's own
 * transaction, a refused load raises nothing, boot fixtures and reset
 * raise nothing, and assigning a user (which Meta does not report)
 * raises nothing either.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../receiver.h"
#include "../suite.h"
#include "harness.h"

#define NEW_WABA "4000000000000099"

static struct receiver rx;
static char hook_url[128];

/* The account_update deliveries the control plane lists. */
static struct json_object *
account_deliveries(const struct server *s)
{
	return ctl(s, "GET", "/_emulator/webhooks?field=account_update", NULL,
	    200);
}

static size_t
count_account(const struct server *s)
{
	struct json_object *d = account_deliveries(s);
	size_t n = jlen(d, "data");

	json_object_put(d);
	return n;
}

/* The value of the one change a receiver request carries (caller puts). */
static struct json_object *
posted_value(const struct rx_req *q, const char *waba)
{
	struct json_object *env = json_tokener_parse(q->body), *v;

	ck_assert_ptr_nonnull(env);
	ck_assert_str_eq(jstr(env, "object"), "whatsapp_business_account");
	ck_assert_str_eq(jstr(env, "entry.0.id"), waba);
	ck_assert_str_eq(jstr(env, "entry.0.changes.0.field"),
	    "account_update");
	v = json_object_get(jget(env, "entry.0.changes.0.value"));
	json_object_put(env);
	return v;
}

static void
start(struct server *s)
{
	const char *args[] = { "--webhook-url", hook_url, NULL };

	ck_assert_int_eq(rx_start_hook(&rx, 200, hook_url, sizeof(hook_url)),
	    0);
	ck_assert_int_eq(server_start(s, args), 0);
}

START_TEST(test_share_raises_partner_added)
{
	struct server s;
	struct json_object *o, *v;
	size_t i;

	start(&s);
	/* the boot fixtures hold a share, and are the start, not a change */
	ck_assert_uint_eq(count_account(&s), 0);
	o = ctl(&s, "POST", "/_emulator/fixtures",
	    "{\"shares\":[{\"waba\":\"" DEMO_WABA
	    "\",\"business\":\"" DEMO_PARTNER_BUSINESS "\","
	    "\"permitted_tasks\":[\"MANAGE\"]}]}",
	    200);
	json_object_put(o);
	/* --webhook-url: every app of the fixtures hears of it */
	o = account_deliveries(&s);
	ck_assert_uint_eq(jlen(o, "data"), 2);
	for (i = 0; i < 2; i++) {
		char p[32];

		snprintf(p, sizeof(p), "data.%zu.waba", i);
		ck_assert_str_eq(jstr(o, p), DEMO_WABA);
	}
	json_object_put(o);
	ck_assert(rx_wait(&rx, 2, 5000));
	for (i = 0; i < 2; i++) {
		v = posted_value(&rx.reqs[i], DEMO_WABA);
		ck_assert_msg(
		    jeq(v,
		        "{\"event\":\"PARTNER_ADDED\","
		        "\"waba_info\":{\"waba_id\":\"" DEMO_WABA "\","
		        "\"owner_business_id\":\"" DEMO_BUSINESS "\"}}"),
		    "%s", json_object_to_json_string(v));
		json_object_put(v);
	}
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

START_TEST(test_new_waba_shared_in_one_load)
{
	struct server s;
	struct json_object *o, *v;

	start(&s);
	/* a WABA and its share in one document: the owner is the new row's */
	o = ctl(&s, "POST", "/_emulator/fixtures",
	    "{\"wabas\":[{\"id\":\"" NEW_WABA
	    "\",\"business\":\"" DEMO_PARTNER_BUSINESS "\","
	    "\"name\":\"Fresh Sprouts\"}],\"shares\":[{\"waba\":\"" NEW_WABA
	    "\",\"business\":\"" DEMO_BUSINESS "\"}]}",
	    200);
	json_object_put(o);
	ck_assert_uint_eq(count_account(&s), 2);
	ck_assert(rx_wait(&rx, 1, 5000));
	v = posted_value(&rx.reqs[0], NEW_WABA);
	ck_assert_msg(jeq(v,
	                  "{\"event\":\"PARTNER_ADDED\",\"waba_info\":{"
	                  "\"waba_id\":\"" NEW_WABA
	                  "\",\"owner_business_id\":\"" DEMO_PARTNER_BUSINESS
	                  "\"}}"),
	    "%s", json_object_to_json_string(v));
	json_object_put(v);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

/* A refused load, a reset and a user assignment raise no event. */
START_TEST(test_no_event_without_a_share)
{
	struct server s;
	struct json_object *o;
	struct http_resp r;
	const char *hdrs[] = { "Authorization: Bearer EAAdemoAdmin", NULL };

	start(&s);
	/* the demo share again: 409, nothing committed, nothing raised */
	o = ctl(&s, "POST", "/_emulator/fixtures",
	    "{\"shares\":[{\"waba\":\"" DEMO_WABA
	    "\",\"business\":\"" DEMO_PARTNER_BUSINESS "\"},"
	    "{\"waba\":\"" DEMO_WABA_CLIENT "\",\"business\":\"" DEMO_BUSINESS
	    "\"}]}",
	    409);
	json_object_put(o);
	ck_assert_uint_eq(count_account(&s), 0);
	o = ctl(&s, "GET", "/_emulator/state", NULL, 200);
	ck_assert_uint_eq(jlen(o, "shares"), 1);
	json_object_put(o);
	/* Meta's account_update has no event for an assigned user */
	ck_assert_int_eq(http_req(&s, "POST",
	                     "/v24.0/" DEMO_WABA "/assigned_users",
	                     "user=" DEMO_MANAGER_USER "&tasks=[\"MANAGE\"]",
	                     NULL, hdrs, &r),
	    0);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	http_resp_free(&r);
	ck_assert_uint_eq(count_account(&s), 0);
	/* reset returns to the boot state without events */
	o = ctl(&s, "POST", "/_emulator/fixtures",
	    "{\"shares\":[{\"waba\":\"" DEMO_WABA
	    "\",\"business\":\"" DEMO_PARTNER_BUSINESS "\"}]}",
	    200);
	json_object_put(o);
	ck_assert_uint_eq(count_account(&s), 2);
	o = ctl(&s, "POST", "/_emulator/reset", NULL, 200);
	json_object_put(o);
	ck_assert_uint_eq(count_account(&s), 0);
	ck_assert_int_eq(server_stop(&s), 0);
	rx_stop(&rx);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("account_events");
	TCase *tc = harness_tcase("account_events", NULL, NULL);

	(void)rx_set_status; /* the receiver's: every answer here is 200 */

	tcase_add_test(tc, test_share_raises_partner_added);
	tcase_add_test(tc, test_new_waba_shared_in_one_load);
	tcase_add_test(tc, test_no_event_without_a_share);
	suite_add_tcase(su, tc);
	return suite_run(su);
}
