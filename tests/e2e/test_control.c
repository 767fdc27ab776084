/*
 * test_control.c - the control plane (README): every route with
 * its documented body, the admin token, --no-control-plane, and that a
 * rejected control request changes nothing.
 *
 * Time only moves through POST /_emulator/clock; nothing here sleeps or
 * measures time.
 */
#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <nettle/base16.h>
#include <nettle/sha1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "../suite.h"

#define WABA_PATH(waba, tok) "/v24.0/" waba "?access_token=" tok

/* ---- helpers ------------------------------------------------------- */

/* A control-plane request with a JSON body (or none). */
static int
ctl_req(const struct server *s, const char *method, const char *path,
    const char *body, struct http_resp *r)
{
	return http_req(s, method, path, body, body ? "application/json" : NULL,
	    NULL, r);
}

/* Status of a control-plane request; the body is dropped. */
static long
ctl_status(const struct server *s, const char *method, const char *path,
    const char *body)
{
	struct http_resp r;
	long st;

	ck_assert_int_eq(ctl_req(s, method, path, body, &r), 0);
	st = r.status;
	http_resp_free(&r);
	return st;
}

/* A request that must answer 200; the parsed body (caller puts). */
static struct json_object *
ctl_ok(const struct server *s, const char *method, const char *path,
    const char *body)
{
	return ctl(s, method, path, body, 200);
}

/* A control error: status, {"error":{"message",...}}, field when given. */
static void
assert_ctl_error(const struct http_resp *r, long status, const char *field)
{
	struct json_object *e = jget(r->json, "error");

	ck_assert_msg(r->status == status, "%ld, want %ld: %s", r->status,
	    status, r->body);
	ck_assert_msg(e != NULL && json_object_is_type(e, json_type_object),
	    "no error object: %s", r->body);
	ck_assert(jstr(r->json, "error.message")[0] != '\0');
	/* never a Graph error: no code, no fbtrace_id */
	ck_assert_ptr_null(jget(r->json, "error.code"));
	ck_assert_ptr_null(jget(r->json, "error.fbtrace_id"));
	if (field != NULL)
		ck_assert_str_eq(jstr(r->json, "error.field"), field);
}

static void
ctl_fails(const struct server *s, const char *method, const char *path,
    const char *body, long status, const char *field)
{
	struct http_resp r;

	ck_assert_int_eq(ctl_req(s, method, path, body, &r), 0);
	assert_ctl_error(&r, status, field);
	http_resp_free(&r);
}

static long
graph_status(const struct server *s, const char *path)
{
	struct http_resp r;
	long st;

	ck_assert_int_eq(http_get(s, path, &r), 0);
	st = r.status;
	http_resp_free(&r);
	return st;
}

/* A Graph GET's error code and subcode (0 when none). */
static void
graph_error(const struct server *s, const char *path, long status,
    long long code, long long subcode)
{
	struct http_resp r;

	ck_assert_int_eq(http_get(s, path, &r), 0);
	ck_assert_msg(r.status == status, "%s: %ld, want %ld: %s", path,
	    r.status, status, r.body);
	ck_assert_int_eq(jint(r.json, "error.code"), code);
	ck_assert_int_eq(jget(r.json, "error.error_subcode") ?
	        jint(r.json, "error.error_subcode") :
	        0,
	    subcode);
	http_resp_free(&r);
}

static struct json_object *
state_export(const struct server *s)
{
	return ctl_ok(s, "GET", "/_emulator/state", NULL);
}

static long long
clock_now(const struct server *s)
{
	struct json_object *o = ctl_ok(s, "GET", "/_emulator/clock", NULL);
	long long now = jint(o, "now");

	json_object_put(o);
	return now;
}

static long long
journal_count(const struct server *s, const char *query)
{
	char path[512];
	struct json_object *o;
	long long n;

	snprintf(path, sizeof(path), "/_emulator/requests/count%s", query);
	o = ctl_ok(s, "GET", path, NULL);
	n = jint(o, "count");
	json_object_put(o);
	return n;
}

/* Everything a control request could change, to compare before/after. */
struct snapshot {
	struct json_object *state;
	struct json_object *faults;
	long long now;
	long long journal;
};

static void
snapshot_take(const struct server *s, struct snapshot *sn)
{
	sn->state = state_export(s);
	sn->faults = ctl_ok(s, "GET", "/_emulator/faults", NULL);
	sn->now = clock_now(s);
	sn->journal = journal_count(s, "");
}

/* The clock runs, so "unchanged" means within a minute of the snapshot. */
static void
snapshot_same(const struct server *s, struct snapshot *sn)
{
	struct snapshot now;

	snapshot_take(s, &now);
	ck_assert(json_object_equal(sn->state, now.state));
	ck_assert(json_object_equal(sn->faults, now.faults));
	ck_assert(now.now >= sn->now && now.now <= sn->now + 60);
	ck_assert_int_eq(now.journal, sn->journal);
	json_object_put(now.state);
	json_object_put(now.faults);
	json_object_put(sn->state);
	json_object_put(sn->faults);
}

/* Mints a token from a JSON body; returns it (caller frees). */
static char *
mint(const struct server *s, const char *body, long long *expires_at)
{
	struct json_object *o = ctl_ok(s, "POST", "/_emulator/tokens", body);
	char *tok = strdup(jstr(o, "access_token"));

	ck_assert(tok[0] != '\0');
	ck_assert(json_object_is_type(jget(o, "expires_at"), json_type_int));
	if (expires_at != NULL)
		*expires_at = jint(o, "expires_at");
	json_object_put(o);
	return tok;
}

/* ---- health, reset, state ------------------------------------------ */

START_TEST(test_health)
{
	char db[64];
	const char *args[] = { "--db", db, NULL };
	struct server s;
	struct http_resp r;
	size_t n = 0;

	snprintf(db, sizeof(db), "/tmp/waba-health-%d.db", (int)getpid());
	unlink(db);
	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(ctl_req(&s, "GET", "/_emulator/health", NULL, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "status"), "ok");
	ck_assert(strncmp(http_header(&r, "content-type"), "application/json",
	              16) == 0);
	/* open to anyone: whether it serves, and nothing of the store (the
	 * file's name: JSON may escape the slashes of its path) */
	ck_assert(strstr(r.body, strrchr(db, '/') + 1) == NULL);
	ck_assert(
	    json_object_is_type(jget(r.json, "version"), json_type_string));
	ck_assert(json_object_is_type(jget(r.json, "uptime_seconds"),
	    json_type_double));
	json_object_object_foreach(r.json, key, val) {
		(void)val;
		ck_assert_msg(strcmp(key, "status") == 0 ||
		        strcmp(key, "version") == 0 ||
		        strcmp(key, "uptime_seconds") == 0,
		    "health tells %s: %s", key, r.body);
		n++;
	}
	ck_assert_uint_eq(n, 3);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
	unlink(db);
	strcat(db, "-wal");
	unlink(db);
	db[strlen(db) - 4] = '\0';
	strcat(db, "-shm");
	unlink(db);
}
END_TEST

