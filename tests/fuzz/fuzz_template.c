/*
 * fuzz_template.c - libFuzzer target for the template component
 * validator: any components, category and parameter_format end in 0 with
 * no error, or -1 with a code-100 error set; never a crash or a leak, and
 * the components are never changed.  Built and run by tests/fuzz/run.
 *
 * Input: one byte choosing category (low 2 bits) and parameter_format
 * (next 2 bits), then the components as JSON.
 */
#include <assert.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gerr.h"
#include "templates/validate.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const categories[] = { "MARKETING", "UTILITY",
	"AUTHENTICATION", NULL };
static const char *const formats[] = { NULL, "POSITIONAL", "NAMED", "named" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener *tok;
	json_object *comps;
	struct gerr err = { 0 };
	char *before;
	int rc;

	if (size < 1)
		return 0;
	tok = json_tokener_new();
	comps = json_tokener_parse_ex(tok, (const char *)data + 1,
	    (int)(size - 1));
	json_tokener_free(tok);
	before = xstrdup(comps ? json_object_to_json_string(comps) : "");
	rc = template_validate(categories[data[0] & 3],
	    formats[(data[0] >> 2) & 3], comps, &err);
	if (rc == 0) {
		assert(err.id == GE_NONE);
	} else {
		assert(rc == -1 && err.id != GE_NONE);
		assert(gerr_code(&err) == 100);
		assert(gerr_message(&err)[0] != '\0');
		assert(gerr_subcode(&err) == 0 || err.user_title != NULL);
	}
	if (comps != NULL)
		assert(strcmp(json_object_to_json_string(comps), before) == 0);
	free(before);
	gerr_clear(&err);
	json_object_put(comps);
	return 0;
}
