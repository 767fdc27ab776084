/*
 * pjson.c - see pjson.h.  The docs' single-quoted form is rewritten into
 * strict JSON (quotes swapped, embedded double quotes escaped) and handed
 * to json-c, so there is only one JSON parser in the project.
 */
#include "pjson.h"

#include <json-c/json.h>
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
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != (size_t)n) {
		/* trailing garbage is an error, not a second document */
		size_t i = json_tokener_get_parse_end(tok);

		while (obj != NULL && i < n &&
		    (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
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
