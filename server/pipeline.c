/*
 * pipeline.c - the one path every Graph call takes: parse, resolve the
 * version and node, check the token, proof, permission, read-only mode and
 * rate limit as the route table says, run the handler, then render the
 * body and the Graph headers.  Handlers never check policy themselves.
 *
 * emu_handle() holds emu->lock only from resolving the node to rendering
 * the body: parsing comes before it, the fixed headers, the ETag and the
 * journal entry after, as they need nothing shared.  A node read with its
 * default fields mostly skips rendering: render_read() keeps the answer,
 * ETag included, with the store's row.
 */
#include "pipeline.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "config.h"
#include "control.h"
#include "cors.h"
#include "emu.h"
#include "etag.h"
#include "events.h"
#include "faults.h"
#include "fields.h"
#include "hostcheck.h"
#include "handlers/handlers.h"
#include "journal.h"
#include "metrics.h"
#include "params.h"
#include "ratelimit.h"
#include "render.h"
#include "request.h"
#include "route.h"
#include "row.h"
#include "messages/life.h"
#include "templates/life.h"
#include "store.h"
#include "util.h"
#include "versions.h"
#include "webhooks/handshake.h"

#define GRAPH_REV "1027394581"

/*
 * The path's segments, pointing into one copy of it: no allocation per
 * segment, and none for the array unless a path has more than 8.
 */
struct segments {
	char *buf;
	char **v;
	size_t n;
	size_t cap;
	char *inl[8];
};

static void
segments_split(struct segments *s, const char *path)
{
	char *p;

	s->buf = xstrdup(path);
	s->v = s->inl;
	s->n = 0;
	s->cap = sizeof(s->inl) / sizeof(s->inl[0]);
	for (p = s->buf; *p != '\0';) {
		char *q;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		q = p + strcspn(p, "/");
		if (s->n == s->cap) {
			char **v = xmalloc(2 * s->cap * sizeof(*v));

			memcpy(v, s->v, s->n * sizeof(*v));
			if (s->v != s->inl)
				free(s->v);
			s->v = v;
			s->cap *= 2;
		}
		s->v[s->n++] = p;
		if (*q == '\0')
			break;
		*q = '\0';
		p = q + 1;
	}
}

static void
segments_free(struct segments *s)
{
	if (s->v != s->inl)
		free(s->v);
	free(s->buf);
}

static void
set_version(struct request *rq, const char *v, size_t n)
{
	if (n >= sizeof(rq->version))
		n = sizeof(rq->version) - 1;
	memcpy(rq->version, v, n);
	rq->version[n] = '\0';
	rq->version_served = false;
}

/* A version string this emulator serves (versions.h). */
static bool
served_version(const struct request *rq, const char *v)
{
	return versions_known(v, rq->emu->cfg->latest_version);
}

/*
 * The version as the raw target states it when it is served, else the
 * default: known before the request is parsed, so that even a request
 * refused while parsing, or by an injected fault, echoes the version it
 * asked for.  serve_version() maps an expired one later, under the lock,
 * as it reads the emulator clock.
 */
static void
target_version(struct request *rq)
{
	const char *t = rq->target != NULL ? rq->target : "";
	const char *dv = rq->emu->cfg->default_version;
	char seg[16];
	size_t n;

	set_version(rq, dv, strlen(dv));
	while (*t == '/')
		t++;
	n = strcspn(t, "/?");
	if (n == 0 || n >= sizeof(seg))
		return;
	memcpy(seg, t, n);
	seg[n] = '\0';
	if (is_graph_version(seg) && served_version(rq, seg))
		set_version(rq, seg, n);
}

/*
 * A call to an expired version is served by the oldest one available,
 * and says so in facebook-api-version; "now" is the emulator clock.
 */
static void
serve_version(struct request *rq)
{
	const char *v;

	/* once per version set: graph_finish() asks after graph_dispatch() */
	if (rq->version_served)
		return;
	v = versions_serving(rq->version, clock_now(&rq->emu->clock));
	if (v != rq->version)
		set_version(rq, v, strlen(v));
	rq->version_served = true;
}

static int
unknown_components(struct request *rq, struct segments *s, size_t from)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = from; i < s->n; i++) {
		sbuf_addch(&sb, '/');
		sbuf_addstr(&sb, s->v[i]);
	}
	gerr_set(&rq->err, GE_SYNTAX, "Unknown path components: %s", sb.buf);
	sbuf_release(&sb);
	return -1;
}

