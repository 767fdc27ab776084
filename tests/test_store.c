/*
 * test_store.c - the store: migrations, rows in and out of every table,
 * node types, id generation, keyset paging in both directions, filters,
 * export and re-import, a file store across reopen, and constraint
 * failures that leave the state as it was.
 */
#include <check.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filter.h"
#include "store.h"
#include "util.h"
#include "suite.h"

/* the migrations the build embeds, oldest first (tools/embed.py) */
extern const char *const schema_migrations[];
extern const unsigned long schema_nmigrations;

#define B1 2000000000000001LL
#define B2 2000000000000002LL
#define B3 2000000000000003LL
#define W1 4000000000000001LL
#define U1 3000000000000001LL

static struct json_object *
J(const char *s)
{
	struct json_object *o = json_tokener_parse(s);

	ck_assert_msg(o != NULL, "bad test JSON: %s", s);
	return o;
}

static struct store *
open_mem(uint64_t seed)
{
	char *cause = NULL;
	struct store *st = store_open(":memory:", seed, &cause);

	ck_assert_msg(st != NULL, "store_open: %s", cause ? cause : "?");
	return st;
}

static void
ins(struct store *st, enum store_table t, const char *row)
{
	struct json_object *o = J(row);
	char *cause = NULL;

	ck_assert_msg(store_insert(st, t, o, &cause) == 0, "insert %s: %s", row,
	    cause ? cause : "?");
	json_object_put(o);
}

/* Inserts row and expects failure; returns the cause (caller frees). */
static char *
ins_fail(struct store *st, enum store_table t, const char *row)
{
	struct json_object *o = J(row);
	char *cause = NULL;

	ck_assert_int_eq(store_insert(st, t, o, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	json_object_put(o);
	return cause;
}

static void
add_business(struct store *st, long long id, const char *country)
{
	char *row = xasprintf(
	    "{\"id\":\"%lld\",\"name\":\"B %lld\","
	    "\"verification_status\":\"verified\",\"restricted\":false,"
	    "\"country\":\"%s\"}",
	    id, id, country);

	ins(st, TBL_BUSINESSES, row);
	free(row);
}

static void
add_waba(struct store *st, long long id, long long biz, long long ctime,
    const char *ownership)
{
	char *row = xasprintf(
	    "{\"id\":\"%lld\",\"business\":\"%lld\","
	    "\"name\":\"W %lld\",\"currency\":\"USD\",\"timezone_id\":\"1\","
	    "\"message_template_namespace\":\"abcdef01_2345\","
	    "\"country\":\"US\",\"creation_time\":%lld,"
	    "\"ownership_type\":\"%s\",\"account_review_status\":\"APPROVED\","
	    "\"is_enabled_for_insights\":false,\"status\":\"ACTIVE\"}",
	    id, biz, id, ctime, ownership);

	ins(st, TBL_WABAS, row);
	free(row);
}

static void
add_phone(struct store *st, long long id, long long waba, const char *number,
    const char *status, const char *cvs, const char *mode)
{
	char *row = xasprintf(
	    "{\"id\":\"%lld\",\"waba\":\"%lld\","
	    "\"cc\":\"1\",\"phone_number\":\"%s\",\"verified_name\":\"V\","
	    "\"display_phone_number\":\"+1 %s\",\"status\":\"%s\","
	    "\"code_verification_status\":\"%s\",\"quality_rating\":\"GREEN\","
	    "\"platform_type\":\"CLOUD_API\",\"throughput_level\":\"STANDARD\","
	    "\"name_status\":\"APPROVED\",\"account_mode\":\"%s\","
	    "\"is_official_business_account\":false,"
	    "\"creation_time\":1600000000,"
	    "\"new_name_status\":\"NONE\",\"search_visibility\":\"VISIBLE\","
	    "\"profile_websites\":[],\"calling_status\":\"DISABLED\","
	    "\"call_icon_visibility\":\"DEFAULT\","
	    "\"callback_permission_status\":\"DISABLED\"}",
	    id, waba, number, number, status, cvs, mode);

	ins(st, TBL_PHONE_NUMBERS, row);
	free(row);
}

static void
add_user(struct store *st, long long id, long long biz)
{
	char *row = xasprintf(
	    "{\"id\":\"%lld\",\"name\":\"U %lld\","
	    "\"business\":\"%lld\",\"user_type\":\"BUSINESS_USER\","
	    "\"role\":\"EMPLOYEE\"}",
	    id, id, biz);

	ins(st, TBL_USERS, row);
	free(row);
}

static void
add_assignment(struct store *st, long long waba, long long user,
    const char *tasks)
{
	char *row = xasprintf("{\"waba\":\"%lld\",\"user\":\"%lld\","
	                      "\"tasks\":%s}",
	    waba, user, tasks);

	ins(st, TBL_ASSIGNMENTS, row);
	free(row);
}

static void
add_share(struct store *st, long long waba, long long biz, const char *tasks)
{
	char *row = xasprintf("{\"waba\":\"%lld\",\"business\":\"%lld\","
	                      "\"permitted_tasks\":%s}",
	    waba, biz, tasks);

	ins(st, TBL_SHARES, row);
	free(row);
}

/* Compares two JSON values; on a difference shows both. */
static void
assert_json_eq(struct json_object *got, struct json_object *want)
{
	ck_assert_msg(json_object_equal(got, want), "got %s\nwant %s",
	    json_object_to_json_string(got), json_object_to_json_string(want));
}

/* The ids of a list page, comma-joined ("" when empty); caller frees. */
static char *
page_ids(struct json_object *rows, const char *key)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = 0; i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i), *v;

		ck_assert(json_object_object_get_ex(r, key, &v));
		sbuf_addf(&sb, "%s%s", i ? "," : "", json_object_get_string(v));
	}
	return sbuf_detach(&sb);
}

/* Runs one list query and checks the page's ids and more. */
static struct list_page
list_check(struct store *st, enum store_list l, struct list_query *q,
    const char *want_ids, bool want_more)
{
	struct list_page page;
	char *cause = NULL, *ids;

	ck_assert_msg(store_list(st, l, q, &page, &cause) == 0,
	    "store_list: %s", cause ? cause : "?");
	ids = page_ids(page.rows, "id");
	ck_assert_msg(strcmp(ids, want_ids) == 0, "page %s, want %s", ids,
	    want_ids);
	ck_assert_msg(page.more == want_more, "more %d, want %d (page %s)",
	    page.more, want_more, ids);
	free(ids);
	return page;
}

static void
page_put(struct list_page page)
{
	json_object_put(page.rows);
}

/* The keyset of row i of a page: its first or its last, which carry one. */
static struct page_pos
pos_of(const struct list_page *page, size_t i, int dir)
{
	size_t n = json_object_array_length(page->rows);
	struct page_pos p = { dir, 0, 0 };

	ck_assert_msg(i == 0 || i == n - 1, "row %zu of %zu has no keyset", i,
	    n);
	p.k1 = i == 0 ? page->first[0] : page->last[0];
	p.k2 = i == 0 ? page->first[1] : page->last[1];
	return p;
}

/* An owned WABA's keyset, from its own columns (creation_time, id). */
static struct page_pos
waba_pos(struct json_object *row, int dir)
{
	struct page_pos p = { dir, 0, 0 };
	struct json_object *v;

	ck_assert(json_object_object_get_ex(row, "creation_time", &v));
	p.k1 = json_object_get_int64(v);
	ck_assert(json_object_object_get_ex(row, "id", &v));
	p.k2 = parse_id(json_object_get_string(v));
	return p;
}

static void
pos_eq(struct page_pos a, struct page_pos b)
{
	ck_assert_int_eq(a.dir, b.dir);
	ck_assert_int_eq(a.k1, b.k1);
	ck_assert_int_eq(a.k2, b.k2);
}

START_TEST(test_open_migrate)
{
	struct store *st = open_mem(0);

	ck_assert_int_eq(store_schema_version(st), (int)schema_nmigrations);
	ck_assert(store_is_empty(st));
	ck_assert(store_size_bytes(st) > 0);
	store_close(st);
}
END_TEST

