/*
 * store.c - the connection: open (with its checks and migrations), close,
 * transactions, the schema's facts for health and metrics, node types and
 * new ids.  See store.h for the API and store_int.h for how the store's
 * files divide the work; rows, lists, the load and the export are not
 * here.
 *
 * Each table's columns come from its object type (objects.c), and every
 * INSERT, UPDATE, SELECT and export is generated from them, so a column
 * lives in the schema and in one member there.  Validation of values
 * (enums, references) belongs to fixtures.c and the handlers: here a
 * failure is a constraint failure.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"

/* Generated ids: 15 digits, 100000000000000 .. 999999999999999. */
#define ID_BASE 100000000000000LL
#define ID_SPAN 900000000000000ULL

const char *
store_table_name(enum store_table t)
{
	if ((unsigned)t >= TBL__COUNT)
		return NULL;
	return objects[t].table;
}

int
exec(struct store *st, const char *sql, char **cause)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		if (cause != NULL)
			*cause = xasprintf("%s",
			    msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * A damaged file opens and answers some queries, then fails others: the
 * whole state could not be exported, and writes might land on broken
 * pages.  quick_check reads every page once: about 90 ms on the 18 MB
 * store of bench/gen_list_fixture.py's 100,000 WABAs, against 200 ms for
 * integrity_check, which also matches every index with its table.
 */
static int
check_file(struct store *st, char **cause)
{
	sqlite3_stmt *stmt;
	const char *first;
	char *p;
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check(1)", -1, &stmt,
	        NULL) != SQLITE_OK) {
		set_cause(st, cause);
		return -1;
	}
	rc = sqlite3_step(stmt);
	first = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(stmt, 0) :
	                           NULL;
	if (first != NULL && strcmp(first, "ok") == 0) {
		sqlite3_finalize(stmt);
		return 0;
	}
	if (first != NULL &&
	    strncmp(first, "*** in database main ***", 24) == 0)
		first += strspn(first + 24, " \n") + 24;
	*cause = xasprintf("the database is damaged (%s); restore it from a "
	                   "copy or start with a new file",
	    first != NULL ? first : sqlite3_errmsg(st->db));
	sqlite3_finalize(stmt);
	/* SQLite's report spans lines; a start-up error is one */
	for (p = *cause; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return -1;
}

struct store *
store_open(const char *path, uint64_t seed, char **cause)
{
	struct store *st = xcalloc(1, sizeof(*st));
	bool memory = strcmp(path, ":memory:") == 0;
	int t;

	*cause = NULL;
	tables_ready();
	st->seed = seed;
	st->version = 1; /* 0 is no version: an empty memo slot */
	/* NOMUTEX: every caller holds emu->lock, SQLite's own is redundant */
	if (sqlite3_open_v2(path, &st->db,
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	            SQLITE_OPEN_NOMUTEX,
	        NULL) != SQLITE_OK) {
		*cause = xasprintf("%s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	/* Before any transaction: journal_mode cannot change inside one. */
	if (!memory) {
		sqlite3_busy_timeout(st->db, 5000);
		if (exec(st, "PRAGMA journal_mode = WAL", cause) == -1 ||
		    exec(st, "PRAGMA synchronous = NORMAL", cause) == -1)
			goto fail_path;
	}
	if (exec(st, "PRAGMA foreign_keys = ON", cause) == -1)
		goto fail_path;
	if (!memory && check_file(st, cause) == -1)
		goto fail_path;
	if (migrate(st, cause) == -1)
		goto fail_path;
	for (t = 0; t < TBL__COUNT; t++)
		build_table_sql(st, (enum store_table)t);
	return st;

fail_path : {
	char *c = *cause;

	*cause = xasprintf("%s: %s", path, c ? c : "error");
	free(c);
}
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	cache_free(st);
	tables_sql_free(st);
	sqlite3_close(st->db);
	free(st);
}

bool
store_is_empty(struct store *st)
{
	return query_int(st, "SELECT NOT EXISTS (SELECT 1 FROM nodes)") == 1;
}

int
store_schema_version(struct store *st)
{
	return (int)query_int(st, "PRAGMA user_version");
}

int64_t
store_size_bytes(struct store *st)
{
	int64_t pages = query_int(st, "PRAGMA page_count");
	int64_t size = query_int(st, "PRAGMA page_size");

	if (pages < 0 || size < 0)
		return -1;
	return pages * size;
}

bool
store_is_initialized(struct store *st)
{
	return query_int(st,
	           "SELECT count(*) FROM meta "
	           "WHERE key = 'initialized'") == 1;
}

int
store_set_initialized(struct store *st)
{
	return run_simple(st,
	    "INSERT OR REPLACE INTO meta (key, value) "
	    "VALUES ('initialized', 1)");
}

int
store_begin(struct store *st)
{
	/* IMMEDIATE: take the write lock now, not at the first write. */
	return run_simple(st, "BEGIN IMMEDIATE");
}

int
store_commit(struct store *st)
{
	return run_simple(st, "COMMIT");
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		(void)run_simple(st, "ROLLBACK");
	if (st->loading) {
		st->loading = false;
		(void)load_settings(st, false);
	}
	/* rows cached inside the transaction may never have been */
	cache_touch_all(st);
}

enum node_type
store_node_type(struct store *st, int64_t id)
{
	struct cache_slot *c = cache_find(st, CK_NODE, TAG_NODES, id, 0, NULL);
	sqlite3_stmt *stmt;
	enum node_type t = NODE_NONE;

	if (c != NULL)
		return (enum node_type)c->num;
	stmt = stmt_get(st, "SELECT type FROM nodes WHERE id = ?1", NULL);
	if (stmt == NULL)
		return NODE_NONE;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		t = (enum node_type)sqlite3_column_int(stmt, 0);
	stmt_done(stmt);
	cache_put(st, CK_NODE, TAG_NODES, id, 0, NULL, NULL, (long)t);
	return t;
}

int64_t
store_new_id(struct store *st)
{
	for (;;) {
		sqlite3_stmt *stmt = stmt_get(st,
		    "UPDATE meta SET "
		    "value = value + 1 WHERE key = 'id_counter' "
		    "RETURNING value",
		    NULL);
		uint64_t counter;
		int64_t id;

		if (stmt == NULL)
			return -1;
		if (sqlite3_step(stmt) != SQLITE_ROW) {
			stmt_done(stmt);
			return -1;
		}
		counter = (uint64_t)sqlite3_column_int64(stmt, 0);
		/* Step to the end so the statement completes, then reset. */
		while (sqlite3_step(stmt) == SQLITE_ROW)
			;
		stmt_done(stmt);
		/* the seed is mixed on its own first: XORed straight with the
		 * counter, seeds 0 and 1 would share ids one step apart */
		id = ID_BASE +
		    (int64_t)(mix64(mix64(st->seed) ^ counter) % ID_SPAN);
		if (store_node_type(st, id) == NODE_NONE)
			return id;
	}
}
