/*
 * auth.c - see auth.h.  The rules, in the order the real API applies
 * them: a WABA the caller's business has no relation to does not exist for
 * it (100/33); a restricted owner refuses everything (368); then scopes,
 * granular targets and roles or tasks decide (200).
 */
#include "auth.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "emu.h"
#include "params.h"
#include "proof.h"
#include "request.h"
#include "row.h"
#include "secret.h"
#include "store.h"
#include "tasks.h"
#include "timefmt.h"
#include "util.h"

#define SCOPE_WABA "whatsapp_business_management"
#define SCOPE_BUSINESS "business_management"

static unsigned
task_bits(struct json_object *arr)
{
	unsigned bits = 0;
	size_t i;

	if (arr == NULL || !json_object_is_type(arr, json_type_array))
		return 0;
	for (i = 0; i < json_object_array_length(arr); i++) {
		const char *t = json_object_get_string(
		    json_object_array_get_idx(arr, i));

		int k = task_index(t);

		if (k >= 0)
			bits |= 1u << k;
	}
	return bits;
}

bool
auth_has_token(const struct request *rq)
{
	const char *t = params_get(&rq->params, "access_token");

	return (t && *t) || (rq->authorization && *rq->authorization);
}

/* Finds the token string and where it came from; NULL when none. */
static const char *
token_string(const struct request *rq, enum token_source *src)
{
	const char *t = params_get(&rq->params, "access_token");
	const char *h = rq->authorization;

	if (t != NULL && *t != '\0') {
		*src = TOKEN_PARAM;
		return t;
	}
	if (h == NULL)
		return NULL;
	while (*h == ' ')
		h++;
	if (strncasecmp(h, "Bearer ", 7) == 0)
		h += 7;
	else if (strncasecmp(h, "OAuth ", 6) == 0)
		h += 6;
	else
		return NULL;
	while (*h == ' ')
		h++;
	if (*h == '\0')
		return NULL;
	*src = TOKEN_HEADER;
	return h;
}

static int
app_token(struct request *rq, const char *tok)
{
	const char *bar = strchr(tok, '|');
	char *appid = xstrndup(tok, (size_t)(bar - tok));
	int64_t id = parse_id(appid);
	struct json_object *app = id > 0 ?
	    store_get(rq->emu->store, TBL_APPS, id) :
	    NULL;
	const char *secret = row_str(app, "secret");
	int rc = 0;

	/* a known app with another secret: Graph checks the signature */
	if (!secret_equal(secret, bar + 1))
		rc = gerr_set(&rq->err, GE_TOKEN,
		    app != NULL ? "Invalid OAuth access token signature." :
		                  NULL);
	else
		rq->token_app = id;
	free(appid);
	json_object_put(app);
	return rc;
}

/*
 * Remembered until the store changes (store_version()): what a token's
 * row says, and the WABA permissions granted to it.  A read checks the
 * same token against the same WABA call after call, and the answers
 * (several row lookups and key searches, under the lock) only change
 * when the store does.  Refusals are not remembered: their errors are
 * worked out each time, and so is a token's expiry against the clock.
 */
#define MEMO_SLOTS 64
#define MEMO_TOKEN_MAX 128

struct grant_memo {
	uint64_t version; /* store_version() when granted; 0: empty */
	int64_t waba;
	int perm;
	char token[MEMO_TOKEN_MAX];
};

struct token_memo {
	uint64_t version; /* 0: empty */
	int64_t user;
	int64_t app;
	int64_t expires; /* expires_at; 0: never */
	bool proof_required;
	char token[MEMO_TOKEN_MAX];
};

struct auth_memo {
	struct grant_memo grants[MEMO_SLOTS];
	struct token_memo tokens[MEMO_SLOTS];
};

void
auth_memo_free(struct emu *emu)
{
	free(emu->auth_memo);
	emu->auth_memo = NULL;
}

