/*
 * list.c - the keyset-paged lists (the edges of store.h's enum
 * store_list): the SQL of a page and of its count, built from a whitelist
 * of columns and operators so that the set of texts (each a cached
 * statement) stays small, and the filters' values bound to it.  Which
 * filters a list accepts is filter.c's and objects.c's; cursors are
 * paging.c's.
 */
#include <assert.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "store_int.h"
#include "util.h"

/*
 * The list edges.  The row's own table has the alias r; k1/k2 are the
 * keyset (display order), backed by an index that starts with the owner
 * column, so any page is one index seek.
 */
struct list_def {
	enum store_table tbl; /* the columns of the row */
	const char *from;
	const char *owner; /* the owner condition, one parameter */
	const char *k1, *k2;
	const char *extra; /* an added row key, or NULL */
	const char *extra_expr;
};

/*	table		from	owner	k1	k2	extra	extra_expr */
static const struct list_def lists[] = {
	[LIST_OWNED_WABAS] = { TBL_WABAS, "wabas r", "r.business = ?",
	    "r.creation_time", "r.id", NULL, NULL },
	[LIST_CLIENT_WABAS] = { TBL_WABAS,
	    "shares s JOIN wabas r ON r.id = s.waba", "s.business = ?",
	    "s.waba_creation_time", "s.waba", "permitted_tasks",
	    "s.permitted_tasks" },
	[LIST_PHONES] = { TBL_PHONE_NUMBERS, "phone_numbers r", "r.waba = ?",
	    "r.seq", "r.id", NULL, NULL },
	[LIST_ASSIGNED_USERS] = { TBL_USERS,
	    "assignments a JOIN users r ON r.id = a.user", "a.waba = ?",
	    "a.seq", "a.user", "tasks", "a.tasks" },
	[LIST_USER_WABAS] = { TBL_WABAS,
	    "assignments a JOIN wabas r ON r.id = a.waba", "a.user = ?",
	    "a.seq", "a.waba", "tasks", "a.tasks" },
	[LIST_TEMPLATES] = { TBL_TEMPLATES, "templates r", "r.waba = ?",
	    "r.seq", "r.id", NULL, NULL },
};
#define NLISTS (sizeof(lists) / sizeof(lists[0]))

/* The column named name of td when lists may filter on it; NULL if not. */
static const struct col *
filter_col(const struct table_def *td, const char *name)
{
	size_t i;

	for (i = 0; i < td->ncols; i++)
		if (strcmp(td->cols[i].name, name) == 0 &&
		    (td->cols[i].kind == COL_TEXT ||
		        td->cols[i].kind == COL_INT))
			return &td->cols[i];
	return NULL;
}

/*
 * Text values of an IN or NOT IN up to this many are bound one by one,
 * "IN (?, ?)": no JSON for SQLite to parse and no temporary table to fill
 * on every run (every template list hides the two deleted statuses).
 * More go as one JSON array.
 */
#define INLINE_VALUES 4

static bool
values_inline(const struct col *c, const struct filter *f)
{
	return (f->op == FOP_IN || f->op == FOP_NOT_IN) &&
	    c->kind == COL_TEXT && f->nvalues >= 1 &&
	    f->nvalues <= INLINE_VALUES;
}

/*
 * Appends " AND ..." for each filter, then for q's business and ids, to
 * sb; the SQL text depends only on the fields and operators, and on the
 * number of values up to INLINE_VALUES.
 */
static int
filters_sql(const struct list_def *ld, const struct list_query *q,
    struct sbuf *sb, char **cause)
{
	size_t i;

	for (i = 0; i < q->nfilters; i++) {
		const struct filter *f = &q->filters[i];
		const struct col *c = f->field ?
		    filter_col(&tables[ld->tbl], f->field) :
		    NULL;

		if (c == NULL) {
			*cause = xasprintf("unsupported filter field %s",
			    f->field ? f->field : "(null)");
			return -1;
		}
		switch (f->op) {
		case FOP_EQUAL:
			if (f->nvalues < 1)
				goto novalue;
			sbuf_addf(sb, " AND r.%s = ?", c->name);
			break;
		case FOP_IN:
		case FOP_NOT_IN:
			if (values_inline(c, f)) {
				size_t j;

				sbuf_addf(sb, " AND r.%s %sIN (?", c->name,
				    f->op == FOP_NOT_IN ? "NOT " : "");
				for (j = 1; j < f->nvalues; j++)
					sbuf_addstr(sb, ", ?");
				sbuf_addch(sb, ')');
				break;
			}
			sbuf_addf(sb,
			    " AND r.%s %sIN "
			    "(SELECT value FROM json_each(?))",
			    c->name, f->op == FOP_NOT_IN ? "NOT " : "");
			break;
		case FOP_CONTAINS:
			sbuf_addf(sb, " AND r.%s LIKE ? ESCAPE '\\'", c->name);
			break;
		case FOP_CONTENT:
			/* the name, or the text of a component or button */
			sbuf_addf(sb,
			    " AND (r.%s LIKE ? ESCAPE '\\' OR "
			    "EXISTS (SELECT 1 FROM json_tree(r.components) j "
			    "WHERE j.key = 'text' AND j.type = 'text' AND "
			    "j.value LIKE ? ESCAPE '\\'))",
			    c->name);
			break;
		case FOP_LESS_THAN:
			sbuf_addf(sb, " AND r.%s < ?", c->name);
			break;
		case FOP_GREATER_THAN:
			sbuf_addf(sb, " AND r.%s > ?", c->name);
			break;
		case FOP_IN_RANGE:
			sbuf_addf(sb, " AND r.%s BETWEEN ? AND ?", c->name);
			break;
		default:
			*cause = xasprintf("unsupported filter operator on %s",
			    c->name);
			return -1;
		}
	}
	if (q->business != 0)
		sbuf_addstr(sb, " AND r.business = ?");
	if (q->ids != NULL)
		sbuf_addstr(sb,
		    " AND r.id IN (SELECT value FROM json_each(?))");
	return 0;
novalue:
	*cause = xasprintf("filter on %s has no value", q->filters[i].field);
	return -1;
}

