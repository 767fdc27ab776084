/*
 * pjson.c - see pjson.h.  The docs' single-quoted form is rewritten into
 * strict JSON (quotes swapped, embedded double quotes escaped) and handed
 * to json-c, so there is only one JSON parser in the project.
 */
#include "pjson.h"

#include <json-c/json.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

struct json_object *
pjson_parse_strict(const char *s, size_t n)
{
	struct json_tokener *tok = json_tokener_new_ex(32);
	struct json_object *obj;

	if (tok == NULL)
		return NULL;
	/*
	 * The terminating NUL goes in too: without it json-c waits for more
	 * input after a top-level scalar ("123", "true") and returns NULL.
	 */
	obj = json_tokener_parse_ex(tok, s, (int)n + 1);
	if (obj == NULL ||
	    json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != (size_t)n) {
		/* trailing garbage is an error, not a second document */
		size_t i = json_tokener_get_parse_end(tok);

		while (obj != NULL && i < n &&
		    (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
		        s[i] == '\n'))
			i++;
		if (obj == NULL || i < n ||
		    json_tokener_get_error(tok) != json_tokener_success) {
			json_object_put(obj);
			obj = NULL;
		}
	}
	json_tokener_free(tok);
	return obj;
}

struct json_object *
pjson_parse(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	struct json_object *obj;
	size_t n = strlen(s), i;
	char quote = 0;

	if (n > (size_t)1 << 30)
		return NULL;
	obj = pjson_parse_strict(s, n);
	if (obj != NULL || strchr(s, '\'') == NULL)
		return obj;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (quote == 0) {
			if (c == '\'' || c == '"') {
				quote = c;
				sbuf_addch(&sb, '"');
			} else {
				sbuf_addch(&sb, c);
			}
		} else if (c == '\\' && i + 1 < n) {
			if (quote == '\'' && s[i + 1] == '\'') {
				sbuf_addch(&sb, '\'');
			} else {
				sbuf_addch(&sb, c);
				sbuf_addch(&sb, s[i + 1]);
			}
			i++;
		} else if (c == quote) {
			quote = 0;
			sbuf_addch(&sb, '"');
		} else if (c == '"') {
			sbuf_addstr(&sb, "\\\"");
		} else {
			sbuf_addch(&sb, c);
		}
	}
	if (quote != 0) {
		sbuf_release(&sb);
		return NULL;
	}
	obj = pjson_parse_strict(sb.buf ? sb.buf : "", sb.len);
	sbuf_release(&sb);
	return obj;
}

struct json_object *
pjson_parse_doc(const char *text, size_t len, char **why)
{
	struct json_tokener *tok;
	struct json_object *doc;
	enum json_tokener_error jerr;
	const char *problem;
	size_t end, i, line = 1, col = 1;

	*why = NULL;
	if (len > (size_t)INT32_MAX - 1) {
		*why = xstrdup("line 1, column 1: document too large");
		return NULL;
	}
	tok = json_tokener_new();
	/* trailing text is reported below, with a clearer message */
	json_tokener_set_flags(tok,
	    JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
	        JSON_TOKENER_VALIDATE_UTF8);
	/* the NUL after the text ends a top-level number json-c would wait on */
	doc = json_tokener_parse_ex(tok, text, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (doc == NULL) {
		problem = jerr == json_tokener_continue ||
		        jerr == json_tokener_error_parse_eof ?
		    "unexpected end of input" :
		    json_tokener_error_desc(jerr);
	} else {
		while (end < len &&
		    (text[end] == ' ' || text[end] == '\t' ||
		        text[end] == '\r' || text[end] == '\n'))
			end++;
		if (end >= len)
			return doc;
		json_object_put(doc);
		doc = NULL;
		problem = "unexpected text after the document";
	}
	for (i = 0; i < end && i < len; i++) {
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	*why = xasprintf("line %zu, column %zu: %s", line, col, problem);
	return NULL;
}
