/*
 * fields.c - the fields= selection language (see fields.h), parsed by
 * recursive descent:
 *
 *	list     := ws item ws (',' ws item ws)*
 *	item     := name ('.' name '(' argument ')')* ws ('{' list '}')?
 *	name     := [A-Za-z0-9_]+
 *	ws       := [ \t\r\n]*
 *
 * Whitespace is allowed between items, around commas and braces, as
 * people write "id, name" and Graph reads it; never inside a name or a
 * modifier, and an empty item (",," or a trailing comma) is still
 * "Expected name.", as Graph answers.  Errors copy Graph's wording and
 * its 0-based character offsets, checked against captured responses:
 * "Expected name." where a name should start, "Expected end of string
 * instead of "x"." for a stray character after a top-level item,
 * "Expected "(" instead of "x"." after a modifier name, "Expected ")",
 * got end of string" for an unclosed argument, and the duplicate message
 * at the end of the second occurrence.
 *
 * What the captures do not show is decided here: inside {...} a stray
 * character gives "Expected "}" instead of "x"." and an unclosed list
 * "Expected "}", got end of string"; an unknown modifier gives "Unknown
 * modifier NAME." at the modifier's name; a limit that is not a
 * non-negative integer gives "Expected integer instead of "x"." and an
 * alias that is not a name "Expected name.", both at the offending
 * character.  Those meaning errors (and duplicates) are reported only
 * when the whole string is well-formed: Graph reports a syntax error at
 * character 493 of a string that uses modifiers this emulator does not
 * know (since, until, type) long before that point.
 *
 * Modifiers: limit(n), as(name), start(raw), end(raw), granularity(raw),
 * fields(list) (the old spelling of {list}) and summary(raw): true, 1 or
 * total_count ask a nested list edge for its "summary":{"total_count"},
 * anything else for none.
 */
#include "fields.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Deeper nesting than any node type has is refused before the stack is. */
#define FIELDS_MAX_DEPTH 32
/* limit(n) saturates here; Graph's own maximum per edge is far lower. */
#define FIELDS_MAX_LIMIT 1000000000L

