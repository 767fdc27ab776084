/*
 * events.h - the dashboard's live feed: a bounded ring of server-sent
 * events, each a kind ("request", "delivery", "state") and one line of
 * JSON, that GET /_emulator/events streams (http.c).  Publishing costs
 * the publisher one short lock and no more while a stream watches, and
 * one atomic load while none does; a stream keeps a cursor and copies
 * events out one at a time, so a slow stream skips what the ring
 * dropped and never holds up a request.
 *
 * Ownership: events_new() / events_free(); events_publish() takes over
 * its data.  Thread-safe: the ring has a lock of its own, held by
 * nothing but these functions and the wake-up hook.
 */
#ifndef WABA_EVENTS_H
#define WABA_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct events;
struct json_object;

/* Streams open at once: past it GET /_emulator/events answers 503. */
#define EVENTS_STREAMS_MAX 32

struct events *events_new(size_t capacity);
void events_free(struct events *ev);
/*
 * fn(ctx) runs after every event appended, under the ring's lock (so
 * setting it to NULL waits out a call in progress); it must take no
 * lock that is held around a call into this module.
 */
void events_on_publish(struct events *ev, void (*fn)(void *), void *ctx);
/* True while a stream is open: only then is an event worth building. */
bool events_watched(struct events *ev);
/* Appends an event; kind is a literal, data malloc'd JSON text (taken). */
void events_publish(struct events *ev, const char *kind, char *data);
/* The same with obj's compact JSON text; obj's reference is taken. */
void events_publish_json(struct events *ev, const char *kind,
    struct json_object *obj);
/* A stream opens: its cursor starts past every event already held. */
uint64_t events_subscribe(struct events *ev);
void events_unsubscribe(struct events *ev);
/* Streams open now. */
int events_watchers(struct events *ev);
/* True when an event came after cursor (no lock: an atomic load). */
bool events_pending(struct events *ev, uint64_t cursor);
/*
 * The next event after *cursor, framed for text/event-stream ("id:",
 * "event:", "data:" lines and a blank line), malloc'd, its length in
 * *len; advances *cursor.  NULL when there is none.
 */
char *events_next(struct events *ev, uint64_t *cursor, size_t *len);

#endif
