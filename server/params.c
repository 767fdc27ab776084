/*
 * params.c - see params.h.
 */
#include "params.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Appends name and value, both malloc'd, taking them over. */
static void
add_owned(struct params *ps, char *name, char *value)
{
	if (ps->n >= PARAMS_MAX) {
		ps->overflow = true;
		free(name);
		free(value);
		return;
	}
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 8;
		ps->v = xrealloc(ps->v, ps->cap * sizeof(*ps->v));
	}
	ps->v[ps->n].name = name;
	ps->v[ps->n].value = value;
	ps->v[ps->n].json = false;
	ps->n++;
}

void
params_add(struct params *ps, const char *name, const char *value)
{
	if (ps->n >= PARAMS_MAX) {
		ps->overflow = true;
		return;
	}
	add_owned(ps, xstrdup(name), xstrdup(value));
}

/* params_set() taking over name and value (malloc'd). */
static void
set_owned(struct params *ps, char *name, char *value)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		if (strcmp(ps->v[i].name, name) == 0) {
			free(ps->v[i].value);
			ps->v[i].value = value;
			ps->v[i].json = false;
			free(name);
			return;
		}
	}
	add_owned(ps, name, value);
}

void
params_set_typed(struct params *ps, const char *name, const char *value,
    bool json)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		if (strcmp(ps->v[i].name, name) == 0) {
			free(ps->v[i].value);
			ps->v[i].value = xstrdup(value);
			ps->v[i].json = json;
			return;
		}
	}
	params_add(ps, name, value);
	if (ps->n > 0 && ps->v[ps->n - 1].name != NULL &&
	    strcmp(ps->v[ps->n - 1].name, name) == 0)
		ps->v[ps->n - 1].json = json;
}

void
params_set(struct params *ps, const char *name, const char *value)
{
	params_set_typed(ps, name, value, false);
}

void
params_note_nul(struct params *ps, const char *name, bool in_name)
{
	if (ps->nul != NULL)
		return;
	ps->nul = xstrdup(name);
	ps->nul_in_name = in_name;
}

const char *
params_get(const struct params *ps, const char *name)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].name, name) == 0)
			return ps->v[i].value;
	return NULL;
}

void
params_del(struct params *ps, const char *name)
{
	size_t i = 0;

	while (i < ps->n) {
		if (strcmp(ps->v[i].name, name) == 0) {
			free(ps->v[i].name);
			free(ps->v[i].value);
			memmove(&ps->v[i], &ps->v[i + 1],
			    (ps->n - i - 1) * sizeof(*ps->v));
			ps->n--;
		} else {
			i++;
		}
	}
}

void
params_copy(struct params *dst, const struct params *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		params_set_typed(dst, src->v[i].name, src->v[i].value,
		    src->v[i].json);
	if (src->overflow)
		dst->overflow = true;
	if (src->nul != NULL)
		params_note_nul(dst, src->nul, src->nul_in_name);
}

void
params_cleanup(struct params *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		free(ps->v[i].name);
		free(ps->v[i].value);
	}
	free(ps->v);
	free(ps->nul);
	memset(ps, 0, sizeof(*ps));
}

/*
 * True when s[0..n) decodes to a NUL byte: a raw one, or "%00", which
 * url_decode() always decodes (no escape can swallow its '%').
 */
static bool
decodes_to_nul(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL || has_nul_escape(s, n);
}

void
params_parse_urlencoded(struct params *ps, const char *s, size_t n)
{
	const char *end = s + n, *amp, *eq;

	while (s < end && !ps->overflow) {
		char *name, *value;

		amp = memchr(s, '&', (size_t)(end - s));
		if (amp == NULL)
			amp = end;
		if (amp > s) {
			eq = memchr(s, '=', (size_t)(amp - s));
			if (eq == NULL)
				eq = amp;
			name = url_decode(s, (size_t)(eq - s), true);
			value = eq < amp ?
			    url_decode(eq + 1, (size_t)(amp - eq - 1), true) :
			    xstrdup("");
			if (decodes_to_nul(s, (size_t)(eq - s)))
				params_note_nul(ps, name, true);
			else if (eq < amp &&
			    decodes_to_nul(eq + 1, (size_t)(amp - eq - 1)))
				params_note_nul(ps, name, false);
			if (*name != '\0') {
				set_owned(ps, name, value);
			} else {
				free(name);
				free(value);
			}
		}
		s = amp + 1;
	}
}
