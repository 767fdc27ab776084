/*
 * test_gerr.c - the error table checks itself (every row of errors.def is
 * complete and consistent with the README's errors) and the one renderer
 * of the Graph envelope and WWW-Authenticate header.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gerr.h"
#include "response.h"
#include "suite.h"

/* The rows the README's error table names, with their statuses per profile. */
static const struct {
	enum gerr_id id;
	int code, subcode, st_default, st_classic;
	const char *type;
} spec[] = {
	{ GE_PARAM, 100, 0, 400, 400, "OAuthException" },
	{ GE_NO_OBJECT, 100, 33, 400, 400, "GraphMethodException" },
	{ GE_PROOF, 100, 0, 400, 400, "GraphMethodException" },
	{ GE_SESSION_KEY, 102, 0, 401, 400, "OAuthException" },
	{ GE_NO_TOKEN, 104, 0, 400, 400, "OAuthException" },
	{ GE_TOKEN, 190, 0, 401, 400, "OAuthException" },
	{ GE_TOKEN_EXPIRED, 190, 463, 401, 400, "OAuthException" },
	{ GE_TOKEN_INVALIDATED, 190, 460, 401, 400, "OAuthException" },
	{ GE_TOKEN_LOGGED_OUT, 190, 467, 401, 400, "OAuthException" },
	{ GE_PERMISSION, 200, 0, 403, 400, "OAuthException" },
	{ GE_EDIT, 300, 0, 400, 400, "OAuthException" },
	{ GE_ABUSIVE, 368, 0, 403, 400, "OAuthException" },
	{ GE_CALLBACK, 2200, 0, 400, 400, "OAuthException" },
	{ GE_SYNTAX, 2500, 0, 400, 400, "OAuthException" },
	{ GE_RATE_LIMIT, 80008, 2446079, 429, 400, "OAuthException" },
	{ GE_PHONE_ADD, 200000, 0, 400, 400, "OAuthException" },
	{ GE_NO_INSIGHTS, 200005, 0, 400, 400, "OAuthException" },
	{ GE_NO_PHONES, 200008, 0, 400, 400, "OAuthException" },
	{ GE_UNKNOWN, 1, 0, 500, 500, "OAuthException" },
	{ GE_UNEXPECTED, 2, 0, 500, 500, "OAuthException" },
};

START_TEST(test_table_matches_spec)
{
	size_t i;

	for (i = 0; i < sizeof(spec) / sizeof(spec[0]); i++) {
		const struct gerr_row *r = gerr_row(spec[i].id);
		struct gerr e = { 0 };

		ck_assert_ptr_nonnull(r);
		ck_assert_int_eq(r->code, spec[i].code);
		ck_assert_int_eq(r->subcode, spec[i].subcode);
		ck_assert_str_eq(r->type, spec[i].type);
		gerr_set(&e, spec[i].id, NULL);
		ck_assert_int_eq(gerr_status(&e, PROFILE_DEFAULT),
		    spec[i].st_default);
		ck_assert_int_eq(gerr_status(&e, PROFILE_CLASSIC),
		    spec[i].st_classic);
		gerr_clear(&e);
	}
}
END_TEST

/* The self-test of the X-macro list: every row is complete. */
START_TEST(test_every_row_complete)
{
	int i;

	for (i = GE_NONE + 1; i < GE__COUNT; i++) {
		const struct gerr_row *r = gerr_row((enum gerr_id)i);

		ck_assert_ptr_nonnull(r);
		ck_assert_msg(r->name && r->name[0] == 'G', "row %d name", i);
		ck_assert_msg(r->code > 0, "%s: code", r->name);
		ck_assert_msg(r->message && *r->message, "%s: message",
		    r->name);
		ck_assert_msg(r->status_default >= 400 &&
		        r->status_default < 600,
		    "%s: status", r->name);
		ck_assert_msg(r->status_classic == 400 ||
		        r->status_classic >= 500,
		    "%s: classic folds 4xx into 400", r->name);
		/* invalid_code: the code exchange's own errors */
		ck_assert_msg(strcmp(r->auth_kind, "invalid_token") == 0 ||
		        strcmp(r->auth_kind, "invalid_request") == 0 ||
		        (strcmp(r->auth_kind, "invalid_code") == 0 &&
		            r->code == 100),
		    "%s: kind", r->name);
		ck_assert_msg((r->code == 190 || r->code == 102) ==
		        (strcmp(r->auth_kind, "invalid_token") == 0),
		    "%s: token errors and only they are invalid_token",
		    r->name);
		/* a wrong client secret is code 1, and not worth a retry */
		ck_assert_msg(r->transient ==
		        ((r->code == 1 && i != GE_CLIENT_SECRET) ||
		            r->code == 2 || r->code == 80008),
		    "%s: transient", r->name);
	}
	ck_assert_ptr_null(gerr_row((enum gerr_id)GE__COUNT));
}
END_TEST