START_TEST(test_reset_after_writes)
{
	struct server s;
	struct http_resp r;
	struct json_object *boot, *o, *after;
	char phone[32], biz[32], path[256];
	long long before;
	int i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	boot = state_export(&s);
	before = clock_now(&s);

	/* change an object, create two, move the clock, add a rule */
	ck_assert_int_eq(
	    http_post_form(&s,
	        "/v24.0/" DEMO_WABA "/assigned_users?access_token=" TOK_ADMIN,
	        "user=" DEMO_MANAGER_USER "&tasks=['DEVELOP']", &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	ck_assert_int_eq(http_post_form(&s,
	                     "/v24.0/" DEMO_WABA_NOPHONES
	                     "/phone_numbers?access_token=" TOK_ADMIN,
	                     "cc=1&phone_number="
	                     "5550107777&verified_name=Reset+Me",
	                     &r),
	    0);
	ck_assert_msg(r.status == 200, "%s", r.body);
	snprintf(phone, sizeof(phone), "%s", jstr(r.json, "id"));
	http_resp_free(&r);
	o = ctl_ok(&s, "POST", "/_emulator/fixtures",
	    "{\"businesses\":[{\"name\":\"Gone Soon\"}]}");
	snprintf(biz, sizeof(biz), "%s", jstr(o, "businesses.0"));
	json_object_put(o);
	json_object_put(ctl_ok(&s, "POST", "/_emulator/tokens/" TOK_MANAGER,
	    "{\"state\":\"invalidated\"}"));
	json_object_put(ctl_ok(&s, "POST", "/_emulator/clock",
	    "{\"advance_seconds\":315360000}"));
	json_object_put(ctl_ok(&s, "POST", "/_emulator/faults",
	    "{\"match\":{\"path\":\"/nowhere\"},\"error\":{\"code\":2}}"));
	ck_assert(journal_count(&s, "") > 0);

	o = ctl_ok(&s, "POST", "/_emulator/reset", NULL);
	ck_assert(jeq(o, "{\"success\":true}"));
	json_object_put(o);

	after = state_export(&s);
	ck_assert(json_object_equal(boot, after));
	json_object_put(after);
	/* the changed assignment is back */
	ck_assert_int_eq(http_get(&s,
	                     "/v24.0/" DEMO_WABA "/assigned_users"
	                     "?business=" DEMO_BUSINESS
	                     "&access_token=" TOK_ADMIN,
	                     &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	ck_assert(jeq(jget(r.json, "data"),
	    "["
	    "{\"id\":\"" DEMO_EMPLOYEE_USER "\",\"name\":\"Erin Employee\","
	    "\"tasks\":[\"DEVELOP\",\"VIEW_PHONE_ASSETS\"]},"
	    "{\"id\":\"" DEMO_MANAGER_USER "\",\"name\":\"Mark Manager\","
	    "\"tasks\":[\"MANAGE\"]}]"));
	http_resp_free(&r);
	/* the created ones are gone */
	snprintf(path, sizeof(path), "/v24.0/%s?access_token=" TOK_ADMIN,
	    phone);
	graph_error(&s, path, 400, 100, 33);
	o = state_export(&s);
	ck_assert(strstr(json_object_to_json_string(o), biz) == NULL);
	json_object_put(o);
	/* token states, clock, faults and journal are back too */
	ck_assert_int_eq(graph_status(&s, WABA_PATH(DEMO_WABA, TOK_MANAGER)),
	    200);
	ck_assert(clock_now(&s) < before + 315360000);
	o = ctl_ok(&s, "GET", "/_emulator/faults", NULL);
	ck_assert(jeq(o, "{\"data\":[]}"));
	json_object_put(o);
	/* only the three Graph calls made since */
	ck_assert_int_eq(journal_count(&s, ""), 3);

	/* reset is cheap enough to run before every test */
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(
		    ctl_status(&s, "POST", "/_emulator/reset", NULL), 200);
	after = state_export(&s);
	ck_assert(json_object_equal(boot, after));
	json_object_put(after);
	json_object_put(boot);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_state_round_trip)
{
	struct server s;
	struct http_resp r;
	struct json_object *doc, *again;
	const char *text;
	char path[256], phone[32];

	ck_assert_int_eq(server_start(&s, NULL), 0);
	/* make the state differ from the demo first */
	ck_assert_int_eq(http_post_form(&s,
	                     "/v24.0/" DEMO_WABA_NOPHONES
	                     "/phone_numbers?access_token=" TOK_ADMIN,
	                     "cc=44&phone_number="
	                     "7700900999&verified_name=Round+Trip",
	                     &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	snprintf(phone, sizeof(phone), "%s", jstr(r.json, "id"));
	http_resp_free(&r);
	json_object_put(ctl_ok(&s, "POST", "/_emulator/tokens/" TOK_EMPLOYEE,
	    "{\"state\":\"logged_out\"}"));

	doc = state_export(&s);
	ck_assert_uint_eq(jlen(doc, "apps"), 2);
	ck_assert_uint_eq(jlen(doc, "wabas"), 5);
	ck_assert_uint_eq(jlen(doc, "phone_numbers"), 7);
	ck_assert_ptr_null(jget(doc, "about"));
	text = json_object_to_json_string(doc);
	again = ctl_ok(&s, "PUT", "/_emulator/state", text);
	ck_assert(jeq(again, "{\"success\":true}"));
	json_object_put(again);
	again = state_export(&s);
	ck_assert(json_object_equal(doc, again));
	json_object_put(again);
	/* and the Graph API serves the replaced state */
	snprintf(path, sizeof(path),
	    "/v24.0/%s?fields=display_phone_number"
	    "&access_token=" TOK_ADMIN,
	    phone);
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "display_phone_number"),
	    "+44 770 090 0999");
	http_resp_free(&r);
	graph_error(&s, WABA_PATH(DEMO_WABA, TOK_EMPLOYEE), 401, 190, 467);
	json_object_put(doc);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* The ETag the Graph API gives body: its SHA-1 in hex, quoted. */
static void
sha1_etag(const char *body, size_t len, char out[43])
{
	struct sha1_ctx ctx;
	uint8_t md[SHA1_DIGEST_SIZE];

	sha1_init(&ctx);
	sha1_update(&ctx, len, (const uint8_t *)body);
	sha1_digest(&ctx, sizeof(md), md);
	out[0] = '"';
	base16_encode_update(out + 1, sizeof(md), md);
	out[41] = '"';
	out[42] = '\0';
}

/*
 * A node read with its default fields: the body's name, and the ETag
 * checked against the body it came with.
 */
static void
read_node(const struct server *s, const char *id, char *name, size_t n,
    char etag[43])
{
	struct http_resp r;
	char path[128], want[43];

	snprintf(path, sizeof(path), "/v24.0/%s?access_token=" TOK_ADMIN, id);
	ck_assert_int_eq(http_get(s, path, &r), 0);
	ck_assert_msg(r.status == 200, "%s: %ld %s", path, r.status, r.body);
	sha1_etag(r.body, r.body_len, want);
	ck_assert_str_eq(http_header(&r, "etag"), want);
	snprintf(name, n, "%s", jstr(r.json, "name"));
	memcpy(etag, want, sizeof(want));
	http_resp_free(&r);
}

/* Sets name on the object of array whose id is id, in place. */
static void
rename_in(struct json_object *doc, const char *array, const char *id,
    const char *name)
{
	struct json_object *a = json_object_object_get(doc, array);
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++) {
		struct json_object *o = json_object_array_get_idx(a, i);

		if (strcmp(jstr(o, "id"), id) == 0) {
			json_object_object_add(o, "name",
			    json_object_new_string(name));
			return;
		}
	}
	ck_abort_msg("no %s %s in the state", array, id);
}

/*
 * A node's default answer is made once and kept with its row: a state
 * that renames the node must show in the next read, body and ETag alike,
 * and a reset must bring the first answer back.
 */
START_TEST(test_node_reads_follow_the_state)
{
	static const struct {
		const char *array, *id;
	} nodes[] = {
		{ "wabas", DEMO_WABA },
		{ "businesses", DEMO_BUSINESS },
	};
	struct server s;
	struct json_object *doc, *o;
	char name[2][128], etag[2][43], now[128], tag[43];
	size_t i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	for (i = 0; i < 2; i++) {
		read_node(&s, nodes[i].id, name[i], sizeof(name[i]), etag[i]);
		/* again: the kept answer is the same answer */
		read_node(&s, nodes[i].id, now, sizeof(now), tag);
		ck_assert_str_eq(now, name[i]);
		ck_assert_str_eq(tag, etag[i]);
	}
	doc = state_export(&s);
	for (i = 0; i < 2; i++)
		rename_in(doc, nodes[i].array, nodes[i].id, "Renamed Shop");
	o = ctl_ok(&s, "PUT", "/_emulator/state",
	    json_object_to_json_string(doc));
	json_object_put(o);
	json_object_put(doc);
	for (i = 0; i < 2; i++) {
		read_node(&s, nodes[i].id, now, sizeof(now), tag);
		ck_assert_str_eq(now, "Renamed Shop");
		ck_assert_str_ne(tag, etag[i]);
	}
	json_object_put(ctl_ok(&s, "POST", "/_emulator/reset", NULL));
	for (i = 0; i < 2; i++) {
		read_node(&s, nodes[i].id, now, sizeof(now), tag);
		ck_assert_str_eq(now, name[i]);
		ck_assert_str_eq(tag, etag[i]);
	}
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* PUTs doc with one change at path and expects status and field. */
static void
put_broken(const struct server *s, struct json_object *doc, const char *array,
    size_t idx, const char *key, struct json_object *value, long status,
    const char *field)
{
	struct json_object *copy = NULL, *elem;
	struct snapshot sn;
	struct http_resp r;

	ck_assert_int_eq(json_object_deep_copy(doc, &copy, NULL), 0);
	elem = json_object_array_get_idx(json_object_object_get(copy, array),
	    idx);
	ck_assert_ptr_nonnull(elem);
	json_object_object_add(elem, key, value);
	snapshot_take(s, &sn);
	ck_assert_int_eq(ctl_req(s, "PUT", "/_emulator/state",
	                     json_object_to_json_string(copy), &r),
	    0);
	assert_ctl_error(&r, status, field);
	http_resp_free(&r);
	snapshot_same(s, &sn);
	json_object_put(copy);
}

START_TEST(test_state_put_broken)
{
	struct server s;
	struct json_object *doc;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	doc = state_export(&s);
	put_broken(&s, doc, "wabas", 0, "business",
	    json_object_new_string("2999999999999999"), 400,
	    "$.wabas[0].business");
	put_broken(&s, doc, "wabas", 1, "colour",
	    json_object_new_string("blue"), 400, "$.wabas[1].colour");
	put_broken(&s, doc, "phone_numbers", 2, "status",
	    json_object_new_string("ON"), 400, "$.phone_numbers[2].status");
	put_broken(&s, doc, "tokens", 0, "expires_at",
	    json_object_new_string("soon"), 400, "$.tokens[0].expires_at");
	put_broken(&s, doc, "users", 1, "id",
	    json_object_new_string(DEMO_ADMIN_USER), 409, "$.users[1].id");
	/* the later of the two is named: WABAs come after businesses */
	put_broken(&s, doc, "businesses", 2, "id",
	    json_object_new_string(DEMO_WABA), 409, "$.wabas[0].id");
	ctl_fails(&s, "PUT", "/_emulator/state", "[]", 400, "$");
	ctl_fails(&s, "PUT", "/_emulator/state", "{\"wabas\":{}}", 400,
	    "$.wabas");
	ctl_fails(&s, "PUT", "/_emulator/state", "{\"colour\":[]}", 400,
	    "$.colour");
	ctl_fails(&s, "PUT", "/_emulator/state", "{\"apps\":[", 400, "$");
	ctl_fails(&s, "PUT", "/_emulator/state", NULL, 400, "$");
	/* the demo still works */
	ck_assert_int_eq(graph_status(&s, WABA_PATH(DEMO_WABA, TOK_ADMIN)),
	    200);
	json_object_put(doc);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- fixtures and tokens ------------------------------------------- */

static bool
is_generated_id(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 15 || n > 16 || s[0] == '0')
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

START_TEST(test_fixtures_add)
{
	struct server s;
	struct http_resp r;
	struct json_object *o;
	char path[512], gbiz[32], guser[32], gwaba[32];
	struct snapshot sn;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	o = ctl_ok(&s, "POST", "/_emulator/fixtures",
	    "{"
	    "\"businesses\":[{\"name\":\"Generated Biz\"},"
	    "{\"id\":\"2000000000000077\",\"name\":\"Given Biz\","
	    "\"verification_status\":\"verified\"}],"
	    "\"users\":[{\"name\":\"Generated User\","
	    "\"business\":\"2000000000000077\"},"
	    "{\"id\":\"3000000000000077\",\"name\":\"Given Admin\","
	    "\"business\":\"2000000000000077\",\"role\":\"ADMIN\","
	    "\"user_type\":\"SYSTEM_USER\"}],"
	    "\"wabas\":[{\"id\":\"4000000000000077\","
	    "\"business\":\"2000000000000077\",\"name\":\"Given WABA\","
	    "\"currency\":\"EUR\"},"
	    "{\"business\":\"2000000000000077\",\"name\":\"Generated WABA\"}],"
	    "\"tokens\":[{\"token\":\"EAAgivenAdmin\","
	    "\"app\":\"" DEMO_APP "\",\"user\":\"3000000000000077\"}],"
	    "\"shares\":[{\"waba\":\"4000000000000077\","
	    "\"business\":\"" DEMO_BUSINESS "\"}],"
	    "\"assignments\":[{\"waba\":\"4000000000000077\","
	    "\"user\":\"" DEMO_ADMIN_USER "\",\"tasks\":[\"MANAGE\"]}]"
	    "}");
	ck_assert_uint_eq(jlen(o, "businesses"), 2);
	ck_assert(is_generated_id(jstr(o, "businesses.0")));
	ck_assert_str_eq(jstr(o, "businesses.1"), "2000000000000077");
	ck_assert_uint_eq(jlen(o, "users"), 2);
	ck_assert(is_generated_id(jstr(o, "users.0")));
	ck_assert_str_eq(jstr(o, "users.1"), "3000000000000077");
	ck_assert_uint_eq(jlen(o, "wabas"), 2);
	ck_assert_str_eq(jstr(o, "wabas.0"), "4000000000000077");
	ck_assert(is_generated_id(jstr(o, "wabas.1")));
	ck_assert(jeq(jget(o, "tokens"), "[\"EAAgivenAdmin\"]"));
	ck_assert(jeq(jget(o, "assignments"),
	    "[{\"waba\":\"4000000000000077\","
	    "\"user\":\"" DEMO_ADMIN_USER "\"}]"));
	ck_assert(jeq(jget(o, "shares"),
	    "[{\"waba\":\"4000000000000077\","
	    "\"business\":\"" DEMO_BUSINESS "\"}]"));
	ck_assert_ptr_null(jget(o, "apps"));
	ck_assert_ptr_null(jget(o, "phone_numbers"));
	snprintf(gbiz, sizeof(gbiz), "%s", jstr(o, "businesses.0"));
	snprintf(guser, sizeof(guser), "%s", jstr(o, "users.0"));
	snprintf(gwaba, sizeof(gwaba), "%s", jstr(o, "wabas.1"));
	ck_assert_str_ne(gbiz, guser);
	ck_assert_str_ne(guser, gwaba);
	json_object_put(o);

	/* the new WABAs through the Graph API, with the new token */
	ck_assert_int_eq(http_get(&s,
	                     "/v24.0/4000000000000077?fields=id,"
	                     "name,currency&access_token=EAAgivenAdmin",
	                     &r),
	    0);
	ck_assert_msg(r.status == 200, "%s", r.body);
	ck_assert(jeq(r.json,
	    "{\"id\":\"4000000000000077\","
	    "\"name\":\"Given WABA\",\"currency\":\"EUR\"}"));
	http_resp_free(&r);
	snprintf(path, sizeof(path),
	    "/v24.0/%s?fields=name"
	    "&access_token=EAAgivenAdmin",
	    gwaba);
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "name"), "Generated WABA");
	http_resp_free(&r);
	ck_assert_int_eq(
	    http_get(&s,
	        "/v24.0/2000000000000077/"
	        "owned_whatsapp_business_accounts?access_token=EAAgivenAdmin",
	        &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(jlen(r.json, "data"), 2);
	http_resp_free(&r);
	/* the assignment lets the demo admin read a WABA it does not own */
	ck_assert_int_eq(
	    graph_status(&s, WABA_PATH("4000000000000077", TOK_ADMIN)), 200);
	snprintf(path, sizeof(path), "/v24.0/%s?access_token=EAAgivenAdmin",
	    guser);
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "name"), "Generated User");
	http_resp_free(&r);

	/* given ids that exist: 409, and nothing of the document stays */
	snapshot_take(&s, &sn);
	ctl_fails(&s, "POST", "/_emulator/fixtures",
	    "{"
	    "\"businesses\":[{\"id\":\"2000000000000088\",\"name\":\"New\"}],"
	    "\"wabas\":[{\"id\":\"4000000000000077\","
	    "\"business\":\"2000000000000088\",\"name\":\"Again\"}]}",
	    409, "$.wabas[0].id");
	ctl_fails(&s, "POST", "/_emulator/fixtures",
	    "{"
	    "\"businesses\":[{\"name\":\"New\"}],"
	    "\"users\":[{\"name\":\"Dangling\","
	    "\"business\":\"2999999999999999\"}]}",
	    400, "$.users[0].business");
	ctl_fails(&s, "POST", "/_emulator/fixtures",
	    "{"
	    "\"tokens\":[{\"token\":\"EAAx\",\"app\":\"" DEMO_APP "\","
	    "\"user\":\"" DEMO_ADMIN_USER "\",\"state\":\"gone\"}]}",
	    400, "$.tokens[0].state");
	ctl_fails(&s, "POST", "/_emulator/fixtures", "[]", 400, "$");
	snapshot_same(&s, &sn);
	graph_error(&s, "/v24.0/2000000000000088?access_token=" TOK_ADMIN, 400,
	    100, 33);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/*
 * Generated ids come from the seed and a counter: a rejected request must
 * not move the counter, so a server that saw rejected requests hands out
 * the same next id as one that did not.
 */
static void
next_generated_id(bool with_rejections, char *out, size_t len)
{
	struct server s;
	struct json_object *o;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	if (with_rejections) {
		ck_assert_int_eq(
		    ctl_status(&s, "POST", "/_emulator/tokens",
		        "{\"user\":\"3999999999999999\",\"app\":\"" DEMO_APP
		        "\"}"),
		    400);
		ck_assert_int_eq(ctl_status(&s, "POST", "/_emulator/tokens",
		                     "{\"user\":\"" DEMO_ADMIN_USER
		                     "\",\"app\":\"" DEMO_APP
		                     "\",\"colour\":1}"),
		    400);
		ck_assert_int_eq(
		    ctl_status(&s, "POST", "/_emulator/fixtures",
		        "{\"businesses\":[{\"name\":\"A\"}],\"users\":[{\"name\":"
		        "\"B\",\"business\":\"2999999999999999\"}]}"),
		    400);
	}
	o = ctl_ok(&s, "POST", "/_emulator/fixtures",
	    "{\"businesses\":[{\"name\":\"Counted\"}]}");
	snprintf(out, len, "%s", jstr(o, "businesses.0"));
	json_object_put(o);
	ck_assert_int_eq(server_stop(&s), 0);
}

START_TEST(test_rejected_requests_keep_the_id_counter)
{
	char a[32], b[32];

	next_generated_id(false, a, sizeof(a));
	next_generated_id(true, b, sizeof(b));
	ck_assert(is_generated_id(a));
	ck_assert_str_eq(a, b);
}
END_TEST

START_TEST(test_tokens_mint)
{
	struct server s;
	struct http_resp r;
	char path[512];
	long long now, exp;
	char *tok;
	struct snapshot sn;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	now = clock_now(&s);
	tok = mint(&s,
	    "{\"user\":\"" DEMO_ADMIN_USER "\",\"app\":\"" DEMO_APP
	    "\",\"scopes\":[\"whatsapp_business_management\","
	    "\"business_management\"],\"expires_in\":3600}",
	    &exp);
	ck_assert(strncmp(tok, "EAA", 3) == 0);
	ck_assert(exp >= now + 3600 && exp <= now + 3600 + 60);
	snprintf(path, sizeof(path), "/v24.0/" DEMO_WABA "?access_token=%s",
	    tok);
	ck_assert_int_eq(graph_status(&s, path), 200);
	/* debug_token knows it */
	snprintf(path, sizeof(path),
	    "/v24.0/debug_token?input_token=%s"
	    "&access_token=" TOK_APP,
	    tok);
	ck_assert_int_eq(http_get(&s, path, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "data.user_id"), DEMO_ADMIN_USER);
	ck_assert_int_eq(jint(r.json, "data.expires_at"), exp);
	http_resp_free(&r);
	/* expires_in makes it expire once the clock passes it */
	json_object_put(ctl_ok(&s, "POST", "/_emulator/clock",
	    "{\"advance_seconds\":3660}"));
	snprintf(path, sizeof(path), "/v24.0/" DEMO_WABA "?access_token=%s",
	    tok);
	graph_error(&s, path, 401, 190, 463);
	free(tok);

	/* no expires_in: never expires; expires_at 0 */
	tok = mint(&s,
	    "{\"user\":\"" DEMO_EMPLOYEE_USER "\",\"app\":\"" DEMO_APP "\"}",
	    &exp);
	ck_assert_int_eq(exp, 0);
	json_object_put(ctl_ok(&s, "POST", "/_emulator/clock",
	    "{\"advance_seconds\":315360000}"));
	snprintf(path, sizeof(path), "/v24.0/" DEMO_WABA "?access_token=%s",
	    tok);
	ck_assert_int_eq(graph_status(&s, path), 200);
	/* the employee has no assignment on the other WABA */
	snprintf(path, sizeof(path),
	    "/v24.0/" DEMO_WABA_NOPHONES "?access_token=%s", tok);
	graph_error(&s, path, 403, 200, 0);
	free(tok);

	/* granular scopes narrow it to the targets */
	tok = mint(&s,
	    "{\"user\":\"" DEMO_ADMIN_USER "\",\"app\":\"" DEMO_APP
	    "\",\"scopes\":[\"whatsapp_business_management\"],"
	    "\"granular_scopes\":[{\"scope\":\"whatsapp_business_management\","
	    "\"target_ids\":[\"" DEMO_WABA_NOPHONES "\"]}]}",
	    NULL);
	snprintf(path, sizeof(path),
	    "/v24.0/" DEMO_WABA_NOPHONES "?access_token=%s", tok);
	ck_assert_int_eq(graph_status(&s, path), 200);
	snprintf(path, sizeof(path), "/v24.0/" DEMO_WABA "?access_token=%s",
	    tok);
	graph_error(&s, path, 403, 200, 0);
	free(tok);

	/* scopes without whatsapp_business_management */
	tok = mint(&s,
	    "{\"user\":\"" DEMO_ADMIN_USER "\",\"app\":\"" DEMO_APP
	    "\",\"scopes\":[\"business_management\"]}",
	    NULL);
	snprintf(path, sizeof(path), "/v24.0/" DEMO_WABA "?access_token=%s",
	    tok);
	graph_error(&s, path, 403, 200, 0);
	free(tok);

	/* bad input: 400 naming the field, nothing minted */
	snapshot_take(&s, &sn);
	ck_assert_int_eq(
	    ctl_req(&s, "POST", "/_emulator/tokens",
	        "{\"user\":\"3999999999999999\",\"app\":\"" DEMO_APP "\"}", &r),
	    0);
	assert_ctl_error(&r, 400, "$.user");
	ck_assert(strstr(jstr(r.json, "error.message"), "3999999999999999"));
	ck_assert(strstr(jstr(r.json, "error.message"), "tokens[0]") == NULL);
	http_resp_free(&r);
	ctl_fails(&s, "POST", "/_emulator/tokens",
	    "{\"user\":\"" DEMO_ADMIN_USER "\"}", 400, "$.app");
	ctl_fails(&s, "POST", "/_emulator/tokens", "{\"app\":\"" DEMO_APP "\"}",
	    400, "$.user");
	ctl_fails(&s, "POST", "/_emulator/tokens",
	    "{\"user\":\"" DEMO_ADMIN_USER "\",\"app\":\"" DEMO_BUSINESS "\"}",
	    400, "$.app");
	ctl_fails(&s, "POST", "/_emulator/tokens",
	    "{\"user\":\"" DEMO_ADMIN_USER "\",\"app\":\"" DEMO_APP
	    "\",\"expires_in\":-5}",
	    400, "$.expires_in");
	ctl_fails(&s, "POST", "/_emulator/tokens",
	    "{\"user\":\"" DEMO_ADMIN_USER "\",\"app\":\"" DEMO_APP
	    "\",\"expires_in\":"
	    "\"soon\"}",
	    400, "$.expires_in");
	ctl_fails(&s, "POST", "/_emulator/tokens",
	    "{\"user\":\"" DEMO_ADMIN_USER "\",\"app\":\"" DEMO_APP
	    "\",\"scopes\":\"all\"}",
	    400, "$.scopes");
	ctl_fails(&s, "POST", "/_emulator/tokens",
	    "{\"user\":\"" DEMO_ADMIN_USER "\",\"app\":\"" DEMO_APP
	    "\",\"lifetime\":5}",
	    400, "$.lifetime");
	ctl_fails(&s, "POST", "/_emulator/tokens", "[]", 400, "$");
	ctl_fails(&s, "POST", "/_emulator/tokens", NULL, 400, "$");
	snapshot_same(&s, &sn);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_token_states)
{
	static const struct {
		const char *state;
		long status;
		long long code, subcode;
	} cases[] = {
		{ "expired", 401, 190, 463 },
		{ "invalidated", 401, 190, 460 },
		{ "logged_out", 401, 190, 467 },
		{ "session_key_invalid", 401, 102, 0 },
	};
	struct server s;
	char path[512], url[512];
	char *tok;
	size_t i;
	struct json_object *o;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	tok = mint(&s,
	    "{\"user\":\"" DEMO_MANAGER_USER "\",\"app\":\"" DEMO_APP "\"}",
	    NULL);
	snprintf(path, sizeof(path), "/v24.0/" DEMO_WABA "?access_token=%s",
	    tok);
	snprintf(url, sizeof(url), "/_emulator/tokens/%s", tok);
	ck_assert_int_eq(graph_status(&s, path), 200);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char body[64];

		snprintf(body, sizeof(body), "{\"state\":\"%s\"}",
		    cases[i].state);
		o = ctl_ok(&s, "POST", url, body);
		ck_assert(jeq(o, "{\"success\":true}"));
		json_object_put(o);
		graph_error(&s, path, cases[i].status, cases[i].code,
		    cases[i].subcode);
		json_object_put(
		    ctl_ok(&s, "POST", url, "{\"state\":\"valid\"}"));
		ck_assert_int_eq(graph_status(&s, path), 200);
	}
	/* a demo token too, and the export shows the state */
	json_object_put(ctl_ok(&s, "POST", "/_emulator/tokens/" TOK_ADMIN,
	    "{\"state\":\"session_key_invalid\"}"));
	graph_error(&s, WABA_PATH(DEMO_WABA, TOK_ADMIN), 401, 102, 0);
	o = state_export(&s);
	ck_assert_str_eq(jstr(o, "tokens.0.token"), TOK_ADMIN);
	ck_assert_str_eq(jstr(o, "tokens.0.state"), "session_key_invalid");
	json_object_put(o);
	json_object_put(ctl_ok(&s, "POST", "/_emulator/tokens/" TOK_ADMIN,
	    "{\"state\":\"valid\"}"));
	ck_assert_int_eq(graph_status(&s, WABA_PATH(DEMO_WABA, TOK_ADMIN)),
	    200);

	/* the token may be escaped in the path */
	json_object_put(ctl_ok(&s, "POST", "/_emulator/tokens/EAAdemo%41dmin",
	    "{\"state\":\"logged_out\"}"));
	graph_error(&s, WABA_PATH(DEMO_WABA, TOK_ADMIN), 401, 190, 467);
	json_object_put(ctl_ok(&s, "POST", "/_emulator/tokens/" TOK_ADMIN,
	    "{\"state\":\"valid\"}"));

	/* bad input */
	ctl_fails(&s, "POST", url, "{\"state\":\"revoked\"}", 400, "$.state");
	ctl_fails(&s, "POST", url, "{\"state\":3}", 400, "$.state");
	ctl_fails(&s, "POST", url, "{}", 400, "$.state");
	ctl_fails(&s, "POST", url, NULL, 400, "$");
	ctl_fails(&s, "POST", "/_emulator/tokens/EAAnoSuchToken",
	    "{\"state\":\"expired\"}", 404, NULL);
	ck_assert_int_eq(graph_status(&s, path), 200);
	free(tok);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- clock --------------------------------------------------------- */

START_TEST(test_clock)
{
	struct server s;
	struct json_object *o;
	struct snapshot sn;
	long long t0, t1;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	t0 = clock_now(&s);
	ck_assert(t0 > 1600000000);
	o = ctl_ok(&s, "POST", "/_emulator/clock",
	    "{\"advance_seconds\":86400}");
	t1 = jint(o, "now");
	ck_assert(t1 >= t0 + 86400 && t1 <= t0 + 86400 + 60);
	ck_assert_int_eq(json_object_object_length(o), 1);
	json_object_put(o);
	o = ctl_ok(&s, "POST", "/_emulator/clock", "{\"now\":2000000000}");
	ck_assert(jeq(o, "{\"now\":2000000000}"));
	json_object_put(o);
	t1 = clock_now(&s);
	ck_assert(t1 >= 2000000000 && t1 <= 2000000060);
	/* the clock drives token expiry: EAAdemoExpired expired in 2023 */
	o = ctl_ok(&s, "POST", "/_emulator/clock", "{\"now\":1699999000}");
	json_object_put(o);
	ck_assert_int_eq(graph_status(&s, WABA_PATH(DEMO_WABA, TOK_EXPIRED)),
	    200);
	json_object_put(ctl_ok(&s, "POST", "/_emulator/clock",
	    "{\"advance_seconds\":1000}"));
	graph_error(&s, WABA_PATH(DEMO_WABA, TOK_EXPIRED), 401, 190, 463);

	/* bad input changes nothing */
	snapshot_take(&s, &sn);
	ctl_fails(&s, "POST", "/_emulator/clock", "{}", 400, "$");
	ctl_fails(&s, "POST", "/_emulator/clock",
	    "{\"advance_seconds\":\"60\"}", 400, "$.advance_seconds");
	ctl_fails(&s, "POST", "/_emulator/clock", "{\"advance_seconds\":1.5}",
	    400, "$.advance_seconds");
	ctl_fails(&s, "POST", "/_emulator/clock", "{\"now\":\"tomorrow\"}", 400,
	    "$.now");
	ctl_fails(&s, "POST", "/_emulator/clock", "{\"now\":-1}", 400, "$.now");
	ctl_fails(&s, "POST", "/_emulator/clock",
	    "{\"advance_seconds\":10,\"now\":2000000000}", 400, "$");
	ctl_fails(&s, "POST", "/_emulator/clock",
	    "{\"advance_seconds\":10,\"now\":\"x\"}", 400, "$.now");
	ctl_fails(&s, "POST", "/_emulator/clock", "[10]", 400, "$");
	ctl_fails(&s, "POST", "/_emulator/clock", "{\"advance_seconds\":", 400,
	    "$");
	ctl_fails(&s, "POST", "/_emulator/clock", NULL, 400, "$");
	snapshot_same(&s, &sn);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- faults -------------------------------------------------------- */

static int64_t
fault_add(const struct server *s, const char *rule)
{
	struct json_object *o = ctl_ok(s, "POST", "/_emulator/faults", rule);
	int64_t id = jint(o, "id");

	ck_assert(id > 0);
	ck_assert_int_eq(json_object_object_length(o), 1);
	json_object_put(o);
	return id;
}

/* 'F' when the call got the injected code 2, '.' when it passed. */
static char
fault_outcome(const struct server *s, const char *path)
{
	struct http_resp r;
	char c;

	ck_assert_int_eq(http_get(s, path, &r), 0);
	if (r.status == 500) {
		ck_assert_int_eq(jint(r.json, "error.code"), 2);
		c = 'F';
	} else {
		ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
		c = '.';
	}
	http_resp_free(&r);
	return c;
}

static void
fault_pattern(const struct server *s, const char *path, int n, char *out)
{
	int i;

	for (i = 0; i < n; i++)
		out[i] = fault_outcome(s, path);
	out[n] = '\0';
}

#define NODE_READ WABA_PATH(DEMO_WABA, TOK_ADMIN)

START_TEST(test_fault_modes)
{
	struct server s;
	struct http_resp r;
	char pat[64];
	int64_t id;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	/* always, with the table's row for code 2 */
	id = fault_add(&s,
	    "{\"match\":{\"method\":\"GET\","
	    "\"path\":\"/*/" DEMO_WABA "\"},\"error\":{\"code\":2}}");
	ck_assert_int_eq(http_get(&s, NODE_READ, &r), 0);
	ck_assert_int_eq(r.status, 500);
	ck_assert_int_eq(jint(r.json, "error.code"), 2);
	ck_assert_str_eq(jstr(r.json, "error.type"), "OAuthException");
	ck_assert(json_object_get_boolean(jget(r.json, "error.is_transient")));
	ck_assert_str_eq(jstr(r.json, "error.fbtrace_id"),
	    http_header(&r, "x-fb-request-id"));
	http_resp_free(&r);
	fault_pattern(&s, NODE_READ, 3, pat);
	ck_assert_str_eq(pat, "FFF");
	/* other paths and methods are untouched */
	ck_assert_int_eq(graph_status(&s,
	                     "/v24.0/" DEMO_WABA
	                     "/phone_numbers?access_token=" TOK_ADMIN),
	    200);
	ck_assert_int_eq(http_post_form(&s,
	                     "/v24.0/" DEMO_WABA
	                     "/assigned_users?access_token=" TOK_ADMIN,
	                     "user=" DEMO_NOACCESS_USER "&tasks=MANAGE", &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	/* matched against the whole path: without a version, no match */
	ck_assert_int_eq(
	    graph_status(&s, "/" DEMO_WABA "?access_token=" TOK_ADMIN), 200);
	ck_assert_int_eq(ctl_status(&s, "DELETE", "/_emulator/faults", NULL),
	    200);
	(void)id;

	/* times: the next N matching calls */
	fault_add(&s,
	    "{\"match\":{\"path\":\"/v24.0/" DEMO_WABA "\"},"
	    "\"error\":{\"code\":2},\"times\":2}");
	fault_pattern(&s, NODE_READ, 5, pat);
	ck_assert_str_eq(pat, "FF...");
	ck_assert_int_eq(
	    graph_status(&s, "/" DEMO_WABA "?access_token=" TOK_ADMIN), 200);
	ck_assert_int_eq(ctl_status(&s, "DELETE", "/_emulator/faults", NULL),
	    200);

	/* every_nth */
	fault_add(&s,
	    "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":2},"
	    "\"every_nth\":3}");
	fault_pattern(&s, NODE_READ, 9, pat);
	ck_assert_str_eq(pat, "..F..F..F");
	ck_assert_int_eq(ctl_status(&s, "DELETE", "/_emulator/faults", NULL),
	    200);
	fault_pattern(&s, NODE_READ, 3, pat);
	ck_assert_str_eq(pat, "...");
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

static void
probability_run(char *pat, int n)
{
	struct server s;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	fault_add(&s,
	    "{\"match\":{\"path\":\"/v24.0/*\"},"
	    "\"error\":{\"code\":2},\"probability\":0.5,\"seed\":42}");
	fault_pattern(&s, NODE_READ, n, pat);
	ck_assert_int_eq(server_stop(&s), 0);
}

START_TEST(test_fault_probability_replays)
{
	char a[64], b[64];

	probability_run(a, 40);
	probability_run(b, 40);
	ck_assert_str_eq(a, b);
	/* with p = 0.5 over 40 calls, both outcomes occur */
	ck_assert_ptr_nonnull(strchr(a, 'F'));
	ck_assert_ptr_nonnull(strchr(a, '.'));
}
END_TEST

START_TEST(test_fault_latency_drop_custom)
{
	struct server s;
	struct http_resp r;
	struct json_object *o;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	/* latency: still answers; the journal counts the wait */
	fault_add(&s,
	    "{\"match\":{\"path\":\"/v24.0/" DEMO_WABA "\"},"
	    "\"latency_ms\":50,\"times\":1}");
	ck_assert_int_eq(http_get(&s, NODE_READ, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "id"), DEMO_WABA);
	http_resp_free(&r);
	o = ctl_ok(&s, "GET", "/_emulator/requests", NULL);
	ck_assert_uint_eq(jlen(o, "data"), 1);
	ck_assert(
	    json_object_get_double(jget(o, "data.0.duration_ms")) >= 50.0);
	json_object_put(o);

	/* drop_connection: the client sees no answer at all */
	fault_add(&s,
	    "{\"match\":{\"method\":\"GET\",\"path\":\"/v24.0/" DEMO_WABA
	    "\"},\"drop_connection\":true,\"times\":1}");
	ck_assert_int_eq(http_get(&s, NODE_READ, &r), -1);
	ck_assert_int_eq(r.status, 0);
	ck_assert_uint_eq(r.body_len, 0);
	http_resp_free(&r);
	ck_assert_int_eq(graph_status(&s, NODE_READ), 200);
	/* the journal says which call the client never saw answered */
	o = ctl_ok(&s, "GET", "/_emulator/requests", NULL);
	ck_assert_uint_eq(jlen(o, "data"), 3);
	ck_assert_ptr_null(jget(o, "data.0.dropped"));
	ck_assert(json_object_get_boolean(jget(o, "data.1.dropped")));
	ck_assert_ptr_null(jget(o, "data.2.dropped"));
	json_object_put(o);

	/* a custom code, subcode, message, type and status */
	fault_add(&s,
	    "{\"match\":{\"path\":\"*/phone_numbers\"},"
	    "\"error\":{\"code\":4,\"error_subcode\":1234,"
	    "\"message\":\"(#4) Application request limit reached\","
	    "\"type\":\"OAuthException\",\"status\":429},\"times\":1}");
	ck_assert_int_eq(http_get(&s,
	                     "/v24.0/" DEMO_WABA "/phone_numbers"
	                     "?access_token=" TOK_ADMIN,
	                     &r),
	    0);
	ck_assert_int_eq(r.status, 429);
	ck_assert_int_eq(jint(r.json, "error.code"), 4);
	ck_assert_int_eq(jint(r.json, "error.error_subcode"), 1234);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "(#4) Application request limit reached");
	ck_assert_str_eq(jstr(r.json, "error.type"), "OAuthException");
	http_resp_free(&r);

	/* a code of the error table takes its row's message and status */
	fault_add(&s,
	    "{\"match\":{\"path\":\"*/" DEMO_PHONE "\"},"
	    "\"error\":{\"code\":190},\"times\":1}");
	ck_assert_int_eq(
	    http_get(&s, "/v24.0/" DEMO_PHONE "?access_token=" TOK_ADMIN, &r),
	    0);
	ck_assert_int_eq(r.status, 401);
	ck_assert_int_eq(jint(r.json, "error.code"), 190);
	ck_assert_str_eq(jstr(r.json, "error.message"),
	    "Invalid OAuth access token - Cannot parse access token");
	ck_assert_str_eq(jstr(r.json, "error.type"), "OAuthException");
	http_resp_free(&r);
	fault_add(&s,
	    "{\"match\":{\"path\":\"*/" DEMO_PHONE "\"},"
	    "\"error\":{\"code\":80008},\"times\":1}");
	ck_assert_int_eq(
	    http_get(&s, "/v24.0/" DEMO_PHONE "?access_token=" TOK_ADMIN, &r),
	    0);
	ck_assert_int_eq(r.status, 429);
	ck_assert_int_eq(jint(r.json, "error.error_subcode"), 2446079);
	http_resp_free(&r);
	/* a code outside the table: a generic message, 400 */
	fault_add(&s,
	    "{\"match\":{\"path\":\"*/" DEMO_PHONE "\"},"
	    "\"error\":{\"code\":613},\"times\":1}");
	ck_assert_int_eq(
	    http_get(&s, "/v24.0/" DEMO_PHONE "?access_token=" TOK_ADMIN, &r),
	    0);
	ck_assert_int_eq(r.status, 400);
	ck_assert_int_eq(jint(r.json, "error.code"), 613);
	ck_assert(jstr(r.json, "error.message")[0] != '\0');
	http_resp_free(&r);
	ck_assert_int_eq(
	    graph_status(&s, "/v24.0/" DEMO_PHONE "?access_token=" TOK_ADMIN),
	    200);
	/* the control plane is never faulted */
	fault_add(&s, "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":2}}");
	ck_assert_int_eq(ctl_status(&s, "GET", "/_emulator/health", NULL), 200);
	ck_assert_int_eq(ctl_status(&s, "GET", "/_emulator/faults", NULL), 200);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_fault_list_delete_and_bad_rules)
{
	static const struct {
		const char *rule;
		const char *field;
	} bad[] = {
		{ "{\"error\":{\"code\":2}}", "$.match" },
		{ "{\"match\":\"*\",\"error\":{\"code\":2}}", "$.match" },
		{ "{\"match\":{},\"error\":{\"code\":2}}", "$.match.path" },
		{ "{\"match\":{\"path\":\"v24.0\"},\"error\":{\"code\":2}}",
		    "$.match.path" },
		{ "{\"match\":{\"path\":\"*\",\"verb\":\"GET\"},"
		  "\"error\":{\"code\":2}}",
		    "$.match.verb" },
		{ "{\"match\":{\"path\":\"*\",\"method\":\"FETCH\"},"
		  "\"error\":{\"code\":2}}",
		    "$.match.method" },
		{ "{\"match\":{\"path\":\"*\"}}", NULL },
		{ "{\"match\":{\"path\":\"*\"},\"error\":{}}", "$.error.code" },
		{ "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":\"2\"}}",
		    "$.error.code" },
		{ "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":2,"
		  "\"status\":99}}",
		    "$.error.status" },
		{ "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":2,"
		  "\"http\":500}}",
		    "$.error.http" },
		{ "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":2},"
		  "\"times\":0}",
		    "$.times" },
		{ "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":2},"
		  "\"every_n\":2}",
		    "$.every_n" },
		{ "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":2},"
		  "\"every_nth\":0}",
		    "$.every_nth" },
		{ "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":2},"
		  "\"probability\":1.5}",
		    "$.probability" },
		{ "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":2},"
		  "\"probability\":\"half\"}",
		    "$.probability" },
		{ "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":2},"
		  "\"times\":1,\"every_nth\":2}",
		    NULL },
		{ "{\"match\":{\"path\":\"*\"},\"latency_ms\":-1}",
		    "$.latency_ms" },
		{ "{\"match\":{\"path\":\"*\"},\"drop_connection\":\"yes\"}",
		    "$.drop_connection" },
		{ "[]", "$" },
		{ "{\"match\":", "$" },
	};
	struct server s;
	struct json_object *o;
	struct snapshot sn;
	int64_t a, b;
	size_t i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	a = fault_add(&s,
	    "{\"match\":{\"method\":\"GET\",\"path\":\"/*/" DEMO_WABA
	    "\"},\"error\":{\"code\":2},\"times\":3}");
	b = fault_add(&s,
	    "{\"match\":{\"path\":\"*/phone_numbers\"},"
	    "\"latency_ms\":1,\"every_nth\":2}");
	ck_assert(b > a);
	ck_assert_int_eq(graph_status(&s, NODE_READ), 500);
	o = ctl_ok(&s, "GET", "/_emulator/faults", NULL);
	ck_assert_uint_eq(jlen(o, "data"), 2);
	ck_assert_int_eq(jint(o, "data.0.id"), a);
	ck_assert(jeq(jget(o, "data.0.match"),
	    "{\"method\":\"GET\","
	    "\"path\":\"/*/" DEMO_WABA "\"}"));
	ck_assert(jeq(jget(o, "data.0.error"), "{\"code\":2}"));
	ck_assert_int_eq(jint(o, "data.0.times"), 3);
	ck_assert_int_eq(jint(o, "data.1.id"), b);
	ck_assert_int_eq(jint(o, "data.1.every_nth"), 2);
	json_object_put(o);

	/* bad rules: 400 naming the field, nothing added */
	snapshot_take(&s, &sn);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct http_resp r;

		ck_assert_int_eq(
		    ctl_req(&s, "POST", "/_emulator/faults", bad[i].rule, &r),
		    0);
		ck_assert_msg(r.status == 400, "%s: %ld %s", bad[i].rule,
		    r.status, r.body);
		assert_ctl_error(&r, 400, bad[i].field);
		ck_assert(jstr(r.json, "error.field")[0] == '$');
		http_resp_free(&r);
	}
	snapshot_same(&s, &sn);

	/* delete one by id, then an unknown id, then all */
	ck_assert_int_eq(ctl_status(&s, "DELETE", "/_emulator/faults/1", NULL),
	    200);
	ck_assert_int_eq(graph_status(&s, NODE_READ), 200);
	o = ctl_ok(&s, "GET", "/_emulator/faults", NULL);
	ck_assert_uint_eq(jlen(o, "data"), 1);
	ck_assert_int_eq(jint(o, "data.0.id"), b);
	json_object_put(o);
	ctl_fails(&s, "DELETE", "/_emulator/faults/1", NULL, 404, NULL);
	ctl_fails(&s, "DELETE", "/_emulator/faults/abc", NULL, 404, NULL);
	o = ctl_ok(&s, "DELETE", "/_emulator/faults", NULL);
	ck_assert(jeq(o, "{\"success\":true}"));
	json_object_put(o);
	o = ctl_ok(&s, "GET", "/_emulator/faults", NULL);
	ck_assert(jeq(o, "{\"data\":[]}"));
	json_object_put(o);
	/* ids are not reused */
	ck_assert(fault_add(&s,
	              "{\"match\":{\"path\":\"/x\"},"
	              "\"error\":{\"code\":2}}") > b);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- the request journal ------------------------------------------- */

