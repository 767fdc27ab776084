/*
 * fuzz_filter.c - libFuzzer target for filtering= and sort=: any input is
 * accepted into consistent filters or refused with a 100, never a crash
 * or a leak.  Built and run by tests/fuzz/run.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const ownership[] = { "SELF", "CLIENT_OWNED", "ON_BEHALF_OF",
	NULL };
static const char *const modes[] = { "SANDBOX", "LIVE", NULL };

static const struct filter_spec specs[] = {
	{ "creation_time",
	    FOP_LESS_THAN | FOP_GREATER_THAN | FOP_IN_RANGE | FOP_EQUAL |
	        FOP_IN,
	    NULL },
	{ "ownership_type", FOP_IN | FOP_EQUAL, ownership },
	{ "account_mode", FOP_EQUAL | FOP_IN | FOP_LESS_THAN, modes },
	{ NULL, 0, NULL },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	struct filter *f = NULL;
	struct gerr err = { 0 };
	size_t n = 0;
	bool desc;

	if (filter_parse(s, specs, &f, &n, &err) == 0) {
		size_t i;

		for (i = 0; i < n; i++) {
			const struct filter_spec *sp;

			for (sp = specs; sp->field != NULL; sp++)
				if (sp->field == f[i].field)
					break;
			assert(sp->field != NULL);
			assert((sp->ops & f[i].op) != 0);
			assert(f[i].nvalues > 0 || f[i].op == FOP_IN);
			if (f[i].op == FOP_IN_RANGE)
				assert(f[i].nvalues == 2 && f[i].lo <= f[i].hi);
		}
		filters_free(f, n);
	} else {
		assert(f == NULL && n == 0);
		assert(gerr_code(&err) == 100);
	}
	gerr_clear(&err);
	if (sort_parse(s, &desc, &err) != 0)
		assert(gerr_code(&err) == 100);
	gerr_clear(&err);
	free(s);
	return 0;
}