/* Business-use-case accounting for routes flagged RF_BUC. */
static int
rate_limit(struct request *rq)
{
	struct emu *emu = rq->emu;
	int64_t waba = rq->node;
	bool active;

	if (emu->cfg->no_rate_limit || emu->rl == NULL)
		return 0;
	/* a template's calls count for its WABA */
	if (rq->node_type == NODE_TEMPLATE) {
		struct json_object *t = store_get(emu->store, TBL_TEMPLATES,
		    rq->node);

		waba = row_id(t, "waba");
		json_object_put(t);
	}
	active = store_count_phones(emu->store, waba, "CONNECTED") > 0;
	ratelimit_hit(emu->rl, rq->token_app, waba, active,
	    clock_now(&emu->clock), &rq->usage);
	rq->usage_waba = waba;
	if (rq->usage.throttled)
		return gerr_set(&rq->err, GE_RATE_LIMIT, NULL);
	return 0;
}

static int
resolve_node(struct request *rq, struct segments *s, size_t *next)
{
	const char *s0;
	int64_t id;
	size_t taken;

	if (s->n == 0) {
		rq->node_type = NODE_ROOT;
		rq->node_id = xstrdup("");
		*next = 0;
		return 0;
	}
	s0 = s->v[0];
	rq->node_id = xstrdup(s0);
	*next = 1;
	if (me_path(s0)) {
		if (me_resolve(rq) < 0)
			return -1;
		if (s->n > 1) {
			rq->edge = xstrdup(s->v[1]);
			*next = 2;
		}
		return 0;
	}
	if ((taken = route_path_node(s->v, s->n)) > 0) {
		rq->node_type = NODE_ROOT;
		rq->edge = taken == 1 ? xstrdup(s0) :
		                        xasprintf("%s/%s", s0, s->v[1]);
		*next = taken;
		return 0;
	}
	/* an id is written one way: "04…" is not the object "4…" */
	id = s0[0] != '0' ? parse_id(s0) : -1;
	rq->node_type = id > 0 ? store_node_type(rq->emu->store, id) :
	                         NODE_NONE;
	if (rq->node_type == NODE_NONE) {
		/* Graph reads a bad first segment that is not an id as a node
		 * and the rest as unknown components ("/3.0/me/feed"); an id
		 * it cannot load is 100/33 whatever follows. */
		if (s->n > 1 && id <= 0)
			return unknown_components(rq, s, 1);
		return gerr_no_object(&rq->err, rq->verb, s0);
	}
	rq->node = id;
	if (s->n > 1) {
		rq->edge = xstrdup(s->v[1]);
		*next = 2;
	}
	/* an item of an edge: /{waba-id}/message_templates/{template-id} */
	if (s->n == 3) {
		rq->item = xstrdup(s->v[2]);
		*next = 3;
	}
	return 0;
}

/*
 * Parses the target and body once: emu_handle() does it before taking
 * the lock, as it needs nothing shared; a batch item does it here.
 */
static int
prepare(struct request *rq)
{
	if (!rq->prepared) {
		target_version(rq);
		rq->prepare_rc = request_prepare(rq);
		rq->prepared = true;
	}
	return rq->prepare_rc;
}

/*
 * Read-after-write, as the Graph API guide ("Advanced Uses",
 * "Read-After-Write") documents it: the write has happened; with fields=
 * the answer is the node it wrote, read with those fields.  A read that
 * fails (fields= malformed, an unknown field) is the read's error with
 * error.original_response holding what the write answered.  ferr is the
 * fields= parse error kept until the write was done.
 */
static int
read_after_write(struct request *rq, struct gerr *ferr)
{
	enum store_table tbl = objects_table_of_node(
	    (enum node_type)rq->raw_type);
	struct json_object *row, *node;

	if (params_get(&rq->params, "fields") == NULL || rq->raw_id == 0 ||
	    tbl == TBL__COUNT)
		return 0;
	if (ferr->id == GE_NONE && (rq->fields == NULL || rq->fields->n == 0))
		return 0;
	if (ferr->id != GE_NONE) {
		gerr_copy(&rq->err, ferr);
	} else {
		row = store_get(rq->emu->store, tbl, rq->raw_id);
		node = render_check(rq, (enum node_type)rq->raw_type,
		           rq->fields) < 0 ?
		    NULL :
		    render_node(rq, (enum node_type)rq->raw_type, row,
		        rq->fields, NULL);
		json_object_put(row);
		if (node != NULL) {
			json_object_put(rq->result);
			rq->result = node;
			return 0;
		}
	}
	rq->err.original = rq->result;
	rq->result = NULL;
	return -1;
}

