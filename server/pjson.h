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
/* Strict JSON only, s[0..n); NULL on any error or trailing garbage. */
struct json_object *pjson_parse_strict(const char *s, size_t n);

#endif
