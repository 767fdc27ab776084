/*
 * store.h - the state, in SQLite: the store's files are server/store/
 * (store_int.h says which does what).  The few modules with SQL of their
 * own run it on the store's connection, through store_sqlite() and
 * store_stmt() below.
 *
 * Rows travel as json-c objects whose keys are the fixture keys of
 * docs/fixtures.md (ids as strings, JSON columns as JSON values), so the
 * fixture loader, the control plane's export and the handlers all speak one
 * shape.  Statements are prepared once and cached.
 *
 * Ownership: every json_object returned is a new reference the caller puts;
 * single-row reads may share their row with a cache, so rows read are
 * read-only (json_object_deep_copy() to change one).  Rows passed in stay
 * the caller's.  The store is not thread-safe: callers hold emu->lock,
 * and release rows they read before letting it go.
 */
#ifndef WABA_STORE_H
#define WABA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "objects.h"

struct json_object;
struct filter;

/* The fixture key of a table: "apps", "businesses", ... */
const char *store_table_name(enum store_table t);

struct store;

/*
 * Opens path (":memory:" or a file, WAL) and migrates the schema to the
 * newest version.  seed feeds id generation.  NULL with *cause on failure.
 */
struct store *store_open(const char *path, uint64_t seed, char **cause);
void store_close(struct store *st);
/* True when the store holds no objects. */
bool store_is_empty(struct store *st);
/*
 * True once store_set_initialized() has been called on this store: a file
 * whose first start loaded its fixtures (or chose none) is not fresh,
 * even when it holds nothing, and a start that failed leaves it fresh.
 */
bool store_is_initialized(struct store *st);
int store_set_initialized(struct store *st);
/* Schema version (PRAGMA user_version) and size in bytes, for health/metrics. */
int store_schema_version(struct store *st);
int64_t store_size_bytes(struct store *st);

/* Every write runs inside one of these; nesting is not supported. */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/*
 * A number that changes with every write (and reload): what was worked
 * out from the store's rows holds while it stays the same.  Messages
 * are the exception: nothing but their own sweep reads them, so a send
 * leaves every other memo standing; store_table_version() follows them.
 */
uint64_t store_version(const struct store *st);
/* A number that changes with every write (and reload) of table t. */
unsigned store_table_version(const struct store *st, enum store_table t);

/* The type of the object with this id; NODE_NONE when there is none. */
enum node_type store_node_type(struct store *st, int64_t id);
/* A fresh id (15-16 digits) from the counter and the seed: never reused. */
int64_t store_new_id(struct store *st);

/* One row by key, or NULL.  For TBL_TOKENS use store_get_token(). */
struct json_object *store_get(struct store *st, enum store_table t, int64_t id);
struct json_object *store_get_token(struct store *st, const char *token);
struct json_object *store_phone_by_number(struct store *st, const char *cc,
    const char *number);
struct json_object *store_assignment(struct store *st, int64_t waba,
    int64_t user);
struct json_object *store_share(struct store *st, int64_t waba,
    int64_t business);
/* Phone numbers on a WABA, in a status (NULL: any). */
long store_count_phones(struct store *st, int64_t waba, const char *status);
/* Businesses a WABA is shared with (is_shared_with_partners). */
long store_count_shares(struct store *st, int64_t waba);

/*
 * Templates.  "Live" means neither PENDING_DELETION nor DELETED.  The
 * template of a WABA with this name and language that is live, or NULL.
 */
struct json_object *store_template_live(struct store *st, int64_t waba,
    const char *name, const char *language);
/* Every template of a WABA with this name, any status, oldest first. */
struct json_object *store_templates_named(struct store *st, int64_t waba,
    const char *name);
/* A WABA's live templates (since < 0), or those created at since or later. */
long store_count_templates(struct store *st, int64_t waba, int64_t since);
/* The earliest due_at of any template; INT64_MAX when none, -1 on error. */
int64_t store_templates_next_due(struct store *st);
/* Templates due at now, earliest first, at most limit: a new array. */
struct json_object *store_templates_due(struct store *st, int64_t now,
    int limit);

/*
 * Inserts a complete row (defaults already applied, see fixtures.c).
 * Returns 0, or -1 with *cause (caller frees).
 */
int store_insert(struct store *st, enum store_table t, struct json_object *row,
    char **cause);
/*
 * A bulk load of new rows (fixtures.c) into an empty store, all or
 * nothing.  store_load_begin() begins the transaction; store_load()
 * inserts a row given as one value per member of objects[t] (NULL:
 * absent), values that must live until it returns.  In a load a failed
 * insert rolls the whole transaction back at once, and foreign keys are
 * not checked row by row (the loader resolves every reference itself)
 * but once per table written, by store_load_commit(), which fails (and
 * leaves the caller to call store_rollback()) when one does not hold;
 * that check reads every row of those tables, hence empty ones.  Deletes
 * inside a load would not cascade: a load only inserts.  Outside a load,
 * store_load() inserts like store_insert().
 */
