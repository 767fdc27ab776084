/*
 * control.c - the control plane (README).  Its own small route
 * table; its errors are plain {"error":{"message","field"}} bodies with
 * HTTP statuses 400/401/404/405/409, never Graph errors, so a test can
 * tell an emulator mistake from an emulated one.  Every change is one
 * transaction and bad input changes nothing.
 */
#include "control.h"

#include <json-c/json.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "emu.h"
#include "events.h"
#include "faults.h"
#include "fixtures.h"
#include "hostcheck.h"
#include "journal.h"
#include "metrics.h"
#include "params.h"
#include "phonelog.h"
#include "pjson.h"
#include "ratelimit.h"
#include "render.h"
#include "request.h"
#include "route.h"
#include "row.h"
#include "secret.h"
#include "store.h"
#include "util.h"
#include "messages/life.h"
#include "templates/life.h"
#include "webhooks/account.h"
#include "webhooks/deliver.h"
#include "webhooks/outbox.h"
#include "handlers/handlers.h"

/* The latest time the control plane accepts: 9999-12-31T23:59:59Z. */
#define TIME_MAX 253402300799LL

/* ---- helpers ------------------------------------------------------- */

struct ctl {
	struct request *rq;
	struct emu *emu;
	const char *sub; /* path after the route's prefix, e.g. a token */
	struct json_object *body; /* parsed JSON body, NULL when none */
	struct params query;
};

static void
reply(struct ctl *c, int status, struct json_object *obj)
{
	response_json(&c->rq->resp, status, obj);
	json_object_put(obj);
}

static int fail(struct ctl *c, int status, const char *field, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static int
fail(struct ctl *c, int status, const char *field, const char *fmt, ...)
{
	struct json_object *o = json_object_new_object(),
	                   *e = json_object_new_object();
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	json_object_object_add(e, "message", json_object_new_string(buf));
	if (field != NULL)
		json_object_object_add(e, "field",
		    json_object_new_string(field));
	json_object_object_add(o, "error", e);
	reply(c, status, o);
	return -1;
}

static int fail_key(struct ctl *c, const char *path, const char *key,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A 400 for the member key of the object at path ("$": the body), its
 * JSON path as the field. */
static int
fail_key(struct ctl *c, const char *path, const char *key, const char *fmt, ...)
{
	char *field = xasprintf("%s.%s", path, key), buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fail(c, 400, field, "%s", buf);
	free(field);
	return -1;
}

/*
 * -1 with a 400 when obj (at path) has a member not in keys (NULL-ended),
 * hint following the message.
 */
static int
known_keys(struct ctl *c, struct json_object *obj, const char *path,
    const char *const *keys, const char *hint)
{
	json_object_object_foreach(obj, key, val) {
		(void)val;
		if (!str_in(keys, key))
			return fail_key(c, path, key, "unknown key %s%s", key,
			    hint);
	}
	return 0;
}

/* A 500 for a store write that failed, with its cause (freed): -1. */
static int
fail_store(struct ctl *c, char *cause)
{
	fail(c, 500, NULL, "store write failed: %s", cause ? cause : "");
	free(cause);
	return -1;
}

static int
fail_fixture(struct ctl *c, struct fixture_error *fe)
{
	fail(c, fe->conflict ? 409 : 400, fe->path, "%s",
	    fe->message ? fe->message : "invalid fixture document");
	fixture_error_cleanup(fe);
	return -1;
}

/* The answer {key: v}; takes v. */
static struct json_object *
one_member(const char *key, struct json_object *v)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, key, v);
	return o;
}

static struct json_object *
ok_body(void)
{
	return one_member("success", json_object_new_boolean(1));
}

static int
need_body(struct ctl *c)
{
	if (c->body == NULL || !json_object_is_type(c->body, json_type_object))
		return fail(c, 400, "$", "expected a JSON object body");
	return 0;
}

/*
 * The member key of obj, in *v: false when absent or null, which the
 * get_*() readers below answer with 1.
 */
static bool
given(struct json_object *obj, const char *key, struct json_object **v)
{
	return json_object_object_get_ex(obj, key, v) &&
	    !json_object_is_type(*v, json_type_null);
}

/* An integer member: 0 when present and valid, 1 when absent, -1 when bad. */
static int
get_int(struct ctl *c, const char *key, int64_t *out)
{
	struct json_object *v;

	if (!given(c->body, key, &v))
		return 1;
	if (!json_object_is_type(v, json_type_int))
		return fail_key(c, "$", key, "%s must be an integer", key);
	*out = json_object_get_int64(v);
	return 0;
}

/* ---- handlers ------------------------------------------------------ */

/*
 * Unauthenticated (containers probe it), so it says only whether the
 * emulator serves: nothing about the store, its path or its contents.
 */
static int
ctl_health(struct ctl *c)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "status",
	    json_object_new_string(c->emu->ready ? "ok" : "starting"));
	json_object_object_add(o, "version",
	    json_object_new_string(WABA_EMU_VERSION));
	json_object_object_add(o, "uptime_seconds",
	    json_object_new_double(
	        (double)(clock_mono_us() - c->emu->boot_us) / 1e6));
	reply(c, c->emu->ready ? 200 : 503, o);
	return 0;
}

static int
ctl_reset(struct ctl *c)
{
	struct fixture_error fe = { NULL, NULL, false };
	struct json_object *boot;
	struct clock fresh;
	int rc;

	/* reset the clock only after the state: a failure changes nothing */
	clock_init(&fresh, &c->emu->clock.src);
	boot = pjson_parse_strict(c->emu->boot_state, c->emu->boot_state_len);
	rc = fixtures_replace(c->emu->store, boot, "boot state",
	    clock_now(&fresh), &fe);
	json_object_put(boot);
	if (rc < 0)
		return fail_fixture(c, &fe);
	c->emu->clock = fresh;
	outbox_clear(c->emu->outbox);
	ratelimit_reset(c->emu->rl);
	journal_clear(c->emu->journal);
	faults_clear(c->emu->faults);
	reply(c, 200, ok_body());
	return 0;
}

