/*
 * rows.c - rows in and out of the tables: a row value bound to a
 * statement and a result column turned back into one, reads by key (with
 * the row cache), insert, update, lookup, delete and clear.  The reads
 * that filter on other columns are queries.c's, lists list.c's.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"

/* A row value as an id: a string of digits or a JSON integer; -1 if not. */
static int64_t
json_id(struct json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		return parse_id(json_object_get_string(v));
	if (json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) >= 0)
		return json_object_get_int64(v);
	return -1;
}

int
bind_value(sqlite3_stmt *stmt, int idx, const struct col *c,
    struct json_object *v, char **cause)
{
	const char *s;
	int64_t id;

	if (v == NULL || json_object_is_type(v, json_type_null)) {
		if (c->optional) {
			sqlite3_bind_null(stmt, idx);
			return 0;
		}
		*cause = xasprintf("%s: missing", c->name);
		return -1;
	}
	switch (c->kind) {
	case COL_NONE: /* tables_init() keeps columns only */
		goto bad;
	case COL_ID:
		id = json_id(v);
		if (id < 0)
			goto bad;
		sqlite3_bind_int64(stmt, idx, id);
		break;
	case COL_TEXT:
		if (!json_object_is_type(v, json_type_string))
			goto bad;
		sqlite3_bind_text(stmt, idx, json_object_get_string(v),
		    json_object_get_string_len(v), SQLITE_STATIC);
		break;
	case COL_INT:
		if (!json_object_is_type(v, json_type_int))
			goto bad;
		sqlite3_bind_int64(stmt, idx, json_object_get_int64(v));
		break;
	case COL_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			goto bad;
		sqlite3_bind_int(stmt, idx, json_object_get_boolean(v));
		break;
	case COL_JSON:
		/* the text is v's own until v is printed again */
		s = json_object_to_json_string_ext(v,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		sqlite3_bind_text(stmt, idx, s, -1, SQLITE_STATIC);
		break;
	}
	return 0;
bad:
	*cause = xasprintf("%s: bad value %s", c->name,
	    json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	return -1;
}

/* Binds row[c->name] to parameter idx, as bind_value(). */
static int
bind_col(sqlite3_stmt *stmt, int idx, const struct col *c,
    struct json_object *row, char **cause)
{
	struct json_object *v = NULL;

	(void)json_object_object_get_ex(row, c->name, &v);
	return bind_value(stmt, idx, c, v, cause);
}

struct json_object *
col_value(sqlite3_stmt *stmt, int i, enum col_kind kind)
{
	char buf[32];

	if (sqlite3_column_type(stmt, i) == SQLITE_NULL)
		return NULL;
	switch (kind) {
	case COL_NONE:
		break;
	case COL_ID: {
		/* by hand: snprintf showed in list profiles */
		uint64_t v = (uint64_t)sqlite3_column_int64(stmt, i);
		char *p = buf + sizeof(buf);

		do {
			*--p = (char)('0' + v % 10);
			v /= 10;
		} while (v != 0);
		return json_object_new_string_len(p,
		    (int)(buf + sizeof(buf) - p));
	}
	case COL_TEXT:
		return json_object_new_string_len(
		    (const char *)sqlite3_column_text(stmt, i),
		    sqlite3_column_bytes(stmt, i));
	case COL_INT:
		return json_object_new_int64(sqlite3_column_int64(stmt, i));
	case COL_BOOL:
		return json_object_new_boolean(sqlite3_column_int(stmt, i));
	case COL_JSON:
		return json_tokener_parse(
		    (const char *)sqlite3_column_text(stmt, i));
	}
	return NULL;
}

struct json_object *
row_read(sqlite3_stmt *stmt, const struct table_def *td, int first)
{
	struct json_object *row = json_object_new_object();
	size_t i;

	for (i = 0; i < td->ncols; i++) {
		struct json_object *v = col_value(stmt, first + (int)i,
		    td->cols[i].kind);

		/* column names are static and unique: no copy, no lookup */
		if (v != NULL)
			json_object_object_add_ex(row, td->cols[i].name, v,
			    JSON_C_OBJECT_ADD_KEY_IS_NEW |
			        JSON_C_OBJECT_ADD_CONSTANT_KEY);
	}
	return row;
}

struct json_object *
get_one(sqlite3_stmt *stmt, enum store_table t)
{
	struct json_object *row = NULL;

	if (sqlite3_step(stmt) == SQLITE_ROW)
		row = row_read(stmt, &tables[t], 0);
	stmt_done(stmt);
	return row;
}

struct json_object *
get_all(sqlite3_stmt *stmt, enum store_table t)
{
	struct json_object *arr = json_object_new_array();

	while (sqlite3_step(stmt) == SQLITE_ROW)
		json_object_array_add(arr, row_read(stmt, &tables[t], 0));
	stmt_done(stmt);
	return arr;
}

struct json_object *
store_get(struct store *st, enum store_table t, int64_t id)
{
	struct cache_slot *c;
	struct json_object *row;
	sqlite3_stmt *stmt;

	if ((unsigned)t >= TBL__COUNT || tables[t].nkeys != 1 ||
	    tables[t].cols[0].kind != COL_ID)
		return NULL;
	if ((c = cache_find(st, CK_ROW, (int)t, id, 0, NULL)) != NULL)
		return cached_row(c);
	stmt = stmt_get(st, st->sql_get[t], NULL);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	row = get_one(stmt, t);
	cache_put(st, CK_ROW, (int)t, id, 0, NULL,
	    row ? json_object_get(row) : NULL, 0);
	return row;
}

struct json_object *
store_get_token(struct store *st, const char *token)
{
	struct cache_slot *c;
	struct json_object *row;
	sqlite3_stmt *stmt;

	if (token == NULL)
		return NULL;
	if ((c = cache_find(st, CK_TOKEN, TBL_TOKENS, 0, 0, token)) != NULL)
		return cached_row(c);
	stmt = stmt_get(st, st->sql_get[TBL_TOKENS], NULL);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, token, -1, SQLITE_TRANSIENT);
	row = get_one(stmt, TBL_TOKENS);
	/* only tokens that exist: caching misses would let any client fill
	 * the cache with strings as long as the body limit */
	if (row != NULL)
		cache_put(st, CK_TOKEN, TBL_TOKENS, 0, 0, token,
		    json_object_get(row), 0);
	return row;
}

int
write_cols(struct store *st, sqlite3_stmt *stmt, const struct table_def *td,
    struct json_object *row, struct json_object *const *vals, char **cause)
{
	size_t i;
	int rc = -1;

