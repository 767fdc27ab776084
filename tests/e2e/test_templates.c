/*
 * test_templates.c - message templates through the real binary: the
 * WABA's message_templates edge (list, filters, paging, summary, create,
 * delete), the template node (read, edit), the life cycle on the emulator
 * clock with its webhook events (a receiver in this process), the limits,
 * permissions, the control plane and state export.  Bad input changes
 * nothing: each refusal is followed by a look at the list.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../receiver.h"
#include "../suite.h"
#include "harness.h"

#define V "/v24.0/"
#define ADMIN "access_token=" TOK_ADMIN
#define EDGE V DEMO_WABA "/message_templates"
#define DEMO_TEMPLATE "7000000000000001"
/* clang-format off */
#define BODY_C "[{\"type\":\"BODY\",\"text\":\"Your order {{1}} has shipped\"," \
	"\"example\":{\"body_text\":[[\"42\"]]}}]"
/* clang-format on */

static struct receiver rx;
static struct server srv;

/* ---- helpers ------------------------------------------------------- */

/* a request of the suite's server, path from fmt */
#define call(r, method, body, ctype, ...) \
	http_reqf(&srv, r, method, body, ctype, NULL, __VA_ARGS__)

#define GET(r, ...) call(r, "GET", NULL, NULL, __VA_ARGS__)
#define POST(r, form, ...) call(r, "POST", form, NULL, __VA_ARGS__)
#define POSTJ(r, json, ...) \
	call(r, "POST", json, "application/json", __VA_ARGS__)
#define DEL(r, ...) call(r, "DELETE", NULL, NULL, __VA_ARGS__)

static void
expect_error(struct http_resp *r, long status, int code, int subcode)
{
	ck_assert_msg(r->status == status, "HTTP %ld, want %ld: %s", r->status,
	    status, r->body);
	ck_assert_int_eq(jint(r->json, "error.code"), code);
	if (subcode != 0)
		ck_assert_int_eq(jint(r->json, "error.error_subcode"), subcode);
	else
		ck_assert_ptr_null(jget(r->json, "error.error_subcode"));
	ck_assert_str_ne(jstr(r->json, "error.message"), "");
	ck_assert_str_ne(jstr(r->json, "error.fbtrace_id"), "");
}

static void
expect_ok(struct http_resp *r)
{
	ck_assert_msg(r->status == 200, "HTTP %ld: %s", r->status, r->body);
}

/* Creates a template (JSON body) and returns its id (static buffer). */
static const char *
create(const char *name, const char *lang, const char *category,
    const char *want_status)
{
	static char id[32];
	struct http_resp r;
	char body[1024];

	snprintf(body, sizeof(body),
	    "{\"name\":\"%s\",\"language\":\"%s\","
	    "\"category\":\"%s\",\"components\":%s}",
	    name, lang, category, BODY_C);
	POSTJ(&r, body, EDGE "?" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "status"), want_status);
	snprintf(id, sizeof(id), "%s", jstr(r.json, "id"));
	ck_assert_uint_gt(strlen(id), 0);
	http_resp_free(&r);
	return id;
}

/* The template's status as GET /{id} reads it (static buffer). */
static const char *
status_of(const char *id)
{
	static char st[32];
	struct http_resp r;

	GET(&r, V "%s?fields=status&" ADMIN, id);
	expect_ok(&r);
	snprintf(st, sizeof(st), "%s", jstr(r.json, "status"));
	http_resp_free(&r);
	return st;
}

/* The number of templates the list shows (summary=total_count). */
static long long
count(const char *query)
{
	struct http_resp r;
	long long n;

	GET(&r, EDGE "?summary=total_count&limit=0&%s" ADMIN, query);
	expect_ok(&r);
	n = jint(r.json, "summary.total_count");
	http_resp_free(&r);
	return n;
}

/*
 * Waits for a webhook of field whose value has key = want for the
 * template id; returns the value (a new reference) or NULL.
 */
