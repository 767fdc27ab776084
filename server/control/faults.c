/*
 * faults.c - injected faults (see faults.h): rule
 * validation, the firing modes and the listing.
 *
 * A rule is checked in full before it is added, so a bad rule changes
 * nothing.  Unknown keys are refused, so a typo ("every_n") is an error
 * rather than a rule that silently fires on every call.  Firing is a pure
 * function of the rule and its match counter: a probability rule draws
 * mix64 over its seed and the counter, so the same calls replay the same
 * fires on any instance.
 *
 * Not here: applying the action (latency, dropped connection, the error
 * body); the pipeline does that.
 */
#include "faults.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "globmatch.h"
#include "journal.h"
#include "util.h"

#define FAULTS_MAX_LATENCY_MS 600000 /* ten minutes is surely a typo */

enum fault_mode {
	FM_ALWAYS,
	FM_TIMES,
	FM_EVERY_NTH,
	FM_PROBABILITY
};

/* The strings point into given or at gerr.c's static rows. */
struct fault_rule {
	int64_t id;
	char method[8];    /* upper case; "" matches any */
	const char *path;  /* glob over the whole path; NULL: a webhook rule */
	const char *field; /* a webhook rule: glob over the delivery's field */
	bool has_error;
	int code, subcode, status;
	const char *type;
	const char *message; /* NULL: Meta's text for an unexpected error */
	unsigned latency_ms;
	bool drop;
	bool duplicate, wrong_signature; /* webhook rules only */
	enum fault_mode mode;
	int64_t remaining;  /* FM_TIMES */
	int64_t every_nth;  /* FM_EVERY_NTH */
	double probability; /* FM_PROBABILITY */
	uint64_t seed;
	uint64_t matched, fired;
	struct json_object *given; /* a copy of the rule as posted */
};

struct faults {
	struct fault_rule *v; /* in id order */
	size_t n, cap;
	int64_t next_id;
};

struct faults *
faults_new(void)
{
	struct faults *f = xcalloc(1, sizeof(*f));

	f->next_id = 1;
	return f;
}

static void
fault_rule_cleanup(struct fault_rule *r)
{
	json_object_put(r->given);
	memset(r, 0, sizeof(*r));
}

/* Ids keep increasing after a clear: a stale id never names a new rule. */
void
faults_clear(struct faults *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		fault_rule_cleanup(&f->v[i]);
	f->n = 0;
}

void
faults_free(struct faults *f)
{
	if (f == NULL)
		return;
	faults_clear(f);
	free(f->v);
	free(f);
}

static int fault_bad(char **cause, char **field, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Records a validation failure at path, the message from fmt; always -1. */
static int
fault_bad(char **cause, char **field, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*cause = xvasprintf(fmt, ap);
	va_end(ap);
	*field = xstrdup(path);
	return -1;
}

/* Refuses keys outside allowed (NULL-terminated), naming the first. */
static int
fault_keys(struct json_object *o, const char *prefix,
    const char *const *allowed, char **cause, char **field)
{
	const char *const *a;
	char *path, *msg;

	json_object_object_foreach(o, key, val) {
		(void)val;
		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, key) == 0)
				break;
		if (*a != NULL)
			continue;
		path = prefix ? xasprintf("%s.%s", prefix, key) : xstrdup(key);
		msg = xasprintf("Unknown key %s", path);
		*cause = msg;
		*field = path;
		return -1;
	}
	return 0;
}

/* An integer member in [min, max]; absent leaves *out alone. */
static int
fault_int(struct json_object *o, const char *key, const char *path, int64_t min,
    int64_t max, int64_t *out, bool *present, char **cause, char **field)
{
	struct json_object *v;
	int64_t x;

	if (present)
		*present = false;
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return fault_bad(cause, field, path, "%s must be an integer",
		    path);
	x = json_object_get_int64(v);
	if (x < min || x > max) {
		if (max == INT64_MAX)
			return fault_bad(cause, field, path,
			    "%s must be at "
			    "least %lld",
			    path, (long long)min);
		return fault_bad(cause, field, path,
		    "%s must be between "
		    "%lld and %lld",
		    path, (long long)min, (long long)max);
	}
	*out = x;
	if (present)
		*present = true;
	return 0;
}

/* A string member; absent leaves *out NULL.  *out points into o. */
static int
fault_str(struct json_object *o, const char *key, const char *path,
    const char **out, char **cause, char **field)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) == 0)
		return fault_bad(cause, field, path,
		    "%s must be a non-empty "
		    "string",
		    path);
	*out = json_object_get_string(v);
	return 0;
}

