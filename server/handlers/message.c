/*
 * message.c - POST /{phone-id}/messages: text and template messages
 * (docs/messages.md).  The input is checked first (each mistake a 100
 * naming the parameter), then the gates in the Cloud API's order: the
 * number registered (133010), the recipient a phone number (100), the
 * template there and approved (132001, 132015, 132016), its parameters
 * fitting its variables (132000), the customer-service window for
 * free-form text (131047), the number's throughput (130429).  A refused
 * message stores nothing; an accepted one lives on in messages/life.c.
 * Policy (MESSAGING / MANAGE task or admin) is the pipeline's.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "emu.h"
#include "handlers.h"
#include "ratelimit.h"
#include "request.h"
#include "row.h"
#include "store.h"
#include "util.h"
#include "messages/life.h"

/* The Cloud API's limit on a text message's body, in characters. */
#define TEXT_MAX 4096
/* E.164 numbers: at most 15 digits; the shortest real ones have 7. */
#define WA_ID_MIN 7
#define WA_ID_MAX 15
/* Variables one component may hold: more than any template has. */
#define VARS_MAX 64

/* Parameter types a template component may carry (Meta's reference). */
static const char *const param_types[] = { "text", "currency", "date_time",
	"image", "video", "document", "location", "payload", "coupon_code",
	"action", NULL };

/* Fails with 100 and the Cloud API's error_data. */
static int
bad_param(struct request *rq, const char *fmt, const char *what)
{
	gerr_set(&rq->err, GE_PARAM, fmt, what);
	return gerr_details(&rq->err, fmt, what);
}

/* A JSON object parameter (a JSON body's member or a form field). */
static int
object_param(struct request *rq, const char *name, bool required,
    struct json_object **out)
{
	const char *v = params_get(&rq->params, name);

	*out = NULL;
	if (v == NULL) {
		if (!required)
			return 0;
		return bad_param(rq, "(#100) The parameter %s is required",
		    name);
	}
	*out = json_tokener_parse(v);
	if (*out == NULL || !json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		*out = NULL;
		return bad_param(rq, "(#100) Param %s must be a JSON object",
		    name);
	}
	return 0;
}

/* A string member of o, NULL when absent; -1 when it is not a string. */
static int
member_str(struct json_object *o, const char *key, const char **out)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	*out = json_object_get_string(v);
	return 0;
}

/*
 * The customer's number as its digits (wa_id): '+', spaces, dashes,
 * dots and parentheses are dropped; false when anything else is there
 * or the digits are too few or too many.
 */
static bool
recipient(const char *to, char out[WA_ID_MAX + 1])
{
	size_t n = 0;

	for (; *to != '\0'; to++) {
		if (*to >= '0' && *to <= '9') {
			if (n == WA_ID_MAX)
				return false;
			out[n++] = *to;
		} else if (strchr("+ -.()", *to) == NULL) {
			return false;
		}
	}
	out[n] = '\0';
	return n >= WA_ID_MIN;
}

/* ---- templates: the variables and the parameters given ------------- */

/* The distinct variables of text ({{1}}, {{name}}): their names. */
struct vars {
	char *name[VARS_MAX];
	size_t n;
};

static void
vars_cleanup(struct vars *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->name[i]);
	v->n = 0;
}

static bool
vars_has(const struct vars *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->name[i], name) == 0)
			return true;
	return false;
}

static void
vars_scan(struct vars *v, const char *text)
{
	const char *p = text, *e;

	while (text != NULL && (p = strstr(p, "{{")) != NULL &&
	    (e = strstr(p + 2, "}}")) != NULL) {
		char *name = xstrndup(p + 2, (size_t)(e - p - 2));

		if (v->n < VARS_MAX && !vars_has(v, name))
			v->name[v->n++] = name;
		else
			free(name);
		p = e + 2;
	}
}

/*
 * What one component of the message must carry: the variables a text
 * header or body has, a media header's one parameter of its type, or a
 * button's one variable.
 */
struct want {
	const char *what; /* "header", "body", "button" in messages */
	struct vars vars;
	const char *media; /* a media header's parameter type, else NULL */
};

