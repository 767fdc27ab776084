/*
 * fuzz_pipeline.c - libFuzzer target for the whole Graph pipeline: one
 * emulator with the demo fixtures, in process, answers any method,
 * target, body, Content-Type and token through emu_handle().  Checks:
 *
 *   - the status is 200 or one that errors.def gives an error;
 *   - an error answer (any status but 200, or 200 under
 *     suppress_http_code) is a Graph error envelope;
 *   - a request answered with an error leaves the store as it was.
 *
 * The control plane (/_emulator) is left out: it may inject faults with
 * any status, and it is how the target resets the state after a write.
 * Built and run by tests/fuzz/run.
 *
 * Input: byte 0 picks the method (2 bits), the Content-Type (3 bits) and
 * the token (3 bits); byte 1 where the token goes (2 bits), and the
 * status profile, rate limit and read-only flags; then the target up to
 * the first newline, then the body.  Bit 32 of byte 1 clears the rate
 * limiter's counts after the request.
 */
#include <assert.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "emu.h"
#include "gerr.h"
#include "journal.h"
#include "pipeline.h"
#include "ratelimit.h"
#include "request.h"
#include "store.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const methods[] = { "GET", "POST", "DELETE", "PUT" };
static const char *const types[] = {
	NULL,
	"application/x-www-form-urlencoded",
	"application/json",
	"multipart/form-data; boundary=XyZ",
	"application/json; charset=utf-8",
	"text/plain",
	"multipart/form-data",
	"application/x-www-form-urlencoded; charset=utf-8",
};
/* The demo fixture's tokens; NULL leaves the input's own, if any. */
static const char *const tokens[] = {
	NULL,
	"EAAdemoAdmin",
	"EAAdemoEmployee",
	"EAAdemoManager",
	"EAAdemoGranular",
	"EAAdemoNoaccess",
	"1000000000000001|demo-app-secret",
	"EAAdemoExpired",
};

/* Every status an error row may answer, under either profile. */
static const int error_statuses[] = {
#define X(name, code, sub, type, st_default, st_classic, transient, www, msg) \
	st_default, st_classic,
#include "errors.def"
#undef X
};

static struct config cfg;
static struct emu emu;
static uint64_t clean_version;

/* A fixed clock: the same input always meets the same state. */
static int64_t
fixed_now_us(void *ctx)
{
	(void)ctx;
	return 1750000000LL * 1000000;
}

static const struct clock_source fixed_clock = { fixed_now_us, NULL };

static const char *
no_env(const char *name)
{
	(void)name;
	return NULL;
}

static void
setup(void)
{
	char *argv[] = { "fuzz_pipeline", "--seed", "1", NULL };
	char *cause = NULL;

	if (config_parse(&cfg, 3, argv, no_env, stdout, &cause) != 0 ||
	    emu_init(&emu, &cfg, &fixed_clock, &cause) != 0) {
		fprintf(stderr, "fuzz_pipeline: %s\n", cause ? cause : "?");
		abort();
	}
	clean_version = store_version(emu.store);
}

/* Back to the boot state through the control plane, as clients do. */
static void
reset(void)
{
	struct request rq;

	request_init(&rq);
	rq.method = xstrdup("POST");
	rq.target = xstrdup("/_emulator/reset");
	emu_handle(&emu, &rq);
	assert(rq.resp.status == 200);
	request_cleanup(&rq);
	clean_version = store_version(emu.store);
}

static bool
known_status(int status)
{
	size_t i;

	if (status == 200)
		return true;
	for (i = 0; i < sizeof(error_statuses) / sizeof(error_statuses[0]); i++)
		if (error_statuses[i] == status)
			return true;
	return false;
}

static bool
is_kind(struct json_object *o, const char *key, enum json_type t)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, t);
}

/*
 * {"error":{"message","type","code","error_subcode"?,"fbtrace_id"}}.
 * True when it carries original_response: a read-after-write whose write
 * was done and whose read-back failed, as Graph reports it.
 */
static bool
assert_graph_error(const struct response *resp)
{
	struct json_object *body, *err, *v;
	bool written;

	assert(resp->body != NULL);
	body = json_tokener_parse(resp->body);
	assert(json_object_is_type(body, json_type_object));
	assert(json_object_object_get_ex(body, "error", &err));
	assert(json_object_is_type(err, json_type_object));
	assert(is_kind(err, "message", json_type_string));
	assert(is_kind(err, "type", json_type_string));
	assert(is_kind(err, "code", json_type_int));
	assert(is_kind(err, "fbtrace_id", json_type_string));
	if (json_object_object_get_ex(err, "error_subcode", &v))
		assert(json_object_is_type(v, json_type_int));
	written = json_object_object_get_ex(err, "original_response", NULL);
	json_object_put(body);
	return written;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request rq;
	const char *s, *nl, *tok;
	size_t n, tlen;
	uint64_t before;
	int where;

	if (emu.store == NULL)
		setup();
	if (size < 2)
		return 0;
	s = (const char *)data + 2;
	n = size - 2;
	nl = memchr(s, '\n', n);
	tlen = nl != NULL ? (size_t)(nl - s) : n;
	/* the control plane is not the subject, see the header */
	if (tlen >= 10 && memcmp(s, "/_emulator", 10) == 0)
		return 0;

	cfg.profile = data[1] & 4 ? PROFILE_CLASSIC : PROFILE_DEFAULT;
	cfg.no_rate_limit = (data[1] & 8) == 0;
	cfg.read_only = (data[1] & 16) != 0;
	request_init(&rq);
	rq.method = xstrdup(methods[data[0] & 3]);
	if (types[(data[0] >> 2) & 7] != NULL)
		rq.content_type = xstrdup(types[(data[0] >> 2) & 7]);
	rq.target = xstrndup(s, tlen);
	tok = tokens[(data[0] >> 5) & 7];
	where = data[1] & 3;
	if (tok != NULL && where == 1) {
		rq.authorization = xasprintf("Bearer %s", tok);
	} else if (tok != NULL && where == 2) {
		char *t = xasprintf("%s%saccess_token=%s", rq.target,
		    strchr(rq.target, '?') ? "&" : "?", tok);

		free(rq.target);
		rq.target = t;
	}
	if (nl != NULL) {
		rq.body_len = n - tlen - 1;
		rq.body = xstrndup(nl + 1, rq.body_len);
	}

	before = store_version(emu.store);
	emu_handle(&emu, &rq);
	assert(known_status(rq.resp.status));
	assert(rq.resp.body != NULL);
	if (rq.resp.status != 200)
		assert(rq.failed);
	if (rq.failed) {
		/* a refused request changes nothing */
		if (!assert_graph_error(&rq.resp))
			assert(store_version(emu.store) == before);
	} else {
		struct json_object *body = json_tokener_parse(rq.resp.body);

		assert(body != NULL);
		json_object_put(body);
	}
	request_cleanup(&rq);

	if (store_version(emu.store) != clean_version)
		reset();
	/*
	 * What an input allocates and keeps makes libFuzzer look for leaks
	 * after it, which is slow: the journal would keep every request.
	 */
	journal_clear(emu.journal);
	/* usage builds up over inputs, so 429 is reached, but not for good */
	if (data[1] & 32)
		ratelimit_reset(emu.rl);
	return 0;
}
