/*
 * validate.c - a message template's components checked as Meta documents
 * them: which components, which keys, lengths, variables and their
 * examples, buttons, and AUTHENTICATION's fixed shape.  The first broken
 * rule wins.  Structural mistakes (a wrong JSON type, an unknown key or
 * value) are a plain 100 naming the param by its path, e.g.
 * components[2].buttons[0].url; content rules carry Meta's subcode and
 * error_user_title / error_user_msg.  docs/template-components.md is the
 * list of rules; this file is their one implementation.
 */
#include "templates/validate.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gerr.h"
#include "util.h"

/* Limits, in characters (code points), from Meta's components reference. */
#define BODY_MAX 1024
#define HEADER_MAX 60
#define FOOTER_MAX 60
#define BUTTON_TEXT_MAX 25
#define URL_MAX 2000
#define PHONE_MAX 20
#define COPY_CODE_MAX 15
#define BUTTONS_MAX 10
#define EXPIRY_MIN 1
#define EXPIRY_MAX 90
#define SUPPORTED_APPS_MAX 5
#define PACKAGE_MAX 224
#define SIGNATURE_LEN 11
/* More than a body of BODY_MAX characters can hold ("{{a}}" is five). */
#define VARS_MAX 256
#define PATH_MAX_LEN 96

/* What error_user_title says for each subcode this file sets. */
static const struct {
	enum gerr_id id;
	const char *title;
} titles[] = {
	{ GE_TMPL_TOO_LONG, "Character limit exceeded" },
	{ GE_TMPL_EXAMPLE, "Message template is missing expected field(s)" },
	{ GE_TMPL_HEADER, "Message header format is incorrect" },
	{ GE_TMPL_BODY, "Message body format is incorrect" },
	{ GE_TMPL_FOOTER, "Message footer format is incorrect" },
	{ GE_TMPL_EDGE_VAR, "Leading or trailing parameters not allowed" },
};

struct tv {
	bool auth;    /* category AUTHENTICATION */
	bool utility; /* category UTILITY */
	bool named;   /* parameter_format NAMED */
	struct gerr *err;
};

/* The variables of one text, in the order they first appear. */
struct vars {
	size_t n;        /* distinct variables */
	size_t first;    /* byte offset where the first one starts */
	size_t last_end; /* byte offset just past the last one */
	struct {
		const char *name; /* into the text; not NUL-terminated */
		size_t len;
	} v[VARS_MAX];
};

/* The index of the variable s (len bytes) in vs; vs->n when not there. */
static size_t
var_find(const struct vars *vs, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		if (vs->v[i].len == len && memcmp(vs->v[i].name, s, len) == 0)
			break;
	return i;
}

/*
 * Sets err and returns -1.  GE_PARAM: the message is "(#100) " + the
 * text; a template row: "Invalid parameter", with the row's title and the
 * text as error_user_msg.
 */
static int fail(struct tv *c, enum gerr_id id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct tv *c, enum gerr_id id, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (id == GE_PARAM) {
		gerr_set(c->err, GE_PARAM, "(#100) %s", msg);
	} else {
		size_t i;

		gerr_set(c->err, id, NULL);
		for (i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
			if (titles[i].id == id)
				gerr_user(c->err, titles[i].title, "%s", msg);
	}
	free(msg);
	return -1;
}

static int
missing(struct tv *c, const char *ctype, const char *field, const char *path)
{
	return fail(c, GE_TMPL_EXAMPLE,
	    "component of type %s is missing expected field(s) (%s) at %s",
	    ctype, field, path);
}

static bool
is_lower(char ch)
{
	return ch >= 'a' && ch <= 'z';
}

static bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool
is_alpha(char ch)
{
	return is_lower(ch) || (ch >= 'A' && ch <= 'Z');
}

static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	    ch == '\f' || ch == '\v';
}

/* o is an object whose every key is in allowed (NULL-terminated), as
 * Graph requires. */
static int
keys_known(struct tv *c, json_object *o, const char *const *allowed,
    const char *path)
{
	if (!json_object_is_type(o, json_type_object))
		return fail(c, GE_PARAM, "Param %s must be an object", path);
	json_object_object_foreach(o, key, val) {
		(void)val;
		if (!str_in(allowed, key))
			return fail(c, GE_PARAM,
			    "Invalid keys \"%s\" were "
			    "found in param \"%s\".",
			    key, path);
	}
	return 0;
}

/* o[key], NULL when absent; *present tells an absent key from a null. */
static json_object *
member(json_object *o, const char *key, bool *present)
{
	json_object *v = NULL;

	*present = json_object_object_get_ex(o, key, &v);
	return v;
}

/*
 * *out = o[key] as a string, NULL when absent.  A present key must hold a
 * valid UTF-8 string without NUL bytes.
 */
