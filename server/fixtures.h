/*
 * fixtures.h - fixture documents (docs/fixtures.md):
 * validation with errors that name the source, the JSON path and the
 * problem, defaults, and loading in one transaction (all or nothing).
 *
 * Ownership: returned json objects and error strings are the caller's.
 */
#ifndef WABA_FIXTURES_H
#define WABA_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "objects.h"

struct store;
struct json_object;

/* The demo fixture compiled into the binary (fixtures/demo.json). */
extern const char demo_fixture_json[];
extern const unsigned long demo_fixture_json_len;

struct fixture_error {
	char *
	    message; /* "fixtures/x.json: $.wabas[2].business: unknown business '123'" */
	char *path;    /* "$.wabas[2].business" */
	bool conflict; /* a duplicate id / an id that already exists (409) */
};

void fixture_error_cleanup(struct fixture_error *fe);

/*
 * Validates doc against the format and the store's current contents
 * (references may point at existing objects), applies defaults and
 * inserts everything in one transaction.  With generate_ids, objects
 * without "id" get fresh ones.  now (emulator clock) stamps defaults.
 * Returns 0 with *created = {"wabas":["id",...],...} (may be NULL), or -1
 * with *fe filled and nothing changed.
 */
int fixtures_apply(struct store *st, struct json_object *doc,
    const char *source, bool generate_ids, int64_t now,
    struct json_object **created, struct fixture_error *fe);

/*
 * Told of the rows a load added, inside its transaction, once they are
 * all in: added() runs once per table t that got rows (an array of them,
 * as stored; the hook's to read, not to keep).  -1 with *cause (the
 * loader frees it) undoes the whole load.
 */
struct fixture_hook {
	int (*added)(void *ctx, struct store *st, enum store_table t,
	    struct json_object *rows, int64_t now, char **cause);
	void *ctx;
};

/* fixtures_apply(), with hook told of the new rows (hook may be NULL). */
int fixtures_apply_hooked(struct store *st, struct json_object *doc,
    const char *source, bool generate_ids, int64_t now,
    const struct fixture_hook *hook, struct json_object **created,
    struct fixture_error *fe);

/* fixtures_apply() of {"<table>":[row]}; row is taken over. */
int fixtures_apply_row(struct store *st, const char *table,
    struct json_object *row, const char *source, bool generate_ids, int64_t now,
    struct json_object **created, struct fixture_error *fe);

/* Parses text (JSON; text[len] is its NUL) from source, then applies it. */
int fixtures_apply_text(struct store *st, const char *text, size_t len,
    const char *source, int64_t now, struct fixture_error *fe);

/* Reads a file and applies it. */
int fixtures_apply_file(struct store *st, const char *path, int64_t now,
    struct fixture_error *fe);

/* Replaces the whole state with doc (PUT /_emulator/state, reset). */
int fixtures_replace(struct store *st, struct json_object *doc,
    const char *source, int64_t now, struct fixture_error *fe);

#endif
