/*
 * fixtures.c - fixture documents; see fixtures.h and docs/fixtures.md,
 * which is the user's reference for every key checked here.
 *
 * A load runs in two passes inside one transaction.  The first checks the
 * shape of every object (keys, types, enum values), applies the defaults
 * that need nothing else and indexes ids, tokens, numbers and pairs, so a
 * duplicate within the document is reported with both places and
 * references may point anywhere in the document.  The second walks the
 * tables in load order (store.h), checks references and uniqueness against
 * the store, where the earlier tables of the document already are, applies
 * the defaults that depend on other objects and inserts.  The first error
 * rolls everything back.
 *
 * Loads of thousands of rows are common (a start with --fixtures), so a
 * row is kept as an array of the document's own values rather than a
 * copy, and the store is asked about keys only when it held something
 * before the load.
 */
#include "fixtures.h"

#include <assert.h>
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phone.h"
#include "store.h"
#include "pjson.h"
#include "row.h"
#include "tasks.h"
#include "util.h"

/*
 * The end of year 9999: gmtime_r and strftime can render every time up to
 * here, and the control plane's clock stops here too.
 */
#define TIME_MAX 253402300799LL
/*
 * Array sizes.  Every array is checked while the server lock is held, so
 * no client may make that walk long; these are far beyond any real token.
 */
#define SCOPES_MAX 100
#define GRANULAR_MAX 100
#define TARGET_IDS_MAX 1000

/* One load. */
struct fx {
	struct store *st;
	const char *source;
	bool generate_ids;
	/*
	 * The store held nothing when the load began: no key of the
	 * document can be in it but through the document itself, where pass
	 * one has found every repeat, so pass two asks it nothing.
	 */
	bool fresh;
	int64_t now;
	struct fixture_error *fe;
	/*
	 * Pass one's rows of table t: nrows[t] rows of one value per member
	 * of objects[t] (NULL: absent), index = the document's.  The values
	 * are borrowed from the document, defs or owned; late ones from late.
	 */
	struct json_object **vals[TBL__COUNT];
	size_t nrows[TBL__COUNT];
	struct json_object *owned; /* values the load made: generated ids */
	struct json_object *late;  /* one row's late defaults, until stored */
	/* Pass one's indexes, key -> JSON path of the first occurrence: */
	struct json_object *ids;              /* every node id */
	struct json_object *numbers;          /* "cc number" */
	struct json_object *keys[TBL__COUNT]; /* other types' keys */
	/* each member's default, parsed once per load (shape_keys()) */
	struct json_object *defs[TBL__COUNT][OBJ_MAX_MEMBERS];
};

void
fixture_error_cleanup(struct fixture_error *fe)
{
	if (fe == NULL)
		return;
	free(fe->message);
	free(fe->path);
	fe->message = NULL;
	fe->path = NULL;
	fe->conflict = false;
}

static void
fe_init(struct fixture_error *fe)
{
	if (fe != NULL) {
		fe->message = NULL;
		fe->path = NULL;
		fe->conflict = false;
	}
}

/* Records "source: path: problem" (the first error wins); returns -1. */
static int
fe_set(struct fixture_error *fe, const char *source, bool conflict,
    const char *path, const char *fmt, va_list ap)
{
	struct sbuf sb = SBUF_INIT;

	if (fe == NULL || fe->message != NULL)
		return -1;
	if (source != NULL)
		sbuf_addf(&sb, "%s: ", source);
	sbuf_addf(&sb, "%s: ", path);
	sbuf_vaddf(&sb, fmt, ap);
	fe->message = sbuf_detach(&sb);
	fe->path = xstrdup(path);
	fe->conflict = conflict;
	return -1;
}