static struct json_object *
wait_event(const char *field, const char *id, const char *key, const char *want)
{
	int ms;

	for (ms = 0; ms < 5000; ms += 20) {
		size_t i, n = rx_count(&rx);

		for (i = 0; i < n; i++) {
			struct json_object *b = json_tokener_parse(
			                       rx.reqs[i].body),
			                   *v;
			char idbuf[32];

			v = jget(b, "entry.0.changes.0.value");
			snprintf(idbuf, sizeof(idbuf), "%lld",
			    jint(v, "message_template_id"));
			if (strcmp(jstr(b, "entry.0.changes.0.field"), field) ==
			        0 &&
			    strcmp(idbuf, id) == 0 &&
			    strcmp(jstr(v, key), want) == 0) {
				v = json_object_get(v);
				json_object_put(b);
				return v;
			}
			json_object_put(b);
		}
		{
			struct timespec ts = { 0, 20 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

static void
expect_event(const char *field, const char *id, const char *key,
    const char *want)
{
	struct json_object *v;

	ck_assert(rx_wait(&rx, 1, 5000));
	v = wait_event(field, id, key, want);

	ck_assert_msg(v != NULL, "no %s with %s=%s for %s", field, key, want,
	    id);
	json_object_put(v);
}

/* ---- servers ------------------------------------------------------- */

static char hook_arg[96];

static void
up_with(const char *review)
{
	const char *args[] = { "--webhook-url", hook_arg,
		"--template-review-seconds", review, "--rate-limit", "100000",
		NULL };

	ck_assert_int_eq(rx_start_hook(&rx, 500, hook_arg, sizeof(hook_arg)),
	    0);
	/* deliveries succeed, so no retry repeats an event */
	rx_set_status(&rx, 200);
	ck_assert_int_eq(server_start(&srv, args), 0);
}

static void
up_review10(void)
{
	up_with("10");
}

static void
up_review0(void)
{
	up_with("0");
}

/* A clean exit: a sanitizer's report (a leak) would make it fail. */
static void
down(void)
{
	int rc = server_stop(&srv);

	rx_stop(&rx);
	ck_assert_int_eq(rc, 0);
}

/* ---- the life cycle ------------------------------------------------ */

START_TEST(test_create_then_approved_by_the_clock)
{
	struct http_resp r;
	struct json_object *v;
	char id[32];

	snprintf(id, sizeof(id), "%s",
	    create("order_shipped", "en_US", "UTILITY", "PENDING"));
	expect_event("message_template_status_update", id, "event", "PENDING");
	ck_assert_str_eq(status_of(id), "PENDING");
	/* still pending before the review delay ends (with room for a busy
	 * machine's seconds: the emulator clock runs with the machine's) */
	ctl_advance(&srv, 5);
	ck_assert_str_eq(status_of(id), "PENDING");
	/* the clock alone fires the event: nobody reads the template */
	ctl_advance(&srv, 5);
	v = wait_event("message_template_status_update", id, "event",
	    "APPROVED");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(jstr(v, "message_template_name"), "order_shipped");
	ck_assert_str_eq(jstr(v, "message_template_language"), "en_US");
	ck_assert_str_eq(jstr(v, "reason"), "NONE");
	ck_assert_str_eq(jstr(v, "message_template_category"), "UTILITY");
	json_object_put(v);
	GET(&r, V "%s?" ADMIN, id);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "status"), "APPROVED");
	ck_assert_str_eq(jstr(r.json, "name"), "order_shipped");
	ck_assert_str_eq(jstr(r.json, "parameter_format"), "POSITIONAL");
	ck_assert_str_eq(jstr(r.json, "components.0.type"), "BODY");
	ck_assert_str_eq(jstr(r.json, "id"), id);
	http_resp_free(&r);
}
END_TEST

START_TEST(test_review_zero_and_the_naming_rule)
{
	struct http_resp r;
	struct json_object *v;
	char id[32];

	create("welcome", "en_US", "MARKETING", "APPROVED");
	snprintf(id, sizeof(id), "%s",
	    create("reject_promotional_offer", "en_US", "MARKETING",
	        "REJECTED"));
	GET(&r, V "%s?fields=status,rejected_reason&" ADMIN, id);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "status"), "REJECTED");
	ck_assert_str_eq(jstr(r.json, "rejected_reason"), "PROMOTIONAL");
	http_resp_free(&r);
	v = wait_event("message_template_status_update", id, "event",
	    "REJECTED");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(jstr(v, "reason"), "PROMOTIONAL");
	json_object_put(v);
	create("reject_scam_x", "en_US", "UTILITY", "REJECTED");
	/* a UTILITY template named marketing_ is approved as MARKETING */
	POSTJ(&r,
	    "{\"name\":\"marketing_sale\",\"language\":\"en_US\","
	    "\"category\":\"UTILITY\",\"components\":" BODY_C "}",
	    EDGE "?" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "status"), "APPROVED");
	ck_assert_str_eq(jstr(r.json, "category"), "MARKETING");
	snprintf(id, sizeof(id), "%s", jstr(r.json, "id"));
	http_resp_free(&r);
	v = wait_event("template_category_update", id, "new_category",
	    "MARKETING");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(jstr(v, "previous_category"), "UTILITY");
	json_object_put(v);
	GET(&r, V "%s?fields=category,previous_category&" ADMIN, id);
	ck_assert_str_eq(jstr(r.json, "previous_category"), "UTILITY");
	http_resp_free(&r);
}
END_TEST

