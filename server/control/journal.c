/*
 * journal.c - the request journal (see journal.h): a ring of the last
 * `capacity` Graph calls, oldest dropped first, and the glob matcher that
 * the journal filters and the fault rules share.
 *
 * Entries are plain C copies, turned into JSON only when queried, so a
 * query result shares nothing with the ring and can outlive the lock.
 * Secrets never enter the ring: they are masked on the way in, in the
 * path and in every parameter, wherever they sit in its value.
 * Sequence numbers keep counting across journal_clear(), so a client can
 * tell a new entry from an old one.  An entry's strings and parameter
 * list share one allocation, made before the journal's lock is taken.
 */
#include "journal.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "gerr.h"
#include "globmatch.h"
#include "params.h"
#include "request.h"
#include "util.h"

/* Longest parameter value an entry keeps, in bytes. */
#define JOURNAL_VALUE_MAX 1024

struct jparam {
	const char *name;
	const char *value; /* secrets already masked */
};

struct jentry {
	uint64_t seq;
	int64_t time; /* emulator clock, seconds */
	char method[8];
	void *mem; /* the block path and params point into */
	const char *path;
	struct jparam *params;
	size_t nparams;
	int64_t user; /* 0: none (app token or no token) */
	int status;
	bool has_error;
	int error_code;
	int64_t duration_us;
	bool dropped; /* a fault closed the connection unanswered */
};

struct journal {
	pthread_mutex_t mu;
	struct jentry *v;
	size_t cap;
	size_t head; /* oldest entry */
	size_t n;
	uint64_t next_seq;
};

struct journal *
journal_new(size_t capacity)
{
	struct journal *j = xcalloc(1, sizeof(*j));

	pthread_mutex_init(&j->mu, NULL);
	j->cap = capacity;
	j->v = xcalloc(capacity ? capacity : 1, sizeof(*j->v));
	j->next_seq = 1;
	return j;
}

void
journal_clear(struct journal *j)
{
	size_t i;

	pthread_mutex_lock(&j->mu);
	for (i = 0; i < j->n; i++) {
		free(j->v[(j->head + i) % j->cap].mem);
		j->v[(j->head + i) % j->cap].mem = NULL;
	}
	j->head = 0;
	j->n = 0;
	pthread_mutex_unlock(&j->mu);
}

void
journal_free(struct journal *j)
{
	if (j == NULL)
		return;
	journal_clear(j);
	pthread_mutex_destroy(&j->mu);
	free(j->v);
	free(j);
}

size_t
journal_size(struct journal *j)
{
	size_t n;

	pthread_mutex_lock(&j->mu);
	n = j->n;
	pthread_mutex_unlock(&j->mu);
	return n;
}

/* Copies n bytes of s to out (when not NULL); returns n. */
static size_t
put(char *out, const char *s, size_t n)
{
	if (out != NULL)
		memcpy(out, s, n);
	return n;
}

/* out + n, or NULL while only counting. */
static char *
at(char *out, size_t n)
{
	return out != NULL ? out + n : NULL;
}

enum secret_kind {
	SK_NONE,
	SK_TOKEN,
	SK_SECRET
};

/*
 * What a parameter or key name says its value is: a token (access_token,
 * input_token, fb_exchange_token, ...) or a secret (appsecret_proof,
 * client_secret, secret, app_secret, an OAuth code, ...).
 */
static enum secret_kind
secret_kind(const char *name, size_t n)
{
	/* an OAuth code (/oauth/access_token) is as good as a token until
	 * it is spent */
	if ((n == 15 && memcmp(name, "appsecret_proof", 15) == 0) ||
	    (n == 4 && memcmp(name, "code", 4) == 0) ||
	    (n >= 6 && memcmp(name + n - 6, "secret", 6) == 0))
		return SK_SECRET;
	if (n >= 6 && memcmp(name + n - 6, "_token", 6) == 0)
		return SK_TOKEN;
	return SK_NONE;
}

/*
 * A masked value.  A token keeps its first four characters when long
 * enough that they give nothing away, so a test can still tell which
 * token a call used; a secret or proof never shows.
 */
static size_t
mask_value(enum secret_kind kind, const char *v, size_t n, char *out)
{
	size_t keep = 4;

	if (kind == SK_SECRET || n <= 8)
		return put(out, "***", 3);
	/* never cut a UTF-8 sequence in half */
	while (keep > 0 && ((unsigned char)v[keep] & 0xc0) == 0x80)
		keep--;
	put(out, v, keep);
	return keep + put(at(out, keep), "***", 3);
}