static int fx_error(struct fx *fx, bool conflict, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A problem at path; a conflict is a duplicate or taken key (409). */
#define fx_fail(fx, ...) fx_error((fx), false, __VA_ARGS__)
#define fx_conflict(fx, ...) fx_error((fx), true, __VA_ARGS__)

static int
fx_error(struct fx *fx, bool conflict, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fe_set(fx->fe, fx->source, conflict, path, fmt, ap);
	va_end(ap);
	return -1;
}

/* A value as JSON for "got ..." (shortened); caller frees. */
static char *
shown(struct json_object *v)
{
	const char *s = json_object_to_json_string_ext(v,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	if (strlen(s) > 60)
		return xasprintf("%.57s...", s);
	return xstrdup(s);
}

static int
bad_value(struct fx *fx, const char *path, const char *want,
    struct json_object *v)
{
	char *got = shown(v);

	fx_fail(fx, path, "must be %s; got %s", want, got);
	free(got);
	return -1;
}

static bool
is_string(struct json_object *v)
{
	return json_object_is_type(v, json_type_string);
}

/* The length of v when it is a string, else 0. */
static size_t
string_len(struct json_object *v)
{
	return is_string(v) ? (size_t)json_object_get_string_len(v) : 0;
}

/* A non-empty string of digits (strspn() stops at an embedded NUL too). */
static bool
is_digits(struct json_object *v)
{
	size_t n = string_len(v);

	return n > 0 && strspn(json_object_get_string(v), "0123456789") == n;
}

/* A Graph id: 15 or 16 digits, no leading zero (it would not round-trip). */
#define ID_WANT "an id (a string of 15 or 16 digits, not starting with 0)"

static bool
is_fixture_id(struct json_object *v)
{
	int n = json_object_get_string_len(v);

	return is_digits(v) && n >= 15 && n <= 16 &&
	    json_object_get_string(v)[0] != '0';
}

/* A non-empty string without whitespace (or '|' when nobar) or NUL. */
static bool
is_word(struct json_object *v, bool nobar)
{
	size_t n = string_len(v);

	return n > 0 &&
	    strcspn(json_object_get_string(v),
	        nobar ? " \t\n\v\f\r|" : " \t\n\v\f\r") == n;
}

static int
bad_enum(struct fx *fx, const char *path, const char *const *values,
    struct json_object *v)
{
	char *all = obj_values_list(values), *want;
	int rc;

	want = xasprintf("one of %s", all);
	rc = bad_value(fx, path, want, v);
	free(want);
	free(all);
	return rc;
}

/* Fails with "unknown key" at base.key (key of any length). */
static int
bad_key(struct fx *fx, const char *base, const char *key)
{
	char *path = xasprintf("%s.%s", base, key);

	fx_fail(fx, path, "unknown key");
	free(path);
	return -1;
}

/* Fails on the first key of obj that is not in allowed (NULL-terminated). */
static int
check_keys(struct fx *fx, const char *path, struct json_object *obj,
    const char *const *allowed)
{
	json_object_object_foreach(obj, key, val) {
		(void)val;
		if (!str_in(allowed, key))
			return bad_key(fx, path, key);
	}
	return 0;
}

/* Fails when the array at path has more than max elements. */
static int
check_length(struct fx *fx, const char *path, struct json_object *v, size_t max,
    const char *what)
{
	size_t n = json_object_array_length(v);

	if (n <= max)
		return 0;
	return fx_fail(fx, path, "must have at most %zu %s; got %zu", max, what,
	    n);
}

/*
 * Checks an array of distinct strings: values lists the allowed ones (and
 * so bounds the length), or is NULL for up to SCOPES_MAX non-empty strings
 * without whitespace.  Duplicates are found through a json-c object used
 * as a hash set.
 */
static int
check_string_array(struct fx *fx, const char *path, struct json_object *v,
    const char *const *values, const char *what, bool nonempty)
{
	struct json_object *seen;
	size_t n, i, max = SCOPES_MAX;
	int rc = 0;

	if (!json_object_is_type(v, json_type_array) ||
	    (nonempty && json_object_array_length(v) == 0)) {
		char *want = xasprintf("%s array of %s",
		    nonempty ? "a non-empty" : "an", what);

		bad_value(fx, path, want, v);
		free(want);
		return -1;
	}
	if (values != NULL)
		for (max = 0; values[max] != NULL; max++)
			;
	if (check_length(fx, path, v, max, what) == -1)
		return -1;
	n = json_object_array_length(v);
	seen = json_object_new_object();
	for (i = 0; rc == 0 && i < n; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);
		char *p = xasprintf("%s[%zu]", path, i);

		if (values != NULL &&
		    (!is_string(e) ||
		        !str_in(values, json_object_get_string(e))))
			rc = bad_enum(fx, p, values, e);
		else if (values == NULL && !is_word(e, false))
			rc = bad_value(fx, p,
			    "a non-empty string without "
			    "whitespace",
			    e);
		else if (json_object_object_get_ex(seen,
		             json_object_get_string(e), NULL))
			rc = fx_fail(fx, p, "duplicate value \"%s\"",
			    json_object_get_string(e));
		else
			json_object_object_add(seen, json_object_get_string(e),
			    NULL);
		free(p);
	}
	json_object_put(seen);
	return rc;
}

/*
 * Checks the array v: at most max elements (counted as unit), each one
 * that ok() accepts.  The first other fails at path[i] as bad_value()
 * with want, or, when want is NULL, with "expected an object".
 */
static int
check_elements(struct fx *fx, const char *path, struct json_object *v,
    size_t max, const char *unit, bool (*ok)(struct json_object *),
    const char *want)
{
	size_t n, i;

	if (check_length(fx, path, v, max, unit) == -1)
		return -1;
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);
		char *p;

		if (ok(e))
			continue;
		p = xasprintf("%s[%zu]", path, i);
		if (want != NULL)
			bad_value(fx, p, want, e);
		else
			fx_fail(fx, p, "expected an object");
		free(p);
		return -1;
	}
	return 0;
}

static int
check_ids_array(struct fx *fx, const char *path, struct json_object *v)
{
	if (!json_object_is_type(v, json_type_array))
		return bad_value(fx, path, "an array of ids", v);
	return check_elements(fx, path, v, TARGET_IDS_MAX, "ids", is_fixture_id,
	    ID_WANT);
}

static int
check_granular(struct fx *fx, const char *path, struct json_object *v)
{
	static const char *const keys[] = { "scope", "target_ids", NULL };
	size_t n, i;

	if (!json_object_is_type(v, json_type_array))
		return bad_value(fx, path, "an array of {scope, target_ids}",
		    v);
	if (check_length(fx, path, v, GRANULAR_MAX, "entries") == -1)
		return -1;
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(v, i), *f;
		char *p = xasprintf("%s[%zu]", path, i), *q = NULL;
		int rc = -1;

		if (!json_object_is_type(e, json_type_object)) {
			fx_fail(fx, p, "expected an object");
			goto next;
		}
		if (check_keys(fx, p, e, keys) == -1)
			goto next;
		q = xasprintf("%s.scope", p);
		if (!json_object_object_get_ex(e, "scope", &f)) {
			fx_fail(fx, q, "is required");
			goto next;
		}
		if (!is_word(f, false)) {
			bad_value(fx, q,
			    "a non-empty string without "
			    "whitespace",
			    f);
			goto next;
		}
		free(q);
		q = xasprintf("%s.target_ids", p);
		if (json_object_object_get_ex(e, "target_ids", &f) &&
		    check_ids_array(fx, q, f) == -1)
			goto next;
		rc = 0;
	next:
		free(p);
		free(q);
		if (rc == -1)
			return -1;
	}
	return 0;
}