/* Every schema object and every row of db, in one text to compare. */
static char *
schema_text(sqlite3 *db)
{
	static const char *const q[] = {
		"SELECT type || ' ' || name || ' ' || tbl_name || ': ' || sql "
		"FROM sqlite_master ORDER BY type, name",
		"SELECT key || '=' || quote(value) FROM meta ORDER BY key",
		"PRAGMA user_version",
	};
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		sqlite3_stmt *s;

		ck_assert_int_eq(sqlite3_prepare_v2(db, q[i], -1, &s, NULL),
		    SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(s, 0);

			sbuf_addstr(&sb, t ? t : "(null)");
			sbuf_addstr(&sb, "\n");
		}
		sqlite3_finalize(s);
	}
	return sb.buf;
}

/*
 * A new database gets the migrations' result in one script
 * (tools/schema_snapshot.py); it must be what running them one by one
 * makes, to the letter of every CREATE and every row they insert.
 */
START_TEST(test_open_schema_as_migrations)
{
	struct store *st = open_mem(0);
	sqlite3 *db;
	char *one_by_one, *at_once;
	size_t i;

	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	for (i = 0; i < schema_nmigrations; i++) {
		char *set = xasprintf("PRAGMA user_version = %zu", i + 1);

		ck_assert_int_eq(
		    sqlite3_exec(db, schema_migrations[i], NULL, NULL, NULL),
		    SQLITE_OK);
		ck_assert_int_eq(sqlite3_exec(db, set, NULL, NULL, NULL),
		    SQLITE_OK);
		free(set);
	}
	one_by_one = schema_text(db);
	at_once = schema_text(store_sqlite(st));
	ck_assert(strstr(one_by_one, "CREATE TABLE phone_numbers") != NULL);
	ck_assert_str_eq(at_once, one_by_one);
	free(one_by_one);
	free(at_once);
	sqlite3_close(db);
	store_close(st);
}
END_TEST

START_TEST(test_open_bad_path)
{
	char *cause = NULL;
	struct store *st = store_open("/nonexistent-dir/sub/x.db", 0, &cause);

	ck_assert_ptr_null(st);
	ck_assert_ptr_nonnull(cause);
	ck_assert_ptr_nonnull(strstr(cause, "/nonexistent-dir/sub/x.db"));
	free(cause);
}
END_TEST

/* A temporary directory for file stores; the caller removes it. */
static char *
tmpdir(void)
{
	char tmpl[] = "/tmp/waba-store-XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	return xstrdup(tmpl);
}

static void
rmstore(char *dir)
{
	const char *suffix[] = { "", "-wal", "-shm" };
	size_t i;

	for (i = 0; i < 3; i++) {
		char *p = xasprintf("%s/s.db%s", dir, suffix[i]);

		unlink(p);
		free(p);
	}
	rmdir(dir);
	free(dir);
}

