/*
 * cors.h - browsers' CORS preflight (OPTIONS with Origin and
 * Access-Control-Request-Method) on any Graph path, answered before the
 * pipeline: no token, no route, no journal entry, as the browser sends
 * none of the call's credentials with it.
 */
#ifndef WABA_CORS_H
#define WABA_CORS_H

#include <stdbool.h>

struct request;

/* True when rq is a preflight, answered in rq->resp. */
bool cors_preflight(struct request *rq);

#endif