static int
check_obo(struct fx *fx, const char *path, struct json_object *v)
{
	static const char *const keys[] = { "id", "name", "status", "type",
		NULL };
	const char *const *k;

	if (!json_object_is_type(v, json_type_object))
		return bad_value(fx, path, "an object {id, name, status, type}",
		    v);
	if (check_keys(fx, path, v, keys) == -1)
		return -1;
	for (k = keys; *k != NULL; k++) {
		struct json_object *f;
		char *p;
		int rc = 0;

		if (!json_object_object_get_ex(v, *k, &f))
			continue;
		p = xasprintf("%s.%s", path, *k);
		if (strcmp(*k, "id") == 0 && !is_fixture_id(f))
			rc = bad_value(fx, p, ID_WANT, f);
		else if (!is_string(f) || json_object_get_string_len(f) == 0)
			rc = bad_value(fx, p, "a non-empty string", f);
		free(p);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* Template components: what the Graph calls check is theirs, not ours. */
#define OBJECTS_MAX 100
#define TIMES_MAX 100

static bool
is_object(struct json_object *v)
{
	return json_object_is_type(v, json_type_object);
}

static bool
is_unix_time(struct json_object *v)
{
	return json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) >= 0 &&
	    json_object_get_int64(v) <= TIME_MAX;
}

static int
check_objects(struct fx *fx, const char *path, struct json_object *v)
{
	if (!json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) == 0)
		return bad_value(fx, path, "a non-empty array of objects", v);
	return check_elements(fx, path, v, OBJECTS_MAX, "entries", is_object,
	    NULL);
}

static int
check_times(struct fx *fx, const char *path, struct json_object *v)
{
	if (!json_object_is_type(v, json_type_array))
		return bad_value(fx, path, "an array of unix times", v);
	return check_elements(fx, path, v, TIMES_MAX, "entries", is_unix_time,
	    "a unix time");
}

/* Checks one present value against its key's type. */
static int
check_value(struct fx *fx, const char *path, const struct obj_member *k,
    struct json_object *v)
{
	char *want;

	switch (k->type) {
	case VT_NONE: /* not a key: shape_keys() never gets here */
		break;
	case VT_ID:
	case VT_REF:
		if (!is_fixture_id(v))
			return bad_value(fx, path, ID_WANT, v);
		return 0;
	case VT_STRING:
		if (!is_string(v) || json_object_get_string_len(v) == 0)
			return bad_value(fx, path, "a non-empty string", v);
		return 0;
	case VT_DIGITS:
		if (!is_digits(v))
			return bad_value(fx, path, "a string of digits", v);
		return 0;
	case VT_TIME:
		if (is_unix_time(v))
			return 0;
		want = xasprintf("a unix time from 0 to %lld (the end of year "
		                 "9999)",
		    TIME_MAX);
		bad_value(fx, path, want, v);
		free(want);
		return -1;
	case VT_LIMIT:
		if (!json_object_is_type(v, json_type_int) ||
		    json_object_get_int64(v) < 1)
			return bad_value(fx, path, "an integer >= 1", v);
		return 0;
	case VT_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			return bad_value(fx, path, "true or false", v);
		return 0;
	case VT_ENUM:
		if (!is_string(v) ||
		    !str_in(k->values, json_object_get_string(v)))
			return bad_enum(fx, path, k->values, v);
		return 0;
	case VT_TASKS:
	case VT_TASKS0:
		return check_string_array(fx, path, v, k->values, "tasks",
		    k->type == VT_TASKS);
	case VT_SCOPES:
		return check_string_array(fx, path, v, NULL, "scope names",
		    false);
	case VT_STRINGS:
		return check_string_array(fx, path, v, NULL, "website URLs",
		    false);
	case VT_GRANULAR:
		return check_granular(fx, path, v);
	case VT_OBO:
		return check_obo(fx, path, v);
	case VT_URL:
		if (!is_string(v) ||
		    (strncmp(json_object_get_string(v), "http://", 7) != 0 &&
		        strncmp(json_object_get_string(v), "https://", 8) != 0))
			return bad_value(fx, path, "an http:// or https:// URL",
			    v);
		return 0;
	case VT_FIELDS:
		return check_string_array(fx, path, v, k->values,
		    "webhook fields", false);
	case VT_OBJECTS:
		return check_objects(fx, path, v);
	case VT_COUNT:
		if (!json_object_is_type(v, json_type_int) ||
		    json_object_get_int64(v) < 0)
			return bad_value(fx, path, "an integer >= 0", v);
		return 0;
	case VT_TIMES:
		return check_times(fx, path, v);
	case VT_TOKEN:
		if (!is_word(v, true))
			return bad_value(fx, path,
			    "a non-empty string "
			    "without '|' or whitespace",
			    v);
		return 0;
	}
	return 0;
}

/*
 * Adds key -> path to an index; when the key is there already, reports a
 * duplicate at path naming the first place.
 */
static int
index_add(struct fx *fx, struct json_object *index, const char *key,
    const char *path, const char *what)
{
	struct json_object *first;

	/* what and the first place are never NULL; the guards say so to
	 * compilers that inline far enough to lose track */
	if (json_object_object_get_ex(index, key, &first))
		return fx_conflict(fx, path, "duplicate %s (first at %s)",
		    what ? what : "key",
		    first ? json_object_get_string(first) : "?");
	json_object_object_add(index, key, json_object_new_string(path));
	return 0;
}

/* The index of member name in t's members; name is always one. */
static size_t
mindex(enum store_table t, const char *name)
{
	const struct obj_member *m = obj_member(&objects[t], name);

	assert(m != NULL);
	return m != NULL ? (size_t)(m - objects[t].members) : 0;
}

/* Row i of table t: one value per member. */
static struct json_object **
row_at(struct fx *fx, enum store_table t, size_t i)
{
	return fx->vals[t] + i * objects[t].nmembers;
}

/* The string value of a row's member, NULL when absent. */
static const char *
vstr(enum store_table t, struct json_object *const *row, const char *name)
{
	struct json_object *v = row[mindex(t, name)];

	return v != NULL ? json_object_get_string(v) : NULL;
}

