/*
 * store_int.h - what the files of the store share: struct store, the
 * tables derived from objects[], the statement and row caches and the
 * conversion of rows to and from SQL values.  Only server/store/ includes
 * it; everyone else goes through store.h.
 *
 * The files, one step each:
 *   store.c    the connection: open, close, transactions, ids, node types
 *   tables.c   the tables derived from objects[], their generated SQL and
 *              the migrations that build the schema
 *   cache.c    the prepared-statement cache and the row cache
 *   rows.c     rows in and out: values bound and read, rows by key,
 *              insert, update, delete
 *   queries.c  the named reads and counts the handlers ask for
 *   load.c     the bulk load of a fixture document
 *   list.c     the keyset-paged lists and their filters
 *   export.c   the whole state as a document or as its JSON text
 *
 * Ownership: a struct store owns its connection, its cached statements,
 * its generated SQL and its cached rows; store_close() frees them all.
 * tables[] is the process's, derived once and never freed.
 */
#ifndef WABA_STORE_INT_H
#define WABA_STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "store.h"

struct json_object;

/* A column of a table, from its member in objects.c. */
struct col {
	const char *name; /* column name = row key */
	enum col_kind kind;
	bool optional; /* NULL allowed, omitted from rows */
	size_t member; /* its index in the type's members */
};

struct table_def {
	const char *name; /* SQL table = fixture key */
	struct col *cols; /* the members that are columns, in order */
	size_t ncols;
	size_t nkeys; /* the first nkeys columns identify a row */
};

/* Derived once from objects[]; read-only afterwards, never freed. */
extern struct table_def tables[TBL__COUNT];

#define STMT_BUCKETS 64

struct stmt_entry;

/*
 * The row cache: single-row reads (node types, rows by key, tokens,
 * assignments, shares, phone counts) are served from memory until a write
 * touches their table.  Reads outnumber writes by far in a test run, and a
 * row built as JSON once is shared by reference (callers treat rows as
 * read-only).  Direct-mapped, so it stays bounded: a collision replaces.
 */
#define CACHE_SLOTS 2048
#define TAG_NODES TBL__COUNT /* node types: any node table's writes */
#define NTAGS (TBL__COUNT + 1)

enum cache_kind {
	CK_NODE = 1,
	CK_ROW,
	CK_TOKEN,
	CK_COUNT,
	CK_TEMPLATE
};

struct cache_slot {
	unsigned kind; /* 0: empty */
	int tag;       /* the table whose writes invalidate it */
	unsigned gen;  /* gens[tag] when filled */
	int64_t a, b;
	char *str;               /* token, or count status; owned */
	struct json_object *row; /* NULL: no such row */
	long num;                /* node type or count */
};

struct store {
	sqlite3 *db;
	uint64_t seed;
	struct cache_slot cache[CACHE_SLOTS];
	unsigned gens[NTAGS];
	uint64_t version; /* counts writes: see store_version() */
	struct stmt_entry *stmts[STMT_BUCKETS]; /* keyed by SQL text */
	/* Generated per table at open. */
	char *sql_insert[TBL__COUNT];
	char *sql_load[TBL__COUNT]; /* sql_insert, OR ROLLBACK, seq bound */
	char *sql_update[TBL__COUNT];
	char *sql_get[TBL__COUNT];
	char *sql_delete[TBL__COUNT];
	char *sql_export[TBL__COUNT];
	char *sql_phone;         /* a phone number by (cc, phone_number) */
	char *sql_tmpl_live;     /* a live template by (waba, name, language) */
	char *sql_tmpl_named;    /* templates by (waba, name) */
	char *sql_tmpl_due;      /* templates due */
	bool loading;            /* inside store_load_begin() */
	bool loaded[TBL__COUNT]; /* tables the load wrote */
	/* the load's insert for each table it wrote (in stmts), its seq */
	sqlite3_stmt *load_stmt[TBL__COUNT];
	int64_t load_seq[TBL__COUNT];
};

/* tables.c */
/* Derives tables[] on the first call; later calls return at once. */
void tables_ready(void);
/* Generates st's SQL texts for t (the sql_* members). */
void build_table_sql(struct store *st, enum store_table t);
void tables_sql_free(struct store *st);
/* Applies the migrations st has not seen yet. */
int migrate(struct store *st, char **cause);

/* store.c */
/* sqlite3_exec(), for texts run once: not cached. */
int exec(struct store *st, const char *sql, char **cause);

/* cache.c: statements */
/*
 * The cached statement for sql, reset and unbound; prepared on first use.
 * NULL with *cause when SQLite rejects the text.
 */
sqlite3_stmt *stmt_get(struct store *st, const char *sql, char **cause);
/* Ends a use of a cached statement: releases its read lock. */
void stmt_done(sqlite3_stmt *stmt);
void set_cause(struct store *st, char **cause);
/* A single-row integer query without parameters; -1 on failure. */
int64_t query_int(struct store *st, const char *sql);
/* A statement without parameters or rows: 0, or -1. */
int run_simple(struct store *st, const char *sql);

/* cache.c: rows */
/* The live slot for this key, or NULL on a miss. */
struct cache_slot *cache_find(struct store *st, unsigned kind, int tag,
    int64_t a, int64_t b, const char *str);
/* Fills the slot for this key; row's reference is taken over. */
void cache_put(struct store *st, unsigned kind, int tag, int64_t a, int64_t b,
    const char *str, struct json_object *row, long num);
/* A write to t: its rows, and for node tables the node types, go stale. */
void cache_touch(struct store *st, enum store_table t);
void cache_touch_all(struct store *st);
/* A cached row: a new reference to the shared row, or NULL. */
struct json_object *cached_row(struct cache_slot *c);
/* Finalizes the statements and drops the rows: for store_close(). */
void cache_free(struct store *st);

/* rows.c */
/*
 * Binds v, the value of column c (NULL: absent), to parameter idx; -1
 * with *cause on a bad value.  Text is bound as it is, without a copy:
 * v must live until the statement has run.
 */
int bind_value(sqlite3_stmt *stmt, int idx, const struct col *c,
    struct json_object *v, char **cause);
/* Column i of the current result as a row value; NULL for SQL NULL. */
struct json_object *col_value(sqlite3_stmt *stmt, int i, enum col_kind kind);
/* The columns of td from result column `first` on, as a new row. */
struct json_object *row_read(sqlite3_stmt *stmt, const struct table_def *td,
    int first);
/*
 * Binds td's columns to stmt's first parameters, the values from vals
 * (one per member of the type) or, when vals is NULL, from row's keys,
 * runs it and ends its use: 0, or -1 with *cause.
 */
int write_cols(struct store *st, sqlite3_stmt *stmt, const struct table_def *td,
    struct json_object *row, struct json_object *const *vals, char **cause);
/* Runs a statement expected to return at most one row of table t. */
struct json_object *get_one(sqlite3_stmt *stmt, enum store_table t);
/* Every row the statement gives, as a new array. */
struct json_object *get_all(sqlite3_stmt *stmt, enum store_table t);

/* load.c */
/* A load's settings (on) or the usual ones (off). */
int load_settings(struct store *st, bool on);

#endif