START_TEST(test_edit_limits)
{
	struct http_resp r;
	char id[32];
	int i;

	snprintf(id, sizeof(id), "%s",
	    create("edit_me", "en_US", "UTILITY", "APPROVED"));
	/* nothing to edit */
	POST(&r, "", V "%s?" ADMIN, id);
	expect_error(&r, 400, 100, 0);
	http_resp_free(&r);
	/* an approved template keeps its category */
	POST(&r, "category=MARKETING", V "%s?" ADMIN, id);
	expect_error(&r, 400, 100, 0);
	http_resp_free(&r);
	/* ten edits in 30 days, one a day */
	for (i = 0; i < 10; i++) {
		POST(&r, "components=[{\"type\":\"BODY\",\"text\":\"v2\"}]",
		    V "%s?" ADMIN, id);
		expect_ok(&r);
		ck_assert(jeq(r.json, "{\"success\":true}"));
		http_resp_free(&r);
		ck_assert_str_eq(status_of(id), "APPROVED");
		if (i == 0) {
			/* a second edit the same day */
			POST(&r,
			    "components=[{\"type\":\"BODY\",\"text\":"
			    "\"v3\"}]",
			    V "%s?" ADMIN, id);
			expect_error(&r, 400, 100, 0);
			http_resp_free(&r);
		}
		ctl_advance(&srv, 86400);
	}
	POST(&r, "components=[{\"type\":\"BODY\",\"text\":\"v12\"}]",
	    V "%s?" ADMIN, id);
	expect_error(&r, 400, 100, 0);
	http_resp_free(&r);
	/* what was refused changed nothing */
	GET(&r, V "%s?fields=components&" ADMIN, id);
	ck_assert_str_eq(jstr(r.json, "components.0.text"), "v2");
	http_resp_free(&r);
	/* a rejected template is edited without limit, and reviewed again */
	snprintf(id, sizeof(id), "%s",
	    create("reject_x", "en_US", "UTILITY", "REJECTED"));
	for (i = 0; i < 3; i++) {
		POST(&r,
		    "category=MARKETING&components=[{\"type\":\"BODY\","
		    "\"text\":\"again\"}]",
		    V "%s?" ADMIN, id);
		expect_ok(&r);
		http_resp_free(&r);
	}
}
END_TEST

START_TEST(test_edit_needs_a_decided_template)
{
	struct http_resp r;
	char id[32];

	snprintf(id, sizeof(id), "%s",
	    create("still_pending", "en_US", "UTILITY", "PENDING"));
	POST(&r, "components=[{\"type\":\"BODY\",\"text\":\"x\"}]",
	    V "%s?" ADMIN, id);
	expect_error(&r, 400, 100, 0);
	http_resp_free(&r);
	ctl_advance(&srv, 10);
	POST(&r, "components=[{\"type\":\"BODY\",\"text\":\"x\"}]",
	    V "%s?" ADMIN, id);
	expect_ok(&r);
	http_resp_free(&r);
	/* an edit goes back to review */
	ck_assert_str_eq(status_of(id), "PENDING");
	expect_event("message_template_status_update", id, "event", "PENDING");
	ctl_advance(&srv, 10);
	ck_assert_str_eq(status_of(id), "APPROVED");
}
END_TEST