static int
ctl_state_get(struct ctl *c)
{
	struct json_object *doc = store_export(c->emu->store);

	/* never 200 with null: a client would take that for the state */
	if (doc == NULL)
		return fail(c, 500, NULL,
		    "the store could not be read: its "
		    "database file may be damaged (see --db)");
	reply(c, 200, doc);
	return 0;
}

static int
ctl_state_put(struct ctl *c)
{
	struct fixture_error fe = { NULL, NULL, false };

	if (need_body(c) < 0)
		return -1;
	if (fixtures_replace(c->emu->store, c->body, "request body",
	        clock_now(&c->emu->clock), &fe) < 0)
		return fail_fixture(c, &fe);
	/* its deliveries were for apps and WABAs that may be gone */
	outbox_clear(c->emu->outbox);
	reply(c, 200, ok_body());
	return 0;
}

static int
ctl_fixtures(struct ctl *c)
{
	struct fixture_error fe = { NULL, NULL, false };
	struct json_object *created = NULL;
	/* a new share is news to the apps of its WABA (PARTNER_ADDED) */
	const struct fixture_hook hook = { account_fixture_added,
		c->emu->outbox };

	if (need_body(c) < 0)
		return -1;
	if (fixtures_apply_hooked(c->emu->store, c->body, "request body", true,
	        clock_now(&c->emu->clock), &hook, &created, &fe) < 0)
		return fail_fixture(c, &fe);
	reply(c, 200, created ? created : json_object_new_object());
	return 0;
}

