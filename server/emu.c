/*
 * emu.c - start-up and shut-down of the emulator's state: store, fixtures
 * (with the boot snapshot that reset returns to), limiter, journal, faults.
 */
#include "emu.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "config.h"
#include "control.h"
#include "faults.h"
#include "fixtures.h"
#include "journal.h"
#include "ratelimit.h"
#include "store.h"
#include "util.h"

#define JOURNAL_CAPACITY 10000

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
		rc = fixtures_apply_file(emu->store, emu->cfg->fixtures[i],
		    now, &fe);
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

int
emu_init(struct emu *emu, struct config *cfg, const struct clock_source *clk,
    char **cause)
{
	memset(emu, 0, sizeof(*emu));
	emu->cfg = cfg;
	clock_init(&emu->clock, clk);
	emu->boot_us = clock_mono_us();
	pthread_mutex_init(&emu->lock, NULL);
	emu->store = store_open(cfg->db, cfg->seed, cause);
	if (emu->store == NULL)
		return -1;
	/*
	 * Fixtures go into a fresh store only: a --db file that has been
	 * started once wins, even empty.  A file from before the flag
	 * existed counts as started when it holds anything.
	 */
	if (!store_is_initialized(emu->store)) {
		if (store_is_empty(emu->store) &&
		    load_fixtures(emu, cause) < 0) {
			store_close(emu->store);
			emu->store = NULL;
			return -1;
		}
		store_set_initialized(emu->store);
	}
	{
		struct json_object *boot = store_export(emu->store);
		size_t n;
		const char *text;

		/* reset would bring back "null" */
		if (boot == NULL) {
			*cause = xasprintf("%s: the store could not be read",
			    cfg->db);
			store_close(emu->store);
			emu->store = NULL;
			return -1;
		}
		text = json_object_to_json_string_length(boot,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
		emu->boot_state = xstrndup(text, n);
		emu->boot_state_len = n;
		json_object_put(boot);
	}
	emu->rl = ratelimit_new(cfg->rate_limit, cfg->rate_limit_active,
	    cfg->rate_window);
	emu->journal = journal_new(JOURNAL_CAPACITY);
	emu->faults = faults_new();
	emu->metrics = metrics_new();
	emu->ready = true;
	return 0;
}

void
emu_cleanup(struct emu *emu)
{
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