/* Late defaults: member name of row gets v when it is absent. */
static void
late_int(struct fx *fx, enum store_table t, struct json_object **row,
    const char *name, int64_t v)
{
	size_t k = mindex(t, name);

	if (row[k] == NULL) {
		row[k] = json_object_new_int64(v);
		json_object_array_add(fx->late, row[k]);
	}
}

static void
late_str(struct fx *fx, enum store_table t, struct json_object **row,
    const char *name, const char *v)
{
	size_t k = mindex(t, name);

	if (row[k] == NULL) {
		row[k] = json_object_new_string(v);
		json_object_array_add(fx->late, row[k]);
	}
}

/* Pass one for the phone number at base: cc and number lengths. */
static int
shape_phone(struct fx *fx, const char *base, struct json_object **row)
{
	const char *cc = vstr(TBL_PHONE_NUMBERS, row, "cc");
	const char *num = vstr(TBL_PHONE_NUMBERS, row, "phone_number");
	char *path, *key, *what;
	int rc;

	/* no calling code starts with 0: "01" would be a second +1 */
	if (strlen(cc) > 3 || cc[0] == '0') {
		path = xasprintf("%s.cc", base);
		rc = bad_value(fx, path,
		    cc[0] == '0' ? "a calling code, which never starts with 0" :
		                   "1 to 3 digits",
		    row[mindex(TBL_PHONE_NUMBERS, "cc")]);
		free(path);
		return rc;
	}
	if (strlen(cc) + strlen(num) > 15) {
		path = xasprintf("%s.phone_number", base);
		rc = fx_fail(fx, path,
		    "cc and phone_number together must "
		    "have at most 15 digits; got %zu",
		    strlen(cc) + strlen(num));
		free(path);
		return rc;
	}
	path = xasprintf("%s.phone_number", base);
	key = xasprintf("%s %s", cc, num);
	what = xasprintf("phone number +%s %s", cc, num);
	rc = index_add(fx, fx->numbers, key, path, what);
	free(path);
	free(key);
	free(what);
	return rc;
}

/*
 * base.key in path, for a key of the format's own: every key of every row
 * gets a path and almost none is ever shown, so it is made on the stack.
 * Row paths ("$.phone_numbers[12]") and the format's keys fit with room.
 */
#define SUBPATH_SIZE 128

static void
subpath(char path[SUBPATH_SIZE], const char *base, const char *key)
{
	size_t b = strlen(base), k = strlen(key);

	if (b > SUBPATH_SIZE - 2)
		b = SUBPATH_SIZE - 2;
	if (k > SUBPATH_SIZE - 2 - b)
		k = SUBPATH_SIZE - 2 - b;
	memcpy(path, base, b);
	path[b] = '.';
	memcpy(path + b + 1, key, k);
	path[b + 1 + k] = '\0';
}

