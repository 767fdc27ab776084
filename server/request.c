/*
 * request.c - turns the wire facts of one Graph call (target, headers,
 * body) into a decoded path and one merged parameter list, and holds the
 * small parameter helpers every handler shares.  The params_* list itself
 * lives in params.c; routing and policy live in the pipeline.
 */
#include "request.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fields.h"
#include "objects.h"
#include "pjson.h"
#include "util.h"

void
request_init(struct request *rq)
{
	memset(rq, 0, sizeof(*rq));
}

void
request_cleanup(struct request *rq)
{
	free(rq->method);
	free(rq->target);
	free(rq->host);
	free(rq->authorization);
	free(rq->content_type);
	free(rq->origin);
	free(rq->fetch_site);
	free(rq->accept);
	free(rq->acr_method);
	free(rq->acr_headers);
	free(rq->body);
	free(rq->remote);
	free(rq->path);
	params_cleanup(&rq->params);
	free(rq->token);
	json_object_put(rq->token_row);
	free(rq->node_id);
	free(rq->edge);
	free(rq->item);
	if (rq->fields != NULL)
		fieldlist_free(rq->fields);
	json_object_put(rq->result);
	free(rq->answer);
	gerr_clear(&rq->err);
	free(rq->hs_url);
	free(rq->hs_token);
	free(rq->hs_cause);
	response_cleanup(&rq->resp);
	request_init(rq);
}

/*
 * True when the media type of a header value s[0..n) (before any ';',
 * ignoring case and surrounding blanks) is type.
 */
static bool
media_type_is(const char *s, size_t n, const char *type)
{
	const char *end = s + n;
	size_t tlen = strlen(type);

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if ((size_t)(end - s) < tlen || strncasecmp(s, type, tlen) != 0)
		return false;
	s += tlen;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s == end || *s == ';';
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * True when the JSON text s[0..n) holds a NUL: a raw byte, or a \u0000
 * escape inside a string (json-c takes both quote kinds).  A backslash
 * outside a string makes the text invalid, which the parser reports.
 */
static bool
json_text_has_nul(const char *s, size_t n)
{
	char quote = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\0')
			return true;
		if (quote == 0) {
			if (s[i] == '"' || s[i] == '\'')
				quote = s[i];
		} else if (s[i] == '\\') {
			if (n - i > 5 && memcmp(s + i + 1, "u0000", 5) == 0)
				return true;
			i++;
		} else if (s[i] == quote) {
			quote = 0;
		}
	}
	return false;
}

/* True when a string anywhere in v holds a NUL. */
static bool
json_has_nul(struct json_object *v)
{
	size_t i;

	switch (json_object_get_type(v)) {
	case json_type_string:
		return strlen(json_object_get_string(v)) !=
		    (size_t)json_object_get_string_len(v);
	case json_type_array:
		for (i = 0; i < json_object_array_length(v); i++)
			if (json_has_nul(json_object_array_get_idx(v, i)))
				return true;
		return false;
	case json_type_object: {
		json_object_object_foreach(v, key, val) {
			(void)key;
			if (json_has_nul(val))
				return true;
		}
		return false;
	}
	default:
		return false;
	}
}

/*
 * A JSON object body: strings are kept as they are, null members are
 * dropped, anything else is kept as its compact JSON text so that array
 * and boolean parameters parse the same whichever way they arrived.  A
 * NUL is noted against the member that holds it; json-c cuts a key at
 * one, so a NUL no value holds was in a key.
 */