START_TEST(test_delete_hold_and_deleted)
{
	struct http_resp r;
	struct json_object *v;
	char en[32], es[32], other[32];

	snprintf(en, sizeof(en), "%s",
	    create("promo", "en_US", "MARKETING", "APPROVED"));
	snprintf(es, sizeof(es), "%s",
	    create("promo", "es", "MARKETING", "APPROVED"));
	snprintf(other, sizeof(other), "%s",
	    create("other", "en_US", "MARKETING", "APPROVED"));
	/* one language by hsm_id */
	DEL(&r, EDGE "?name=promo&hsm_id=%s&" ADMIN, es);
	expect_ok(&r);
	ck_assert(jeq(r.json, "{\"success\":true}"));
	http_resp_free(&r);
	ck_assert_str_eq(status_of(es), "PENDING_DELETION");
	ck_assert_str_eq(status_of(en), "APPROVED");
	v = wait_event("message_template_status_update", es, "event",
	    "PENDING_DELETION");
	ck_assert_ptr_nonnull(v);
	ck_assert(json_object_is_type(jget(v, "reason"), json_type_null));
	json_object_put(v);
	/* gone from lists unless asked for */
	ck_assert_int_eq(count("name=promo&"), 1);
	ck_assert_int_eq(count("status=PENDING_DELETION&"), 1);
	/* the name and language are held */
	POSTJ(&r,
	    "{\"name\":\"promo\",\"language\":\"es\",\"category\":"
	    "\"MARKETING\",\"components\":" BODY_C "}",
	    EDGE "?" ADMIN);
	expect_error(&r, 400, 100, 2388023);
	ck_assert_str_ne(jstr(r.json, "error.error_user_title"), "");
	http_resp_free(&r);
	/* every language of a name */
	DEL(&r, EDGE "?name=promo&" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	ck_assert_str_eq(status_of(en), "PENDING_DELETION");
	ck_assert_str_eq(status_of(other), "APPROVED");
	/* nothing left to delete by that name */
	DEL(&r, EDGE "?name=promo&" ADMIN);
	expect_error(&r, 400, 100, 0);
	http_resp_free(&r);
	DEL(&r, EDGE "?" ADMIN);
	expect_error(&r, 400, 100, 0);
	http_resp_free(&r);
	DEL(&r, EDGE "?name=other&hsm_id=%s&" ADMIN, en);
	expect_error(&r, 400, 100, 0);
	http_resp_free(&r);
	ck_assert_str_eq(status_of(other), "APPROVED");
	/* four weeks on the clock: DELETED, and the name is free */
	/* a minute short: the emulator clock also runs with the machine's,
	 * and a busy machine can take seconds between these calls */
	ctl_advance(&srv, 28 * 86400 - 60);
	ck_assert_str_eq(status_of(es), "PENDING_DELETION");
	ctl_advance(&srv, 60);
	expect_event("message_template_status_update", es, "event", "DELETED");
	ck_assert_str_eq(status_of(es), "DELETED");
	create("promo", "es", "MARKETING", "APPROVED");
}
END_TEST

/* ---- errors and limits --------------------------------------------- */

START_TEST(test_bad_input_changes_nothing)
{
	static const char *const bodies[] = {
		/* missing keys */
		"{\"language\":\"en_US\",\"category\":\"UTILITY\","
		"\"components\":" BODY_C "}",
		"{\"name\":\"x\",\"category\":\"UTILITY\",\"components\":" BODY_C
		"}",
		"{\"name\":\"x\",\"language\":\"en_US\",\"components\":" BODY_C
		"}",
		"{\"name\":\"x\",\"language\":\"en_US\",\"category\":"
		"\"UTILITY\"}",
		/* bad names */
		"{\"name\":\"Hello\",\"language\":\"en_US\",\"category\":"
		"\"UTILITY\",\"components\":" BODY_C "}",
		"{\"name\":\"a-b\",\"language\":\"en_US\",\"category\":"
		"\"UTILITY\",\"components\":" BODY_C "}",
		"{\"name\":42,\"language\":\"en_US\",\"category\":"
		"\"UTILITY\",\"components\":" BODY_C "}",
		/* unknown language, category, format */
		"{\"name\":\"x\",\"language\":\"xx_YY\",\"category\":"
		"\"UTILITY\",\"components\":" BODY_C "}",
		"{\"name\":\"x\",\"language\":\"en_US\",\"category\":"
		"\"SPAM\",\"components\":" BODY_C "}",
		"{\"name\":\"x\",\"language\":\"en_US\",\"category\":"
		"\"UTILITY\",\"parameter_format\":\"ODD\",\"components\":" BODY_C
		"}",
		/* components of the wrong type, or without a BODY */
		"{\"name\":\"x\",\"language\":\"en_US\",\"category\":"
		"\"UTILITY\",\"components\":{\"type\":\"BODY\"}}",
		"{\"name\":\"x\",\"language\":\"en_US\",\"category\":"
		"\"UTILITY\",\"components\":\"BODY\"}",
		"{\"name\":\"x\",\"language\":\"en_US\",\"category\":"
		"\"UTILITY\",\"components\":[]}",
		"{\"name\":\"x\",\"language\":\"en_US\",\"category\":"
		"\"UTILITY\",\"components\":[7]}",
		"{\"name\":\"x\",\"language\":\"en_US\",\"category\":"
		"\"UTILITY\",\"allow_category_change\":\"maybe\","
		"\"components\":" BODY_C "}",
	};
	struct http_resp r;
	struct json_object *before, *after;
	char big[700], form[900];
	size_t i;

	before = ctl(&srv, "GET", "/_emulator/state", NULL, 200);
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		POSTJ(&r, bodies[i], EDGE "?" ADMIN);
		expect_error(&r, 400, 100, 0);
		http_resp_free(&r);
	}
	/* a name longer than 512 characters */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(form, sizeof(form),
	    "language=en_US&category=UTILITY&"
	    "components=[{\"type\":\"BODY\",\"text\":\"x\"}]&name=%s",
	    big);
	POST(&r, form, EDGE "?" ADMIN);
	expect_error(&r, 400, 100, 0);
	ck_assert_str_ne(jstr(r.json, "error.error_user_msg"), "");
	http_resp_free(&r);
	/* bad filters */
	GET(&r, EDGE "?status=LOST&" ADMIN);
	expect_error(&r, 400, 100, 0);
	http_resp_free(&r);
	GET(&r, EDGE "?category=MARKETING,NOPE&" ADMIN);
	expect_error(&r, 400, 100, 0);
	http_resp_free(&r);
	GET(&r, EDGE "?fields=name,colour&" ADMIN);
	expect_error(&r, 400, 100, 0);
	http_resp_free(&r);
	after = ctl(&srv, "GET", "/_emulator/state", NULL, 200);
	ck_assert(json_object_equal(before, after));
	json_object_put(before);
	json_object_put(after);
}
END_TEST

START_TEST(test_duplicate)
{
	struct http_resp r;

	create("twice", "en_US", "UTILITY", "APPROVED");
	/* the same name in another language is another template */
	create("twice", "pt_BR", "UTILITY", "APPROVED");
	POST(&r,
	    "name=twice&language=en_US&category=MARKETING&components="
	    "[{\"type\":\"BODY\",\"text\":\"x\"}]",
	    EDGE "?" ADMIN);
	expect_error(&r, 400, 100, 2388024);
	ck_assert_str_eq(jstr(r.json, "error.error_user_title"),
	    "Content in this language already exists");
	ck_assert_str_eq(jstr(r.json, "error.type"), "OAuthException");
	http_resp_free(&r);
	ck_assert_int_eq(count("name=twice&"), 2);
}
END_TEST