/* True when the body's key names an existing row of table t. */
static bool
ref_exists(struct ctl *c, const char *key, enum store_table t)
{
	struct json_object *v, *row;
	int64_t id;
	bool found;

	if (!json_object_object_get_ex(c->body, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return false;
	id = parse_id(json_object_get_string(v));
	row = id > 0 ? store_get(c->emu->store, t, id) : NULL;
	found = row != NULL;
	json_object_put(row);
	return found;
}

/*
 * The caller wrote one row, not a fixture document: "$.<table>[0]"
 * becomes "$" in the path and in the message.
 */
static void
token_error_paths(struct fixture_error *fe, const char *table)
{
	char *wrapped = xasprintf("$.%s[0]", table);
	size_t n = strlen(wrapped);
	char *at, *p;

	if (fe->path != NULL && strncmp(fe->path, wrapped, n) == 0) {
		p = xasprintf("$%s", fe->path + n);
		free(fe->path);
		fe->path = p;
	}
	if (fe->message != NULL &&
	    (at = strstr(fe->message, wrapped)) != NULL) {
		p = xasprintf("%.*s$%s", (int)(at - fe->message), fe->message,
		    at + n);
		free(fe->message);
		fe->message = p;
	}
	free(wrapped);
}

static int
ctl_token_mint(struct ctl *c)
{
	static const char *const keys[] = { "user", "app", "scopes",
		"granular_scopes", "expires_in", NULL };
	struct fixture_error fe = { NULL, NULL, false };
	struct json_object *tok, *v = NULL, *res;
	int64_t now = clock_now(&c->emu->clock), life = 0, expires, seq = 0;
	const char *const *k;
	char *token, *enc;
	unsigned char raw[24];
	uint64_t h;
	int i;

	if (need_body(c) < 0)
		return -1;
	if (known_keys(c, c->body, "$", keys, "") < 0)
		return -1;
	if (get_int(c, "expires_in", &life) < 0)
		return -1;
	if (life < 0)
		return fail(c, 400, "$.expires_in", "expires_in must be >= 0");
	if (life > TIME_MAX - clock_now(&c->emu->clock))
		return fail(c, 400, "$.expires_in",
		    "expires_in must end "
		    "before the end of year 9999");
	/*
	 * The token string costs an id from the store's counter, which no
	 * rollback gives back: take one only when the references hold, so
	 * the usual mistakes leave the ids handed out later unchanged.  The
	 * fixture loader still checks everything and words the error.
	 */
	if (ref_exists(c, "user", TBL_USERS) && ref_exists(c, "app", TBL_APPS))
		seq = store_new_id(c->emu->store);
	for (i = 0; i < 3; i++) {
		h = mix64(
		    (uint64_t)seq ^ ((uint64_t)i << 56) ^ c->emu->cfg->seed);
		memcpy(raw + 8 * i, &h, 8);
	}
	enc = b64url_encode(raw, sizeof(raw));
	token = xasprintf("EAA%s", enc);
	free(enc);
	expires = life > 0 ? now + life : 0;
	tok = json_object_new_object();
	json_object_object_add(tok, "token", json_object_new_string(token));
	for (k = keys; *k != NULL; k++)
		if (strcmp(*k, "expires_in") != 0 &&
		    json_object_object_get_ex(c->body, *k, &v))
			json_object_object_add(tok, *k, json_object_get(v));
	json_object_object_add(tok, "issued_at", json_object_new_int64(now));
	json_object_object_add(tok, "expires_at",
	    json_object_new_int64(expires));
	if (fixtures_apply_row(c->emu->store, "tokens", tok, "request body",
	        false, now, NULL, &fe) < 0) {
		token_error_paths(&fe, "tokens");
		free(token);
		return fail_fixture(c, &fe);
	}
	res = json_object_new_object();
	json_object_object_add(res, "access_token",
	    json_object_new_string(token));
	json_object_object_add(res, "expires_at",
	    json_object_new_int64(expires));
	free(token);
	reply(c, 200, res);
	return 0;
}

/* An Embedded Signup code lasts 10 minutes (Meta's Embedded Signup). */
#define OAUTH_CODE_LIFE 600

/*
 * POST /_emulator/oauth/codes: mints a single-use Embedded Signup code,
 * as Meta's dialog hands one to a tech provider's front end.
 */
static int
ctl_oauth_post(struct ctl *c)
{
	static const char *const keys[] = { "app", "user", "scopes",
		"granular_scopes", "redirect_uri", NULL };
	struct fixture_error fe = { NULL, NULL, false };
	struct json_object *row, *v, *res;
	int64_t now = clock_now(&c->emu->clock), seq = 0;
	const char *const *k;
	unsigned char raw[24];
	char *code, *enc;
	uint64_t h;
	int i;

	if (strcmp(c->sub, "codes") != 0)
		return fail(c, 404, NULL, "unknown path /_emulator/oauth/%s",
		    c->sub);
	if (need_body(c) < 0)
		return -1;
	if (known_keys(c, c->body, "$", keys, "") < 0)
		return -1;
	/* as for tokens: an id is drawn only when the references hold */
	if (ref_exists(c, "user", TBL_USERS) && ref_exists(c, "app", TBL_APPS))
		seq = store_new_id(c->emu->store);
	for (i = 0; i < 3; i++) {
		h = mix64((uint64_t)seq ^ ((uint64_t)i << 56) ^ 0x0a17c0de ^
		    c->emu->cfg->seed);
		memcpy(raw + 8 * i, &h, 8);
	}
	enc = b64url_encode(raw, sizeof(raw));
	code = xasprintf("AQ%s", enc);
	free(enc);
	row = json_object_new_object();
	json_object_object_add(row, "code", json_object_new_string(code));
	for (k = keys; *k != NULL; k++)
		if (json_object_object_get_ex(c->body, *k, &v))
			json_object_object_add(row, *k, json_object_get(v));
	json_object_object_add(row, "expires_at",
	    json_object_new_int64(now + OAUTH_CODE_LIFE));
	if (fixtures_apply_row(c->emu->store, "oauth_codes", row,
	        "request body", false, now, NULL, &fe) < 0) {
		token_error_paths(&fe, "oauth_codes");
		free(code);
		return fail_fixture(c, &fe);
	}
	res = json_object_new_object();
	json_object_object_add(res, "code", json_object_new_string(code));
	json_object_object_add(res, "expires_at",
	    json_object_new_int64(now + OAUTH_CODE_LIFE));
	free(code);
	reply(c, 200, res);
	return 0;
}

static int
ctl_token_state(struct ctl *c)
{
	const char *const *states = obj_member(&objects[TBL_TOKENS], "state")
	                                ->values;
	const char *const *s;
	struct json_object *row, *v;
	const char *state;
	char *cause = NULL, *all;
	struct store *st = c->emu->store;
	int rc;

	if (need_body(c) < 0)
		return -1;
	if (!json_object_object_get_ex(c->body, "state", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		all = obj_values_list(states);
		rc = fail(c, 400, "$.state", "state is required: one of %s",
		    all);
		free(all);
		return rc;
	}
	state = json_object_get_string(v);
	for (s = states; *s && strcmp(*s, state) != 0; s++)
		;
	if (*s == NULL) {
		all = obj_values_list(states);
		rc = fail(c, 400, "$.state",
		    "state must be one of %s; got "
		    "\"%s\"",
		    all, state);
		free(all);
		return rc;
	}
	if ((v = store_get_token(st, c->sub)) == NULL)
		return fail(c, 404, NULL, "no token %s", c->sub);
	/* store rows are shared and read-only: change a copy */
	row = row_copy(v);
	json_object_put(v);
	row_set_str(row, "state", state);
	if (store_update_alone(st, TBL_TOKENS, row, &cause) < 0) {
		json_object_put(row);
		return fail_store(c, cause);
	}
	json_object_put(row);
	reply(c, 200, ok_body());
	return 0;
}

static int
ctl_clock_get(struct ctl *c)
{
	reply(c, 200,
	    one_member("now",
	        json_object_new_int64(clock_now(&c->emu->clock))));
	return 0;
}

static int
ctl_clock_post(struct ctl *c)
{
	int64_t adv = 0, now = 0;
	int ra, rn;

	if (need_body(c) < 0)
		return -1;
	if ((ra = get_int(c, "advance_seconds", &adv)) < 0 ||
	    (rn = get_int(c, "now", &now)) < 0)
		return -1;
	if (ra == 1 && rn == 1)
		return fail(c, 400, "$", "expected advance_seconds or now");
	if (ra == 0 && rn == 0)
		return fail(c, 400, "$",
		    "give advance_seconds or now, not both");
	if (rn == 0 && (now < 0 || now > TIME_MAX))
		return fail(c, 400, "$.now",
		    "now must be a unix time from 0 "
		    "to %lld (the end of year 9999)",
		    (long long)TIME_MAX);
	if (ra == 0 &&
	    (adv < -TIME_MAX || adv > TIME_MAX ||
	        clock_now(&c->emu->clock) + adv < 0 ||
	        clock_now(&c->emu->clock) + adv > TIME_MAX))
		return fail(c, 400, "$.advance_seconds",
		    "advance_seconds must "
		    "keep the clock between 0 and %lld (the end of year 9999)",
		    (long long)TIME_MAX);
	if (ra == 0)
		clock_advance(&c->emu->clock, adv);
	else
		clock_set(&c->emu->clock, now);
	/* name reviews that came due are decided, their events queued */
	phone_life_settle(c->emu);
	/* template reviews and deletions that came due happen now too */
	templates_sweep(c->emu);
	/* and message statuses */
	messages_sweep(c->emu);
	/* retries that came due run now */
	deliver_wake(c->emu->deliver);
	return ctl_clock_get(c);
}

static int
ctl_faults_get(struct ctl *c)
{
	reply(c, 200, faults_list(c->emu->faults));
	return 0;
}

static int
ctl_faults_post(struct ctl *c)
{
	char *cause = NULL, *field = NULL;
	int64_t id;

	if (need_body(c) < 0)
		return -1;
	if (faults_add(c->emu->faults, c->body, &id, &cause, &field) < 0) {
		char *f = xasprintf("$.%s", field ? field : "");

		fail(c, 400, field ? f : "$", "%s", cause ? cause : "bad rule");
		free(f);
		free(cause);
		free(field);
		return -1;
	}
	reply(c, 200, one_member("id", json_object_new_int64(id)));
	return 0;
}

static int
ctl_faults_delete(struct ctl *c)
{
	if (c->sub == NULL || *c->sub == '\0') {
		faults_clear(c->emu->faults);
	} else if (!is_numeric_id(c->sub) ||
	    faults_delete(c->emu->faults, parse_id(c->sub)) < 0) {
		return fail(c, 404, NULL, "no fault rule %s", c->sub);
	}
	reply(c, 200, ok_body());
	return 0;
}

/*
 * The filter parameter that journal_query() refused: each one that takes
 * a number is tried alone.  Only on the error path.
 */
static const char *
journal_bad_filter(struct ctl *c)
{
	static const char *const numeric[] = { "status", "since", NULL };
	const char *const *name;
	struct params one;
	struct json_object *o;
	const char *v;
	char *cause;

	for (name = numeric; *name != NULL; name++) {
		if ((v = params_get(&c->query, *name)) == NULL)
			continue;
		memset(&one, 0, sizeof(one));
		params_set(&one, *name, v);
		cause = NULL;
		o = journal_query(c->emu->journal, &one, 1, &cause);
		params_cleanup(&one);
		free(cause);
		if (o == NULL)
			return *name;
		json_object_put(o);
	}
	return NULL;
}

static int
journal_reply(struct ctl *c, int count_only)
{
	char *cause = NULL;
	struct json_object *o = journal_query(c->emu->journal, &c->query,
	    count_only, &cause);

	if (o == NULL) {
		/* a query parameter, so the field is its name, not a $ path */
		fail(c, 400, journal_bad_filter(c), "%s",
		    cause ? cause : "bad filter");
		free(cause);
		return -1;
	}
	reply(c, 200, o);
	return 0;
}

static int
ctl_requests_get(struct ctl *c)
{
	if (c->sub != NULL && strcmp(c->sub, "count") == 0)
		return journal_reply(c, 1);
	if (c->sub != NULL && *c->sub != '\0')
		return fail(c, 404, NULL, "unknown control-plane path");
	/* ?count asks for the number, as the README's control plane allows */
	return journal_reply(c, params_get(&c->query, "count") != NULL);
}

static int
ctl_requests_delete(struct ctl *c)
{
	journal_clear(c->emu->journal);
	reply(c, 200, ok_body());
	return 0;
}

static int
ctl_metrics(struct ctl *c)
{
	response_text(&c->rq->resp, 200, "text/plain; version=0.0.4",
	    metrics_text(c->emu));
	return 0;
}

/* docs/control-plane.openapi.json, compiled in by tools/embed.py */
extern const char control_openapi_json[];
extern const unsigned long control_openapi_json_len;

static int
ctl_openapi(struct ctl *c)
{
	response_text(&c->rq->resp, 200, "application/json",
	    xstrndup(control_openapi_json, control_openapi_json_len));
	return 0;
}

/* ---- the dashboard -------------------------------------------------- */

/* ui/index.html, compiled in by tools/embed.py */
extern const char ui_index_html[];
extern const unsigned long ui_index_html_len;

/*
 * The page's Content-Security-Policy: its one inline script by hash, so
 * no other script runs (an inline handler slipped into the page
 * included), and no request leaves for another host.  Made once, under
 * emu->lock like every control-plane call.
 */
static const char *
ui_policy(void)
{
	static char policy[256];
	struct sha256_ctx h;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char b64[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE) + 1];
	const char *a, *b;

	if (policy[0] != '\0')
		return policy;
	a = strstr(ui_index_html, "<script>");
	b = a != NULL ? strstr(a, "</script>") : NULL;
	if (b == NULL) /* no script: nothing may run */
		a = b = ui_index_html;
	else
		a += strlen("<script>");
	sha256_init(&h);
	sha256_update(&h, (size_t)(b - a), (const uint8_t *)a);
	sha256_digest(&h, sizeof(digest), digest);
	base64_encode_raw(b64, sizeof(digest), digest);
	b64[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE)] = '\0';
	snprintf(policy, sizeof(policy),
	    "default-src 'none'; "
	    "script-src 'sha256-%s'; style-src 'unsafe-inline'; "
	    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
	    "form-action 'none'; frame-ancestors 'none'",
	    b64);
	return policy;
}

/* GET /_emulator/ui: the page, which loads without the admin token. */
static int
ctl_ui(struct ctl *c)
{
	response_text(&c->rq->resp, 200, "text/html; charset=utf-8",
	    xstrndup(ui_index_html, ui_index_html_len));
	response_header(&c->rq->resp, "Content-Security-Policy", ui_policy());
	response_header(&c->rq->resp, "X-Content-Type-Options", "nosniff");
	response_header(&c->rq->resp, "Referrer-Policy", "no-referrer");
	return 0;
}

/* GET /_emulator/events: http.c streams the answer (events.h). */
static int
ctl_events(struct ctl *c)
{
	if (events_watchers(c->emu->events) >= EVENTS_STREAMS_MAX)
		return fail(c, 503, NULL,
		    "%d event streams are open already: "
		    "close one first",
		    EVENTS_STREAMS_MAX);
	c->rq->resp.status = 200;
	c->rq->resp.stream = true;
	c->rq->resp.content_type = "text/event-stream";
	/* no proxy may hold the events back to gather them */
	response_header(&c->rq->resp, "X-Accel-Buffering", "no");
	return 0;
}

/* ---- webhooks (server/webhooks/) ------------------------------------ */

/* An id as clients write one; 0 when s is not one. */
static int64_t
hook_id(const char *s)
{
	int64_t v = s != NULL ? parse_id_exact(s) : -1;

	return v > 0 ? v : 0;
}

static int
ctl_webhooks_get(struct ctl *c)
{
	const char *field = params_get(&c->query, "field"),
	           *state = params_get(&c->query, "state"),
	           *waba = params_get(&c->query, "waba");

	if (field != NULL && !outbox_field_known(field))
		return fail(c, 400, "field", "unknown webhook field %s", field);
	if (state != NULL && strcmp(state, "pending") != 0 &&
	    strcmp(state, "delivered") != 0 && strcmp(state, "failed") != 0)
		return fail(c, 400, "state",
		    "state must be pending, delivered "
		    "or failed");
	if (waba != NULL && hook_id(waba) == 0)
		return fail(c, 400, "waba", "waba must be an id");
	reply(c, 200,
	    outbox_list(c->emu->outbox, field, state,
	        waba ? hook_id(waba) : 0));
	return 0;
}

/* A string member holding an id: 0 and *out, 1 when absent, -1 when bad. */
static int
get_id(struct ctl *c, const char *key, int64_t *out)
{
	struct json_object *v;

	if (!given(c->body, key, &v))
		return 1;
	if (!json_object_is_type(v, json_type_string) ||
	    (*out = hook_id(json_object_get_string(v))) == 0)
		return fail_key(c, "$", key,
		    "%s must be an id (a string of digits)", key);
	return 0;
}

/* POST /_emulator/webhooks/events: fire a management event. */
static int
webhooks_event(struct ctl *c)
{
	struct json_object *v, *value, *phone_row = NULL;
	int64_t waba = 0, phone = 0, id;
	const char *field;
	char *cause = NULL, buf[24];
	int r;

	if (need_body(c) < 0)
		return -1;
	if (!json_object_object_get_ex(c->body, "field", &v) ||
	    !json_object_is_type(v, json_type_string))
		return fail(c, 400, "$.field", "field must be a string");
	field = json_object_get_string(v);
	if (!outbox_field_known(field))
		return fail(c, 400, "$.field", "unknown webhook field %s",
		    field);
	if ((r = get_id(c, "waba", &waba)) < 0)
		return -1;
	if (r == 1)
		return fail(c, 400, "$.waba", "waba is required");
	if (store_node_type(c->emu->store, waba) != NODE_WABA)
		return fail(c, 404, "$.waba", "no WABA %lld", (long long)waba);
	if ((r = get_id(c, "phone_number", &phone)) < 0)
		return -1;
	if (r == 0) {
		struct json_object *w = NULL;

		phone_row = store_get(c->emu->store, TBL_PHONE_NUMBERS, phone);
		if (phone_row == NULL ||
		    !json_object_object_get_ex(phone_row, "waba", &w) ||
		    hook_id(json_object_get_string(w)) != waba) {
			json_object_put(phone_row);
			return fail(c, 404, "$.phone_number",
			    "no phone number "
			    "%lld on WABA %lld",
			    (long long)phone, (long long)waba);
		}
		json_object_put(phone_row);
	}
	if (!json_object_object_get_ex(c->body, "value", &value) ||
	    !json_object_is_type(value, json_type_object))
		return fail(c, 400, "$.value", "value must be a JSON object");
	if (store_begin(c->emu->store) < 0)
		return fail(c, 500, NULL, "the store is busy");
	if (outbox_append(c->emu->outbox, field, waba, phone, value,
	        clock_now(&c->emu->clock), &id, &cause) < 0 ||
	    store_commit(c->emu->store) < 0) {
		store_rollback(c->emu->store);
		fail(c, 500, NULL, "%s", cause ? cause : "commit failed");
		free(cause);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%lld", (long long)id);
	reply(c, 200, one_member("event_id", json_object_new_string(buf)));
	return 0;
}

/* POST /_emulator/webhooks/events and /_emulator/webhooks/{id}/redeliver */
static int
ctl_webhooks_post(struct ctl *c)
{
	const char *slash = strchr(c->sub, '/');
	char *id;
	int64_t n;

	if (strcmp(c->sub, "events") == 0)
		return webhooks_event(c);
	if (slash == NULL || strcmp(slash, "/redeliver") != 0)
		return fail(c, 404, NULL, "unknown path /_emulator/webhooks/%s",
		    c->sub);
	id = xstrndup(c->sub, (size_t)(slash - c->sub));
	n = hook_id(id);
	free(id);
	if (n == 0 ||
	    outbox_redeliver(c->emu->outbox, n, clock_now(&c->emu->clock)) < 0)
		return fail(c, 404, NULL, "no delivery %.*s",
		    (int)(slash - c->sub), c->sub);
	reply(c, 200, ok_body());
	return 0;
}

/* ---- phone numbers ------------------------------------------------- */

/* Meta's daily conversation limits of each tier (-1: unlimited). */
static long
tier_conversations(const char *tier)
{
	static const struct {
		const char *tier;
		long n;
	} t[] = { { "TIER_50", 50 }, { "TIER_250", 250 }, { "TIER_1K", 1000 },
		{ "TIER_2K", 2000 }, { "TIER_10K", 10000 },
		{ "TIER_100K", 100000 }, { "TIER_UNLIMITED", -1 } };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].tier, tier) == 0)
			return t[i].n;
	return 250;
}

