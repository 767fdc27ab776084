/*
 * filter.c - the filtering= and sort= parameters of list edges (see
 * filter.h).  This file validates and normalises; the store applies.
 *
 * The real wording of these errors was never captured (reference section
 * 8), so they follow Graph's usual "(#100) Param NAME must be ..." form and
 * name the field, operator or value that is wrong.  Timestamps are unix
 * seconds written as a string of digits or as a JSON integer; unused
 * bounds are LLONG_MIN (lo) and LLONG_MAX (hi).
 *
 * The store prepares and keeps one statement per SQL text, and the text
 * follows the filters' fields and operators in order.  So a list takes
 * each field and operator once, at most FILTER_MAX of them, and they come
 * back in the spec's order: an edge has one text per set of pairs it
 * allows, however clients order or repeat their filters.
 */
#include "filter.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pjson.h"
#include "util.h"

static const struct {
	const char *name;
	enum filter_op op;
} ops[] = {
	{ "EQUAL", FOP_EQUAL },
	{ "IN", FOP_IN },
	{ "LESS_THAN", FOP_LESS_THAN },
	{ "GREATER_THAN", FOP_GREATER_THAN },
	{ "IN_RANGE", FOP_IN_RANGE },
};

#define NOPS (sizeof(ops) / sizeof(ops[0]))
#define FILTER_MAX 8

static const char bad_shape[] =
    "(#100) Param filtering must be an array of {field, operator, value} "
    "objects";

void
filters_free(struct filter *f, size_t n)
{
	size_t i, j;

	if (f == NULL)
		return;
	for (i = 0; i < n; i++) {
		for (j = 0; j < f[i].nvalues; j++)
			free(f[i].values[j]);
		free(f[i].values);
	}
	free(f);
}

static void
add_value(struct filter *f, const char *v)
{
	f->values = xrealloc(f->values, (f->nvalues + 1) * sizeof(char *));
	f->values[f->nvalues++] = xstrdup(v);
}

/* A JSON value as a message shows it: strings bare, the rest as JSON. */
static const char *
shown(struct json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return json_object_to_json_string_ext(v,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* "Supported fields: a, b" and the like. */
static char *
field_names(const struct filter_spec *specs)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = 0; specs[i].field != NULL; i++) {
		if (i > 0)
			sbuf_addstr(&sb, ", ");
		sbuf_addstr(&sb, specs[i].field);
	}
	return sbuf_detach(&sb);
}

static char *
op_names(unsigned mask)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = 0; i < NOPS; i++) {
		if ((mask & ops[i].op) == 0)
			continue;
		if (sb.len > 0)
			sbuf_addstr(&sb, ", ");
		sbuf_addstr(&sb, ops[i].name);
	}
	return sbuf_detach(&sb);
}

/* A timestamp: 1..18 digits as a string, or a non-negative integer. */
static int
timestamp(struct json_object *v, long long *out, struct filter *f)
{
	if (json_object_is_type(v, json_type_int)) {
		int64_t i = json_object_get_int64(v);
		char buf[24];

		if (i < 0)
			return -1;
		*out = i;
		snprintf(buf, sizeof(buf), "%lld", *out);
		add_value(f, buf);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string) ||
	    !is_numeric_id(json_object_get_string(v)))
		return -1;
	*out = parse_id(json_object_get_string(v));
	add_value(f, json_object_get_string(v));
	return 0;
}

/* "(#100) Param filtering[i].value must be WHAT - got "V"" */
static int
bad_value(size_t idx, const char *what, struct json_object *v, struct gerr *err)
{
	return gerr_set(err, GE_PARAM,
	    "(#100) Param filtering[%zu].value must "
	    "be %s - got \"%s\"",
	    idx, what, shown(v));
}

static int
time_value(struct filter *f, size_t idx, struct json_object *v,
    struct gerr *err)
{
	static const char range[] =
	    "an array of two unix timestamps [from, to]";
	size_t i, n;
	long long t;

	switch (f->op) {
	case FOP_IN_RANGE:
		if (!json_object_is_type(v, json_type_array) ||
		    json_object_array_length(v) != 2 ||
		    timestamp(json_object_array_get_idx(v, 0), &f->lo, f) < 0 ||
		    timestamp(json_object_array_get_idx(v, 1), &f->hi, f) < 0)
			return bad_value(idx, range, v, err);
		if (f->lo > f->hi)
			return bad_value(idx,
			    "a range [from, to] with from <= to", v, err);
		return 0;
	case FOP_IN:
		if (!json_object_is_type(v, json_type_array))
			return bad_value(idx, "an array of unix timestamps", v,
			    err);
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			if (timestamp(json_object_array_get_idx(v, i), &t, f) <
			    0)
				return bad_value(idx,
				    "an array of unix timestamps", v, err);
		return 0;
	default:
		if (timestamp(v, f->op == FOP_LESS_THAN ? &f->hi : &f->lo, f) <
		    0)
			return bad_value(idx, "a unix timestamp", v, err);
		if (f->op == FOP_EQUAL)
			f->hi = f->lo;
		return 0;
	}
}