START_TEST(test_template_limit)
{
	struct {
		char *p;
		size_t n;
	} doc = { NULL, 0 };
	struct http_resp r;
	struct json_object *made;
	FILE *f = open_memstream(&doc.p, &doc.n);
	int i;

	/* Lucky Shrub is not verified: 250 templates, made long ago */
	fputs("{\"templates\":[", f);
	for (i = 0; i < 250; i++)
		fprintf(f,
		    "%s{\"waba\":\"" DEMO_WABA_CLIENT "\",\"name\":"
		    "\"t%d\",\"language\":\"en_US\",\"category\":\"UTILITY\","
		    "\"created_at\":1600000000,\"components\":[{\"type\":"
		    "\"BODY\",\"text\":\"b\"}]}",
		    i ? "," : "", i);
	fputs("]}", f);
	fclose(f);
	made = ctl(&srv, "POST", "/_emulator/fixtures", doc.p, 200);
	ck_assert_uint_eq(jlen(made, "templates"), 250);
	json_object_put(made);
	free(doc.p);
	POSTJ(&r,
	    "{\"name\":\"one_more\",\"language\":\"en_US\",\"category\":"
	    "\"UTILITY\",\"components\":" BODY_C "}",
	    V DEMO_WABA_CLIENT "/message_templates?access_token=" TOK_PARTNER);
	expect_error(&r, 400, 100, 2388042);
	ck_assert_ptr_nonnull(
	    strstr(jstr(r.json, "error.error_user_msg"), "250"));
	http_resp_free(&r);
	GET(&r,
	    V DEMO_WABA_CLIENT "/message_templates?summary=total_count&"
	                       "limit=0&access_token=" TOK_PARTNER);
	ck_assert_int_eq(jint(r.json, "summary.total_count"), 250);
	http_resp_free(&r);
	/* a template being deleted frees its place */
	DEL(&r,
	    V DEMO_WABA_CLIENT
	    "/message_templates?name=t0&access_token=" TOK_PARTNER);
	expect_ok(&r);
	http_resp_free(&r);
	POSTJ(&r,
	    "{\"name\":\"one_more\",\"language\":\"en_US\",\"category\":"
	    "\"UTILITY\",\"components\":" BODY_C "}",
	    V DEMO_WABA_CLIENT "/message_templates?access_token=" TOK_PARTNER);
	expect_ok(&r);
	http_resp_free(&r);
}
END_TEST

START_TEST(test_creation_rate)
{
	struct http_resp r;
	char name[32];
	int i;

	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "burst_%d", i);
		create(name, "en_US", "UTILITY", "APPROVED");
	}
	POSTJ(&r,
	    "{\"name\":\"burst_x\",\"language\":\"en_US\",\"category\":"
	    "\"UTILITY\",\"components\":" BODY_C "}",
	    EDGE "?" ADMIN);
	expect_error(&r, 429, 80008, 2446079);
	ck_assert_ptr_nonnull(
	    strstr(http_header(&r, "x-business-use-case-usage"), DEMO_WABA));
	ck_assert_ptr_nonnull(
	    strstr(http_header(&r, "x-business-use-case-usage"),
	        "whatsapp_business_management"));
	http_resp_free(&r);
	ck_assert_int_eq(count("name=burst_x&"), 0);
	/* an hour later the window has moved */
	ctl_advance(&srv, 3600);
	create("burst_x", "en_US", "UTILITY", "APPROVED");
}
END_TEST

/* ---- reads --------------------------------------------------------- */

