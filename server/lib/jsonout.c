/*
 * jsonout.c - see jsonout.h.  Only the plain forms are written here:
 * doubles (whose text may be set per object) go through json-c itself.
 */
#include "jsonout.h"

#include <json-c/json.h>
#include <string.h>

#include "util.h"

/* What a byte becomes inside a string: 0 itself, 1 \u00XX, else \c. */
static const char escape[256] = {
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	'b',
	't',
	'n',
	1,
	'f',
	'r',
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	1,
	['"'] = '"',
	['\\'] = '\\',
	['/'] = '/',
};

/* sbuf_add() inlined, without the NUL: jsonout() ends the string once. */
static inline void
put(struct sbuf *sb, const void *p, size_t n)
{
	if (sb->len + n >= sb->cap)
		sbuf_grow(sb, n);
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
}

static inline void
put_ch(struct sbuf *sb, char c)
{
	if (sb->len + 1 >= sb->cap)
		sbuf_grow(sb, 1);
	sb->buf[sb->len++] = c;
}

static void
put_string(struct sbuf *sb, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, from = 0;

	put_ch(sb, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char e = escape[c];

		if (e == 0)
			continue;
		put(sb, s + from, i - from);
		from = i + 1;
		if (e == 1) {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4],
				hex[c & 15] };

			put(sb, u, sizeof(u));
		} else {
			char esc[2] = { '\\', e };

			put(sb, esc, sizeof(esc));
		}
	}
	put(sb, s + from, n - from);
	put_ch(sb, '"');
}

static void
out(struct sbuf *sb, struct json_object *o)
{
	const char *s;
	size_t i, n;
	bool first = true;

	switch (json_object_get_type(o)) {
	case json_type_null:
		put(sb, "null", 4);
		return;
	case json_type_boolean:
		if (json_object_get_boolean(o))
			put(sb, "true", 4);
		else
			put(sb, "false", 5);
		return;
	case json_type_int:
		/* past INT64_MAX the value is unsigned: json-c knows how */
		if (json_object_get_int64(o) != INT64_MAX) {
			sbuf_addint(sb, json_object_get_int64(o));
			return;
		}
		break;
	case json_type_string:
		put_string(sb, json_object_get_string(o),
		    (size_t)json_object_get_string_len(o));
		return;
	case json_type_array:
		put_ch(sb, '[');
		n = json_object_array_length(o);
		for (i = 0; i < n; i++) {
			if (i > 0)
				put_ch(sb, ',');
			out(sb, json_object_array_get_idx(o, i));
		}
		put_ch(sb, ']');
		return;
	case json_type_object:
		put_ch(sb, '{');
		json_object_object_foreach(o, key, val) {
			if (!first)
				put_ch(sb, ',');
			first = false;
			put_string(sb, key, strlen(key));
			put_ch(sb, ':');
			out(sb, val);
		}
		put_ch(sb, '}');
		return;
	case json_type_double:
		break;
	}
	s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &n);
	put(sb, s, n);
}

void
jsonout(struct sbuf *sb, struct json_object *o)
{
	out(sb, o);
	sbuf_grow(sb, 0);
	sb->buf[sb->len] = '\0';
}

void
jsonout_string(struct sbuf *sb, const char *s, size_t n)
{
	put_string(sb, s, n);
	sbuf_grow(sb, 0);
	sb->buf[sb->len] = '\0';
}