static int
parse_json_body(struct request *rq, struct params *out)
{
	struct json_tokener *tok;
	struct json_object *obj;
	size_t n = rq->body_len, end;
	const char *s = rq->body;
	bool ok, nul;

	while (n > 0 && is_blank(*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	if (n == 0)
		return 0;
	if (n >= (size_t)1 << 30)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Invalid JSON in request body");
	tok = json_tokener_new();
	if (tok == NULL)
		abort();
	/*
	 * The body's terminating NUL goes in too: it tells json-c the input
	 * ends, or a bare number would wait for more digits.  What follows
	 * the value may only be blanks and that NUL; a literal null parses
	 * to NULL with success.
	 */
	obj = json_tokener_parse_ex(tok, s,
	    (int)(rq->body_len - (size_t)(s - rq->body) + 1));
	ok = json_tokener_get_error(tok) == json_tokener_success;
	for (end = json_tokener_get_parse_end(tok); ok && end < n; end++)
		if (!is_blank(s[end]))
			ok = false;
	if (!ok) {
		json_tokener_free(tok);
		json_object_put(obj);
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Invalid JSON in request body");
	}
	json_tokener_free(tok);
	if (!json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Invalid JSON in request body: expected an object");
	}
	nul = json_text_has_nul(s, n);
	json_object_object_foreach(obj, key, val) {
		if (nul && json_has_nul(val)) {
			params_note_nul(out, key, false);
			nul = false;
		}
		if (val == NULL || *key == '\0')
			continue;
		if (json_object_is_type(val, json_type_string))
			params_set(out, key, json_object_get_string(val));
		else
			params_set_typed(out, key,
			    json_object_to_json_string_ext(val,
			        JSON_C_TO_STRING_PLAIN |
			            JSON_C_TO_STRING_NOSLASHESCAPE),
			    true);
	}
	if (nul)
		params_note_nul(out, "", true);
	json_object_put(obj);
	return 0;
}

/*
 * Finds the value of parameter pname in a header value such as
 * `form-data; name="x"` or `multipart/form-data; boundary=abc`, starting
 * after the first ';'.  Quoted values lose their quotes and backslash
 * escapes.  Returns a new string or NULL.
 */
static char *
header_param(const char *s, size_t n, const char *pname)
{
	const char *end = s + n, *semi;
	size_t plen = strlen(pname);

	semi = memchr(s, ';', n);
	while (semi != NULL) {
		const char *p = semi + 1, *eq;
		struct sbuf sb = SBUF_INIT;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		eq = p;
		while (eq < end && *eq != '=' && *eq != ';')
			eq++;
		if (eq < end && *eq == '=' && (size_t)(eq - p) == plen &&
		    strncasecmp(p, pname, plen) == 0) {
			p = eq + 1;
			if (p < end && *p == '"') {
				for (p++; p < end && *p != '"'; p++) {
					if (*p == '\\' && p + 1 < end)
						p++;
					sbuf_addch(&sb, *p);
				}
				if (p >= end) {
					sbuf_release(&sb);
					return NULL;
				}
			} else {
				while (p < end && *p != ';' && *p != ' ' &&
				    *p != '\t')
					sbuf_addch(&sb, *p++);
			}
			return sbuf_detach(&sb);
		}
		/* skip to the next ';' outside quotes */
		for (p = eq; p < end && *p != ';'; p++) {
			if (*p != '"')
				continue;
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\' && p + 1 < end)
					p++;
			if (p >= end)
				break;
		}
		semi = p < end ? p : NULL;
	}
	return NULL;
}

static int
multipart_error(struct request *rq, const char *why)
{
	return gerr_set(&rq->err, GE_PARAM,
	    "(#100) Malformed multipart/form-data body: %s", why);
}

/*
 * Reads the headers of one part in [p, hend): the field name of its
 * Content-Disposition, and whether it carries a file.
 */
static int
multipart_headers(struct request *rq, const char *p, const char *hend,
    char **name, bool *is_file)
{
	*name = NULL;
	*is_file = false;
	while (p < hend) {
		const char *eol = memmem(p, (size_t)(hend - p), "\r\n", 2);
		const char *colon, *v;
		size_t len;

		if (eol == NULL)
			eol = hend;
		colon = memchr(p, ':', (size_t)(eol - p));
		if (colon == NULL) {
			free(*name);
			return multipart_error(rq, "a part header has no ':'");
		}
		len = (size_t)(colon - p);
		if (len == strlen("Content-Disposition") &&
		    strncasecmp(p, "Content-Disposition", len) == 0) {
			char *fname;

			v = colon + 1;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			if (!media_type_is(v, (size_t)(eol - v), "form-data")) {
				free(*name);
				*name = NULL;
				return multipart_error(rq,
				    "a part is not form-data");
			}
			free(*name);
			*name = header_param(v, (size_t)(eol - v), "name");
			fname = header_param(v, (size_t)(eol - v), "filename");
			*is_file = fname != NULL;
			free(fname);
		}
		p = eol + 2;
	}
	if (*name == NULL || **name == '\0') {
		free(*name);
		*name = NULL;
		return multipart_error(rq, "a part has no form-data name");
	}
	return 0;
}

/*
 * multipart/form-data (RFC 7578): every part between "--boundary"
 * delimiters is one parameter.  File parts are skipped: no endpoint the
 * emulator serves takes an upload, so they are ignored like unknown
 * parameters rather than checked as text.
 */
static int
parse_multipart_body(struct request *rq, struct params *out)
{
	const char *body = rq->body, *end = rq->body + rq->body_len, *p;
	char *boundary, *delim;
	size_t dlen;
	int rc = -1;

	boundary = header_param(rq->content_type, strlen(rq->content_type),
	    "boundary");
	if (boundary == NULL || *boundary == '\0' || strlen(boundary) > 70) {
		free(boundary);
		return multipart_error(rq, "no usable boundary");
	}
	/* "\r\n--boundary": the delimiter as it appears after a part */
	delim = xasprintf("\r\n--%s", boundary);
	dlen = strlen(delim);
	free(boundary);

	if (rq->body_len >= dlen - 2 &&
	    memcmp(body, delim + 2, dlen - 2) == 0) {
		p = body + dlen - 2;
	} else {
		p = memmem(body, rq->body_len, delim, dlen);
		if (p == NULL) {
			multipart_error(rq, "no opening boundary");
			goto out;
		}
		p += dlen;
	}
	for (;;) {
		const char *hend, *next;
		char *name;
		bool is_file;

		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
			multipart_error(rq, "no closing boundary");
			goto out;
		}
		p += 2;
		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
			multipart_error(rq, "a part has no headers");
			goto out;
		}
		hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (hend == NULL) {
			multipart_error(rq, "a part's headers do not end");
			goto out;
		}
		next = memmem(hend + 4, (size_t)(end - hend - 4), delim, dlen);
		if (next == NULL) {
			multipart_error(rq, "no closing boundary");
			goto out;
		}
		if (multipart_headers(rq, p, hend, &name, &is_file) == -1)
			goto out;
		if (memchr(p, '\0', (size_t)(hend - p)) != NULL)
			params_note_nul(out, name, true);
		if (!is_file) {
			char *value = xstrndup(hend + 4,
			    (size_t)(next - hend - 4));

			if (memchr(hend + 4, '\0', (size_t)(next - hend - 4)))
				params_note_nul(out, name, false);
			params_set(out, name, value);
			free(value);
		}
		free(name);
		p = next + dlen;
	}
	rc = 0;
out:
	free(delim);
	return rc;
}