static int
opt_string(struct tv *c, json_object *o, const char *key, const char *path,
    const char **out)
{
	bool present;
	json_object *v = member(o, key, &present);
	const char *s;
	size_t n;

	*out = NULL;
	if (!present)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return fail(c, GE_PARAM, "Param %s.%s must be a string", path,
		    key);
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (strlen(s) != n || !utf8_valid(s, n))
		return fail(c, GE_PARAM, "Param %s.%s must be valid UTF-8 text",
		    path, key);
	*out = s;
	return 0;
}

/* As opt_string(); absent or empty is Meta's "missing expected field". */
static int
req_string(struct tv *c, json_object *o, const char *key, const char *ctype,
    const char *path, const char **out)
{
	if (opt_string(c, o, key, path, out) != 0)
		return -1;
	if (*out == NULL || **out == '\0')
		return missing(c, ctype, key, path);
	return 0;
}

static int
too_long(struct tv *c, const char *path, const char *key, const char *s,
    size_t max)
{
	if (utf8_chars(s) > max)
		return fail(c, GE_TMPL_TOO_LONG,
		    "%s.%s has %zu characters; "
		    "the limit is %zu",
		    path, key, utf8_chars(s), max);
	return 0;
}

/* *out = o[key] as an array, NULL when absent. */
static int
opt_array(struct tv *c, json_object *o, const char *key, const char *path,
    json_object **out)
{
	bool present;
	json_object *v = member(o, key, &present);

	*out = NULL;
	if (!present)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return fail(c, GE_PARAM, "Param %s.%s must be an array", path,
		    key);
	*out = v;
	return 0;
}

/*
 * Finds the variables of text: {{1}}, {{2}}, ... first used in order
 * without gaps (POSITIONAL) or {{snake_name}} (NAMED).  Anything else that
 * opens with "{{" is a malformed variable, refused with bad (the
 * component's format subcode).  text is at most BODY_MAX characters, so
 * VARS_MAX always suffices.
 */
static int
scan_vars(struct tv *c, const char *text, const char *path, enum gerr_id bad,
    struct vars *vs)
{
	const char *p = text;
	unsigned long highest = 0;

	vs->n = 0;
	vs->first = vs->last_end = 0;
	while ((p = strstr(p, "{{")) != NULL) {
		const char *s = p + 2, *e = s;
		size_t len;
		bool fresh;

		if (c->named) {
			if (is_lower(*e))
				while (
				    is_lower(*e) || is_digit(*e) || *e == '_')
					e++;
		} else {
			while (is_digit(*e))
				e++;
		}
		len = (size_t)(e - s);
		if (len == 0 || e[0] != '}' || e[1] != '}' ||
		    (!c->named && (*s == '0' || len > 4)))
			return fail(c, bad,
			    "%s.text has a malformed variable "
			    "at character %zu: parameter_format %s takes %s",
			    path, utf8_chars(text) - utf8_chars(p),
			    c->named ? "NAMED" : "POSITIONAL",
			    c->named ? "{{snake_case_name}}" :
			               "{{1}}, {{2}}, ...");
		if (vs->last_end == 0)
			vs->first = (size_t)(p - text);
		vs->last_end = (size_t)(e + 2 - text);
		p = e + 2;
		if (!c->named) {
			unsigned long num = strtoul(s, NULL, 10);

			if (num > highest + 1)
				return fail(c, bad,
				    "%s.text uses {{%lu}} after "
				    "{{%lu}}: variables are numbered from {{1}} "
				    "in order, without gaps",
				    path, num, highest);
			fresh = num == highest + 1;
			if (fresh)
				highest = num;
		} else {
			fresh = var_find(vs, s, len) == vs->n;
		}
		if (fresh) {
			if (vs->n == VARS_MAX)
				return fail(c, bad,
				    "%s.text has more than %d "
				    "variables",
				    path, VARS_MAX);
			vs->v[vs->n].name = s;
			vs->v[vs->n++].len = len;
		}
	}
	return 0;
}

/* An example string: a string, not empty. */
static int
example_value(struct tv *c, json_object *v, const char *ctype, const char *path)
{
	if (!json_object_is_type(v, json_type_string))
		return fail(c, GE_PARAM, "Param %s must be a string", path);
	if (json_object_get_string_len(v) == 0)
		return missing(c, ctype, "example", path);
	return 0;
}

/*
 * The example array arr (NULL when absent) at path at, of component path:
 * one value; more fail with id as "<at> has <n> <many>".
 */