START_TEST(test_open_newer_schema)
{
	char *dir = tmpdir(), *path = xasprintf("%s/s.db", dir), *cause = NULL;
	sqlite3 *db;
	struct store *st;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(
	    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	st = store_open(path, 0, &cause);
	ck_assert_ptr_null(st);
	ck_assert_ptr_nonnull(strstr(cause, "newer"));
	free(cause);
	free(path);
	rmstore(dir);
}
END_TEST

START_TEST(test_open_broken_schema)
{
	char *dir = tmpdir(), *path = xasprintf("%s/s.db", dir), *cause = NULL;
	sqlite3 *db;
	struct store *st;

	/* A table of the same name makes migration 1 fail: nothing stays. */
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(
	    sqlite3_exec(db, "CREATE TABLE apps (x)", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	st = store_open(path, 0, &cause);
	ck_assert_ptr_null(st);
	ck_assert_ptr_nonnull(strstr(cause, "migration 1"));
	free(cause);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	{
		sqlite3_stmt *s;

		ck_assert_int_eq(
		    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL),
		    SQLITE_OK);
		ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
		ck_assert_int_eq(sqlite3_column_int(s, 0), 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	free(path);
	rmstore(dir);
}
END_TEST

/* Every table: a row read back equals the row written. */
START_TEST(test_insert_get_every_table)
{
	static const char *const rows[TBL__COUNT] = {
		[TBL_APPS] =
		    "{\"id\":\"1000000000000001\",\"name\":\"A\","
		    "\"secret\":\"s\",\"require_appsecret_proof\":true}",
		[TBL_BUSINESSES] =
		    "{\"id\":\"2000000000000001\","
		    "\"name\":\"B\",\"verification_status\":\"verified\","
		    "\"restricted\":false,\"country\":\"GB\"}",
		[TBL_USERS] =
		    "{\"id\":\"3000000000000001\",\"name\":\"U\","
		    "\"business\":\"2000000000000001\","
		    "\"user_type\":\"SYSTEM_USER\",\"role\":\"ADMIN\"}",
		[TBL_WABAS] =
		    "{\"id\":\"4000000000000001\","
		    "\"business\":\"2000000000000001\",\"name\":\"W\","
		    "\"currency\":\"GBP\",\"timezone_id\":\"49\","
		    "\"message_template_namespace\":\"0123abcd_ef01\","
		    "\"country\":\"GB\",\"creation_time\":1600000000,"
		    "\"ownership_type\":\"CLIENT_OWNED\","
		    "\"account_review_status\":\"PENDING\","
		    "\"is_enabled_for_insights\":true,"
		    "\"on_behalf_of_business_info\":"
		    "{\"id\":\"2000000000000001\",\"name\":\"B\","
		    "\"status\":\"APPROVED\",\"type\":\"PARTNER\"},"
		    "\"primary_funding_id\":\"6000000000000001\","
		    "\"purchase_order_number\":\"PO-1\","
		    "\"phone_number_limit\":3,\"status\":\"ACTIVE\"}",
		[TBL_PHONE_NUMBERS] =
		    "{\"id\":\"5000000000000001\","
		    "\"waba\":\"4000000000000001\",\"cc\":\"44\","
		    "\"phone_number\":\"7700900123\",\"verified_name\":\"V\","
		    "\"display_phone_number\":\"+44 770 090 0123\","
		    "\"status\":\"CONNECTED\","
		    "\"code_verification_status\":\"VERIFIED\","
		    "\"quality_rating\":\"GREEN\","
		    "\"platform_type\":\"CLOUD_API\","
		    "\"throughput_level\":\"HIGH\","
		    "\"name_status\":\"APPROVED\",\"account_mode\":\"SANDBOX\","
		    "\"last_onboarded_time\":1700000000,"
		    "\"is_official_business_account\":true,"
		    "\"messaging_limit_tier\":\"TIER_1K\","
		    "\"preverified_id\":\"77\",\"creation_time\":1600000001,"
		    "\"new_name_status\":\"NONE\",\"search_visibility\":\"VISIBLE\","
		    "\"profile_websites\":[],\"calling_status\":\"DISABLED\","
		    "\"call_icon_visibility\":\"DEFAULT\","
		    "\"callback_permission_status\":\"DISABLED\"}",
		[TBL_TEMPLATES] =
		    "{\"id\":\"6000000000000001\","
		    "\"waba\":\"4000000000000001\",\"name\":\"hello\","
		    "\"language\":\"en_US\",\"category\":\"UTILITY\","
		    "\"parameter_format\":\"POSITIONAL\","
		    "\"components\":[{\"type\":\"BODY\",\"text\":\"Hi\"}],"
		    "\"status\":\"PAUSED\",\"rejected_reason\":\"NONE\","
		    "\"quality_score\":\"RED\",\"quality_updated\":1700000002,"
		    "\"previous_category\":\"MARKETING\","
		    "\"created_at\":1700000000,\"updated_at\":1700000001,"
		    "\"due_at\":1700000003,\"pauses\":1,"
		    "\"edits\":[1700000001]}",
		[TBL_TOKENS] =
		    "{\"token\":\"EAAx\",\"app\":\"1000000000000001\","
		    "\"user\":\"3000000000000001\","
		    "\"scopes\":[\"whatsapp_business_management\"],"
		    "\"granular_scopes\":[{\"scope\":"
		    "\"whatsapp_business_management\","
		    "\"target_ids\":[\"4000000000000001\"]}],"
		    "\"issued_at\":1700000000,\"expires_at\":0,"
		    "\"state\":\"valid\"}",
		[TBL_ASSIGNMENTS] =
		    "{\"waba\":\"4000000000000001\","
		    "\"user\":\"3000000000000001\",\"tasks\":[\"MANAGE\"]}",
		[TBL_SHARES] = "{\"waba\":\"4000000000000001\","
		               "\"business\":\"2000000000000002\","
		               "\"permitted_tasks\":[]}",
		[TBL_SUBSCRIPTIONS] =
		    "{\"app\":\"1000000000000001\","
		    "\"object\":\"whatsapp_business_account\","
		    "\"callback_url\":\"http://127.0.0.1:9/hook\","
		    "\"verify_token\":\"vt\",\"fields\":[\"account_update\"],"
		    "\"include_values\":true,\"active\":true}",
		[TBL_SUBSCRIBED_APPS] =
		    "{\"waba\":\"4000000000000001\","
		    "\"app\":\"1000000000000001\","
		    "\"override_callback_uri\":\"http://127.0.0.1:9/o\","
		    "\"verify_token\":\"vt\"}",
		[TBL_OAUTH_CODES] =
		    "{\"code\":\"c0de\","
		    "\"app\":\"1000000000000001\","
		    "\"user\":\"3000000000000001\","
		    "\"scopes\":[\"business_management\"],"
		    "\"granular_scopes\":[],\"redirect_uri\":\"https://x/\","
		    "\"expires_at\":1700000600,\"used_at\":1700000001}",
		[TBL_MESSAGES] =
		    "{\"id\":\"wamid.HBgLMTY1MDU1NTEyMzQ\","
		    "\"phone\":\"5000000000000001\","
		    "\"direction\":\"outbound\",\"wa_id\":\"16505551234\","
		    "\"type\":\"template\",\"template_name\":\"hello\","
		    "\"template_language\":\"en_US\",\"status\":\"failed\","
		    "\"created_at\":1700000000,\"error_code\":131026}",
	};
	struct store *st = open_mem(0);
	struct json_object *want, *got;
	int t;

	add_business(st, B2, "US");
	for (t = 0; t < TBL__COUNT; t++) {
		/* a new table needs its row here */
		ck_assert_msg(rows[t] != NULL, "no row for table %s",
		    store_table_name(t));
		ins(st, t, rows[t]);
	}
	ck_assert(!store_is_empty(st));
	for (t = 0; t < TBL__COUNT; t++) {
		want = J(rows[t]);
		switch (t) {
		case TBL_TOKENS:
			got = store_get_token(st, "EAAx");
			break;
		case TBL_ASSIGNMENTS:
			got = store_assignment(st, W1, U1);
			break;
		case TBL_SHARES:
			got = store_share(st, W1, B2);
			break;
		case TBL_SUBSCRIPTIONS:
		case TBL_SUBSCRIBED_APPS:
		case TBL_OAUTH_CODES:
		case TBL_MESSAGES:
			got = store_lookup(st, t, want);
			break;
		default:
			got = store_get(st, t,
			    parse_id(json_object_get_string(
			        json_object_object_get(want, "id"))));
		}
		ck_assert_msg(got != NULL, "table %s", store_table_name(t));
		assert_json_eq(got, want);
		json_object_put(got);
		json_object_put(want);
	}
	got = store_phone_by_number(st, "44", "7700900123");
	ck_assert_str_eq(
	    json_object_get_string(json_object_object_get(got, "id")),
	    "5000000000000001");
	json_object_put(got);
	ck_assert_ptr_null(store_phone_by_number(st, "4", "47700900123"));
	ck_assert_ptr_null(store_get(st, TBL_APPS, 1000000000000009LL));
	ck_assert_ptr_null(store_get(st, TBL_APPS, 2000000000000001LL));
	ck_assert_ptr_null(store_get(st, TBL_TOKENS, 1));
	ck_assert_ptr_null(store_get_token(st, "EAAy"));
	ck_assert_ptr_null(store_assignment(st, W1, 3000000000000002LL));
	ck_assert_ptr_null(store_share(st, W1, B1));
	store_close(st);
}
END_TEST

START_TEST(test_optional_omitted)
{
	struct store *st = open_mem(0);
	struct json_object *w;

	add_business(st, B1, "US");
	add_waba(st, W1, B1, 1600000000, "SELF");
	w = store_get(st, TBL_WABAS, W1);
	ck_assert(!json_object_object_get_ex(w, "phone_number_limit", NULL));
	ck_assert(
	    !json_object_object_get_ex(w, "on_behalf_of_business_info", NULL));
	ck_assert(!json_object_object_get_ex(w, "primary_funding_id", NULL));
	ck_assert(json_object_is_type(
	    json_object_object_get(w, "is_enabled_for_insights"),
	    json_type_boolean));
	ck_assert(json_object_is_type(json_object_object_get(w, "id"),
	    json_type_string));
	ck_assert(json_object_is_type(
	    json_object_object_get(w, "creation_time"), json_type_int));
	json_object_put(w);
	store_close(st);
}
END_TEST

START_TEST(test_node_types)
{
	struct store *st = open_mem(0);

	ins(st, TBL_APPS,
	    "{\"id\":\"1000000000000001\",\"name\":\"A\","
	    "\"secret\":\"s\",\"require_appsecret_proof\":false}");
	add_business(st, B1, "US");
	add_user(st, U1, B1);
	add_waba(st, W1, B1, 1, "SELF");
	add_phone(st, 5000000000000001LL, W1, "5550100200", "CONNECTED",
	    "VERIFIED", "LIVE");
	ck_assert_int_eq(store_node_type(st, 1000000000000001LL), NODE_APP);
	ck_assert_int_eq(store_node_type(st, B1), NODE_BUSINESS);
	ck_assert_int_eq(store_node_type(st, U1), NODE_USER);
	ck_assert_int_eq(store_node_type(st, W1), NODE_WABA);
	ck_assert_int_eq(store_node_type(st, 5000000000000001LL), NODE_PHONE);
	ck_assert_int_eq(store_node_type(st, 5000000000000002LL), NODE_NONE);
	ck_assert_str_eq(node_type_name(NODE_WABA), "WhatsAppBusinessAccount");
	ck_assert_str_eq(node_type_name(NODE_PHONE),
	    "WhatsAppBusinessPhoneNumber");
	ck_assert_str_eq(node_type_name(NODE_BUSINESS), "Business");
	ck_assert_str_eq(node_type_name(NODE_USER), "User");
	ck_assert_str_eq(store_table_name(TBL_PHONE_NUMBERS), "phone_numbers");
	ck_assert_str_eq(store_table_name(TBL_SHARES), "shares");
	ck_assert_ptr_null(store_table_name(TBL__COUNT));
	store_close(st);
}
END_TEST

START_TEST(test_new_id_deterministic)
{
	struct store *a = open_mem(42), *b = open_mem(42), *c = open_mem(43);
	int64_t ia[5], i;

	for (i = 0; i < 5; i++) {
		char buf[32];

		ia[i] = store_new_id(a);
		snprintf(buf, sizeof(buf), "%lld", (long long)ia[i]);
		ck_assert_int_eq(strlen(buf), 15);
		ck_assert_int_eq(store_new_id(b), ia[i]);
		ck_assert(store_new_id(c) != ia[i]);
		if (i > 0)
			ck_assert(ia[i] != ia[i - 1]);
	}
	store_close(a);
	store_close(b);
	store_close(c);
}
END_TEST

START_TEST(test_new_id_skips_used)
{
	struct store *probe = open_mem(7), *st = open_mem(7);
	int64_t first = store_new_id(probe), second = store_new_id(probe);

	/* Take the id the store would hand out next. */
	add_business(st, first, "US");
	ck_assert_int_eq(store_new_id(st), second);
	store_close(probe);
	store_close(st);
}
END_TEST

START_TEST(test_new_id_rolled_back)
{
	struct store *st = open_mem(1), *probe = open_mem(1);
	int64_t id;

	/* A rolled-back load gives its ids back; ids stay a function of
	 * the committed counter. */
	ck_assert_int_eq(store_begin(st), 0);
	id = store_new_id(st);
	store_rollback(st);
	ck_assert_int_eq(store_new_id(st), id);
	ck_assert_int_eq(store_new_id(probe), id);
	store_close(st);
	store_close(probe);
}
END_TEST

START_TEST(test_update)
{
	struct store *st = open_mem(0);
	struct json_object *w, *got;
	char *cause = NULL;

	add_business(st, B1, "US");
	add_business(st, B2, "US");
	add_waba(st, W1, B1, 100, "SELF");
	add_share(st, W1, B2, "[]");
	w = store_get(st, TBL_WABAS, W1);
	json_object_object_add(w, "name", json_object_new_string("Renamed"));
	json_object_object_add(w, "phone_number_limit", json_object_new_int(5));
	json_object_object_add(w, "creation_time", json_object_new_int(200));
	ck_assert_int_eq(store_update(st, TBL_WABAS, w, &cause), 0);
	got = store_get(st, TBL_WABAS, W1);
	assert_json_eq(got, w);
	json_object_put(got);
	/* The client list pages on the new creation time. */
	{
		struct list_query q = { .owner = B2, .limit = 5 };
		struct list_page page;

		ck_assert_int_eq(
		    store_list(st, LIST_CLIENT_WABAS, &q, &page, &cause), 0);
		ck_assert_int_eq(page.first[0], 200);
		page_put(page);
	}
	/* Removing an optional value stores NULL. */
	json_object_object_del(w, "phone_number_limit");
	ck_assert_int_eq(store_update(st, TBL_WABAS, w, &cause), 0);
	got = store_get(st, TBL_WABAS, W1);
	ck_assert(!json_object_object_get_ex(got, "phone_number_limit", NULL));
	json_object_put(got);
	/* No such row. */
	json_object_object_add(w, "id",
	    json_object_new_string("4000000000000009"));
	ck_assert_int_eq(store_update(st, TBL_WABAS, w, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "no such row"));
	free(cause);
	json_object_put(w);
	/* Updating a pair row by its key. */
	w = J(
	    "{\"waba\":\"4000000000000001\",\"business\":\"2000000000000002\","
	    "\"permitted_tasks\":[\"MANAGE\"]}");
	ck_assert_int_eq(store_update(st, TBL_SHARES, w, &cause), 0);
	got = store_share(st, W1, B2);
	assert_json_eq(got, w);
	json_object_put(got);
	json_object_put(w);
	store_close(st);
}
END_TEST

/* Every write moves the version (auth remembers grants by it); reads do not. */
START_TEST(test_version)
{
	struct store *st = open_mem(0);
	struct json_object *w;
	char *cause = NULL;
	uint64_t v;

	v = store_version(st);
	ck_assert(v != 0);
	add_business(st, B1, "US");
	ck_assert(store_version(st) > v);
	add_waba(st, W1, B1, 100, "SELF");
	add_user(st, U1, B1);
	v = store_version(st);
	w = store_get(st, TBL_WABAS, W1);
	json_object_put(store_get(st, TBL_USERS, U1));
	(void)store_count_phones(st, W1, NULL);
	(void)store_node_type(st, W1);
	ck_assert(store_version(st) == v);
	ck_assert_int_eq(store_update(st, TBL_WABAS, w, &cause), 0);
	ck_assert(store_version(st) > v);
	json_object_put(w);
	add_assignment(st, W1, U1, "[\"MANAGE\"]");
	v = store_version(st);
	ck_assert_int_eq(store_delete_assignment(st, W1, U1), 0);
	ck_assert(store_version(st) > v);
	store_close(st);
}
END_TEST

START_TEST(test_constraints_leave_state)
{
	struct store *st = open_mem(0);
	struct json_object *before, *after, *w;
	char *cause;

	add_business(st, B1, "US");
	add_waba(st, W1, B1, 1, "SELF");
	add_user(st, U1, B1);
	add_phone(st, 5000000000000001LL, W1, "5550100200", "CONNECTED",
	    "VERIFIED", "LIVE");
	before = store_export(st);

	/* An id taken by another kind. */
	cause = ins_fail(st, TBL_APPS,
	    "{\"id\":\"2000000000000001\","
	    "\"name\":\"A\",\"secret\":\"s\",\"require_appsecret_proof\":false}");
	ck_assert_ptr_nonnull(strstr(cause, "nodes.id"));
	free(cause);
	/* The same id twice in one table. */
	cause = ins_fail(st, TBL_BUSINESSES,
	    "{\"id\":\"2000000000000001\","
	    "\"name\":\"B\",\"verification_status\":\"verified\","
	    "\"restricted\":false,\"country\":\"US\"}");
	free(cause);
	/* A dangling reference. */
	cause = ins_fail(st, TBL_USERS,
	    "{\"id\":\"3000000000000009\","
	    "\"name\":\"U\",\"business\":\"2000000000000009\","
	    "\"user_type\":\"BUSINESS_USER\",\"role\":\"ADMIN\"}");
	ck_assert_ptr_nonnull(strstr(cause, "FOREIGN KEY"));
	free(cause);
	/* A number twice. */
	cause = ins_fail(st, TBL_PHONE_NUMBERS,
	    "{\"id\":\"5000000000000002\","
	    "\"waba\":\"4000000000000001\",\"cc\":\"1\","
	    "\"phone_number\":\"5550100200\",\"verified_name\":\"V\","
	    "\"display_phone_number\":\"x\",\"status\":\"PENDING\","
	    "\"code_verification_status\":\"VERIFIED\","
	    "\"quality_rating\":\"GREEN\",\"platform_type\":\"CLOUD_API\","
	    "\"throughput_level\":\"STANDARD\",\"name_status\":\"APPROVED\","
	    "\"account_mode\":\"LIVE\",\"is_official_business_account\":false,"
	    "\"creation_time\":1,"
	    "\"new_name_status\":\"NONE\",\"search_visibility\":\"VISIBLE\","
	    "\"profile_websites\":[],\"calling_status\":\"DISABLED\","
	    "\"call_icon_visibility\":\"DEFAULT\","
	    "\"callback_permission_status\":\"DISABLED\"}");
	ck_assert_ptr_nonnull(strstr(cause, "UNIQUE"));
	free(cause);
	/* Missing and badly typed values. */
	cause = ins_fail(st, TBL_APPS,
	    "{\"id\":\"1000000000000001\","
	    "\"name\":\"A\",\"require_appsecret_proof\":false}");
	ck_assert_ptr_nonnull(strstr(cause, "secret"));
	free(cause);
	cause = ins_fail(st, TBL_APPS,
	    "{\"id\":\"1000000000000001\","
	    "\"name\":\"A\",\"secret\":\"s\",\"require_appsecret_proof\":1}");
	ck_assert_ptr_nonnull(strstr(cause, "require_appsecret_proof"));
	free(cause);
	cause = ins_fail(st, TBL_APPS,
	    "{\"id\":\"x1\",\"name\":\"A\","
	    "\"secret\":\"s\",\"require_appsecret_proof\":false}");
	free(cause);
	cause = ins_fail(st, TBL_APPS, "[]");
	free(cause);
	/* A CHECK constraint. */
	cause = ins_fail(st, TBL_WABAS,
	    "{\"id\":\"4000000000000002\","
	    "\"business\":\"2000000000000001\",\"name\":\"W\","
	    "\"currency\":\"USD\",\"timezone_id\":\"1\","
	    "\"message_template_namespace\":\"n\",\"country\":\"US\","
	    "\"creation_time\":1,\"ownership_type\":\"SELF\","
	    "\"account_review_status\":\"APPROVED\","
	    "\"is_enabled_for_insights\":false,\"phone_number_limit\":0,"
	    "\"status\":\"ACTIVE\"}");
	ck_assert_ptr_nonnull(strstr(cause, "CHECK"));
	free(cause);
	/* An update that breaks a reference. */
	w = store_get(st, TBL_WABAS, W1);
	json_object_object_add(w, "business",
	    json_object_new_string("2000000000000009"));
	cause = NULL;
	ck_assert_int_eq(store_update(st, TBL_WABAS, w, &cause), -1);
	free(cause);
	json_object_put(w);
	/* Inside a transaction the failed statement alone is undone. */
	ck_assert_int_eq(store_begin(st), 0);
	add_business(st, B2, "US");
	cause = ins_fail(st, TBL_BUSINESSES,
	    "{\"id\":\"2000000000000002\","
	    "\"name\":\"B\",\"verification_status\":\"verified\","
	    "\"restricted\":false,\"country\":\"US\"}");
	free(cause);
	ck_assert_int_eq(store_node_type(st, B2), NODE_BUSINESS);
	store_rollback(st);

	after = store_export(st);
	assert_json_eq(after, before);
	ck_assert_int_eq(store_node_type(st, B2), NODE_NONE);
	json_object_put(before);
	json_object_put(after);
	store_close(st);
}
END_TEST

START_TEST(test_transactions)
{
	struct store *st = open_mem(0);

	ck_assert_int_eq(store_begin(st), 0);
	add_business(st, B1, "US");
	ck_assert_int_eq(store_commit(st), 0);
	ck_assert_int_eq(store_begin(st), 0);
	add_business(st, B2, "US");
	store_rollback(st);
	store_rollback(st); /* harmless outside a transaction */
	ck_assert_int_eq(store_node_type(st, B1), NODE_BUSINESS);
	ck_assert_int_eq(store_node_type(st, B2), NODE_NONE);
	ck_assert_int_eq(store_commit(st), -1);
	store_close(st);
}
END_TEST

START_TEST(test_assignments_and_counts)
{
	struct store *st = open_mem(0);
	struct json_object *a;

	add_business(st, B1, "US");
	add_waba(st, W1, B1, 1, "SELF");
	add_user(st, U1, B1);
	add_phone(st, 5000000000000001LL, W1, "5550100200", "CONNECTED",
	    "VERIFIED", "LIVE");
	add_phone(st, 5000000000000002LL, W1, "5550100201", "PENDING",
	    "NOT_VERIFIED", "LIVE");
	add_phone(st, 5000000000000003LL, W1, "5550100202", "CONNECTED",
	    "VERIFIED", "SANDBOX");
	ck_assert_int_eq(store_count_phones(st, W1, NULL), 3);
	ck_assert_int_eq(store_count_phones(st, W1, "CONNECTED"), 2);
	ck_assert_int_eq(store_count_phones(st, W1, "BANNED"), 0);
	ck_assert_int_eq(store_count_phones(st, 4000000000000009LL, NULL), 0);

	add_assignment(st, W1, U1, "[\"MANAGE\"]");
	a = store_assignment(st, W1, U1);
	ck_assert_ptr_nonnull(a);
	json_object_put(a);
	ck_assert_int_eq(store_delete_assignment(st, W1, U1), 0);
	ck_assert_ptr_null(store_assignment(st, W1, U1));
	/* Deleting what is not there succeeds. */
	ck_assert_int_eq(store_delete_assignment(st, W1, U1), 0);
	store_close(st);
}
END_TEST

/* Seven WABAs of B1 with ties in creation_time, one of B2. */
static struct store *
paging_world(void)
{
	struct store *st = open_mem(0);

	add_business(st, B1, "US");
	add_business(st, B2, "US");
	add_waba(st, 4000000000000005LL, B1, 300, "SELF");
	add_waba(st, 4000000000000001LL, B1, 100, "SELF");
	add_waba(st, 4000000000000003LL, B1, 200, "CLIENT_OWNED");
	add_waba(st, 4000000000000002LL, B1, 200, "SELF");
	add_waba(st, 4000000000000007LL, B1, 400, "ON_BEHALF_OF");
	add_waba(st, 4000000000000004LL, B1, 200, "SELF");
	add_waba(st, 4000000000000006LL, B1, 300, "CLIENT_OWNED");
	add_waba(st, 4000000000000009LL, B2, 150, "SELF");
	return st;
}

#define W(n) "400000000000000" #n

START_TEST(test_list_owned_ascending)
{
	struct store *st = paging_world();
	struct list_query q = { .owner = B1, .limit = 3 };
	struct list_page p1, p2, p3, back;

	p1 = list_check(st, LIST_OWNED_WABAS, &q, W(1) "," W(2) "," W(3), true);
	q.pos = pos_of(&p1, 2, 1);
	p2 = list_check(st, LIST_OWNED_WABAS, &q, W(4) "," W(5) "," W(6), true);
	q.pos = pos_of(&p2, 2, 1);
	p3 = list_check(st, LIST_OWNED_WABAS, &q, W(7), false);
	/* Back from the last page, then from the middle one. */
	q.pos = pos_of(&p3, 0, -1);
	back = list_check(st, LIST_OWNED_WABAS, &q, W(4) "," W(5) "," W(6),
	    true);
	page_put(back);
	q.pos = pos_of(&p2, 0, -1);
	back = list_check(st, LIST_OWNED_WABAS, &q, W(1) "," W(2) "," W(3),
	    false);
	page_put(back);
	/* Before the first row: nothing. */
	q.pos = pos_of(&p1, 0, -1);
	back = list_check(st, LIST_OWNED_WABAS, &q, "", false);
	page_put(back);
	/* A short page backwards. */
	q.pos = (struct page_pos){ -1, 300, 4000000000000005LL }; /* W(5) */
	q.limit = 10;
	back = list_check(st, LIST_OWNED_WABAS, &q,
	    W(1) "," W(2) "," W(3) "," W(4), false);
	ck_assert_int_eq(back.first[0], 100);
	ck_assert_int_eq(back.last[0], 200);
	page_put(back);
	ck_assert_int_eq(store_list_count(st, LIST_OWNED_WABAS, &q), 7);
	page_put(p1);
	page_put(p2);
	page_put(p3);
	store_close(st);
}
END_TEST

START_TEST(test_list_owned_descending)
{
	struct store *st = paging_world();
	struct list_query q = { .owner = B1, .limit = 3, .descending = true };
	struct list_page p1, p2, p3, back;

	p1 = list_check(st, LIST_OWNED_WABAS, &q, W(7) "," W(6) "," W(5), true);
	q.pos = pos_of(&p1, 2, 1);
	p2 = list_check(st, LIST_OWNED_WABAS, &q, W(4) "," W(3) "," W(2), true);
	q.pos = pos_of(&p2, 2, 1);
	p3 = list_check(st, LIST_OWNED_WABAS, &q, W(1), false);
	q.pos = pos_of(&p3, 0, -1);
	back = list_check(st, LIST_OWNED_WABAS, &q, W(4) "," W(3) "," W(2),
	    true);
	page_put(back);
	q.pos = pos_of(&p2, 0, -1);
	back = list_check(st, LIST_OWNED_WABAS, &q, W(7) "," W(6) "," W(5),
	    false);
	page_put(back);
	page_put(p1);
	page_put(p2);
	page_put(p3);
	/* Limit 0 asks only whether anything is there. */
	q.pos.dir = 0;
	q.limit = 0;
	back = list_check(st, LIST_OWNED_WABAS, &q, "", true);
	page_put(back);
	/* Another owner, and an owner with nothing. */
	q.limit = 25;
	q.owner = B2;
	back = list_check(st, LIST_OWNED_WABAS, &q, W(9), false);
	page_put(back);
	q.owner = B3;
	back = list_check(st, LIST_OWNED_WABAS, &q, "", false);
	page_put(back);
	store_close(st);
}
END_TEST

START_TEST(test_list_filters)
{
	struct store *st = paging_world();
	char *self[] = { (char *)"SELF" };
	char *in2[] = { (char *)"CLIENT_OWNED", (char *)"ON_BEHALF_OF" };
	struct filter f[2];
	struct list_query q = { .owner = B1,
		.limit = 25,
		.filters = f,
		.nfilters = 1 };
	struct list_page rows, page;
	char *cause = NULL;

	memset(f, 0, sizeof(f));
	f[0].field = "creation_time";
	f[0].op = FOP_LESS_THAN;
	f[0].hi = 200;
	rows = list_check(st, LIST_OWNED_WABAS, &q, W(1), false);
	page_put(rows);
	f[0].op = FOP_GREATER_THAN;
	f[0].lo = 200;
	rows = list_check(st, LIST_OWNED_WABAS, &q, W(5) "," W(6) "," W(7),
	    false);
	page_put(rows);
	ck_assert_int_eq(store_list_count(st, LIST_OWNED_WABAS, &q), 3);
	f[0].op = FOP_IN_RANGE;
	f[0].lo = 200;
	f[0].hi = 300;
	rows = list_check(st, LIST_OWNED_WABAS, &q,
	    W(2) "," W(3) "," W(4) "," W(5) "," W(6), false);
	page_put(rows);
	/* Two filters, and paging inside the filtered set. */
	f[1].field = "ownership_type";
	f[1].op = FOP_EQUAL;
	f[1].values = self;
	f[1].nvalues = 1;
	q.nfilters = 2;
	q.limit = 2;
	rows = list_check(st, LIST_OWNED_WABAS, &q, W(2) "," W(4), true);
	q.pos = pos_of(&rows, 1, 1);
	page_put(rows);
	rows = list_check(st, LIST_OWNED_WABAS, &q, W(5), false);
	page_put(rows);
	ck_assert_int_eq(store_list_count(st, LIST_OWNED_WABAS, &q), 3);
	q.pos.dir = 0;
	q.limit = 25;
	f[1].op = FOP_IN;
	f[1].values = in2;
	f[1].nvalues = 2;
	rows = list_check(st, LIST_OWNED_WABAS, &q, W(3) "," W(6), false);
	page_put(rows);
	q.nfilters = 1;
	f[0] = f[1];
	f[0].nvalues = 1;
	rows = list_check(st, LIST_OWNED_WABAS, &q, W(3) "," W(6), false);
	page_put(rows);
	ck_assert_int_eq(store_list_count(st, LIST_OWNED_WABAS, &q), 2);
	f[0].nvalues = 0;
	rows = list_check(st, LIST_OWNED_WABAS, &q, "", false);
	page_put(rows);
	/* A field the rows do not have. */
	f[0].field = "colour";
	f[0].op = FOP_EQUAL;
	f[0].nvalues = 1;
	ck_assert_int_eq(store_list(st, LIST_OWNED_WABAS, &q, &page, &cause),
	    -1);
	ck_assert_ptr_null(page.rows);
	ck_assert_ptr_nonnull(strstr(cause, "colour"));
	free(cause);
	ck_assert_int_eq(store_list_count(st, LIST_OWNED_WABAS, &q), -1);
	/* A JSON column is no filter either. */
	f[0].field = "on_behalf_of_business_info";
	cause = NULL;
	ck_assert_int_eq(store_list(st, LIST_OWNED_WABAS, &q, &page, &cause),
	    -1);
	free(cause);
	store_close(st);
}
END_TEST

START_TEST(test_list_client)
{
	struct store *st = paging_world();
	struct list_query q = { .owner = B2, .limit = 2 };
	struct list_page p1, p2;
	struct json_object *tasks;
	char *ids;

	add_share(st, 4000000000000006LL, B2, "[\"MANAGE\",\"DEVELOP\"]");
	add_share(st, 4000000000000001LL, B2, "[]");
	add_share(st, 4000000000000003LL, B2, "[\"VIEW_COST\"]");
	add_share(st, 4000000000000009LL, B1, "[]");
	p1 = list_check(st, LIST_CLIENT_WABAS, &q, W(1) "," W(3), true);
	tasks = json_object_object_get(json_object_array_get_idx(p1.rows, 1),
	    "permitted_tasks");
	ck_assert_int_eq(json_object_array_length(tasks), 1);
	ck_assert_str_eq(
	    json_object_get_string(json_object_array_get_idx(tasks, 0)),
	    "VIEW_COST");
	q.pos = pos_of(&p1, 1, 1);
	p2 = list_check(st, LIST_CLIENT_WABAS, &q, W(6), false);
	ids = page_ids(p2.rows, "business");
	ck_assert_str_eq(ids, "2000000000000001");
	free(ids);
	q.pos = pos_of(&p2, 0, -1);
	page_put(list_check(st, LIST_CLIENT_WABAS, &q, W(1) "," W(3), false));
	q.pos.dir = 0;
	q.descending = true;
	page_put(list_check(st, LIST_CLIENT_WABAS, &q, W(6) "," W(3), true));
	ck_assert_int_eq(store_list_count(st, LIST_CLIENT_WABAS, &q), 3);
	q.owner = B1;
	page_put(list_check(st, LIST_CLIENT_WABAS, &q, W(9), false));
	page_put(p1);
	page_put(p2);
	store_close(st);
}
END_TEST

START_TEST(test_list_phones)
{
	struct store *st = paging_world();
	char *sandbox[] = { (char *)"SANDBOX" };
	char *states[] = { (char *)"CONNECTED", (char *)"FLAGGED" };
	char *verified[] = { (char *)"VERIFIED" };
	struct filter f;
	struct list_query q = { .owner = 4000000000000001LL, .limit = 2 };
	struct list_page p1, p2;

	/* Ids out of order: the list keeps insertion order. */
	add_phone(st, 5000000000000009LL, 4000000000000001LL, "5550100209",
	    "CONNECTED", "VERIFIED", "LIVE");
	add_phone(st, 5000000000000002LL, 4000000000000001LL, "5550100202",
	    "PENDING", "NOT_VERIFIED", "SANDBOX");
	add_phone(st, 5000000000000005LL, 4000000000000002LL, "5550100205",
	    "CONNECTED", "VERIFIED", "LIVE");
	add_phone(st, 5000000000000001LL, 4000000000000001LL, "5550100201",
	    "FLAGGED", "VERIFIED", "SANDBOX");
	p1 = list_check(st, LIST_PHONES, &q,
	    "5000000000000009,"
	    "5000000000000002",
	    true);
	q.pos = pos_of(&p1, 1, 1);
	p2 = list_check(st, LIST_PHONES, &q, "5000000000000001", false);
	q.pos = pos_of(&p2, 0, -1);
	page_put(list_check(st, LIST_PHONES, &q,
	    "5000000000000009,"
	    "5000000000000002",
	    false));
	q.pos.dir = 0;
	q.descending = true;
	page_put(list_check(st, LIST_PHONES, &q,
	    "5000000000000001,"
	    "5000000000000002",
	    true));
	q.descending = false;
	q.limit = 25;
	memset(&f, 0, sizeof(f));
	q.filters = &f;
	q.nfilters = 1;
	f.field = "account_mode";
	f.op = FOP_EQUAL;
	f.values = sandbox;
	f.nvalues = 1;
	page_put(list_check(st, LIST_PHONES, &q,
	    "5000000000000002,"
	    "5000000000000001",
	    false));
	ck_assert_int_eq(store_list_count(st, LIST_PHONES, &q), 2);
	f.field = "status";
	f.op = FOP_IN;
	f.values = states;
	f.nvalues = 2;
	page_put(list_check(st, LIST_PHONES, &q,
	    "5000000000000009,"
	    "5000000000000001",
	    false));
	f.field = "code_verification_status";
	f.op = FOP_EQUAL;
	f.values = verified;
	f.nvalues = 1;
	page_put(list_check(st, LIST_PHONES, &q,
	    "5000000000000009,"
	    "5000000000000001",
	    false));
	q.nfilters = 0;
	ck_assert_int_eq(store_list_count(st, LIST_PHONES, &q), 3);
	page_put(p1);
	page_put(p2);
	store_close(st);
}
END_TEST

START_TEST(test_list_assignments)
{
	struct store *st = paging_world();
	struct list_query q = { .owner = 4000000000000001LL, .limit = 2 };
	struct list_page p1;
	struct json_object *row, *want;

	add_user(st, 3000000000000003LL, B1);
	add_user(st, 3000000000000001LL, B1);
	add_user(st, 3000000000000002LL, B1);
	add_assignment(st, 4000000000000001LL, 3000000000000003LL,
	    "[\"MANAGE\"]");
	add_assignment(st, 4000000000000001LL, 3000000000000001LL,
	    "[\"DEVELOP\",\"VIEW_COST\"]");
	add_assignment(st, 4000000000000002LL, 3000000000000001LL,
	    "[\"MANAGE_PHONE\"]");
	add_assignment(st, 4000000000000001LL, 3000000000000002LL, "[]");
	p1 = list_check(st, LIST_ASSIGNED_USERS, &q,
	    "3000000000000003,"
	    "3000000000000001",
	    true);
	q.pos = pos_of(&p1, 1, 1);
	row = json_object_get(json_object_array_get_idx(p1.rows, 1));
	want = J(
	    "{\"id\":\"3000000000000001\",\"name\":\"U 3000000000000001\","
	    "\"business\":\"2000000000000001\",\"user_type\":\"BUSINESS_USER\","
	    "\"role\":\"EMPLOYEE\",\"tasks\":[\"DEVELOP\",\"VIEW_COST\"]}");
	assert_json_eq(row, want);
	json_object_put(row);
	json_object_put(want);
	page_put(
	    list_check(st, LIST_ASSIGNED_USERS, &q, "3000000000000002", false));
	q.pos.dir = 0;
	q.descending = true;
	page_put(list_check(st, LIST_ASSIGNED_USERS, &q,
	    "3000000000000002,3000000000000001", true));
	ck_assert_int_eq(store_list_count(st, LIST_ASSIGNED_USERS, &q), 3);
	page_put(p1);

	/* The other way round: the WABAs of a user, with tasks. */
	q.owner = 3000000000000001LL;
	q.descending = false;
	q.limit = 1;
	p1 = list_check(st, LIST_USER_WABAS, &q, W(1), true);
	ck_assert_str_eq(
	    json_object_get_string(json_object_array_get_idx(
	        json_object_object_get(json_object_array_get_idx(p1.rows, 0),
	            "tasks"),
	        1)),
	    "VIEW_COST");
	q.pos = pos_of(&p1, 0, 1);
	page_put(p1);
	p1 = list_check(st, LIST_USER_WABAS, &q, W(2), false);
	q.pos = pos_of(&p1, 0, -1);
	page_put(list_check(st, LIST_USER_WABAS, &q, W(1), false));
	ck_assert_int_eq(store_list_count(st, LIST_USER_WABAS, &q), 2);
	page_put(p1);
	store_close(st);
}
END_TEST

/* Many WABAs created in the same second page exactly, both ways. */
START_TEST(test_list_ties_walk)
{
	struct store *st = open_mem(3);
	struct list_query q = { .owner = B1, .limit = 7 };
	struct page_pos last = { 0, 0, 0 };
	long seen = 0, i;
	bool more = true, have = false;
	char *cause = NULL;

	add_business(st, B1, "US");
	ck_assert_int_eq(store_begin(st), 0);
	for (i = 0; i < 500; i++)
		add_waba(st, store_new_id(st), B1, 1600000000 + (i % 3 ? 0 : 1),
		    "SELF");
	ck_assert_int_eq(store_commit(st), 0);
	while (more) {
		struct list_page page;
		size_t n, k;

		ck_assert_int_eq(
		    store_list(st, LIST_OWNED_WABAS, &q, &page, &cause), 0);
		n = json_object_array_length(page.rows);
		for (k = 0; k < n; k++) {
			struct page_pos p = waba_pos(
			    json_object_array_get_idx(page.rows, k), 1);

			/* (k1, k2) strictly increases, across pages too */
			ck_assert(!have || p.k1 > last.k1 ||
			    (p.k1 == last.k1 && p.k2 > last.k2));
			/* and the page's ends are its end rows' */
			if (k == 0)
				pos_eq(pos_of(&page, 0, 1), p);
			if (k == n - 1)
				pos_eq(pos_of(&page, n - 1, 1), p);
			last = p;
			have = true;
			seen++;
		}
		more = page.more;
		q.pos = last;
		page_put(page);
	}
	ck_assert_int_eq(seen, 500);
	/* And back from the last row to the first. */
	seen = 0;
	q.pos.dir = -1;
	more = true;
	while (more) {
		struct list_page page;
		size_t n;
		struct page_pos first;

		ck_assert_int_eq(
		    store_list(st, LIST_OWNED_WABAS, &q, &page, &cause), 0);
		n = json_object_array_length(page.rows);
		ck_assert(n > 0);
		first = pos_of(&page, 0, -1);
		pos_eq(first,
		    waba_pos(json_object_array_get_idx(page.rows, 0), -1));
		pos_eq(pos_of(&page, n - 1, -1),
		    waba_pos(json_object_array_get_idx(page.rows, n - 1), -1));
		ck_assert(pos_of(&page, n - 1, -1).k2 != q.pos.k2);
		ck_assert(first.k1 < q.pos.k1 ||
		    (first.k1 == q.pos.k1 && first.k2 < q.pos.k2));
		seen += (long)n;
		more = page.more;
		q.pos = first;
		page_put(page);
	}
	ck_assert_int_eq(seen, 499);
	store_close(st);
}
END_TEST

/* A page read again shares its rows with the row cache; a write shows. */
START_TEST(test_list_rows_cached)
{
	struct store *st = paging_world();
	struct list_query q = { .owner = B1, .limit = 2 };
	struct list_page a, b;
	struct json_object *got, *w = NULL, *v;
	char *cause = NULL;

	a = list_check(st, LIST_OWNED_WABAS, &q, W(1) "," W(2), true);
	b = list_check(st, LIST_OWNED_WABAS, &q, W(1) "," W(2), true);
	ck_assert_ptr_eq(json_object_array_get_idx(a.rows, 0),
	    json_object_array_get_idx(b.rows, 0));
	got = store_get(st, TBL_WABAS, 4000000000000002LL);
	ck_assert_ptr_eq(got, json_object_array_get_idx(b.rows, 1));
	ck_assert_int_eq(json_object_deep_copy(got, &w, NULL), 0);
	json_object_object_add(w, "name", json_object_new_string("Renamed"));
	ck_assert_int_eq(store_update(st, TBL_WABAS, w, &cause), 0);
	page_put(b);
	b = list_check(st, LIST_OWNED_WABAS, &q, W(1) "," W(2), true);
	ck_assert(json_object_object_get_ex(
	    json_object_array_get_idx(b.rows, 1), "name", &v));
	ck_assert_str_eq(json_object_get_string(v), "Renamed");
	/* rows handed out before the write stay as they were */
	ck_assert(json_object_object_get_ex(
	    json_object_array_get_idx(a.rows, 1), "name", &v));
	ck_assert_str_ne(json_object_get_string(v), "Renamed");
	json_object_put(got);
	json_object_put(w);
	page_put(a);
	page_put(b);
	store_close(st);
}
END_TEST

START_TEST(test_list_bad_kind)
{
	struct store *st = open_mem(0);
	struct list_query q = { .owner = B1, .limit = 2 };
	struct list_page page;
	char *cause = NULL;

	ck_assert_int_eq(store_list(st, (enum store_list)99, &q, &page, &cause),
	    -1);
	free(cause);
	ck_assert_int_eq(store_list_count(st, (enum store_list)99, &q), -1);
	store_close(st);
}
END_TEST

/* A small world with every table filled. */
static void
fill_world(struct store *st)
{
	ins(st, TBL_APPS,
	    "{\"id\":\"1000000000000001\",\"name\":\"A\","
	    "\"secret\":\"s\",\"require_appsecret_proof\":false}");
	add_business(st, B2, "GB");
	add_business(st, B1, "US");
	add_user(st, U1, B1);
	add_user(st, 3000000000000002LL, B2);
	add_waba(st, 4000000000000002LL, B1, 5, "SELF");
	add_waba(st, W1, B2, 3, "CLIENT_OWNED");
	add_phone(st, 5000000000000002LL, W1, "5550100200", "CONNECTED",
	    "VERIFIED", "LIVE");
	add_phone(st, 5000000000000001LL, W1, "5550100201", "PENDING",
	    "NOT_VERIFIED", "LIVE");
	ins(st, TBL_TOKENS,
	    "{\"token\":\"EAAb\",\"app\":\"1000000000000001\","
	    "\"user\":\"3000000000000001\",\"scopes\":[],"
	    "\"granular_scopes\":[],\"issued_at\":1,\"expires_at\":2,"
	    "\"state\":\"expired\"}");
	ins(st, TBL_TOKENS,
	    "{\"token\":\"EAAa\",\"app\":\"1000000000000001\","
	    "\"user\":\"3000000000000002\",\"scopes\":[\"x\"],"
	    "\"granular_scopes\":[],\"issued_at\":1,\"expires_at\":0,"
	    "\"state\":\"valid\"}");
	add_share(st, W1, B1, "[\"MANAGE\"]");
	add_assignment(st, W1, U1, "[\"MANAGE\"]");
	add_assignment(st, 4000000000000002LL, U1, "[\"DEVELOP\"]");
}

START_TEST(test_export_clear_reimport)
{
	struct store *st = open_mem(9);
	struct json_object *doc, *again, *arr;
	int64_t id_before, id_after;
	int t;

	fill_world(st);
	doc = store_export(st);
	ck_assert_ptr_nonnull(doc);
	/* Order of creation, not of ids. */
	arr = json_object_object_get(doc, "businesses");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
	                     json_object_array_get_idx(arr, 0), "id")),
	    "2000000000000002");
	arr = json_object_object_get(doc, "tokens");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
	                     json_object_array_get_idx(arr, 0), "token")),
	    "EAAb");
	for (t = 0; t < TBL__COUNT; t++)
		ck_assert(
		    json_object_object_get_ex(doc, store_table_name(t), NULL));
	ck_assert_int_eq(json_object_object_length(doc), TBL__COUNT);

	id_before = store_new_id(st);
	ck_assert_int_eq(store_clear(st), 0);
	ck_assert(store_is_empty(st));
	again = store_export(st);
	for (t = 0; t < TBL__COUNT; t++)
		ck_assert_int_eq(
		    json_object_array_length(
		        json_object_object_get(again, store_table_name(t))),
		    0);
	json_object_put(again);
	/* The counter survives a clear: no id comes twice. */
	id_after = store_new_id(st);
	ck_assert(id_after != id_before);

	for (t = 0; t < TBL__COUNT; t++) {
		size_t i;

		arr = json_object_object_get(doc, store_table_name(t));
		for (i = 0; i < json_object_array_length(arr); i++) {
			char *cause = NULL;

			ck_assert_msg(store_insert(st, t,
			                  json_object_array_get_idx(arr, i),
			                  &cause) == 0,
			    "%s", cause);
		}
	}
	again = store_export(st);
	assert_json_eq(again, doc);
	json_object_put(again);
	json_object_put(doc);
	store_close(st);
}
END_TEST

