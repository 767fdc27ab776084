/*
 * oauth.c - /oauth/access_token in its three forms (docs/oauth.md): the
 * Embedded Signup code exchange, client_credentials (an app token) and
 * fb_exchange_token (a long-lived token).  Every form first proves the
 * app: client_id names it (101 otherwise), client_secret is its secret
 * (1 otherwise).  The call needs no access token.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "emu.h"
#include "handlers.h"
#include "request.h"
#include "row.h"
#include "secret.h"
#include "store.h"
#include "util.h"

/* What Graph answers for fb_exchange_token: about 60 days. */
#define LONG_LIVED_SECONDS 5184000

/* The app of client_id whose secret is client_secret; NULL with rq->err. */
static struct json_object *
client_app(struct request *rq)
{
	const char *id = param_required(rq, "client_id"), *secret;
	struct json_object *app;
	int64_t n;

	if (id == NULL)
		return NULL;
	n = parse_id_exact(id);
	app = n > 0 ? store_get(rq->emu->store, TBL_APPS, n) : NULL;
	if (app == NULL) {
		gerr_set(&rq->err, GE_APP_ID, NULL);
		return NULL;
	}
	if ((secret = param_required(rq, "client_secret")) == NULL) {
		json_object_put(app);
		return NULL;
	}
	if (!secret_equal(row_str(app, "secret"), secret)) {
		gerr_set(&rq->err, GE_CLIENT_SECRET, NULL);
		json_object_put(app);
		return NULL;
	}
	return app;
}

/* A new token string, drawn like the control plane's: from the id counter. */
static char *
new_token(struct emu *emu)
{
	unsigned char raw[24];
	uint64_t seq = (uint64_t)store_new_id(emu->store), h;
	char *enc, *tok;
	int i;

	for (i = 0; i < 3; i++) {
		h = mix64(
		    seq ^ ((uint64_t)i << 56) ^ 0x0a0715e7 ^ emu->env.seed);
		memcpy(raw + 8 * i, &h, 8);
	}
	enc = b64url_encode(raw, sizeof(raw));
	tok = xasprintf("EAA%s", enc);
	free(enc);
	return tok;
}

/*
 * Inserts a token of app for user with from's scopes, and sets the
 * answer.  code: the code row to mark used in the same transaction, or
 * NULL.  expires_in 0: never.
 */
static int
grant(struct request *rq, struct json_object *from, struct json_object *code,
    int64_t expires_in)
{
	struct store *st = rq->emu->store;
	int64_t now = clock_now(&rq->emu->clock);
	struct json_object *tok = json_object_new_object(), *used = NULL, *v;
	char *token = new_token(rq->emu), *cause = NULL;
	static const char *const copied[] = { "app", "user", "scopes",
		"granular_scopes", NULL };
	const char *const *k;
	int rc = -1;

	json_object_object_add(tok, "token", json_object_new_string(token));
	for (k = copied; *k != NULL; k++)
		if (json_object_object_get_ex(from, *k, &v))
			json_object_object_add(tok, *k, json_object_get(v));
	json_object_object_add(tok, "issued_at", json_object_new_int64(now));
	json_object_object_add(tok, "expires_at",
	    json_object_new_int64(expires_in > 0 ? now + expires_in : 0));
	json_object_object_add(tok, "state", json_object_new_string("valid"));
	if (code != NULL) {
		used = json_object_new_object();
		json_object_object_foreach(code, key, val)
			json_object_object_add(used, key, json_object_get(val));
		json_object_object_add(used, "used_at",
		    json_object_new_int64(now));
	}
	if (store_begin(st) < 0)
		goto out;
	if ((used != NULL &&
	        store_update(st, TBL_OAUTH_CODES, used, &cause) < 0) ||
	    store_insert(st, TBL_TOKENS, tok, &cause) < 0 ||
	    store_commit(st) < 0) {
		store_rollback(st);
		goto out;
	}
	rq->result = json_object_new_object();
	json_object_object_add(rq->result, "access_token",
	    json_object_new_string(token));
	json_object_object_add(rq->result, "token_type",
	    json_object_new_string("bearer"));
	if (expires_in > 0)
		json_object_object_add(rq->result, "expires_in",
		    json_object_new_int64(expires_in));
	rc = 0;
out:
	if (rc < 0)
		gerr_set(&rq->err, GE_UNEXPECTED, NULL);
	free(cause);
	free(token);
	json_object_put(tok);
	json_object_put(used);
	return rc;
}