static int
sole_example(struct tv *c, json_object *arr, const char *ctype,
    const char *path, const char *at, enum gerr_id id, const char *many)
{
	size_t n = arr != NULL ? json_object_array_length(arr) : 0;
	char first[PATH_MAX_LEN + 64];

	if (n > 1)
		return fail(c, id, "%s has %zu %s", at, n, many);
	if (n == 0)
		return missing(c, ctype, "example", path);
	snprintf(first, sizeof(first), "%s[0]", at);
	return example_value(c, json_object_array_get_idx(arr, 0), ctype,
	    first);
}

/* example.<key>: one string per variable (header_text), or one array of
 * them per sample (body_text, nested). */
static int
positional_examples(struct tv *c, json_object *ex, const char *key, bool nested,
    const char *ctype, const char *path, size_t nvars)
{
	json_object *arr;
	char at[PATH_MAX_LEN + 64];
	size_t i, j, nrows;

	if (opt_array(c, ex, key, path, &arr) != 0)
		return -1;
	if (arr == NULL || json_object_array_length(arr) == 0) {
		if (nvars == 0)
			return 0;
		return missing(c, ctype, "example", path);
	}
	if (nvars == 0)
		return fail(c, GE_PARAM,
		    "Param %s.%s gives example values but "
		    "the text has no variables",
		    path, key);
	nrows = nested ? json_object_array_length(arr) : 1;
	for (i = 0; i < nrows; i++) {
		json_object *row = arr;

		if (nested) {
			row = json_object_array_get_idx(arr, i);
			snprintf(at, sizeof(at), "%s.%s[%zu]", path, key, i);
			if (!json_object_is_type(row, json_type_array))
				return fail(c, GE_PARAM,
				    "Param %s must be an "
				    "array",
				    at);
		} else {
			snprintf(at, sizeof(at), "%s.%s", path, key);
		}
		if (json_object_array_length(row) != nvars)
			return fail(c, GE_TMPL_EXAMPLE,
			    "%s has %zu example "
			    "value(s) for %zu variable(s)",
			    at, json_object_array_length(row), nvars);
		for (j = 0; j < nvars; j++) {
			char vat[PATH_MAX_LEN + 96];

			snprintf(vat, sizeof(vat), "%s[%zu]", at, j);
			if (example_value(c, json_object_array_get_idx(row, j),
			        ctype, vat) != 0)
				return -1;
		}
	}
	return 0;
}

/* example.<key>: [{"param_name","example"}], one for each variable. */
static int
named_examples(struct tv *c, json_object *ex, const char *key,
    const char *ctype, const char *path, const struct vars *vs)
{
	static const char *const keys[] = { "param_name", "example", NULL };
	json_object *arr;
	char at[PATH_MAX_LEN + 64];
	size_t i, j, n;

	if (opt_array(c, ex, key, path, &arr) != 0)
		return -1;
	n = arr ? json_object_array_length(arr) : 0;
	if (n > 0 && vs->n == 0)
		return fail(c, GE_PARAM,
		    "Param %s.%s gives example values but "
		    "the text has no variables",
		    path, key);
	for (i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(arr, i), *v;
		const char *name;
		bool present;
		char vat[PATH_MAX_LEN + 80];

		snprintf(at, sizeof(at), "%s.%s[%zu]", path, key, i);
		if (keys_known(c, p, keys, at) != 0 ||
		    req_string(c, p, "param_name", ctype, at, &name) != 0)
			return -1;
		v = member(p, "example", &present);
		if (!present)
			return missing(c, ctype, "example", at);
		snprintf(vat, sizeof(vat), "%s.example", at);
		if (example_value(c, v, ctype, vat) != 0)
			return -1;
		if (var_find(vs, name, strlen(name)) == vs->n)
			return fail(c, GE_PARAM,
			    "Param %s.param_name \"%s\" "
			    "is not a variable of the text",
			    at, name);
		for (j = 0; j < i; j++) {
			json_object *q = json_object_array_get_idx(arr, j);

			if (strcmp(json_object_get_string(
			               json_object_object_get(q, "param_name")),
			        name) == 0)
				return fail(c, GE_PARAM,
				    "Param %s.param_name "
				    "\"%s\" is given twice",
				    at, name);
		}
	}
	if (n < vs->n) {
		/* each name was checked distinct and known: one is left out */
		for (j = 0; j < vs->n; j++) {
			for (i = 0; i < n; i++) {
				const char *name = json_object_get_string(
				    json_object_object_get(
				        json_object_array_get_idx(arr, i),
				        "param_name"));

				if (strlen(name) == vs->v[j].len &&
				    memcmp(name, vs->v[j].name, vs->v[j].len) ==
				        0)
					break;
			}
			if (i == n)
				return fail(c, GE_TMPL_EXAMPLE,
				    "component of "
				    "type %s is missing expected field(s) "
				    "(example) for {{%.*s}} at %s",
				    ctype, (int)vs->v[j].len, vs->v[j].name,
				    path);
		}
	}
	return 0;
}