/* Checks every parameter name and value; Graph only speaks UTF-8. */
static int
check_utf8(struct request *rq, const struct params *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		const struct param *pm = &ps->v[i];

		if (!utf8_valid(pm->name, strlen(pm->name)))
			return gerr_set(&rq->err, GE_PARAM,
			    "(#100) Invalid UTF-8 in a parameter name");
		if (!utf8_valid(pm->value, strlen(pm->value)))
			return gerr_set(&rq->err, GE_PARAM,
			    "(#100) Invalid UTF-8 in parameter %s", pm->name);
	}
	return 0;
}

static int
nul_error(struct request *rq)
{
	if (rq->params.nul_in_name)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) A parameter name must not contain a NUL character "
		    "(\"%s\" was cut there)",
		    rq->params.nul);
	return gerr_set(&rq->err, GE_PARAM,
	    "(#100) Param %s must not contain a NUL character", rq->params.nul);
}

static int
too_many(struct request *rq)
{
	return gerr_set(&rq->err, GE_PARAM,
	    "(#100) Too many parameters: a request may carry at most %d",
	    PARAMS_MAX);
}

static int
parse_body(struct request *rq)
{
	struct params body = { 0 };
	const char *ct = rq->content_type;
	int rc = 0;

	if (rq->body_too_large) {
		if (rq->body_limit > 0)
			return gerr_set(&rq->err, GE_PARAM,
			    "(#100) Request body is too large: the limit is "
			    "%zu bytes",
			    rq->body_limit);
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Request body exceeds the size limit");
	}
	if (rq->body == NULL || rq->body_len == 0)
		return 0;
	if (ct == NULL || *ct == '\0' ||
	    media_type_is(ct, strlen(ct), "application/x-www-form-urlencoded"))
		params_parse_urlencoded(&body, rq->body, rq->body_len);
	else if (media_type_is(ct, strlen(ct), "application/json"))
		rc = parse_json_body(rq, &body);
	else if (media_type_is(ct, strlen(ct), "multipart/form-data"))
		rc = parse_multipart_body(rq, &body);
	/* any other type carries nothing Graph reads */
	if (rc == 0)
		params_copy(&rq->params, &body);
	if (rc == 0 && (body.overflow || rq->params.overflow))
		rc = too_many(rq);
	params_cleanup(&body);
	return rc;
}