/*
 * The node's route, or NULL with the error Graph answers for a miss: 100
 * for an unknown edge or method, 2500 for an item of an edge that has
 * none (s and next: the path, for the message).
 */
static const struct route *
find_route(struct request *rq, struct segments *s, size_t next)
{
	enum route_miss miss;
	const struct route *route;

	if (rq->item != NULL) {
		/* only edges whose table has an item row take one */
		char *edge = xasprintf("%s/{id}", rq->edge);

		route = route_find(rq->verb, (enum node_type)rq->node_type,
		    edge, &miss);
		free(edge);
		if (route == NULL && miss == ROUTE_NO_EDGE) {
			(void)unknown_components(rq, s, next - 1);
			return NULL;
		}
	} else {
		route = route_find(rq->verb, (enum node_type)rq->node_type,
		    rq->edge, &miss);
	}
	if (route != NULL)
		return route;
	if (miss == ROUTE_NO_EDGE)
		gerr_no_field(&rq->err, rq->edge,
		    node_type_name((enum node_type)rq->node_type));
	else
		gerr_no_object(&rq->err, rq->verb, rq->node_id);
	return NULL;
}

/*
 * The one step that decides whether the call may run, from its route's
 * flags and permission: a call without a token is 104 unless the route
 * waives it (RF_TOKEN_PER_ITEM, RF_TOKEN_OPTIONAL); an app token is 200
 * unless RF_APP_OK; then the permission on the node (auth_check()).
 * The token itself was checked before the node was resolved.  The checks
 * that stay in handlers and the renderer are listed in auth.h.
 */
static int
authorize(struct request *rq, const struct route *route)
{
	if (rq->token == NULL &&
	    !(route->flags & (RF_TOKEN_PER_ITEM | RF_TOKEN_OPTIONAL)))
		return gerr_set(&rq->err, GE_NO_TOKEN, NULL);
	if (rq->token != NULL && rq->token_row == NULL &&
	    !(route->flags & RF_APP_OK))
		return gerr_set(&rq->err, GE_PERMISSION, NULL);
	return auth_check(rq, route->perm);
}

static int
graph_dispatch(struct request *rq)
{
	struct emu *emu = rq->emu;
	struct segments s;
	const struct route *route = NULL;
	const char *idp, *fields;
	struct gerr ferr = { 0 };
	size_t next = 0;
	int rc = -1;

	if (prepare(rq) < 0)
		return -1;
	segments_split(&s, rq->path);
	/* a version that never existed is a node, as Graph reads it: what
	 * follows is "Unknown path components" */
	/* target_version() found most already: the raw target's own */
	if (s.n > 0 && is_graph_version(s.v[0]) &&
	    (strcmp(s.v[0], rq->version) == 0 || served_version(rq, s.v[0]))) {
		set_version(rq, s.v[0], strlen(s.v[0]));
		rq->version_in_path = true;
		memmove(s.v, s.v + 1, (s.n - 1) * sizeof(*s.v));
		s.n--;
	}
	serve_version(rq);
	/* a token sent is checked first, whatever it calls: 190, 102 or a
	 * bad proof comes before anything the path would answer */
	if (auth_has_token(rq) && (auth_token(rq) < 0 || auth_proof(rq) < 0))
		goto out;
	if (resolve_node(rq, &s, &next) < 0 ||
	    (s.n > next && unknown_components(rq, &s, next) < 0) ||
	    (route = find_route(rq, &s, next)) == NULL) {
		/* without a token no object is visible, so the path's own
		 * error is 104; "me" has none to stand for (2500) */
		if (!auth_has_token(rq) && !(s.n > 0 && me_path(s.v[0])))
			gerr_set(&rq->err, GE_NO_TOKEN, NULL);
		goto out;
	}
	rq->route = route;
	if (authorize(rq, route) < 0)
		goto out;
	if ((route->flags & RF_WRITE) && emu->cfg->read_only) {
		gerr_set(&rq->err, GE_EDIT,
		    "(#300) Edit failure: the emulator is read-only");
		goto out;
	}
	if ((route->flags & RF_BUC) && rate_limit(rq) < 0)
		goto out;
	idp = params_get(&rq->params, "id");
	if (idp != NULL && strcmp(idp, rq->node_id) == 0)
		params_del(&rq->params, "id");
	fields = route->flags & RF_FIELDS_ARG ?
	    NULL :
	    params_get(&rq->params, "fields");
	/* a write reads back after writing: a bad fields= waits for it */
	if (fields != NULL &&
	    fields_parse(fields, &rq->fields,
	        (route->flags & RF_RAW) ? &ferr : &rq->err) < 0 &&
	    !(route->flags & RF_RAW))
		goto out;
	rc = route->handler(rq);
	/* the handler waits for a handshake: emu_handle() runs it */
	if (rq->hs_state == HS_WANTED)
		goto out;
	if (rc == 0 && (route->flags & RF_RAW))
		rc = read_after_write(rq, &ferr);
out:
	gerr_clear(&ferr);
	segments_free(&s);
	return rc;
}