START_TEST(test_list_filters_and_paging)
{
	struct http_resp r, r2;
	char url[2048];

	create("alpha_news", "en_US", "MARKETING", "APPROVED");
	create("beta_code", "pt_BR", "UTILITY", "APPROVED");
	create("reject_gamma", "en_US", "MARKETING", "REJECTED");
	/* default item fields, demo hello_world first */
	GET(&r, EDGE "?" ADMIN);
	expect_ok(&r);
	ck_assert_uint_eq(jlen(r.json, "data"), 4);
	ck_assert_str_eq(jstr(r.json, "data.0.id"), DEMO_TEMPLATE);
	ck_assert_ptr_nonnull(jget(r.json, "data.0.components"));
	ck_assert_ptr_nonnull(jget(r.json, "data.0.parameter_format"));
	ck_assert_ptr_null(jget(r.json, "data.0.quality_score"));
	http_resp_free(&r);
	ck_assert_int_eq(count("name=a_n&"), 1);
	ck_assert_int_eq(count("name=_&"), 4);
	ck_assert_int_eq(count("name=%25&"), 0);
	/* name_or_content finds a body's text */
	ck_assert_int_eq(count("name_or_content=shipped&"), 3);
	ck_assert_int_eq(count("name_or_content=welcome&"), 1);
	ck_assert_int_eq(count("status=REJECTED&"), 1);
	ck_assert_int_eq(count("status=APPROVED,REJECTED&"), 4);
	ck_assert_int_eq(count("category=UTILITY&"), 2);
	ck_assert_int_eq(count("language=pt_BR&"), 1);
	ck_assert_int_eq(count("quality_score=UNKNOWN&"), 4);
	ck_assert_int_eq(count("quality_score=GREEN&"), 0);
	ck_assert_int_eq(count("category=MARKETING&status=APPROVED&"), 1);
	/* cursor paging, one by one */
	GET(&r, EDGE "?limit=2&fields=name&" ADMIN);
	expect_ok(&r);
	ck_assert_uint_eq(jlen(r.json, "data"), 2);
	snprintf(url, sizeof(url), EDGE "?limit=2&fields=name&after=%s&" ADMIN,
	    jstr(r.json, "paging.cursors.after"));
	ck_assert_int_eq(http_get(&srv, url, &r2), 0);
	expect_ok(&r2);
	ck_assert_uint_eq(jlen(r2.json, "data"), 2);
	ck_assert_str_eq(jstr(r2.json, "data.0.name"), "beta_code");
	ck_assert_ptr_null(jget(r2.json, "paging.next"));
	http_resp_free(&r);
	http_resp_free(&r2);
	/* as a nested field of the WABA */
	GET(&r,
	    V DEMO_WABA "?fields=message_templates.limit(1)%%7Bname,"
	                "status%%7D&" ADMIN);
	expect_ok(&r);
	ck_assert_uint_eq(jlen(r.json, "message_templates.data"), 1);
	ck_assert(jeq(jget(r.json, "message_templates.data.0"),
	    "{\"name\":\"hello_world\",\"status\":\"APPROVED\",\"id\":\"" DEMO_TEMPLATE
	    "\"}"));
	ck_assert_ptr_nonnull(jget(r.json, "message_templates.paging.next"));
	http_resp_free(&r);
}
END_TEST

START_TEST(test_node_reads)
{
	struct http_resp r;

	GET(&r,
	    V DEMO_TEMPLATE "?fields=name,language,quality_score,"
	                    "rejected_reason&" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "name"), "hello_world");
	ck_assert_str_eq(jstr(r.json, "quality_score.score"), "UNKNOWN");
	ck_assert_str_eq(jstr(r.json, "rejected_reason"), "NONE");
	http_resp_free(&r);
	GET(&r, V DEMO_TEMPLATE "?fields=colour&" ADMIN);
	expect_error(&r, 400, 100, 0);
	http_resp_free(&r);
	/* through the WABA that has it, and not another */
	GET(&r, EDGE "/" DEMO_TEMPLATE "?" ADMIN);
	expect_ok(&r);
	ck_assert_str_eq(jstr(r.json, "id"), DEMO_TEMPLATE);
	http_resp_free(&r);
	GET(&r,
	    V DEMO_WABA_NOPHONES "/message_templates/" DEMO_TEMPLATE "?" ADMIN);
	expect_error(&r, 400, 100, 33);
	http_resp_free(&r);
	GET(&r, EDGE "/123?" ADMIN);
	expect_error(&r, 400, 100, 33);
	http_resp_free(&r);
	/* performance metrics: one entry per live template */
	GET(&r, V DEMO_WABA "?fields=template_performance_metrics&" ADMIN);
	expect_ok(&r);
	ck_assert_uint_eq(jlen(r.json, "template_performance_metrics.data"), 1);
	ck_assert_str_eq(
	    jstr(r.json, "template_performance_metrics.data.0.template_id"),
	    DEMO_TEMPLATE);
	ck_assert_int_ge(
	    jint(r.json, "template_performance_metrics.data.0.sent"), 0);
	http_resp_free(&r);
	DEL(&r, EDGE "?name=hello_world&" ADMIN);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&r, V DEMO_WABA "?fields=template_performance_metrics&" ADMIN);
	ck_assert_uint_eq(jlen(r.json, "template_performance_metrics.data"), 0);
	http_resp_free(&r);
	/* a WABA without insights: 200005, as before */
	GET(&r,
	    V DEMO_WABA_NOPHONES "?fields=template_performance_metrics&" ADMIN);
	expect_error(&r, 400, 200005, 0);
	http_resp_free(&r);
	/* other edges take no item */
	GET(&r, V DEMO_WABA "/phone_numbers/" DEMO_PHONE "?" ADMIN);
	expect_error(&r, 400, 2500, 0);
	http_resp_free(&r);
}
END_TEST

