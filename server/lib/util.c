/*
 * util.c - see util.h.  Allocation failure aborts: an emulator that ran out
 * of memory has nothing useful left to say to its client.
 */
#include "util.h"

#include <nettle/base64.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
oom(void)
{
	fputs("waba-emulator: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_vaddf(&sb, fmt, ap);
	return sbuf_detach(&sb);
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void
sbuf_grow(struct sbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	/*
	 * The first allocation is what is asked for: doubling 64 up to
	 * 1024 would cross glibc's 1008-byte line, past which every
	 * malloc() first consolidates the fast bins.
	 */
	if (sb->cap == 0)
		sb->cap = need < 64 ? 64 : need;
	while (sb->cap < need)
		sb->cap *= 2;
	sb->buf = xrealloc(sb->buf, sb->cap);
}

void
sbuf_add(struct sbuf *sb, const void *data, size_t n)
{
	sbuf_grow(sb, n);
	if (n)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
sbuf_addstr(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void
sbuf_addch(struct sbuf *sb, char c)
{
	sbuf_add(sb, &c, 1);
}

void
sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0)
		oom();
	sbuf_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, again);
	va_end(again);
	sb->len += (size_t)n;
}

void
sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

char *
put_decimal(char *p, long long v)
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	                               (unsigned long long)v;
	unsigned long long w;
	char *end;

	/* counted first, then written in place: a memcpy() call for a few
	 * digits cost more than the digits (a dozen calls per request) */
	if (v < 0)
		*p++ = '-';
	for (end = p + 1, w = u; w >= 10; w /= 10)
		end++;
	p = end;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	return end;
}

void
sbuf_addint(struct sbuf *sb, long long v)
{
	char buf[24];
	char *end = put_decimal(buf, v);

	sbuf_add(sb, buf, (size_t)(end - buf));
}

char *
sbuf_detach(struct sbuf *sb)
{
	char *p = sb->buf ? sb->buf : xstrdup("");

	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void
sbuf_release(struct sbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
bytes_clear(const char *s, size_t n, unsigned char below, const bool stop[256])
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < below || stop[(unsigned char)s[i]])
			return false;
	return true;
}

/* memchr() to each '%': glibc's memmem() costs more to set up than this
 * takes over a whole request target */
bool
has_nul_escape(const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	while ((p = memchr(p, '%', (size_t)(end - p))) != NULL) {
		if (end - p >= 3 && p[1] == '0' && p[2] == '0')
			return true;
		p++;
	}
	return false;
}

char *
url_decode(const char *s, size_t n, bool plus_is_space)
{
	char *out = xmalloc(n + 1), *o = out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			*o++ = (char)(hexval((unsigned char)s[i + 1]) * 16 +
			    hexval((unsigned char)s[i + 2]));
			i += 2;
		} else if (s[i] == '+' && plus_is_space) {
			*o++ = ' ';
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

void
url_encode(struct sbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			sbuf_addch(sb, (char)c);
		} else {
			sbuf_addch(sb, '%');
			sbuf_addch(sb, hex[c >> 4]);
			sbuf_addch(sb, hex[c & 15]);
		}
	}
}

/*
 * base64url (RFC 4648, section 5) by Nettle.  Nettle pads on encode and,
 * on decode, takes '=' padding and skips white space; cursors and ids
 * have always been written and read here without either, so both are
 * kept out.
 */
static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void
b64url_encode_to(char *out, const void *data, size_t n)
{
	struct base64_encode_ctx ctx;
	char tail[BASE64_ENCODE_FINAL_LENGTH];
	size_t o;

	base64url_encode_init(&ctx);
	o = base64_encode_update(&ctx, out, n, data);
	/* the last digit, if any, without the '=' that follow it */
	if (base64_encode_final(&ctx, tail) > 0)
		out[o++] = tail[0];
	out[o] = '\0';
}

char *
b64url_encode(const void *data, size_t n)
{
	char *out = xmalloc((n * 4 + 2) / 3 + 1);

	b64url_encode_to(out, data, n);
	return out;
}

/*
 * Any leftover bits are dropped, as they always were; a length of 4k + 1
 * leaves six, no byte.
 */
unsigned char *
b64url_decode(const char *s, size_t *out_len)
{
	struct base64_decode_ctx ctx;
	size_t n = strlen(s), o;
	unsigned char *out;

	if (n % 4 == 1 || s[strspn(s, b64url_alphabet)] != '\0')
		return NULL;
	out = xmalloc(BASE64_DECODE_LENGTH(n) + 1);
	o = BASE64_DECODE_LENGTH(n);
	base64url_decode_init(&ctx);
	if (!base64_decode_update(&ctx, &o, out, n, s)) {
		free(out);
		return NULL;
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

bool
is_graph_version(const char *s)
{
	const char *p = s;

	if (*p++ != 'v' || *p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p++ != '.' || *p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0' && p - s < 16;
}

bool
is_numeric_id(const char *s)
{
	size_t n = 0;

	if (s == NULL || *s == '\0')
		return false;
	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9' || n >= 18)
			return false;
	return true;
}

int64_t
parse_id(const char *s)
{
	int64_t v = 0;
	size_t n;

	/* one pass: ids are read several times a request, under the lock */
	if (s == NULL || *s == '\0')
		return -1;
	for (n = 0; s[n] != '\0'; n++) {
		unsigned d = (unsigned)(unsigned char)s[n] - '0';

		if (d > 9 || n >= 18)
			return -1;
		v = v * 10 + (int64_t)d;
	}
	return v;
}

int64_t
parse_id_exact(const char *s)
{
	/* "04" and "4" would name one object: only the second is its id */
	if (s == NULL || s[0] == '0')
		return -1;
	return parse_id(s);
}

uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

bool
utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len, k;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + len > n)
			return false;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

bool
str_in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

bool
str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}