/*
 * The export as text is the export: every kind of column, absent ones,
 * JSON columns, and text that JSON must escape.
 */
START_TEST(test_export_text)
{
	struct store *st = open_mem(9);
	struct json_object *doc, *parsed;
	char *text;
	size_t len;

	text = store_export_text(st, &len);
	ck_assert_ptr_nonnull(text);
	parsed = json_tokener_parse(text);
	doc = store_export(st);
	assert_json_eq(parsed, doc);
	json_object_put(parsed);
	json_object_put(doc);
	free(text);

	fill_world(st);
	ins(st, TBL_WABAS,
	    "{\"id\":\"4000000000000009\","
	    "\"business\":\"2000000000000001\",\"name\":\"q\\\"b\\\\s"
	    "\\n\\t\\u0001\\u001f/\\u00e9\\u20ac\\ud83d\\ude00\","
	    "\"currency\":\"USD\",\"timezone_id\":\"1\","
	    "\"message_template_namespace\":\"abcdef01_2345\","
	    "\"country\":\"US\",\"creation_time\":0,"
	    "\"ownership_type\":\"SELF\",\"account_review_status\":"
	    "\"APPROVED\",\"is_enabled_for_insights\":true,"
	    "\"on_behalf_of_business_info\":{\"id\":\"2000000000000002\","
	    "\"name\":\"P \\\"x\\\"\"},\"phone_number_limit\":3,"
	    "\"status\":\"ACTIVE\"}");
	text = store_export_text(st, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(strlen(text), len);
	parsed = json_tokener_parse(text);
	ck_assert_msg(parsed != NULL, "not JSON: %s", text);
	doc = store_export(st);
	assert_json_eq(parsed, doc);
	json_object_put(parsed);
	json_object_put(doc);
	free(text);
	store_close(st);
}
END_TEST

START_TEST(test_file_store_reopen)
{
	char *dir = tmpdir(), *path = xasprintf("%s/s.db", dir), *cause = NULL;
	char *wal = xasprintf("%s-wal", path);
	struct store *st = store_open(path, 5, &cause), *probe = open_mem(5);
	struct json_object *doc, *again;
	int64_t id1, id2;

	ck_assert_msg(st != NULL, "%s", cause);
	ck_assert(store_is_empty(st));
	fill_world(st);
	id1 = store_new_id(st);
	ck_assert_int_eq(store_new_id(probe), id1);
	ck_assert_int_eq(access(wal, F_OK), 0);
	doc = store_export(st);
	store_close(st);

	st = store_open(path, 5, &cause);
	ck_assert_msg(st != NULL, "%s", cause);
	ck_assert_int_eq(store_schema_version(st), (int)schema_nmigrations);
	ck_assert(!store_is_empty(st));
	ck_assert(store_size_bytes(st) > 0);
	again = store_export(st);
	assert_json_eq(again, doc);
	/* The counter was persisted: the next id is the sequence's second. */
	id2 = store_new_id(st);
	ck_assert_int_eq(store_new_id(probe), id2);
	ck_assert(id2 != id1);
	json_object_put(again);
	json_object_put(doc);
	store_close(st);
	store_close(probe);
	free(wal);
	free(path);
	rmstore(dir);
}
END_TEST

static Suite *
store_suite(void)
{
	const TTest *const tests[] = {
		test_open_migrate,
		test_open_schema_as_migrations,
		test_open_bad_path,
		test_open_newer_schema,
		test_open_broken_schema,
		test_insert_get_every_table,
		test_optional_omitted,
		test_node_types,
		test_new_id_deterministic,
		test_new_id_skips_used,
		test_new_id_rolled_back,
		test_update,
		test_version,
		test_constraints_leave_state,
		test_transactions,
		test_assignments_and_counts,
		test_list_owned_ascending,
		test_list_owned_descending,
		test_list_filters,
		test_list_client,
		test_list_phones,
		test_list_assignments,
		test_list_ties_walk,
		test_list_rows_cached,
		test_list_bad_kind,
		test_export_text,
		test_export_clear_reimport,
		test_file_store_reopen,
		NULL,
	};

	return suite_core("store", NULL, NULL, tests);
}

int
main(void)
{
	return suite_run(store_suite());
}
