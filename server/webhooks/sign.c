/*
 * sign.c - see sign.h.  json-c writes UTF-8 as is; the escaping pass runs
 * on its output, which is safe because a byte above 0x7f can only occur
 * inside a JSON string.
 */
#include "webhooks/sign.h"

#include <json-c/json.h>
#include <nettle/base16.h>
#include <nettle/hmac.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

/* The code point of the UTF-8 sequence at s (n bytes left); *used gets
 * its length.  A malformed byte stands for itself as U+FFFD. */
static uint32_t
utf8_decode(const unsigned char *s, size_t n, size_t *used)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] >= 0xf0 && s[0] < 0xf5) {
		len = 4;
		cp = s[0] & 0x07;
	} else if (s[0] >= 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xc2 && s[0] < 0xe0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else {
		*used = 1;
		return 0xfffd;
	}
	if (len > n) {
		*used = 1;
		return 0xfffd;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*used = 1;
			return 0xfffd;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*used = len;
	return cp;
}

char *
sign_escape(const char *s, size_t n, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	struct sbuf sb = SBUF_INIT;
	size_t i = 0, used;

	sbuf_grow(&sb, n);
	while (i < n) {
		size_t run = i;
		uint32_t cp;

		while (run < n && p[run] < 0x80)
			run++;
		sbuf_add(&sb, p + i, run - i);
		i = run;
		if (i == n)
			break;
		cp = utf8_decode(p + i, n - i, &used);
		i += used;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			sbuf_addf(&sb, "\\u%04x\\u%04x",
			    (unsigned)(0xd800 | (cp >> 10)),
			    (unsigned)(0xdc00 | (cp & 0x3ff)));
		} else {
			sbuf_addf(&sb, "\\u%04x", (unsigned)cp);
		}
	}
	*len = sb.len;
	return sbuf_detach(&sb);
}

char *
sign_body(struct json_object *obj, size_t *len)
{
	size_t n;
	const char *text = json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);

	return sign_escape(text, n, len);
}

void
sign_header(const char *secret, const char *body, size_t len,
    char out[SIGN_HEADER_LEN])
{
	struct hmac_sha256_ctx ctx;
	uint8_t mac[SHA256_DIGEST_SIZE];

	hmac_sha256_set_key(&ctx, strlen(secret), (const uint8_t *)secret);
	hmac_sha256_update(&ctx, len, (const uint8_t *)body);
	hmac_sha256_digest(&ctx, SHA256_DIGEST_SIZE, mac);
	memcpy(out, "sha256=", 7);
	base16_encode_update(out + 7, SHA256_DIGEST_SIZE, mac);
	out[SIGN_HEADER_LEN - 1] = '\0';
}