/* FNV-1a of the token over seed; false for a token too long to keep. */
static bool
memo_hash(const char *token, uint64_t seed, unsigned *slot)
{
	uint64_t h = seed;
	const char *t;

	if (token == NULL || strlen(token) >= MEMO_TOKEN_MAX)
		return false;
	for (t = token; *t; t++)
		h = (h ^ (unsigned char)*t) * 1099511628211ULL;
	*slot = (unsigned)(h % MEMO_SLOTS);
	return true;
}

static struct auth_memo *
memo(struct emu *emu)
{
	if (emu->auth_memo == NULL)
		emu->auth_memo = xcalloc(1, sizeof(*emu->auth_memo));
	return emu->auth_memo;
}

/* The slot for this grant; NULL for a token too long to remember. */
static struct grant_memo *
grant_slot(struct request *rq, int64_t waba, enum perm perm)
{
	unsigned i;

	if (!memo_hash(rq->token,
	        mix64((uint64_t)waba ^ ((uint64_t)perm << 56)), &i))
		return NULL;
	return &memo(rq->emu)->grants[i];
}

static bool
grant_holds(const struct grant_memo *m, const struct request *rq, int64_t waba,
    enum perm perm, uint64_t version)
{
	return m != NULL && m->version == version && m->waba == waba &&
	    m->perm == (int)perm && strcmp(m->token, rq->token) == 0;
}

static struct token_memo *
token_slot(struct emu *emu, const char *token)
{
	unsigned i;

	if (!memo_hash(token, 14695981039346656037ULL, &i))
		return NULL;
	return &memo(emu)->tokens[i];
}

/* The token's remembered row facts, when the store has not changed. */
static struct token_memo *
token_known(struct request *rq)
{
	struct token_memo *m = token_slot(rq->emu, rq->token);

	if (m == NULL || m->version != store_version(rq->emu->store) ||
	    strcmp(m->token, rq->token) != 0)
		return NULL;
	return m;
}

int
auth_token_state(struct json_object *row, int64_t now, struct gerr *err)
{
	const char *state = row_str(row, "state");
	int64_t expires = (int64_t)json_object_get_int64(
	    json_object_object_get(row, "expires_at"));
	char a[64], b[64];

	if (state != NULL && strcmp(state, "session_key_invalid") == 0)
		return gerr_set(err, GE_SESSION_KEY, NULL);
	if (state != NULL && strcmp(state, "invalidated") == 0)
		return gerr_set(err, GE_TOKEN_INVALIDATED, NULL);
	if (state != NULL && strcmp(state, "logged_out") == 0)
		return gerr_set(err, GE_TOKEN_LOGGED_OUT, NULL);
	if ((state == NULL || strcmp(state, "expired") != 0) &&
	    (expires == 0 || now < expires))
		return 0;
	/* put in state "expired" by hand: it expired now */
	if (expires == 0 || expires > now)
		expires = now;
	timefmt_pacific(expires, a, sizeof(a));
	timefmt_pacific(now, b, sizeof(b));
	return gerr_set(err, GE_TOKEN_EXPIRED,
	    "Error validating access "
	    "token: Session has expired on %s. The current time is %s.",
	    a, b);
}

int
auth_token(struct request *rq)
{
	struct emu *emu = rq->emu;
	enum token_source src = TOKEN_NONE;
	const char *tok = token_string(rq, &src);
	struct json_object *row;
	struct token_memo *m;
	int64_t now;

	if (tok == NULL)
		return gerr_set(&rq->err, GE_NO_TOKEN, NULL);
	free(rq->token);
	rq->token = xstrdup(tok);
	rq->token_source = src;
	if (strchr(tok, '|') != NULL)
		return app_token(rq, tok);
	row = store_get_token(emu->store, tok);
	if (row == NULL)
		return gerr_set(&rq->err, GE_TOKEN, NULL);
	json_object_put(rq->token_row);
	rq->token_row = row;
	now = clock_now(&emu->clock);
	/* remembered only once usable: its expiry is still checked */
	if ((m = token_known(rq)) != NULL &&
	    (m->expires == 0 || now < m->expires)) {
		rq->token_user = m->user;
		rq->token_app = m->app;
		return 0;
	}
	if (auth_token_state(row, now, &rq->err) < 0)
		return -1;
	rq->token_user = row_id(row, "user");
	rq->token_app = row_id(row, "app");
	if ((m = token_slot(emu, tok)) != NULL) {
		struct json_object *app = store_get(emu->store, TBL_APPS,
		    rq->token_app);

		m->version = store_version(emu->store);
		m->user = rq->token_user;
		m->app = rq->token_app;
		m->expires = json_object_get_int64(
		    json_object_object_get(row, "expires_at"));
		m->proof_required = row_bool(app, "require_appsecret_proof");
		memcpy(m->token, tok, strlen(tok) + 1);
		json_object_put(app);
	}
	return 0;
}

