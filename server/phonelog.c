/*
 * phonelog.c - the phone-life logs; see phonelog.h.  Not on any read
 * path: statements are prepared per call.
 */
#include "phonelog.h"

#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "util.h"

static sqlite3_stmt *
prepare(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(store_sqlite(st), sql, -1, &stmt, NULL) !=
	    SQLITE_OK) {
		sqlite3_finalize(stmt);
		return NULL;
	}
	return stmt;
}

/* Runs a statement that returns nothing: 0, or -1. */
static int
run(sqlite3_stmt *stmt)
{
	int rc;

	if (stmt == NULL)
		return -1;
	rc = sqlite3_step(stmt) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(stmt);
	return rc;
}

/* Runs a statement that returns one count: the count, or -1. */
static long
count(sqlite3_stmt *stmt)
{
	long n = -1;

	if (stmt == NULL)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

int
phonelog_code_add(struct store *st, int64_t phone, const char *code,
    const char *method, const char *language, int64_t at)
{
	sqlite3_stmt *stmt = prepare(st,
	    "INSERT INTO phone_codes "
	    "(phone, code, code_method, language, sent_at) "
	    "VALUES (?, ?, ?, ?, ?)");

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, phone);
	sqlite3_bind_text(stmt, 2, code, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, method, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, language, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 5, at);
	return run(stmt);
}

long
phonelog_codes_since(struct store *st, int64_t phone, int64_t since)
{
	sqlite3_stmt *stmt = prepare(st,
	    "SELECT count(*) FROM phone_codes "
	    "WHERE phone = ? AND sent_at >= ?");

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, phone);
	sqlite3_bind_int64(stmt, 2, since);
	return count(stmt);
}

char *
phonelog_last_code(struct store *st, int64_t phone)
{
	sqlite3_stmt *stmt = prepare(st,
	    "SELECT code FROM phone_codes "
	    "WHERE phone = ? ORDER BY seq DESC LIMIT 1");
	char *code = NULL;

	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, phone);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		code = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return code;
}

struct json_object *
phonelog_codes(struct store *st, int64_t phone)
{
	sqlite3_stmt *stmt = prepare(st,
	    "SELECT code, code_method, "
	    "language, sent_at FROM phone_codes WHERE phone = ? "
	    "ORDER BY seq DESC");
	struct json_object *o = json_object_new_object(),
	                   *data = json_object_new_array();

	json_object_object_add(o, "data", data);
	if (stmt == NULL)
		return o;
	sqlite3_bind_int64(stmt, 1, phone);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		struct json_object *c = json_object_new_object();
		int i;

		for (i = 0; i < 3; i++)
			json_object_object_add(c, sqlite3_column_name(stmt, i),
			    json_object_new_string(
			        (const char *)sqlite3_column_text(stmt, i)));
		json_object_object_add(c, "sent_at",
		    json_object_new_int64(sqlite3_column_int64(stmt, 3)));
		json_object_array_add(data, c);
	}
	sqlite3_finalize(stmt);
	return o;
}

/* sql with its three parameters, phone, action and a time, bound. */
static sqlite3_stmt *
prepare_action(struct store *st, const char *sql, int64_t phone,
    const char *action, int64_t at)
{
	sqlite3_stmt *stmt = prepare(st, sql);

	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, phone);
	sqlite3_bind_text(stmt, 2, action, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 3, at);
	return stmt;
}

int
phonelog_action_add(struct store *st, int64_t phone, const char *action,
    int64_t at)
{
	return run(prepare_action(st,
	    "INSERT INTO phone_actions "
	    "(phone, action, at) VALUES (?, ?, ?)",
	    phone, action, at));
}

long
phonelog_actions_since(struct store *st, int64_t phone, const char *action,
    int64_t since)
{
	return count(prepare_action(st,
	    "SELECT count(*) FROM phone_actions "
	    "WHERE phone = ? AND action = ? AND at >= ?",
	    phone, action, since));
}

struct json_object *
phonelog_reviews_due(struct store *st, int64_t now)
{
	sqlite3_stmt *stmt = prepare(st,
	    "SELECT id FROM phone_numbers "
	    "WHERE name_review_at IS NOT NULL AND name_review_at <= ? "
	    "ORDER BY name_review_at, id");
	struct json_object *ids = json_object_new_array();
	char buf[24];

	if (stmt == NULL)
		return ids;
	sqlite3_bind_int64(stmt, 1, now);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		snprintf(buf, sizeof(buf), "%lld",
		    (long long)sqlite3_column_int64(stmt, 0));
		json_object_array_add(ids, json_object_new_string(buf));
	}
	sqlite3_finalize(stmt);
	return ids;
}