static int fx_conflict_at(struct fx *fx, const char *base, const char *key,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* fx_conflict() at base.key: the row's key whose value is taken. */
static int
fx_conflict_at(struct fx *fx, const char *base, const char *key,
    const char *fmt, ...)
{
	char path[SUBPATH_SIZE];
	va_list ap;

	subpath(path, base, key);
	va_start(ap, fmt);
	fe_set(fx->fe, fx->source, true, path, fmt, ap);
	va_end(ap);
	return -1;
}

/* "$.table[i]" in path: the base of every path of one row. */
static void
rowpath(char path[SUBPATH_SIZE], enum store_table t, size_t i)
{
	char digits[24], *d = digits + sizeof(digits);
	const char *name = store_table_name(t);
	size_t n = strlen(name), nd;

	*--d = '\0';
	do {
		*--d = (char)('0' + i % 10);
		i /= 10;
	} while (i != 0);
	nd = (size_t)(digits + sizeof(digits) - 1 - d);
	/* table names are short: "$." name "[" 20 digits "]" always fits */
	memcpy(path, "$.", 2);
	memcpy(path + 2, name, n);
	path[2 + n] = '[';
	memcpy(path + 3 + n, d, nd);
	memcpy(path + 3 + n + nd, "]", 2);
}

/* Fails on the first key of obj, in document order, that is no column. */
static int
unknown_key(struct fx *fx, const struct obj_type *ts, const char *base,
    struct json_object *obj)
{
	json_object_object_foreach(obj, key, val) {
		const struct obj_member *m = obj_member(ts, key);

		(void)val;
		if (m == NULL || m->type == VT_NONE)
			return bad_key(fx, base, key);
	}
	return 0;
}

/*
 * Sets row's values (one per member of ts) to those of obj after checking
 * them, or to the plain defaults of absent keys.  Each column is looked up
 * once; a key left over is unknown.  defs caches ts's defaults, parsed on
 * first use and shared by every row (rows are never changed in place).
 */
static int
shape_keys(struct fx *fx, const struct obj_type *ts, const char *base,
    struct json_object *obj, struct json_object **row,
    struct json_object **defs)
{
	struct json_object *vals[OBJ_MAX_MEMBERS];
	bool has[OBJ_MAX_MEMBERS];
	char path[SUBPATH_SIZE];
	size_t k, found = 0;
	int rc;

	assert(ts->nmembers <= OBJ_MAX_MEMBERS);
	for (k = 0; k < ts->nmembers; k++) {
		has[k] = ts->members[k].type != VT_NONE &&
		    json_object_object_get_ex(obj, ts->members[k].name,
		        &vals[k]);
		found += has[k];
	}
	if (found != (size_t)json_object_object_length(obj))
		return unknown_key(fx, ts, base, obj);
	for (k = 0; k < ts->nmembers; k++) {
		const struct obj_member *fk = &ts->members[k];
		bool required = (fk->flags & OM_REQUIRED) != 0;
		bool present = has[k];

		if (fk->type == VT_NONE)
			continue;
		/* null stands for "absent" where absence is allowed */
		if (present && vals[k] == NULL && !required)
			present = false;
		subpath(path, base, fk->name);
		if (present)
			rc = check_value(fx, path, fk, vals[k]);
		else if (required && !(fk->type == VT_ID && fx->generate_ids))
			rc = fx_fail(fx, path, "is required");
		else
			rc = 0;
		if (rc == -1)
			return -1;
		if (present) {
			row[k] = vals[k];
		} else if (fk->def != NULL) {
			if (defs[k] == NULL)
				defs[k] = json_tokener_parse(fk->def);
			row[k] = defs[k];
		}
	}
	return 0;
}

/* index_add() for the value at base.name (at base when name is NULL). */
static int
index_at(struct fx *fx, struct json_object *index, const char *key,
    const char *base, const char *name, const char *what)
{
	char path[SUBPATH_SIZE];

	if (name == NULL)
		return index_add(fx, index, key, base, what);
	subpath(path, base, name);
	return index_add(fx, index, key, path, what);
}

/*
 * Records the row's unique keys; a repeat within the document fails.
 * Nodes share one index of ids; other types index their key (a token,
 * or a pair such as "waba:user"); phone numbers also their number.
 */
static int
shape_index(struct fx *fx, enum store_table t, const char *base,
    struct json_object **row)
{
	const struct obj_type *ot = &objects[t];
	const char *k0 = ot->members[0].name, *k1, *id;
	char *key, *what;
	int rc;

	if (ot->node != NODE_NONE) {
		id = vstr(t, row, "id");
		if (id != NULL &&
		    index_at(fx, fx->ids, id, base, "id", "id") == -1)
			return -1;
		return t == TBL_PHONE_NUMBERS ? shape_phone(fx, base, row) : 0;
	}
	if (ot->nkeys == 1)
		return index_at(fx, fx->keys[t], vstr(t, row, k0), base, k0,
		    k0);
	/* a pair of references: "assignment of WABA 'w' and user 'u'" */
	k1 = ot->members[1].name;
	key = xasprintf("%s:%s", vstr(t, row, k0), vstr(t, row, k1));
	what = xasprintf("%s of %s '%s' and %s '%s'", ot->what,
	    objects[ot->members[0].ref].what, vstr(t, row, k0), k1,
	    vstr(t, row, k1));
	rc = index_at(fx, fx->keys[t], key, base, NULL, what);
	free(key);
	free(what);
	return rc;
}

/*
 * Pass one for element i of table t: keys, types, plain defaults and the
 * in-document indexes.  The normalized row is row_at(fx, t, i).
 */
static int
shape(struct fx *fx, enum store_table t, size_t i, struct json_object *obj)
{
	char base[SUBPATH_SIZE];

	rowpath(base, t, i);
	if (!json_object_is_type(obj, json_type_object))
		return fx_fail(fx, base, "expected an object");
	if (shape_keys(fx, &objects[t], base, obj, row_at(fx, t, i),
	        fx->defs[t]) == -1 ||
	    shape_index(fx, t, base, row_at(fx, t, i)) == -1)
		return -1;
	return 0;
}

/* Gives every node row without an id a fresh one. */
static int
generate_ids(struct fx *fx)
{
	int t;

	for (t = 0; t < TBL__COUNT; t++) {
		size_t n, i;

		if (objects[t].node == NODE_NONE)
			continue;
		n = fx->nrows[t];
		for (i = 0; i < n; i++) {
			struct json_object **row = row_at(fx, t, i);
			struct json_object *v;
			char buf[24], *path;
			int64_t id;

			if (vstr(t, row, "id") != NULL)
				continue;
			do {
				id = store_new_id(fx->st);
				if (id < 0)
					return fx_fail(fx, "$",
					    "the store "
					    "cannot make an id");
				snprintf(buf, sizeof(buf), "%lld",
				    (long long)id);
			} while (json_object_object_get_ex(fx->ids, buf, NULL));
			v = json_object_new_string(buf);
			json_object_array_add(fx->owned, v);
			row[mindex(t, "id")] = v;
			path = xasprintf("$.%s[%zu].id", store_table_name(t),
			    i);
			json_object_object_add(fx->ids, buf,
			    json_object_new_string(path));
			free(path);
		}
	}
	return 0;
}

/*
 * The row that id, the value of reference fk, names, from the store
 * (earlier tables of the document are inserted by now); NULL after
 * reporting it unknown.
 */
static struct json_object *
resolve(struct fx *fx, const char *base, const char *id,
    const struct obj_member *fk)
{
	struct json_object *found;
	char *path;

	found = store_get(fx->st, fk->ref, parse_id(id));
	if (found == NULL) {
		path = xasprintf("%s.%s", base, fk->name);
		fx_fail(fx, path, "unknown %s '%s'", objects[fk->ref].what, id);
		free(path);
	}
	return found;
}

/* "4a3f09c1_7b2e": 8 and 4 hex digits, a function of the WABA id. */
static void
template_namespace(char out[14], const char *id)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t h = mix64((uint64_t)parse_id(id) ^ 0x6e616d657370ULL);
	int i;

	/* by hand: once per WABA, and snprintf showed in load profiles */
	for (i = 0; i < 8; i++)
		out[i] = hex[(h >> (60 - 4 * i)) & 0xf];
	out[8] = '_';
	for (i = 0; i < 4; i++)
		out[9 + i] = hex[(h >> (12 - 4 * i)) & 0xf];
	out[13] = '\0';
}

/*
 * The stored row, found by find(), that links the row's WABA to the node in
 * its column other (an assignment's user, a share's business); new, or
 * NULL (always, in a fresh store).
 */
static struct json_object *
stored_link(struct fx *fx, enum store_table t, struct json_object **row,
    const char *other,
    struct json_object *(*find)(struct store *, int64_t, int64_t))
{
	if (fx->fresh)
		return NULL;
	return find(fx->st, parse_id(vstr(t, row, "waba")),
	    parse_id(vstr(t, row, other)));
}