int
auth_proof(struct request *rq)
{
	const char *proof = params_get(&rq->params, "appsecret_proof");
	const char *time = params_get(&rq->params, "appsecret_time");
	struct json_object *app;
	struct token_memo *m;
	int rc = 0;

	/* An app token carries its secret: there is nothing to prove. */
	if (rq->token == NULL || rq->token_row == NULL)
		return 0;
	if (proof == NULL && (m = token_known(rq)) != NULL &&
	    !m->proof_required)
		return 0;
	app = store_get(rq->emu->store, TBL_APPS, rq->token_app);
	if (app == NULL)
		return 0;
	if (proof != NULL) {
		if (!appsecret_proof_ok(row_str(app, "secret"), rq->token, time,
		        proof))
			rc = gerr_set(&rq->err, GE_PROOF, NULL);
	} else if (row_bool(app, "require_appsecret_proof")) {
		rc = gerr_set(&rq->err, GE_PROOF,
		    "API calls from the server require an appsecret_proof "
		    "argument");
	}
	json_object_put(app);
	return rc;
}

static bool
has_scope(struct json_object *token, const char *scope)
{
	struct json_object *scopes = json_object_object_get(token, "scopes");
	size_t i;

	for (i = 0; scopes && i < json_object_array_length(scopes); i++)
		if (strcmp(json_object_get_string(
		               json_object_array_get_idx(scopes, i)),
		        scope) == 0)
			return true;
	return false;
}

/*
 * The target_ids of the token's granular scope for SCOPE_WABA (borrowed
 * from the row), or NULL when that scope names no targets: a system
 * user's token lists its scopes without them and reaches every WABA its
 * user may.
 */
static struct json_object *
granular_targets(struct json_object *token)
{
	struct json_object *gs = json_object_object_get(token,
	    "granular_scopes");
	size_t i;

	for (i = 0; gs && i < json_object_array_length(gs); i++) {
		struct json_object *g = json_object_array_get_idx(gs, i);
		struct json_object *ids;
		const char *scope = row_str(g, "scope");

		if (scope != NULL && strcmp(scope, SCOPE_WABA) == 0 &&
		    json_object_object_get_ex(g, "target_ids", &ids) &&
		    json_object_is_type(ids, json_type_array))
			return ids;
	}
	return NULL;
}

/* False when the token's granular scope for SCOPE_WABA excludes waba. */
static bool
granular_allows(struct json_object *token, int64_t waba)
{
	struct json_object *ids = granular_targets(token);
	size_t k;

	if (ids == NULL)
		return true;
	for (k = 0; k < json_object_array_length(ids); k++)
		if (parse_id(json_object_get_string(
		        json_object_array_get_idx(ids, k))) == waba)
			return true;
	return false;
}

bool
auth_waba_targets(const struct request *rq, struct sbuf *ids)
{
	struct json_object *t = rq->token_row != NULL ?
	    granular_targets(rq->token_row) :
	    NULL;
	size_t k;

	if (t == NULL)
		return false;
	sbuf_addch(ids, '[');
	for (k = 0; k < json_object_array_length(t); k++) {
		int64_t id = parse_id(
		    json_object_get_string(json_object_array_get_idx(t, k)));

		if (id <= 0)
			continue;
		if (ids->len > 1)
			sbuf_addch(ids, ',');
		sbuf_addint(ids, (long long)id);
	}
	sbuf_addch(ids, ']');
	return true;
}

