/*
 * pjson.h - JSON as the Graph docs write it: strict JSON, or the same with
 * single-quoted strings ("[{'field':'creation_time'}]").
 */
#ifndef WABA_PJSON_H
#define WABA_PJSON_H

#include <stddef.h>

struct json_object;

/* A new json_object, or NULL when s is neither form (or trails garbage). */
struct json_object *pjson_parse(const char *s);
/*
 * A JSON document as fixture files and control-plane bodies are read:
 * strict (no comments, trailing commas or single quotes), valid UTF-8,
 * nothing after it but white space.  text[len] must be the NUL that ends
 * the text.  NULL with *why = "line L, column C: problem" (caller frees)
 * when it is not one.
 */
struct json_object *pjson_parse_doc(const char *text, size_t len, char **why);
/* Strict JSON only, s[0..n); NULL on any error or trailing garbage. */
struct json_object *pjson_parse_strict(const char *s, size_t n);

#endif
