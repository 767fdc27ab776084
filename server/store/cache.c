/*
 * cache.c - the store's two caches: prepared statements, kept by their SQL
 * text for the store's life (prepared once, with
 * SQLITE_PREPARE_PERSISTENT), and the row cache that serves single-row
 * reads until a write touches their table (see store_int.h).  Also the
 * small helpers that run one cached statement, and the statement access
 * store.h gives the modules with their own SQL.  What a row holds is
 * rows.c's.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"

struct stmt_entry {
	char *sql;
	sqlite3_stmt *stmt;
	struct stmt_entry *next;
};

/* FNV-1a: spreads SQL texts over the cache buckets. */
static unsigned
sql_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % STMT_BUCKETS;
}

sqlite3_stmt *
stmt_get(struct store *st, const char *sql, char **cause)
{
	unsigned h = sql_hash(sql);
	struct stmt_entry *e;
	sqlite3_stmt *stmt;

	for (e = st->stmts[h]; e != NULL; e = e->next) {
		if (strcmp(e->sql, sql) == 0) {
			sqlite3_reset(e->stmt);
			sqlite3_clear_bindings(e->stmt);
			return e->stmt;
		}
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	        &stmt, NULL) != SQLITE_OK) {
		if (cause != NULL)
			*cause = xasprintf("%s", sqlite3_errmsg(st->db));
		return NULL;
	}
	e = xmalloc(sizeof(*e));
	e->sql = xstrdup(sql);
	e->stmt = stmt;
	e->next = st->stmts[h];
	st->stmts[h] = e;
	return stmt;
}

void
stmt_done(sqlite3_stmt *stmt)
{
	if (stmt != NULL)
		sqlite3_reset(stmt);
}

static unsigned
cache_index(unsigned kind, int tag, int64_t a, int64_t b, const char *str)
{
	uint64_t h = mix64(((uint64_t)kind << 8 | (uint64_t)tag) ^
	    mix64((uint64_t)a) ^ ((uint64_t)b * 0x9e3779b97f4a7c15ULL));

	for (; str != NULL && *str; str++)
		h = (h ^ (unsigned char)*str) * 1099511628211ULL;
	return (unsigned)(h % CACHE_SLOTS);
}

struct cache_slot *
cache_find(struct store *st, unsigned kind, int tag, int64_t a, int64_t b,
    const char *str)
{
	struct cache_slot *c = &st->cache[cache_index(kind, tag, a, b, str)];

	if (c->kind != kind || c->tag != tag || c->gen != st->gens[tag] ||
	    c->a != a || c->b != b)
		return NULL;
	if ((c->str == NULL) != (str == NULL) ||
	    (str != NULL && strcmp(c->str, str) != 0))
		return NULL;
	return c;
}

void
cache_put(struct store *st, unsigned kind, int tag, int64_t a, int64_t b,
    const char *str, struct json_object *row, long num)
{
	struct cache_slot *c = &st->cache[cache_index(kind, tag, a, b, str)];

	json_object_put(c->row);
	free(c->str);
	c->kind = kind;
	c->tag = tag;
	c->gen = st->gens[tag];
	c->a = a;
	c->b = b;
	c->str = str ? xstrdup(str) : NULL;
	c->row = row;
	c->num = num;
}

void
cache_touch(struct store *st, enum store_table t)
{
	/* a send must not cost every memo keyed by the version (auth's) */
	if (t != TBL_MESSAGES)
		st->version++;
	st->gens[t]++;
	if (objects[t].node != NODE_NONE)
		st->gens[TAG_NODES]++;
	/* shares keep a copy of their WABA's creation time (triggers) */
	if (t == TBL_WABAS)
		st->gens[TBL_SHARES]++;
}

void
cache_touch_all(struct store *st)
{
	int i;

	st->version++;
	for (i = 0; i < NTAGS; i++)
		st->gens[i]++;
}

uint64_t
store_version(const struct store *st)
{
	return st->version;
}

unsigned
store_table_version(const struct store *st, enum store_table t)
{
	return st->gens[t];
}

void
cache_free(struct store *st)
{
	size_t i;

	for (i = 0; i < STMT_BUCKETS; i++) {
		struct stmt_entry *e = st->stmts[i], *next;

		for (; e != NULL; e = next) {
			next = e->next;
			sqlite3_finalize(e->stmt);
			free(e->sql);
			free(e);
		}
	}
	for (i = 0; i < CACHE_SLOTS; i++) {
		json_object_put(st->cache[i].row);
		free(st->cache[i].str);
	}
}

void
set_cause(struct store *st, char **cause)
{
	if (cause != NULL)
		*cause = xasprintf("%s", sqlite3_errmsg(st->db));
}

int64_t
query_int(struct store *st, const char *sql)
{
	return store_stmt_int(stmt_get(st, sql, NULL));
}

int
run_simple(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt = stmt_get(st, sql, NULL);
	int rc;

	if (stmt == NULL)
		return -1;
	rc = sqlite3_step(stmt);
	stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

struct json_object *
cached_row(struct cache_slot *c)
{
	return c->row ? json_object_get(c->row) : NULL;
}

sqlite3 *
store_sqlite(struct store *st)
{
	return st->db;
}

sqlite3_stmt *
store_stmt(struct store *st, const char *sql)
{
	return stmt_get(st, sql, NULL);
}

void
store_stmt_done(sqlite3_stmt *stmt)
{
	stmt_done(stmt);
}

int64_t
store_stmt_int(sqlite3_stmt *stmt)
{
	int64_t v = -1;

	if (stmt == NULL)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	stmt_done(stmt);
	return v;
}
