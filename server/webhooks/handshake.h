/*
 * handshake.h - the verification GET Meta sends when a subscription or an
 * override callback is set: GET <callback>?hub.mode=subscribe&
 * hub.challenge=<digits>&hub.verify_token=<token>, answered by a 200 whose
 * body is the challenge.  It blocks for up to 5 s: call it without
 * emu->lock, before the transaction that stores the subscription.
 */
#ifndef WABA_WEBHOOKS_HANDSHAKE_H
#define WABA_WEBHOOKS_HANDSHAKE_H

#include <stddef.h>

/* Seconds an attempt or a handshake waits for the whole answer. */
#define WEBHOOK_TIMEOUT 5
/* Meta's crawler name, which receivers log and sometimes check */
#define WEBHOOK_USER_AGENT "facebookexternalua"

/*
 * Verifies callback with verify_token (may be empty).  Hosts outside
 * loopback and allow[0..nallow) are refused without being contacted.
 * challenge: the digits to send (NULL: random ones).  0 on success, or -1
 * with *cause (caller frees) set to the whole Graph 2200 message.
 */
int handshake_verify(const char *callback, const char *verify_token,
    const char *challenge, char *const *allow, size_t nallow, char **cause);

#endif
