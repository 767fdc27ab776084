/*
 * batch.h - what a batch keeps of its named items, and the resolution of
 * {result=name:$.path} references against them.  batch_post() (batch.c)
 * is the only user; the fuzz target tests/fuzz/fuzz_batchref.c is why
 * this is a header of its own.
 *
 * Ownership: struct batch owns its names and bodies (batch_post frees
 * them); batch_resolve_refs() returns a string the caller frees.
 */
#ifndef WABA_HANDLERS_BATCH_H
#define WABA_HANDLERS_BATCH_H

#include <stddef.h>

struct json_object;

struct batch_named {
	char *name;
	struct json_object *body; /* parsed body, NULL when the item failed */
};

struct batch {
	struct batch_named *v;
	size_t n;
};

/*
 * Replaces each {result=name:$.path} in s with the URL-encoded value the
 * path finds in that named item's body.  Returns a new string, or NULL
 * with *why (caller frees) when a reference is malformed, names no
 * earlier result, or finds nothing.
 */
char *batch_resolve_refs(const struct batch *b, const char *s, char **why);

#endif