/* Embedded Signup: a business integration system user token for the code's
 * user, with the code's scopes; the code is spent. */
static int
exchange_code(struct request *rq, struct json_object *app, const char *code)
{
	const char *want, *got = params_get(&rq->params, "redirect_uri");
	struct json_object *key = json_object_new_object(), *row;
	int64_t now = clock_now(&rq->emu->clock);
	int rc = -1;

	json_object_object_add(key, "code", json_object_new_string(code));
	row = store_lookup(rq->emu->store, TBL_OAUTH_CODES, key);
	json_object_put(key);
	/* a code of another app is no code for this one */
	if (row == NULL || row_id(row, "app") != row_id(app, "id")) {
		gerr_set(&rq->err, GE_CODE_INVALID, NULL);
		goto out;
	}
	if (json_object_object_get_ex(row, "used_at", NULL)) {
		gerr_set(&rq->err, GE_CODE_USED, NULL);
		goto out;
	}
	if (now >=
	    json_object_get_int64(json_object_object_get(row, "expires_at"))) {
		gerr_set(&rq->err, GE_CODE_EXPIRED, NULL);
		goto out;
	}
	want = row_str(row, "redirect_uri");
	if (strcmp(want != NULL ? want : "", got != NULL ? got : "") != 0) {
		gerr_set(&rq->err, GE_CODE_REDIRECT, NULL);
		goto out;
	}
	rc = grant(rq, row, row, 0);
out:
	json_object_put(row);
	return rc;
}

/* fb_exchange_token: the same grant again, for 60 days. */
static int
exchange_token(struct request *rq, struct json_object *app)
{
	const char *t = param_required(rq, "fb_exchange_token");
	struct json_object *row;
	int rc;

	if (t == NULL)
		return -1;
	row = store_get_token(rq->emu->store, t);
	if (row == NULL || row_id(row, "app") != row_id(app, "id")) {
		json_object_put(row);
		return gerr_set(&rq->err, GE_TOKEN,
		    "Invalid OAuth access "
		    "token.");
	}
	rc = auth_token_state(row, clock_now(&rq->emu->clock), &rq->err);
	if (rc == 0)
		rc = grant(rq, row, NULL, LONG_LIVED_SECONDS);
	json_object_put(row);
	return rc;
}

int
oauth_access_token(struct request *rq)
{
	const char *gt = params_get(&rq->params, "grant_type");
	const char *code = params_get(&rq->params, "code");
	struct json_object *app;
	int rc = -1;

	if (gt != NULL && strcmp(gt, "client_credentials") != 0 &&
	    strcmp(gt, "fb_exchange_token") != 0 &&
	    strcmp(gt, "authorization_code") != 0)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Unsupported "
		    "grant_type: %s",
		    gt);
	if ((app = client_app(rq)) == NULL)
		return -1;
	if (gt != NULL && strcmp(gt, "client_credentials") == 0) {
		char *tok = xasprintf("%s|%s", row_str(app, "id"),
		    row_str(app, "secret"));

		rq->result = json_object_new_object();
		json_object_object_add(rq->result, "access_token",
		    json_object_new_string(tok));
		json_object_object_add(rq->result, "token_type",
		    json_object_new_string("bearer"));
		free(tok);
		rc = 0;
	} else if (gt != NULL && strcmp(gt, "fb_exchange_token") == 0) {
		rc = exchange_token(rq, app);
	} else if (code == NULL) {
		rc = gerr_set(&rq->err, GE_PARAM,
		    "(#100) Missing "
		    "authorization code");
	} else {
		rc = exchange_code(rq, app, code);
	}
	json_object_put(app);
	return rc;
}