int64_t
auth_business(const struct request *rq)
{
	struct json_object *user;
	int64_t biz;

	if (rq->token_user == 0)
		return 0;
	user = store_get(rq->emu->store, TBL_USERS, rq->token_user);
	biz = row_id(user, "business");
	json_object_put(user);
	return biz;
}

static int
deny(struct request *rq)
{
	return gerr_set(&rq->err, GE_PERMISSION, NULL);
}

static int
restricted(struct request *rq, int64_t business)
{
	struct json_object *b = store_get(rq->emu->store, TBL_BUSINESSES,
	    business);
	bool r = row_bool(b, "restricted");

	json_object_put(b);
	return r ? gerr_set(&rq->err, GE_ABUSIVE, NULL) : 0;
}

static unsigned
perm_tasks(enum perm perm)
{
	switch (perm) {
	case PERM_WABA_PHONE:
		return TASK_BIT(MANAGE) | TASK_BIT(MANAGE_PHONE) |
		    TASK_BIT(MANAGE_PHONE_ASSETS);
	case PERM_WABA_USERS:
		return TASK_BIT(MANAGE) | TASK_BIT(MANAGE_USERS);
	case PERM_WABA_TEMPLATES:
		return TASK_BIT(MANAGE) | TASK_BIT(MANAGE_TEMPLATES);
	case PERM_WABA_MESSAGING:
		return TASK_BIT(MANAGE) | TASK_BIT(MESSAGING);
	default:
		return TASK_ALL;
	}
}

int
auth_check_waba(struct request *rq, int64_t waba_id, enum perm perm)
{
	struct store *st = rq->emu->store;
	struct json_object *user = NULL, *waba = NULL, *share = NULL,
	                   *asg = NULL;
	uint64_t version = store_version(st);
	struct grant_memo *m = grant_slot(rq, waba_id, perm);
	int64_t biz, owner;
	unsigned tasks = 0;
	bool related;
	int rc = 0;

	if (grant_holds(m, rq, waba_id, perm, version))
		return 0;
	waba = store_get(st, TBL_WABAS, waba_id);
	if (waba == NULL) {
		rc = gerr_no_object(&rq->err, rq->verb, rq->node_id);
		goto out;
	}
	if (rq->token_user == 0) {
		rc = deny(rq);
		goto out;
	}
	user = store_get(st, TBL_USERS, rq->token_user);
	biz = row_id(user, "business");
	owner = row_id(waba, "business");
	share = biz != owner ? store_share(st, waba_id, biz) : NULL;
	asg = store_assignment(st, waba_id, rq->token_user);
	related = biz == owner || share != NULL || asg != NULL;
	if (!related) {
		rc = gerr_no_object(&rq->err, rq->verb, rq->node_id);
		goto out;
	}
	if ((rc = restricted(rq, owner)) != 0)
		goto out;
	if (!has_scope(rq->token_row, SCOPE_WABA)) {
		rc = gerr_set(&rq->err, GE_PERMISSION,
		    "(#200) Requires whatsapp_business_management permission "
		    "to manage the object");
		goto out;
	}
	if (!granular_allows(rq->token_row, waba_id)) {
		rc = deny(rq);
		goto out;
	}
	if (row_str(user, "role") &&
	    strcmp(row_str(user, "role"), "ADMIN") == 0) {
		if (biz == owner)
			tasks = TASK_ALL;
		else if (share != NULL)
			tasks = task_bits(
			    json_object_object_get(share, "permitted_tasks"));
	}
	if (asg != NULL)
		tasks |= task_bits(json_object_object_get(asg, "tasks"));
	if ((tasks & perm_tasks(perm)) == 0)
		rc = deny(rq);
	if (rc == 0 && m != NULL) {
		m->version = version;
		m->waba = waba_id;
		m->perm = (int)perm;
		memcpy(m->token, rq->token, strlen(rq->token) + 1);
	}
out:
	json_object_put(user);
	json_object_put(waba);
	json_object_put(share);
	json_object_put(asg);
	return rc;
}