START_TEST(test_permissions)
{
	struct http_resp r;
	struct json_object *before, *after;

	before = ctl(&srv, "GET", "/_emulator/state", NULL, 200);
	/* a task that is not MANAGE or MANAGE_TEMPLATES reads, no more */
	GET(&r, EDGE "?access_token=" TOK_EMPLOYEE);
	expect_ok(&r);
	http_resp_free(&r);
	GET(&r, V DEMO_TEMPLATE "?access_token=" TOK_EMPLOYEE);
	expect_ok(&r);
	http_resp_free(&r);
	POSTJ(&r,
	    "{\"name\":\"x\",\"language\":\"en_US\",\"category\":"
	    "\"UTILITY\",\"components\":" BODY_C "}",
	    EDGE "?access_token=" TOK_EMPLOYEE);
	expect_error(&r, 403, 200, 0);
	http_resp_free(&r);
	POST(&r, "category=UTILITY",
	    V DEMO_TEMPLATE "?access_token=" TOK_EMPLOYEE);
	expect_error(&r, 403, 200, 0);
	http_resp_free(&r);
	DEL(&r, EDGE "?name=hello_world&access_token=" TOK_EMPLOYEE);
	expect_error(&r, 403, 200, 0);
	http_resp_free(&r);
	/* no task on the WABA: refused as the WABA itself is */
	GET(&r, V DEMO_TEMPLATE "?access_token=" TOK_NOACCESS);
	expect_error(&r, 403, 200, 0);
	http_resp_free(&r);
	/* a WABA out of sight: its template does not exist */
	GET(&r, V DEMO_TEMPLATE "?access_token=" TOK_PARTNER);
	expect_error(&r, 400, 100, 33);
	http_resp_free(&r);
	after = ctl(&srv, "GET", "/_emulator/state", NULL, 200);
	ck_assert(json_object_equal(before, after));
	json_object_put(before);
	json_object_put(after);
	/* MANAGE writes */
	POSTJ(&r,
	    "{\"name\":\"by_manager\",\"language\":\"en_US\","
	    "\"category\":\"UTILITY\",\"components\":" BODY_C "}",
	    EDGE "?access_token=" TOK_MANAGER);
	expect_ok(&r);
	http_resp_free(&r);
}
END_TEST

/* ---- control plane and state --------------------------------------- */

START_TEST(test_control_plane)
{
	struct http_resp r;
	struct json_object *o, *v;

	o = ctl(&srv, "POST", "/_emulator/templates/" DEMO_TEMPLATE,
	    "{\"quality_score\":\"RED\"}", 200);
	GET(&r, V DEMO_TEMPLATE "?" ADMIN);
	ck_assert(json_object_equal(o, r.json));
	http_resp_free(&r);
	json_object_put(o);
	v = wait_event("message_template_quality_update", DEMO_TEMPLATE,
	    "new_quality_score", "RED");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(jstr(v, "previous_quality_score"), "UNKNOWN");
	json_object_put(v);
	json_object_put(ctl(&srv, "POST", "/_emulator/templates/" DEMO_TEMPLATE,
	    "{\"status\":\"PAUSED\"}", 200));
	v = wait_event("message_template_status_update", DEMO_TEMPLATE, "event",
	    "PAUSED");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(jstr(v, "other_info.title"), "FIRST_PAUSE");
	json_object_put(v);
	json_object_put(ctl(&srv, "POST", "/_emulator/templates/" DEMO_TEMPLATE,
	    "{\"status\":\"APPROVED\"}", 200));
	v = wait_event("message_template_status_update", DEMO_TEMPLATE, "event",
	    "APPROVED");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(jstr(v, "other_info.title"), "UNPAUSE");
	json_object_put(v);
	o = ctl(&srv, "POST", "/_emulator/templates/" DEMO_TEMPLATE,
	    "{\"status\":\"REJECTED\",\"reason\":\"SCAM\",\"category\":"
	    "\"MARKETING\"}",
	    200);
	ck_assert_str_eq(jstr(o, "status"), "REJECTED");
	ck_assert_str_eq(jstr(o, "category"), "MARKETING");
	json_object_put(o);
	expect_event("template_category_update", DEMO_TEMPLATE, "new_category",
	    "MARKETING");
	GET(&r, V DEMO_TEMPLATE "?fields=rejected_reason&" ADMIN);
	ck_assert_str_eq(jstr(r.json, "rejected_reason"), "SCAM");
	http_resp_free(&r);
	/* bad input changes nothing */
	json_object_put(ctl(&srv, "POST", "/_emulator/templates/" DEMO_TEMPLATE,
	    "{\"status\":\"GONE\"}", 400));
	json_object_put(ctl(&srv, "POST", "/_emulator/templates/" DEMO_TEMPLATE,
	    "{\"colour\":\"RED\"}", 400));
	json_object_put(ctl(&srv, "POST", "/_emulator/templates/" DEMO_TEMPLATE,
	    "{}", 400));
	json_object_put(ctl(&srv, "POST", "/_emulator/templates/123",
	    "{\"status\":\"PAUSED\"}", 404));
	json_object_put(ctl(&srv, "POST", "/_emulator/templates/" DEMO_WABA,
	    "{\"status\":\"PAUSED\"}", 404));
	ck_assert_str_eq(status_of(DEMO_TEMPLATE), "REJECTED");
}
END_TEST