static bool
is_truthy(const char *v)
{
	return v != NULL && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0);
}

/* method= may turn any HTTP method into one of the three Graph verbs. */
static int
apply_method_override(struct request *rq)
{
	static const char *const verbs[] = { "GET", "POST", "DELETE" };
	const char *m = params_get(&rq->params, "method");
	size_t i;

	if (m == NULL || *m == '\0')
		return 0;
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcasecmp(m, verbs[i]) == 0) {
			snprintf(rq->verb, sizeof(rq->verb), "%s", verbs[i]);
			return 0;
		}
	}
	return gerr_set(&rq->err, GE_PARAM,
	    "(#100) Param method must be one of {GET, POST, DELETE} - "
	    "got \"%s\"",
	    m);
}

int
request_prepare(struct request *rq)
{
	const char *target = rq->target != NULL ? rq->target : "/";
	const char *q = strchr(target, '?');
	size_t plen = q != NULL ? (size_t)(q - target) : strlen(target);
	size_t i;

	free(rq->path);
	params_cleanup(&rq->params);
	gerr_clear(&rq->err);

	/* The verb and the suppress flag are known early so that even a
	 * request rejected below is journalled and answered as asked. */
	for (i = 0; rq->method != NULL && rq->method[i] != '\0' &&
	     i < sizeof(rq->verb) - 1;
	     i++)
		rq->verb[i] = (char)(rq->method[i] >= 'a' &&
		            rq->method[i] <= 'z' ?
		        rq->method[i] - 'a' + 'A' :
		        rq->method[i]);
	rq->verb[i] = '\0';

	rq->path = url_decode(target, plen, false);
	/* the query goes straight in: the body's parameters merge over it */
	if (q != NULL)
		params_parse_urlencoded(&rq->params, q + 1, strlen(q + 1));
	rq->suppress_http_code = is_truthy(
	    params_get(&rq->params, "suppress_http_code"));

	if (has_nul_escape(target, plen))
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) The request path must not contain a NUL "
		    "character");
	if (!utf8_valid(rq->path, strlen(rq->path)))
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Invalid UTF-8 in the request path");
	if (rq->params.overflow)
		return too_many(rq);
	if (rq->params.nul != NULL)
		return nul_error(rq);
	if (check_utf8(rq, &rq->params) == -1)
		return -1;
	if (parse_body(rq) == -1)
		return -1;
	if (rq->params.nul != NULL)
		return nul_error(rq);
	/* without a body there is nothing new to check */
	if (rq->body_len > 0 && check_utf8(rq, &rq->params) == -1)
		return -1;
	rq->suppress_http_code = is_truthy(
	    params_get(&rq->params, "suppress_http_code"));
	return apply_method_override(rq);
}

int
param_bool(const char *name, const char *value, bool *out, struct gerr *err)
{
	if (value != NULL) {
		if (strcmp(value, "1") == 0 || strcasecmp(value, "true") == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(value, "0") == 0 ||
		    strcasecmp(value, "false") == 0) {
			*out = false;
			return 0;
		}
	}
	return gerr_set(err, GE_PARAM,
	    "(#100) Param %s must be a boolean, got \"%s\"", name,
	    value != NULL ? value : "");
}

