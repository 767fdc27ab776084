/*
 * http.h - the HTTP front end: listens, reads each request with its body,
 * hands it to emu_handle() and writes back what the pipeline built, or,
 * for GET /_emulator/events, streams the live events (events.h).  The
 * only module that knows libmicrohttpd.
 *
 * Ownership: http_start() returns a server that http_stop() frees; the
 * emulator stays the caller's and must outlive the server.
 */
#ifndef WABA_HTTP_H
#define WABA_HTTP_H

#include <stdbool.h>
#include <stddef.h>

struct emu;
struct http_server;
struct request;

/* What answers each complete request; emu_handle() but in test_http.c. */
typedef void http_handler(struct emu *emu, struct request *rq);

/*
 * Listens on bind (an IPv4 or IPv6 literal) and port (0 picks a free
 * one) with workers threads (0: one per CPU but one).  Bodies past
 * max_body bytes are drained, not stored, and flagged as too large.
 * Returns the server, or NULL with *cause (caller frees).
 */
struct http_server *http_start(struct emu *emu, const char *bind, int port,
    unsigned workers, size_t max_body, char **cause);
/* The same with handle in place of emu_handle(): the unit suite's seam. */
struct http_server *http_start_with(struct emu *emu, http_handler *handle,
    const char *bind, int port, unsigned workers, size_t max_body,
    char **cause);
/* The port actually bound. */
int http_port(const struct http_server *srv);
/*
 * Access log: one line per request on stderr once it is answered, in
 * format (enum log_format) text or json.  A background thread writes the
 * lines, a few milliseconds later, many at a time.  Off until enabled.
 */
void http_set_log(struct http_server *srv, int format, bool enabled);
/*
 * Stops accepting, lets in-flight requests finish, writes out every
 * access-log line still buffered, frees srv.
 */
void http_stop(struct http_server *srv);

#endif
