/*
 * debug_token.c - GET /debug_token?input_token=...: what a token is and
 * whether it works, in the shapes Meta documents for user, system-user and
 * app tokens.  An unusable input token is data (is_valid false with an
 * error), not a request error; a token of another app than the caller's
 * is a request error, as Graph lets an app inspect only its own tokens.
 *
 * Who may inspect what: an app token, every token of its app; a user
 * token (the emulator has no app roles, so no user is the app's
 * developer), the user tokens of its app held by users of its own
 * business.  Whether a token belongs to another app is decided from the
 * app id alone, so that the answer says nothing about a guessed secret.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "emu.h"
#include "fields.h"
#include "handlers.h"
#include "params.h"
#include "render.h"
#include "request.h"
#include "secret.h"
#include "util.h"

/* User tokens' data access lasts 90 days from issue. */
#define DATA_ACCESS_SECONDS (90 * 86400)

static void
add_str(struct json_object *o, const char *k, const char *v)
{
	if (v != NULL)
		json_object_object_add(o, k, json_object_new_string(v));
}

static void
invalid(struct json_object *data, int code, int subcode, const char *msg)
{
	struct json_object *e = json_object_new_object();

	json_object_object_add(data, "is_valid", json_object_new_boolean(0));
	json_object_object_add(e, "code", json_object_new_int(code));
	if (subcode)
		json_object_object_add(e, "subcode",
		    json_object_new_int(subcode));
	json_object_object_add(e, "message", json_object_new_string(msg));
	json_object_object_add(data, "error", e);
	if (json_object_object_get(data, "scopes") == NULL)
		json_object_object_add(data, "scopes", json_object_new_array());
}

static void
describe_app_token(struct request *rq, const char *tok,
    struct json_object *data)
{
	const char *bar = strchr(tok, '|');
	char *appid = xstrndup(tok, (size_t)(bar - tok));
	struct json_object *app = store_get(rq->emu->store, TBL_APPS,
	    parse_id(appid));

	if (!secret_equal(row_str(app, "secret"), bar + 1)) {
		invalid(data, 190, 0,
		    "Invalid OAuth access token - Cannot parse access token");
	} else {
		add_str(data, "app_id", row_str(app, "id"));
		add_str(data, "type", "APP");
		add_str(data, "application", row_str(app, "name"));
		json_object_object_add(data, "is_valid",
		    json_object_new_boolean(1));
		json_object_object_add(data, "scopes", json_object_new_array());
	}
	free(appid);
	json_object_put(app);
}

static void
describe_user_token(struct request *rq, struct json_object *tok,
    struct json_object *data)
{
	struct store *st = rq->emu->store;
	struct json_object *app = store_get(st, TBL_APPS, row_id(tok, "app"));
	struct json_object *user = store_get(st, TBL_USERS,
	    row_id(tok, "user"));
	struct gerr err = { 0 };
	int64_t now = clock_now(&rq->emu->clock);
	int64_t issued = row_int(tok, "issued_at");
	int64_t expires = row_int(tok, "expires_at");
	bool system = row_str(user, "user_type") &&
	    strcmp(row_str(user, "user_type"), "SYSTEM_USER") == 0;
	struct json_object *gs = json_object_object_get(tok, "granular_scopes");
	struct json_object *scopes = json_object_object_get(tok, "scopes");

