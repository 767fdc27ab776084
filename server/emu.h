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
 * Who reads emu->cfg: the layers that own the emulator (main.c, http.c,
 * emu.c), the pipeline and its peer the control plane.  Below the
 * pipeline (auth, render, handlers, the template life, the webhook
 * worker) emu is the seam to the shared state a call runs on, the store
 * and the clock (auth.c also keeps its memo there), and to emu->env, the
 * few settings they may read; never to emu->cfg.  A setting one call
 * needs comes in the request instead (rq->body_limit, or the status the
 * pipeline chooses).  The other modules (paging, ratelimit, journal,
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

/*
 * What of the configuration the modules below the pipeline may read,
 * copied by emu_init(): they never reach struct config.
 */
struct emu_env {
	uint64_t seed;        /* --seed: codes and tokens a run repeats */
	long template_review; /* seconds a template stays PENDING; 0: none */
	bool read_only;       /* --read-only: templates' life is frozen too */
	char **webhook_allow; /* --webhook-allow hosts, the config's */
	size_t nwebhook_allow;
};

struct emu {
	struct config *cfg; /* the pipeline's and the layers above it */
	struct emu_env env;
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
	struct events *events; /* the dashboard's live feed */
	/* messages_sweep()'s memo, the same way (msg_version: the table's
	 * version + 1, 0: none); msg_wake_at: when the webhook worker
	 * means to sweep next */
	uint64_t msg_version;
	int64_t msg_next_due;
	int64_t msg_wake_at;
	/* The boot state for reset, as fixture JSON text: a tree of a large
	 * store would cost several times the store's own memory. */
	char *boot_state;
	size_t boot_state_len;
	pthread_mutex_t lock;
	uint64_t trace_seq;
	int64_t boot_us; /* monotonic, for uptime */
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

/* The request entry points (emu_handle(), pipeline_run(), ...) are in
 * pipeline.h. */

#endif
