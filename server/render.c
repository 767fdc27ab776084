/*
 * render.c - see render.h.  Each node type's fields are members of its
 * object type (objects.c); a field without a getter is copied from the
 * store row when present, so adding a plain column to a node is one line
 * there.  The getters of computed fields live in getters.c.
 */
#include "render.h"

#include <assert.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "emu.h"
#include "etag.h"
#include "gerr.h"
#include "getters.h"
#include "handlers/handlers.h"
#include "jsonout.h"
#include "paging.h"
#include "params.h"
#include "request.h"
#include "util.h"

/* ---- node tables --------------------------------------------------- */

/* The rendered node types: those with default fields (objects.c). */
static const struct obj_type *
node_def(enum node_type t)
{
	const struct obj_type *ot = objects_of_node(t);

	return ot != NULL && ot->defaults != NULL ? ot : NULL;
}

/* The Graph field named name of ot, or NULL. */
static const struct obj_member *
field_lookup(const struct obj_type *ot, const char *name)
{
	size_t i;

	/* the first letter first: most members differ there, and every
	 * default field of every listed row comes through here */
	for (i = 0; i < ot->nmembers; i++)
		if (ot->members[i].name[0] == name[0] &&
		    (ot->members[i].flags & OM_FIELD) &&
		    strcmp(ot->members[i].name, name) == 0)
			return &ot->members[i];
	return NULL;
}

/* ---- edges --------------------------------------------------------- */

static const char *const phone_edge_defaults[] = { "code_verification_status",
	"display_phone_number", "id", "quality_rating", "verified_name", NULL };
static const char *const assigned_user_defaults[] = { "id", "name", "tasks",
	NULL };
static const char *const client_waba_defaults[] = { "id", "name", "currency",
	"timezone_id", "message_template_namespace", "permitted_tasks", NULL };

static const struct edge_def edges[] = {
	{ LIST_OWNED_WABAS, NODE_WABA, NULL, true, true,
	    "owned_whatsapp_business_accounts", NULL, false, NULL },
	{ LIST_CLIENT_WABAS, NODE_WABA, client_waba_defaults, true, true,
	    "client_whatsapp_business_accounts", NULL, false, NULL },
	{ LIST_PHONES, NODE_PHONE, phone_edge_defaults, true, false,
	    "phone_numbers", NULL, false, NULL },
	{ LIST_ASSIGNED_USERS, NODE_USER, assigned_user_defaults, false, false,
	    "assigned_users", "business", true, NULL },
	{ LIST_USER_WABAS, NODE_WABA, NULL, false, false,
	    "assigned_whatsapp_business_accounts", NULL, false, NULL },
	{ LIST_TEMPLATES, NODE_TEMPLATE, NULL, false, false,
	    "message_templates", NULL, false, template_filters },
};

const struct edge_def *
render_edge(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		if (strcmp(edges[i].name, name) == 0)
			return &edges[i];
	return NULL;
}

/* ---- rendering ----------------------------------------------------- */

int
render_success(struct request *rq)
{
	rq->result = json_object_new_object();
	json_object_object_add(rq->result, "success",
	    json_object_new_boolean(1));
	return 0;
}

int
render_check(struct request *rq, enum node_type t, const struct fieldlist *fl)
{
	const struct obj_type *nd = node_def(t);
	size_t i;

	if (fl == NULL || nd == NULL)
		return 0;
	for (i = 0; i < fl->n; i++)
		if (field_lookup(nd, fl->v[i].name) == NULL)
			return gerr_no_field(&rq->err, fl->v[i].name,
			    node_type_name(t));
	return 0;
}

/*
 * Adds field f of row to obj.  static_name: f's name is a string constant
 * (a default field), which obj may keep without a copy.
 */
static int
render_one(struct request *rq, const struct obj_type *nd,
    struct json_object *row, const struct field *f, bool static_name,
    struct json_object *obj)
{
	const struct obj_member *fd = field_lookup(nd, f->name);
	struct json_object *v = NULL;

