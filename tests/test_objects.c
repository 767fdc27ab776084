/*
 * test_objects.c - the object descriptions (objects.c) against themselves
 * and against the schema the migrations build: every described column
 * exists with a compatible type and nullability, no table holds a column
 * nobody described, references are foreign keys, and each node table's
 * trigger registers the node type the description names.
 */
#include <check.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "objects.h"
#include "store.h"
#include "util.h"
#include "webhooks/outbox.h"
#include "suite.h"

/*
 * Columns the schema keeps for itself: each table's insertion order, and
 * the copy of a WABA's creation time on its shares (kept by triggers, so
 * client lists page by an index).  Rows never carry them.
 */
static bool
store_own(const char *table, const char *col)
{
	return strcmp(col, "seq") == 0 ||
	    (strcmp(table, "shares") == 0 &&
	        strcmp(col, "waba_creation_time") == 0);
}

/* A store file migrated by store_open(), opened again with SQLite alone. */
static sqlite3 *
migrated(char **dir)
{
	char tmpl[] = "/tmp/waba-objects-XXXXXX", *path, *cause = NULL;
	struct store *st;
	sqlite3 *db;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	*dir = xstrdup(tmpl);
	path = xasprintf("%s/s.db", *dir);
	st = store_open(path, 1, &cause);
	ck_assert_msg(st != NULL, "store_open: %s", cause ? cause : "?");
	store_close(st);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	free(path);
	return db;
}

static void
cleanup(sqlite3 *db, char *dir)
{
	char *p;

	sqlite3_close(db);
	p = xasprintf("%s/s.db", dir);
	unlink(p);
	free(p);
	p = xasprintf("%s/s.db-wal", dir);
	unlink(p);
	free(p);
	p = xasprintf("%s/s.db-shm", dir);
	unlink(p);
	free(p);
	rmdir(dir);
	free(dir);
}

/* The SQL type a column of this kind must be declared with. */
static const char *
sql_type(enum col_kind k)
{
	return k == COL_TEXT || k == COL_JSON ? "TEXT" : "INTEGER";
}

START_TEST(test_columns_match_schema)
{
	char *dir;
	sqlite3 *db = migrated(&dir);
	size_t t, i;

	for (t = 0; t < TBL__COUNT; t++) {
		const struct obj_type *ot = &objects[t];
		char *sql = xasprintf("SELECT name, type, \"notnull\", pk "
		                      "FROM pragma_table_info('%s')",
		    ot->table);
		sqlite3_stmt *stmt;
		size_t seen = 0, ncols = 0;

		ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
		    SQLITE_OK);
		while (sqlite3_step(stmt) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(
			    stmt, 0);
			const char *type = (const char *)sqlite3_column_text(
			    stmt, 1);
			bool notnull = sqlite3_column_int(stmt, 2) ||
			    sqlite3_column_int(stmt, 3);
			const struct obj_member *m = obj_member(ot, name);

			if (store_own(ot->table, name))
				continue;
			ck_assert_msg(m != NULL && m->type != VT_NONE,
			    "%s.%s: a column no object member describes",
			    ot->table, name);
			ck_assert_msg(
			    strcmp(type, sql_type(obj_col_kind(m->type))) == 0,
			    "%s.%s: declared %s, described as %s", ot->table,
			    name, type, sql_type(obj_col_kind(m->type)));
			ck_assert_msg(notnull == !obj_nullable(m),
			    "%s.%s: NOT NULL is %d, the description says the "
			    "column %s be NULL",
			    ot->table, name, notnull,
			    obj_nullable(m) ? "may" : "may not");
			seen++;
		}
		sqlite3_finalize(stmt);
		free(sql);
		for (i = 0; i < ot->nmembers; i++)
			ncols += ot->members[i].type != VT_NONE;
		ck_assert_msg(seen == ncols,
		    "%s: %zu of %zu described "
		    "columns are in the schema",
		    ot->table, seen, ncols);
	}
	cleanup(db, dir);
}
END_TEST

START_TEST(test_references_are_foreign_keys)
{
	char *dir;
	sqlite3 *db = migrated(&dir);
	size_t t, i;

	for (t = 0; t < TBL__COUNT; t++) {
		const struct obj_type *ot = &objects[t];

		for (i = 0; i < ot->nmembers; i++) {
			const struct obj_member *m = &ot->members[i];
			char *sql;
			sqlite3_stmt *stmt;

			if (m->type != VT_REF)
				continue;
			/* load order: a reference points backwards */
			ck_assert_msg((size_t)m->ref < t,
			    "%s.%s refers "
			    "forwards",
			    ot->table, m->name);
			sql = xasprintf(
			    "SELECT count(*) FROM "
			    "pragma_foreign_key_list('%s') WHERE \"from\" = "
			    "'%s' AND \"table\" = '%s' AND \"to\" = 'id'",
			    ot->table, m->name, objects[m->ref].table);
			ck_assert_int_eq(
			    sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
			    SQLITE_OK);
			ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
			ck_assert_msg(sqlite3_column_int(stmt, 0) == 1,
			    "%s.%s: no foreign key to %s (id)", ot->table,
			    m->name, objects[m->ref].table);
			sqlite3_finalize(stmt);
			free(sql);
		}
	}
	cleanup(db, dir);
}
END_TEST

