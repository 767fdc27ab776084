/*
 * fuzz_jsonout.c - differential libFuzzer target: for any JSON json-c
 * parses, jsonout() writes exactly the bytes json-c's own plain writer
 * does.  Built and run by tests/fuzz/run.
 */
#include <assert.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	if (o != NULL && json_tokener_get_error(tok) == json_tokener_success) {
		struct sbuf sb = { 0 };
		size_t want_len;
		const char *want = json_object_to_json_string_length(o,
		    JSON_C_TO_STRING_PLAIN, &want_len);

		jsonout(&sb, o);
		assert(sb.len == want_len);
		assert(memcmp(sb.buf, want, want_len) == 0);
		sbuf_release(&sb);
	}
	json_object_put(o);
	json_tokener_free(tok);
	return 0;
}
