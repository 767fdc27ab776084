/*
 * hostcheck.h - which Host a request may name, and which browser pages
 * may drive the control plane: the defences against DNS rebinding and
 * cross-site requests for an emulator that listens on loopback.  They
 * look only at headers; what to answer is the caller's business.
 */
#ifndef WABA_HOSTCHECK_H
#define WABA_HOSTCHECK_H

#include <stdbool.h>

struct config;
struct request;

/*
 * True when the emulator may answer a request sent with this Host header
 * (NULL when absent).  Any Host passes unless cfg->host_loopback_only;
 * then only a loopback name passes (localhost, 127.x.x.x, [::1], each
 * with or without a port) or one of --allow-host.  No allocation.
 */
bool hostcheck_host(const struct config *cfg, const char *host);

/*
 * False when a browser says that another site sent the request:
 * Sec-Fetch-Site cross-site or same-site, or an Origin other than
 * "http://" + the request's Host.  Requests without either header (curl,
 * SDKs, tests) pass.
 */
bool hostcheck_same_origin(const struct request *rq);

#endif
