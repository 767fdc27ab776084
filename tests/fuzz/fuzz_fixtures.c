/*
 * fuzz_fixtures.c - libFuzzer target for fixture documents: over a store
 * holding the demo fixtures, any document loads or is refused with an
 * error that names a JSON path ("$..."), and a refused document leaves
 * the store exactly as it was (its export is unchanged).
 * Built and run by tests/fuzz/run.
 *
 * Input: byte 0 picks how the document goes in: as text
 * (fixtures_apply_text), added with generated ids (POST
 * /_emulator/fixtures), or replacing the whole state (PUT
 * /_emulator/state).  The rest is the document.
 */
#include <assert.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "pjson.h"
#include "store.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1750000000LL

static struct store *st;
static struct json_object *boot; /* the demo state, as exported */
static char *boot_text;

static char *
export_text(void)
{
	struct json_object *o = store_export(st);
	char *s;

	assert(o != NULL);
	s = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

static void
setup(void)
{
	struct fixture_error fe = { 0 };
	char *cause = NULL;

	st = store_open(":memory:", 1, &cause);
	if (st == NULL ||
	    fixtures_apply_text(st, demo_fixture_json, demo_fixture_json_len,
	        "demo", NOW, &fe) != 0) {
		fprintf(stderr, "fuzz_fixtures: %s\n",
		    cause ? cause : fe.message);
		abort();
	}
	boot = store_export(st);
	boot_text = export_text();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fixture_error fe = { 0 };
	struct json_object *doc = NULL, *created = NULL;
	const char *text = (const char *)data + 1;
	size_t len;
	char *copy, *why = NULL, *after;
	int rc, mode;

	if (st == NULL)
		setup();
	if (size < 1)
		return 0;
	mode = data[0] % 3;
	len = size - 1;
	/* NULs inside stay: a fixture file may hold them */
	copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	if (mode == 0) {
		rc = fixtures_apply_text(st, copy, len, "fuzz", NOW, &fe);
	} else if ((doc = pjson_parse_doc(copy, len, &why)) == NULL) {
		free(why);
		free(copy);
		return 0;
	} else if (mode == 1) {
		rc = fixtures_apply(st, doc, "fuzz", true, NOW, &created, &fe);
	} else {
		rc = fixtures_replace(st, doc, "fuzz", NOW, &fe);
	}

	if (rc != 0) {
		assert(rc == -1);
		assert(fe.path != NULL && fe.path[0] == '$');
		assert(fe.message != NULL && strstr(fe.message, fe.path));
		after = export_text();
		assert(strcmp(after, boot_text) == 0);
		free(after);
	} else {
		struct fixture_error fe2 = { 0 };

		assert(fe.message == NULL && fe.path == NULL);
		/* back to the demo state for the next input */
		assert(fixtures_replace(st, boot, "boot", NOW, &fe2) == 0);
		after = export_text();
		assert(strcmp(after, boot_text) == 0);
		free(after);
	}
	fixture_error_cleanup(&fe);
	json_object_put(created);
	json_object_put(doc);
	free(copy);
	return 0;
}
