/*
 * load.c - the bulk load of a fixture document into an empty store
 * (store.h says the rules): one insert statement per table, seq counted
 * here, foreign keys checked once per table at the commit.  The checks of
 * the document are fixtures.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"

int
load_settings(struct store *st, bool on)
{
	if (run_simple(st,
	        on ? "PRAGMA foreign_keys = OFF" :
	             "PRAGMA foreign_keys = ON") == -1)
		return -1;
	if (sqlite3_db_filename(st->db, "main") != NULL &&
	    *sqlite3_db_filename(st->db, "main") != '\0')
		return run_simple(st,
		    on ? "PRAGMA cache_size = -65536" :
		         "PRAGMA cache_size = -2000");
	return 0;
}

int
store_load_begin(struct store *st)
{
	if (load_settings(st, true) == -1 || store_begin(st) == -1) {
		(void)load_settings(st, false);
		return -1;
	}
	st->loading = true;
	memset(st->loaded, 0, sizeof(st->loaded));
	return 0;
}

int
store_load(struct store *st, enum store_table t,
    struct json_object *const *vals, char **cause)
{
	const struct table_def *td;
	sqlite3_stmt *stmt;

	*cause = NULL;
	if ((unsigned)t >= TBL__COUNT) {
		*cause = xstrdup("no such table");
		return -1;
	}
	td = &tables[t];
	if (!st->loading) {
		if ((stmt = stmt_get(st, st->sql_insert[t], cause)) == NULL)
			return -1;
		goto bind;
	}
	/*
	 * One statement per table for the whole load, found once: every
	 * column is bound for each row, so no bindings need clearing.  seq
	 * is counted here from the table's largest, as only the load
	 * writes until it ends.
	 */
	if (!st->loaded[t]) {
		char *sql = xasprintf("SELECT coalesce(max(seq), 0) FROM %s",
		    tables[t].name);

		st->load_seq[t] = query_int(st, sql);
		free(sql);
		st->load_stmt[t] = stmt_get(st, st->sql_load[t], cause);
		if (st->load_seq[t] < 0 || st->load_stmt[t] == NULL) {
			if (*cause == NULL)
				set_cause(st, cause);
			return -1;
		}
		st->loaded[t] = true;
	}
	stmt = st->load_stmt[t];
	sqlite3_bind_int64(stmt, (int)td->ncols + 1, ++st->load_seq[t]);
bind:
	cache_touch(st, t);
	return write_cols(st, stmt, td, NULL, vals, cause);
}

/* The foreign keys the load skipped, once per table: 0 when all hold. */
static int
load_check(struct store *st)
{
	int t, rc = 0;

	for (t = 0; rc == 0 && t < TBL__COUNT; t++) {
		char *sql;
		sqlite3_stmt *stmt;

		if (!st->loaded[t])
			continue;
		sql = xasprintf("PRAGMA foreign_key_check(%s)", tables[t].name);
		stmt = stmt_get(st, sql, NULL);
		free(sql);
		if (stmt == NULL || sqlite3_step(stmt) != SQLITE_DONE)
			rc = -1;
		stmt_done(stmt);
	}
	return rc;
}

int
store_load_commit(struct store *st)
{
	int rc;

	if (!st->loading)
		return -1;
	if (load_check(st) == -1 || store_commit(st) == -1)
		return -1; /* the caller rolls back */
	st->loading = false;
	rc = load_settings(st, false);
	return rc;
}