/* "%s%" with LIKE's wildcards in s escaped; caller frees. */
static char *
like_pattern(const char *s)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addch(&sb, '%');
	for (; *s != '\0'; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			sbuf_addch(&sb, '\\');
		sbuf_addch(&sb, *s);
	}
	sbuf_addch(&sb, '%');
	return sbuf_detach(&sb);
}

/*
 * Binds the filters' values from parameter *idx on, in filters_sql order
 * (which has checked every field).
 */
static void
filters_bind(sqlite3_stmt *stmt, const struct list_def *ld,
    const struct list_query *q, int *idx)
{
	size_t i, j;
	char *like;

	for (i = 0; i < q->nfilters; i++) {
		const struct filter *f = &q->filters[i];
		struct json_object *arr;

		switch (f->op) {
		case FOP_EQUAL:
			sqlite3_bind_text(stmt, (*idx)++, f->values[0], -1,
			    SQLITE_TRANSIENT);
			break;
		case FOP_CONTAINS:
		case FOP_CONTENT:
			like = like_pattern(f->values[0]);
			sqlite3_bind_text(stmt, (*idx)++, like, -1,
			    SQLITE_TRANSIENT);
			if (f->op == FOP_CONTENT)
				sqlite3_bind_text(stmt, (*idx)++, like, -1,
				    SQLITE_TRANSIENT);
			free(like);
			break;
		case FOP_IN:
		case FOP_NOT_IN:
			if (values_inline(
			        filter_col(&tables[ld->tbl], f->field), f)) {
				for (j = 0; j < f->nvalues; j++)
					sqlite3_bind_text(stmt, (*idx)++,
					    f->values[j], -1, SQLITE_TRANSIENT);
				break;
			}
			arr = json_object_new_array();
			for (j = 0; j < f->nvalues; j++)
				json_object_array_add(arr,
				    json_object_new_string(f->values[j]));
			sqlite3_bind_text(stmt, (*idx)++,
			    json_object_to_json_string_ext(arr,
			        JSON_C_TO_STRING_PLAIN),
			    -1, SQLITE_TRANSIENT);
			json_object_put(arr);
			break;
		case FOP_LESS_THAN:
			sqlite3_bind_int64(stmt, (*idx)++, f->hi);
			break;
		case FOP_GREATER_THAN:
			sqlite3_bind_int64(stmt, (*idx)++, f->lo);
			break;
		case FOP_IN_RANGE:
			sqlite3_bind_int64(stmt, (*idx)++, f->lo);
			sqlite3_bind_int64(stmt, (*idx)++, f->hi);
			break;
		}
	}
	if (q->business != 0)
		sqlite3_bind_int64(stmt, (*idx)++, q->business);
	if (q->ids != NULL)
		sqlite3_bind_text(stmt, (*idx)++, q->ids, -1, SQLITE_TRANSIENT);
}

/* Reverses a json array in place. */
static void
array_reverse(struct json_object *arr)
{
	size_t n = json_object_array_length(arr), i;

	for (i = 0; i < n / 2; i++) {
		struct json_object *a = json_object_get(
		    json_object_array_get_idx(arr, i));
		struct json_object *b = json_object_get(
		    json_object_array_get_idx(arr, n - 1 - i));

		json_object_array_put_idx(arr, i, b);
		json_object_array_put_idx(arr, n - 1 - i, a);
	}
}

/*
 * The list row at the statement's current result.  A row of its table
 * alone (no added column) is the one store_get() would give, so it comes
 * from the row cache and goes into it: a page read again costs no JSON.
 */