void
pipeline_trace(struct request *rq, char *trace, size_t len)
{
	struct emu *emu = rq->emu;
	uint64_t seq = ++emu->trace_seq;
	/* the seed is mixed on its own first: XORed straight with the
	 * counter, seeds 1 and 7 would give the same ids one call apart */
	uint64_t base = mix64(emu->cfg->seed);
	unsigned char raw[17];
	uint64_t a = mix64(base ^ (seq << 1));
	uint64_t b = mix64(base ^ (seq << 1 | 1));
	char enc[32];

	memcpy(raw, &a, 8);
	memcpy(raw + 8, &b, 8);
	raw[16] = (unsigned char)(seq & 0xff);
	b64url_encode_to(enc, raw, sizeof(raw));
	/* 23 characters, the length of Graph's, always starting with A */
	enc[0] = 'A';
	memcpy(rq->trace_id, enc, 24);
	if (trace != NULL && len > 11) {
		b64url_encode_to(enc, &b, 8);
		memcpy(trace, enc, 12);
	}
}

/*
 * Renders rq->result or rq->err with the headers that depend on shared
 * state (trace ids) and counts the call's usage; graph_headers() adds the
 * rest.
 */
static void
graph_finish(struct request *rq, int rc)
{
	struct emu *emu = rq->emu;
	struct response *resp = &rq->resp;

	pipeline_trace(rq, rq->fb_trace_id, sizeof(rq->fb_trace_id));
	rq->clock_s = clock_now(&emu->clock);
	/* a call refused before dispatch has its version mapped here */
	serve_version(rq);
	rq->failed = rc != 0;
	if (rc == 0 && rq->answer != NULL) {
		/* render_read()'s bytes kept on the row, and their ETag */
		response_answer(resp, 200, rq->answer, rq->answer_len,
		    rq->answer_etag);
		rq->answer = NULL;
	} else if (rc == 0) {
		if (rq->result == NULL)
			rq->result = json_object_new_object();
		response_json(resp, 200, rq->result);
	} else {
		if (rq->err.id == GE_NONE)
			gerr_set(&rq->err, GE_UNKNOWN, NULL);
		gerr_render(&rq->err, rq->trace_id,
		    rq->suppress_http_code ?
		        200 :
		        gerr_status(&rq->err, emu->cfg->profile),
		    resp);
	}
	/* calls no business use case covers count for the app */
	if (rq->usage_waba == 0 && emu->rl != NULL && rq->token_app != 0 &&
	    !emu->cfg->no_rate_limit)
		ratelimit_app_hit(emu->rl, rq->token_app, rq->clock_s,
		    &rq->usage);
}

void
pipeline_refuse(struct request *rq)
{
	pipeline_trace(rq, NULL, 0);
	rq->failed = true;
	gerr_render(&rq->err, rq->trace_id,
	    gerr_status(&rq->err, rq->emu->cfg->profile), &rq->resp);
}

/*
 * The Graph headers made from the request alone (README, Endpoints), and the
 * usage header from what graph_finish() counted.
 */
