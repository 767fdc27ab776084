/*
 * fuzz_cursor.c - libFuzzer target for paging cursors: any string is
 * decoded or refused, and a cursor that decodes is exactly the one
 * cursor_encode() spells for its keys.  The first 16 bytes, read as two
 * keys, also make a cursor that must decode back to them.
 * Built and run by tests/fuzz/run.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "paging.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	int64_t k1 = 0, k2 = 0, d1, d2;

	if (cursor_decode(s, &k1, &k2) == 0) {
		char *again = cursor_encode(k1, k2);

		assert(strcmp(again, s) == 0);
		free(again);
	}
	free(s);

	if (size >= 16) {
		char *c;

		memcpy(&k1, data, sizeof(k1));
		memcpy(&k2, data + 8, sizeof(k2));
		c = cursor_encode(k1, k2);
		assert(cursor_decode(c, &d1, &d2) == 0);
		assert(d1 == k1 && d2 == k2);
		free(c);
	}
	return 0;
}
