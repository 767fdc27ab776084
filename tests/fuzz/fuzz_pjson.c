/*
 * fuzz_pjson.c - libFuzzer target for pjson_parse: any input parses or is
 * refused; what parses serialises to strict JSON that parses again.
 * Built and run by tests/fuzz/run.
 */
#include <assert.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>

#include "pjson.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	struct json_object *o = pjson_parse(s);

	if (o != NULL) {
		const char *out = json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN);
		struct json_object *again = pjson_parse(out);

		assert(again != NULL);
		json_object_put(again);
		json_object_put(o);
	}
	free(s);
	return 0;
}