static int
not_one_of(const struct filter_spec *spec, size_t idx, const char *got,
    struct gerr *err)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;
	int rc;

	for (i = 0; spec->values[i] != NULL; i++) {
		if (i > 0)
			sbuf_addstr(&sb, ", ");
		sbuf_addstr(&sb, spec->values[i]);
	}
	rc = gerr_set(err, GE_PARAM,
	    "(#100) Param filtering[%zu].value must "
	    "be one of {%s} - got \"%s\"",
	    idx, sb.buf ? sb.buf : "", got);
	sbuf_release(&sb);
	return rc;
}

/* Enum fields: one string, or for IN an array of strings (or one string). */
static int
enum_value(const struct filter_spec *spec, struct filter *f, size_t idx,
    struct json_object *v, struct gerr *err)
{
	size_t i, n;

	if (json_object_is_type(v, json_type_string)) {
		if (!str_in(spec->values, json_object_get_string(v)))
			return not_one_of(spec, idx, json_object_get_string(v),
			    err);
		add_value(f, json_object_get_string(v));
		return 0;
	}
	if (f->op != FOP_IN || !json_object_is_type(v, json_type_array))
		return not_one_of(spec, idx, shown(v), err);
	n = json_object_array_length(v);
	if (n == 0)
		return not_one_of(spec, idx, "[]", err);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);

		if (!json_object_is_type(e, json_type_string) ||
		    !str_in(spec->values, json_object_get_string(e)))
			return not_one_of(spec, idx, shown(e), err);
		add_value(f, json_object_get_string(e));
	}
	return 0;
}

/* True when a string in v (or one of an array's) holds a NUL. */
static bool
has_nul(struct json_object *v)
{
	size_t i;

	if (json_object_is_type(v, json_type_string))
		return strlen(json_object_get_string(v)) !=
		    (size_t)json_object_get_string_len(v);
	if (json_object_is_type(v, json_type_array))
		for (i = 0; i < json_object_array_length(v); i++)
			if (has_nul(json_object_array_get_idx(v, i)))
				return true;
	return false;
}

static int
parse_one(struct json_object *o, size_t idx, const struct filter_spec *specs,
    struct filter *f, struct gerr *err)
{
	struct json_object *jf, *jo, *jv;
	const struct filter_spec *spec;
	const char *field, *op;
	size_t i;
	int rc;

	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, key, val) {
			(void)val;
			if (strcmp(key, "field") != 0 &&
			    strcmp(key, "operator") != 0 &&
			    strcmp(key, "value") != 0)
				return gerr_set(err, GE_PARAM,
				    "(#100) Param "
				    "filtering[%zu] has an unknown key \"%s\": "
				    "a filter has only field, operator and "
				    "value",
				    idx, key);
		}
	}
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "field", &jf) ||
	    !json_object_object_get_ex(o, "operator", &jo) ||
	    !json_object_object_get_ex(o, "value", &jv) || jv == NULL)
		return gerr_set(err, GE_PARAM, "%s", bad_shape);
	if (!json_object_is_type(jf, json_type_string))
		return gerr_set(err, GE_PARAM,
		    "(#100) Param "
		    "filtering[%zu].field must be a string - got \"%s\"",
		    idx, shown(jf));
	if (!json_object_is_type(jo, json_type_string))
		return gerr_set(err, GE_PARAM,
		    "(#100) Param "
		    "filtering[%zu].operator must be a string - got \"%s\"",
		    idx, shown(jo));
	field = json_object_get_string(jf);
	op = json_object_get_string(jo);
	if (has_nul(jf) || has_nul(jo) || has_nul(jv))
		return gerr_set(err, GE_PARAM,
		    "(#100) Param filtering[%zu] "
		    "must not contain a NUL character",
		    idx);

	for (spec = specs; spec->field != NULL; spec++)
		if (strcmp(spec->field, field) == 0)
			break;
	if (spec->field == NULL) {
		char *names = field_names(specs);

		rc = gerr_set(err, GE_PARAM,
		    "(#100) Filtering field %s is not "
		    "supported. Supported fields: %s",
		    field, names);
		free(names);
		return rc;
	}
	for (i = 0; i < NOPS; i++)
		if (strcmp(ops[i].name, op) == 0)
			break;
	if (i == NOPS || (spec->ops & ops[i].op) == 0) {
		char *names = op_names(spec->ops);

		rc = gerr_set(err, GE_PARAM,
		    "(#100) Filtering operator %s is "
		    "not supported for field %s. Supported operators: %s",
		    op, field, names);
		free(names);
		return rc;
	}
	f->field = spec->field;
	f->op = ops[i].op;
	f->lo = LLONG_MIN;
	f->hi = LLONG_MAX;
	if (spec->values == NULL)
		return time_value(f, idx, jv, err);
	return enum_value(spec, f, idx, jv, err);
}

