/*
 * jsonout.h - json-c trees written compactly into an sbuf, byte for byte
 * what json_object_to_json_string_ext(JSON_C_TO_STRING_PLAIN) writes
 * ("/" escaped, as Graph does), without json-c's printbuf: one growing
 * buffer the caller keeps, where json-c grows its own from 32 bytes and
 * the caller then copies it.
 */
#ifndef WABA_JSONOUT_H
#define WABA_JSONOUT_H

#include <stddef.h>

struct json_object;
struct sbuf;

/* Appends o (NULL is null) to sb. */
void jsonout(struct sbuf *sb, struct json_object *o);
/* Appends the n bytes at s to sb as a JSON string, as jsonout() would. */
void jsonout_string(struct sbuf *sb, const char *s, size_t n);

#endif
