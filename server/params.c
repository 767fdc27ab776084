/*
 * params.c - ordered name/value lists (see request.h): query strings, form
 * bodies and the merged parameters of a request.
 */
#include <stdlib.h>
#include <string.h>

#include "request.h"
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
			free(name);
			return;
		}
	}
	add_owned(ps, name, value);
}

void
params_set(struct params *ps, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		if (strcmp(ps->v[i].name, name) == 0) {
			free(ps->v[i].value);
			ps->v[i].value = xstrdup(value);
			return;
		}
	}
	params_add(ps, name, value);
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
		params_set(dst, src->v[i].name, src->v[i].value);
	if (src->overflow)
		dst->overflow = true;
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
	memset(ps, 0, sizeof(*ps));
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
			if (eq == NULL) {
				name = url_decode(s, (size_t)(amp - s), true);
				value = xstrdup("");
			} else {
				name = url_decode(s, (size_t)(eq - s), true);
				value = url_decode(eq + 1,
				    (size_t)(amp - eq - 1), true);
			}
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