	if (fd == NULL)
		return 0;
	if (fd->get != GET_ROW) {
		if (getters[fd->get](rq, row, f, &v) < 0)
			return -1;
	} else if (json_object_object_get_ex(row, f->name, &v) &&
	    !json_object_is_type(v, json_type_null)) {
		v = json_object_get(v);
	} else {
		v = NULL;
	}
	if (v != NULL)
		/* the fields parser refuses duplicates: skip the lookup */
		json_object_object_add_ex(obj, f->alias ? f->alias : f->name, v,
		    JSON_C_OBJECT_ADD_KEY_IS_NEW |
		        (static_name && f->alias == NULL ?
		                JSON_C_OBJECT_ADD_CONSTANT_KEY :
		                0));
	return 0;
}

struct json_object *
render_node(struct request *rq, enum node_type t, struct json_object *row,
    const struct fieldlist *fl, const char *const *defaults)
{
	const struct obj_type *nd = node_def(t);
	struct json_object *obj;
	bool id_seen = false;
	size_t i;

	if (nd == NULL)
		return NULL;
	if (render_check(rq, t, fl) < 0)
		return NULL;
	obj = json_object_new_object();
	if (fl == NULL || fl->n == 0) {
		const char *const *d = defaults ? defaults : nd->defaults;

		for (; *d; d++) {
			struct field f = { .name = (char *)*d, .limit = -1 };

			if (render_one(rq, nd, row, &f, true, obj) < 0)
				goto fail;
		}
		return obj;
	}
	for (i = 0; i < fl->n; i++) {
		/* the key "id" holds the real id: id, not x.as(id) */
		if (strcmp(fl->v[i].name, "id") == 0 &&
		    (fl->v[i].alias == NULL ||
		        strcmp(fl->v[i].alias, "id") == 0))
			id_seen = true;
		if (render_one(rq, nd, row, &fl->v[i], false, obj) < 0)
			goto fail;
	}
	if (!id_seen && row_str(row, "id") != NULL) {
		/* an alias named id gives way to the real id, put last */
		json_object_object_del(obj, "id");
		json_object_object_add(obj, "id",
		    json_object_new_string(row_str(row, "id")));
	}
	return obj;
fail:
	json_object_put(obj);
	return NULL;
}

/* ---- answers kept on rows ------------------------------------------ */

/*
 * A node's answer for its default fields: the body and its ETag, made on
 * the first read of a row and kept on it as json-c userdata, freed with
 * it.  Store rows are never changed in place (a write gives the next read
 * a new row), so the bytes are right for as long as the row lives.  Only
 * node types whose default fields are all the row's own values qualify:
 * a getter may look at other rows, the token or the clock.
 */
struct answer {
	enum node_type t;
	size_t len;
	char etag[ETAG_SIZE];
	char body[]; /* len bytes and a NUL */
};

static bool plain_defaults[NODE__COUNT];
static pthread_once_t plain_once = PTHREAD_ONCE_INIT;

static void
plain_init(void)
{
	size_t i;
	int t;

	for (t = 0; t < NODE__COUNT; t++) {
		const struct obj_type *nd = node_def((enum node_type)t);
		const char *const *d;

		plain_defaults[t] = nd != NULL;
		/* every computed field of objects.c has its getter here */
		for (i = 0; nd != NULL && i < nd->nmembers; i++)
			assert(nd->members[i].get == GET_ROW ||
			    getters[nd->members[i].get] != NULL);
		for (d = nd ? nd->defaults : NULL; d != NULL && *d; d++) {
			const struct obj_member *fd = field_lookup(nd, *d);

			if (fd == NULL || fd->get != GET_ROW)
				plain_defaults[t] = false;
		}
	}
}

static void
answer_free(struct json_object *row, void *answer)
{
	(void)row;
	free(answer);
}