static int
fault_parse_match(struct fault_rule *r, struct json_object *rule, char **cause,
    char **field)
{
	static const char *const keys[] = { "method", "path", "webhook", NULL };
	static const char *const methods[] = { "GET", "POST", "DELETE", "PUT",
		"PATCH", "HEAD", "OPTIONS", NULL };
	struct json_object *m;
	const char *path, *method, *hook;
	size_t i;

	if (!json_object_object_get_ex(rule, "match", &m))
		return fault_bad(cause, field, "match",
		    "match is required: {\"path\": \"/*/123\"}");
	if (!json_object_is_type(m, json_type_object))
		return fault_bad(cause, field, "match",
		    "match must be an object");
	if (fault_keys(m, "match", keys, cause, field) != 0)
		return -1;
	if (fault_str(m, "path", "match.path", &path, cause, field) != 0 ||
	    fault_str(m, "webhook", "match.webhook", &hook, cause, field) !=
	        0 ||
	    fault_str(m, "method", "match.method", &method, cause, field) != 0)
		return -1;
	/* a delivery of a field matching the glob, instead of a request */
	if (hook != NULL) {
		if (path != NULL || method != NULL)
			return fault_bad(cause, field, "match.webhook",
			    "match.webhook matches deliveries and cannot be "
			    "combined with match.path or match.method");
		r->field = hook;
		return 0;
	}
	if (path == NULL)
		return fault_bad(cause, field, "match.path",
		    "match.path is required");
	/* request paths start with '/', so anything else never matches */
	if (path[0] != '/' && path[0] != '*')
		return fault_bad(cause, field, "match.path",
		    "match.path must start with '/' or '*'");
	if (method != NULL && strcmp(method, "*") != 0) {
		for (i = 0; methods[i] != NULL; i++)
			if (strcasecmp(methods[i], method) == 0)
				break;
		if (methods[i] == NULL)
			return fault_bad(cause, field, "match.method",
			    "match.method must be GET, POST, DELETE, PUT, "
			    "PATCH, HEAD, OPTIONS or *");
		strcpy(r->method, methods[i]);
	}
	r->path = path;
	return 0;
}

/* A boolean member; absent leaves *out alone. */
static int
fault_bool(struct json_object *o, const char *key, bool *out, char **cause,
    char **field)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return fault_bad(cause, field, key, "%s must be true or false",
		    key);
	*out = json_object_get_boolean(v);
	return 0;
}

/*
 * error: a code from the error table takes that row's message, type,
 * subcode and status as defaults; any other code gets a generic message
 * and 500 for codes 1 and 2 (transient server errors), else 400.
 */
static int
fault_parse_error(struct fault_rule *r, struct json_object *e, char **cause,
    char **field)
{
	static const char *const keys[] = { "code", "error_subcode", "message",
		"type", "status", NULL };
	const struct gerr_row *row;
	const char *message, *type;
	int64_t code = 0, subcode = 0, status = 0;
	bool has_code, has_sub, has_status;

	if (!json_object_is_type(e, json_type_object))
		return fault_bad(cause, field, "error",
		    "error must be an object: {\"code\": 2}");
	if (fault_keys(e, "error", keys, cause, field) != 0)
		return -1;
	if (fault_int(e, "code", "error.code", 1, INT32_MAX, &code, &has_code,
	        cause, field) != 0)
		return -1;
	if (!has_code)
		return fault_bad(cause, field, "error.code",
		    "error.code is required");
	if (fault_int(e, "error_subcode", "error.error_subcode", 0, INT32_MAX,
	        &subcode, &has_sub, cause, field) != 0 ||
	    fault_int(e, "status", "error.status", 200, 599, &status,
	        &has_status, cause, field) != 0 ||
	    fault_str(e, "message", "error.message", &message, cause, field) !=
	        0 ||
	    fault_str(e, "type", "error.type", &type, cause, field) != 0)
		return -1;

	row = gerr_row_by_code((int)code, (int)subcode, NULL);
	if (row == NULL && subcode > 0)
		row = gerr_row_by_code((int)code, 0, NULL);
	r->has_error = true;
	r->code = (int)code;
	r->subcode = has_sub ? (int)subcode : row != NULL ? row->subcode : 0;
	if (has_status)
		r->status = (int)status;
	else if (row != NULL)
		r->status = row->status_default;
	else
		r->status = code == 1 || code == 2 ? 500 : 400;
	r->type = type ? type : row ? row->type : "OAuthException";
	r->message = message ? message : row ? row->message : NULL;
	return 0;
}