/* The parameters of comp, checked for shape; NULL with rq->err. */
static struct json_object *
params_of(struct request *rq, struct json_object *comp, size_t ci)
{
	struct json_object *ps, *p;
	const char *type, *s;
	char path[96];
	size_t i;

	if (!json_object_object_get_ex(comp, "parameters", &ps) || ps == NULL)
		return json_object_new_array();
	if (!json_object_is_type(ps, json_type_array)) {
		snprintf(path, sizeof(path),
		    "template['components'][%zu]"
		    "['parameters']",
		    ci);
		bad_param(rq, "(#100) Param %s must be an array", path);
		return NULL;
	}
	for (i = 0; i < json_object_array_length(ps); i++) {
		p = json_object_array_get_idx(ps, i);
		snprintf(path, sizeof(path),
		    "template['components'][%zu]"
		    "['parameters'][%zu]",
		    ci, i);
		if (p == NULL || !json_object_is_type(p, json_type_object)) {
			bad_param(rq, "(#100) Param %s must be an object",
			    path);
			return NULL;
		}
		if (member_str(p, "type", &type) < 0 || type == NULL ||
		    !str_in(param_types, type)) {
			bad_param(rq,
			    "(#100) Param %s['type'] must be one of "
			    "{text, currency, date_time, image, video, "
			    "document, location, payload, coupon_code, action}",
			    path);
			return NULL;
		}
		if (member_str(p, "parameter_name", &s) < 0) {
			bad_param(rq,
			    "(#100) Param %s['parameter_name'] must "
			    "be a string",
			    path);
			return NULL;
		}
		if (strcmp(type, "text") == 0 || strcmp(type, "payload") == 0 ||
		    strcmp(type, "coupon_code") == 0) {
			const char *key = strcmp(type, "text") == 0 ? "text" :
			                                              type;

			if (member_str(p, key, &s) < 0 || s == NULL) {
				char *full = xasprintf("%s['%s']", path, key);

				bad_param(rq,
				    "(#100) Param %s must be a string", full);
				free(full);
				return NULL;
			}
		} else if (!json_object_object_get_ex(p, type, NULL) ||
		    !json_object_is_type(json_object_object_get(p, type),
		        json_type_object)) {
			char *full = xasprintf("%s['%s']", path, type);

			bad_param(rq, "(#100) Param %s must be an object",
			    full);
			free(full);
			return NULL;
		}
	}
	return json_object_get(ps);
}

static int
mismatch(struct request *rq, const char *what, size_t got, size_t want)
{
	gerr_set(&rq->err, GE_MSG_PARAMS, NULL);
	return gerr_details(&rq->err,
	    "%s: number of localizable_params (%zu) "
	    "does not match the expected number of params (%zu)",
	    what, got, want);
}

/* The parameters ps given for w fit it: 0, or -1 with rq->err (132000). */
static int
fit(struct request *rq, const struct want *w, struct json_object *ps,
    bool named)
{
	size_t n = ps ? json_object_array_length(ps) : 0, i;
	size_t want = w->media != NULL ? 1 : w->vars.n;

	if (n != want)
		return mismatch(rq, w->what, n, want);
	for (i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(ps, i);
		const char *type = NULL, *pname = NULL;

		(void)member_str(p, "type", &type);
		(void)member_str(p, "parameter_name", &pname);
		if (w->media != NULL ? strcmp(type, w->media) != 0 :
		                       (strcmp(type, "text") != 0 &&
		                           strcmp(type, "currency") != 0 &&
		                           strcmp(type, "date_time") != 0 &&
		                           strcmp(type, "coupon_code") != 0 &&
		                           strcmp(type, "payload") != 0)) {
			gerr_set(&rq->err, GE_MSG_PARAMS, NULL);
			return gerr_details(&rq->err,
			    "%s: parameter %zu is of "
			    "type %s; the template expects %s",
			    w->what, i, type, w->media ? w->media : "text");
		}
		if (w->media == NULL && named &&
		    (pname == NULL || !vars_has(&w->vars, pname))) {
			gerr_set(&rq->err, GE_MSG_PARAMS, NULL);
			return gerr_details(&rq->err,
			    "%s: parameter %zu names "
			    "%s%s%s; the template's variables are named",
			    w->what, i, pname ? "no variable " : "no variable",
			    pname ? pname : "",
			    pname ? "" : " (parameter_name)");
		}
	}
	return 0;
}