/* Checks that the user may be assigned to the WABA (its business owns it
 * or has a share of it, in the store or in the document). */
static int
check_assignment(struct fx *fx, const char *base, struct json_object *waba,
    struct json_object *user)
{
	const char *owner = row_str(waba, "business");
	const char *biz = row_str(user, "business");
	struct json_object *share;
	char *key, *path;
	bool ok;

	if (strcmp(owner, biz) == 0)
		return 0;
	key = xasprintf("%s:%s", row_str(waba, "id"), biz);
	ok = json_object_object_get_ex(fx->keys[TBL_SHARES], key, NULL);
	free(key);
	if (!ok && !fx->fresh) {
		share = store_share(fx->st, parse_id(row_str(waba, "id")),
		    parse_id(biz));
		ok = share != NULL;
		json_object_put(share);
	}
	if (ok)
		return 0;
	path = xasprintf("%s.user", base);
	fx_fail(fx, path,
	    "user '%s' belongs to business '%s', which neither "
	    "owns WABA '%s' nor has a share of it",
	    row_str(user, "id"), biz, row_str(waba, "id"));
	free(path);
	return -1;
}

/* A template deleted, or being deleted, holds no name in lists. */
static bool
template_gone(const char *status)
{
	return status != NULL &&
	    (strcmp(status, "PENDING_DELETION") == 0 ||
	        strcmp(status, "DELETED") == 0);
}

/* Pass two for row i of table t: references, uniqueness, late defaults. */
static int
link_row(struct fx *fx, enum store_table t, size_t i, struct json_object **row)
{
	const struct obj_type *ts = &objects[t];
	struct json_object *refs[3] = { NULL, NULL, NULL }, *dup = NULL;
	char base[SUBPATH_SIZE], *path, *s;
	size_t k, nref = 0;
	int64_t created;
	int rc = -1;

	rowpath(base, t, i);
	if (ts->node != NODE_NONE && !fx->fresh &&
	    store_node_type(fx->st, parse_id(vstr(t, row, "id"))) !=
	        NODE_NONE) {
		fx_conflict_at(fx, base, "id", "id '%s' already exists",
		    vstr(t, row, "id"));
		goto out;
	}
	for (k = 0; k < ts->nmembers; k++) {
		if (ts->members[k].type != VT_REF)
			continue;
		assert(nref < sizeof(refs) / sizeof(refs[0]));
		refs[nref] = resolve(fx, base,
		    row[k] != NULL ? json_object_get_string(row[k]) : NULL,
		    &ts->members[k]);
		if (refs[nref++] == NULL)
			goto out;
	}
	switch (t) {
	case TBL_TOKENS:
		dup = fx->fresh ?
		    NULL :
		    store_get_token(fx->st, vstr(t, row, "token"));
		if (dup != NULL) {
			fx_conflict_at(fx, base, "token",
			    "token '%s' already "
			    "exists",
			    vstr(t, row, "token"));
			goto out;
		}
		late_int(fx, t, row, "issued_at", fx->now);
		break;
	case TBL_WABAS:
		if (vstr(t, row, "message_template_namespace") == NULL) {
			char ns[14];

			template_namespace(ns, vstr(t, row, "id"));
			late_str(fx, t, row, "message_template_namespace", ns);
		}
		late_str(fx, t, row, "country", row_str(refs[0], "country"));
		late_int(fx, t, row, "creation_time", fx->now);
		break;
	case TBL_PHONE_NUMBERS:
		dup = fx->fresh ?
		    NULL :
		    store_phone_by_number(fx->st, vstr(t, row, "cc"),
		        vstr(t, row, "phone_number"));
		if (dup != NULL) {
			fx_conflict_at(fx, base, "phone_number",
			    "phone number "
			    "+%s %s already exists (id '%s')",
			    vstr(t, row, "cc"), vstr(t, row, "phone_number"),
			    row_str(dup, "id"));
			goto out;
		}
		if (vstr(t, row, "display_phone_number") == NULL) {
			s = phone_display(vstr(t, row, "cc"),
			    vstr(t, row, "phone_number"));
			late_str(fx, t, row, "display_phone_number", s);
			free(s);
		}
		late_str(fx, t, row, "throughput_level",
		    strcmp(vstr(t, row, "platform_type"), "CLOUD_API") == 0 ?
		        "STANDARD" :
		        "NOT_APPLICABLE");
		late_int(fx, t, row, "creation_time", fx->now);
		break;
	case TBL_TEMPLATES:
		dup = store_template_live(fx->st,
		    parse_id(vstr(t, row, "waba")), vstr(t, row, "name"),
		    vstr(t, row, "language"));
		if (dup != NULL && !template_gone(vstr(t, row, "status"))) {
			fx_conflict_at(fx, base, "name",
			    "WABA '%s' has "
			    "template '%s' in '%s' already (id '%s')",
			    vstr(t, row, "waba"), vstr(t, row, "name"),
			    vstr(t, row, "language"), row_str(dup, "id"));
			goto out;
		}
		late_int(fx, t, row, "created_at", fx->now);
		created = json_object_get_int64(row[mindex(t, "created_at")]);
		late_int(fx, t, row, "updated_at", created);
		late_int(fx, t, row, "quality_updated", created);
		break;
	case TBL_ASSIGNMENTS:
		dup = stored_link(fx, t, row, "user", store_assignment);
		if (dup != NULL) {
			fx_conflict(fx, base,
			    "user '%s' is already assigned "
			    "to WABA '%s'",
			    vstr(t, row, "user"), vstr(t, row, "waba"));
			goto out;
		}
		if (check_assignment(fx, base, refs[0], refs[1]) == -1)
			goto out;
		break;
	case TBL_SHARES:
		dup = stored_link(fx, t, row, "business", store_share);
		if (dup != NULL) {
			fx_conflict(fx, base,
			    "WABA '%s' is already shared "
			    "with business '%s'",
			    vstr(t, row, "waba"), vstr(t, row, "business"));
			goto out;
		}
		if (strcmp(row_str(refs[0], "business"),
		        vstr(t, row, "business")) == 0) {
			path = xasprintf("%s.business", base);
			fx_fail(fx, path,
			    "business '%s' owns WABA '%s'; a "
			    "share goes to another business",
			    vstr(t, row, "business"), vstr(t, row, "waba"));
			free(path);
			goto out;
		}
		break;
	case TBL_SUBSCRIPTIONS:
	case TBL_SUBSCRIBED_APPS:
	case TBL_OAUTH_CODES:
	case TBL_MESSAGES:
		/* keyed by text or a mixed pair: looked up by the row's key */
		{
			struct json_object *o = json_object_new_object();

			for (k = 0; k < ts->nmembers; k++)
				if (row[k] != NULL)
					json_object_object_add(o,
					    ts->members[k].name,
					    json_object_get(row[k]));
			dup = store_lookup(fx->st, t, o);
			json_object_put(o);
		}
		if (dup != NULL) {
			fx_conflict(fx, base, "the %s already exists",
			    ts->what);
			goto out;
		}
		break;
	default:
		break;
	}
	rc = 0;
out:
	for (k = 0; k < nref; k++)
		json_object_put(refs[k]);
	json_object_put(dup);
	return rc;
}

