/*
 * test_control.c - control.c's routes through emu_handle() in process,
 * over the demo fixtures: health, the clock, minting tokens and fault
 * rules, with what each refuses and that a refusal changes nothing.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "demo_emu.h"
#include "store.h"
#include "suite.h"

/* A control-plane call with a JSON body (may be NULL). */
static struct json_object *
ctl(const char *method, const char *path, const char *body, int *status)
{
	return demo_call(method, path, body ? "application/json" : NULL, body,
	    NULL, status);
}

/* Expects 400 whose error names field; returns nothing, checks all. */
static void
ctl_refused(const char *method, const char *path, const char *body,
    const char *field)
{
	struct json_object *o, *e;
	int st;

	o = ctl(method, path, body, &st);
	ck_assert_int_eq(st, 400);
	ck_assert_msg(json_object_object_get_ex(o, "error", &e), "%s",
	    json_object_to_json_string(o));
	ck_assert_str_eq(demo_str(e, "field"), field);
	ck_assert_str_ne(demo_str(e, "message"), "");
	json_object_put(o);
}

START_TEST(test_health)
{
	struct json_object *o;
	int st;

	o = ctl("GET", "/_emulator/health", NULL, &st);
	ck_assert_int_eq(st, 200);
	ck_assert_int_eq(json_object_object_length(o), 3);
	ck_assert_str_eq(demo_str(o, "status"), "ok");
	ck_assert_str_eq(demo_str(o, "version"), WABA_EMU_VERSION);
	ck_assert(json_object_is_type(
	    json_object_object_get(o, "uptime_seconds"), json_type_double));
	json_object_put(o);
}
END_TEST

START_TEST(test_clock)
{
	struct json_object *o;
	int st;

	o = ctl("GET", "/_emulator/clock", NULL, &st);
	ck_assert_int_eq(st, 200);
	ck_assert_int_eq(demo_int(o, "now"), DEMO_NOW);
	json_object_put(o);

	o = ctl("POST", "/_emulator/clock", "{\"advance_seconds\":3600}", &st);
	ck_assert_int_eq(st, 200);
	ck_assert_int_eq(demo_int(o, "now"), DEMO_NOW + 3600);
	ck_assert_int_eq(clock_now(&demo.clock), DEMO_NOW + 3600);
	json_object_put(o);

	ctl_refused("POST", "/_emulator/clock", "{}", "$");
	ctl_refused("POST", "/_emulator/clock",
	    "{\"advance_seconds\":1,\"now\":5}", "$");
	ctl_refused("POST", "/_emulator/clock", "{\"advance_seconds\":\"1\"}",
	    "$.advance_seconds");
	ctl_refused("POST", "/_emulator/clock", "{\"now\":-1}", "$.now");
	ctl_refused("POST", "/_emulator/clock",
	    "{\"advance_seconds\":-1750003601}", "$.advance_seconds");
	ctl_refused("POST", "/_emulator/clock", "[1]", "$");
	/* none of them moved it */
	ck_assert_int_eq(clock_now(&demo.clock), DEMO_NOW + 3600);
}
END_TEST

/* The whole state as JSON text, to tell whether anything changed. */
static char *
state_text(void)
{
	struct json_object *o = store_export(demo.store);
	char *s = xstrdup(json_object_to_json_string(o));

	json_object_put(o);
	return s;
}