static int
tier_rank(const char *tier)
{
	int i;

	for (i = 0; messaging_tiers[i] != NULL; i++)
		if (strcmp(messaging_tiers[i], tier) == 0)
			return i;
	return 1; /* unset reads TIER_250 */
}

/* An enum member of the body: 0 and *out, 1 when absent or null, -1
 * when bad. */
static int
get_enum(struct ctl *c, const char *key, const char *const *values,
    const char **out)
{
	struct json_object *v;

	if (!given(c->body, key, &v))
		return 1;
	if (!json_object_is_type(v, json_type_string) ||
	    !str_in(values, json_object_get_string(v))) {
		char *list = obj_values_list(values);

		fail_key(c, "$", key, "%s must be one of %s", key, list);
		free(list);
		return -1;
	}
	*out = json_object_get_string(v);
	return 0;
}

/*
 * The event Meta sends for the change: the limit moving up or down, else
 * the quality rating turning low (FLAGGED) or back (UNFLAGGED).
 */
static const char *
quality_event(const char *old_q, const char *q, int old_t, int t)
{
	if (t > old_t)
		return "UPGRADE";
	if (t < old_t)
		return "DOWNGRADE";
	if (strcmp(q, "RED") == 0 || strcmp(q, "YELLOW") == 0)
		return strcmp(old_q, "RED") == 0 && strcmp(q, "YELLOW") == 0 ?
		    "UNFLAGGED" :
		    "FLAGGED";
	return "UNFLAGGED";
}