START_TEST(test_envelope)
{
	struct gerr e = { 0 };
	struct json_object *o;

	ck_assert_int_eq(gerr_set(&e, GE_RATE_LIMIT, NULL), -1);
	o = gerr_json(&e, "ATRACEidOfTwentyThreeCh");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
	                     json_object_object_get(o, "error"), "type")),
	    "OAuthException");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(
	                     json_object_object_get(o, "error"), "code")),
	    80008);
	ck_assert_int_eq(
	    json_object_get_int(json_object_object_get(
	        json_object_object_get(o, "error"), "error_subcode")),
	    2446079);
	ck_assert(json_object_get_boolean(json_object_object_get(
	    json_object_object_get(o, "error"), "is_transient")));
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
	                     json_object_object_get(o, "error"), "fbtrace_id")),
	    "ATRACEidOfTwentyThreeCh");
	json_object_put(o);

	/* no subcode, not transient: the keys are absent */
	gerr_set(&e, GE_PARAM, "(#100) The parameter %s is required", "user");
	o = gerr_json(&e, "x");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
	                     json_object_object_get(o, "error"), "message")),
	    "(#100) The parameter user is required");
	ck_assert(!json_object_object_get_ex(json_object_object_get(o, "error"),
	    "error_subcode", NULL));
	ck_assert(!json_object_object_get_ex(json_object_object_get(o, "error"),
	    "is_transient", NULL));
	json_object_put(o);
	gerr_clear(&e);
}
END_TEST

START_TEST(test_helpers)
{
	struct gerr e = { 0 };
	char *www;

	gerr_no_object(&e, "DELETE", "123");
	ck_assert_int_eq(gerr_code(&e), 100);
	ck_assert_int_eq(gerr_subcode(&e), 33);
	ck_assert_ptr_nonnull(strstr(gerr_message(&e),
	    "Unsupported delete request. Object with ID '123' does not exist"));
	gerr_no_field(&e, "colour", "WhatsAppBusinessAccount");
	ck_assert_str_eq(gerr_message(&e),
	    "(#100) Tried accessing "
	    "nonexisting field (colour) on node type (WhatsAppBusinessAccount)");
	gerr_set(&e, GE_TOKEN, NULL);
	www = gerr_www_authenticate(&e);
	ck_assert_str_eq(www,
	    "OAuth \"Facebook Platform\" \"invalid_token\" "
	    "\"Invalid OAuth access token - Cannot parse access token\"");
	free(www);
	gerr_clear(&e);
	ck_assert_int_eq(e.id, GE_NONE);
}
END_TEST

START_TEST(test_custom)
{
	struct gerr e = { 0 }, copy = { 0 };

	/* a code of the table takes its row's message, type and status */
	gerr_custom(&e, 190, 0, NULL, NULL, 0);
	ck_assert_int_eq(gerr_code(&e), 190);
	ck_assert_int_eq(gerr_status(&e, PROFILE_DEFAULT), 401);
	ck_assert_int_eq(gerr_status(&e, PROFILE_CLASSIC), 400);
	ck_assert_str_eq(gerr_message(&e),
	    "Invalid OAuth access token - Cannot parse access token");
	/* any other code: given message and status */
	gerr_custom(&e, 4242, 7, "CustomException", "boom", 503);
	ck_assert_int_eq(gerr_code(&e), 4242);
	ck_assert_int_eq(gerr_subcode(&e), 7);
	ck_assert_int_eq(gerr_status(&e, PROFILE_DEFAULT), 503);
	ck_assert_int_eq(gerr_status(&e, PROFILE_CLASSIC), 503);
	gerr_copy(&copy, &e);
	gerr_clear(&e);
	ck_assert_str_eq(gerr_message(&copy), "boom");
	gerr_clear(&copy);
	ck_assert_ptr_nonnull(gerr_row_by_code(80008, 0, NULL));
	ck_assert_ptr_null(gerr_row_by_code(4242, 0, NULL));
}
END_TEST