/* The template's components as wants: header, body, buttons[i]. */
static size_t
wants_of(struct json_object *tmpl, struct want *w, size_t max,
    int *button_index)
{
	struct json_object *comps = json_object_object_get(tmpl, "components");
	size_t n = 0, i, j;

	for (i = 0; comps && i < json_object_array_length(comps) && n < max;
	     i++) {
		struct json_object *c = json_object_array_get_idx(comps, i),
		                   *btns;
		const char *type = row_str(c, "type"), *fmt;

		if (type == NULL)
			continue;
		if (strcasecmp(type, "HEADER") == 0) {
			memset(&w[n], 0, sizeof(w[n]));
			w[n].what = "header";
			fmt = row_str(c, "format");
			if (fmt != NULL &&
			    (strcasecmp(fmt, "IMAGE") == 0 ||
			        strcasecmp(fmt, "VIDEO") == 0 ||
			        strcasecmp(fmt, "DOCUMENT") == 0 ||
			        strcasecmp(fmt, "LOCATION") == 0))
				w[n].media = strcasecmp(fmt, "IMAGE") == 0 ?
				    "image" :
				    strcasecmp(fmt, "VIDEO") == 0 ? "video" :
				    strcasecmp(fmt, "DOCUMENT") == 0 ?
				                                    "document" :
				                                    "location";
			else
				vars_scan(&w[n].vars, row_str(c, "text"));
			button_index[n++] = -1;
		} else if (strcasecmp(type, "BODY") == 0) {
			memset(&w[n], 0, sizeof(w[n]));
			w[n].what = "body";
			vars_scan(&w[n].vars, row_str(c, "text"));
			button_index[n++] = -1;
		} else if (strcasecmp(type, "BUTTONS") == 0 &&
		    json_object_object_get_ex(c, "buttons", &btns)) {
			for (j = 0;
			     j < json_object_array_length(btns) && n < max;
			     j++) {
				struct json_object
				    *b = json_object_array_get_idx(btns, j);
				const char *bt = row_str(b, "type");

				memset(&w[n], 0, sizeof(w[n]));
				w[n].what = "button";
				if (bt && strcasecmp(bt, "URL") == 0)
					vars_scan(&w[n].vars,
					    row_str(b, "url"));
				else if (bt && strcasecmp(bt, "COPY_CODE") == 0)
					w[n].media = "coupon_code";
				else
					continue; /* nothing to carry */
				button_index[n++] = (int)j;
			}
		}
	}
	return n;
}

/* The component of the message that carries want k; NULL when none. */
static struct json_object *
given_for(struct json_object *comps, const struct want *w, int bindex,
    size_t *ci)
{
	size_t i;

	for (i = 0; comps && i < json_object_array_length(comps); i++) {
		struct json_object *c = json_object_array_get_idx(comps, i),
		                   *ix;
		const char *type = row_str(c, "type");

		if (type == NULL || strcasecmp(type, w->what) != 0)
			continue;
		if (bindex >= 0) {
			if (!json_object_object_get_ex(c, "index", &ix) ||
			    atoi(json_object_get_string(ix)) != bindex)
				continue;
		}
		*ci = i;
		return c;
	}
	return NULL;
}

/*
 * The message's components against the template's variables: 0, or -1
 * with rq->err (100 for a malformed one, 132000 for a mismatch).
 */
static int
check_components(struct request *rq, struct json_object *tmpl,
    struct json_object *comps)
{
	struct want w[16];
	int bidx[16];
	bool named = row_str(tmpl, "parameter_format") != NULL &&
	    strcmp(row_str(tmpl, "parameter_format"), "NAMED") == 0;
	size_t nw = wants_of(tmpl, w, 16, bidx), i, ci;
	int rc = 0;

	/* every component given is well formed and answers to the template */
	for (i = 0; comps && i < json_object_array_length(comps); i++) {
		struct json_object *c = json_object_array_get_idx(comps, i),
		                   *ps;
		const char *type;
		char path[64];
		size_t k;

		snprintf(path, sizeof(path), "template['components'][%zu]", i);
		if (c == NULL || !json_object_is_type(c, json_type_object)) {
			rc = bad_param(rq, "(#100) Param %s must be an object",
			    path);
			goto out;
		}
		if (member_str(c, "type", &type) < 0 || type == NULL ||
		    (strcasecmp(type, "header") != 0 &&
		        strcasecmp(type, "body") != 0 &&
		        strcasecmp(type, "button") != 0)) {
			rc = bad_param(rq,
			    "(#100) Param %s['type'] must be one "
			    "of {header, body, button}",
			    path);
			goto out;
		}
		if ((ps = params_of(rq, c, i)) == NULL) {
			rc = -1;
			goto out;
		}
		for (k = 0; k < nw; k++) {
			size_t at;

			if (given_for(comps, &w[k], bidx[k], &at) == c)
				break;
		}
		/* parameters for a part of the template without variables */
		if ((k == nw || (w[k].media == NULL && w[k].vars.n == 0)) &&
		    json_object_array_length(ps) > 0) {
			rc = mismatch(rq,
			    strcasecmp(type, "button") == 0     ? "button" :
			        strcasecmp(type, "header") == 0 ? "header" :
			                                          "body",
			    json_object_array_length(ps), 0);
			json_object_put(ps);
			goto out;
		}
		json_object_put(ps);
	}
	/* every part of the template with variables gets its parameters */
	for (i = 0; i < nw; i++) {
		struct json_object *c = given_for(comps, &w[i], bidx[i], &ci),
		                   *ps = NULL;

		if (w[i].media == NULL && w[i].vars.n == 0)
			continue;
		if (c != NULL)
			json_object_object_get_ex(c, "parameters", &ps);
		if (fit(rq, &w[i], ps, named) < 0) {
			rc = -1;
			goto out;
		}
	}
out:
	for (i = 0; i < nw; i++)
		vars_cleanup(&w[i].vars);
	return rc;
}