/* POST /_emulator/phone_numbers/{id}: quality rating, messaging limit. */
static int
phone_set(struct ctl *c, int64_t id)
{
	static const char *const keys[] = { "quality_rating", "messaging_limit",
		NULL };
	const struct obj_member *qm = obj_member(&objects[TBL_PHONE_NUMBERS],
	    "quality_rating");
	struct store *st = c->emu->store;
	struct json_object *row, *copy = NULL, *value, *out;
	const char *q = NULL, *tier = NULL, *old_q, *old_tier;
	char *cause = NULL, *number;
	int64_t ev;

	if (need_body(c) < 0)
		return -1;
	if (known_keys(c, c->body, "$", keys,
	        " (quality_rating, messaging_limit)") < 0)
		return -1;
	if (get_enum(c, "quality_rating", qm->values, &q) < 0 ||
	    get_enum(c, "messaging_limit", messaging_tiers, &tier) < 0)
		return -1;
	row = store_get(st, TBL_PHONE_NUMBERS, id);
	json_object_deep_copy(row, &copy, NULL);
	json_object_put(row);
	old_q = row_str(copy, "quality_rating");
	old_tier = row_str(copy, "messaging_limit_tier");
	old_tier = old_tier ? old_tier : "TIER_250";
	if (q == NULL)
		q = old_q;
	if (tier == NULL)
		tier = old_tier;
	number = xasprintf("%s%s", row_str(copy, "cc"),
	    row_str(copy, "phone_number"));
	value = json_object_new_object();
	json_object_object_add(value, "display_phone_number",
	    json_object_new_string(number));
	json_object_object_add(value, "event",
	    json_object_new_string(
	        quality_event(old_q, q, tier_rank(old_tier), tier_rank(tier))));
	json_object_object_add(value, "old_limit",
	    json_object_new_string(old_tier));
	json_object_object_add(value, "current_limit",
	    json_object_new_string(tier));
	json_object_object_add(value, "max_daily_conversations_per_business",
	    json_object_new_int64(tier_conversations(tier)));
	free(number);
	/* the strings point into copy: take them before replacing them */
	if (strcmp(q, old_q) != 0 || strcmp(tier, old_tier) != 0) {
		char *qs = xstrdup(q), *ts = xstrdup(tier);

		json_object_object_add(copy, "quality_rating",
		    json_object_new_string(qs));
		json_object_object_add(copy, "messaging_limit_tier",
		    json_object_new_string(ts));
		free(qs);
		free(ts);
		if (store_begin(st) < 0 ||
		    store_update(st, TBL_PHONE_NUMBERS, copy, &cause) < 0 ||
		    outbox_append(c->emu->outbox, "phone_number_quality_update",
		        row_id(copy, "waba"), id, value,
		        clock_now(&c->emu->clock), &ev, &cause) < 0 ||
		    store_commit(st) < 0) {
			store_rollback(st);
			fail_store(c, cause);
			json_object_put(value);
			json_object_put(copy);
			return -1;
		}
	}
	json_object_put(value);
	json_object_put(copy);
	row = store_get(st, TBL_PHONE_NUMBERS, id);
	out = render_node(c->rq, NODE_PHONE, row, NULL, NULL);
	json_object_put(row);
	if (out == NULL)
		return fail(c, 500, NULL, "the number could not be rendered");
	reply(c, 200, out);
	return 0;
}