static void
graph_headers(struct request *rq)
{
	struct response *resp = &rq->resp;
	char hdr[RL_HEADER_SIZE];

	if (!rq->failed) {
		response_header(resp, "Cache-Control",
		    "private, no-cache, no-store, must-revalidate");
		if (strcmp(rq->verb, "GET") == 0) {
			/* an answer kept on its row comes with its ETag */
			if (resp->etag[0] == '\0')
				etag_of(resp->body, resp->body_len, resp->etag);
			response_header(resp, "ETag", resp->etag);
		}
	} else {
		response_header(resp, "Cache-Control", "no-store");
	}
	response_header(resp, "facebook-api-version", rq->version);
	response_header(resp, "x-fb-request-id", rq->trace_id);
	response_header(resp, "x-fb-trace-id", rq->fb_trace_id);
	response_header(resp, "x-fb-rev", GRAPH_REV);
	response_header(resp, "Access-Control-Allow-Origin", "*");
	response_header(resp, "Expires", "Sat, 01 Jan 2000 00:00:00 GMT");
	response_header(resp, "Pragma", "no-cache");
	response_header(resp, "Vary", "Accept-Encoding");
	if (rq->usage_waba != 0) {
		ratelimit_buc_header(hdr, rq->usage_waba, &rq->usage);
		response_header(resp, "X-Business-Use-Case-Usage", hdr);
	} else {
		ratelimit_app_header(hdr, &rq->usage);
		response_header(resp, "X-App-Usage", hdr);
	}
}

static bool
is_control_path(const char *target)
{
	return strncmp(target, "/_emulator", 10) == 0 &&
	    (target[10] == '\0' || target[10] == '/' || target[10] == '?');
}

/* What pipeline_locked() leaves to do. */
enum pass {
	PASS_CONTROL,   /* a control-plane call: answered */
	PASS_GRAPH,     /* a Graph call: its headers and journal entry */
	PASS_HANDSHAKE, /* a Graph call waiting for rq->hs_url's handshake */
};

/* Everything that needs emu->lock. */
static enum pass
pipeline_locked(struct request *rq)
{
	struct emu *emu = rq->emu;
	struct fault_action fa;
	int rc;

	if (rq->started_us == 0)
		rq->started_us = clock_mono_us();
	/* a batch item is a Graph call: the control plane is not under it */
	if (!rq->is_batch_item && is_control_path(rq->target)) {
		control_handle(rq);
		return PASS_CONTROL;
	}
	/* a rebound name must not reach the state, faults included */
	if (!rq->is_batch_item && !hostcheck_host(emu->cfg, rq->host)) {
		(void)prepare(rq);
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Host %s is not a loopback "
		    "name: the emulator listens on loopback (allow it with "
		    "--allow-host)",
		    rq->host);
		graph_finish(rq, -1);
		return PASS_GRAPH;
	}
	/* templates whose review or deletion came due move first */
	templates_sweep(emu);
	/* and messages whose next status came due */
	messages_sweep(emu);
	memset(&fa, 0, sizeof(fa));
	/* a call run again after its handshake met its faults already */
	if (emu->faults != NULL && !rq->is_batch_item &&
	    rq->hs_state == HS_NONE) {
		/* the raw path, without the query; on the stack when short */
		char buf[256], *path = buf;
		size_t n = strcspn(rq->target, "?");

		if (n >= sizeof(buf))
			path = xmalloc(n + 1);
		memcpy(path, rq->target, n);
		path[n] = '\0';
		if (faults_match(emu->faults, rq->method, path, &fa)) {
			rq->resp.latency_ms = fa.latency_ms;
			rq->resp.drop = fa.drop;
		}
		if (path != buf)
			free(path);
	}
	if (fa.has_error) {
		(void)prepare(rq);
		gerr_copy(&rq->err, &fa.err);
		gerr_clear(&fa.err);
		rc = -1;
	} else {
		rc = graph_dispatch(rq);
		if (rq->hs_state == HS_WANTED)
			return PASS_HANDSHAKE;
	}
	graph_finish(rq, rc);
	return PASS_GRAPH;
}

/*
 * Forgets what a pass derived, so that the call can run again from the
 * start once its handshake is done: the state may have changed meanwhile,
 * so the token, the node and the permission are checked again.
 */
static void
pipeline_rewind(struct request *rq)
{
	free(rq->node_id);
	rq->node_id = NULL;
	free(rq->edge);
	rq->edge = NULL;
	if (rq->fields != NULL)
		fieldlist_free(rq->fields);
	rq->fields = NULL;
	json_object_put(rq->result);
	rq->result = NULL;
	gerr_clear(&rq->err);
	rq->route = NULL;
	rq->node = 0;
	rq->node_type = NODE_NONE;
	rq->token_user = rq->token_app = 0;
	rq->raw_type = 0;
	rq->raw_id = 0;
}