	for (i = 0; i < td->ncols; i++) {
		struct json_object *v = NULL;

		if (vals != NULL)
			v = vals[td->cols[i].member];
		else
			(void)json_object_object_get_ex(row, td->cols[i].name,
			    &v);
		if (bind_value(stmt, (int)i + 1, &td->cols[i], v, cause) == -1)
			goto out;
	}
	/*
	 * The failed statement is undone and the transaction goes on; in a
	 * load (INSERT OR ROLLBACK), SQLite has rolled it back.
	 */
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		set_cause(st, cause);
		goto out;
	}
	rc = 0;
out:
	stmt_done(stmt);
	return rc;
}

/* Runs sql (insert or update of t) with every column of row bound. */
static int
write_row(struct store *st, enum store_table t, const char *sql,
    struct json_object *row, char **cause)
{
	sqlite3_stmt *stmt;

	*cause = NULL;
	if ((unsigned)t >= TBL__COUNT || row == NULL ||
	    !json_object_is_type(row, json_type_object)) {
		*cause = xstrdup("not a row");
		return -1;
	}
	cache_touch(st, t);
	if ((stmt = stmt_get(st, sql, cause)) == NULL)
		return -1;
	return write_cols(st, stmt, &tables[t], row, NULL, cause);
}

int
store_insert(struct store *st, enum store_table t, struct json_object *row,
    char **cause)
{
	if ((unsigned)t >= TBL__COUNT) {
		*cause = xstrdup("no such table");
		return -1;
	}
	return write_row(st, t, st->sql_insert[t], row, cause);
}