static const char *
op_name(enum filter_op op)
{
	size_t i;

	for (i = 0; i < NOPS; i++)
		if (ops[i].op == op)
			return ops[i].name;
	return "?";
}

/* Where f goes in the spec's order: its field's row, then its operator. */
static size_t
rank(const struct filter_spec *specs, const struct filter *f)
{
	size_t i;

	for (i = 0; specs[i].field != NULL; i++)
		if (specs[i].field == f->field)
			break;
	return i * (FOP_IN_RANGE << 1) + (size_t)f->op;
}

/* The item at idx repeats an earlier field and operator: an error. */
static int
repeated(const struct filter *f, size_t idx, struct gerr *err)
{
	size_t j;

	for (j = 0; j < idx; j++)
		if (f[j].field == f[idx].field && f[j].op == f[idx].op)
			return gerr_set(err, GE_PARAM,
			    "(#100) Param "
			    "filtering[%zu]: field %s with operator %s is "
			    "given twice",
			    idx, f[idx].field, op_name(f[idx].op));
	return 0;
}

static void
sort_filters(const struct filter_spec *specs, struct filter *f, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct filter t = f[i];

		for (j = i; j > 0 && rank(specs, &f[j - 1]) > rank(specs, &t);
		     j--)
			f[j] = f[j - 1];
		f[j] = t;
	}
}

int
filter_parse(const char *param, const struct filter_spec *specs,
    struct filter **out, size_t *n, struct gerr *err)
{
	struct json_object *arr;
	struct filter *f = NULL;
	size_t i, len;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (param == NULL)
		return 0;
	arr = pjson_parse(param);
	if (arr == NULL || !json_object_is_type(arr, json_type_array)) {
		json_object_put(arr);
		return gerr_set(err, GE_PARAM, "%s", bad_shape);
	}
	len = json_object_array_length(arr);
	if (len > FILTER_MAX) {
		json_object_put(arr);
		return gerr_set(err, GE_PARAM,
		    "(#100) Param filtering has "
		    "more than %d filters",
		    FILTER_MAX);
	}
	if (len > 0)
		f = xcalloc(len, sizeof(*f));
	for (i = 0; i < len; i++) {
		if (parse_one(json_object_array_get_idx(arr, i), i, specs,
		        &f[i], err) < 0 ||
		    repeated(f, i, err) < 0) {
			filters_free(f, i + 1);
			f = NULL;
			rc = -1;
			break;
		}
	}
	json_object_put(arr);
	if (rc == 0) {
		if (f != NULL)
			sort_filters(specs, f, len);
		*out = f;
		*n = len;
	}
	return rc;
}

int
sort_parse(const char *param, bool *descending, struct gerr *err)
{
	struct json_object *j = NULL;
	const char *s = param;
	int rc = 0;

	*descending = false;
	if (param == NULL)
		return 0;
	/* a JSON (or single-quoted) array of one, or a quoted string */
	if (param[0] == '[' || param[0] == '"' || param[0] == '\'') {
		j = pjson_parse(param);
		if (j != NULL && json_object_is_type(j, json_type_array) &&
		    json_object_array_length(j) == 1)
			s = shown(json_object_array_get_idx(j, 0));
		else if (j != NULL && json_object_is_type(j, json_type_string))
			s = json_object_get_string(j);
	}
	if (strcmp(s, "creation_time_descending") == 0)
		*descending = true;
	else if (strcmp(s, "creation_time_ascending") != 0)
		rc = gerr_set(err, GE_PARAM,
		    "(#100) Param sort[0] must be one "
		    "of {creation_time_ascending, creation_time_descending} - "
		    "got \"%s\"",
		    s);
	json_object_put(j);
	return rc;
}