START_TEST(test_node_triggers_match)
{
	char *dir;
	sqlite3 *db = migrated(&dir);
	size_t t;

	for (t = 0; t < TBL__COUNT; t++) {
		const struct obj_type *ot = &objects[t];
		char *sql, *want;
		sqlite3_stmt *stmt;
		const char *text;

		sql = xasprintf("SELECT sql FROM sqlite_master WHERE "
		                "type = 'trigger' AND name = '%s_node'",
		    ot->table);
		ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
		    SQLITE_OK);
		text = sqlite3_step(stmt) == SQLITE_ROW ?
		    (const char *)sqlite3_column_text(stmt, 0) :
		    NULL;
		if (ot->node == NODE_NONE) {
			ck_assert_msg(text == NULL,
			    "%s is no node type but "
			    "registers nodes",
			    ot->table);
		} else {
			want = xasprintf("(new.id, %d)", (int)ot->node);
			ck_assert_msg(text != NULL && strstr(text, want),
			    "%s_node must insert %s", ot->table, want);
			ck_assert_ptr_eq(objects_of_node(ot->node), ot);
			free(want);
		}
		sqlite3_finalize(stmt);
		free(sql);
	}
	cleanup(db, dir);
}
END_TEST

/* The description's own rules, which the compiler cannot check. */
/* The fields a subscription may list are the ones the outbox routes. */
START_TEST(test_webhook_fields)
{
	const char *const *f;

	for (f = webhook_fields; *f != NULL; f++)
		ck_assert_msg(outbox_field_known(*f), "%s", *f);
	ck_assert(!outbox_field_known("feed"));
}
END_TEST

START_TEST(test_descriptions_consistent)
{
	size_t t, i, j;

	for (t = 0; t < TBL__COUNT; t++) {
		const struct obj_type *ot = &objects[t];
		const char *const *d;
		const struct filter_spec *fs;

		ck_assert_msg(ot->table != NULL && ot->what != NULL &&
		        ot->nmembers > 0,
		    "objects[%zu] is empty", t);
		ck_assert_uint_le(ot->nmembers, OBJ_MAX_MEMBERS);
		for (i = 0; i < ot->nkeys; i++)
			ck_assert_msg(ot->members[i].type != VT_NONE,
			    "%s: key %zu is no column", ot->table, i);
		ck_assert_int_eq(ot->node != NODE_NONE,
		    ot->members[0].type == VT_ID);
		/* fixtures.c names a pair by a reference and a reference
		 * or a text (a subscription: its app and its object) */
		ck_assert(ot->nkeys == 1 ||
		    (ot->nkeys == 2 && ot->members[0].type == VT_REF &&
		        (ot->members[1].type == VT_REF ||
		            obj_col_kind(ot->members[1].type) == COL_TEXT)));
		for (i = 0; i < ot->nmembers; i++) {
			const struct obj_member *m = &ot->members[i];

			for (j = 0; j < i; j++)
				ck_assert_msg(
				    strcmp(ot->members[j].name, m->name) != 0,
				    "%s.%s twice", ot->table, m->name);
			ck_assert_msg((m->values != NULL) ==
			        (m->type == VT_ENUM || m->type == VT_TASKS ||
			            m->type == VT_TASKS0 ||
			            m->type == VT_FIELDS),
			    "%s.%s: values and type "
			    "disagree",
			    ot->table, m->name);
			if (m->def != NULL) {
				struct json_object *v = json_tokener_parse(
				    m->def);

				ck_assert_msg(v != NULL ||
				        strcmp(m->def, "null") == 0,
				    "%s.%s: default is no JSON", ot->table,
				    m->name);
				json_object_put(v);
			}
			if (m->type == VT_NONE)
				ck_assert_msg(m->flags == OM_FIELD,
				    "%s.%s: a field without a column has no "
				    "other flag",
				    ot->table, m->name);
			if (m->get != GET_ROW)
				ck_assert(m->flags & OM_FIELD);
			if (m->flags & OM_FIELD)
				ck_assert_msg(ot->defaults != NULL,
				    "%s.%s: a field of a type never rendered",
				    ot->table, m->name);
		}
		for (d = ot->defaults; d != NULL && *d != NULL; d++) {
			const struct obj_member *m = obj_member(ot, *d);

			ck_assert_msg(m != NULL && (m->flags & OM_FIELD),
			    "%s: default field %s is no field", ot->table, *d);
		}
		for (fs = ot->filters; fs != NULL && fs->field != NULL; fs++) {
			const struct obj_member *m = obj_member(ot, fs->field);

			ck_assert_msg(m != NULL &&
			        (obj_col_kind(m->type) == COL_TEXT ||
			            obj_col_kind(m->type) == COL_INT),
			    "%s: filter %s is no text or integer column",
			    ot->table, fs->field);
			/* one domain: the filter shares the column's list */
			ck_assert_msg(fs->values == m->values,
			    "%s: filter %s "
			    "has its own values",
			    ot->table, fs->field);
		}
		if (ot->node != NODE_NONE)
			ck_assert_str_eq(node_type_name(ot->node),
			    ot->graph_name);
	}
	ck_assert_str_eq(node_type_name(NODE_ROOT), "Root");
	ck_assert_str_eq(node_type_name(NODE_NONE), "Unknown");
}
END_TEST

START_TEST(test_values_list)
{
	static const char *const v[] = { "A", "B", "C", NULL };
	char *s = obj_values_list(v);

	ck_assert_str_eq(s, "A, B, C");
	free(s);
}
END_TEST

static Suite *
objects_suite(void)
{
	const TTest *const tests[] = {
		test_columns_match_schema,
		test_references_are_foreign_keys,
		test_node_triggers_match,
		test_descriptions_consistent,
		test_webhook_fields,
		test_values_list,
		NULL,
	};

	return suite_core("objects", NULL, NULL, tests);
}

int
main(void)
{
	return suite_run(objects_suite());
}