/* ---- the handler --------------------------------------------------- */

/* The template gate: 0 with row's template keys set, or -1 with rq->err. */
static int
template_gate(struct request *rq, int64_t waba, struct json_object *row)
{
	struct json_object *t = NULL, *lang = NULL, *comps = NULL, *tmpl;
	const char *name, *code, *status;
	int rc = -1;

	if (object_param(rq, "template", true, &t) < 0)
		return -1;
	if (member_str(t, "name", &name) < 0 || name == NULL || !*name) {
		bad_param(rq, "(#100) Param %s must be a non-empty string",
		    "template['name']");
		goto out;
	}
	if (!json_object_object_get_ex(t, "language", &lang) || lang == NULL ||
	    !json_object_is_type(lang, json_type_object) ||
	    member_str(lang, "code", &code) < 0 || code == NULL || !*code) {
		bad_param(rq, "(#100) Param %s must be a non-empty string",
		    "template['language']['code']");
		goto out;
	}
	if (json_object_object_get_ex(t, "components", &comps) &&
	    comps != NULL && !json_object_is_type(comps, json_type_array)) {
		bad_param(rq, "(#100) Param %s must be an array",
		    "template['components']");
		goto out;
	}
	tmpl = store_template_live(rq->emu->store, waba, name, code);
	status = tmpl ? row_str(tmpl, "status") : NULL;
	if (status == NULL ||
	    (strcmp(status, "APPROVED") != 0 && strcmp(status, "PAUSED") != 0 &&
	        strcmp(status, "DISABLED") != 0)) {
		gerr_set(&rq->err, GE_MSG_NO_TEMPLATE, NULL);
		gerr_details(&rq->err,
		    "template name (%s) does not exist in %s", name, code);
	} else if (strcmp(status, "PAUSED") == 0) {
		gerr_set(&rq->err, GE_MSG_PAUSED, NULL);
		gerr_details(&rq->err, "Template %s is paused", name);
	} else if (strcmp(status, "DISABLED") == 0) {
		gerr_set(&rq->err, GE_MSG_DISABLED, NULL);
		gerr_details(&rq->err, "Template %s is disabled", name);
	} else if (check_components(rq, tmpl, comps) == 0) {
		json_object_object_add(row, "template_name",
		    json_object_new_string(name));
		json_object_object_add(row, "template_language",
		    json_object_new_string(code));
		rc = 0;
	}
	json_object_put(tmpl);
out:
	json_object_put(t);
	return rc;
}

/* The text of a text message: 0 with *body, or -1 with rq->err. */
static int
text_param(struct request *rq, struct json_object **t, const char **body)
{
	struct json_object *pv;

	if (object_param(rq, "text", true, t) < 0)
		return -1;
	if (member_str(*t, "body", body) < 0 || *body == NULL || !**body)
		return bad_param(rq,
		    "(#100) Param %s must be a non-empty "
		    "string",
		    "text['body']");
	if (utf8_chars(*body) > TEXT_MAX) {
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param text['body'] must be "
		    "at most %d characters long",
		    TEXT_MAX);
		return gerr_details(&rq->err,
		    "Param text['body'] must be at "
		    "most %d characters long",
		    TEXT_MAX);
	}
	if (json_object_object_get_ex(*t, "preview_url", &pv) && pv != NULL &&
	    !json_object_is_type(pv, json_type_boolean))
		return bad_param(rq, "(#100) Param %s must be a boolean",
		    "text['preview_url']");
	return 0;
}