static bool
is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* The end of a form value or header credential starting at i. */
static size_t
value_end(const char *s, size_t i, size_t n)
{
	while (i < n && strchr("&\"\\ \t\r\n", s[i]) == NULL)
		i++;
	return i;
}

/*
 * After a key ending at j: "=" (a form or query), or a JSON member's
 * ":" with its opening quote, plain or escaped as \" when the JSON sits
 * in a JSON string.  Sets [*v, *e) to the value; false when neither.
 */
static bool
keyed_value(const char *s, size_t j, size_t n, size_t *v, size_t *e)
{
	bool esc = false;

	if (j < n && s[j] == '=') {
		*v = j + 1;
		*e = value_end(s, *v, n);
		return true;
	}
	if (j + 1 < n && s[j] == '\\' && s[j + 1] == '"') {
		esc = true;
		j += 2;
	} else if (j < n && s[j] == '"') {
		j++;
	} else {
		return false;
	}
	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (j >= n || s[j++] != ':')
		return false;
	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (esc && j + 1 < n && s[j] == '\\' && s[j + 1] == '"')
		j += 2;
	else if (!esc && j < n && s[j] == '"')
		j++;
	else
		return false;
	*v = j;
	if (esc) {
		while (j < n && s[j] != '\\')
			j++;
	} else {
		while (j < n && s[j] != '"')
			j += s[j] == '\\' && j + 1 < n ? 2 : 1;
	}
	*e = j;
	return true;
}

/*
 * Whether mask_text() would leave s[0..n) as it is: each credential it
 * masks follows a '=', '"', '|' or ' ', or starts with "EAA".
 */
static bool
nothing_to_mask(const char *s, size_t n)
{
	static const bool stop[256] = { ['='] = true,
		['"'] = true,
		['|'] = true,
		[' '] = true,
		['E'] = true };

	return bytes_clear(s, n, 0, stop);
}

/*
 * s[0..n) with every credential in it masked, written to out (when not
 * NULL); returns the length.  Values that are not themselves secrets can
 * still carry some: a batch's relative_url and body ("?access_token=..."),
 * a JSON document ("access_token":"..."), an item's headers ("OAuth ...",
 * "Bearer ..."), an app token ("APPID|SECRET") or a bare user token
 * ("EAA...") anywhere.  Words are read whole, so a match starts a word.
 */
static size_t
mask_text(const char *s, size_t n, char *out)
{
	size_t i = 0, len = 0, j, v, e;
	enum secret_kind kind;

	/* a path or value like most: no credential can start in it */
	if (nothing_to_mask(s, n))
		return put(out, s, n);
	while (i < n) {
		if (!is_word((unsigned char)s[i])) {
			len += put(at(out, len), s + i, 1);
			i++;
			continue;
		}
		for (j = i; j < n && is_word((unsigned char)s[j]); j++)
			;
		if ((kind = secret_kind(s + i, j - i)) != SK_NONE &&
		    keyed_value(s, j, n, &v, &e)) {
			len += put(at(out, len), s + i, v - i);
			len += mask_value(kind, s + v, e - v, at(out, len));
			i = e;
		} else if (j < n && s[j] == '|' &&
		    strspn(s + i, "0123456789") >= j - i) {
			/* an app token: the app id may show, not the secret */
			len += put(at(out, len), s + i, j + 1 - i);
			len += put(at(out, len), "***", 3);
			i = value_end(s, j + 1, n);
		} else if (j < n && s[j] == ' ' &&
		    ((j - i == 5 && strncasecmp(s + i, "OAuth", 5) == 0) ||
		        (j - i == 6 && strncasecmp(s + i, "Bearer", 6) == 0))) {
			e = value_end(s, j + 1, n);
			len += put(at(out, len), s + i, j + 1 - i);
			len += mask_value(SK_TOKEN, s + j + 1, e - j - 1,
			    at(out, len));
			i = e;
		} else if (j - i > 3 && strncmp(s + i, "EAA", 3) == 0) {
			/* Graph's user tokens start so; '-' and '.' too */
			while (j < n &&
			    (is_word((unsigned char)s[j]) || s[j] == '-' ||
			        s[j] == '.'))
				j++;
			len += mask_value(SK_TOKEN, s + i, j - i, at(out, len));
			i = j;
		} else {
			len += put(at(out, len), s + i, j - i);
			i = j;
		}
	}
	return len;
}

/*
 * The value to journal for a parameter, written to out (when not NULL)
 * without its NUL; returns its length.  A parameter named as a secret is
 * masked whole; any other is cut to JOURNAL_VALUE_MAX bytes and then
 * masked wherever a credential sits in it.
 */
