/*
 * demo_emu.h - one emulator with the demo fixtures (fixtures/demo.json),
 * in process, on a fixed clock, for the unit suites that test the
 * modules behind emu_handle(): auth, render, pipeline, control.
 *
 * demo_setup()/demo_teardown() are check fixtures: each test starts from
 * the demo state.  Requests made here are the caller's to clean up with
 * request_cleanup().
 */
#ifndef WABA_TEST_DEMO_EMU_H
#define WABA_TEST_DEMO_EMU_H

#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "emu.h"
#include "pipeline.h"
#include "request.h"
#include "util.h"

/* Demo ids and tokens the suites refer to. */
#define DEMO_BUSINESS 2000000000000001LL
#define DEMO_WABA 4000000000000001LL
#define DEMO_WABA2 4000000000000002LL
#define DEMO_WABA_PARTNER 4000000000000003LL /* shared with DEMO_BUSINESS */
/* clang-format off */
#define DEMO_WABA_OTHER 4000000000000004LL   /* no relation to it */
#define DEMO_PHONE 5000000000000001LL
#define DEMO_NOW 1750000000LL
/* clang-format on */

static struct config demo_cfg;
static struct emu demo;

static int64_t
demo_now_us(void *ctx)
{
	(void)ctx;
	return DEMO_NOW * 1000000;
}

static const struct clock_source demo_clock = { demo_now_us, NULL };

static const char *
demo_no_env(const char *name)
{
	(void)name;
	return NULL;
}

static void
demo_setup(void)
{
	char *argv[] = { "demo", "--seed", "1", NULL };
	char *cause = NULL;

	if (config_parse(&demo_cfg, 3, argv, demo_no_env, stdout, &cause) !=
	        0 ||
	    emu_init(&demo, &demo_cfg, &demo_clock, &cause) != 0)
		ck_abort_msg("demo emulator: %s", cause ? cause : "?");
}

static void
demo_teardown(void)
{
	emu_cleanup(&demo);
	config_cleanup(&demo_cfg);
}

/*
 * Fills rq as http.c would (token, when not NULL, as a Bearer header)
 * and parses it; returns request_prepare()'s result.
 */
static inline int
demo_prepare(struct request *rq, const char *method, const char *target,
    const char *token)
{
	request_init(rq);
	rq->method = xstrdup(method);
	rq->target = xstrdup(target);
	if (token != NULL)
		rq->authorization = xasprintf("Bearer %s", token);
	rq->emu = &demo;
	return request_prepare(rq);
}

/*
 * One call through emu_handle(): body (may be NULL) with content_type.
 * rq is left answered, for the caller to look at and clean up.
 */
static inline void
demo_run(struct request *rq, const char *method, const char *target,
    const char *content_type, const char *body, const char *token)
{
	request_init(rq);
	rq->method = xstrdup(method);
	rq->target = xstrdup(target);
	if (token != NULL)
		rq->authorization = xasprintf("Bearer %s", token);
	if (content_type != NULL)
		rq->content_type = xstrdup(content_type);
	if (body != NULL) {
		rq->body = xstrdup(body);
		rq->body_len = strlen(body);
	}
	emu_handle(&demo, rq);
	ck_assert_ptr_nonnull(rq->resp.body);
}

/* demo_run() that returns the parsed answer (caller puts it), *status. */
static inline struct json_object *
demo_call(const char *method, const char *target, const char *content_type,
    const char *body, const char *token, int *status)
{
	struct request rq;
	struct json_object *o;

	demo_run(&rq, method, target, content_type, body, token);
	*status = rq.resp.status;
	o = json_tokener_parse(rq.resp.body);
	ck_assert_msg(o != NULL, "not JSON: %s", rq.resp.body);
	request_cleanup(&rq);
	return o;
}

/* o.key as a string ("" when absent), for assertions. */
static inline const char *
demo_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return "";
	return json_object_get_string(v);
}

/* o.key as an integer (-1 when absent). */
static inline int64_t
demo_int(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return -1;
	return json_object_get_int64(v);
}

/*
 * Asserts that o is a Graph error envelope with this code and subcode (0:
 * none), and returns its "error" object (borrowed from o).
 */
static inline struct json_object *
demo_graph_error(struct json_object *o, int code, int subcode)
{
	struct json_object *e, *v;

	ck_assert_msg(json_object_object_get_ex(o, "error", &e),
	    "not an error: %s", json_object_to_json_string(o));
	ck_assert_int_eq(demo_int(e, "code"), code);
	if (subcode != 0)
		ck_assert_int_eq(demo_int(e, "error_subcode"), subcode);
	else
		ck_assert(!json_object_object_get_ex(e, "error_subcode", &v));
	ck_assert(json_object_is_type(json_object_object_get(e, "message"),
	    json_type_string));
	ck_assert(json_object_is_type(json_object_object_get(e, "type"),
	    json_type_string));
	ck_assert_uint_eq(strlen(demo_str(e, "fbtrace_id")), 23);
	return e;
}

#endif