static int
check_business(struct request *rq, enum perm perm)
{
	struct json_object *user;
	int64_t biz;
	const char *role;
	int rc = 0;

	if (rq->token_user == 0)
		return deny(rq);
	user = store_get(rq->emu->store, TBL_USERS, rq->token_user);
	biz = row_id(user, "business");
	role = row_str(user, "role");
	if (biz != rq->node) {
		rc = gerr_no_object(&rq->err, rq->verb, rq->node_id);
	} else if ((rc = restricted(rq, biz)) != 0) {
		;
	} else if (!has_scope(rq->token_row, SCOPE_BUSINESS) &&
	    !has_scope(rq->token_row, SCOPE_WABA)) {
		rc = gerr_set(&rq->err, GE_PERMISSION,
		    "(#200) Requires business_management permission to manage "
		    "the object");
	} else if (perm == PERM_BUSINESS_ADMIN) {
		if (!has_scope(rq->token_row, SCOPE_WABA))
			rc = gerr_set(&rq->err, GE_PERMISSION,
			    "(#200) Requires whatsapp_business_management "
			    "permission to manage the object");
		else if (role == NULL || strcmp(role, "ADMIN") != 0)
			rc = deny(rq);
	}
	json_object_put(user);
	return rc;
}

static int
check_user(struct request *rq)
{
	struct json_object *me, *them;
	int rc = 0;

	if (rq->token_user == 0)
		return deny(rq);
	if (rq->token_user == rq->node)
		return 0;
	me = store_get(rq->emu->store, TBL_USERS, rq->token_user);
	them = store_get(rq->emu->store, TBL_USERS, rq->node);
	if (row_id(me, "business") != row_id(them, "business"))
		rc = gerr_no_object(&rq->err, rq->verb, rq->node_id);
	else if (row_str(me, "role") == NULL ||
	    strcmp(row_str(me, "role"), "ADMIN"))
		rc = deny(rq);
	json_object_put(me);
	json_object_put(them);
	return rc;
}

int
auth_check(struct request *rq, enum perm perm)
{
	struct json_object *row;
	enum store_table tbl;
	int64_t waba;

	switch (perm) {
	case PERM_NONE:
		return 0;
	case PERM_BUSINESS_READ:
	case PERM_BUSINESS_ADMIN:
		return check_business(rq, perm);
	case PERM_USER_READ:
		return check_user(rq);
	case PERM_USER_SELF:
		/* what a token was granted is on the token alone: another
		 * user's is not known here */
		if (check_user(rq) < 0)
			return -1;
		if (rq->node != rq->token_user)
			return gerr_set(&rq->err, GE_PERMISSION,
			    "(#200) Only "
			    "the token's own user's permissions can be read");
		return 0;
	case PERM_APP_SELF:
		/* Graph's word for a user token here; another app's token
		 * learns nothing about this app */
		if (rq->token_row != NULL)
			return gerr_set(&rq->err, GE_APP_ONLY, NULL);
		if (rq->token_app != rq->node)
			return gerr_no_object(&rq->err, rq->verb, rq->node_id);
		return 0;
	case PERM_APP_READ:
		/* the app and the tokens it issued; another app's token
		 * learns nothing about it */
		if (rq->token_app != rq->node)
			return gerr_no_object(&rq->err, rq->verb, rq->node_id);
		return 0;
	case PERM_WABA_READ:
	case PERM_WABA_PHONE:
	case PERM_WABA_USERS:
	case PERM_WABA_TEMPLATES:
	case PERM_WABA_MESSAGING:
		if (rq->node_type == NODE_WABA)
			return auth_check_waba(rq, rq->node, perm);
		/* any other node (a phone number, a template) answers to
		 * the WABA its row names; one with no "waba" to none */
		tbl = objects_table_of_node(rq->node_type);
		if (tbl == TBL__COUNT)
			return deny(rq);
		row = store_get(rq->emu->store, tbl, rq->node);
		waba = row_id(row, "waba");
		json_object_put(row);
		return auth_check_waba(rq, waba, perm);
	}
	return deny(rq);
}