/* The example object of a HEADER or BODY: keys allowed (NULL-terminated),
 * then the examples for its variables. */
static int
text_examples(struct tv *c, json_object *comp, const char *ctype,
    const char *path, const struct vars *vs, const char *positional_key,
    bool nested, const char *named_key)
{
	const char *const allowed[] = { c->named ? named_key : positional_key,
		NULL };
	char at[PATH_MAX_LEN + 16];
	bool present;
	json_object *ex = member(comp, "example", &present);

	snprintf(at, sizeof(at), "%s.example", path);
	if (!present || ex == NULL) {
		if (vs->n > 0)
			return missing(c, ctype, "example", path);
		if (present)
			return fail(c, GE_PARAM, "Param %s must be an object",
			    at);
		return 0;
	}
	if (keys_known(c, ex, allowed, at) != 0)
		return -1;
	if (c->named)
		return named_examples(c, ex, named_key, ctype, at, vs);
	return positional_examples(c, ex, positional_key, nested, ctype, at,
	    vs->n);
}

static int
check_header(struct tv *c, json_object *comp, const char *path)
{
	static const char *const keys[] = { "type", "format", "text", "example",
		NULL };
	static const char *const media[] = { "IMAGE", "VIDEO", "DOCUMENT",
		NULL };
	static const char *const handle_keys[] = { "header_handle", NULL };
	const char *format, *text;
	struct vars vs;

	if (c->auth)
		return fail(c, GE_PARAM,
		    "Param %s: AUTHENTICATION templates "
		    "have no HEADER",
		    path);
	if (keys_known(c, comp, keys, path) != 0 ||
	    req_string(c, comp, "format", "HEADER", path, &format) != 0 ||
	    opt_string(c, comp, "text", path, &text) != 0)
		return -1;
	if (strcmp(format, "TEXT") == 0) {
		if (text == NULL || *text == '\0')
			return missing(c, "HEADER", "text", path);
		if (too_long(c, path, "text", text, HEADER_MAX) != 0 ||
		    scan_vars(c, text, path, GE_TMPL_HEADER, &vs) != 0)
			return -1;
		if (vs.n > 1)
			return fail(c, GE_TMPL_HEADER,
			    "%s.text has %zu "
			    "variables; a TEXT header can have one",
			    path, vs.n);
		return text_examples(c, comp, "HEADER", path, &vs,
		    "header_text", false, "header_text_named_params");
	}
	if (!str_in(media, format) && strcmp(format, "LOCATION") != 0)
		return fail(c, GE_TMPL_HEADER,
		    "%s.format must be one of TEXT, "
		    "IMAGE, VIDEO, DOCUMENT, LOCATION - got \"%s\"",
		    path, format);
	if (text != NULL)
		return fail(c, GE_TMPL_HEADER, "%s: %s headers have no text",
		    path, format);
	if (strcmp(format, "LOCATION") == 0) {
		if (json_object_object_get_ex(comp, "example", NULL))
			return fail(c, GE_TMPL_HEADER,
			    "%s: a LOCATION header "
			    "has no example",
			    path);
		return 0;
	} else {
		char at[PATH_MAX_LEN + 32];
		bool present;
		json_object *ex = member(comp, "example", &present), *h;

		snprintf(at, sizeof(at), "%s.example", path);
		if (!present)
			return missing(c, "HEADER", "example", path);
		if (keys_known(c, ex, handle_keys, at) != 0 ||
		    opt_array(c, ex, "header_handle", at, &h) != 0)
			return -1;
		snprintf(at, sizeof(at), "%s.example.header_handle", path);
		return sole_example(c, h, "HEADER", path, at, GE_TMPL_HEADER,
		    "handles; a media header takes one");
	}
}

/*
 * The BODY or FOOTER (part) of an AUTHENTICATION template, whose text is
 * Meta's: text refused with id and advice, and no keys but keys.
 */
static int
fixed_text(struct tv *c, json_object *comp, const char *path,
    const char *const *keys, enum gerr_id id, const char *part,
    const char *advice)
{
	if (json_object_object_get_ex(comp, "text", NULL))
		return fail(c, id,
		    "%s: the %s of an AUTHENTICATION template is "
		    "Meta's fixed text; %s",
		    path, part, advice);
	return keys_known(c, comp, keys, path);
}

