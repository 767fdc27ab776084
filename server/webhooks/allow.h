/*
 * allow.h - which callback hosts the emulator may call: loopback ones,
 * and the names an operator listed with --webhook-allow.  No client or
 * fixture can make it call anything else (the internet, a LAN host).
 */
#ifndef WABA_WEBHOOKS_ALLOW_H
#define WABA_WEBHOOKS_ALLOW_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True when url is http(s)://HOST[:PORT][/...] with HOST a loopback
 * address written as one (127.0.0.0/8, ::1) or "localhost", or
 * one of hosts[0..n) (compared without case).  Otherwise false with *cause
 * (caller frees) saying why, for the 2200 message.
 */
bool allow_url(const char *url, char *const *hosts, size_t n, char **cause);

#endif
