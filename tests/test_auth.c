/*
 * test_auth.c - auth.c's own decisions over the demo fixtures, in
 * process: which token a request carries and what it resolves to, the
 * token states, granular targets, admin roles against assigned tasks,
 * and appsecret_proof.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "demo_emu.h"
#include "gerr.h"
#include "proof.h"
#include "request.h"
#include "store.h"
#include "suite.h"
#include "util.h"

/* A request to target with token resolved (auth_token's result in *rc). */
static void
with_token(struct request *rq, const char *target, const char *token, int *rc)
{
	ck_assert_int_eq(demo_prepare(rq, "GET", target, token), 0);
	*rc = auth_token(rq);
}

static enum gerr_id
token_error(const char *target, const char *token)
{
	struct request rq;
	enum gerr_id id;
	int rc;

	with_token(&rq, target, token, &rc);
	ck_assert_int_eq(rc, -1);
	id = rq.err.id;
	request_cleanup(&rq);
	return id;
}

START_TEST(test_lookup)
{
	struct request rq;
	int rc;

	with_token(&rq, "/v24.0/4000000000000001", "EAAdemoEmployee", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(rq.token, "EAAdemoEmployee");
	ck_assert_int_eq(rq.token_source, TOKEN_HEADER);
	ck_assert_int_eq(rq.token_user, 3000000000000002LL);
	ck_assert_int_eq(rq.token_app, 1000000000000001LL);
	ck_assert_ptr_nonnull(rq.token_row);
	request_cleanup(&rq);

	/* access_token= wins over the header */
	with_token(&rq, "/v24.0/4000000000000001?access_token=EAAdemoManager",
	    "EAAdemoEmployee", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(rq.token_source, TOKEN_PARAM);
	ck_assert_int_eq(rq.token_user, 3000000000000003LL);
	request_cleanup(&rq);

	/* an app token: its app, no user, no row */
	with_token(&rq, "/v24.0/debug_token",
	    "1000000000000001|demo-app-secret", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(rq.token_user, 0);
	ck_assert_int_eq(rq.token_app, 1000000000000001LL);
	ck_assert_ptr_null(rq.token_row);
	request_cleanup(&rq);

	ck_assert_int_eq(token_error("/v24.0/me", NULL), GE_NO_TOKEN);
	ck_assert_int_eq(token_error("/v24.0/me", "EAAnoSuchToken"), GE_TOKEN);
	ck_assert_int_eq(
	    token_error("/v24.0/me", "1000000000000001|wrong-secret"),
	    GE_TOKEN);
	ck_assert_int_eq(
	    token_error("/v24.0/me", "1999999999999999|demo-app-secret"),
	    GE_TOKEN);
}
END_TEST

START_TEST(test_states)
{
	struct request rq;
	int rc;

	ck_assert_int_eq(token_error("/me", "EAAdemoExpired"),
	    GE_TOKEN_EXPIRED);
	ck_assert_int_eq(token_error("/me", "EAAdemoInvalidated"),
	    GE_TOKEN_INVALIDATED);
	ck_assert_int_eq(token_error("/me", "EAAdemoLoggedOut"),
	    GE_TOKEN_LOGGED_OUT);
	ck_assert_int_eq(token_error("/me", "EAAdemoSessionKey"),
	    GE_SESSION_KEY);

	/* the expiry message dates it in Pacific time, as Graph does */
	with_token(&rq, "/me", "EAAdemoExpired", &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(strstr(rq.err.message,
	    "Session has expired on Tuesday, 14-Nov-23 14:13:20 PST."));
	request_cleanup(&rq);
}
END_TEST

/* auth_token_state() against the clock, on rows made here. */
START_TEST(test_state_rows)
{
	struct json_object *row = json_object_new_object();
	struct gerr err = { 0 };

	json_object_object_add(row, "expires_at",
	    json_object_new_int64(DEMO_NOW + 1));
	ck_assert_int_eq(auth_token_state(row, DEMO_NOW, &err), 0);
	ck_assert_int_eq(auth_token_state(row, DEMO_NOW + 1, &err), -1);
	ck_assert_int_eq(err.id, GE_TOKEN_EXPIRED);
	gerr_clear(&err);
	/* put in state "expired" by hand: it is expired, whatever the date */
	json_object_object_add(row, "state", json_object_new_string("expired"));
	ck_assert_int_eq(auth_token_state(row, DEMO_NOW, &err), -1);
	ck_assert_int_eq(err.id, GE_TOKEN_EXPIRED);
	gerr_clear(&err);
	json_object_object_add(row, "state", json_object_new_string("active"));
	json_object_object_del(row, "expires_at");
	ck_assert_int_eq(auth_token_state(row, DEMO_NOW, &err), 0);
	json_object_put(row);
}
END_TEST

/* The permission check of token on a WABA: 0, or the error's id. */
static enum gerr_id
waba_check(const char *token, int64_t waba, enum perm perm)
{
	struct request rq;
	enum gerr_id id;
	int rc;

	with_token(&rq, "/v24.0/4000000000000001", token, &rc);
	ck_assert_int_eq(rc, 0);
	id = auth_check_waba(&rq, waba, perm) == 0 ? GE_NONE : rq.err.id;
	request_cleanup(&rq);
	return id;
}

START_TEST(test_granular_targets)
{
	struct request rq;
	struct sbuf ids = SBUF_INIT;
	int rc;

	ck_assert_int_eq(
	    waba_check("EAAdemoGranular", DEMO_WABA2, PERM_WABA_READ), GE_NONE);
	/* its own business's WABA outside the targets: 200 */
	ck_assert_int_eq(
	    waba_check("EAAdemoGranular", DEMO_WABA, PERM_WABA_READ),
	    GE_PERMISSION);
	/* the same user's unlimited token reaches it */
	ck_assert_int_eq(waba_check("EAAdemoAdmin", DEMO_WABA, PERM_WABA_READ),
	    GE_NONE);

	with_token(&rq, "/me", "EAAdemoGranular", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert(auth_waba_targets(&rq, &ids));
	ck_assert_str_eq(ids.buf, "[4000000000000002]");
	request_cleanup(&rq);
	sbuf_release(&ids);

	with_token(&rq, "/me", "EAAdemoAdmin", &rc);
	ck_assert(!auth_waba_targets(&rq, &ids));
	request_cleanup(&rq);
	sbuf_release(&ids);
}
END_TEST

/* One permission check and the answer it must give. */
struct waba_case {
	const char *token;
	int64_t waba;
	enum perm perm;
	enum gerr_id want;
};

static const struct waba_case role_cases[] = {
	/* an admin of the owner may do everything on its WABA */
	{ "EAAdemoAdmin", DEMO_WABA, PERM_WABA_USERS, GE_NONE },
	{ "EAAdemoAdmin", DEMO_WABA, PERM_WABA_PHONE, GE_NONE },
	/* a partner's WABA shared with MANAGE and DEVELOP */
	{ "EAAdemoAdmin", DEMO_WABA_PARTNER, PERM_WABA_USERS, GE_NONE },
	/* a WABA of no relation does not exist for the caller */
	{ "EAAdemoAdmin", DEMO_WABA_OTHER, PERM_WABA_READ, GE_NO_OBJECT },

	/* an employee has what its tasks give: DEVELOP, VIEW_PHONE_ASSETS */
	{ "EAAdemoEmployee", DEMO_WABA, PERM_WABA_READ, GE_NONE },
	{ "EAAdemoEmployee", DEMO_WABA, PERM_WABA_PHONE, GE_PERMISSION },
	{ "EAAdemoEmployee", DEMO_WABA, PERM_WABA_USERS, GE_PERMISSION },
	{ "EAAdemoEmployee", DEMO_WABA2, PERM_WABA_READ, GE_PERMISSION },
	/* MANAGE on one WABA, MANAGE_PHONE on the other */
	{ "EAAdemoManager", DEMO_WABA, PERM_WABA_USERS, GE_NONE },
	{ "EAAdemoManager", DEMO_WABA2, PERM_WABA_PHONE, GE_NONE },
	{ "EAAdemoManager", DEMO_WABA2, PERM_WABA_USERS, GE_PERMISSION },
	/* a user of the owner with no task at all */
	{ "EAAdemoNoaccess", DEMO_WABA, PERM_WABA_READ, GE_PERMISSION },
};

START_TEST(test_roles_and_tasks)
{
	size_t i;

	for (i = 0; i < sizeof(role_cases) / sizeof(role_cases[0]); i++) {
		const struct waba_case *c = &role_cases[i];

		ck_assert_int_eq(waba_check(c->token, c->waba, c->perm),
		    c->want);
	}
}
END_TEST

/* Grants are remembered per token: another token is still checked. */
START_TEST(test_memo_per_token)
{
	ck_assert_int_eq(
	    waba_check("EAAdemoManager", DEMO_WABA, PERM_WABA_USERS), GE_NONE);
	ck_assert_int_eq(
	    waba_check("EAAdemoManager", DEMO_WABA, PERM_WABA_USERS), GE_NONE);
	ck_assert_int_eq(
	    waba_check("EAAdemoEmployee", DEMO_WABA, PERM_WABA_USERS),
	    GE_PERMISSION);
}
END_TEST

/* auth_proof() for target and token: 0, or the error's id. */
static enum gerr_id
proof_check(const char *target, const char *token)
{
	struct request rq;
	enum gerr_id id;
	int rc;

	with_token(&rq, target, token, &rc);
	ck_assert_int_eq(rc, 0);
	id = auth_proof(&rq) == 0 ? GE_NONE : rq.err.id;
	if (id == GE_PROOF && strstr(target, "appsecret_proof") == NULL)
		ck_assert_ptr_nonnull(
		    strstr(rq.err.message, "require an appsecret_proof"));
	request_cleanup(&rq);
	return id;
}

START_TEST(test_appsecret_proof)
{
	char *good = appsecret_proof("secure-app-secret", "EAAdemoSecure",
	    NULL);
	char *other = appsecret_proof("demo-app-secret", "EAAdemoSecure", NULL);
	char *t;

	/* the app requires it */
	ck_assert_int_eq(proof_check("/me", "EAAdemoSecure"), GE_PROOF);
	t = xasprintf("/me?appsecret_proof=%s", good);
	ck_assert_int_eq(proof_check(t, "EAAdemoSecure"), GE_NONE);
	free(t);
	/* made with another app's secret */
	t = xasprintf("/me?appsecret_proof=%s", other);
	ck_assert_int_eq(proof_check(t, "EAAdemoSecure"), GE_PROOF);
	free(t);
	/* not required, but checked when sent */
	ck_assert_int_eq(proof_check("/me", "EAAdemoAdmin"), GE_NONE);
	ck_assert_int_eq(proof_check("/me?appsecret_proof=00", "EAAdemoAdmin"),
	    GE_PROOF);
	free(good);
	free(other);
}
END_TEST

static Suite *
auth_suite(void)
{
	const TTest *const tests[] = {
		test_lookup,
		test_states,
		test_state_rows,
		test_granular_targets,
		test_roles_and_tasks,
		test_memo_per_token,
		test_appsecret_proof,
		NULL,
	};

	return suite_core("auth", demo_setup, demo_teardown, tests);
}

int
main(void)
{
	return suite_run(auth_suite());
}