/*
 * GET /_emulator/phone_numbers/{id}/codes: the codes "sent"; POST
 * /_emulator/phone_numbers/{id}: phone_set().  Each method's path answers
 * 405 to the other.
 */
static int
ctl_phone(struct ctl *c)
{
	bool get = strcmp(c->rq->method, "GET") == 0;
	const char *slash = strchr(c->sub, '/');
	const char *rest = slash ? slash + 1 : NULL;
	bool at_codes = rest != NULL && strcmp(rest, "codes") == 0;
	int64_t id;
	char *s;

	if (rest != NULL && !at_codes)
		return fail(c, 404, NULL,
		    "unknown path /_emulator/phone_numbers/%s", c->sub);
	if (at_codes != get)
		return fail(c, 405, NULL,
		    "method %s not allowed on /_emulator/phone_numbers/%s",
		    c->rq->method, c->sub);
	s = xstrndup(c->sub, slash ? (size_t)(slash - c->sub) : strlen(c->sub));
	id = hook_id(s);
	free(s);
	if (id == 0 || store_node_type(c->emu->store, id) != NODE_PHONE)
		return fail(c, 404, NULL, "no phone number %s", c->sub);
	if (!get)
		return phone_set(c, id);
	reply(c, 200, phonelog_codes(c->emu->store, id));
	return 0;
}

/* ---- templates ----------------------------------------------------- */

/*
 * POST /_emulator/templates/{id}: sets status, reason, quality score or
 * category as Meta's review would, with the same events.  The answer is
 * the template as GET /{template-id} shows it.
 */
static int
ctl_template_post(struct ctl *c)
{
	static const char *const keys[] = { "status", "reason", "quality_score",
		"category", NULL };
	const char *status = NULL, *reason = NULL, *quality = NULL,
	           *category = NULL;
	struct store *st = c->emu->store;
	struct json_object *old, *row = NULL, *node;
	int64_t id = hook_id(c->sub), now = clock_now(&c->emu->clock);
	char *cause = NULL;

	if (need_body(c) < 0)
		return -1;
	if (known_keys(c, c->body, "$", keys, "") < 0)
		return -1;
	if (get_enum(c, "status", template_statuses, &status) < 0 ||
	    get_enum(c, "reason", template_reasons, &reason) < 0 ||
	    get_enum(c, "quality_score",
	        obj_member(&objects[TBL_TEMPLATES], "quality_score")->values,
	        &quality) < 0 ||
	    get_enum(c, "category", template_categories, &category) < 0)
		return -1;
	if (!status && !reason && !quality && !category)
		return fail(c, 400, "$",
		    "give status, reason, quality_score "
		    "or category");
	old = id > 0 ? store_get(st, TBL_TEMPLATES, id) : NULL;
	if (old == NULL)
		return fail(c, 404, NULL, "no template %s", c->sub);
	row = row_copy(old);
	if (status != NULL) {
		json_object_object_add(row, "status",
		    json_object_new_string(status));
		/* PENDING is reviewed again; PENDING_DELETION holds its name */
		if (strcmp(status, "PENDING") == 0)
			json_object_object_add(row, "due_at",
			    json_object_new_int64(
			        now + c->emu->cfg->template_review));
		else if (strcmp(status, "PENDING_DELETION") == 0)
			json_object_object_add(row, "due_at",
			    json_object_new_int64(now + TEMPLATE_HOLD_SECONDS));
		else
			json_object_object_add(row, "due_at", NULL);
		if (reason == NULL)
			reason = strcmp(status, "REJECTED") == 0 ?
			    "INVALID_FORMAT" :
			    "NONE";
	}
	if (reason != NULL)
		row_set_str(row, "rejected_reason", reason);
	if (quality != NULL)
		row_set_str(row, "quality_score", quality);
	if (category != NULL)
		row_set_str(row, "category", category);
	if (store_begin(st) < 0 || template_put(c->emu, old, row, &cause) < 0 ||
	    store_commit(st) < 0) {
		store_rollback(st);
		json_object_put(old);
		json_object_put(row);
		return fail_store(c, cause);
	}
	json_object_put(old);
	node = render_node(c->rq, NODE_TEMPLATE, row, NULL, NULL);
	json_object_put(row);
	reply(c, 200, node ? node : json_object_new_object());
	return 0;
}