/* What *created lists for a row: its key (id, token), or the pair. */
static struct json_object *
created_entry(enum store_table t, struct json_object *const *row)
{
	const struct obj_type *ot = &objects[t];
	struct json_object *o;
	size_t k;

	/* the keys are the first members, and never absent */
	if (ot->nkeys == 1)
		return json_object_new_string(json_object_get_string(row[0]));
	o = json_object_new_object();
	for (k = 0; k < ot->nkeys; k++)
		json_object_object_add(o, ot->members[k].name,
		    json_object_new_string(json_object_get_string(row[k])));
	return o;
}

/* Validates and inserts doc; the caller owns the transaction. */
static int
load(struct fx *fx, struct json_object *doc, struct json_object *created)
{
	struct json_object *arr;
	int t;
	size_t i, n;

	if (!json_object_is_type(doc, json_type_object))
		return fx_fail(fx, "$", "expected an object");
	json_object_object_foreach(doc, key, val) {
		char *path = xasprintf("$.%s", key);
		int rc = 0;

		for (t = 0; t < TBL__COUNT; t++)
			if (strcmp(key, store_table_name(t)) == 0)
				break;
		if (strcmp(key, "about") == 0) {
			if (!json_object_is_type(val, json_type_object))
				rc = fx_fail(fx, path, "expected an object");
		} else if (t == TBL__COUNT) {
			rc = fx_fail(fx, path, "unknown key");
		} else if (!json_object_is_type(val, json_type_array)) {
			rc = fx_fail(fx, path, "expected an array");
		}
		free(path);
		if (rc == -1)
			return -1;
	}
	for (t = 0; t < TBL__COUNT; t++) {
		if (!json_object_object_get_ex(doc, store_table_name(t), &arr))
			continue;
		n = json_object_array_length(arr);
		fx->vals[t] = xcalloc(n ? n * objects[t].nmembers : 1,
		    sizeof(*fx->vals[t]));
		fx->nrows[t] = n;
		for (i = 0; i < n; i++)
			if (shape(fx, t, i,
			        json_object_array_get_idx(arr, i)) == -1)
				return -1;
	}
	if (fx->generate_ids && generate_ids(fx) == -1)
		return -1;
	for (t = 0; t < TBL__COUNT; t++) {
		struct json_object *list = NULL;

		n = fx->nrows[t];
		for (i = 0; i < n; i++) {
			struct json_object **row = row_at(fx, t, i);
			char *cause = NULL;

			if (link_row(fx, t, i, row) == -1)
				return -1;
			if (store_load(fx->st, t, row, &cause) == -1) {
				char *path = xasprintf("$.%s[%zu]",
				    store_table_name(t), i);

				fx_fail(fx, path, "store: %s",
				    cause ? cause : "insert failed");
				free(path);
				free(cause);
				return -1;
			}
			if (created == NULL) {
				json_object_array_del_idx(fx->late, 0,
				    json_object_array_length(fx->late));
				continue;
			}
			if (list == NULL) {
				list = json_object_new_array();
				json_object_object_add(created,
				    store_table_name(t), list);
			}
			json_object_array_add(list, created_entry(t, row));
			/* the row is stored: its late values may go */
			json_object_array_del_idx(fx->late, 0,
			    json_object_array_length(fx->late));
		}
	}
	return 0;
}

static void
fx_init(struct fx *fx, struct store *st, const char *source, bool generate_ids,
    int64_t now, struct fixture_error *fe)
{
	int t;

	memset(fx, 0, sizeof(*fx));
	fx->st = st;
	fx->source = source;
	fx->generate_ids = generate_ids;
	fx->now = now;
	fx->fe = fe;
	fx->ids = json_object_new_object();
	fx->numbers = json_object_new_object();
	fx->owned = json_object_new_array();
	fx->late = json_object_new_array();
	for (t = 0; t < TBL__COUNT; t++)
		fx->keys[t] = json_object_new_object();
}

static void
fx_cleanup(struct fx *fx)
{
	size_t k;
	int t;

	json_object_put(fx->ids);
	json_object_put(fx->numbers);
	json_object_put(fx->owned);
	json_object_put(fx->late);
	for (t = 0; t < TBL__COUNT; t++) {
		free(fx->vals[t]);
		json_object_put(fx->keys[t]);
		for (k = 0; k < OBJ_MAX_MEMBERS; k++)
			json_object_put(fx->defs[t][k]);
	}
}

/*
 * Row i of table t as an object of its id and references, which is what
 * an event names: a row's late defaults are let go once it is stored, so
 * only the values the document or the load keeps are taken.
 */