static struct json_object *
list_row(struct store *st, sqlite3_stmt *stmt, const struct list_def *ld)
{
	const struct table_def *td = &tables[ld->tbl];
	struct json_object *row;
	struct cache_slot *c;
	int64_t id;

	if (ld->extra != NULL) {
		row = row_read(stmt, td, 0);
		json_object_object_add(row, ld->extra,
		    col_value(stmt, (int)td->ncols, COL_JSON));
		return row;
	}
	id = sqlite3_column_int64(stmt, 0);
	if ((c = cache_find(st, CK_ROW, (int)ld->tbl, id, 0, NULL)) != NULL &&
	    c->row != NULL)
		return json_object_get(c->row);
	row = row_read(stmt, td, 0);
	cache_put(st, CK_ROW, (int)ld->tbl, id, 0, NULL, json_object_get(row),
	    0);
	return row;
}

int
store_list(struct store *st, enum store_list l, const struct list_query *q,
    struct list_page *page, char **cause)
{
	const struct list_def *ld;
	const struct table_def *td;
	struct sbuf sql = SBUF_INIT;
	sqlite3_stmt *stmt;
	/* The scan runs ascending when display order and travel agree. */
	bool asc = q->descending == (q->pos.dir == -1);
	const char *ord = asc ? "ASC" : "DESC";
	int limit = q->limit > 0 ? q->limit : 0, idx = 1, rc, n = 0, k;

	*cause = NULL;
	memset(page, 0, sizeof(*page));
	if ((unsigned)l >= NLISTS) {
		*cause = xstrdup("no such list");
		return -1;
	}
	ld = &lists[l];
	td = &tables[ld->tbl];
	/* single-key tables lead with the key: list_row() reads it there */
	assert(ld->extra != NULL ||
	    (td->nkeys == 1 && td->cols[0].kind == COL_ID));
	k = (int)td->ncols + (ld->extra != NULL);
	sbuf_addstr(&sql, "SELECT ");
	for (size_t i = 0; i < td->ncols; i++)
		sbuf_addf(&sql, "r.%s, ", td->cols[i].name);
	if (ld->extra != NULL)
		sbuf_addf(&sql, "%s, ", ld->extra_expr);
	sbuf_addf(&sql, "%s, %s FROM %s WHERE %s", ld->k1, ld->k2, ld->from,
	    ld->owner);
	if (filters_sql(ld, q, &sql, cause) == -1)
		goto out;
	if (q->pos.dir != 0)
		sbuf_addf(&sql, " AND (%s, %s) %s (?, ?)", ld->k1, ld->k2,
		    asc ? ">" : "<");
	sbuf_addf(&sql, " ORDER BY %s %s, %s %s LIMIT ?", ld->k1, ord, ld->k2,
	    ord);
	if ((stmt = stmt_get(st, sql.buf, cause)) == NULL)
		goto out;
	sqlite3_bind_int64(stmt, idx++, q->owner);
	filters_bind(stmt, ld, q, &idx);
	if (q->pos.dir != 0) {
		sqlite3_bind_int64(stmt, idx++, q->pos.k1);
		sqlite3_bind_int64(stmt, idx++, q->pos.k2);
	}
	sqlite3_bind_int64(stmt, idx++, (int64_t)limit + 1);
	page->rows = json_object_new_array_ext(limit > 0 ? limit : 1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == limit) {
			page->more = true;
			continue;
		}
		json_object_array_add(page->rows, list_row(st, stmt, ld));
		page->last[0] = sqlite3_column_int64(stmt, k);
		page->last[1] = sqlite3_column_int64(stmt, k + 1);
		if (n++ == 0)
			memcpy(page->first, page->last, sizeof(page->first));
	}
	if (rc != SQLITE_DONE) {
		set_cause(st, cause);
		json_object_put(page->rows);
		page->rows = NULL;
	}
	stmt_done(stmt);
	if (page->rows != NULL && q->pos.dir == -1) {
		int64_t t[2];

		array_reverse(page->rows);
		memcpy(t, page->first, sizeof(t));
		memcpy(page->first, page->last, sizeof(t));
		memcpy(page->last, t, sizeof(t));
	}
out:
	sbuf_release(&sql);
	return page->rows != NULL ? 0 : -1;
}

long
store_list_count(struct store *st, enum store_list l,
    const struct list_query *q)
{
	const struct list_def *ld;
	struct sbuf sql = SBUF_INIT;
	sqlite3_stmt *stmt;
	char *cause = NULL;
	long n = -1;
	int idx = 1;

	if ((unsigned)l >= NLISTS)
		return -1;
	ld = &lists[l];
	sbuf_addf(&sql, "SELECT count(*) FROM %s WHERE %s", ld->from,
	    ld->owner);
	if (filters_sql(ld, q, &sql, &cause) == -1)
		goto out;
	if ((stmt = stmt_get(st, sql.buf, &cause)) == NULL)
		goto out;
	sqlite3_bind_int64(stmt, idx++, q->owner);
	filters_bind(stmt, ld, q, &idx);
	n = (long)store_stmt_int(stmt);
out:
	free(cause);
	sbuf_release(&sql);
	return n;
}
