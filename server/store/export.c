/*
 * export.c - the whole state as a fixture document (the control plane's
 * export) or as its JSON text written straight from the rows (the boot
 * state a reset returns to).  Reading it back in is fixtures.c's.
 */
#include <json-c/json.h>
#include <stdlib.h>

#include "jsonout.h"
#include "store_int.h"
#include "util.h"

struct json_object *
store_export(struct store *st)
{
	struct json_object *doc = json_object_new_object();
	int t;

	for (t = 0; t < TBL__COUNT; t++) {
		sqlite3_stmt *stmt = stmt_get(st, st->sql_export[t], NULL);
		struct json_object *arr = json_object_new_array();
		int rc;

		if (stmt == NULL) {
			json_object_put(arr);
			json_object_put(doc);
			return NULL;
		}
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			json_object_array_add(arr,
			    row_read(stmt, &tables[t], 0));
		stmt_done(stmt);
		json_object_object_add(doc, tables[t].name, arr);
		if (rc != SQLITE_DONE) {
			json_object_put(doc);
			return NULL;
		}
	}
	return doc;
}

/*
 * Appends the current result's row of td to sb as store_export() would
 * show it, without making it: a start-up with many rows keeps the boot
 * state as text, and building each row as JSON first cost as much as
 * loading it.
 */
static void
row_text(struct sbuf *sb, sqlite3_stmt *stmt, const struct table_def *td)
{
	struct json_object *v = NULL;
	size_t i;
	char sep = '{';

	for (i = 0; i < td->ncols; i++) {
		int k = (int)i;

		if (sqlite3_column_type(stmt, k) == SQLITE_NULL)
			continue;
		if (td->cols[i].kind == COL_JSON) {
			/* as store_export(): text that is not JSON is left out */
			if ((v = col_value(stmt, k, COL_JSON)) == NULL)
				continue;
		}
		sbuf_addch(sb, sep);
		sep = ',';
		sbuf_addch(sb, '"');
		sbuf_addstr(sb, td->cols[i].name);
		sbuf_add(sb, "\":", 2);
		switch (td->cols[i].kind) {
		case COL_NONE:
			break;
		case COL_ID:
			sbuf_addch(sb, '"');
			sbuf_addint(sb, sqlite3_column_int64(stmt, k));
			sbuf_addch(sb, '"');
			break;
		case COL_TEXT:
			jsonout_string(sb,
			    (const char *)sqlite3_column_text(stmt, k),
			    (size_t)sqlite3_column_bytes(stmt, k));
			break;
		case COL_INT:
			sbuf_addint(sb, sqlite3_column_int64(stmt, k));
			break;
		case COL_BOOL:
			sbuf_addstr(sb,
			    sqlite3_column_int(stmt, k) ? "true" : "false");
			break;
		case COL_JSON:
			sbuf_addstr(sb,
			    json_object_to_json_string_ext(v,
			        JSON_C_TO_STRING_PLAIN |
			            JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(v);
			break;
		}
	}
	if (sep == '{')
		sbuf_addch(sb, '{');
	sbuf_addch(sb, '}');
}

char *
store_export_text(struct store *st, size_t *len)
{
	struct sbuf sb = SBUF_INIT;
	int t, rc = SQLITE_DONE;

	sbuf_addch(&sb, '{');
	for (t = 0; rc == SQLITE_DONE && t < TBL__COUNT; t++) {
		sqlite3_stmt *stmt = stmt_get(st, st->sql_export[t], NULL);
		bool first = true;

		if (stmt == NULL) {
			rc = SQLITE_ERROR;
			break;
		}
		sbuf_addf(&sb, "%s\"%s\":[", t ? "," : "", tables[t].name);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			if (!first)
				sbuf_addch(&sb, ',');
			first = false;
			row_text(&sb, stmt, &tables[t]);
		}
		stmt_done(stmt);
		sbuf_addch(&sb, ']');
	}
	sbuf_addch(&sb, '}');
	if (rc != SQLITE_DONE) {
		sbuf_release(&sb);
		return NULL;
	}
	*len = sb.len;
	return sbuf_detach(&sb);
}
