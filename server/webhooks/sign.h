/*
 * sign.h - the bytes of a webhook delivery and their signature.
 *
 * Meta signs the body exactly as sent, with every non-ASCII character
 * written as a \uXXXX escape; a receiver checks the HMAC over the raw
 * bytes, so the body is produced once here and sent as is.
 */
#ifndef WABA_WEBHOOKS_SIGN_H
#define WABA_WEBHOOKS_SIGN_H

#include <stddef.h>

struct json_object;

/* "sha256=" + 64 hex digits + NUL */
#define SIGN_HEADER_LEN (7 + 64 + 1)

/*
 * obj as compact JSON, ASCII only: UTF-8 sequences become \uXXXX (a pair of
 * surrogates above U+FFFF), "/" stays unescaped.  The caller frees the
 * result; *len gets its length.
 */
char *sign_body(struct json_object *obj, size_t *len);
/* Appends s[0..n) to a new string with non-ASCII escaped; see sign_body(). */
char *sign_escape(const char *s, size_t n, size_t *len);
/* out = "sha256=<lowercase hex HMAC-SHA256(secret, body)>". */
void sign_header(const char *secret, const char *body, size_t len,
    char out[SIGN_HEADER_LEN]);

#endif