static int
check_body(struct tv *c, json_object *comp, const char *path)
{
	static const char *const keys[] = { "type", "text", "example", NULL };
	static const char *const auth_keys[] = { "type",
		"add_security_recommendation", NULL };
	const char *text;
	struct vars vs;

	if (c->auth) {
		bool present;
		json_object *v;

		if (fixed_text(c, comp, path, auth_keys, GE_TMPL_BODY, "body",
		        "leave out text") != 0)
			return -1;
		v = member(comp, "add_security_recommendation", &present);
		if (present && !json_object_is_type(v, json_type_boolean))
			return fail(c, GE_PARAM,
			    "Param %s."
			    "add_security_recommendation must be a boolean",
			    path);
		return 0;
	}
	if (keys_known(c, comp, keys, path) != 0 ||
	    req_string(c, comp, "text", "BODY", path, &text) != 0 ||
	    too_long(c, path, "text", text, BODY_MAX) != 0 ||
	    scan_vars(c, text, path, GE_TMPL_BODY, &vs) != 0)
		return -1;
	if (vs.n > 0) {
		size_t a = 0, b;

		while (is_space(text[a]))
			a++;
		b = strlen(text);
		while (b > 0 && is_space(text[b - 1]))
			b--;
		if (a == vs.first || b == vs.last_end)
			return fail(c, GE_TMPL_EDGE_VAR,
			    "%s.text %s with a "
			    "variable; variables can't be at the start or end "
			    "of the template",
			    path, a == vs.first ? "starts" : "ends");
	}
	return text_examples(c, comp, "BODY", path, &vs, "body_text", true,
	    "body_text_named_params");
}

static int
check_footer(struct tv *c, json_object *comp, const char *path)
{
	static const char *const keys[] = { "type", "text", NULL };
	static const char *const auth_keys[] = { "type",
		"code_expiration_minutes", NULL };
	const char *text;

	if (c->auth) {
		bool present;
		json_object *v;
		int64_t m;

		if (fixed_text(c, comp, path, auth_keys, GE_TMPL_FOOTER,
		        "footer", "give code_expiration_minutes instead") != 0)
			return -1;
		v = member(comp, "code_expiration_minutes", &present);
		if (!present)
			return missing(c, "FOOTER", "code_expiration_minutes",
			    path);
		if (!json_object_is_type(v, json_type_int))
			return fail(c, GE_PARAM,
			    "Param %s."
			    "code_expiration_minutes must be an integer",
			    path);
		m = json_object_get_int64(v);
		if (m < EXPIRY_MIN || m > EXPIRY_MAX)
			return fail(c, GE_PARAM,
			    "Param %s."
			    "code_expiration_minutes must be between %d and "
			    "%d",
			    path, EXPIRY_MIN, EXPIRY_MAX);
		return 0;
	}
	if (keys_known(c, comp, keys, path) != 0 ||
	    req_string(c, comp, "text", "FOOTER", path, &text) != 0 ||
	    too_long(c, path, "text", text, FOOTER_MAX) != 0)
		return -1;
	if (strstr(text, "{{") != NULL)
		return fail(c, GE_TMPL_FOOTER,
		    "%s.text: a footer can't have "
		    "variables",
		    path);
	return 0;
}

/* The "type" of a component or button o at path: NULL (failed) unless o
 * is an object with a string type. */
static const char *
object_type(struct tv *c, json_object *o, const char *path)
{
	const char *type;

	if (!json_object_is_type(o, json_type_object)) {
		fail(c, GE_PARAM, "Param %s must be an object", path);
		return NULL;
	}
	if (opt_string(c, o, "type", path, &type) != 0)
		return NULL;
	if (type == NULL)
		fail(c, GE_PARAM, "The parameter %s.type is required", path);
	return type;
}

/* A button's visible label: given, short, without variables. */
static int
button_text(struct tv *c, json_object *b, bool required, const char *path)
{
	const char *text;

	if (opt_string(c, b, "text", path, &text) != 0)
		return -1;
	if (text == NULL || *text == '\0') {
		if (required)
			return missing(c, "BUTTONS", "text", path);
		return 0;
	}
	if (too_long(c, path, "text", text, BUTTON_TEXT_MAX) != 0)
		return -1;
	if (strstr(text, "{{") != NULL)
		return fail(c, GE_PARAM, "Param %s.text can't have variables",
		    path);
	return 0;
}

static int
check_quick_reply(struct tv *c, json_object *b, const char *path)
{
	static const char *const keys[] = { "type", "text", NULL };

	if (keys_known(c, b, keys, path) != 0)
		return -1;
	return button_text(c, b, true, path);
}

