/*
 * batch.c - POST / with batch=[...]: up to 50 calls run in order through
 * the same pipeline as any other request, with names, depends_on and
 * {result=name:$.path} references between them.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "handlers.h"
#include "params.h"
#include "pipeline.h"
#include "pjson.h"
#include "render.h"
#include "request.h"
#include "util.h"

#define BATCH_MAX 50

static struct batch_named *
batch_find(const struct batch *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->v[i].name, name) == 0)
			return &b->v[i];
	return NULL;
}

/*
 * Follows a JSONPath of the simple kind batch references use:
 * $.id, $.data.0.id, $.data[0].id, $.data.*.id (values joined by ",").
 */
static void
jsonpath(struct json_object *cur, const char *path, struct sbuf *out,
    bool *found)
{
	char key[128];
	size_t n = 0;

	while (*path == '.' || *path == '[' || *path == ']')
		path++;
	if (*path == '\0') {
		if (cur == NULL)
			return;
		if (out->len > 0)
			sbuf_addch(out, ',');
		sbuf_addstr(out, json_object_get_string(cur));
		*found = true;
		return;
	}
	while (*path && *path != '.' && *path != '[' && *path != ']' &&
	    n < sizeof(key) - 1)
		key[n++] = *path++;
	key[n] = '\0';
	if (json_object_is_type(cur, json_type_array)) {
		size_t i, len = json_object_array_length(cur);

		if (strcmp(key, "*") == 0) {
			for (i = 0; i < len; i++)
				jsonpath(json_object_array_get_idx(cur, i),
				    path, out, found);
		} else if (is_numeric_id(key) && (size_t)atol(key) < len) {
			jsonpath(
			    json_object_array_get_idx(cur, (size_t)atol(key)),
			    path, out, found);
		}
	} else if (json_object_is_type(cur, json_type_object)) {
		struct json_object *v;

		if (json_object_object_get_ex(cur, key, &v))
			jsonpath(v, path, out, found);
	}
}

char *
batch_resolve_refs(const struct batch *b, const char *s, char **why)
{
	struct sbuf out = SBUF_INIT;
	const char *p = s, *open;

	while ((open = strstr(p, "{result=")) != NULL) {
		const char *colon, *close = strchr(open, '}');
		struct batch_named *nm;
		char *name, *path;
		struct sbuf val = SBUF_INIT;
		bool found = false;

		if (close == NULL)
			break;
		sbuf_add(&out, p, (size_t)(open - p));
		colon = memchr(open, ':', (size_t)(close - open));
		if (colon == NULL) {
			*why = xasprintf("malformed reference %.*s",
			    (int)(close - open + 1), open);
			goto fail;
		}
		name = xstrndup(open + 8, (size_t)(colon - open - 8));
		path = xstrndup(colon + 1, (size_t)(close - colon - 1));
		nm = batch_find(b, name);
		if (nm != NULL && nm->body != NULL && path[0] == '$')
			jsonpath(nm->body, path + 1, &val, &found);
		if (!found)
			*why = xasprintf("reference {result=%s:%s} found no "
			                 "value",
			    name, path);
		free(name);
		free(path);
		if (!found) {
			sbuf_release(&val);
			goto fail;
		}
		/* references land in URLs and form bodies */
		url_encode(&out, val.buf);
		sbuf_release(&val);
		p = close + 1;
	}
	sbuf_addstr(&out, p);
	return sbuf_detach(&out);
fail:
	sbuf_release(&out);
	return NULL;
}

static const char *
item_str(struct json_object *item, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(item, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

static bool
item_bool(struct json_object *item, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(item, key, &v))
		return false;
	if (json_object_is_type(v, json_type_string))
		return strcmp(json_object_get_string(v), "true") == 0 ||
		    strcmp(json_object_get_string(v), "1") == 0;
	return json_object_get_boolean(v);
}

/* One item's answer as Graph's batch shape: {code, headers, body}. */
static struct json_object *
item_result(struct request *sub, bool headers)
{
	struct json_object *o = json_object_new_object(), *h;
	size_t i;

	json_object_object_add(o, "code",
	    json_object_new_int(sub->resp.status));
	if (headers) {
		h = json_object_new_array();
		for (i = 0; i < sub->resp.nheaders; i++) {
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "name",
			    json_object_new_string(sub->resp.headers[i].name));
			json_object_object_add(e, "value",
			    json_object_new_string(sub->resp.headers[i].value));
			json_object_array_add(h, e);
		}
		json_object_object_add(o, "headers", h);
	}
	json_object_object_add(o, "body",
	    json_object_new_string_len(sub->resp.body ? sub->resp.body : "",
	        (int)sub->resp.body_len));
	return o;
}

/*
 * An item refused before it could run (no relative_url, a reference that
 * finds nothing) still answers a Graph error, rendered by the pipeline as
 * any other answer's, with a trace id of its own.
 */
static void
item_error(struct request *rq, struct request *sub, const char *msg)
{
	gerr_set(&sub->err, GE_PARAM, "(#100) %s", msg);
	pipeline_refuse(sub);
	response_header(&sub->resp, "Cache-Control", "no-store");
	response_header(&sub->resp, "facebook-api-version", rq->version);
	response_header(&sub->resp, "x-fb-request-id", sub->trace_id);
}

/*
 * An item that runs on the batch's own token also runs on its proof: the
 * proof is of that token, so it is added to the item's query unless the
 * item names a token (or a proof) of its own.
 */