static struct json_object *
linked_row(struct fx *fx, enum store_table t, size_t i)
{
	const struct obj_type *ts = &objects[t];
	struct json_object **row = row_at(fx, t, i);
	struct json_object *o = json_object_new_object();
	size_t k;

	for (k = 0; k < ts->nmembers; k++)
		if (row[k] != NULL &&
		    (ts->members[k].type == VT_REF ||
		        strcmp(ts->members[k].name, "id") == 0))
			json_object_object_add(o, ts->members[k].name,
			    json_object_get(row[k]));
	return o;
}

/* Tells hook of the rows the load added, inside its transaction. */
static int
notify(struct fx *fx, const struct fixture_hook *hook)
{
	char *cause = NULL;
	int t;

	for (t = 0; t < TBL__COUNT; t++) {
		struct json_object *rows;
		size_t i;
		int rc;

		if (fx->nrows[t] == 0)
			continue;
		rows = json_object_new_array();
		for (i = 0; i < fx->nrows[t]; i++)
			json_object_array_add(rows,
			    linked_row(fx, (enum store_table)t, i));
		rc = hook->added(hook->ctx, fx->st, (enum store_table)t, rows,
		    fx->now, &cause);
		json_object_put(rows);
		if (rc == -1) {
			fx_fail(fx, "$", "%s",
			    cause ? cause :
			            "the load's events could not be recorded");
			free(cause);
			return -1;
		}
	}
	return 0;
}

/* Runs a load in one transaction, after clearing the store when asked. */
static int
run(struct store *st, struct json_object *doc, const char *source,
    bool generate_ids, bool replace, int64_t now,
    const struct fixture_hook *hook, struct json_object **created,
    struct fixture_error *fe)
{
	struct json_object *made = created ? json_object_new_object() : NULL;
	struct fx fx;
	bool bulk;
	int rc = -1;

	fe_init(fe);
	if (created != NULL)
		*created = NULL;
	fx_init(&fx, st, source, generate_ids, now, fe);
	/*
	 * Into an empty store, a bulk load: its check of foreign keys at the
	 * commit reads only the rows loaded.  A replace deletes, and its
	 * deletes must cascade: a plain transaction, as for a few rows
	 * added to a store that holds many.
	 */
	bulk = !replace && store_is_empty(st);
	if ((bulk ? store_load_begin(st) : store_begin(st)) == -1) {
		fx_fail(&fx, "$", "the store cannot begin a transaction");
		goto out;
	}
	if (replace && store_clear(st) == -1) {
		fx_fail(&fx, "$", "the store cannot be cleared");
		goto fail;
	}
	fx.fresh = replace || bulk;
	if (load(&fx, doc, made) == -1)
		goto fail;
	if (hook != NULL && notify(&fx, hook) == -1)
		goto fail;
	if ((bulk ? store_load_commit(st) : store_commit(st)) == -1) {
		fx_fail(&fx, "$", "the store cannot commit");
		goto fail;
	}
	if (created != NULL) {
		*created = made;
		made = NULL;
	}
	rc = 0;
	goto out;
fail:
	store_rollback(st);
out:
	json_object_put(made);
	fx_cleanup(&fx);
	return rc;
}

int
fixtures_apply(struct store *st, struct json_object *doc, const char *source,
    bool generate_ids, int64_t now, struct json_object **created,
    struct fixture_error *fe)
{
	return run(st, doc, source, generate_ids, false, now, NULL, created,
	    fe);
}

int
fixtures_apply_hooked(struct store *st, struct json_object *doc,
    const char *source, bool generate_ids, int64_t now,
    const struct fixture_hook *hook, struct json_object **created,
    struct fixture_error *fe)
{
	return run(st, doc, source, generate_ids, false, now, hook, created,
	    fe);
}

int
fixtures_replace(struct store *st, struct json_object *doc, const char *source,
    int64_t now, struct fixture_error *fe)
{
	return run(st, doc, source, false, true, now, NULL, NULL, fe);
}

int
fixtures_apply_row(struct store *st, const char *table, struct json_object *row,
    const char *source, bool generate_ids, int64_t now,
    struct json_object **created, struct fixture_error *fe)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	int rc;

	json_object_array_add(arr, row);
	json_object_object_add(doc, table, arr);
	rc = fixtures_apply(st, doc, source, generate_ids, now, created, fe);
	json_object_put(doc);
	return rc;
}

int
fixtures_apply_text(struct store *st, const char *text, size_t len,
    const char *source, int64_t now, struct fixture_error *fe)
{
	struct json_object *doc;
	char *why;
	int rc;

	if ((doc = pjson_parse_doc(text, len, &why)) == NULL) {
		fe_init(fe);
		if (fe != NULL) {
			fe->path = xstrdup("$");
			fe->message = xasprintf("%s%sinvalid JSON at %s",
			    source ? source : "",
			    source ? ": $: " : "$: ", why);
		}
		free(why);
		return -1;
	}
	rc = fixtures_apply(st, doc, source, false, now, NULL, fe);
	json_object_put(doc);
	return rc;
}

int
fixtures_apply_file(struct store *st, const char *path, int64_t now,
    struct fixture_error *fe)
{
	struct sbuf sb = SBUF_INIT;
	char buf[8192];
	FILE *f;
	size_t n;
	int rc;

	fe_init(fe);
	if ((f = fopen(path, "rb")) == NULL)
		goto fail;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sbuf_add(&sb, buf, n);
	if (ferror(f)) {
		fclose(f);
		goto fail;
	}
	fclose(f);
	rc = fixtures_apply_text(st, sb.buf ? sb.buf : "", sb.len, path, now,
	    fe);
	sbuf_release(&sb);
	return rc;
fail:
	if (fe != NULL) {
		fe->message = xasprintf("%s: %s", path, strerror(errno));
		fe->path = xstrdup("$");
	}
	sbuf_release(&sb);
	return -1;
}