/* error_user_title / error_user_msg: sent when set, copied, and gone with
 * the next gerr_set(). */
START_TEST(test_user_fields)
{
	struct gerr e = { 0 }, copy = { 0 };
	struct json_object *o, *inner;

	gerr_set(&e, GE_PARAM, NULL);
	ck_assert_int_eq(gerr_user(&e, "Title", "msg %d", 7), -1);
	gerr_copy(&copy, &e);
	gerr_clear(&e);
	o = gerr_json(&copy, "t");
	inner = json_object_object_get(o, "error");
	ck_assert_str_eq(json_object_get_string(
	                     json_object_object_get(inner, "error_user_title")),
	    "Title");
	ck_assert_str_eq(json_object_get_string(
	                     json_object_object_get(inner, "error_user_msg")),
	    "msg 7");
	json_object_put(o);
	gerr_set(&copy, GE_PARAM, NULL);
	o = gerr_json(&copy, "t");
	inner = json_object_object_get(o, "error");
	ck_assert(!json_object_object_get_ex(inner, "error_user_title", NULL));
	ck_assert(!json_object_object_get_ex(inner, "error_user_msg", NULL));
	json_object_put(o);
	gerr_clear(&copy);
}
END_TEST

START_TEST(test_www_authenticate_bounded)
{
	struct gerr e = { 0 };
	char id[3000];
	char *www;

	memset(id, 'a', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	gerr_no_object(&e, "GET", id);
	www = gerr_www_authenticate(&e);
	/* cut, marked, and still a quoted header value */
	ck_assert(strlen(www) < 600);
	ck_assert_ptr_nonnull(strstr(www, "...\""));
	free(www);
	/* a line break echoed from input becomes a space */
	gerr_set(&e, GE_PARAM, "(#100) bad \r\nvalue");
	www = gerr_www_authenticate(&e);
	ck_assert_ptr_null(strpbrk(www, "\r\n"));
	free(www);
	gerr_clear(&e);
}
END_TEST

/*
 * gerr_render() makes the whole error answer: the envelope, the status it
 * is given, and WWW-Authenticate naming the kind and the message.
 */
START_TEST(test_render)
{
	static const struct {
		enum gerr_id id;
		const char *msg; /* NULL: the row's */
		int status;
		const char *kind;
	} cases[] = {
		{ GE_TOKEN, NULL, 401, "invalid_token" },
		{ GE_NO_TOKEN, NULL, 400, "invalid_request" },
		{ GE_PARAM, "(#100) The request target is too long", 414,
		    "invalid_request" },
		{ GE_PERMISSION, NULL, 200, "invalid_request" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gerr err = { 0 };
		struct response resp = { 0 };
		struct json_object *body, *e, *v;
		char want[512];

		if (cases[i].msg != NULL)
			gerr_set(&err, cases[i].id, "%s", cases[i].msg);
		else
			gerr_set(&err, cases[i].id, NULL);
		gerr_render(&err, "Atrace", cases[i].status, &resp);
		ck_assert_int_eq(resp.status, cases[i].status);
		body = json_tokener_parse(resp.body);
		ck_assert_ptr_nonnull(body);
		ck_assert(json_object_object_get_ex(body, "error", &e));
		ck_assert(json_object_object_get_ex(e, "code", &v));
		ck_assert_int_eq(json_object_get_int(v), gerr_code(&err));
		ck_assert(json_object_object_get_ex(e, "message", &v));
		ck_assert_str_eq(json_object_get_string(v), gerr_message(&err));
		ck_assert(json_object_object_get_ex(e, "fbtrace_id", &v));
		ck_assert_str_eq(json_object_get_string(v), "Atrace");
		snprintf(want, sizeof(want),
		    "OAuth \"Facebook Platform\" \"%s\" \"%s\"", cases[i].kind,
		    gerr_message(&err));
		ck_assert_str_eq(response_get_header(&resp, "WWW-Authenticate"),
		    want);
		json_object_put(body);
		response_cleanup(&resp);
		gerr_clear(&err);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("gerr");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_table_matches_spec);
	tcase_add_test(tc, test_every_row_complete);
	tcase_add_test(tc, test_envelope);
	tcase_add_test(tc, test_helpers);
	tcase_add_test(tc, test_custom);
	tcase_add_test(tc, test_user_fields);
	tcase_add_test(tc, test_www_authenticate_bounded);
	tcase_add_test(tc, test_render);
	suite_add_tcase(s, tc);
	return suite_run(s);
}