/* times, every_nth and probability choose the mode; at most one. */
static int
fault_parse_mode(struct fault_rule *r, struct json_object *rule, char **cause,
    char **field)
{
	static const char *const modes[] = { "times", "every_nth",
		"probability" };
	struct json_object *v;
	const char *seen = NULL;
	int64_t x = 0, seed = 0;
	size_t i;
	double p;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!json_object_object_get_ex(rule, modes[i], &v))
			continue;
		if (seen != NULL)
			return fault_bad(cause, field, modes[i],
			    "%s and %s "
			    "cannot be combined: a rule fires always, the next "
			    "N times, every Nth time or with a probability",
			    seen, modes[i]);
		seen = modes[i];
	}
	if (fault_int(rule, "times", "times", 1, INT64_MAX, &x, NULL, cause,
	        field) != 0)
		return -1;
	if (seen != NULL && strcmp(seen, "times") == 0) {
		r->mode = FM_TIMES;
		r->remaining = x;
	}
	if (fault_int(rule, "every_nth", "every_nth", 1, INT64_MAX, &x, NULL,
	        cause, field) != 0)
		return -1;
	if (seen != NULL && strcmp(seen, "every_nth") == 0) {
		r->mode = FM_EVERY_NTH;
		r->every_nth = x;
	}
	if (json_object_object_get_ex(rule, "probability", &v)) {
		if (!json_object_is_type(v, json_type_double) &&
		    !json_object_is_type(v, json_type_int))
			return fault_bad(cause, field, "probability",
			    "probability must be a number between 0 and 1");
		p = json_object_get_double(v);
		if (!(p >= 0.0 && p <= 1.0))
			return fault_bad(cause, field, "probability",
			    "probability must be a number between 0 and 1");
		r->mode = FM_PROBABILITY;
		r->probability = p;
	}
	/* a seed without a probability is harmless, so it is allowed */
	if (fault_int(rule, "seed", "seed", INT64_MIN, INT64_MAX, &seed, NULL,
	        cause, field) != 0)
		return -1;
	r->seed = (uint64_t)seed;
	return 0;
}

static int
fault_parse(struct fault_rule *r, struct json_object *rule, char **cause,
    char **field)
{
	static const char *const keys[] = { "match", "error", "latency_ms",
		"drop_connection", "duplicate", "wrong_signature", "times",
		"every_nth", "probability", "seed", NULL };
	struct json_object *v;
	int64_t latency = 0;

	if (rule == NULL || !json_object_is_type(rule, json_type_object))
		return fault_bad(cause, field, "",
		    "A fault rule must be a JSON object");
	if (fault_keys(rule, NULL, keys, cause, field) != 0 ||
	    fault_parse_match(r, rule, cause, field) != 0)
		return -1;
	if (json_object_object_get_ex(rule, "error", &v)) {
		if (r->field != NULL)
			return fault_bad(cause, field, "error",
			    "error "
			    "answers requests; a webhook rule takes "
			    "latency_ms, drop_connection, duplicate or "
			    "wrong_signature");
		if (fault_parse_error(r, v, cause, field) != 0)
			return -1;
	}
	if (fault_int(rule, "latency_ms", "latency_ms", 0,
	        FAULTS_MAX_LATENCY_MS, &latency, NULL, cause, field) != 0)
		return -1;
	r->latency_ms = (unsigned)latency;
	if (fault_bool(rule, "drop_connection", &r->drop, cause, field) != 0 ||
	    fault_bool(rule, "duplicate", &r->duplicate, cause, field) != 0 ||
	    fault_bool(rule, "wrong_signature", &r->wrong_signature, cause,
	        field) != 0)
		return -1;
	if (r->field == NULL && (r->duplicate || r->wrong_signature))
		return fault_bad(cause, field,
		    r->duplicate ? "duplicate" : "wrong_signature",
		    "duplicate and wrong_signature apply "
		    "to deliveries: match them with match.webhook");
	if (!r->has_error && r->latency_ms == 0 && !r->drop && !r->duplicate &&
	    !r->wrong_signature)
		return fault_bad(cause, field,
		    r->field ? "latency_ms" : "error",
		    r->field ?
		        "A webhook rule needs a latency_ms "
		        "above 0, drop_connection, duplicate or wrong_signature" :
		        "A fault rule needs an error, a latency_ms above 0 or "
		        "drop_connection: true");
	return fault_parse_mode(r, rule, cause, field);
}

