/*
 * events.c - the ring of events.h.  Event n sits in slot n % capacity;
 * the oldest held is last - capacity + 1, so a cursor that fell behind
 * jumps to it.  Sequence numbers start at 1 and never go back.
 */
#include "events.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct slot {
	const char *kind; /* a literal */
	char *data;       /* one line of JSON */
};

struct events {
	pthread_mutex_t mu; /* guards slots, fn and ctx */
	struct slot *slots;
	size_t cap;
	_Atomic uint64_t last; /* the newest event's number; 0: none yet */
	atomic_int watchers;
	void (*fn)(void *);
	void *ctx;
};

struct events *
events_new(size_t capacity)
{
	struct events *ev = xcalloc(1, sizeof(*ev));

	pthread_mutex_init(&ev->mu, NULL);
	ev->cap = capacity > 0 ? capacity : 1;
	ev->slots = xcalloc(ev->cap, sizeof(*ev->slots));
	atomic_init(&ev->last, 0);
	atomic_init(&ev->watchers, 0);
	return ev;
}

void
events_free(struct events *ev)
{
	size_t i;

	if (ev == NULL)
		return;
	for (i = 0; i < ev->cap; i++)
		free(ev->slots[i].data);
	free(ev->slots);
	pthread_mutex_destroy(&ev->mu);
	free(ev);
}

void
events_on_publish(struct events *ev, void (*fn)(void *), void *ctx)
{
	pthread_mutex_lock(&ev->mu);
	ev->fn = fn;
	ev->ctx = ctx;
	pthread_mutex_unlock(&ev->mu);
}

bool
events_watched(struct events *ev)
{
	return ev != NULL &&
	    atomic_load_explicit(&ev->watchers, memory_order_relaxed) > 0;
}

void
events_publish(struct events *ev, const char *kind, char *data)
{
	struct slot *s;
	char *old;
	uint64_t n;

	if (!events_watched(ev)) {
		free(data);
		return;
	}
	pthread_mutex_lock(&ev->mu);
	n = atomic_load(&ev->last) + 1;
	s = &ev->slots[n % ev->cap];
	old = s->data;
	s->kind = kind;
	s->data = data;
	atomic_store(&ev->last, n);
	if (ev->fn != NULL)
		ev->fn(ev->ctx);
	pthread_mutex_unlock(&ev->mu);
	free(old);
}

void
events_publish_json(struct events *ev, const char *kind,
    struct json_object *obj)
{
	size_t len;
	const char *text;

	if (!events_watched(ev)) {
		json_object_put(obj);
		return;
	}
	text = json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	events_publish(ev, kind, xstrndup(text, len));
	json_object_put(obj);
}

uint64_t
events_subscribe(struct events *ev)
{
	atomic_fetch_add(&ev->watchers, 1);
	return atomic_load(&ev->last);
}

void
events_unsubscribe(struct events *ev)
{
	atomic_fetch_sub(&ev->watchers, 1);
}

int
events_watchers(struct events *ev)
{
	return atomic_load(&ev->watchers);
}

bool
events_pending(struct events *ev, uint64_t cursor)
{
	return atomic_load(&ev->last) > cursor;
}

char *
events_next(struct events *ev, uint64_t *cursor, size_t *len)
{
	struct slot *s;
	char *out = NULL;
	uint64_t last, n;
	int k;

	pthread_mutex_lock(&ev->mu);
	last = atomic_load(&ev->last);
	if (last > *cursor) {
		n = *cursor + 1;
		if (last - n >= ev->cap) /* overwritten: the oldest held */
			n = last - ev->cap + 1;
		s = &ev->slots[n % ev->cap];
		k = snprintf(NULL, 0, "id: %llu\nevent: %s\ndata: %s\n\n",
		    (unsigned long long)n, s->kind, s->data);
		out = xmalloc((size_t)k + 1);
		snprintf(out, (size_t)k + 1,
		    "id: %llu\nevent: %s\ndata: %s\n\n", (unsigned long long)n,
		    s->kind, s->data);
		*len = (size_t)k;
		*cursor = n;
	}
	pthread_mutex_unlock(&ev->mu);
	return out;
}
