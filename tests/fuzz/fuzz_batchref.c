/*
 * fuzz_batchref.c - libFuzzer target for batch references
 * ({result=name:$.path}, server/handlers/batch.h): any template against
 * any earlier results resolves or is refused with a reason, and a
 * template without references comes back unchanged.
 * Built and run by tests/fuzz/run.
 *
 * Input: the template up to the first newline, then a JSON document: the
 * body of the item named "a".  Its "data" member, when there is one, is
 * the body of "b"; an item "c" failed (no body).
 */
#include <assert.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/batch.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t tlen = nl != NULL ? (size_t)(nl - (const char *)data) : size;
	char *tmpl = xstrndup((const char *)data, tlen);
	struct json_object *a = NULL, *b = NULL;
	struct batch_named named[3];
	struct batch batch = { named, 3 };
	char *out, *why = NULL;

	if (nl != NULL) {
		char *doc = xstrndup(nl + 1, size - tlen - 1);

		a = json_tokener_parse(doc);
		free(doc);
	}
	if (json_object_object_get_ex(a, "data", &b))
		json_object_get(b);
	named[0] = (struct batch_named){ "a", a };
	named[1] = (struct batch_named){ "b", b };
	named[2] = (struct batch_named){ "c", NULL };

	out = batch_resolve_refs(&batch, tmpl, &why);
	if (out != NULL) {
		assert(why == NULL);
		if (strstr(tmpl, "{result=") == NULL)
			assert(strcmp(out, tmpl) == 0);
		free(out);
	} else {
		assert(why != NULL && why[0] != '\0');
		free(why);
	}
	json_object_put(a);
	json_object_put(b);
	free(tmpl);
	return 0;
}