int
render_read(struct request *rq, enum node_type t, struct json_object *row)
{
	struct answer *a;
	struct json_object *obj;
	char *body;

	pthread_once(&plain_once, plain_init);
	if (row == NULL || (unsigned)t >= NODE__COUNT || !plain_defaults[t] ||
	    (rq->fields != NULL && rq->fields->n > 0)) {
		rq->result = render_node(rq, t, row, rq->fields, NULL);
		return rq->result ? 0 : -1;
	}
	a = json_object_get_userdata(row);
	if (a != NULL && a->t == t) {
		body = xmalloc(a->len + 1);
		memcpy(body, a->body, a->len + 1);
	} else {
		struct sbuf sb = SBUF_INIT;

		if ((obj = render_node(rq, t, row, NULL, NULL)) == NULL)
			return -1;
		/* a node read fits, as in response_json() */
		sbuf_grow(&sb, 960);
		jsonout(&sb, obj);
		json_object_put(obj);
		a = xmalloc(sizeof(*a) + sb.len + 1);
		a->t = t;
		a->len = sb.len;
		etag_of(sb.buf, sb.len, a->etag);
		memcpy(a->body, sb.buf, a->len + 1);
		body = sbuf_detach(&sb);
		json_object_set_userdata(row, a, answer_free);
	}
	free(rq->answer);
	rq->answer = body;
	rq->answer_len = a->len;
	memcpy(rq->answer_etag, a->etag, sizeof(rq->answer_etag));
	return 0;
}

struct list_ctx {
	struct request *rq;
	const struct edge_def *e;
	const struct fieldlist *fl;
	bool failed;
};

static struct json_object *
render_item(void *ctx, struct json_object *row)
{
	struct list_ctx *lc = ctx;
	struct json_object *obj;

	if (lc->failed)
		return json_object_new_object();
	obj = render_node(lc->rq, lc->e->item_type, row, lc->fl,
	    lc->e->defaults);
	if (obj == NULL) {
		lc->failed = true;
		obj = json_object_new_object();
	}
	return obj;
}

/* Writes a field selection back as fields= text (names and nesting). */
static void
fields_text(struct sbuf *sb, const struct fieldlist *fl)
{
	size_t i;

	for (i = 0; fl != NULL && i < fl->n; i++) {
		if (i > 0)
			sbuf_addch(sb, ',');
		sbuf_addstr(sb, fl->v[i].name);
		if (fl->v[i].sub != NULL) {
			sbuf_addch(sb, '{');
			fields_text(sb, fl->v[i].sub);
			sbuf_addch(sb, '}');
		}
	}
}

/*
 * A nested edge's paging.next points at the edge itself
 * (/{owner}/{edge}?limit=&fields=&after=), which is what a client
 * following it expects; there is no previous page of a first page.
 */
static void
nested_next(struct request *rq, const struct edge_def *e, int64_t owner,
    const struct field *f, int limit, struct json_object *out)
{
	static const char *const proof[] = { "appsecret_proof",
		"appsecret_time" };
	struct json_object *paging, *after;
	struct sbuf url = SBUF_INIT, sub = SBUF_INIT;
	size_t i;

	if (!json_object_object_get_ex(out, "paging", &paging))
		return;
	json_object_object_del(paging, "previous");
	if (!json_object_object_get_ex(paging, "next", NULL))
		return;
	after = json_object_object_get(
	    json_object_object_get(paging, "cursors"), "after");
	sbuf_addf(&url, "http://%s%s%s/%lld/%s?",
	    rq->host ? rq->host : "127.0.0.1", rq->version_in_path ? "/" : "",
	    rq->version_in_path ? rq->version : "", (long long)owner, e->name);
	if (rq->token != NULL) {
		sbuf_addstr(&url, "access_token=");
		url_encode(&url, rq->token);
		sbuf_addch(&url, '&');
	}
	sbuf_addf(&url, "limit=%d", limit);
	/* the edge read on its own asks for it again (assigned_users) */
	if (e->carry != NULL && params_get(&rq->params, e->carry) != NULL) {
		sbuf_addf(&url, "&%s=", e->carry);
		url_encode(&url, params_get(&rq->params, e->carry));
	}
	/* the same token needs the same proof when its app requires one */
	for (i = 0; i < sizeof(proof) / sizeof(*proof); i++) {
		const char *v = params_get(&rq->params, proof[i]);

		if (v == NULL)
			continue;
		sbuf_addf(&url, "&%s=", proof[i]);
		url_encode(&url, v);
	}
	if (f->sub != NULL && f->sub->n > 0) {
		fields_text(&sub, f->sub);
		sbuf_addstr(&url, "&fields=");
		url_encode(&url, sub.buf);
	}
	sbuf_addstr(&url, "&after=");
	url_encode(&url, json_object_get_string(after));
	json_object_object_add(paging, "next", json_object_new_string(url.buf));
	sbuf_release(&url);
	sbuf_release(&sub);
}