static int
check_url(struct tv *c, json_object *b, const char *path)
{
	static const char *const keys[] = { "type", "text", "url", "example",
		NULL };
	const char *url, *v;
	json_object *ex;
	size_t n;
	char at[PATH_MAX_LEN + 16];

	if (keys_known(c, b, keys, path) != 0 ||
	    button_text(c, b, true, path) != 0 ||
	    req_string(c, b, "url", "BUTTONS", path, &url) != 0 ||
	    too_long(c, path, "url", url, URL_MAX) != 0 ||
	    opt_array(c, b, "example", path, &ex) != 0)
		return -1;
	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
		return fail(c, GE_PARAM,
		    "Param %s.url must be a URL starting "
		    "with http:// or https://",
		    path);
	n = strlen(url);
	v = strstr(url, "{{");
	if (v != NULL && (n < 5 || v != url + n - 5 || strcmp(v, "{{1}}") != 0))
		return fail(c, GE_PARAM,
		    "Param %s.url can have one variable, "
		    "{{1}}, at its end",
		    path);
	if (v == NULL) {
		if (ex != NULL)
			return fail(c, GE_PARAM,
			    "Param %s.example gives an "
			    "example but the url has no variable",
			    path);
		return 0;
	}
	snprintf(at, sizeof(at), "%s.example", path);
	return sole_example(c, ex, "BUTTONS", path, at, GE_TMPL_EXAMPLE,
	    "example value(s) for 1 variable");
}

static int
check_phone(struct tv *c, json_object *b, const char *path)
{
	static const char *const keys[] = { "type", "text", "phone_number",
		NULL };
	const char *phone, *p;

	if (keys_known(c, b, keys, path) != 0 ||
	    button_text(c, b, true, path) != 0 ||
	    req_string(c, b, "phone_number", "BUTTONS", path, &phone) != 0 ||
	    too_long(c, path, "phone_number", phone, PHONE_MAX) != 0)
		return -1;
	p = phone[0] == '+' ? phone + 1 : phone;
	if (*p == '\0')
		return fail(c, GE_PARAM,
		    "Param %s.phone_number must be a "
		    "phone number (digits, an optional leading +)",
		    path);
	for (; *p != '\0'; p++)
		if (!is_digit(*p))
			return fail(c, GE_PARAM,
			    "Param %s.phone_number must "
			    "be a phone number (digits, an optional leading "
			    "+)",
			    path);
	return 0;
}

static int
check_copy_code(struct tv *c, json_object *b, const char *path)
{
	static const char *const keys[] = { "type", "example", NULL };
	const char *code;

	if (keys_known(c, b, keys, path) != 0 ||
	    req_string(c, b, "example", "BUTTONS", path, &code) != 0)
		return -1;
	return too_long(c, path, "example", code, COPY_CODE_MAX);
}

/* An Android package name: two or more dot-separated segments, each a
 * letter then letters, digits or underscores. */
static bool
is_package(const char *s)
{
	size_t segs = 0;

	if (utf8_chars(s) > PACKAGE_MAX)
		return false;
	for (;;) {
		if (!is_alpha(*s))
			return false;
		while (is_alpha(*s) || is_digit(*s) || *s == '_')
			s++;
		segs++;
		if (*s == '\0')
			return segs >= 2;
		if (*s++ != '.')
			return false;
	}
}

/* An app signing key hash: 11 base64 characters. */
static bool
is_signature(const char *s)
{
	size_t n;

	for (n = 0; s[n] != '\0'; n++)
		if (!is_alpha(s[n]) && !is_digit(s[n]) && s[n] != '+' &&
		    s[n] != '/' && s[n] != '=')
			return false;
	return n == SIGNATURE_LEN;
}

/* package_name and signature_hash of o (a button or a supported app). */
static int
app_ids(struct tv *c, json_object *o, const char *path)
{
	const char *pkg, *sig;

	if (req_string(c, o, "package_name", "BUTTONS", path, &pkg) != 0 ||
	    req_string(c, o, "signature_hash", "BUTTONS", path, &sig) != 0)
		return -1;
	if (!is_package(pkg))
		return fail(c, GE_PARAM,
		    "Param %s.package_name must be an "
		    "Android package name such as com.example.app",
		    path);
	if (!is_signature(sig))
		return fail(c, GE_PARAM,
		    "Param %s.signature_hash must be "
		    "the app's %d-character signing key hash",
		    path, SIGNATURE_LEN);
	return 0;
}

/* ONE_TAP and ZERO_TAP name the app that fills the code in: either
 * package_name + signature_hash, or supported_apps[] of them. */
static int
otp_apps(struct tv *c, json_object *b, const char *path)
{
	static const char *const keys[] = { "package_name", "signature_hash",
		NULL };
	json_object *apps;
	char at[PATH_MAX_LEN + 32];
	size_t i, n;

	if (opt_array(c, b, "supported_apps", path, &apps) != 0)
		return -1;
	if (apps == NULL)
		return app_ids(c, b, path);
	if (json_object_object_get_ex(b, "package_name", NULL) ||
	    json_object_object_get_ex(b, "signature_hash", NULL))
		return fail(c, GE_PARAM,
		    "Param %s: give supported_apps or "
		    "package_name and signature_hash, not both",
		    path);
	n = json_object_array_length(apps);
	if (n == 0 || n > SUPPORTED_APPS_MAX)
		return fail(c, GE_PARAM,
		    "Param %s.supported_apps must list 1 "
		    "to %d apps",
		    path, SUPPORTED_APPS_MAX);
	for (i = 0; i < n; i++) {
		json_object *a = json_object_array_get_idx(apps, i);

		snprintf(at, sizeof(at), "%s.supported_apps[%zu]", path, i);
		if (keys_known(c, a, keys, at) != 0 || app_ids(c, a, at) != 0)
			return -1;
	}
	return 0;
}