int store_load_begin(struct store *st);
int store_load(struct store *st, enum store_table t,
    struct json_object *const *vals, char **cause);
int store_load_commit(struct store *st);
/* Replaces the row with the same key (id, token, or waba+user/business). */
int store_update(struct store *st, enum store_table t, struct json_object *row,
    char **cause);
/* store_update() in a transaction of its own, rolled back on failure. */
int store_update_alone(struct store *st, enum store_table t,
    struct json_object *row, char **cause);
int store_delete_assignment(struct store *st, int64_t waba, int64_t user);
/*
 * The row of t whose key (its first nkeys columns) equals key's members,
 * or NULL: for tables keyed by text or by a mixed pair (tokens, codes,
 * subscriptions).  Not cached: these are read on writes only.
 */
struct json_object *store_lookup(struct store *st, enum store_table t,
    struct json_object *key);
/* Deletes the row with key's key: the rows deleted (0 or 1), or -1. */
int store_delete(struct store *st, enum store_table t, struct json_object *key);
/* Every row of t whose column (an id) is id, in insertion order. */
struct json_object *store_rows_by(struct store *st, enum store_table t,
    const char *column, int64_t id);
/* Removes every row of every table (import and reset). */
int store_clear(struct store *st);
/* The whole state as a fixture document (docs/fixtures.md). */
struct json_object *store_export(struct store *st);
/*
 * The same document as JSON text, written straight from the rows; NULL
 * on failure, else the text (caller frees) and its length in *len.
 */
char *store_export_text(struct store *st, size_t *len);

/* Keyset-paged lists. */
enum store_list {
	LIST_OWNED_WABAS, /* owner: business; order (creation_time, id) */
	LIST_CLIENT_WABAS, /* owner: business; WABAs shared with it, + permitted_tasks */
	LIST_PHONES,         /* owner: waba; order (seq, id) */
	LIST_ASSIGNED_USERS, /* owner: waba; user rows + "tasks" */
	LIST_USER_WABAS, /* owner: user; WABAs assigned to the user, + "tasks" */
	LIST_TEMPLATES,  /* owner: waba; order (seq, id) */
};

struct page_pos {
	int dir; /* 0: first page, 1: after (k1,k2), -1: before (k1,k2) */
	int64_t k1;
	int64_t k2;
};

struct list_query {
	int64_t owner;
	int limit; /* rows wanted; the store fetches one more */
	bool descending;
	struct page_pos pos;
	const struct filter *filters; /* validated by filter_parse() */
	size_t nfilters;
	/* who may see which rows, applied like filters (counts included): */
	int64_t business; /* nonzero: rows whose r.business is this */
	const char *ids;  /* JSON array of integers: rows whose r.id is
				  one of them; NULL: any */
};

/* A page of a list: its rows and the keyset of its two ends. */
struct list_page {
	struct json_object *rows; /* display order; read-only, the caller's */
	bool
	    more; /* a row exists beyond the page, in the direction of travel */
	int64_t first[2], last[2]; /* (k1, k2) of the first and last row */
};

/*
 * Fills page with at most q->limit rows in display order.  Rows of lists
 * that add no column to their table are shared with the row cache, so no
 * caller may change a row.  0, or -1 with *cause.
 */
int store_list(struct store *st, enum store_list l, const struct list_query *q,
    struct list_page *page, char **cause);
/* The number of rows matching the owner and filters (summary=total_count). */
long store_list_count(struct store *st, enum store_list l,
    const struct list_query *q);

/*
 * The connection, for the webhook outbox (server/webhooks/outbox.c) and
 * the phone logs (server/phonelog.c), whose tables must share the
 * callers' transactions.  Same lock rules.
 */
struct sqlite3;
struct sqlite3 *store_sqlite(struct store *st);
/*
 * A statement on that connection, prepared once and cached by its text
 * (the store's own cache): reset, bindings cleared; NULL on error.  For
 * modules with their own queries on the hot path (server/messages/).
 * store_stmt_done() ends each use.
 */
struct sqlite3_stmt;
struct sqlite3_stmt *store_stmt(struct store *st, const char *sql);
void store_stmt_done(struct sqlite3_stmt *stmt);
/*
 * Steps stmt (any statement of the connection, its parameters bound), a
 * query whose first column is an integer, and ends its use as
 * store_stmt_done() does: that integer, or -1 when there is no row (NULL
 * stmt: -1).
 */
int64_t store_stmt_int(struct sqlite3_stmt *stmt);

#endif
