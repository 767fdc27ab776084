/*
 * outbox.h - webhook events as a transactional outbox (schema/
 * 002_events.sql): a change appends its event inside its own store
 * transaction, so an event exists exactly when its change committed, and
 * the append fans the event out to one delivery per subscribed app.  The
 * delivery worker (deliver.c) drains the deliveries.
 *
 * The tables live on the store's connection, so every call here runs
 * under emu->lock like any store call.  Ownership: outbox_free() must run
 * before store_close() (it holds prepared statements on the connection);
 * json objects returned are the caller's.
 */
#ifndef WABA_WEBHOOKS_OUTBOX_H
#define WABA_WEBHOOKS_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

struct store;
struct json_object;
struct outbox;

/*
 * flag_url: --webhook-url, or NULL.  When set, an app with no
 * whatsapp_business_account subscription counts as subscribed to every
 * field at that URL, and every WABA counts as subscribed to every app.
 */
struct outbox *outbox_new(struct store *st, const char *flag_url);
void outbox_free(struct outbox *ob);
/* fn(ctx) runs after each append and redeliver (the worker's wake-up). */
void outbox_on_change(struct outbox *ob, void (*fn)(void *), void *ctx);

/* A management webhook field the emulator knows. */
bool outbox_field_known(const char *field);
/* The fields an override may redirect (phone and messaging ones). */
bool outbox_field_overridable(const char *field);

/*
 * Appends an event (phone 0: none) and its deliveries, due at now.  The
 * caller has begun a store transaction and commits it.  value stays the
 * caller's.  0 with *event_id, or -1 with *cause (caller frees).
 */
int outbox_append(struct outbox *ob, const char *field, int64_t waba,
    int64_t phone, struct json_object *value, int64_t now, int64_t *event_id,
    char **cause);

/* One delivery to attempt; the strings are the job's own. */
struct outbox_job {
	int64_t delivery;
	int64_t waba;
	int64_t created_at; /* the event's, on the emulator clock */
	int64_t queued_at;  /* created or last redelivered */
	int nattempts;      /* attempts since queued_at */
	char *field;
	char *target;
	char *value;  /* JSON text */
	char *secret; /* NULL: the app is gone */
};

/*
 * The oldest delivery due at now: 1 with *job filled, 0 when none is due
 * (*next_at: the earliest future attempt, -1 if none), -1 on error.
 */
int outbox_next_due(struct outbox *ob, int64_t now, struct outbox_job *job,
    int64_t *next_at);
void outbox_job_cleanup(struct outbox_job *job);

/*
 * Records an attempt (status 0: no answer; error may be NULL) and the
 * delivery's new state: next_at < 0 leaves it delivered (ok) or failed.
 */
int outbox_record(struct outbox *ob, int64_t delivery, int64_t at, int status,
    int64_t duration_ms, const char *error, bool ok, int64_t next_at);

/* Queues a delivery again, due at now: 0, or -1 when there is no such id. */
int outbox_redeliver(struct outbox *ob, int64_t delivery, int64_t now);

/*
 * The deliveries, oldest first, as the control plane shows them; a filter
 * left NULL (waba 0) matches everything.
 */
struct json_object *outbox_list(struct outbox *ob, const char *field,
    const char *state, int64_t waba);
/* Deliveries still pending (the metrics gauge); -1 on error. */
long outbox_pending(struct outbox *ob);
/* Removes every event, delivery and attempt (reset and import). */
int outbox_clear(struct outbox *ob);

#endif