int
store_update(struct store *st, enum store_table t, struct json_object *row,
    char **cause)
{
	if ((unsigned)t >= TBL__COUNT) {
		*cause = xstrdup("no such table");
		return -1;
	}
	if (write_row(st, t, st->sql_update[t], row, cause) == -1)
		return -1;
	if (sqlite3_changes(st->db) != 1) {
		*cause = xasprintf("%s: no such row", tables[t].name);
		return -1;
	}
	return 0;
}

int
store_update_alone(struct store *st, enum store_table t,
    struct json_object *row, char **cause)
{
	if (store_begin(st) < 0 || store_update(st, t, row, cause) < 0 ||
	    store_commit(st) < 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

/* Runs sql (a get or delete of t by its key) with the key of row bound. */
static sqlite3_stmt *
bind_key(struct store *st, enum store_table t, const char *sql,
    struct json_object *key)
{
	sqlite3_stmt *stmt;
	char *cause = NULL;
	size_t i;

	if ((stmt = stmt_get(st, sql, NULL)) == NULL)
		return NULL;
	for (i = 0; i < tables[t].nkeys; i++)
		if (bind_col(stmt, (int)i + 1, &tables[t].cols[i], key,
		        &cause) == -1) {
			free(cause);
			stmt_done(stmt);
			return NULL;
		}
	return stmt;
}

struct json_object *
store_lookup(struct store *st, enum store_table t, struct json_object *key)
{
	sqlite3_stmt *stmt;

	if ((unsigned)t >= TBL__COUNT ||
	    (stmt = bind_key(st, t, st->sql_get[t], key)) == NULL)
		return NULL;
	return get_one(stmt, t);
}

int
store_delete(struct store *st, enum store_table t, struct json_object *key)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((unsigned)t >= TBL__COUNT ||
	    (stmt = bind_key(st, t, st->sql_delete[t], key)) == NULL)
		return -1;
	cache_touch(st, t);
	rc = sqlite3_step(stmt);
	stmt_done(stmt);
	if (rc != SQLITE_DONE)
		return -1;
	return sqlite3_changes(st->db);
}

struct json_object *
store_rows_by(struct store *st, enum store_table t, const char *column,
    int64_t id)
{
	struct json_object *arr = json_object_new_array();
	const struct table_def *td;
	sqlite3_stmt *stmt;
	char *sql;

	if ((unsigned)t >= TBL__COUNT)
		return arr;
	td = &tables[t];
	/* sql_export's columns, with a condition before the ORDER BY */
	sql = xasprintf("%.*s WHERE %s = ?1 ORDER BY seq",
	    (int)(strstr(st->sql_export[t], " ORDER BY seq") -
	        st->sql_export[t]),
	    st->sql_export[t], column);
	stmt = stmt_get(st, sql, NULL);
	free(sql);
	if (stmt == NULL)
		return arr;
	sqlite3_bind_int64(stmt, 1, id);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		json_object_array_add(arr, row_read(stmt, td, 0));
	stmt_done(stmt);
	return arr;
}

int
store_clear(struct store *st)
{
	int t;

	cache_touch_all(st);
	/* Children first, so that foreign keys hold at every step. */
	for (t = TBL__COUNT - 1; t >= 0; t--) {
		char *sql = xasprintf("DELETE FROM %s", tables[t].name);
		int rc = run_simple(st, sql);

		free(sql);
		if (rc == -1)
			return -1;
	}
	return run_simple(st, "DELETE FROM nodes");
}