static int
check_otp(struct tv *c, json_object *b, const char *path)
{
	static const char *const copy_keys[] = { "type", "otp_type", "text",
		NULL };
	static const char *const one_tap_keys[] = { "type", "otp_type", "text",
		"autofill_text", "package_name", "signature_hash",
		"supported_apps", NULL };
	static const char *const zero_tap_keys[] = { "type", "otp_type", "text",
		"autofill_text", "package_name", "signature_hash",
		"supported_apps", "zero_tap_terms_accepted", NULL };
	const char *otp, *autofill;
	json_object *v;
	bool present;

	if (req_string(c, b, "otp_type", "BUTTONS", path, &otp) != 0)
		return -1;
	if (strcmp(otp, "COPY_CODE") == 0)
		return keys_known(c, b, copy_keys, path) != 0 ?
		    -1 :
		    button_text(c, b, false, path);
	if (strcmp(otp, "ONE_TAP") != 0 && strcmp(otp, "ZERO_TAP") != 0)
		return fail(c, GE_PARAM,
		    "Param %s.otp_type must be one of "
		    "{COPY_CODE, ONE_TAP, ZERO_TAP} - got \"%s\"",
		    path, otp);
	if (keys_known(c, b,
	        strcmp(otp, "ONE_TAP") == 0 ? one_tap_keys : zero_tap_keys,
	        path) != 0 ||
	    button_text(c, b, false, path) != 0 ||
	    opt_string(c, b, "autofill_text", path, &autofill) != 0 ||
	    (autofill != NULL &&
	        too_long(c, path, "autofill_text", autofill, BUTTON_TEXT_MAX) !=
	            0) ||
	    otp_apps(c, b, path) != 0)
		return -1;
	if (strcmp(otp, "ZERO_TAP") != 0)
		return 0;
	v = member(b, "zero_tap_terms_accepted", &present);
	if (!present)
		return missing(c, "BUTTONS", "zero_tap_terms_accepted", path);
	if (!json_object_is_type(v, json_type_boolean) ||
	    !json_object_get_boolean(v))
		return fail(c, GE_PARAM,
		    "Param %s.zero_tap_terms_accepted must "
		    "be true: zero-tap needs Meta's terms accepted",
		    path);
	return 0;
}

/* The button types, with how many one template may have. */
static const struct btype {
	const char *name;
	bool auth; /* only in, and the only kind in, AUTHENTICATION */
	size_t max;
	int (*check)(struct tv *, json_object *, const char *);
} btypes[] = {
	{ "QUICK_REPLY", false, BUTTONS_MAX, check_quick_reply },
	{ "URL", false, 2, check_url },
	{ "PHONE_NUMBER", false, 1, check_phone },
	{ "COPY_CODE", false, 1, check_copy_code },
	{ "OTP", true, 1, check_otp },
};
#define NBTYPES (sizeof(btypes) / sizeof(btypes[0]))

