/*
 * sha.c - SHA-1, SHA-256 and HMAC-SHA256 (see sha.h), straight from
 * FIPS 180-4 and RFC 2104.  Both hashes share the 64-byte block framing:
 * buffer to a block, pad with 0x80, zeros and the bit length big-endian.
 */
#include "sha.h"

#include <stdint.h>
#include <string.h>

struct sha_ctx {
	uint32_t h[8];
	unsigned char buf[64];
	size_t nbuf;
	uint64_t total; /* bytes hashed so far */
	void (*block)(uint32_t h[8], const unsigned char p[64]);
};

static uint32_t
rol(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

static uint32_t
ror(uint32_t x, int n)
{
	return x >> n | x << (32 - n);
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * The message schedules run in a ring of sixteen words, each new word
 * made as its round needs it: a whole array filled first gets vectorised
 * by GCC into loads that straddle its own stores, three times slower.
 */
static uint32_t
sha1_next(uint32_t w[16], int i)
{
	w[i & 15] = rol(w[(i + 13) & 15] ^ w[(i + 8) & 15] ^
	    w[(i + 2) & 15] ^ w[i & 15], 1);
	return w[i & 15];
}

#define SHA1_W(i) ((i) < 16 ? (w[(i) & 15] = be32(p + 4 * (i))) :      \
	sha1_next(w, (i)))
#define SHA1_F0(b, c, d) ((d) ^ ((b) & ((c) ^ (d))))
#define SHA1_F1(b, c, d) ((b) ^ (c) ^ (d))
#define SHA1_F2(b, c, d) (((b) & (c)) | ((d) & ((b) | (c))))

/*
 * One round, written out eighty times: the five words change roles by
 * renaming rather than moving, which a loop makes GCC do by hand.
 */
#define SHA1_R(a, b, c, d, e, f, k, i)                                    \
	do {                                                              \
		(e) += rol((a), 5) + f((b), (c), (d)) + (k) + SHA1_W(i);  \
		(b) = rol((b), 30);                                       \
	} while (0)
#define SHA1_R5(f, k, i)                                                  \
	do {                                                              \
		SHA1_R(a, b, c, d, e, f, k, (i));                         \
		SHA1_R(e, a, b, c, d, f, k, (i) + 1);                     \
		SHA1_R(d, e, a, b, c, f, k, (i) + 2);                     \
		SHA1_R(c, d, e, a, b, f, k, (i) + 3);                     \
		SHA1_R(b, c, d, e, a, f, k, (i) + 4);                     \
	} while (0)
#define SHA1_R20(f, k, i)                                                 \
	do {                                                              \
		SHA1_R5(f, k, (i));                                       \
		SHA1_R5(f, k, (i) + 5);                                   \
		SHA1_R5(f, k, (i) + 10);                                  \
		SHA1_R5(f, k, (i) + 15);                                  \
	} while (0)

static void
sha1_block(uint32_t h[8], const unsigned char p[64])
{
	uint32_t w[16], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

	SHA1_R20(SHA1_F0, 0x5a827999, 0);
	SHA1_R20(SHA1_F1, 0x6ed9eba1, 20);
	SHA1_R20(SHA1_F2, 0x8f1bbcdc, 40);
	SHA1_R20(SHA1_F1, 0xca62c1d6, 60);
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

static const uint32_t k256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void
sha256_block(uint32_t h[8], const unsigned char p[64])
{
	uint32_t w[16], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4],
	    f = h[5], g = h[6], hh = h[7];
	int i;

	for (i = 0; i < 64; i++) {
		uint32_t wi, t1, t2;

		if (i < 16) {
			wi = w[i] = be32(p + 4 * i);
		} else {
			uint32_t x = w[(i + 1) & 15], y = w[(i + 14) & 15];

			wi = w[i & 15] += (ror(x, 7) ^ ror(x, 18) ^ x >> 3) +
			    w[(i + 9) & 15] +
			    (ror(y, 17) ^ ror(y, 19) ^ y >> 10);
		}
		t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
		    ((e & f) ^ (~e & g)) + k256[i] + wi;
		t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
		    ((a & b) ^ (a & c) ^ (b & c));

		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

static void
sha_update(struct sha_ctx *c, const void *data, size_t len)
{
	const unsigned char *p = data;

	c->total += len;
	if (c->nbuf > 0) {
		size_t n = 64 - c->nbuf < len ? 64 - c->nbuf : len;

		memcpy(c->buf + c->nbuf, p, n);
		c->nbuf += n;
		p += n;
		len -= n;
		if (c->nbuf < 64)
			return;
		c->block(c->h, c->buf);
		c->nbuf = 0;
	}
	for (; len >= 64; p += 64, len -= 64)
		c->block(c->h, p);
	memcpy(c->buf, p, len);
	c->nbuf = len;
}

/* Pads, and writes the first nwords words of the state big-endian. */
static void
sha_final(struct sha_ctx *c, unsigned char *out, int nwords)
{
	uint64_t bits = c->total * 8;
	unsigned char pad[72] = { 0x80 };
	size_t n = (c->nbuf < 56 ? 56 : 120) - c->nbuf;
	int i;

	for (i = 0; i < 8; i++)
		pad[n + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
	sha_update(c, pad, n + 8);
	for (i = 0; i < nwords; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
}

static void
sha1_init(struct sha_ctx *c)
{
	static const uint32_t iv[5] = { 0x67452301, 0xefcdab89, 0x98badcfe,
		0x10325476, 0xc3d2e1f0 };

	memset(c, 0, sizeof(*c));
	memcpy(c->h, iv, sizeof(iv));
	c->block = sha1_block;
}

static void
sha256_init(struct sha_ctx *c)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
		0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memset(c, 0, sizeof(*c));
	memcpy(c->h, iv, sizeof(iv));
	c->block = sha256_block;
}

/* A whole message through init, one update and final. */
static void
sha_once(void (*init)(struct sha_ctx *), const void *data, size_t len,
    unsigned char *out, int nwords)
{
	struct sha_ctx c;

	init(&c);
	sha_update(&c, data, len);
	sha_final(&c, out, nwords);
}

void
sha1(const void *data, size_t len, unsigned char out[SHA1_SIZE])
{
	sha_once(sha1_init, data, len, out, SHA1_SIZE / 4);
}

void
sha256(const void *data, size_t len, unsigned char out[SHA256_SIZE])
{
	sha_once(sha256_init, data, len, out, SHA256_SIZE / 4);
}

/* SHA-256 of the block-sized key XOR fill, followed by msg. */
static void
hmac_pass(const unsigned char k[64], unsigned char fill, const void *msg,
    size_t msglen, unsigned char out[SHA256_SIZE])
{
	unsigned char pad[64];
	struct sha_ctx c;
	int i;

	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ fill;
	sha256_init(&c);
	sha_update(&c, pad, sizeof(pad));
	sha_update(&c, msg, msglen);
	sha_final(&c, out, SHA256_SIZE / 4);
}

void
hmac_sha256(const void *key, size_t keylen, const void *msg, size_t msglen,
    unsigned char out[SHA256_SIZE])
{
	unsigned char k[64] = { 0 }, inner[SHA256_SIZE];

	/* a key longer than a block is replaced by its hash */
	if (keylen > sizeof(k))
		sha256(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);
	hmac_pass(k, 0x36, msg, msglen, inner);
	hmac_pass(k, 0x5c, inner, sizeof(inner), out);
}

void
sha_hex(const unsigned char *md, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}