/*
 * The handshake a handler asked for, without emu->lock: it may wait 5 s
 * for a receiver, and no other call waits with it.
 */
static void
pipeline_handshake(struct request *rq)
{
	const struct config *cfg = rq->emu->cfg;
	char *cause = NULL;

	if (handshake_verify(rq->hs_url, rq->hs_token, NULL, cfg->webhook_allow,
	        cfg->nwebhook_allow, &cause) == 0) {
		rq->hs_state = HS_OK;
	} else {
		rq->hs_state = HS_FAILED;
		rq->hs_cause = cause;
	}
}

/*
 * What follows the lock: fixed headers and the journal entry, and for a
 * dashboard watching, the entry as an event (and a state event after a
 * write that took).  Nothing more while none watches.
 */
static void
pipeline_after(struct request *rq)
{
	struct events *ev = rq->emu->events;
	uint64_t seq = 0;

	graph_headers(rq);
	if (rq->emu->journal != NULL)
		seq = journal_add(rq->emu->journal, rq, rq->clock_s);
	if (!events_watched(ev))
		return;
	if (seq != 0) {
		struct json_object *e = journal_entry(rq->emu->journal, seq);

		if (e != NULL)
			events_publish_json(ev, "request", e);
	}
	if (rq->route != NULL && (rq->route->flags & RF_WRITE) &&
	    rq->resp.status >= 200 && rq->resp.status < 300)
		events_publish(ev, "state", xstrdup("{\"cause\":\"graph\"}"));
}

void
pipeline_run(struct request *rq)
{
	/* a batch item holds the lock: its handler ran the handshake */
	if (pipeline_locked(rq) != PASS_CONTROL) {
		pipeline_after(rq);
		metrics_count(rq);
	}
}

/*
 * A browser opening the emulator's root (GET /, asking for HTML) is sent
 * to the dashboard; an API client asks for JSON or anything and gets the
 * Graph answer as before.  Only where the control plane is served.
 */
static bool
root_for_browser(struct request *rq)
{
	const char *a = rq->accept;

	if (a == NULL || strstr(a, "text/html") == NULL ||
	    strcmp(rq->method, "GET") != 0 || rq->emu->cfg->no_control_plane ||
	    !hostcheck_host(rq->emu->cfg, rq->host))
		return false;
	response_text(&rq->resp, 302, "text/plain; charset=utf-8",
	    xstrdup("The dashboard is at /_emulator/ui\n"));
	response_header(&rq->resp, "Location", "/_emulator/ui");
	response_header(&rq->resp, "Cache-Control", "no-store");
	return true;
}

void
emu_handle(struct emu *emu, struct request *rq)
{
	enum pass pass;
	bool graph;

	rq->emu = emu;
	rq->started_us = clock_mono_us();
	if (cors_preflight(rq))
		return;
	if (rq->accept != NULL && root_for_browser(rq))
		return;
	/* parsing the target and the body needs nothing shared */
	if (!is_control_path(rq->target))
		(void)prepare(rq);
	pthread_mutex_lock(&emu->lock);
	pass = pipeline_locked(rq);
	if (pass == PASS_HANDSHAKE) {
		/* shared JSON goes under the lock (see below) */
		json_object_put(rq->token_row);
		rq->token_row = NULL;
		pthread_mutex_unlock(&emu->lock);
		pipeline_handshake(rq);
		pthread_mutex_lock(&emu->lock);
		pipeline_rewind(rq);
		pass = pipeline_locked(rq);
		/* a handler asks once: a second ask is answered as failed */
		if (pass == PASS_HANDSHAKE) {
			rq->hs_state = HS_FAILED;
			gerr_set(&rq->err, GE_UNEXPECTED, NULL);
			graph_finish(rq, -1);
			pass = PASS_GRAPH;
		}
	}
	graph = pass == PASS_GRAPH;
	if (graph)
		metrics_count(rq);
	/*
	 * JSON that may share objects with the store's row cache is let go
	 * under the lock: json-c's reference counts are not atomic.  The
	 * response body is plain bytes by now.
	 */
	json_object_put(rq->result);
	rq->result = NULL;
	json_object_put(rq->token_row);
	rq->token_row = NULL;
	pthread_mutex_unlock(&emu->lock);
	if (graph)
		pipeline_after(rq);
}