	add_str(data, "app_id", row_str(tok, "app"));
	add_str(data, "type", system ? "SYSTEM_USER" : "USER");
	add_str(data, "application", row_str(app, "name"));
	json_object_object_add(data, "data_access_expires_at",
	    json_object_new_int64(
	        system || expires == 0 ? 0 : issued + DATA_ACCESS_SECONDS));
	json_object_object_add(data, "expires_at",
	    json_object_new_int64(expires));
	json_object_object_add(data, "is_valid", json_object_new_boolean(1));
	json_object_object_add(data, "issued_at",
	    json_object_new_int64(issued));
	json_object_object_add(data, "scopes",
	    scopes ? json_object_get(scopes) : json_object_new_array());
	if (gs != NULL && json_object_array_length(gs) > 0) {
		json_object_object_add(data, "granular_scopes",
		    json_object_get(gs));
	} else {
		/* system users list their scopes without target_ids */
		struct json_object *arr = json_object_new_array();
		size_t i;

		for (i = 0; scopes && i < json_object_array_length(scopes);
		     i++) {
			struct json_object *g = json_object_new_object();

			json_object_object_add(g, "scope",
			    json_object_get(
			        json_object_array_get_idx(scopes, i)));
			json_object_array_add(arr, g);
		}
		json_object_object_add(data, "granular_scopes", arr);
	}
	add_str(data, "user_id", row_str(tok, "user"));
	/* the same verdict, in the same words, as a call with the token */
	if (auth_token_state(tok, now, &err) < 0) {
		invalid(data, gerr_code(&err), gerr_subcode(&err),
		    gerr_message(&err));
		gerr_clear(&err);
	}
	json_object_put(app);
	json_object_put(user);
}

/* fields=app_id (the Node SDK's getAppID) keeps only those keys. */
static void
select_fields(struct request *rq, struct json_object *data)
{
	struct json_object *keep;
	size_t i;

	if (rq->fields == NULL || rq->fields->n == 0)
		return;
	keep = json_object_new_object();
	for (i = 0; i < rq->fields->n; i++) {
		struct json_object *v;

		if (json_object_object_get_ex(data, rq->fields->v[i].name, &v))
			json_object_object_add(keep, rq->fields->v[i].name,
			    json_object_get(v));
	}
	json_object_object_add(rq->result, "data", keep);
}

static int
mismatch(struct request *rq)
{
	return gerr_set(&rq->err, GE_PARAM,
	    "(#100) The App_id in the "
	    "input_token did not match the Viewing App");
}

static int
not_developer(struct request *rq)
{
	return gerr_set(&rq->err, GE_PARAM,
	    "(#100) You must provide an app "
	    "access token, or a user access token that is an owner or "
	    "developer of the app");
}

/* The app id before the '|' of an app token; -1 when it is not one. */
static int64_t
app_token_app(const char *tok)
{
	const char *bar = strchr(tok, '|');
	char *appid = xstrndup(tok, (size_t)(bar - tok));
	int64_t id = parse_id(appid);

	free(appid);
	return id;
}

/* 0 when the caller may inspect the user token tok, else -1 with err. */
static int
may_inspect_user_token(struct request *rq, struct json_object *tok)
{
	struct json_object *user;
	int64_t biz;

	if (row_id(tok, "app") != rq->token_app)
		return mismatch(rq);
	if (rq->token_row == NULL)
		return 0;
	user = store_get(rq->emu->store, TBL_USERS, row_id(tok, "user"));
	biz = row_id(user, "business");
	json_object_put(user);
	return biz != 0 && biz == auth_business(rq) ? 0 : not_developer(rq);
}

int
debug_token_get(struct request *rq)
{
	const char *input = params_get(&rq->params, "input_token");
	struct json_object *data, *tok = NULL;

	/* no caller is neither an app nor the app's developer */
	if (rq->token == NULL)
		return not_developer(rq);
	if (input == NULL || *input == '\0')
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) For field 'debug_token': The parameter input_token "
		    "is required");
	if (strchr(input, '|') != NULL) {
		/* an app token carries its secret: only the app inspects it */
		if (app_token_app(input) != rq->token_app)
			return mismatch(rq);
		if (rq->token_row != NULL)
			return not_developer(rq);
	} else if ((tok = store_get_token(rq->emu->store, input)) != NULL &&
	    may_inspect_user_token(rq, tok) < 0) {
		json_object_put(tok);
		return -1;
	}
	data = json_object_new_object();
	if (strchr(input, '|') != NULL)
		describe_app_token(rq, input, data);
	else if (tok != NULL)
		describe_user_token(rq, tok, data);
	else
		invalid(data, 190, 0,
		    "Invalid OAuth access token - Cannot parse access token");
	json_object_put(tok);
	rq->result = json_object_new_object();
	json_object_object_add(rq->result, "data", data);
	select_fields(rq, data);
	return 0;
}