static int
check_buttons(struct tv *c, json_object *comp, const char *path)
{
	static const char *const keys[] = { "type", "buttons", NULL };
	json_object *arr;
	size_t counts[NBTYPES] = { 0 };
	size_t i, k, n;
	bool replies_ended = false;
	char at[PATH_MAX_LEN];

	if (keys_known(c, comp, keys, path) != 0 ||
	    opt_array(c, comp, "buttons", path, &arr) != 0)
		return -1;
	if (arr == NULL)
		return missing(c, "BUTTONS", "buttons", path);
	n = json_object_array_length(arr);
	if (n == 0)
		return fail(c, GE_PARAM,
		    "Param %s.buttons must have at least "
		    "one button",
		    path);
	if (n > BUTTONS_MAX)
		return fail(c, GE_PARAM,
		    "Param %s.buttons has %zu buttons; a "
		    "template can have %d",
		    path, n, BUTTONS_MAX);
	if (c->auth && n != 1)
		return fail(c, GE_PARAM,
		    "Param %s.buttons: an AUTHENTICATION "
		    "template has exactly one OTP button",
		    path);
	for (i = 0; i < n; i++) {
		json_object *b = json_object_array_get_idx(arr, i);
		const char *type;

		snprintf(at, sizeof(at), "%s.buttons[%zu]", path, i);
		if ((type = object_type(c, b, at)) == NULL)
			return -1;
		for (k = 0; k < NBTYPES; k++)
			if (strcmp(btypes[k].name, type) == 0)
				break;
		if (k == NBTYPES)
			return fail(c, GE_PARAM,
			    "Param %s.type must be one of "
			    "{QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE, OTP} "
			    "- got \"%s\"",
			    at, type);
		if (btypes[k].auth != c->auth)
			return fail(c, GE_PARAM, "Param %s.type: %s", at,
			    c->auth ? "an AUTHENTICATION template has one OTP "
			              "button" :
			              "OTP buttons are for AUTHENTICATION "
			              "templates");
		if (c->utility && strcmp(type, "COPY_CODE") == 0)
			return fail(c, GE_PARAM,
			    "Param %s.type: COPY_CODE "
			    "buttons are for MARKETING templates",
			    at);
		if (++counts[k] > btypes[k].max)
			return fail(c, GE_PARAM,
			    "Param %s: a template can have "
			    "at most %zu %s button(s)",
			    at, btypes[k].max, type);
		/* quick replies sit together, before or after the others */
		if (strcmp(type, "QUICK_REPLY") == 0) {
			if (replies_ended)
				return fail(c, GE_PARAM,
				    "Param %s: quick "
				    "reply buttons must be grouped together",
				    at);
		} else if (counts[0] > 0) {
			replies_ended = true;
		}
		if (btypes[k].check(c, b, at) != 0)
			return -1;
	}
	return 0;
}

/* The component types, dispatched by "type". */
static const struct ctype {
	const char *name;
	int (*check)(struct tv *, json_object *, const char *);
} ctypes[] = {
	{ "HEADER", check_header },
	{ "BODY", check_body },
	{ "FOOTER", check_footer },
	{ "BUTTONS", check_buttons },
};
#define NCTYPES (sizeof(ctypes) / sizeof(ctypes[0]))

int
template_validate(const char *category, const char *parameter_format,
    struct json_object *components, struct gerr *err)
{
	static const char *const categories[] = { "MARKETING", "UTILITY",
		"AUTHENTICATION", NULL };
	struct tv c = { .err = err };
	size_t counts[NCTYPES] = { 0 };
	size_t i, k, n;
	char path[PATH_MAX_LEN];

	if (category == NULL)
		return fail(&c, GE_PARAM, "The parameter category is required");
	if (!str_in(categories, category))
		return fail(&c, GE_PARAM,
		    "Param category must be one of "
		    "{MARKETING, UTILITY, AUTHENTICATION} - got \"%s\"",
		    category);
	c.auth = strcmp(category, "AUTHENTICATION") == 0;
	c.utility = strcmp(category, "UTILITY") == 0;
	/* POSITIONAL is Meta's default */
	if (parameter_format != NULL &&
	    strcmp(parameter_format, "POSITIONAL") != 0) {
		if (strcmp(parameter_format, "NAMED") != 0)
			return fail(&c, GE_PARAM,
			    "Param parameter_format must "
			    "be one of {POSITIONAL, NAMED} - got \"%s\"",
			    parameter_format);
		c.named = true;
	}
	if (components == NULL)
		return fail(&c, GE_PARAM,
		    "The parameter components is required");
	if (!json_object_is_type(components, json_type_array))
		return fail(&c, GE_PARAM, "Param components must be an array");
	n = json_object_array_length(components);
	for (i = 0; i < n; i++) {
		json_object *comp = json_object_array_get_idx(components, i);
		const char *type;

		snprintf(path, sizeof(path), "components[%zu]", i);
		if ((type = object_type(&c, comp, path)) == NULL)
			return -1;
		for (k = 0; k < NCTYPES; k++)
			if (strcmp(ctypes[k].name, type) == 0)
				break;
		if (k == NCTYPES)
			return fail(&c, GE_PARAM,
			    "Param %s.type must be one of "
			    "{HEADER, BODY, FOOTER, BUTTONS} - got \"%s\"",
			    path, type);
		if (++counts[k] > 1)
			return fail(&c, GE_PARAM,
			    "Param %s: a template has at "
			    "most one %s",
			    path, type);
		if (ctypes[k].check(&c, comp, path) != 0)
			return -1;
	}
	/* counts[] follows ctypes[]: [1] BODY, [3] BUTTONS */
	if (counts[1] == 0)
		return fail(&c, GE_PARAM,
		    "Param components must have one "
		    "BODY");
	if (c.auth && counts[3] == 0)
		return fail(&c, GE_PARAM,
		    "Param components: an AUTHENTICATION "
		    "template needs a BUTTONS component with one OTP button");
	return 0;
}