static size_t
journal_mask(const char *name, const char *value, char *out)
{
	enum secret_kind kind = secret_kind(name, strlen(name));
	size_t n = strlen(value), len;

	if (kind != SK_NONE)
		return mask_value(kind, value, n, out);
	/* ten thousand entries of megabyte batches would be 10 GB */
	if (n <= JOURNAL_VALUE_MAX)
		return mask_text(value, n, out);
	n = JOURNAL_VALUE_MAX;
	while (n > 0 && ((unsigned char)value[n] & 0xc0) == 0x80)
		n--;
	len = mask_text(value, n, out);
	return len + put(at(out, len), "...", 3);
}

/* The path: without its query string when request_prepare() never ran. */
static void
journal_path(const struct request *rq, const char **p, size_t *n)
{
	*p = rq->path != NULL ? rq->path : rq->target != NULL ? rq->target : "";
	*n = rq->path != NULL ? strlen(*p) : strcspn(*p, "?");
}

uint64_t
journal_add(struct journal *j, const struct request *rq, int64_t now)
{
	struct jentry e;
	const char *method, *path;
	size_t i, plen, size;
	char *w;
	void *old = NULL;

	if (j->cap == 0)
		return 0;
	memset(&e, 0, sizeof(e));
	e.time = now;
	method = rq->verb[0] ? rq->verb : rq->method ? rq->method : "";
	i = strlen(method);
	if (i >= sizeof(e.method))
		i = sizeof(e.method) - 1;
	memcpy(e.method, method, i);
	journal_path(rq, &path, &plen);

	/* one block: the parameter list, then every string NUL-terminated */
	e.nparams = rq->params.n;
	size = e.nparams * sizeof(*e.params) + mask_text(path, plen, NULL) + 1;
	for (i = 0; i < rq->params.n; i++)
		size += strlen(rq->params.v[i].name) + 1 +
		    journal_mask(rq->params.v[i].name, rq->params.v[i].value,
		        NULL) +
		    1;
	e.mem = xmalloc(size);
	e.params = e.mem;
	w = (char *)e.mem + e.nparams * sizeof(*e.params);
	e.path = w;
	w += mask_text(path, plen, w);
	*w++ = '\0';
	for (i = 0; i < rq->params.n; i++) {
		const char *name = rq->params.v[i].name;
		size_t n = strlen(name);

		e.params[i].name = w;
		memcpy(w, name, n + 1);
		w += n + 1;
		e.params[i].value = w;
		w += journal_mask(name, rq->params.v[i].value, w);
		*w++ = '\0';
	}

	e.user = rq->token_user;
	e.status = rq->resp.status;
	if (rq->err.id != GE_NONE) {
		e.has_error = true;
		e.error_code = gerr_code(&rq->err);
	}
	/* started_us is on the monotonic clock; 0 means never started */
	if (rq->started_us > 0) {
		e.duration_us = clock_mono_us() - rq->started_us;
		if (e.duration_us < 0)
			e.duration_us = 0;
	}
	/*
	 * An injected latency is waited out by http.c after this entry is
	 * made, yet the client waits for it: count it, so the journal shows
	 * the duration the client saw.
	 */
	e.duration_us += (int64_t)rq->resp.latency_ms * 1000;
	e.dropped = rq->resp.drop;

	pthread_mutex_lock(&j->mu);
	if (j->n == j->cap) {
		old = j->v[j->head].mem;
		j->head = (j->head + 1) % j->cap;
		j->n--;
	}
	e.seq = j->next_seq++;
	j->v[(j->head + j->n) % j->cap] = e;
	j->n++;
	pthread_mutex_unlock(&j->mu);
	free(old);
	return e.seq;
}

