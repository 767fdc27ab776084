/*
 * queries.c - the reads and counts by something other than a row's key
 * that handlers ask for by name: a phone by its number, templates by
 * name or due time, assignments and shares by their pair, counts of
 * phones, shares and templates; and the one named delete.  Generic reads
 * and writes by key are rows.c's.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "store_int.h"

struct json_object *
store_phone_by_number(struct store *st, const char *cc, const char *number)
{
	sqlite3_stmt *stmt = stmt_get(st, st->sql_phone, NULL);

	if (stmt == NULL || cc == NULL || number == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, cc, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, number, -1, SQLITE_TRANSIENT);
	return get_one(stmt, TBL_PHONE_NUMBERS);
}

struct json_object *
store_template_live(struct store *st, int64_t waba, const char *name,
    const char *language)
{
	sqlite3_stmt *stmt;
	struct cache_slot *c;
	struct json_object *row;
	char key[512];

	if (name == NULL || language == NULL)
		return NULL;
	/* every send of a template reads it: cached by name and language */
	if ((size_t)snprintf(key, sizeof(key), "%s\x1f%s", name, language) <
	        sizeof(key) &&
	    (c = cache_find(st, CK_TEMPLATE, TBL_TEMPLATES, waba, 0, key)) !=
	        NULL)
		return cached_row(c);
	if ((stmt = stmt_get(st, st->sql_tmpl_live, NULL)) == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, waba);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, language, -1, SQLITE_TRANSIENT);
	row = get_one(stmt, TBL_TEMPLATES);
	/* only templates that exist: misses would let any client fill the
	 * cache with names */
	if (row != NULL && strlen(key) == strlen(name) + 1 + strlen(language))
		cache_put(st, CK_TEMPLATE, TBL_TEMPLATES, waba, 0, key,
		    json_object_get(row), 0);
	return row;
}

struct json_object *
store_templates_named(struct store *st, int64_t waba, const char *name)
{
	sqlite3_stmt *stmt = stmt_get(st, st->sql_tmpl_named, NULL);

	if (stmt == NULL || name == NULL)
		return json_object_new_array();
	sqlite3_bind_int64(stmt, 1, waba);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
	return get_all(stmt, TBL_TEMPLATES);
}

/* sql's count with waba as ?1 and, when b >= 0, b as ?2; -1 on error. */
static long
count_by(struct store *st, const char *sql, int64_t waba, int64_t b)
{
	sqlite3_stmt *stmt = stmt_get(st, sql, NULL);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, waba);
	if (b >= 0)
		sqlite3_bind_int64(stmt, 2, b);
	return (long)store_stmt_int(stmt);
}

long
store_count_templates(struct store *st, int64_t waba, int64_t since)
{
	return count_by(st,
	    since < 0 ? "SELECT count(*) FROM templates WHERE waba = ?1 AND "
	                "status NOT IN ('PENDING_DELETION', 'DELETED')" :
	                "SELECT count(*) FROM templates WHERE waba = ?1 AND "
	                "created_at >= ?2",
	    waba, since);
}

int64_t
store_templates_next_due(struct store *st)
{
	sqlite3_stmt *stmt = stmt_get(st,
	    "SELECT min(due_at) FROM templates "
	    "WHERE due_at IS NOT NULL",
	    NULL);
	int64_t v = -1;

	if (stmt == NULL)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_type(stmt, 0) == SQLITE_NULL ?
		    INT64_MAX :
		    sqlite3_column_int64(stmt, 0);
	stmt_done(stmt);
	return v;
}

struct json_object *
store_templates_due(struct store *st, int64_t now, int limit)
{
	sqlite3_stmt *stmt = stmt_get(st, st->sql_tmpl_due, NULL);

	if (stmt == NULL)
		return json_object_new_array();
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int64(stmt, 2, limit);
	return get_all(stmt, TBL_TEMPLATES);
}

static struct json_object *
get_pair(struct store *st, enum store_table t, int64_t a, int64_t b)
{
	struct cache_slot *c = cache_find(st, CK_ROW, (int)t, a, b, NULL);
	struct json_object *row;
	sqlite3_stmt *stmt;

	if (c != NULL)
		return cached_row(c);
	stmt = stmt_get(st, st->sql_get[t], NULL);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, a);
	sqlite3_bind_int64(stmt, 2, b);
	row = get_one(stmt, t);
	cache_put(st, CK_ROW, (int)t, a, b, NULL,
	    row ? json_object_get(row) : NULL, 0);
	return row;
}

struct json_object *
store_assignment(struct store *st, int64_t waba, int64_t user)
{
	return get_pair(st, TBL_ASSIGNMENTS, waba, user);
}

struct json_object *
store_share(struct store *st, int64_t waba, int64_t business)
{
	return get_pair(st, TBL_SHARES, waba, business);
}

long
store_count_phones(struct store *st, int64_t waba, const char *status)
{
	struct cache_slot *c = cache_find(st, CK_COUNT, TBL_PHONE_NUMBERS, waba,
	    0, status);
	sqlite3_stmt *stmt;
	long n;

	if (c != NULL)
		return c->num;
	stmt = stmt_get(st,
	    "SELECT count(*) FROM phone_numbers "
	    "WHERE waba = ?1 AND (?2 IS NULL OR status = ?2)",
	    NULL);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, waba);
	if (status != NULL)
		sqlite3_bind_text(stmt, 2, status, -1, SQLITE_TRANSIENT);
	n = (long)store_stmt_int(stmt);
	if (n >= 0)
		cache_put(st, CK_COUNT, TBL_PHONE_NUMBERS, waba, 0, status,
		    NULL, n);
	return n;
}

long
store_count_shares(struct store *st, int64_t waba)
{
	return count_by(st, "SELECT count(*) FROM shares WHERE waba = ?1", waba,
	    -1);
}

int
store_delete_assignment(struct store *st, int64_t waba, int64_t user)
{
	sqlite3_stmt *stmt = stmt_get(st,
	    "DELETE FROM assignments "
	    "WHERE waba = ?1 AND user = ?2",
	    NULL);
	int rc;

	if (stmt == NULL)
		return -1;
	cache_touch(st, TBL_ASSIGNMENTS);
	sqlite3_bind_int64(stmt, 1, waba);
	sqlite3_bind_int64(stmt, 2, user);
	rc = sqlite3_step(stmt);
	stmt_done(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}
