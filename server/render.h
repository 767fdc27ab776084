/*
 * render.h - Graph nodes as JSON: each node type's fields (objects.h), the
 * field selection applied to a store row, and list edges rendered with
 * paging (also when asked for as a field, e.g. phone_numbers{id}).
 */
#ifndef WABA_RENDER_H
#define WABA_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "fields.h"
#include "row.h"
#include "filter.h"
#include "store.h"

struct request;
struct json_object;

/*
 * Sets *out to a new value, or leaves it NULL to omit the field; -1 with
 * rq->err for a field that cannot be served (200005, 200008, 100).
 */
typedef int (*field_get)(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out);

/* A list edge: what it lists and how. */
struct edge_def {
	enum store_list list;
	enum node_type item_type;
	const char *const *defaults; /* default item fields (NULL: the
					      item type's own) */
	bool filtered;               /* filtering= accepted, on the
					      item type's filters */
	bool sortable;               /* sort= accepted */
	const char *name;            /* the edge's path segment */
	const char *carry;           /* a parameter the edge requires
					      (NULL: none), kept in nested
					      next links */
	bool carry_filters;          /* carry names the business whose
					      rows alone are listed */
	/* filters from plain parameters (message_templates' name=,
	 * status=...), or NULL; nested: the edge is a field, whose request's
	 * parameters are not its own.  0, or -1 with rq->err */
	int (*param_filters)(struct request *rq, bool nested,
	    struct filter **out, size_t *n);
};

/*
 * The list edge whose path segment is name, or NULL: a route's edge
 * (edge_list()) or a field that nests it (getters.c).
 */
const struct edge_def *render_edge(const char *name);

/* -1 with the 100 "nonexisting field" error when fl names an unknown field. */
int render_check(struct request *rq, enum node_type t,
    const struct fieldlist *fl);
/*
 * The node: fl's fields (id last unless asked earlier) or, when fl is
 * NULL or empty, defaults (NULL: the node type's own).  New object, or
 * NULL with rq->err.
 */
struct json_object *render_node(struct request *rq, enum node_type t,
    struct json_object *row, const struct fieldlist *fl,
    const char *const *defaults);
/*
 * A node read with rq's fields= (rq->result), or with none, the answer's
 * bytes and ETag (rq->answer, a copy of what is made once per row and
 * kept on it), which the pipeline sends.  0, or -1 with rq->err.
 * Callers hold emu->lock: the row is shared.
 */
int render_read(struct request *rq, enum node_type t, struct json_object *row);
/*
 * A list edge of owner.  Top level (f NULL): limit/after/before,
 * filtering, sort and summary come from the request and fields from
 * rq->fields.  Nested (f set): f->limit and f->sub, cursors only.
 */
struct json_object *render_list(struct request *rq, const struct edge_def *e,
    int64_t owner, const struct field *f);

/* A write's answer, {"success": true}, as rq->result: 0. */
int render_success(struct request *rq);

/*
 * assigned_users' business=: required, and the business must own or share
 * the WABA (else a 100 naming the parameter) and be the caller's own (else
 * 200: a business sees only its own users' assignments).  0, or -1.
 */
int render_assigned_business(struct request *rq, int64_t waba);

#endif
