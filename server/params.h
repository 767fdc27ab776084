/*
 * params.h - ordered name/value lists: a query string, a form body, and
 * the parameters of a request merged from both (params.c).
 *
 * Ownership: a struct params owns every name and value in it;
 * params_cleanup() frees them.  Callers pass and get borrowed strings.
 */
#ifndef WABA_PARAMS_H
#define WABA_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

struct param {
	char *name;
	char *value;
	bool json; /* value is the JSON text of a non-string JSON member */
};

/*
 * An ordered list of name/value pairs; later params_set() replaces.  It
 * holds at most PARAMS_MAX pairs: more set overflow and are dropped, so a
 * body of a hundred thousand fields costs nothing but a 100 error.
 */
#define PARAMS_MAX 1000

struct params {
	struct param *v;
	size_t n;
	size_t cap;
	bool overflow;
	/*
	 * The first parameter whose name or value held a NUL byte, cut at
	 * it, and which of the two held it: C strings would silently cut the
	 * value there, so the request is refused instead.  NULL when none.
	 */
	char *nul;
	bool nul_in_name;
};

void params_add(struct params *ps, const char *name, const char *value);
void params_set(struct params *ps, const char *name, const char *value);
/* params_set() that also records whether value came as JSON text. */
void params_set_typed(struct params *ps, const char *name, const char *value,
    bool json);
/* Records that parameter name held a NUL byte (the first one counts). */
void params_note_nul(struct params *ps, const char *name, bool in_name);
const char *params_get(const struct params *ps, const char *name);
void params_del(struct params *ps, const char *name);
void params_copy(struct params *dst, const struct params *src);
void params_cleanup(struct params *ps);
/*
 * Parses a=b&c=d ('+' is a space, %XX decoded) into ps with params_set; a
 * raw NUL or a %00 is noted with params_note_nul().
 */
void params_parse_urlencoded(struct params *ps, const char *s, size_t n);

#endif