START_TEST(test_requests_journal)
{
	struct server s;
	struct http_resp r;
	struct json_object *o, *e;
	char proof[] = "0123456789abcdef0123456789abcdef"
	               "0123456789abcdef0123456789abcdef";
	char path[256];
	const char *auth[] = { "Authorization: Bearer " TOK_ADMIN, NULL };
	long long t0, seq;
	size_t i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	t0 = clock_now(&s);
	/* 1: a proof that is wrong: 400, code 100 */
	ck_assert_int_eq(
	    graph_status(&s,
	        WABA_PATH(DEMO_WABA,
	            TOK_SECURE) "&appsecret_proof=0123456789abcdef0123456789abcdef"
	                        "0123456789abcdef0123456789abcdef&fields=name"),
	    400);
	/* 2: an unknown object */
	ck_assert_int_eq(
	    graph_status(&s, WABA_PATH("4999999999999999", TOK_ADMIN)), 400);
	/* 3: a POST with its parameters in the body */
	ck_assert_int_eq(http_post_form(&s,
	                     "/v24.0/" DEMO_WABA "/assigned_users",
	                     "access_token=" TOK_MANAGER
	                     "&user=" DEMO_NOACCESS_USER "&tasks=MANAGE",
	                     &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	/* 4: the token in a header */
	ck_assert_int_eq(http_req(&s, "GET", "/v24.0/" DEMO_PHONE "?fields=id",
	                     NULL, NULL, auth, &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	/* 5: no token */
	ck_assert_int_eq(graph_status(&s, "/" DEMO_WABA), 400);

	ck_assert_int_eq(ctl_req(&s, "GET", "/_emulator/requests", NULL, &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	/* secrets never show */
	ck_assert(strstr(r.body, TOK_SECURE) == NULL);
	ck_assert(strstr(r.body, TOK_MANAGER) == NULL);
	ck_assert(strstr(r.body, TOK_ADMIN) == NULL);
	ck_assert(strstr(r.body, proof) == NULL);
	o = r.json;
	ck_assert_uint_eq(jlen(o, "data"), 5);
	seq = -1;
	for (i = 0; i < 5; i++) {
		e = json_object_array_get_idx(jget(o, "data"), i);
		ck_assert(jint(e, "seq") > seq);
		seq = jint(e, "seq");
		ck_assert(jint(e, "time") >= t0 && jint(e, "time") <= t0 + 60);
		ck_assert(
		    json_object_get_double(jget(e, "duration_ms")) >= 0.0);
		ck_assert(
		    json_object_is_type(jget(e, "params"), json_type_object));
	}
	e = json_object_array_get_idx(jget(o, "data"), 0);
	ck_assert_str_eq(jstr(e, "method"), "GET");
	ck_assert_str_eq(jstr(e, "path"), "/v24.0/" DEMO_WABA);
	ck_assert_int_eq(jint(e, "status"), 400);
	ck_assert_int_eq(jint(e, "error_code"), 100);
	ck_assert_str_eq(jstr(e, "params.fields"), "name");
	ck_assert_str_ne(jstr(e, "params.access_token"), TOK_SECURE);
	ck_assert(jstr(e, "params.access_token")[0] != '\0');
	ck_assert_str_ne(jstr(e, "params.appsecret_proof"), proof);
	ck_assert(jstr(e, "params.appsecret_proof")[0] != '\0');
	e = json_object_array_get_idx(jget(o, "data"), 1);
	ck_assert_str_eq(jstr(e, "path"), "/v24.0/4999999999999999");
	ck_assert_str_eq(jstr(e, "user"), DEMO_ADMIN_USER);
	ck_assert_int_eq(jint(e, "error_code"), 100);
	e = json_object_array_get_idx(jget(o, "data"), 2);
	ck_assert_str_eq(jstr(e, "method"), "POST");
	ck_assert_str_eq(jstr(e, "path"),
	    "/v24.0/" DEMO_WABA "/assigned_users");
	ck_assert_str_eq(jstr(e, "user"), DEMO_MANAGER_USER);
	ck_assert_int_eq(jint(e, "status"), 200);
	ck_assert(json_object_is_type(jget(e, "error_code"), json_type_null));
	ck_assert_str_eq(jstr(e, "params.user"), DEMO_NOACCESS_USER);
	ck_assert_str_eq(jstr(e, "params.tasks"), "MANAGE");
	ck_assert_str_ne(jstr(e, "params.access_token"), TOK_MANAGER);
	e = json_object_array_get_idx(jget(o, "data"), 3);
	ck_assert_str_eq(jstr(e, "user"), DEMO_ADMIN_USER);
	ck_assert(jeq(jget(e, "params"), "{\"fields\":\"id\"}"));
	e = json_object_array_get_idx(jget(o, "data"), 4);
	ck_assert_str_eq(jstr(e, "path"), "/" DEMO_WABA);
	ck_assert(json_object_is_type(jget(e, "user"), json_type_null));
	ck_assert_int_eq(jint(e, "error_code"), 104);
	http_resp_free(&r);

	/* filters */
	ck_assert_int_eq(journal_count(&s, "?method=POST"), 1);
	ck_assert_int_eq(journal_count(&s, "?method=GET"), 4);
	ck_assert_int_eq(journal_count(&s, "?path=*/assigned_users"), 1);
	ck_assert_int_eq(journal_count(&s, "?path=/v24.0/" DEMO_WABA), 1);
	ck_assert_int_eq(journal_count(&s, "?path=*" DEMO_WABA "*"), 3);
	ck_assert_int_eq(journal_count(&s, "?status=400"), 3);
	ck_assert_int_eq(journal_count(&s, "?status=200&method=GET"), 1);
	ck_assert_int_eq(journal_count(&s, "?status=404"), 0);
	snprintf(path, sizeof(path), "?since=%lld", t0);
	ck_assert_int_eq(journal_count(&s, path), 5);
	o = ctl_ok(&s, "GET", "/_emulator/requests?method=POST", NULL);
	ck_assert_uint_eq(jlen(o, "data"), 1);
	ck_assert_str_eq(jstr(o, "data.0.method"), "POST");
	json_object_put(o);
	o = ctl_ok(&s, "GET", "/_emulator/requests?count", NULL);
	ck_assert(jeq(o, "{\"count\":5}"));
	json_object_put(o);
	/* since follows the emulator clock */
	json_object_put(ctl_ok(&s, "POST", "/_emulator/clock",
	    "{\"advance_seconds\":1000}"));
	ck_assert_int_eq(graph_status(&s, NODE_READ), 200);
	snprintf(path, sizeof(path), "?since=%lld", t0 + 1000);
	ck_assert_int_eq(journal_count(&s, path), 1);
	o = ctl_ok(&s, "GET", "/_emulator/requests?status=200", NULL);
	ck_assert_uint_eq(jlen(o, "data"), 3);
	ck_assert_str_eq(jstr(o, "data.2.path"), "/v24.0/" DEMO_WABA);
	ck_assert(jint(o, "data.2.time") >= t0 + 1000);
	json_object_put(o);
	/* bad filters */
	ctl_fails(&s, "GET", "/_emulator/requests?status=abc", NULL, 400,
	    "status");
	ctl_fails(&s, "GET", "/_emulator/requests/count?since=-1", NULL, 400,
	    "since");
	/* control-plane calls are not journaled */
	ck_assert_int_eq(journal_count(&s, ""), 6);

	/* DELETE clears; sequence numbers go on */
	o = ctl_ok(&s, "DELETE", "/_emulator/requests", NULL);
	ck_assert(jeq(o, "{\"success\":true}"));
	json_object_put(o);
	ck_assert_int_eq(journal_count(&s, ""), 0);
	o = ctl_ok(&s, "GET", "/_emulator/requests", NULL);
	ck_assert(jeq(o, "{\"data\":[]}"));
	json_object_put(o);
	ck_assert_int_eq(graph_status(&s, NODE_READ), 200);
	o = ctl_ok(&s, "GET", "/_emulator/requests", NULL);
	ck_assert_uint_eq(jlen(o, "data"), 1);
	ck_assert(jint(o, "data.0.seq") > seq);
	json_object_put(o);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/*
 * A batch carries tokens inside its items: in relative_url, in an item's
 * form body, in an item's headers, an app token, an input_token.  The
 * batch call's own entry keeps its batch parameter, and none of them may
 * show there, nor in the items' entries.
 */
START_TEST(test_journal_masks_batch_items)
{
	static const char batch[] =
	    "["
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_WABA
	    "?fields=id&access_token=" TOK_EMPLOYEE "\"},"
	    "{\"method\":\"POST\",\"relative_url\":\"" DEMO_WABA
	    "/assigned_users\",\"body\":\"user=" DEMO_NOACCESS_USER
	    "&tasks=MANAGE&access_token=" TOK_MANAGER "\"},"
	    "{\"method\":\"GET\",\"relative_url\":\"" DEMO_PHONE
	    "?fields=id\",\"headers\":[{\"name\":\"Authorization\","
	    "\"value\":\"OAuth " TOK_SECURE "\"}]},"
	    "{\"method\":\"GET\",\"relative_url\":\"debug_token?input_token=" TOK_GRANULAR
	    "&access_token=" TOK_APP "\"}]";
	static const char *const secrets[] = { TOK_ADMIN, TOK_EMPLOYEE,
		TOK_MANAGER, TOK_SECURE, TOK_GRANULAR, DEMO_APP_SECRET };
	struct server s;
	struct http_resp r;
	struct json_object *items, *e;
	CURL *c;
	char *enc, form[4096];
	size_t i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	c = curl_easy_init();
	enc = curl_easy_escape(c, batch, 0);
	snprintf(form, sizeof(form), "access_token=" TOK_ADMIN "&batch=%s",
	    enc);
	curl_free(enc);
	curl_easy_cleanup(c);
	ck_assert_int_eq(http_post_form(&s, "/v24.0/", form, &r), 0);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_uint_eq(jlen(r.json, ""), 4);
	http_resp_free(&r);

	ck_assert_int_eq(ctl_req(&s, "GET", "/_emulator/requests", NULL, &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
		ck_assert_msg(strstr(r.body, secrets[i]) == NULL,
		    "%s in the journal: %s", secrets[i], r.body);
	/* the batch call is the last entry; its items are still readable */
	e = json_object_array_get_idx(jget(r.json, "data"),
	    (int)jlen(r.json, "data") - 1);
	ck_assert_str_eq(jstr(e, "path"), "/v24.0/");
	items = json_tokener_parse(jstr(e, "params.batch"));
	ck_assert_ptr_nonnull(items);
	ck_assert_uint_eq(json_object_array_length(items), 4);
	ck_assert_str_eq(jstr(items, "0.relative_url"),
	    DEMO_WABA "?fields=id&access_token=EAAd***");
	ck_assert_str_eq(jstr(items, "1.body"),
	    "user=" DEMO_NOACCESS_USER "&tasks=MANAGE&access_token=EAAd***");
	ck_assert_str_eq(jstr(items, "2.headers.0.value"), "OAuth EAAd***");
	ck_assert_str_eq(jstr(items, "3.relative_url"),
	    "debug_token?input_token=EAAd***&access_token=1000***");
	json_object_put(items);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- metrics ------------------------------------------------------- */

/* The value of the sample whose line starts with name; -1 if absent. */
static double
metric(const char *text, const char *name)
{
	const char *p = text;
	size_t n = strlen(name);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return -1;
}

/* Every line a comment or "name{labels} value"; every name typed. */
static void
assert_prometheus(const char *text)
{
	const char *p = text;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512], name[128], type[160];
		size_t k = 0;

		ck_assert(len > 0 && len < sizeof(line));
		memcpy(line, p, len);
		line[len] = '\0';
		if (line[0] != '#') {
			char *sp = strrchr(line, ' ');
			char *end;

			ck_assert_ptr_nonnull(sp);
			strtod(sp + 1, &end);
			ck_assert_msg(*end == '\0' && end > sp + 1,
			    "bad value: %s", line);
			while (line[k] == '_' ||
			    (line[k] >= 'a' && line[k] <= 'z') ||
			    (line[k] >= '0' && line[k] <= '9'))
				k++;
			ck_assert(k > 0 && (line[k] == '{' || line[k] == ' '));
			snprintf(name, sizeof(name), "%.*s", (int)k, line);
			snprintf(type, sizeof(type), "# TYPE %s ", name);
			ck_assert_msg(strstr(text, type) != NULL, "untyped %s",
			    name);
		} else {
			ck_assert(strncmp(line, "# HELP ", 7) == 0 ||
			    strncmp(line, "# TYPE ", 7) == 0);
		}
		p += len;
		if (*p == '\n')
			p++;
	}
}

START_TEST(test_metrics)
{
	const char *args[] = { "--rate-limit", "1", NULL };
	struct server s;
	struct http_resp r;

	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(
	    graph_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN)), 200);
	ck_assert_int_eq(
	    graph_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN)), 429);
	ck_assert_int_eq(
	    graph_status(&s, WABA_PATH(DEMO_WABA_NOPHONES, TOK_ADMIN)), 429);
	ck_assert_int_eq(
	    graph_status(&s, WABA_PATH("4999999999999999", TOK_ADMIN)), 400);
	ck_assert_int_eq(graph_status(&s,
	                     "/v24.0/" DEMO_WABA
	                     "/phone_numbers?access_token=" TOK_ADMIN),
	    200);
	ck_assert_int_eq(graph_status(&s,
	                     "/v24.0/" DEMO_WABA
	                     "/phone_numbers?access_token=nonsense"),
	    401);

	ck_assert_int_eq(ctl_req(&s, "GET", "/_emulator/metrics", NULL, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert(
	    strncmp(http_header(&r, "content-type"), "text/plain", 10) == 0);
	assert_prometheus(r.body);
	ck_assert(metric(r.body,
	              "waba_emulator_requests_total{route=\"GET "
	              "/{waba-id}\",status=\"200\"}") == 1);
	ck_assert(metric(r.body,
	              "waba_emulator_requests_total{route=\"GET "
	              "/{waba-id}\",status=\"429\"}") == 2);
	ck_assert(metric(r.body,
	              "waba_emulator_requests_total{route=\"GET "
	              "/{waba-id}/phone_numbers\",status=\"200\"}") == 1);
	ck_assert(
	    metric(r.body, "waba_emulator_errors_total{code=\"80008\"}") == 2);
	ck_assert(
	    metric(r.body, "waba_emulator_errors_total{code=\"100\"}") == 1);
	ck_assert(
	    metric(r.body, "waba_emulator_errors_total{code=\"190\"}") == 1);
	ck_assert(metric(r.body, "waba_emulator_throttled_total") == 2);
	ck_assert(metric(r.body, "waba_emulator_journal_entries") == 6);
	ck_assert(metric(r.body, "waba_emulator_store_bytes") > 0);
	http_resp_free(&r);

	/* the journal gauge follows DELETE; counters only go up */
	ck_assert_int_eq(ctl_status(&s, "DELETE", "/_emulator/requests", NULL),
	    200);
	ck_assert_int_eq(ctl_status(&s, "POST", "/_emulator/reset", NULL), 200);
	ck_assert_int_eq(ctl_req(&s, "GET", "/_emulator/metrics", NULL, &r), 0);
	ck_assert(metric(r.body, "waba_emulator_journal_entries") == 0);
	ck_assert(metric(r.body, "waba_emulator_throttled_total") == 2);
	ck_assert(
	    metric(r.body, "waba_emulator_errors_total{code=\"80008\"}") == 2);
	http_resp_free(&r);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- routing, methods, bad bodies ---------------------------------- */

START_TEST(test_unknown_routes_and_methods)
{
	static const struct {
		const char *method, *path;
		long status;
	} cases[] = {
		{ "GET", "/_emulator", 404 },
		{ "GET", "/_emulator/", 404 },
		{ "GET", "/_emulator/nope", 404 },
		{ "POST", "/_emulator/nope", 404 },
		{ "GET", "/_emulator/health/deep", 404 },
		{ "GET", "/_emulator/state/wabas", 404 },
		{ "GET", "/_emulator/requests/other", 404 },
		{ "GET", "/_emulator/clock/now", 404 },
		{ "PUT", "/_emulator/clock", 405 },
		{ "DELETE", "/_emulator/state", 405 },
		{ "POST", "/_emulator/state", 405 },
		{ "GET", "/_emulator/reset", 405 },
		{ "POST", "/_emulator/metrics", 405 },
		{ "POST", "/_emulator/health", 405 },
		{ "GET", "/_emulator/tokens", 405 },
		{ "GET", "/_emulator/tokens/" TOK_ADMIN, 405 },
		{ "PUT", "/_emulator/faults", 405 },
		{ "POST", "/_emulator/requests", 405 },
		{ "GET", "/_emulator/fixtures", 405 },
	};
	struct server s;
	struct snapshot sn;
	size_t i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	snapshot_take(&s, &sn);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_resp r;

		ck_assert_int_eq(
		    ctl_req(&s, cases[i].method, cases[i].path,
		        strcmp(cases[i].method, "GET") ? "{}" : NULL, &r),
		    0);
		ck_assert_msg(r.status == cases[i].status, "%s %s: %ld %s",
		    cases[i].method, cases[i].path, r.status, r.body);
		assert_ctl_error(&r, cases[i].status, NULL);
		http_resp_free(&r);
	}
	/* bad JSON bodies */
	ctl_fails(&s, "POST", "/_emulator/fixtures", "{\"wabas\":[", 400, "$");
	ctl_fails(&s, "POST", "/_emulator/faults", "not json", 400, "$");
	ctl_fails(&s, "POST", "/_emulator/tokens", "{\"user\":}", 400, "$");
	ctl_fails(&s, "POST", "/_emulator/clock", "{\"now\":1,}", 400, "$");
	ctl_fails(&s, "PUT", "/_emulator/state", "{} {}", 400, "$");
	ctl_fails(&s, "POST", "/_emulator/tokens/" TOK_ADMIN, "\"valid\"", 400,
	    "$");
	snapshot_same(&s, &sn);
	ck_assert_int_eq(graph_status(&s, NODE_READ), 200);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_body_too_large)
{
	const char *args[] = { "--max-body", "64", NULL };
	struct server s;
	struct snapshot sn;
	char big[256];

	ck_assert_int_eq(server_start(&s, args), 0);
	snprintf(big, sizeof(big), "{\"businesses\":[{\"name\":\"%0100d\"}]}",
	    7);
	snapshot_take(&s, &sn);
	ctl_fails(&s, "POST", "/_emulator/fixtures", big, 413, "$");
	ctl_fails(&s, "PUT", "/_emulator/state", big, 413, "$");
	snapshot_same(&s, &sn);
	/* small bodies still pass */
	json_object_put(
	    ctl_ok(&s, "POST", "/_emulator/clock", "{\"advance_seconds\":1}"));
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- --admin-token and --no-control-plane -------------------------- */

/* Every route but health, with a body it accepts, in a safe order. */
static const struct {
	const char *method, *path, *body;
} guarded[] = {
	{ "GET", "/_emulator/state", NULL },
	{ "POST", "/_emulator/fixtures",
	    "{\"businesses\":[{\"name\":\"Guarded\"}]}" },
	{ "POST", "/_emulator/tokens",
	    "{\"user\":\"" DEMO_ADMIN_USER "\",\"app\":\"" DEMO_APP "\"}" },
	{ "POST", "/_emulator/tokens/" TOK_EMPLOYEE,
	    "{\"state\":\"expired\"}" },
	{ "GET", "/_emulator/clock", NULL },
	{ "POST", "/_emulator/clock", "{\"advance_seconds\":100000}" },
	{ "POST", "/_emulator/faults",
	    "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":2}}" },
	{ "GET", "/_emulator/faults", NULL },
	{ "DELETE", "/_emulator/faults/1", NULL },
	{ "DELETE", "/_emulator/faults", NULL },
	{ "GET", "/_emulator/requests", NULL },
	{ "GET", "/_emulator/requests/count", NULL },
	{ "DELETE", "/_emulator/requests", NULL },
	{ "GET", "/_emulator/metrics", NULL },
	{ "POST", "/_emulator/reset", NULL },
	{ "PUT", "/_emulator/state", "{}" },
};

START_TEST(test_admin_token)
{
	const char *args[] = { "--admin-token", "s3cret", NULL };
	static const char *const wrong[][2] = {
		{ NULL, NULL },
		{ "Authorization: Bearer nope", NULL },
		{ "Authorization: Bearer s3cre", NULL },
		{ "Authorization: Bearer s3cretX", NULL },
		{ "Authorization: Basic czNjcmV0", NULL },
		{ "Authorization: s3cret", NULL },
		{ "Authorization: Bearer " TOK_ADMIN, NULL },
	};
	const char *right[] = { "Authorization: Bearer s3cret", NULL };
	struct server s;
	struct http_resp r;
	struct json_object *boot, *now;
	long long t0;
	size_t i, k;

	ck_assert_int_eq(server_start(&s, args), 0);
	/* health stays open */
	ck_assert_int_eq(ctl_status(&s, "GET", "/_emulator/health", NULL), 200);
	ck_assert_int_eq(
	    http_req(&s, "GET", "/_emulator/clock", NULL, NULL, right, &r), 0);
	t0 = jint(r.json, "now");
	http_resp_free(&r);
	ck_assert_int_eq(
	    http_req(&s, "GET", "/_emulator/state", NULL, NULL, right, &r), 0);
	boot = json_object_get(r.json);
	http_resp_free(&r);

	for (k = 0; k < sizeof(wrong) / sizeof(wrong[0]); k++) {
		for (i = 0; i < sizeof(guarded) / sizeof(guarded[0]); i++) {
			ck_assert_int_eq(
			    http_req(&s, guarded[i].method, guarded[i].path,
			        guarded[i].body,
			        guarded[i].body ? "application/json" : NULL,
			        wrong[k], &r),
			    0);
			ck_assert_msg(r.status == 401, "%s %s (%s): %ld",
			    guarded[i].method, guarded[i].path,
			    wrong[k][0] ? wrong[k][0] : "none", r.status);
			assert_ctl_error(&r, 401, NULL);
			http_resp_free(&r);
		}
	}
	/* unknown routes are refused before they are looked up */
	ck_assert_int_eq(ctl_status(&s, "GET", "/_emulator/nope", NULL), 401);

	/* none of that changed anything */
	ck_assert_int_eq(
	    http_req(&s, "GET", "/_emulator/state", NULL, NULL, right, &r), 0);
	ck_assert(json_object_equal(boot, r.json));
	http_resp_free(&r);
	ck_assert_int_eq(
	    http_req(&s, "GET", "/_emulator/clock", NULL, NULL, right, &r), 0);
	ck_assert(jint(r.json, "now") < t0 + 100000);
	http_resp_free(&r);
	ck_assert_int_eq(
	    http_req(&s, "GET", "/_emulator/faults", NULL, NULL, right, &r), 0);
	ck_assert(jeq(r.json, "{\"data\":[]}"));
	http_resp_free(&r);
	/* the Graph API does not look at the admin token */
	ck_assert_int_eq(graph_status(&s, NODE_READ), 200);
	ck_assert_int_eq(graph_status(&s, WABA_PATH(DEMO_WABA, TOK_EMPLOYEE)),
	    200);

	/* with the token every route answers */
	for (i = 0; i < sizeof(guarded) / sizeof(guarded[0]); i++) {
		ck_assert_int_eq(
		    http_req(&s, guarded[i].method, guarded[i].path,
		        guarded[i].body,
		        guarded[i].body ? "application/json" : NULL, right, &r),
		    0);
		ck_assert_msg(r.status == 200, "%s %s: %ld %s",
		    guarded[i].method, guarded[i].path, r.status, r.body);
		http_resp_free(&r);
	}
	ck_assert_int_eq(
	    http_req(&s, "GET", "/_emulator/state", NULL, NULL, right, &r), 0);
	now = r.json;
	ck_assert(jeq(now,
	    "{\"apps\":[],\"businesses\":[],\"users\":[],"
	    "\"tokens\":[],\"wabas\":[],\"phone_numbers\":[],\"templates\":[],"
	    "\"assignments\":[],\"shares\":[],\"subscriptions\":[],"
	    "\"subscribed_apps\":[],\"oauth_codes\":[],\"messages\":[]}"));
	http_resp_free(&r);
	json_object_put(boot);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_no_control_plane)
{
	const char *args[] = { "--no-control-plane", NULL };
	struct server s;
	struct http_resp r;
	size_t i;

	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(ctl_req(&s, "GET", "/_emulator/health", NULL, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "status"), "ok");
	http_resp_free(&r);
	for (i = 0; i < sizeof(guarded) / sizeof(guarded[0]); i++) {
		ck_assert_int_eq(ctl_req(&s, guarded[i].method, guarded[i].path,
		                     guarded[i].body, &r),
		    0);
		ck_assert_msg(r.status == 404, "%s %s: %ld", guarded[i].method,
		    guarded[i].path, r.status);
		http_resp_free(&r);
	}
	/* nothing happened: the employee's token still works, no fault */
	ck_assert_int_eq(graph_status(&s, WABA_PATH(DEMO_WABA, TOK_EMPLOYEE)),
	    200);
	ck_assert_int_eq(graph_status(&s, NODE_READ), 200);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* ---- Host and cross-site requests --------------------------------- */

/* A request with up to two extra header lines; the caller frees r. */
static void
req_with(const struct server *s, const char *method, const char *path,
    const char *body, const char *h1, const char *h2, struct http_resp *r)
{
	const char *hdrs[] = { h1, h2, NULL };

	ck_assert_int_eq(http_req(s, method, path, body,
	                     body ? "application/json" : NULL, hdrs, r),
	    0);
}

static long
status_with(const struct server *s, const char *method, const char *path,
    const char *body, const char *h1, const char *h2)
{
	struct http_resp r;
	long st;

	req_with(s, method, path, body, h1, h2, &r);
	st = r.status;
	http_resp_free(&r);
	return st;
}

/* clang-format off */
#define FAULT_RULE "{\"match\":{\"path\":\"*\"},\"error\":{\"code\":2}}"
/* clang-format on */

/*
 * Bound to loopback, only loopback names (and --allow-host ones) pass as
 * Host, on Graph paths and the control plane alike: a name rebound to
 * 127.0.0.1 reads nothing.
 */
START_TEST(test_loopback_host_names)
{
	static const char *const good[] = { "Host: localhost",
		"Host: localhost:%d", "Host: LocalHost:%d",
		"Host: 127.0.0.1:%d", "Host: 127.1.2.3", "Host: [::1]:%d",
		"Host: [::1]" };
	static const char *const bad[] = { "Host: evil.example",
		"Host: evil.example:%d", "Host: 127.0.0.1.evil.example:%d",
		"Host: localhost.evil.example", "Host: 127.0.0.1:80x",
		"Host: 127.0.0.256", "Host: 127.0.0", "Host: [::2]:%d",
		"Host: 10.0.0.1:%d", "Host: localhost:" };
	struct server s;
	struct http_resp r;
	struct json_object *boot, *o;
	char h[128];
	size_t i;

	ck_assert_int_eq(server_start(&s, NULL), 0);
	boot = state_export(&s);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(h, sizeof(h), good[i], s.port);
		ck_assert_msg(
		    status_with(&s, "GET", NODE_READ, NULL, h, NULL) == 200,
		    "%s refused", h);
		ck_assert_msg(status_with(&s, "GET", "/_emulator/state", NULL,
		                  h, NULL) == 200,
		    "%s refused", h);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(h, sizeof(h), bad[i], s.port);
		/* Graph: a Graph error */
		req_with(&s, "GET", NODE_READ, NULL, h, NULL, &r);
		ck_assert_msg(r.status == 400, "%s: %ld %s", h, r.status,
		    r.body);
		ck_assert_int_eq(jint(r.json, "error.code"), 100);
		ck_assert_str_eq(jstr(r.json, "error.type"), "OAuthException");
		ck_assert(jstr(r.json, "error.fbtrace_id")[0] != '\0');
		ck_assert(
		    strstr(jstr(r.json, "error.message"), "Host") != NULL);
		http_resp_free(&r);
		/* a write is refused too, and changes nothing */
		ck_assert_int_eq(
		    status_with(&s, "POST",
		        "/v24.0/" DEMO_WABA
		        "/phone_numbers?access_token=" TOK_ADMIN "&cc=1"
		        "&phone_number=5550107777&verified_name=Rebound",
		        NULL, h, NULL),
		    400);
		/* the control plane: its own error, health included */
		req_with(&s, "GET", "/_emulator/state", NULL, h, NULL, &r);
		assert_ctl_error(&r, 403, NULL);
		http_resp_free(&r);
		req_with(&s, "GET", "/_emulator/health", NULL, h, NULL, &r);
		assert_ctl_error(&r, 403, NULL);
		http_resp_free(&r);
		req_with(&s, "POST", "/_emulator/faults", FAULT_RULE, h, NULL,
		    &r);
		assert_ctl_error(&r, 403, NULL);
		http_resp_free(&r);
	}
	/* nothing changed: no fault rule, the same state */
	o = ctl_ok(&s, "GET", "/_emulator/faults", NULL);
	ck_assert(jeq(o, "{\"data\":[]}"));
	json_object_put(o);
	o = state_export(&s);
	ck_assert(json_object_equal(boot, o));
	json_object_put(o);
	json_object_put(boot);
	/* the same write through a loopback name does change it */
	ck_assert_int_eq(status_with(&s, "POST",
	                     "/v24.0/" DEMO_WABA
	                     "/phone_numbers?access_token=" TOK_ADMIN "&cc=1"
	                     "&phone_number=5550107777&verified_name=Rebound",
	                     NULL, "Host: localhost", NULL),
	    200);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

START_TEST(test_allow_host)
{
	const char *args[] = { "--allow-host", "waba.test,other.test",
		"--allow-host", "ci-host", NULL };
	struct server s;
	char h[128];

	ck_assert_int_eq(server_start(&s, args), 0);
	snprintf(h, sizeof(h), "Host: waba.test:%d", s.port);
	ck_assert_int_eq(status_with(&s, "GET", NODE_READ, NULL, h, NULL), 200);
	ck_assert_int_eq(
	    status_with(&s, "GET", "/_emulator/clock", NULL, h, NULL), 200);
	ck_assert_int_eq(
	    status_with(&s, "GET", NODE_READ, NULL, "Host: OTHER.test", NULL),
	    200);
	ck_assert_int_eq(
	    status_with(&s, "GET", NODE_READ, NULL, "Host: ci-host:8080", NULL),
	    200);
	ck_assert_int_eq(
	    status_with(&s, "GET", NODE_READ, NULL, "Host: evil.test", NULL),
	    400);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* Bound to every address, the operator chose to be reached by any name. */
START_TEST(test_any_host_when_not_loopback)
{
	const char *args[] = { "--bind", "0.0.0.0", NULL };
	struct server s;

	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(
	    status_with(&s, "GET", NODE_READ, NULL, "Host: waba:8080", NULL),
	    200);
	ck_assert_int_eq(status_with(&s, "GET", "/_emulator/health", NULL,
	                     "Host: waba:8080", NULL),
	    200);
	/* a browser's cross-site call is still refused */
	ck_assert_int_eq(status_with(&s, "POST", "/_emulator/faults",
	                     FAULT_RULE, "Host: waba:8080",
	                     "Origin: http://evil.example"),
	    403);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/*
 * A page on another site can make the browser POST a form to the control
 * plane; Origin and Sec-Fetch-Site give it away.  Clients that send
 * neither keep working whatever their content type.
 */
START_TEST(test_cross_site_refused)
{
	struct server s;
	struct http_resp r;
	struct json_object *o;
	char same[128];
	size_t i;
	static const char *const refused[][3] = {
		{ "Origin: http://evil.example", NULL },
		{ "Origin: null", NULL },
		{ "Origin: https://127.0.0.1", NULL },
		{ "Sec-Fetch-Site: cross-site", NULL },
		{ "Sec-Fetch-Site: same-site", NULL },
		{ "Sec-Fetch-Site: cross-site", "Origin: http://evil.example" },
	};

	ck_assert_int_eq(server_start(&s, NULL), 0);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		/* the form a page would post: text the server reads as JSON */
		ck_assert_int_eq(http_req(&s, "POST", "/_emulator/faults",
		                     FAULT_RULE, "text/plain", refused[i], &r),
		    0);
		assert_ctl_error(&r, 403, NULL);
		http_resp_free(&r);
		req_with(&s, "GET", "/_emulator/state", NULL, refused[i][0],
		    refused[i][1], &r);
		assert_ctl_error(&r, 403, NULL);
		http_resp_free(&r);
		req_with(&s, "POST", "/_emulator/reset", NULL, refused[i][0],
		    refused[i][1], &r);
		assert_ctl_error(&r, 403, NULL);
		http_resp_free(&r);
	}
	o = ctl_ok(&s, "GET", "/_emulator/faults", NULL);
	ck_assert(jeq(o, "{\"data\":[]}"));
	json_object_put(o);
	/* Graph paths answer browsers as Graph does */
	ck_assert_int_eq(status_with(&s, "GET", NODE_READ, NULL,
	                     "Origin: http://evil.example",
	                     "Sec-Fetch-Site: cross-site"),
	    200);

	/* the emulator's own origin, a typed URL, and plain clients pass */
	snprintf(same, sizeof(same), "Origin: http://127.0.0.1:%d", s.port);
	ck_assert_int_eq(status_with(&s, "GET", "/_emulator/clock", NULL, same,
	                     "Sec-Fetch-Site: same-origin"),
	    200);
	ck_assert_int_eq(status_with(&s, "GET", "/_emulator/clock", NULL,
	                     "Sec-Fetch-Site: none", NULL),
	    200);
	/* curl -d sends form encoding; the body is still the rule */
	ck_assert_int_eq(
	    http_req(&s, "POST", "/_emulator/faults",
	        "{\"match\":{\"path\":\"/nowhere\"},\"error\":{\"code\":2}}",
	        "application/x-www-form-urlencoded", NULL, &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	http_resp_free(&r);
	o = ctl_ok(&s, "GET", "/_emulator/faults", NULL);
	ck_assert_uint_eq(jlen(o, "data"), 1);
	json_object_put(o);
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST
static void openapi_tcase(Suite *su);

int
main(void)
{
	Suite *su = suite_create("control");
	TCase *state = tcase_create("state");
	TCase *tokens = tcase_create("tokens and clock");
	TCase *faults = tcase_create("faults");
	TCase *journal = tcase_create("journal and metrics");
	TCase *routing = tcase_create("routing");
	TCase *big = tcase_create("max body");
	TCase *admin = tcase_create("admin token");
	TCase *off = tcase_create("no control plane");
	TCase *origin = tcase_create("host and origin");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	tcase_set_timeout(state, 60);
	tcase_add_test(state, test_health);
	tcase_add_test(state, test_reset_after_writes);
	tcase_add_test(state, test_state_round_trip);
	tcase_add_test(state, test_node_reads_follow_the_state);
	tcase_add_test(state, test_state_put_broken);
	tcase_add_test(state, test_fixtures_add);
	tcase_add_test(state, test_rejected_requests_keep_the_id_counter);
	suite_add_tcase(su, state);
	tcase_set_timeout(tokens, 60);
	tcase_add_test(tokens, test_tokens_mint);
	tcase_add_test(tokens, test_token_states);
	tcase_add_test(tokens, test_clock);
	suite_add_tcase(su, tokens);
	tcase_set_timeout(faults, 60);
	tcase_add_test(faults, test_fault_modes);
	tcase_add_test(faults, test_fault_probability_replays);
	tcase_add_test(faults, test_fault_latency_drop_custom);
	tcase_add_test(faults, test_fault_list_delete_and_bad_rules);
	suite_add_tcase(su, faults);
	tcase_set_timeout(journal, 60);
	tcase_add_test(journal, test_requests_journal);
	tcase_add_test(journal, test_journal_masks_batch_items);
	tcase_add_test(journal, test_metrics);
	suite_add_tcase(su, journal);
	tcase_set_timeout(routing, 60);
	tcase_add_test(routing, test_unknown_routes_and_methods);
	suite_add_tcase(su, routing);
	tcase_set_timeout(big, 60);
	tcase_add_test(big, test_body_too_large);
	suite_add_tcase(su, big);
	tcase_set_timeout(admin, 60);
	tcase_add_test(admin, test_admin_token);
	suite_add_tcase(su, admin);
	tcase_set_timeout(off, 60);
	tcase_add_test(off, test_no_control_plane);
	suite_add_tcase(su, off);
	tcase_set_timeout(origin, 60);
	tcase_add_test(origin, test_loopback_host_names);
	tcase_add_test(origin, test_allow_host);
	tcase_add_test(origin, test_any_host_when_not_loopback);
	tcase_add_test(origin, test_cross_site_refused);
	suite_add_tcase(su, origin);
	openapi_tcase(su);
	curl_global_cleanup();
	return suite_run(su);
}

/* ---- the OpenAPI document against the real answers ----------------- */

/*
 * GET /_emulator/openapi.json must describe what the routes answer: each
 * documented operation is called with its documented example and its
 * answer checked against the schema for the status it came with; a method
 * the document leaves out of a path must be one the server refuses (405).
 * The checker knows the keywords the document uses: $ref, type, nullable,
 * enum, required, properties, additionalProperties, items, oneOf,
 * minimum and maximum.
 */

static struct json_object *oa_doc; /* the served document */

/* Follows "#/components/..." references inside oa_doc. */
static struct json_object *
oa_deref(struct json_object *node)
{
	struct json_object *ref;
	char path[256], *p;

	while (json_object_object_get_ex(node, "$ref", &ref)) {
		const char *s = json_object_get_string(ref);

		ck_assert_msg(strncmp(s, "#/", 2) == 0, "ref %s", s);
		snprintf(path, sizeof(path), "%s", s + 2);
		for (p = path; *p != '\0'; p++)
			if (*p == '/')
				*p = '.';
		node = jget(oa_doc, path);
		ck_assert_msg(node != NULL, "dangling ref %s", s);
	}
	return node;
}

static bool
oa_type_ok(const char *type, struct json_object *v)
{
	json_type t = json_object_get_type(v);

	if (strcmp(type, "object") == 0)
		return t == json_type_object;
	if (strcmp(type, "array") == 0)
		return t == json_type_array;
	if (strcmp(type, "string") == 0)
		return t == json_type_string;
	if (strcmp(type, "integer") == 0)
		return t == json_type_int;
	if (strcmp(type, "number") == 0)
		return t == json_type_int || t == json_type_double;
	if (strcmp(type, "boolean") == 0)
		return t == json_type_boolean;
	ck_abort_msg("the document uses type %s", type);
	return false;
}

/* NULL when v fits schema, else a static message naming where. */
static const char *
oa_check(struct json_object *schema, struct json_object *v, const char *at)
{
	static char why[512];
	struct json_object *x, *y;
	const char *bad;
	char sub[256];
	size_t i, fits;

	schema = oa_deref(schema);
	if (v == NULL) {
		if (json_object_object_get_ex(schema, "nullable", &x) &&
		    json_object_get_boolean(x))
			return NULL;
		snprintf(why, sizeof(why), "%s: null", at);
		return why;
	}
	if (json_object_object_get_ex(schema, "oneOf", &x)) {
		for (i = 0, fits = 0; i < json_object_array_length(x); i++)
			fits += oa_check(json_object_array_get_idx(x, i), v,
			            at) == NULL;
		if (fits != 1) {
			snprintf(why, sizeof(why), "%s: fits %zu of oneOf", at,
			    fits);
			return why;
		}
	}
	if (json_object_object_get_ex(schema, "type", &x) &&
	    !oa_type_ok(json_object_get_string(x), v)) {
		snprintf(why, sizeof(why), "%s: not %s: %s", at,
		    json_object_get_string(x), json_object_to_json_string(v));
		return why;
	}
	if (json_object_object_get_ex(schema, "enum", &x)) {
		for (i = 0; i < json_object_array_length(x); i++)
			if (json_object_equal(json_object_array_get_idx(x, i),
			        v))
				break;
		if (i == json_object_array_length(x)) {
			snprintf(why, sizeof(why), "%s: %s not in the enum", at,
			    json_object_to_json_string(v));
			return why;
		}
	}
	if ((json_object_object_get_ex(schema, "minimum", &x) &&
	        json_object_get_double(v) < json_object_get_double(x)) ||
	    (json_object_object_get_ex(schema, "maximum", &x) &&
	        json_object_get_double(v) > json_object_get_double(x))) {
		snprintf(why, sizeof(why), "%s: %s out of range", at,
		    json_object_to_json_string(v));
		return why;
	}
	if (json_object_is_type(v, json_type_array) &&
	    json_object_object_get_ex(schema, "items", &x))
		for (i = 0; i < json_object_array_length(v); i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", at, i);
			if ((bad = oa_check(x, json_object_array_get_idx(v, i),
			         sub)) != NULL)
				return bad;
		}
	if (!json_object_is_type(v, json_type_object))
		return NULL;
	if (json_object_object_get_ex(schema, "required", &x))
		for (i = 0; i < json_object_array_length(x); i++) {
			const char *k = json_object_get_string(
			    json_object_array_get_idx(x, i));

			if (!json_object_object_get_ex(v, k, NULL)) {
				snprintf(why, sizeof(why), "%s: no %s", at, k);
				return why;
			}
		}
	json_object_object_foreach(v, key, val) {
		snprintf(sub, sizeof(sub), "%s.%s", at, key);
		if (json_object_object_get_ex(schema, "properties", &x) &&
		    json_object_object_get_ex(x, key, &y))
			bad = oa_check(y, val, sub);
		else if (!json_object_object_get_ex(schema,
		             "additionalProperties", &y))
			bad = NULL;
		else if (json_object_is_type(y, json_type_boolean))
			bad = json_object_get_boolean(y) ?
			    NULL :
			    "an undocumented key";
		else
			bad = oa_check(y, val, sub);
		if (bad != NULL && bad != why) {
			snprintf(why, sizeof(why), "%s: %s", sub, bad);
			return why;
		}
		if (bad != NULL)
			return bad;
	}
	return NULL;
}

/* path with each {name} replaced by that parameter's example. */
static void
oa_fill_path(const char *tmpl, struct json_object *op, char *out, size_t n)
{
	struct json_object *params = NULL, *p = NULL;
	size_t k = 0, i;

	json_object_object_get_ex(op, "parameters", &params);
	while (*tmpl != '\0' && k + 1 < n) {
		const char *end;

		if (*tmpl != '{') {
			out[k++] = *tmpl++;
			continue;
		}
		end = strchr(tmpl, '}');
		ck_assert_ptr_nonnull(end);
		for (i = 0;
		     params != NULL && i < json_object_array_length(params);
		     i++) {
			p = json_object_array_get_idx(params, i);
			if (strlen(jstr(p, "name")) ==
			        (size_t)(end - tmpl - 1) &&
			    strncmp(jstr(p, "name"), tmpl + 1,
			        (size_t)(end - tmpl - 1)) == 0)
				break;
		}
		ck_assert_msg(params != NULL &&
		        i < json_object_array_length(params),
		    "%s: no example for %.*s", tmpl, (int)(end - tmpl), tmpl);
		k += (size_t)snprintf(out + k, n - k, "%s", jstr(p, "example"));
		tmpl = end + 1;
	}
	out[k < n ? k : n - 1] = '\0';
}

/* Checks r against op's documented answer for its status. */
static void
oa_check_answer(const char *what, struct json_object *op,
    const struct http_resp *r)
{
	struct json_object *resp, *content, *media;
	const char *ctype = http_header(r, "Content-Type"), *bad;
	char status[8];

	snprintf(status, sizeof(status), "%ld", r->status);
	resp = jget(op, "responses");
	ck_assert_msg(json_object_object_get_ex(resp, status, &resp),
	    "%s: answered %ld, which is not documented: %s", what, r->status,
	    r->body);
	resp = oa_deref(resp);
	ck_assert_msg(json_object_object_get_ex(resp, "content", &content),
	    "%s: %ld has no documented content", what, r->status);
	ck_assert_ptr_nonnull(ctype);
	if (json_object_object_get_ex(content, "application/json", &media)) {
		ck_assert_msg(strncmp(ctype, "application/json", 16) == 0,
		    "%s: Content-Type %s", what, ctype);
		ck_assert_msg(r->json != NULL, "%s: not JSON", what);
		bad = oa_check(jget(media, "schema"), r->json, "$");
		ck_assert_msg(bad == NULL, "%s (%ld): %s\n%s", what, r->status,
		    bad, r->body);
	} else {
		/* text: the one media type documented, and a body (but a
		 * stream, which the walk asks for with HEAD) */
		const char *type = NULL;

		json_object_object_foreach(content, k, v) {
			(void)v;
			type = k;
		}
		ck_assert_msg(type != NULL && strncmp(type, "text/", 5) == 0,
		    "%s: an undocumented media type", what);
		ck_assert_msg(strncmp(ctype, type, strlen(type)) == 0,
		    "%s: Content-Type %s, documented %s", what, ctype, type);
		if (strcmp(type, "text/event-stream") != 0)
			ck_assert(r->body_len > 0);
	}
}

/* True when op answers 200 with a stream that does not end by itself. */
static bool
oa_streams(struct json_object *op)
{
	return jget(op, "responses.200.content") != NULL &&
	    json_object_object_get_ex(jget(op, "responses.200.content"),
	        "text/event-stream", NULL);
}

/* Calls op (its examples) and checks the answer is a documented success. */
static void
oa_call(const struct server *s, const char *tmpl, const char *method,
    struct json_object *op, const char *const *headers)
{
	struct json_object *ex = jget(op, "requestBody.content");
	char path[256], what[300], upper[8];
	struct http_resp r;
	size_t i;

	for (i = 0; method[i] != '\0' && i + 1 < sizeof(upper); i++)
		upper[i] = (char)(method[i] - 'a' + 'A');
	upper[i] = '\0';
	oa_fill_path(tmpl, op, path, sizeof(path));
	/* a stream is asked for its headers, or the walk would wait on it */
	if (oa_streams(op))
		snprintf(upper, sizeof(upper), "HEAD");
	snprintf(what, sizeof(what), "%s %s", upper, path);
	if (ex != NULL)
		ex = jget(ex, "application/json.example");
	ck_assert_msg(jget(op, "requestBody") == NULL || ex != NULL,
	    "%s: a body without an example", what);
	ck_assert_int_eq(http_req(s, upper, path,
	                     ex ? json_object_to_json_string(ex) : NULL,
	                     ex ? "application/json" : NULL, headers, &r),
	    0);
	ck_assert_msg(r.status / 100 == 2, "%s: %ld %s", what, r.status,
	    r.body);
	oa_check_answer(what, op, &r);
	http_resp_free(&r);
	if (ex == NULL)
		return;
	/* a broken body is a documented 400 */
	ck_assert_int_eq(http_req(s, upper, path, "{\"a\":", "application/json",
	                     headers, &r),
	    0);
	ck_assert_int_eq(r.status, 400);
	oa_check_answer(what, op, &r);
	http_resp_free(&r);
}

static struct json_object *
oa_fetch(const struct server *s, const char *const *headers)
{
	struct http_resp r;
	struct json_object *o;

	ck_assert_int_eq(http_req(s, "GET", "/_emulator/openapi.json", NULL,
	                     NULL, headers, &r),
	    0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(r.json);
	ck_assert_str_eq(jstr(r.json, "openapi"), "3.0.3");
	o = json_object_get(r.json);
	http_resp_free(&r);
	return o;
}

START_TEST(test_openapi_describes_every_answer)
{
	static const char *const methods[] = { "get", "put", "post", "delete" };
	struct json_object *deferred[16][2], *health, *paths, *item;
	const char *dpath[16];
	/* a subscriber, so that a fired event has a delivery to redeliver;
	 * nothing listens there and the retry is minutes away */
	const char *args[] = { "--webhook-url", "http://127.0.0.1:9/", NULL };
	size_t nd = 0, m;
	struct server s;
	struct http_resp r;
	char path[256];

	ck_assert_int_eq(server_start(&s, args), 0);
	oa_doc = oa_fetch(&s, NULL);
	health = ctl_ok(&s, "GET", "/_emulator/health", NULL);
	ck_assert_str_eq(jstr(oa_doc, "info.version"), jstr(health, "version"));
	json_object_put(health);
	paths = jget(oa_doc, "paths");
	ck_assert_int_ge(json_object_object_length(paths), 12);
	/* document order, but removals last, most specific first */
	json_object_object_foreach(paths, tmpl, it) {
		item = it;
		for (m = 0; m < 4; m++) {
			struct json_object *op;

			if (!json_object_object_get_ex(item, methods[m], &op))
				continue;
			if (strcmp(methods[m], "delete") == 0) {
				ck_assert_uint_lt(nd, 16);
				dpath[nd] = tmpl;
				deferred[nd][0] = op;
				deferred[nd++][1] = item;
				continue;
			}
			/* a Graph call first: the journal has one to show */
			ck_assert_int_eq(
			    http_get(&s, WABA_PATH(DEMO_WABA, TOK_ADMIN), &r),
			    0);
			http_resp_free(&r);
			oa_call(&s, tmpl, methods[m], op, NULL);
		}
	}
	while (nd-- > 0)
		oa_call(&s, dpath[nd], "delete", deferred[nd][0], NULL);
	/* a method a path does not document is refused */
	json_object_object_foreach(paths, tmpl2, it2) {
		for (m = 0; m < 4; m++) {
			struct json_object *any = NULL;
			char upper[8];
			size_t i;

			if (json_object_object_get_ex(it2, methods[m], NULL))
				continue;
			json_object_object_foreach(it2, k, v) {
				(void)k;
				any = v;
			}
			for (i = 0; methods[m][i] != '\0'; i++)
				upper[i] = (char)(methods[m][i] - 'a' + 'A');
			upper[i] = '\0';
			oa_fill_path(tmpl2, any, path, sizeof(path));
			ck_assert_msg(ctl_status(&s, upper, path, NULL) == 405,
			    "%s %s is served but not documented", upper, path);
		}
	}
	json_object_put(oa_doc);
	oa_doc = NULL;
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

/* Every route but health documents the 401 it answers without the token. */
START_TEST(test_openapi_admin_token)
{
	static const char *const methods[] = { "get", "put", "post", "delete" };
	static const char *const auth[] = { "Authorization: Bearer s3cret",
		NULL };
	const char *args[] = { "--admin-token", "s3cret", NULL };
	struct server s;
	struct http_resp r;
	char path[256], upper[8];
	size_t m, i;

	ck_assert_int_eq(server_start(&s, args), 0);
	ck_assert_int_eq(ctl_status(&s, "GET", "/_emulator/openapi.json", NULL),
	    401);
	oa_doc = oa_fetch(&s, auth);
	json_object_object_foreach(jget(oa_doc, "paths"), tmpl, item) {
		for (m = 0; m < 4; m++) {
			struct json_object *op;

			if (!json_object_object_get_ex(item, methods[m], &op))
				continue;
			for (i = 0; methods[m][i] != '\0'; i++)
				upper[i] = (char)(methods[m][i] - 'a' + 'A');
			upper[i] = '\0';
			oa_fill_path(tmpl, op, path, sizeof(path));
			ck_assert_int_eq(
			    http_req(&s, upper, path, NULL, NULL, NULL, &r), 0);
			/* those documented as needing no token (security {}) */
			if (jget(op, "security") != NULL &&
			    json_object_array_length(jget(op, "security")) ==
			        1 &&
			    json_object_object_length(json_object_array_get_idx(
			        jget(op, "security"), 0)) == 0)
				ck_assert_int_eq(r.status, 200);
			else
				ck_assert_msg(r.status == 401, "%s %s: %ld",
				    upper, path, r.status);
			oa_check_answer(path, op, &r);
			http_resp_free(&r);
		}
	}
	json_object_put(oa_doc);
	oa_doc = NULL;
	ck_assert_int_eq(server_stop(&s), 0);
}
END_TEST

static void
openapi_tcase(Suite *su)
{
	TCase *tc = tcase_create("openapi");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_openapi_describes_every_answer);
	tcase_add_test(tc, test_openapi_admin_token);
	suite_add_tcase(su, tc);
}
