/*
 * test_proof.c - appsecret_proof against RFC 4231's HMAC-SHA256 test
 * cases and against proofs computed the way Node clients compute them,
 * crypto.createHmac('sha256', secret).update(token).digest('hex'); and
 * what appsecret_proof_ok() accepts.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "proof.h"
#include "suite.h"

/* A key or message of n copies of byte c (n < 200), as a C string. */
static const char *
fill(char *buf, int c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

static void
check_proof(const char *secret, const char *token, const char *time,
    const char *want)
{
	char *p = appsecret_proof(secret, token, time);

	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p, want);
	ck_assert(appsecret_proof_ok(secret, token, time, want));
	free(p);
}

/* RFC 4231 cases 1 to 4, 6 and 7 (5 truncates the MAC; 6 and 7 have
 * keys longer than a block, which are hashed first). */
START_TEST(test_rfc4231)
{
	char key[200], msg[200], k25[26];
	int i;

	check_proof(fill(key, 0x0b, 20), "Hi There", NULL,
	    "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7");
	check_proof("Jefe", "what do ya want for nothing?", NULL,
	    "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	check_proof(fill(key, 0xaa, 20), fill(msg, 0xdd, 50), NULL,
	    "773ea91e36800e46854db8ebd09181a7"
	    "2959098b3ef8c122d9635514ced565fe");
	for (i = 0; i < 25; i++)
		k25[i] = (char)(i + 1);
	k25[25] = '\0';
	check_proof(k25, fill(msg, 0xcd, 50), NULL,
	    "82558a389a443c0ea4cc819899f2083a"
	    "85f0faa3e578f8077a2e3ff46729665b");
	check_proof(fill(key, 0xaa, 131),
	    "Test Using Larger Than Block-Size "
	    "Key - Hash Key First",
	    NULL,
	    "60e431591ee0b67f0d8a26aacbf5b77f"
	    "8e0bc6213728c5140546040f0ee37f54");
	check_proof(key,
	    "This is a test using a larger than block-size key "
	    "and a larger than block-size data. The key needs to be hashed "
	    "before being used by the HMAC algorithm.",
	    NULL,
	    "9b09ffa71b942fcb27635fbcd5b0e944"
	    "bfdc63644f0713938a7f51535c3a35e2");
}
END_TEST

#define SECRET "8a2d4f6c0e1b3a5d7f9e2c4b6a8d0f1e"
#define TOKEN "EAAJZCx4ZBqAbcBO1demoTokenForTheEmulator"
#define PROOF "9643274334c8a92841576d49489c84a35d079c499d0c520dc1c6f71395baefb8"
#define PROOF_T \
	"9a1706e12a5ba971f5c61040941058c596a90a749690afdc2e2de607bd5dd52d"

/* With appsecret_time the message is "token|time". */
START_TEST(test_node_client)
{
	check_proof(SECRET, TOKEN, NULL, PROOF);
	check_proof(SECRET, TOKEN, "1735689600", PROOF_T);
	check_proof(SECRET, TOKEN "|1735689600", NULL, PROOF_T);
}
END_TEST

START_TEST(test_nothing_to_prove)
{
	ck_assert_ptr_null(appsecret_proof(NULL, TOKEN, NULL));
	ck_assert_ptr_null(appsecret_proof(SECRET, NULL, NULL));
	ck_assert(!appsecret_proof_ok(NULL, TOKEN, NULL, PROOF));
	ck_assert(!appsecret_proof_ok(SECRET, NULL, NULL, PROOF));
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL, NULL));
}
END_TEST

START_TEST(test_wrong_proofs)
{
	char p[80];
	size_t i;

	/* each digit changed in turn */
	for (i = 0; i < 64; i++) {
		strcpy(p, PROOF);
		p[i] = p[i] == '0' ? '1' : '0';
		ck_assert_msg(!appsecret_proof_ok(SECRET, TOKEN, NULL, p),
		    "digit %zu", i);
	}
	/* the time is part of the message */
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, "1735689600", PROOF));
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, "1735689601", PROOF_T));
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL, PROOF_T));
	ck_assert(!appsecret_proof_ok(SECRET "x", TOKEN, NULL, PROOF));
	/* the right MAC in another shape */
	for (i = 0; i < 64; i++)
		p[i] = (char)(PROOF[i] >= 'a' ? PROOF[i] - 32 : PROOF[i]);
	p[64] = '\0';
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL, p));
	strcpy(p, PROOF "0");
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL, p));
	strcpy(p, PROOF);
	p[63] = '\0';
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL, p));
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL, ""));
	strcpy(p, " " PROOF);
	p[64] = '\0';
	ck_assert(!appsecret_proof_ok(SECRET, TOKEN, NULL, p));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("proof");
	TCase *tc = tcase_create("proof");

	tcase_add_test(tc, test_rfc4231);
	tcase_add_test(tc, test_node_client);
	tcase_add_test(tc, test_nothing_to_prove);
	tcase_add_test(tc, test_wrong_proofs);
	suite_add_tcase(s, tc);
	return suite_run(s);
}
