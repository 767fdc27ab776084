/*
 * util.h - allocation wrappers that abort, a growable string buffer and
 * the URL and base64url codecs every module shares.
 *
 * Ownership: every x* allocator returns memory the caller frees with free().
 * A struct sbuf owns its buffer; sbuf_release() frees it, sbuf_detach()
 * hands it to the caller.
 */
#ifndef WABA_UTIL_H
#define WABA_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* xasprintf() with a va_list (ap is used up): the printf-style setters'. */
char *xvasprintf(const char *fmt, va_list ap);

struct sbuf {
	char *buf; /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

/* clang-format off */
#define SBUF_INIT { NULL, 0, 0 }
/* clang-format on */

/* Makes room for extra more bytes (and the NUL) in one step. */
void sbuf_grow(struct sbuf *sb, size_t extra);
void sbuf_add(struct sbuf *sb, const void *data, size_t n);
void sbuf_addstr(struct sbuf *sb, const char *s);
void sbuf_addch(struct sbuf *sb, char c);
/* sbuf_addf() with a va_list (ap is used up). */
void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends v in decimal; cheap enough for every response header. */
void sbuf_addint(struct sbuf *sb, long long v);
/* Writes v in decimal at p (20 bytes at most, no NUL); returns the end. */
char *put_decimal(char *p, long long v);
/* Returns the buffer (never NULL: "" when empty) and resets sb. */
char *sbuf_detach(struct sbuf *sb);
void sbuf_release(struct sbuf *sb);

/*
 * Percent-decodes s[0..n) into a new string; plus_is_space turns '+' into
 * ' ' (query strings and form bodies).  Malformed escapes are kept as is.
 */
char *url_decode(const char *s, size_t n, bool plus_is_space);
/* True when s[0..n) holds "%00", which url_decode() turns into a NUL. */
bool has_nul_escape(const char *s, size_t n);
/*
 * Whether none of s[0..n) is below `below` or marked in stop, a table by
 * byte value: the quick test before a byte-by-byte rewrite that would
 * change nothing.
 */
bool bytes_clear(const char *s, size_t n, unsigned char below,
    const bool stop[256]);
/* Appends s percent-encoded for a query component (RFC 3986 unreserved kept). */
void url_encode(struct sbuf *sb, const char *s);

/* base64url without padding, caller frees. */
char *b64url_encode(const void *data, size_t n);
/* The same into out, which holds at least (n * 4 + 2) / 3 + 1 bytes. */
void b64url_encode_to(char *out, const void *data, size_t n);
/*
 * The bytes of s, NUL-terminated, their count in *out_len; caller frees.
 * NULL when s holds anything but the 64 digits ('=' and white space
 * included) or has a length of 4k + 1.
 */
unsigned char *b64url_decode(const char *s, size_t *out_len);

/* True when s is a Graph version, "v" digits "." digits, under 16 bytes. */
bool is_graph_version(const char *s);

/* True when s is 1..18 ASCII digits (ids fit in int64). */
bool is_numeric_id(const char *s);
/* Whether s is one of list (NULL-terminated). */
bool str_in(const char *const *list, const char *s);
/* Whether a and b are equal strings or both NULL. */
bool str_same(const char *a, const char *b);
/* Parses a numeric id; -1 when s is not one. */
int64_t parse_id(const char *s);
/*
 * An id as a client may write one, in a path or a parameter: 1 to 18
 * digits without a leading zero, so one object has one spelling.  -1
 * otherwise (signs, blanks, "0", "04").
 */
int64_t parse_id_exact(const char *s);

/* splitmix64: the one deterministic mixer behind ids and trace ids. */
uint64_t mix64(uint64_t x);

/* True when s[0..n) is well-formed UTF-8. */
bool utf8_valid(const char *s, size_t n);
/* The characters (code points) of s, which is valid UTF-8. */
size_t utf8_chars(const char *s);

#endif
