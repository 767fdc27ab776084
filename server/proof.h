/*
 * proof.h - appsecret_proof: lowercase hex HMAC-SHA256 of the access token
 * (or of "token|time" when appsecret_time is sent), keyed by the app
 * secret.
 */
#ifndef WABA_PROOF_H
#define WABA_PROOF_H

#include <stdbool.h>

/* The proof, caller frees; NULL when secret or token is NULL. */
char *appsecret_proof(const char *secret, const char *token, const char *time);
/* Constant-time comparison of proof with the expected one. */
bool appsecret_proof_ok(const char *secret, const char *token, const char *time,
    const char *proof);

#endif