int
faults_add(struct faults *f, struct json_object *rule, int64_t *id,
    char **cause, char **field)
{
	struct fault_rule r;

	memset(&r, 0, sizeof(r));
	*cause = NULL;
	*field = NULL;
	/* parsed from the copy, which the rule's strings point into */
	if (rule != NULL && json_object_deep_copy(rule, &r.given, NULL) != 0) {
		fault_rule_cleanup(&r);
		return fault_bad(cause, field, "", "Could not copy the rule");
	}
	if (fault_parse(&r, r.given, cause, field) != 0) {
		fault_rule_cleanup(&r);
		return -1;
	}
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->v = xrealloc(f->v, f->cap * sizeof(*f->v));
	}
	r.id = f->next_id++;
	f->v[f->n++] = r;
	*id = r.id;
	return 0;
}

int
faults_delete(struct faults *f, int64_t id)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (f->v[i].id != id)
			continue;
		fault_rule_cleanup(&f->v[i]);
		memmove(&f->v[i], &f->v[i + 1], (f->n - i - 1) * sizeof(*f->v));
		f->n--;
		return 0;
	}
	return -1;
}

struct json_object *
faults_list(const struct faults *f)
{
	struct json_object *out = json_object_new_object();
	struct json_object *data = json_object_new_array();
	struct json_object *o, *copy;
	const struct fault_rule *r;
	size_t i;

	for (i = 0; i < f->n; i++) {
		r = &f->v[i];
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(r->id));
		json_object_object_foreach(r->given, key, val) {
			copy = NULL;
			json_object_deep_copy(val, &copy, NULL);
			json_object_object_add(o, key, copy);
		}
		json_object_object_add(o, "matched",
		    json_object_new_int64((int64_t)r->matched));
		json_object_object_add(o, "fired",
		    json_object_new_int64((int64_t)r->fired));
		if (r->mode == FM_TIMES)
			json_object_object_add(o, "remaining",
			    json_object_new_int64(r->remaining));
		json_object_array_add(data, o);
	}
	json_object_object_add(out, "data", data);
	return out;
}

/* Advances the rule's counters for a matching call; true when it fires. */
static bool
fault_fires(struct fault_rule *r)
{
	uint64_t draw;
	double u;

	r->matched++;
	switch (r->mode) {
	case FM_ALWAYS:
		return true;
	case FM_TIMES:
		if (r->remaining <= 0)
			return false;
		r->remaining--;
		return true;
	case FM_EVERY_NTH:
		return r->matched % (uint64_t)r->every_nth == 0;
	case FM_PROBABILITY:
		draw = mix64(mix64(r->seed) ^ r->matched);
		u = (double)(draw >> 11) / 9007199254740992.0; /* [0, 1) */
		return u < r->probability;
	}
	return false;
}

bool
faults_match(struct faults *f, const char *method, const char *path,
    struct fault_action *out)
{
	struct fault_rule *r;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (method == NULL)
		method = "";
	if (path == NULL)
		path = "";
	for (i = 0; i < f->n; i++) {
		r = &f->v[i];
		if (r->path == NULL)
			continue;
		if (r->method[0] != '\0' && strcasecmp(r->method, method) != 0)
			continue;
		if (!glob_match(r->path, path) || !fault_fires(r))
			continue;
		r->fired++;
		out->rule_id = r->id;
		out->latency_ms = r->latency_ms;
		out->drop = r->drop;
		if (r->has_error) {
			const char *message = r->message;
			char unexpected[128];

			if (message == NULL) {
				snprintf(unexpected, sizeof(unexpected),
				    "(#%d) An unexpected error has occurred. "
				    "Please retry your request later.",
				    r->code);
				message = unexpected;
			}
			out->has_error = true;
			gerr_custom(&out->err, r->code, r->subcode, r->type,
			    message, r->status);
		}
		return true;
	}
	return false;
}

bool
faults_match_webhook(struct faults *f, const char *field,
    struct fault_action *out)
{
	struct fault_rule *r;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < f->n; i++) {
		r = &f->v[i];
		if (r->field == NULL || !glob_match(r->field, field) ||
		    !fault_fires(r))
			continue;
		r->fired++;
		out->rule_id = r->id;
		out->latency_ms = r->latency_ms;
		out->drop = r->drop;
		out->duplicate = r->duplicate;
		out->wrong_signature = r->wrong_signature;
		return true;
	}
	return false;
}