struct json_object *
render_list(struct request *rq, const struct edge_def *e, int64_t owner,
    const struct field *f)
{
	struct list_query q;
	struct filter *filters = NULL;
	size_t nfilters = 0;
	struct list_ctx lc = { rq, e, NULL, false };
	struct json_object *out = NULL;
	struct list_page page;
	struct sbuf ids = SBUF_INIT;
	char *cause = NULL;

	memset(&q, 0, sizeof(q));
	q.owner = owner;
	if (f == NULL) {
		lc.fl = rq->fields;
		if (paging_read(rq, &q, &rq->err) < 0)
			return NULL;
		if (e->filtered &&
		    filter_parse(params_get(&rq->params, "filtering"),
		        objects_of_node(e->item_type)->filters, &filters,
		        &nfilters, &rq->err) < 0)
			return NULL;
		if (e->sortable &&
		    sort_parse(params_get(&rq->params, "sort"), &q.descending,
		        &rq->err) < 0)
			goto out;
	} else {
		lc.fl = f->sub;
		/* absent means 25; .limit(0) asks for the count alone */
		q.limit = f->limit < 0          ? PAGING_DEFAULT_LIMIT :
		    f->limit > PAGING_MAX_LIMIT ? PAGING_MAX_LIMIT :
		                                  (int)f->limit;
	}
	if (e->param_filters != NULL &&
	    e->param_filters(rq, f != NULL, &filters, &nfilters) < 0)
		goto out;
	if (render_check(rq, e->item_type, lc.fl) < 0)
		goto out;
	q.filters = filters;
	q.nfilters = nfilters;
	/* checked by render_assigned_business() before any list of users */
	if (e->carry_filters)
		q.business = parse_id(params_get(&rq->params, e->carry));
	/* a granular token reaches its targets only, on every page */
	if (e->item_type == NODE_WABA && auth_waba_targets(rq, &ids))
		q.ids = ids.buf;
	if (q.limit == 0) {
		/* the counting idiom: no rows, and no store query for them */
		out = json_object_new_object();
		json_object_object_add(out, "data", json_object_new_array());
	} else {
		if (store_list(rq->emu->store, e->list, &q, &page, &cause) <
		    0) {
			gerr_set(&rq->err, GE_UNKNOWN, NULL);
			goto out;
		}
		out = paging_wrap(rq, &q, &page, render_item, &lc);
		if (lc.failed) {
			json_object_put(out);
			out = NULL;
			goto out;
		}
		if (f != NULL)
			nested_next(rq, e, owner, f, q.limit, out);
	}
	if (f != NULL ? f->summary : paging_summary(rq)) {
		struct json_object *s = json_object_new_object();

		json_object_object_add(s, "total_count",
		    json_object_new_int64(
		        store_list_count(rq->emu->store, e->list, &q)));
		json_object_object_add(out, "summary", s);
	}
out:
	free(cause);
	sbuf_release(&ids);
	filters_free(filters, nfilters);
	return out;
}