struct fparser {
	const char *s; /* the whole string, echoed in every message */
	size_t pos;    /* next character */
	int depth;
	struct gerr *err;
	char *late; /* first meaning error, NULL when none */
	size_t late_pos;
};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
skip_space(struct fparser *p)
{
	while (is_space(p->s[p->pos]))
		p->pos++;
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* A syntax error: reported at once, ends the parse. */
static int
syntax(struct fparser *p, size_t pos, const char *what)
{
	return gerr_set(p->err, GE_SYNTAX,
	    "Syntax error \"%s\" at character "
	    "%zu: %s",
	    what, pos, p->s);
}

/* A meaning error: kept (the first by position) until the end. */
static void
late(struct fparser *p, size_t pos, char *what)
{
	if (p->late == NULL || pos < p->late_pos) {
		free(p->late);
		p->late = what;
		p->late_pos = pos;
	} else {
		free(what);
	}
}

/* The character at pos as text: a whole UTF-8 sequence when valid. */
static char *
char_at(const char *s, size_t pos)
{
	unsigned char c = (unsigned char)s[pos];
	size_t n = 1, i;

	if ((c & 0xe0) == 0xc0)
		n = 2;
	else if ((c & 0xf0) == 0xe0)
		n = 3;
	else if ((c & 0xf8) == 0xf0)
		n = 4;
	for (i = 1; i < n; i++)
		if (s[pos + i] == '\0')
			break;
	if (i < n || !utf8_valid(s + pos, n))
		n = 1;
	return xstrndup(s + pos, n);
}

/* "Expected X instead of "c"." or "Expected X, got end of string". */
static int
expected(struct fparser *p, const char *x)
{
	char *msg;
	int rc;

	if (p->s[p->pos] == '\0') {
		msg = xasprintf("Expected %s, got end of string", x);
	} else {
		char *c = char_at(p->s, p->pos);

		msg = xasprintf("Expected %s instead of \"%s\".", x, c);
		free(c);
	}
	rc = syntax(p, p->pos, msg);
	free(msg);
	return rc;
}

/* Scans a name at p->pos; its length, or -1 with "Expected name.". */
static int
scan_name(struct fparser *p, size_t *len)
{
	size_t n = 0;

	while (is_name_char(p->s[p->pos + n]))
		n++;
	*len = n;
	if (n == 0) {
		syntax(p, p->pos, "Expected name.");
		return -1;
	}
	return 0;
}

static void
field_clear(struct field *f)
{
	free(f->name);
	free(f->alias);
	free(f->start);
	free(f->end);
	free(f->granularity);
	fieldlist_free(f->sub);
}

void
fieldlist_free(struct fieldlist *fl)
{
	size_t i;

	if (fl == NULL)
		return;
	for (i = 0; i < fl->n; i++)
		field_clear(&fl->v[i]);
	free(fl->v);
	free(fl);
}

const struct field *
fieldlist_find(const struct fieldlist *fl, const char *name)
{
	size_t i;

	if (fl == NULL)
		return NULL;
	for (i = 0; i < fl->n; i++)
		if (strcmp(fl->v[i].name, name) == 0)
			return &fl->v[i];
	return NULL;
}

static int parse_list(struct fparser *p, char close, struct fieldlist **out);

/* limit(arg): digits only. */
static void
set_limit(struct fparser *p, struct field *f, const char *arg, size_t len,
    size_t at)
{
	long v = 0;
	size_t i;

	for (i = 0; i < len && arg[i] >= '0' && arg[i] <= '9'; i++)
		v = v >= FIELDS_MAX_LIMIT / 10 ? FIELDS_MAX_LIMIT :
		                                 v * 10 + (arg[i] - '0');
	if (len == 0 || i < len) {
		char *c = char_at(p->s, at + i);

		late(p, at + i,
		    xasprintf("Expected integer instead of "
		              "\"%s\".",
		        c));
		free(c);
		return;
	}
	f->limit = v;
}

/* as(arg): a name. */
static void
set_alias(struct fparser *p, struct field *f, const char *arg, size_t len,
    size_t at)
{
	size_t i;

	for (i = 0; i < len && is_name_char(arg[i]); i++)
		;
	if (len == 0 || i < len) {
		late(p, at + i, xstrdup("Expected name."));
		return;
	}
	free(f->alias);
	f->alias = xstrndup(arg, len);
}

/*
 * One modifier after its '.': the name, '(' and the argument up to the
 * matching ')'.  fields(...) is parsed as a list.
 */
static int
parse_modifier(struct fparser *p, struct field *f)
{
	size_t mpos = p->pos, mlen, apos, alen, n;
	const char *m = p->s + mpos, *arg;
	int nest = 0;

	if (scan_name(p, &mlen) < 0)
		return -1;
	p->pos += mlen;
	if (p->s[p->pos] != '(')
		return expected(p, "\"(\"");
	p->pos++;
	if (mlen == 6 && strncmp(m, "fields", 6) == 0) {
		fieldlist_free(f->sub);
		f->sub = NULL;
		return parse_list(p, ')', &f->sub);
	}
	apos = p->pos;
	for (n = apos; p->s[n] != '\0'; n++) {
		if (p->s[n] == '(')
			nest++;
		else if (p->s[n] == ')' && nest-- == 0)
			break;
	}
	p->pos = n;
	if (p->s[n] == '\0')
		return expected(p, "\")\"");
	p->pos++;
	arg = p->s + apos;
	alen = n - apos;

#define IS(lit) (mlen == sizeof(lit) - 1 && strncmp(m, lit, mlen) == 0)
	if (IS("limit")) {
		set_limit(p, f, arg, alen, apos);
	} else if (IS("as")) {
		set_alias(p, f, arg, alen, apos);
	} else if (IS("start")) {
		free(f->start);
		f->start = xstrndup(arg, alen);
	} else if (IS("end")) {
		free(f->end);
		f->end = xstrndup(arg, alen);
	} else if (IS("granularity")) {
		free(f->granularity);
		f->granularity = xstrndup(arg, alen);
	} else if (IS("summary")) {
		f->summary = (alen == 4 && strncmp(arg, "true", 4) == 0) ||
		    (alen == 1 && arg[0] == '1') ||
		    (alen == 11 && strncmp(arg, "total_count", 11) == 0);
	} else {
		late(p, mpos,
		    xasprintf("Unknown modifier %.*s.", (int)mlen, m));
	}
#undef IS
	return 0;
}

/* An item; at is where it began, spaces before it included. */
static int
parse_item(struct fparser *p, struct field *f, size_t at)
{
	size_t len;

	memset(f, 0, sizeof(*f));
	f->limit = -1;
	if (scan_name(p, &len) < 0) {
		/* an empty item is reported where it began: "name,\n" at 5 */
		gerr_clear(p->err);
		return syntax(p, at, "Expected name.");
	}
	f->name = xstrndup(p->s + p->pos, len);
	p->pos += len;
	while (p->s[p->pos] == '.') {
		p->pos++;
		if (parse_modifier(p, f) < 0)
			return -1;
	}
	/* one {...} only, and not after .fields(...); "edge {a}" too */
	len = p->pos;
	skip_space(p);
	if (p->s[p->pos] == '{' && f->sub == NULL) {
		p->pos++;
		return parse_list(p, '}', &f->sub);
	}
	p->pos = len;
	return 0;
}

/* The name an item answers under. */
static const char *
field_key(const struct field *f)
{
	return f->alias != NULL ? f->alias : f->name;
}

struct keyref {
	const char *key;
	size_t idx;
};

static int
keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * Duplicate keys at one level; sorted so a long list costs n log n.  The
 * error names the first second-occurrence in string order, at its end.
 */
static void
check_duplicates(struct fparser *p, const struct fieldlist *fl,
    const size_t *ends)
{
	struct keyref *r;
	size_t i, first = 0, dup = (size_t)-1;

	if (fl->n < 2)
		return;
	r = xmalloc(fl->n * sizeof(*r));
	for (i = 0; i < fl->n; i++) {
		r[i].key = field_key(&fl->v[i]);
		r[i].idx = i;
	}
	qsort(r, fl->n, sizeof(*r), keyref_cmp);
	for (i = 1; i < fl->n; i++) {
		if (strcmp(r[i].key, r[i - 1].key) != 0)
			first = i;
		else if (i == first + 1 && r[i].idx < dup)
			dup = r[i].idx; /* the second of its group */
	}
	free(r);
	if (dup != (size_t)-1)
		late(p, ends[dup],
		    xasprintf("Field %s specified more than "
		              "once. This is only possible before version 2.1",
		        field_key(&fl->v[dup])));
}

/*
 * A list up to close: '\0' at the top, '}' for {...}, ')' for
 * fields(...).  The closing character is consumed.
 */
static int
parse_list(struct fparser *p, char close, struct fieldlist **out)
{
	struct fieldlist *fl = xcalloc(1, sizeof(*fl));
	size_t cap = 0, *ends = NULL, at;
	int rc = -1;

	if (++p->depth > FIELDS_MAX_DEPTH) {
		syntax(p, p->pos, "Fields nested too deeply.");
		goto out;
	}
	for (;;) {
		char c;

		if (fl->n == cap) {
			cap = cap ? cap * 2 : 8;
			fl->v = xrealloc(fl->v, cap * sizeof(*fl->v));
			ends = xrealloc(ends, cap * sizeof(*ends));
		}
		at = p->pos;
		skip_space(p);
		if (parse_item(p, &fl->v[fl->n], at) < 0) {
			/* a half-built item still owns what it parsed */
			fl->n++;
			goto out;
		}
		ends[fl->n++] = p->pos;
		skip_space(p);
		c = p->s[p->pos];
		if (c == ',') {
			p->pos++;
			continue;
		}
		if (c == close) {
			if (c != '\0')
				p->pos++;
			break;
		}
		if (close == '\0')
			expected(p, "end of string");
		else
			expected(p, close == '}' ? "\"}\"" : "\")\"");
		goto out;
	}
	check_duplicates(p, fl, ends);
	rc = 0;
out:
	p->depth--;
	free(ends);
	if (rc < 0) {
		fieldlist_free(fl);
		fl = NULL;
	}
	*out = fl;
	return rc;
}

int
fields_parse(const char *s, struct fieldlist **out, struct gerr *err)
{
	struct fparser p = { .s = s, .err = err };
	int rc;

	*out = NULL;
	if (s == NULL || *s == '\0') {
		/* an empty selection: the caller's defaults */
		*out = xcalloc(1, sizeof(**out));
		return 0;
	}
	rc = parse_list(&p, '\0', out);
	if (rc == 0 && p.late != NULL) {
		syntax(&p, p.late_pos, p.late);
		fieldlist_free(*out);
		*out = NULL;
		rc = -1;
	}
	free(p.late);
	return rc;
}
