/*
 * emu.h - the running emulator: configuration, store, clock, limiter and
 * control-plane state, and the entry point every request goes through.
 *
 * Ownership: emu_init() fills caller storage and emu_cleanup() frees what
 * it made; cfg stays the caller's.  Everything that touches shared state
 * runs under emu->lock (SQLite has one connection; counters need no
 * atomics; json-c's reference counts are not atomic).  What needs only the
 * request (parsing it, the fixed headers, the ETag) runs outside it, and
 * the journal has a lock of its own.
 *
 * Who may include this header: the layers that own the emulator (main.c,
 * http.c, emu.c), the pipeline and its peer the control plane, and the
 * webhook worker it starts.  Below the pipeline (auth, render, handlers)
 * rq->emu is the seam to the shared state a call runs on, store and clock
 * (auth.c also keeps its memo there), and nothing else: configuration
 * reaches those modules as parameters or as fields the layers above fill
 * in the request (rq->body_limit, a status chosen by the pipeline), never
 * through rq->emu->cfg.  The other modules (paging, ratelimit, journal,
 * fixtures, store, hostcheck) take what they need as arguments.
 */
#ifndef WABA_EMU_H
#define WABA_EMU_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"

struct config;
struct store;
struct ratelimit;
struct journal;
struct faults;
struct metrics;
struct auth_memo;
struct outbox;
struct deliver;
struct events;
struct request;
struct json_object;

struct emu {
	struct config *cfg;
	struct store *store;
	struct clock clock;
	struct ratelimit *rl;
	struct journal *journal;
	struct faults *faults;
	struct metrics *metrics;
	struct auth_memo *auth_memo; /* auth.c's; freed by auth_memo_free() */
	struct outbox *outbox;   /* webhook events, on the store's connection */
	struct deliver *deliver; /* the webhook worker thread */
	/* templates_sweep()'s memo: nothing is due before tmpl_next_due
	 * while the store stays at tmpl_version */
	uint64_t tmpl_version;
	int64_t tmpl_next_due;
	struct events *events;   /* the dashboard's live feed */
	/* The boot state for reset, as fixture JSON text: a tree of a large
	 * store would cost several times the store's own memory. */
	char *boot_state;
	size_t boot_state_len;
	pthread_mutex_t lock;
	uint64_t trace_seq;
	int64_t boot_us;   /* monotonic, for uptime */
	bool ready;
	/* the --db file held state already: no fixture was loaded */
	bool fixtures_skipped;
};

/*
 * Opens the store, loads the fixtures (the demo ones unless --fixtures or
 * --no-fixtures; none on an existing --db file, which sets
 * fixtures_skipped), snapshots them for reset.  A --db path the emulator
 * cannot write (missing or read-only directory, read-only file) fails here.
 * Returns 0, or -1 with *cause (caller frees).
 */
int emu_init(struct emu *emu, struct config *cfg,
    const struct clock_source *clk, char **cause);
void emu_cleanup(struct emu *emu);

/*
 * The request entry points (emu_handle(), pipeline_run(), ...) are
 * declared in pipeline.h.  Included here for one step, so that code
 * written against the old declarations still builds; include
 * pipeline.h itself.
 */
#include "pipeline.h"

#endif