static void
inherit_proof(struct request *rq, struct request *sub, const char *url,
    const char *body)
{
	const char *proof = params_get(&rq->params, "appsecret_proof");
	const char *time = params_get(&rq->params, "appsecret_time");
	struct sbuf sb = SBUF_INIT;

	if (proof == NULL || strstr(url, "access_token=") != NULL ||
	    strstr(url, "appsecret_proof=") != NULL ||
	    (body != NULL &&
	        (strstr(body, "access_token=") != NULL ||
	            strstr(body, "appsecret_proof=") != NULL)))
		return;
	sbuf_addstr(&sb, sub->target);
	sbuf_addstr(&sb, strchr(sub->target, '?') ? "&" : "?");
	sbuf_addstr(&sb, "appsecret_proof=");
	url_encode(&sb, proof);
	if (time != NULL) {
		sbuf_addstr(&sb, "&appsecret_time=");
		url_encode(&sb, time);
	}
	free(sub->target);
	sub->target = sbuf_detach(&sb);
}

/* Runs one item; returns its result element (NULL: not run). */
static struct json_object *
run_item(struct request *rq, struct batch *b, struct json_object *item,
    size_t idx, bool headers)
{
	struct request sub;
	const char *method = item_str(item, "method");
	const char *url = item_str(item, "relative_url");
	const char *body = item_str(item, "body");
	const char *name = item_str(item, "name");
	const char *dep = item_str(item, "depends_on");
	char *why = NULL, *rurl = NULL, *rbody = NULL;
	struct json_object *res = NULL;
	bool ok = false;

	if (dep != NULL) {
		struct batch_named *d = batch_find(b, dep);

		if (d == NULL || d->body == NULL)
			goto record;
	}
	request_init(&sub);
	sub.emu = rq->emu;
	sub.is_batch_item = true;
	sub.depth = rq->depth + 1;
	sub.host = rq->host ? xstrdup(rq->host) : NULL;
	sub.method = xstrdup(method ? method : "GET");
	if (url == NULL || !json_object_is_type(item, json_type_object)) {
		why = xasprintf("batch[%zu]: the parameter relative_url is "
		                "required",
		    idx);
	} else if ((rurl = batch_resolve_refs(b, url, &why)) != NULL &&
	    (body == NULL ||
	        (rbody = batch_resolve_refs(b, body, &why)) != NULL)) {
		const char *u = rurl;

		while (*u == '/')
			u++;
		/* the root's GET is the multiple-id read, its POST a batch */
		if ((*u == '\0' || *u == '?') &&
		    (method == NULL || strcasecmp(method, "GET") != 0)) {
			why = xasprintf("batch[%zu]: batch requests cannot be "
			                "nested",
			    idx);
		} else {
			sub.target = (u[0] == 'v' && u[1] >= '0' &&
			                 u[1] <= '9') ||
			        !rq->version_in_path ?
			    xasprintf("/%s", u) :
			    xasprintf("/%s/%s", rq->version, u);
			if (rbody != NULL) {
				sub.body = rbody;
				sub.body_len = strlen(rbody);
				rbody = NULL;
				sub.content_type = xstrdup(
				    "application/x-www-form-urlencoded");
			}
			if (rq->token != NULL) {
				sub.authorization = xasprintf("OAuth %s",
				    rq->token);
				inherit_proof(rq, &sub, rurl, sub.body);
			}
		}
	}
	if (why != NULL) {
		item_error(rq, &sub, why);
	} else {
		pipeline_run(&sub);
		ok = sub.resp.status == 200;
	}
	res = item_result(&sub, headers);
	if (ok && item_bool(item, "omit_response_on_success")) {
		json_object_put(res);
		res = NULL;
	}
	if (name != NULL) {
		b->v = xrealloc(b->v, (b->n + 1) * sizeof(*b->v));
		b->v[b->n].name = xstrdup(name);
		b->v[b->n].body = ok ? pjson_parse(sub.resp.body) : NULL;
		b->n++;
		name = NULL;
	}
	request_cleanup(&sub);
record:
	if (name != NULL) {
		b->v = xrealloc(b->v, (b->n + 1) * sizeof(*b->v));
		b->v[b->n].name = xstrdup(name);
		b->v[b->n].body = NULL;
		b->n++;
	}
	free(why);
	free(rurl);
	free(rbody);
	return res;
}

int
batch_post(struct request *rq)
{
	const char *v = params_get(&rq->params, "batch");
	const char *ih = params_get(&rq->params, "include_headers");
	struct json_object *items, *out;
	struct batch b = { NULL, 0 };
	bool headers = true;
	size_t i, n;

	if (v == NULL || *v == '\0')
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) The parameter batch is required");
	if (rq->depth > 0)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Batch requests cannot be nested");
	if (ih != NULL &&
	    param_bool("include_headers", ih, &headers, &rq->err) < 0)
		return -1;
	items = pjson_parse(v);
	if (items == NULL || !json_object_is_type(items, json_type_array)) {
		json_object_put(items);
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param batch must be a JSON array of requests");
	}
	n = json_object_array_length(items);
	if (n == 0 || n > BATCH_MAX) {
		json_object_put(items);
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param batch must contain between 1 and %d requests, "
		    "got %zu",
		    BATCH_MAX, n);
	}
	out = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(out,
		    run_item(rq, &b, json_object_array_get_idx(items, i), i,
		        headers));
	for (i = 0; i < b.n; i++) {
		free(b.v[i].name);
		json_object_put(b.v[i].body);
	}
	free(b.v);
	json_object_put(items);
	rq->result = out;
	return 0;
}