START_TEST(test_state_round_trip)
{
	struct json_object *state, *again, *made;
	char id[32];

	snprintf(id, sizeof(id), "%s",
	    create("kept", "en_US", "UTILITY", "PENDING"));
	state = ctl(&srv, "GET", "/_emulator/state", NULL, 200);
	ck_assert_uint_eq(jlen(state, "templates"), 2);
	json_object_put(ctl(&srv, "POST", "/_emulator/reset", NULL, 200));
	ck_assert_int_eq(count(""), 1);
	json_object_put(ctl(&srv, "PUT", "/_emulator/state",
	    json_object_to_json_string(state), 200));
	again = ctl(&srv, "GET", "/_emulator/state", NULL, 200);
	ck_assert(json_object_equal(state, again));
	/* the pending review survives the round trip */
	ctl_advance(&srv, 10);
	ck_assert_str_eq(status_of(id), "APPROVED");
	/* a fixture template is APPROVED unless it says otherwise */
	made = ctl(&srv, "POST", "/_emulator/fixtures",
	    "{\"templates\":[{\"waba\":"
	    "\"" DEMO_WABA "\",\"name\":\"fx\",\"language\":\"en\","
	    "\"category\":\"MARKETING\",\"components\":[{\"type\":\"BODY\","
	    "\"text\":\"b\"}]}]}",
	    200);
	ck_assert_str_eq(status_of(jstr(made, "templates.0")), "APPROVED");
	json_object_put(made);
	/* and a duplicate name and language is a conflict */
	json_object_put(ctl(&srv, "POST", "/_emulator/fixtures",
	    "{\"templates\":"
	    "[{\"waba\":\"" DEMO_WABA "\",\"name\":\"fx\",\"language\":\"en\","
	    "\"category\":\"MARKETING\",\"components\":[{\"type\":\"BODY\","
	    "\"text\":\"b\"}]}]}",
	    409));
	json_object_put(ctl(&srv, "POST", "/_emulator/fixtures",
	    "{\"templates\":"
	    "[{\"waba\":\"" DEMO_WABA "\",\"name\":\"fy\",\"language\":\"en\","
	    "\"category\":\"MARKETING\",\"components\":[]}]}",
	    400));
	json_object_put(state);
	json_object_put(again);
}
END_TEST

/* --read-only: no Graph write, and the clock moves no template either */
START_TEST(test_read_only_freezes_templates)
{
	const char *args[] = { "--read-only", "--template-review-seconds", "0",
		NULL };
	struct http_resp r;
	struct json_object *made;
	char id[32];

	ck_assert_int_eq(server_start(&srv, args), 0);
	made = ctl(&srv, "POST", "/_emulator/fixtures",
	    "{\"templates\":[{\"waba\":"
	    "\"" DEMO_WABA "\",\"name\":\"frozen\",\"language\":\"en\","
	    "\"category\":\"UTILITY\",\"status\":\"PENDING\",\"due_at\":0,"
	    "\"components\":[{\"type\":\"BODY\",\"text\":\"b\"}]}]}",
	    200);
	snprintf(id, sizeof(id), "%s", jstr(made, "templates.0"));
	json_object_put(made);
	ctl_advance(&srv, 60);
	ck_assert_str_eq(status_of(id), "PENDING");
	POSTJ(&r,
	    "{\"name\":\"x\",\"language\":\"en_US\",\"category\":"
	    "\"UTILITY\",\"components\":" BODY_C "}",
	    EDGE "?" ADMIN);
	expect_error(&r, 400, 300, 0);
	http_resp_free(&r);
	DEL(&r, EDGE "?name=frozen&" ADMIN);
	expect_error(&r, 400, 300, 0);
	http_resp_free(&r);
	ck_assert_str_eq(status_of(id), "PENDING");
	ck_assert_int_eq(server_stop(&srv), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("templates");
	TCase *slow = harness_tcase("review10", up_review10, down);
	TCase *fast = harness_tcase("review0", up_review0, down);
	TCase *own = harness_tcase("own server", NULL, NULL);

	tcase_add_test(slow, test_create_then_approved_by_the_clock);
	tcase_add_test(slow, test_edit_needs_a_decided_template);
	tcase_add_test(slow, test_state_round_trip);
	tcase_add_test(fast, test_review_zero_and_the_naming_rule);
	tcase_add_test(fast, test_edit_limits);
	tcase_add_test(fast, test_delete_hold_and_deleted);
	tcase_add_test(fast, test_bad_input_changes_nothing);
	tcase_add_test(fast, test_duplicate);
	tcase_add_test(fast, test_template_limit);
	tcase_add_test(fast, test_creation_rate);
	tcase_add_test(fast, test_list_filters_and_paging);
	tcase_add_test(fast, test_node_reads);
	tcase_add_test(fast, test_permissions);
	tcase_add_test(fast, test_control_plane);
	tcase_add_test(own, test_read_only_freezes_templates);
	suite_add_tcase(s, own);
	suite_add_tcase(s, slow);
	suite_add_tcase(s, fast);
	return suite_run(s);
}
