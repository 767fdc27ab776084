/*
 * deliver.h - the webhook delivery worker: one thread of its own that
 * drains the outbox (outbox.h).  It takes emu->lock only to read a due
 * delivery and to record the attempt, never across the HTTP call, so a
 * slow receiver stalls no request.
 *
 * Retries run on the emulator clock (deliver_backoff()); moving the clock
 * through the control plane wakes the worker, so due retries run at once.
 * Ownership: deliver_start() returns the worker, deliver_stop() joins and
 * frees it; both run with emu->lock released.
 */
#ifndef WABA_WEBHOOKS_DELIVER_H
#define WABA_WEBHOOKS_DELIVER_H

#include <stdint.h>

struct emu;
struct sbuf;
struct deliver;

/* Starts the worker on emu->outbox; NULL when the thread cannot start. */
struct deliver *deliver_start(struct emu *emu);
void deliver_stop(struct deliver *d);
/* Makes the worker look for due deliveries now (any thread, any lock). */
void deliver_wake(struct deliver *d);
/*
 * Seconds before the next attempt after nfailed failed ones: 15 s doubled
 * each time, at most 6 hours apart.
 */
int64_t deliver_backoff(int nfailed);
/* Gives up when the next attempt would come later than this after queuing. */
#define DELIVER_GIVE_UP (7 * 24 * 3600)
/* Appends the Prometheus lines of the worker's counters (emu->lock held). */
void deliver_metrics(struct deliver *d, struct sbuf *sb);

#endif
