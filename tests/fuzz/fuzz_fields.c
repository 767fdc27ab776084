/*
 * fuzz_fields.c - libFuzzer target for the fields= parser: any input
 * either parses into a well-formed tree or fails with a 2500 whose
 * offset lies inside the string.  Built and run by tests/fuzz/run.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_tree(const struct fieldlist *fl, int depth)
{
	size_t i;

	assert(depth <= 64);
	for (i = 0; i < fl->n; i++) {
		const struct field *f = &fl->v[i];
		const char *c;

		assert(f->name != NULL && f->name[0] != '\0');
		for (c = f->name; *c; c++)
			assert(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
			              "OPQRSTUVWXYZ0123456789_",
			           *c) != NULL);
		assert(f->limit >= -1);
		assert(f->alias == NULL || f->alias[0] != '\0');
		assert(fieldlist_find(fl, f->name) != NULL);
		if (f->sub != NULL) {
			assert(f->sub->n > 0);
			check_tree(f->sub, depth + 1);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	struct fieldlist *fl = NULL;
	struct gerr err = { 0 };

	if (fields_parse(s, &fl, &err) == 0) {
		assert(fl != NULL);
		assert(err.id == GE_NONE);
		check_tree(fl, 0);
		fieldlist_free(fl);
	} else {
		const char *m = gerr_message(&err), *at;
		unsigned long pos;

		assert(fl == NULL);
		assert(gerr_code(&err) == 2500);
		assert(strncmp(m, "Syntax error \"", 14) == 0);
		at = strstr(m, "\" at character ");
		assert(at != NULL);
		pos = strtoul(at + 15, NULL, 10);
		assert(pos <= strlen(s));
	}
	gerr_clear(&err);
	free(s);
	return 0;
}