static struct json_object *
jentry_json(const struct jentry *e)
{
	struct json_object *o = json_object_new_object();
	struct json_object *params = json_object_new_object();
	char buf[32];
	size_t i;

	json_object_object_add(o, "seq",
	    json_object_new_int64((int64_t)e->seq));
	json_object_object_add(o, "time", json_object_new_int64(e->time));
	json_object_object_add(o, "method", json_object_new_string(e->method));
	json_object_object_add(o, "path", json_object_new_string(e->path));
	for (i = 0; i < e->nparams; i++)
		json_object_object_add(params, e->params[i].name,
		    json_object_new_string(e->params[i].value));
	json_object_object_add(o, "params", params);
	if (e->user != 0) {
		snprintf(buf, sizeof(buf), "%" PRId64, e->user);
		json_object_object_add(o, "user", json_object_new_string(buf));
	} else {
		json_object_object_add(o, "user", NULL);
	}
	json_object_object_add(o, "status", json_object_new_int(e->status));
	json_object_object_add(o, "error_code",
	    e->has_error ? json_object_new_int(e->error_code) : NULL);
	/* milliseconds to the microsecond, printed as such, not as %.17g */
	snprintf(buf, sizeof(buf), "%" PRId64 ".%03" PRId64,
	    e->duration_us / 1000, e->duration_us % 1000);
	json_object_object_add(o, "duration_ms",
	    json_object_new_double_s((double)e->duration_us / 1000.0, buf));
	/*
	 * status stays what the emulator made (a write may have happened);
	 * this says the client never saw it.  Only when true, so ordinary
	 * entries keep their shape.
	 */
	if (e->dropped)
		json_object_object_add(o, "dropped",
		    json_object_new_boolean(1));
	return o;
}

struct json_object *
journal_entry(struct journal *j, uint64_t seq)
{
	struct json_object *o = NULL;
	uint64_t first;

	pthread_mutex_lock(&j->mu);
	if (j->n > 0) {
		first = j->v[j->head].seq;
		if (seq >= first && seq - first < j->n)
			o = jentry_json(
			    &j->v[(j->head + (seq - first)) % j->cap]);
	}
	pthread_mutex_unlock(&j->mu);
	return o;
}

/* A filter value that must be a decimal integer in [min, max]. */
static int
journal_int_filter(const char *name, const char *v, int64_t min, int64_t max,
    const char *what, int64_t *out, char **cause)
{
	int64_t x = 0;
	size_t i;

	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] < '0' || v[i] > '9' || i >= 18)
			goto bad;
		x = x * 10 + (v[i] - '0');
	}
	if (i == 0 || x < min || x > max)
		goto bad;
	*out = x;
	return 0;
bad:
	*cause = xasprintf("The filter %s must be %s, got '%s'", name, what, v);
	return -1;
}

struct jfilter {
	const char *method; /* NULL: any */
	const char *path;   /* NULL: any */
	int64_t status;     /* -1: any */
	int64_t since;      /* -1: any */
};

/* An empty value filters nothing, so scripts may pass unset variables. */
static const char *
journal_filter_param(const struct params *filter, const char *name)
{
	const char *v = filter ? params_get(filter, name) : NULL;

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* Other parameters (count, pretty, ...) are the caller's business. */
static int
jfilter_parse(struct jfilter *f, const struct params *filter, char **cause)
{
	const char *v;

	f->method = journal_filter_param(filter, "method");
	f->path = journal_filter_param(filter, "path");
	f->status = -1;
	f->since = -1;
	if ((v = journal_filter_param(filter, "status")) != NULL &&
	    journal_int_filter("status", v, 100, 599,
	        "an HTTP status code (100-599)", &f->status, cause) != 0)
		return -1;
	if ((v = journal_filter_param(filter, "since")) != NULL &&
	    journal_int_filter("since", v, 0, INT64_MAX,
	        "a unix time in seconds", &f->since, cause) != 0)
		return -1;
	return 0;
}

static bool
jfilter_match(const struct jfilter *f, const struct jentry *e)
{
	if (f->method != NULL && strcasecmp(f->method, e->method) != 0)
		return false;
	if (f->path != NULL && !glob_match(f->path, e->path))
		return false;
	if (f->status >= 0 && e->status != f->status)
		return false;
	if (f->since >= 0 && e->time < f->since)
		return false;
	return true;
}

struct json_object *
journal_query(struct journal *j, const struct params *filter, int count_only,
    char **cause)
{
	struct json_object *out, *data = NULL;
	struct jfilter f;
	const struct jentry *e;
	int64_t count = 0;
	size_t i;

	*cause = NULL;
	if (jfilter_parse(&f, filter, cause) != 0)
		return NULL;
	if (!count_only)
		data = json_object_new_array();
	pthread_mutex_lock(&j->mu);
	for (i = 0; i < j->n; i++) {
		e = &j->v[(j->head + i) % j->cap];
		if (!jfilter_match(&f, e))
			continue;
		count++;
		if (data != NULL)
			json_object_array_add(data, jentry_json(e));
	}
	pthread_mutex_unlock(&j->mu);
	out = json_object_new_object();
	if (count_only)
		json_object_object_add(out, "count",
		    json_object_new_int64(count));
	else
		json_object_object_add(out, "data", data);
	return out;
}
