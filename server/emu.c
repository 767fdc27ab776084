/*
 * emu.c - start-up and shut-down of the emulator's state: store, fixtures
 * (with the boot snapshot that reset returns to), limiter, journal, faults.
 */
#include "emu.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "config.h"
#include "control.h"
#include "faults.h"
#include "events.h"
#include "fixtures.h"
#include "journal.h"
#include "metrics.h"
#include "ratelimit.h"
#include "store.h"
#include "util.h"
#include "webhooks/allow.h"
#include "webhooks/deliver.h"
#include "webhooks/outbox.h"

#define JOURNAL_CAPACITY 10000
/* Live events held for the dashboard's streams to catch up on. */
#define EVENTS_RING 1024

static int
load_fixtures(struct emu *emu, char **cause)
{
	struct fixture_error fe = { NULL, NULL, false };
	int64_t now = clock_now(&emu->clock);
	size_t i;
	int rc = 0;

	if (emu->cfg->no_fixtures)
		return 0;
	if (emu->cfg->nfixtures == 0) {
		rc = fixtures_apply_text(emu->store, demo_fixture_json,
		    demo_fixture_json_len, "fixtures/demo.json", now, &fe);
	}
	for (i = 0; rc == 0 && i < emu->cfg->nfixtures; i++)
		rc = fixtures_apply_file(emu->store, emu->cfg->fixtures[i], now,
		    &fe);
	if (rc != 0) {
		*cause = xstrdup(fe.message ? fe.message : "fixtures failed");
		fixture_error_cleanup(&fe);
		/* each file is its own transaction: undo the ones before */
		if (store_begin(emu->store) == 0 &&
		    store_clear(emu->store) == 0)
			store_commit(emu->store);
		else
			store_rollback(emu->store);
	}
	return rc;
}

/*
 * A --db file must be one the emulator can write, and so must its
 * directory: SQLite keeps the -wal and -shm files beside it.  SQLite
 * itself would open a write-protected file read-only without a word, and
 * then every write would fail; this says why at start instead.
 */
static int
check_db_path(const char *path, char **cause)
{
	const char *slash = strrchr(path, '/');
	struct stat sb;
	char *dir;
	int rc = -1;

	if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0)
		return 0;
	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	if (stat(dir, &sb) < 0) {
		*cause = xasprintf("--db %s: directory %s: %s", path, dir,
		    strerror(errno));
		goto out;
	}
	if (!S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("--db %s: %s is not a directory", path, dir);
		goto out;
	}
	if (access(dir, W_OK | X_OK) < 0) {
		*cause = xasprintf(
		    "--db %s: directory %s is not writable "
		    "(%s); the database and its -wal and -shm files go there",
		    path, dir, strerror(errno));
		goto out;
	}
	if (stat(path, &sb) < 0) {
		if (errno == ENOENT)
			rc = 0; /* a new file */
		else
			*cause = xasprintf("--db %s: %s", path,
			    strerror(errno));
		goto out;
	}
	if (S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("--db %s: is a directory, not a file", path);
		goto out;
	}
	if (access(path, R_OK | W_OK) < 0) {
		*cause = xasprintf("--db %s: the file is not writable (%s); "
		                   "the emulator writes its state there",
		    path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(dir);
	return rc;
}

int
emu_init(struct emu *emu, struct config *cfg, const struct clock_source *clk,
    char **cause)
{
	memset(emu, 0, sizeof(*emu));
	emu->cfg = cfg;
	emu->env.seed = cfg->seed;
	emu->env.template_review = cfg->template_review;
	emu->env.read_only = cfg->read_only;
	emu->env.webhook_allow = cfg->webhook_allow;
	emu->env.nwebhook_allow = cfg->nwebhook_allow;
	clock_init(&emu->clock, clk);
	emu->boot_us = clock_mono_us();
	pthread_mutex_init(&emu->lock, NULL);
	if (check_db_path(cfg->db, cause) < 0)
		return -1;
	if (cfg->webhook_url != NULL) {
		char *why = NULL;

		if (!allow_url(cfg->webhook_url, cfg->webhook_allow,
		        cfg->nwebhook_allow, &why)) {
			*cause = xasprintf(
			    "--webhook-url: %s; the emulator "
			    "calls loopback hosts only, unless started with "
			    "--webhook-allow HOST",
			    why);
			free(why);
			return -1;
		}
	}
	emu->store = store_open(cfg->db, cfg->seed, cause);
	if (emu->store == NULL)
		return -1;
	/*
	 * Fixtures go into a fresh store only: a --db file that has been
	 * started once wins, even empty.  A file from before the flag
	 * existed counts as started when it holds anything.
	 */
	if (!store_is_initialized(emu->store) && store_is_empty(emu->store)) {
		if (load_fixtures(emu, cause) < 0)
			goto fail;
	} else {
		emu->fixtures_skipped = !cfg->no_fixtures;
	}
	if (!store_is_initialized(emu->store) &&
	    store_set_initialized(emu->store) < 0) {
		*cause = xasprintf("--db %s: cannot write to the database",
		    cfg->db);
		goto fail;
	}
	emu->boot_state = store_export_text(emu->store, &emu->boot_state_len);
	/* reset would bring back "null" */
	if (emu->boot_state == NULL) {
		*cause = xasprintf("%s: the store could not be read", cfg->db);
		store_close(emu->store);
		emu->store = NULL;
		return -1;
	}
	emu->rl = ratelimit_new(cfg->rate_limit, cfg->rate_limit_active,
	    cfg->rate_window);
	emu->journal = journal_new(JOURNAL_CAPACITY);
	emu->faults = faults_new();
	emu->metrics = metrics_new();
	emu->events = events_new(EVENTS_RING);
	/* pending deliveries of a --db store are picked up from here */
	emu->outbox = outbox_new(emu->store, cfg->webhook_url);
	emu->deliver = deliver_start(emu);
	if (emu->deliver == NULL) {
		*cause = xstrdup("cannot start the webhook delivery thread");
		emu_cleanup(emu);
		return -1;
	}
	emu->ready = true;
	return 0;
fail:
	store_close(emu->store);
	emu->store = NULL;
	return -1;
}

void
emu_cleanup(struct emu *emu)
{
	/* the worker uses the outbox, whose statements hold the store */
	deliver_stop(emu->deliver);
	outbox_free(emu->outbox);
	events_free(emu->events);
	if (emu->store != NULL)
		store_close(emu->store);
	free(emu->boot_state);
	if (emu->rl != NULL)
		ratelimit_free(emu->rl);
	if (emu->journal != NULL)
		journal_free(emu->journal);
	if (emu->faults != NULL)
		faults_free(emu->faults);
	if (emu->metrics != NULL)
		metrics_free(emu->metrics);
	auth_memo_free(emu);
	pthread_mutex_destroy(&emu->lock);
	memset(emu, 0, sizeof(*emu));
}
