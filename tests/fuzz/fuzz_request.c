/*
 * fuzz_request.c - libFuzzer target for request_prepare: any target and
 * body, under each Content-Type the parser knows, is parsed or refused
 * with a 100 error; what parses gives a path and valid parameters, and
 * every parameter survives param_array and param_bool.
 * Built and run by tests/fuzz/run.
 *
 * Input: byte 0 picks the method and the Content-Type, then the target
 * up to the first newline, then the body.
 */
#include <assert.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const methods[] = { "GET", "POST", "DELETE", "get" };
static const char *const types[] = {
	NULL,
	"application/x-www-form-urlencoded",
	"application/json",
	"multipart/form-data; boundary=XyZ",
	"Multipart/Form-Data; boundary=\"a b\"",
	"application/json; charset=utf-8",
	"text/plain",
	"multipart/form-data",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request rq;
	const char *s, *nl;
	size_t i, n;

	if (size < 1)
		return 0;
	request_init(&rq);
	rq.method = xstrdup(methods[data[0] & 3]);
	if (types[(data[0] >> 2) & 7] != NULL)
		rq.content_type = xstrdup(types[(data[0] >> 2) & 7]);
	s = (const char *)data + 1;
	n = size - 1;
	nl = memchr(s, '\n', n);
	rq.target = xstrndup(s, nl != NULL ? (size_t)(nl - s) : n);
	if (nl != NULL) {
		rq.body_len = n - (size_t)(nl + 1 - s);
		rq.body = xstrndup(nl + 1, rq.body_len);
	}
	if (request_prepare(&rq) == 0) {
		assert(rq.path != NULL);
		assert(rq.params.n <= PARAMS_MAX);
		for (i = 0; i < rq.params.n; i++) {
			const struct param *p = &rq.params.v[i];
			struct gerr err = { 0 };
			struct json_object *a;
			bool b;

			assert(p->name != NULL && p->value != NULL);
			assert(params_get(&rq.params, p->name) != NULL);
			a = param_array(p->name, p->value, &err);
			assert((a == NULL) == (err.id != GE_NONE));
			json_object_put(a);
			gerr_clear(&err);
			if (param_bool(p->name, p->value, &b, &err) != 0)
				assert(err.id != GE_NONE);
			gerr_clear(&err);
		}
	} else {
		assert(rq.err.id != GE_NONE);
	}
	request_cleanup(&rq);
	return 0;
}