static struct json_object *
answer(const char *to, const char *wa_id, const char *id)
{
	struct json_object *o = json_object_new_object(),
	                   *a = json_object_new_array(),
	                   *c = json_object_new_object();

	json_object_object_add(o, "messaging_product",
	    json_object_new_string("whatsapp"));
	json_object_object_add(c, "input", json_object_new_string(to));
	json_object_object_add(c, "wa_id", json_object_new_string(wa_id));
	json_object_array_add(a, c);
	json_object_object_add(o, "contacts", a);
	a = json_object_new_array();
	c = json_object_new_object();
	json_object_object_add(c, "id", json_object_new_string(id));
	json_object_object_add(c, "message_status",
	    json_object_new_string("accepted"));
	json_object_array_add(a, c);
	json_object_object_add(o, "messages", a);
	return o;
}

int
message_send(struct request *rq)
{
	struct emu *emu = rq->emu;
	const char *mp, *to, *type, *rtype, *body = NULL;
	struct json_object *phone = NULL, *row = NULL, *text = NULL, *ctx;
	char wa_id[WA_ID_MAX + 1], *cause = NULL;
	int rc = -1;

	/* the input first: a malformed call is refused whatever the state */
	if ((mp = params_get(&rq->params, "messaging_product")) == NULL)
		return bad_param(rq, "(#100) The parameter %s is required",
		    "messaging_product");
	if (strcmp(mp, "whatsapp") != 0)
		return bad_param(rq, "(#100) Param %s must be \"whatsapp\"",
		    "messaging_product");
	if ((rtype = params_get(&rq->params, "recipient_type")) != NULL &&
	    strcmp(rtype, "individual") != 0)
		return bad_param(rq, "(#100) Param %s must be \"individual\"",
		    "recipient_type");
	if ((to = params_get(&rq->params, "to")) == NULL || *to == '\0')
		return bad_param(rq, "(#100) The parameter %s is required",
		    "to");
	type = params_get(&rq->params, "type");
	if (type == NULL)
		type = "text"; /* the Cloud API's default */
	if (strcmp(type, "text") != 0 && strcmp(type, "template") != 0) {
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param type must be one of "
		    "{text, template} - got \"%s\"",
		    type);
		return gerr_details(&rq->err,
		    "The emulator sends text and "
		    "template messages; \"%s\" is not one of them",
		    type);
	}
	if (object_param(rq, "context", false, &ctx) < 0)
		return -1;
	json_object_put(ctx);
	if (strcmp(type, "text") == 0 && text_param(rq, &text, &body) < 0)
		goto out;

	phone = store_get(emu->store, TBL_PHONE_NUMBERS, rq->node);
	if (strcmp(row_str(phone, "status"), "CONNECTED") != 0) {
		gerr_set(&rq->err, GE_MSG_UNREGISTERED, NULL);
		gerr_details(&rq->err, "Account not registered");
		goto out;
	}
	if (!recipient(to, wa_id)) {
		gerr_set(&rq->err, GE_PARAM, NULL);
		gerr_details(&rq->err,
		    "Param to must be a phone number "
		    "(%d to %d digits)",
		    WA_ID_MIN, WA_ID_MAX);
		goto out;
	}
	row = json_object_new_object();
	json_object_object_add(row, "phone",
	    json_object_new_string(row_str(phone, "id")));
	json_object_object_add(row, "wa_id", json_object_new_string(wa_id));
	json_object_object_add(row, "type", json_object_new_string(type));
	if (body != NULL) {
		json_object_object_add(row, "text",
		    json_object_new_string(body));
		if (!message_window_open(emu, rq->node, wa_id)) {
			gerr_set(&rq->err, GE_MSG_WINDOW, NULL);
			gerr_details(&rq->err,
			    "Message failed to send because "
			    "more than 24 hours have passed since the customer "
			    "last replied to this number.");
			goto out;
		}
	} else if (template_gate(rq, row_id(phone, "waba"), row) < 0) {
		goto out;
	}
	if (!ratelimit_send(emu->rl, rq->node, clock_now(&emu->clock),
	        emu->cfg->message_throughput)) {
		gerr_set(&rq->err, GE_MSG_THROUGHPUT, NULL);
		gerr_details(&rq->err,
		    "Cloud API message throughput has been "
		    "reached.");
		goto out;
	}
	if (message_accept(emu, row, &cause) < 0) {
		gerr_set(&rq->err, GE_UNKNOWN, NULL);
		goto out;
	}
	rq->result = answer(to, wa_id, row_str(row, "id"));
	rc = 0;
out:
	free(cause);
	json_object_put(text);
	json_object_put(row);
	json_object_put(phone);
	return rc;
}
