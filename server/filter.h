/*
 * filter.h - the filtering= and sort= parameters of list edges.
 *
 * Ownership: filter_parse() returns an array the caller frees with
 * filters_free().
 */
#ifndef WABA_FILTER_H
#define WABA_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "gerr.h"

struct json_object;

enum filter_op {
	FOP_EQUAL = 1 << 0,
	FOP_IN = 1 << 1,
	FOP_LESS_THAN = 1 << 2,
	FOP_GREATER_THAN = 1 << 3,
	FOP_IN_RANGE = 1 << 4,
	/* not for filtering=: lists built from plain parameters */
	FOP_NOT_IN = 1 << 5,   /* n values */
	FOP_CONTAINS = 1 << 6, /* one value, a substring (case-insensitive) */
	FOP_CONTENT = 1 << 7, /* one value, in the name or a component's text */
};

/* What an edge accepts: one row per field. */
struct filter_spec {
	const char *field; /* "creation_time", "ownership_type", ... */
	unsigned ops;      /* FOP_* mask */
	const char *const *
	    values; /* allowed values, NULL-terminated; NULL: unix timestamps */
};

struct filter {
	const char *field; /* points into the spec */
	enum filter_op op;
	/* EQUAL/LESS_THAN/GREATER_THAN: one value; IN: n values; IN_RANGE: 2 */
	char **values;
	size_t nvalues;
	long long lo,
	    hi; /* timestamps parsed: LESS_THAN hi, GREATER_THAN lo, IN_RANGE both */
};

/*
 * Parses filtering= (JSON or the docs' single-quoted form) against specs
 * (terminated by a row with field NULL).  Returns 0 with *out and *n set
 * (NULL and 0 when param is NULL), or -1 with a 100 error naming the
 * field, operator or value.  At most 8 filters, one per field and
 * operator, come back in the specs' order whatever order the client wrote
 * them in, so that an edge has a small, fixed set of SQL texts.
 */
int filter_parse(const char *param, const struct filter_spec *specs,
    struct filter **out, size_t *n, struct gerr *err);
void filters_free(struct filter *f, size_t n);

/* sort=creation_time_ascending|creation_time_descending, plain or array. */
int sort_parse(const char *param, bool *descending, struct gerr *err);

#endif