START_TEST(test_token_mint)
{
	struct json_object *o;
	char *before, *after, *tok;
	int st;

	before = state_text();
	ctl_refused("POST", "/_emulator/tokens",
	    "{\"user\":\"3000000000000002\","
	    "\"app\":\"1000000000000001\",\"colour\":\"red\"}",
	    "$.colour");
	ctl_refused("POST", "/_emulator/tokens",
	    "{\"user\":\"3999999999999999\","
	    "\"app\":\"1000000000000001\"}",
	    "$.user");
	ctl_refused("POST", "/_emulator/tokens",
	    "{\"user\":\"3000000000000002\","
	    "\"app\":\"1000000000000001\",\"expires_in\":-5}",
	    "$.expires_in");
	ctl_refused("POST", "/_emulator/tokens", "\"x\"", "$");
	after = state_text();
	ck_assert_str_eq(after, before);
	free(after);
	free(before);

	o = ctl("POST", "/_emulator/tokens",
	    "{\"user\":\"3000000000000002\","
	    "\"app\":\"1000000000000001\",\"expires_in\":3600}",
	    &st);
	ck_assert_int_eq(st, 200);
	ck_assert_int_eq(demo_int(o, "expires_at"), DEMO_NOW + 3600);
	ck_assert_int_eq(strncmp(demo_str(o, "access_token"), "EAA", 3), 0);
	tok = xstrdup(demo_str(o, "access_token"));
	json_object_put(o);

	/* the new token acts for Erin, who may read the WABA */
	o = demo_call("GET", "/v24.0/4000000000000001?fields=id", NULL, NULL,
	    tok, &st);
	ck_assert_int_eq(st, 200);
	ck_assert_str_eq(demo_str(o, "id"), "4000000000000001");
	json_object_put(o);
	/* and expires when the clock passes its expiry */
	json_object_put(
	    ctl("POST", "/_emulator/clock", "{\"advance_seconds\":3600}", &st));
	o = demo_call("GET", "/v24.0/4000000000000001", NULL, NULL, tok, &st);
	demo_graph_error(o, 190, 463);
	json_object_put(o);
	free(tok);
}
END_TEST

START_TEST(test_faults)
{
	struct json_object *o, *data;
	int64_t id;
	char *path;
	int st;

	ctl_refused("POST", "/_emulator/faults", "{}", "$.match");
	ctl_refused("POST", "/_emulator/faults",
	    "{\"match\":{\"path\":\"nowhere\"},\"error\":{\"code\":2}}",
	    "$.match.path");
	ctl_refused("POST", "/_emulator/faults",
	    "{\"match\":{\"path\":\"/x\",\"colour\":1},\"error\":{\"code\":2}}",
	    "$.match.colour");

	o = ctl("POST", "/_emulator/faults",
	    "{\"match\":{\"method\":\"GET\","
	    "\"path\":\"/v24.0/4000000000000001\"},\"error\":{\"code\":2}}",
	    &st);
	ck_assert_int_eq(st, 200);
	id = demo_int(o, "id");
	ck_assert_int_gt(id, 0);
	json_object_put(o);

	/* only the rule added is listed: the refused ones left nothing */
	o = ctl("GET", "/_emulator/faults", NULL, &st);
	ck_assert_int_eq(st, 200);
	ck_assert(json_object_object_get_ex(o, "data", &data));
	ck_assert_uint_eq(json_object_array_length(data), 1);
	ck_assert_int_eq(demo_int(json_object_array_get_idx(data, 0), "id"),
	    id);
	json_object_put(o);

	/* it fires on its path and method only */
	o = demo_call("GET", "/v24.0/4000000000000001", NULL, NULL,
	    "EAAdemoAdmin", &st);
	ck_assert_int_eq(st, 500);
	demo_graph_error(o, 2, 0);
	json_object_put(o);
	o = demo_call("GET", "/v24.0/4000000000000002", NULL, NULL,
	    "EAAdemoAdmin", &st);
	ck_assert_int_eq(st, 200);
	json_object_put(o);

	path = xasprintf("/_emulator/faults/%lld", (long long)id);
	json_object_put(ctl("DELETE", path, NULL, &st));
	ck_assert_int_eq(st, 200);
	json_object_put(ctl("DELETE", path, NULL, &st));
	ck_assert_int_eq(st, 404);
	free(path);
	o = ctl("GET", "/_emulator/faults", NULL, &st);
	ck_assert(json_object_object_get_ex(o, "data", &data));
	ck_assert_uint_eq(json_object_array_length(data), 0);
	json_object_put(o);
}
END_TEST

static Suite *
control_suite(void)
{
	const TTest *const tests[] = {
		test_health,
		test_clock,
		test_token_mint,
		test_faults,
		NULL,
	};

	return suite_core("control", demo_setup, demo_teardown, tests);
}

int
main(void)
{
	return suite_run(control_suite());
}