static struct json_object *
array_from_list(const char *value)
{
	struct json_object *arr = json_object_new_array();
	const char *p = value;

	for (;;) {
		const char *comma = strchr(p, ',');
		const char *e = comma != NULL ? comma : p + strlen(p);
		const char *b = p;

		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > b)
			json_object_array_add(arr,
			    json_object_new_string_len(b, (int)(e - b)));
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return arr;
}

struct json_object *
param_array(const char *name, const char *value, struct gerr *err)
{
	struct json_object *arr;
	const char *s = value != NULL ? value : "";

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	if (*s == '[' || *s == '{') {
		arr = pjson_parse(s);
		/* a lone object is an array of one (filtering={...}) */
		if (json_object_is_type(arr, json_type_object)) {
			struct json_object *one = json_object_new_array();

			json_object_array_add(one, arr);
			arr = one;
		}
		if (!json_object_is_type(arr, json_type_array)) {
			json_object_put(arr);
			gerr_set(err, GE_PARAM,
			    "(#100) Param %s must be an array, got \"%s\"",
			    name, value);
			return NULL;
		}
	} else {
		arr = array_from_list(s);
	}
	if (json_has_nul(arr)) {
		json_object_put(arr);
		gerr_set(err, GE_PARAM,
		    "(#100) Param %s must not contain a NUL character", name);
		return NULL;
	}
	if (json_object_array_length(arr) == 0) {
		json_object_put(arr);
		gerr_set(err, GE_PARAM,
		    "(#100) Param %s must be a non-empty array", name);
		return NULL;
	}
	return arr;
}

struct json_object *
param_names(const char *name, const char *value, const char *const *values,
    struct gerr *err)
{
	struct json_object *arr, *out;
	size_t i, k;

	if ((arr = param_array(name, value, err)) == NULL)
		return NULL;
	out = json_object_new_array();
	for (i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		const char *s = json_object_get_string(e);
		bool dup = false;

		if (!json_object_is_type(e, json_type_string) ||
		    !str_in(values, s)) {
			char *list = obj_values_list(values);

			gerr_set(err, GE_PARAM,
			    "(#100) Param %s[%zu] must be one of {%s} - got "
			    "\"%s\"",
			    name, i, list, s ? s : "");
			free(list);
			json_object_put(out);
			out = NULL;
			break;
		}
		for (k = 0; k < json_object_array_length(out) && !dup; k++)
			dup = strcmp(json_object_get_string(
			                 json_object_array_get_idx(out, k)),
			          s) == 0;
		if (!dup)
			json_object_array_add(out, json_object_new_string(s));
	}
	json_object_put(arr);
	return out;
}

const char *
param_required(struct request *rq, const char *name)
{
	const char *v = params_get(&rq->params, name);

	if (v == NULL || *v == '\0') {
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) The parameter %s is required", name);
		return NULL;
	}
	return v;
}

int
param_id(const char *name, const char *value, int64_t *out, struct gerr *err)
{
	int64_t id = parse_id_exact(value);

	if (id <= 0)
		return gerr_set(err, GE_PARAM,
		    "(#100) Param %s must be an id "
		    "(1 to 18 digits, not starting with 0), got \"%s\"",
		    name, value != NULL ? value : "");
	*out = id;
	return 0;
}

const char *
param_maybe(struct request *rq, const char *name, bool required)
{
	const char *v = params_get(&rq->params, name);

	if (v == NULL && required)
		(void)param_required(rq, name);
	return v;
}

int
param_string(struct request *rq, const char *name, const char **out)
{
	size_t i;

	*out = NULL;
	for (i = 0; i < rq->params.n; i++) {
		const struct param *pm = &rq->params.v[i];

		if (strcmp(pm->name, name) != 0)
			continue;
		if (pm->json)
			return gerr_set(&rq->err, GE_PARAM,
			    "(#100) Param %s must be a string, got %s", name,
			    pm->value);
		*out = pm->value;
	}
	return 0;
}