/* ---- dispatch ------------------------------------------------------ */

/*
 * Bodies are fixture documents or small objects: read them as strictly as
 * fixture files (no trailing commas, single quotes or comments; UTF-8),
 * and say where the text went wrong.
 */
static int
parse_body(struct ctl *c)
{
	char *why;

	c->body = pjson_parse_doc(c->rq->body, c->rq->body_len, &why);
	if (c->body != NULL)
		return 0;
	fail(c, 400, "$", "invalid JSON body at %s", why);
	free(why);
	return -1;
}

/* ---- messages ------------------------------------------------------ */

/* A string member of obj: 0 and *out, 1 when absent or null, -1 when bad
 * (not a string, or empty). */
static int
get_text(struct ctl *c, struct json_object *obj, const char *path,
    const char *key, const char **out)
{
	struct json_object *v;

	if (!given(obj, key, &v))
		return 1;
	if (!json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) == 0)
		return fail_key(c, path, key, "%s must be a non-empty string",
		    key);
	*out = json_object_get_string(v);
	return 0;
}

static bool
all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n >= min && n <= max;
}

/*
 * POST /_emulator/inbound: a customer writes to a number.  The message's
 * `messages` event is queued and the 24-hour window opens.
 */
static int
ctl_inbound(struct ctl *c)
{
	static const char *const keys[] = { "phone_number_id", "from", "text",
		"name", NULL };
	const char *pid = NULL, *from = NULL, *text = NULL, *name = NULL;
	struct json_object *phone, *o;
	char *id = NULL, *cause = NULL;
	int64_t pn;
	size_t n = 0;
	const char *p;

	if (need_body(c) < 0 || known_keys(c, c->body, "$", keys, "") < 0)
		return -1;
	if (get_text(c, c->body, "$", "phone_number_id", &pid) < 0 ||
	    get_text(c, c->body, "$", "from", &from) < 0 ||
	    get_text(c, c->body, "$", "text", &text) < 0 ||
	    get_text(c, c->body, "$", "name", &name) < 0)
		return -1;
	if (pid == NULL || from == NULL || text == NULL)
		return fail(c, 400,
		    pid == NULL      ? "$.phone_number_id" :
		        from == NULL ? "$.from" :
		                       "$.text",
		    "phone_number_id, from and text are required");
	if (!all_digits(from, 7, 15))
		return fail(c, 400, "$.from",
		    "from must be the customer's "
		    "number: 7 to 15 digits, no '+'");
	for (p = text; *p != '\0'; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			n++;
	if (n > 4096)
		return fail(c, 400, "$.text",
		    "text has %zu characters; the "
		    "limit is 4096",
		    n);
	pn = hook_id(pid);
	phone = pn > 0 ? store_get(c->emu->store, TBL_PHONE_NUMBERS, pn) : NULL;
	json_object_put(phone);
	if (phone == NULL)
		return fail(c, 404, "$.phone_number_id", "no phone number %s",
		    pid);
	if (message_inbound(c->emu, pn, from, name, text, &id, &cause) < 0)
		return fail_store(c, cause);
	o = one_member("message_id", json_object_new_string(id));
	free(id);
	reply(c, 200, o);
	return 0;
}

/*
 * POST /_emulator/messages/{wamid}: fails a message the number sent,
 * with {"error":{"code", "title"?, "details"?}}: a `failed` status with
 * errors[] follows, and no other status after it.
 */
static int
ctl_message_post(struct ctl *c)
{
	static const char *const keys[] = { "error", NULL };
	static const char *const ekeys[] = { "code", "title", "details", NULL };
	struct json_object *e, *v, *o;
	const char *title = NULL, *details = NULL;
	char *cause = NULL;
	int64_t code;
	int rc;

	if (need_body(c) < 0 || known_keys(c, c->body, "$", keys, "") < 0)
		return -1;
	if (!json_object_object_get_ex(c->body, "error", &e) ||
	    !json_object_is_type(e, json_type_object))
		return fail(c, 400, "$.error",
		    "error must be an object with "
		    "a code");
	if (known_keys(c, e, "$.error", ekeys, "") < 0 ||
	    get_text(c, e, "$.error", "title", &title) < 0 ||
	    get_text(c, e, "$.error", "details", &details) < 0)
		return -1;
	if (!json_object_object_get_ex(e, "code", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    (code = json_object_get_int64(v)) < 1 || code > 99999999)
		return fail(c, 400, "$.error.code",
		    "code must be an integer "
		    "from 1 to 99999999, e.g. 131026");
	rc = message_fail(c->emu, c->sub, (int)code, title, details, &cause);
	if (rc == 1)
		return fail(c, 404, NULL,
		    "no message %s sent by a number of "
		    "the emulator",
		    c->sub);
	if (rc == 2)
		return fail(c, 409, NULL, "message %s has failed already",
		    c->sub);
	if (rc < 0)
		return fail_store(c, cause);
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(c->sub));
	json_object_object_add(o, "status", json_object_new_string("failed"));
	reply(c, 200, o);
	return 0;
}

/* method   path (after /_emulator/)   takes a sub-path   handler */
static const struct {
	const char *method;
	const char *path;
	bool sub;
	int (*fn)(struct ctl *);
} ctl_routes[] = {
	{ "GET", "health", false, ctl_health },
	{ "POST", "reset", false, ctl_reset },
	{ "GET", "state", false, ctl_state_get },
	{ "PUT", "state", false, ctl_state_put },
	{ "POST", "fixtures", false, ctl_fixtures },
	{ "POST", "tokens", false, ctl_token_mint },
	{ "POST", "tokens", true, ctl_token_state },
	{ "POST", "oauth", true, ctl_oauth_post },
	{ "GET", "clock", false, ctl_clock_get },
	{ "POST", "clock", false, ctl_clock_post },
	{ "GET", "faults", false, ctl_faults_get },
	{ "POST", "faults", false, ctl_faults_post },
	{ "DELETE", "faults", false, ctl_faults_delete },
	{ "DELETE", "faults", true, ctl_faults_delete },
	{ "GET", "requests", false, ctl_requests_get },
	{ "GET", "requests", true, ctl_requests_get },
	{ "DELETE", "requests", false, ctl_requests_delete },
	{ "GET", "metrics", false, ctl_metrics },
	{ "GET", "webhooks", false, ctl_webhooks_get },
	{ "POST", "webhooks", true, ctl_webhooks_post },
	{ "GET", "openapi.json", false, ctl_openapi },
	{ "GET", "phone_numbers", true, ctl_phone },
	{ "POST", "phone_numbers", true, ctl_phone },
	{ "POST", "templates", true, ctl_template_post },
	{ "GET", "ui", false, ctl_ui },
	{ "GET", "events", false, ctl_events },
	{ "POST", "inbound", false, ctl_inbound },
	{ "POST", "messages", true, ctl_message_post },
};

/* A change went through: a dashboard watching reloads the state. */
static void
state_changed(struct ctl *c, const char *name)
{
	struct json_object *e;
	char *cause;

	if (!events_watched(c->emu->events))
		return;
	e = json_object_new_object();
	cause = xasprintf("%s /_emulator/%s", c->rq->method, name);
	json_object_object_add(e, "cause", json_object_new_string(cause));
	free(cause);
	events_publish_json(c->emu->events, "state", e);
}

static bool
admin_ok(struct request *rq)
{
	const char *want = rq->emu->cfg->admin_token;
	const char *h = rq->authorization;

	if (want == NULL)
		return true;
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return false;
	/* a guess must not learn from the time how much of it was right */
	return secret_equal(h + 7, want);
}

void
control_handle(struct request *rq)
{
	struct ctl c;
	char *path, *q, *name, *slash, *sub = NULL;
	bool seen = false;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.rq = rq;
	c.emu = rq->emu;
	path = xstrdup(rq->target + strlen("/_emulator"));
	q = strchr(path, '?');
	if (q != NULL) {
		*q++ = '\0';
		params_parse_urlencoded(&c.query, q, strlen(q));
	}
	name = path;
	while (*name == '/')
		name++;
	slash = strchr(name, '/');
	if (slash != NULL) {
		*slash = '\0';
		/* a client may escape a token in the path, as it should */
		sub = url_decode(slash + 1, strlen(slash + 1), false);
		c.sub = sub;
	}
	response_header(&rq->resp, "Cache-Control", "no-store");
	/* before anything else, health included: a page must learn nothing */
	if (!hostcheck_host(rq->emu->cfg, rq->host)) {
		fail(&c, 403, NULL,
		    "Host %s is not a loopback name: the "
		    "emulator listens on loopback (allow it with --allow-host)",
		    rq->host);
		goto out;
	}
	if (!hostcheck_same_origin(rq)) {
		fail(&c, 403, NULL,
		    "the control plane refuses requests that a "
		    "browser sends from another site (Origin %s, "
		    "Sec-Fetch-Site %s)",
		    rq->origin ? rq->origin : "none",
		    rq->fetch_site ? rq->fetch_site : "none");
		goto out;
	}
	/* health stays so containers can be health-checked without it */
	if (rq->emu->cfg->no_control_plane && strcmp(name, "health") != 0) {
		fail(&c, 404, NULL, "unknown path /_emulator/%s", name);
		goto out;
	}
	/* and the dashboard's page, which asks for the token itself */
	if (strcmp(name, "health") != 0 && strcmp(name, "ui") != 0 &&
	    !admin_ok(rq)) {
		response_header(&rq->resp, "WWW-Authenticate",
		    "Bearer realm=\"waba-emulator\"");
		fail(&c, 401, NULL,
		    "the control plane needs "
		    "Authorization: Bearer <admin token>");
		goto out;
	}
	/* http.c drops an oversized body, so ask before looking for one */
	if (rq->body_too_large) {
		fail(&c, 413, "$", "request body is too large (--max-body)");
		goto out;
	}
	if (rq->body != NULL && rq->body_len > 0 && parse_body(&c) < 0)
		goto out;
	for (i = 0; i < sizeof(ctl_routes) / sizeof(ctl_routes[0]); i++) {
		bool has_sub = c.sub != NULL && *c.sub != '\0';

		if (strcmp(ctl_routes[i].path, name) != 0)
			continue;
		if (ctl_routes[i].sub != has_sub)
			continue;
		seen = true;
		if (strcmp(ctl_routes[i].method, rq->method) == 0) {
			if (ctl_routes[i].fn(&c) == 0 &&
			    strcmp(rq->method, "GET") != 0)
				state_changed(&c, name);
			goto out;
		}
	}
	if (seen)
		fail(&c, 405, NULL, "method %s not allowed on /_emulator/%s",
		    rq->method, name);
	else
		fail(&c, 404, NULL, "unknown path /_emulator/%s%s%s", name,
		    c.sub ? "/" : "", c.sub ? c.sub : "");
out:
	json_object_put(c.body);
	params_cleanup(&c.query);
	free(sub);
	free(path);
}
