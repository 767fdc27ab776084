/*
 * test_events.c - the live-event ring: nothing is kept while no stream
 * watches, events come out framed and in order, a cursor that fell
 * behind the ring skips to the oldest held, and the publish hook runs
 * once per event.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "util.h"
#include "suite.h"

static int hook_calls;

static void
hook(void *ctx)
{
	(void)ctx;
	hook_calls++;
}

START_TEST(test_unwatched_keeps_nothing)
{
	struct events *ev = events_new(4);
	uint64_t cur;
	size_t len;

	ck_assert(!events_watched(ev));
	events_publish(ev, "state", xstrdup("{}"));
	cur = events_subscribe(ev);
	ck_assert(events_watched(ev));
	ck_assert(!events_pending(ev, cur));
	ck_assert_ptr_null(events_next(ev, &cur, &len));
	events_unsubscribe(ev);
	ck_assert(!events_watched(ev));
	events_free(ev);
}
END_TEST

START_TEST(test_framed_in_order)
{
	struct events *ev = events_new(4);
	struct json_object *o = json_object_new_object();
	uint64_t cur;
	size_t len;
	char *e;

	events_on_publish(ev, hook, NULL);
	hook_calls = 0;
	cur = events_subscribe(ev);
	json_object_object_add(o, "path", json_object_new_string("/a\nb"));
	events_publish_json(ev, "request", o);
	events_publish(ev, "state", xstrdup("{\"cause\":\"x\"}"));
	ck_assert_int_eq(hook_calls, 2);
	ck_assert(events_pending(ev, cur));
	e = events_next(ev, &cur, &len);
	/* one data line: JSON escapes the newline */
	ck_assert_str_eq(e,
	    "id: 1\nevent: request\n"
	    "data: {\"path\":\"/a\\nb\"}\n\n");
	ck_assert_uint_eq(len, strlen(e));
	free(e);
	e = events_next(ev, &cur, &len);
	ck_assert_str_eq(e, "id: 2\nevent: state\ndata: {\"cause\":\"x\"}\n\n");
	free(e);
	ck_assert_ptr_null(events_next(ev, &cur, &len));
	ck_assert(!events_pending(ev, cur));
	events_unsubscribe(ev);
	events_free(ev);
}
END_TEST

START_TEST(test_behind_skips_to_oldest)
{
	struct events *ev = events_new(4);
	uint64_t cur = events_subscribe(ev);
	size_t len;
	char buf[32], *e;
	int i;

	for (i = 1; i <= 10; i++) {
		snprintf(buf, sizeof(buf), "%d", i);
		events_publish(ev, "request", xstrdup(buf));
	}
	/* 7..10 are held; 1..6 are gone */
	e = events_next(ev, &cur, &len);
	ck_assert_str_eq(e, "id: 7\nevent: request\ndata: 7\n\n");
	free(e);
	ck_assert_uint_eq(cur, 7);
	for (i = 8; i <= 10; i++) {
		e = events_next(ev, &cur, &len);
		snprintf(buf, sizeof(buf), "data: %d\n", i);
		ck_assert_ptr_nonnull(strstr(e, buf));
		free(e);
	}
	ck_assert_ptr_null(events_next(ev, &cur, &len));
	events_unsubscribe(ev);
	events_free(ev);
}
END_TEST

int
main(void)
{
	const TTest *const tests[] = {
		test_unwatched_keeps_nothing,
		test_framed_in_order,
		test_behind_skips_to_oldest,
		NULL,
	};

	return suite_run(suite_core("events", NULL, NULL, tests));
}
