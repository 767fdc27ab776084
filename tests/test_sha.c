/*
 * test_sha.c - SHA-1, SHA-256 and HMAC-SHA256 against the published test
 * vectors (FIPS 180 examples, RFC 4231), and against OpenSSL for every
 * length around the block and padding edges; the ETag and
 * appsecret_proof built on them.
 */
#include <check.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etag.h"
#include "proof.h"
#include "sha.h"
#include "suite.h"

static void
hex(const unsigned char *md, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

/* A digest (n bytes) against the hex the vector gives. */
static void
check_hex(const unsigned char *md, size_t n, const char *want)
{
	char got[2 * SHA256_SIZE + 1];

	hex(md, n, got);
	ck_assert_str_eq(got, want);
}

static void
check_sha1(const char *msg, size_t len, const char *want)
{
	unsigned char md[SHA1_SIZE];

	sha1(msg, len, md);
	check_hex(md, sizeof(md), want);
}

static void
check_sha256(const char *msg, size_t len, const char *want)
{
	unsigned char md[SHA256_SIZE];

	sha256(msg, len, md);
	check_hex(md, sizeof(md), want);
}

static void
check_hmac(const void *key, size_t keylen, const char *msg,
    const char *want)
{
	unsigned char md[SHA256_SIZE];

	hmac_sha256(key, keylen, msg, strlen(msg), md);
	check_hex(md, sizeof(md), want);
}

static const char two_blocks[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

START_TEST(test_sha1_vectors)
{
	char *million = malloc(1000000);

	check_sha1("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check_sha1("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	check_sha1(two_blocks, strlen(two_blocks),
	    "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	ck_assert_ptr_nonnull(million);
	memset(million, 'a', 1000000);
	check_sha1(million, 1000000,
	    "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	free(million);
}
END_TEST

START_TEST(test_sha256_vectors)
{
	char *million = malloc(1000000);

	check_sha256("", 0, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	check_sha256("abc", 3, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	check_sha256(two_blocks, strlen(two_blocks),
	    "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
	ck_assert_ptr_nonnull(million);
	memset(million, 'a', 1000000);
	check_sha256(million, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0");
	free(million);
}
END_TEST

/* RFC 4231, test cases 1, 2, 6 and 7 (7 and 6 have 131-byte keys). */
START_TEST(test_hmac_vectors)
{
	unsigned char key[131];

	memset(key, 0x0b, 20);
	check_hmac(key, 20, "Hi There", "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7");
	check_hmac("Jefe", 4, "what do ya want for nothing?",
	    "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	memset(key, 0xaa, sizeof(key));
	check_hmac(key, sizeof(key), "Test Using Larger Than Block-Size Key "
	    "- Hash Key First", "60e431591ee0b67f0d8a26aacbf5b77f"
	    "8e0bc6213728c5140546040f0ee37f54");
	check_hmac(key, sizeof(key), "This is a test using a larger than "
	    "block-size key and a larger than block-size data. The key needs "
	    "to be hashed before being used by the HMAC algorithm.",
	    "9b09ffa71b942fcb27635fbcd5b0e944"
	    "bfdc63644f0713938a7f51535c3a35e2");
}
END_TEST

/* Every length from 0 to 300 bytes, cut through the padding edges. */
START_TEST(test_same_as_openssl)
{
	unsigned char data[300], key[150];
	unsigned char a[EVP_MAX_MD_SIZE], b[EVP_MAX_MD_SIZE];
	unsigned int n;
	size_t len, i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 131 + 7);
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(i * 29 + 3);
	for (len = 0; len <= sizeof(data); len++) {
		sha1(data, len, a);
		ck_assert_int_eq(EVP_Digest(data, len, b, &n, EVP_sha1(),
		    NULL), 1);
		ck_assert_msg(memcmp(a, b, SHA1_SIZE) == 0, "sha1 of %zu",
		    len);
		sha256(data, len, a);
		ck_assert_int_eq(EVP_Digest(data, len, b, &n, EVP_sha256(),
		    NULL), 1);
		ck_assert_msg(memcmp(a, b, SHA256_SIZE) == 0,
		    "sha256 of %zu", len);
		i = len % sizeof(key);
		hmac_sha256(key, i, data, len, a);
		ck_assert_ptr_nonnull(HMAC(EVP_sha256(), key, (int)i, data,
		    len, b, &n));
		ck_assert_msg(memcmp(a, b, SHA256_SIZE) == 0,
		    "hmac of %zu with a %zu-byte key", len, i);
	}
}
END_TEST

START_TEST(test_etag_and_proof)
{
	char tag[ETAG_SIZE], *p;

	etag_of("abc", 3, tag);
	ck_assert_str_eq(tag, "\"a9993e364706816aba3e25717850c26c9cd0d89d\"");
	/* HMAC-SHA256("Jefe", ...) as a proof, and token|time */
	p = appsecret_proof("Jefe", "what do ya want for nothing?", NULL);
	ck_assert_str_eq(p, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	ck_assert(appsecret_proof_ok("Jefe", "what do ya want for nothing?",
	    NULL, p));
	p[63] = p[63] == '3' ? '4' : '3';
	ck_assert(!appsecret_proof_ok("Jefe", "what do ya want for nothing?",
	    NULL, p));
	free(p);
	p = appsecret_proof("secret", "token", "1700000000");
	ck_assert_ptr_nonnull(p);
	ck_assert(appsecret_proof_ok("secret", "token", "1700000000", p));
	ck_assert(!appsecret_proof_ok("secret", "token", "1700000001", p));
	ck_assert(!appsecret_proof_ok("secret", "token", NULL, p));
	free(p);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sha");
	TCase *tc = tcase_create("digests");

	tcase_add_test(tc, test_sha1_vectors);
	tcase_add_test(tc, test_sha256_vectors);
	tcase_add_test(tc, test_hmac_vectors);
	tcase_add_test(tc, test_same_as_openssl);
	tcase_add_test(tc, test_etag_and_proof);
	suite_add_tcase(s, tc);
	return suite_run(s);
}
