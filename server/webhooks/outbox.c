/*
 * outbox.c - see outbox.h.  Besides the store (server/store/), one of the
 * few files that speak SQL: the webhook tables are this module's, on the
 * store's connection (store_sqlite()) so that an append joins the
 * caller's transaction.
 * Statements are prepared once and kept.
 */
#include "webhooks/outbox.h"

#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "util.h"

/*
 * The management fields (the Graph webhooks reference for the
 * whatsapp_business_account object).  overridable: an override callback
 * (phone number's, then WABA's) applies; template and account-level
 * fields always go to the app's own callback.
 */
static const struct {
	const char *name;
	bool overridable;
} fields[] = {
	/* name				overridable */
	{ "account_review_update", false },
	{ "account_update", false },
	{ "business_capability_update", false },
	{ "message_template_quality_update", false },
	{ "message_template_status_update", false },
	{ "messages", true },
	{ "phone_number_name_update", true },
	{ "phone_number_quality_update", true },
	{ "security", false },
	{ "template_category_update", false },
};

enum stmt_id {
	S_EVENT,
	S_FANOUT,
	S_DUE,
	S_NEXT,
	S_ATTEMPT,
	S_STATE,
	S_REDELIVER,
	S_LIST,
	S_ATTEMPTS,
	S_PENDING,
	S_SUBSCRIBED,
	S__COUNT
};

static const char *const sqls[S__COUNT] = {
	[S_EVENT] = "INSERT INTO events (field, waba, phone, value, "
	            "created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	/*
	 * ?1 event, ?2 waba, ?3 phone, ?4 --webhook-url, ?5 overridable,
	 * ?6 now, ?7 field.  An app gets the event when it subscribed to
	 * the field and the WABA subscribed to it; the flag stands in for
	 * a missing subscription on either side.
	 */
	[S_FANOUT] =
	    "INSERT INTO deliveries (event, app, target, state, "
	    "next_attempt_at, queued_at) "
	    "SELECT ?1, a.id, CASE WHEN ?5 THEN coalesce("
	    "p.override_callback_uri, w.override_callback_uri, "
	    "s.callback_url, ?4) ELSE coalesce(s.callback_url, ?4) END, "
	    "'pending', ?6, ?6 FROM apps a "
	    "LEFT JOIN subscriptions s ON s.app = a.id "
	    "AND s.object = 'whatsapp_business_account' "
	    "LEFT JOIN subscribed_apps w ON w.waba = ?2 AND w.app = a.id "
	    "LEFT JOIN phone_webhook_overrides p ON p.phone = ?3 "
	    "AND p.app = a.id "
	    "WHERE CASE WHEN s.app IS NOT NULL THEN s.active = 1 AND EXISTS "
	    "(SELECT 1 FROM json_each(s.fields) f WHERE f.value = ?7) "
	    "ELSE ?4 IS NOT NULL END "
	    "AND (w.app IS NOT NULL OR ?4 IS NOT NULL) ORDER BY a.seq",
	/* oldest due first: order per WABA holds except across retries */
	[S_DUE] = "SELECT d.id, e.waba, e.created_at, d.queued_at, d.tries, "
	          "e.field, d.target, e.value, a.secret FROM deliveries d "
	          "JOIN events e ON e.id = d.event "
	          "LEFT JOIN apps a ON a.id = d.app "
	          "WHERE d.state = 'pending' AND d.next_attempt_at <= ?1 "
	          "ORDER BY d.next_attempt_at, d.id LIMIT 1",
	[S_NEXT] = "SELECT min(next_attempt_at) FROM deliveries "
	           "WHERE state = 'pending'",
	[S_ATTEMPT] = "INSERT INTO delivery_attempts (delivery, at, status, "
	              "duration_ms, error) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_STATE] = "UPDATE deliveries SET state = ?2, next_attempt_at = ?3, "
	            "tries = tries + 1 WHERE id = ?1 AND state = 'pending'",
	[S_REDELIVER] =
	    "UPDATE deliveries SET state = 'pending', "
	    "next_attempt_at = ?2, queued_at = ?2, tries = 0 WHERE id = ?1",
	[S_LIST] =
	    "SELECT d.id, d.event, e.field, e.waba, d.app, d.target, "
	    "d.state, d.next_attempt_at FROM deliveries d "
	    "JOIN events e ON e.id = d.event "
	    "WHERE (?1 IS NULL OR e.field = ?1) AND (?2 IS NULL OR "
	    "d.state = ?2) AND (?3 IS NULL OR e.waba = ?3) ORDER BY d.id",
	[S_ATTEMPTS] =
	    "SELECT at, status, duration_ms, error "
	    "FROM delivery_attempts WHERE delivery = ?1 ORDER BY rowid",
	[S_PENDING] = "SELECT count(*) FROM deliveries "
	              "WHERE state = 'pending'",
	/* without --webhook-url, S_FANOUT needs one of these */
	[S_SUBSCRIBED] = "SELECT EXISTS (SELECT 1 FROM subscriptions "
	                 "WHERE object = 'whatsapp_business_account' "
	                 "AND active = 1)",
};

struct outbox {
	struct store *st;
	sqlite3 *db;
	/* whether S_FANOUT can match, as of the subscriptions' version */
	bool subscribed;
	bool subscribed_known;
	unsigned subscribed_version;
	char *flag_url;
	sqlite3_stmt *stmts[S__COUNT];
	void (*on_change)(void *);
	void *ctx;
};

struct outbox *
outbox_new(struct store *st, const char *flag_url)
{
	struct outbox *ob = xcalloc(1, sizeof(*ob));

	ob->st = st;
	ob->db = store_sqlite(st);
	ob->flag_url = flag_url ? xstrdup(flag_url) : NULL;
	return ob;
}

void
outbox_free(struct outbox *ob)
{
	size_t i;

	if (ob == NULL)
		return;
	for (i = 0; i < S__COUNT; i++)
		sqlite3_finalize(ob->stmts[i]);
	free(ob->flag_url);
	free(ob);
}

void
outbox_on_change(struct outbox *ob, void (*fn)(void *), void *ctx)
{
	ob->on_change = fn;
	ob->ctx = ctx;
}

static void
changed(struct outbox *ob)
{
	if (ob->on_change != NULL)
		ob->on_change(ob->ctx);
}

bool
outbox_field_known(const char *field)
{
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcmp(fields[i].name, field) == 0)
			return true;
	return false;
}

bool
outbox_field_overridable(const char *field)
{
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcmp(fields[i].name, field) == 0)
			return fields[i].overridable;
	return false;
}

/* The statement, reset and unbound; NULL on a prepare failure. */
static sqlite3_stmt *
stmt(struct outbox *ob, enum stmt_id id)
{
	sqlite3_stmt *s = ob->stmts[id];

	if (s == NULL) {
		if (sqlite3_prepare_v3(ob->db, sqls[id], -1,
		        SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
			return NULL;
		ob->stmts[id] = s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

static void
bind_opt_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);

	return v ? xstrdup(v) : NULL;
}

/*
 * False when no delivery can come of an event: no --webhook-url and no
 * active subscription to the object.  Asked again only after the
 * subscriptions change, so an event costs its own row insert alone.
 */
static bool
may_fan_out(struct outbox *ob)
{
	unsigned v;

	if (ob->flag_url != NULL)
		return true;
	v = store_table_version(ob->st, TBL_SUBSCRIPTIONS);
	if (!ob->subscribed_known || ob->subscribed_version != v) {
		int64_t n = store_stmt_int(stmt(ob, S_SUBSCRIBED));

		/* a failed read: fan out, as before */
		ob->subscribed = n != 0;
		ob->subscribed_known = n >= 0;
		ob->subscribed_version = v;
	}
	return ob->subscribed;
}

static int
db_fail(struct outbox *ob, char **cause)
{
	if (cause != NULL)
		*cause = xasprintf("webhook outbox: %s",
		    sqlite3_errmsg(ob->db));
	return -1;
}

int
outbox_append(struct outbox *ob, const char *field, int64_t waba, int64_t phone,
    struct json_object *value, int64_t now, int64_t *event_id, char **cause)
{
	sqlite3_stmt *s;
	const char *text = json_object_to_json_string_ext(value,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	int64_t id;
	bool fanned;

	if ((s = stmt(ob, S_EVENT)) == NULL)
		return db_fail(ob, cause);
	sqlite3_bind_text(s, 1, field, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, waba);
	if (phone != 0)
		sqlite3_bind_int64(s, 3, phone);
	sqlite3_bind_text(s, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, now);
	if (sqlite3_step(s) != SQLITE_DONE)
		return db_fail(ob, cause);
	id = sqlite3_last_insert_rowid(ob->db);
	sqlite3_reset(s);
	*event_id = id;
	if (!may_fan_out(ob))
		return 0;
	if ((s = stmt(ob, S_FANOUT)) == NULL)
		return db_fail(ob, cause);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, waba);
	if (phone != 0)
		sqlite3_bind_int64(s, 3, phone);
	bind_opt_text(s, 4, ob->flag_url);
	sqlite3_bind_int(s, 5, outbox_field_overridable(field));
	sqlite3_bind_int64(s, 6, now);
	sqlite3_bind_text(s, 7, field, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		return db_fail(ob, cause);
	/* no subscription, no delivery: the worker has nothing to wake for,
	 * and waking it would cost this request a context switch and a turn
	 * at the lock */
	fanned = sqlite3_changes(ob->db) > 0;
	sqlite3_reset(s);
	if (fanned)
		changed(ob);
	return 0;
}

int
outbox_next_due(struct outbox *ob, int64_t now, struct outbox_job *job,
    int64_t *next_at)
{
	sqlite3_stmt *s;
	int rc;

	memset(job, 0, sizeof(*job));
	*next_at = -1;
	if ((s = stmt(ob, S_DUE)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		job->delivery = sqlite3_column_int64(s, 0);
		job->waba = sqlite3_column_int64(s, 1);
		job->created_at = sqlite3_column_int64(s, 2);
		job->queued_at = sqlite3_column_int64(s, 3);
		job->nattempts = sqlite3_column_int(s, 4);
		job->field = col_dup(s, 5);
		job->target = col_dup(s, 6);
		job->value = col_dup(s, 7);
		job->secret = col_dup(s, 8);
		sqlite3_reset(s);
		return 1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE || (s = stmt(ob, S_NEXT)) == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL)
		*next_at = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

void
outbox_job_cleanup(struct outbox_job *job)
{
	free(job->field);
	free(job->target);
	free(job->value);
	free(job->secret);
	memset(job, 0, sizeof(*job));
}

int
outbox_record(struct outbox *ob, int64_t delivery, int64_t at, int status,
    int64_t duration_ms, const char *error, bool ok, int64_t next_at)
{
	sqlite3_stmt *s;
	int rc = -1;

	if (sqlite3_exec(ob->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return -1;
	if ((s = stmt(ob, S_ATTEMPT)) == NULL)
		goto out;
	sqlite3_bind_int64(s, 1, delivery);
	sqlite3_bind_int64(s, 2, at);
	sqlite3_bind_int(s, 3, status);
	sqlite3_bind_int64(s, 4, duration_ms);
	bind_opt_text(s, 5, error);
	/* a reset meanwhile took the delivery: nothing to record */
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_reset(s);
		rc = 0;
		goto out;
	}
	sqlite3_reset(s);
	if ((s = stmt(ob, S_STATE)) == NULL)
		goto out;
	sqlite3_bind_int64(s, 1, delivery);
	sqlite3_bind_text(s, 2,
	    next_at >= 0 ? "pending" :
	        ok       ? "delivered" :
	                   "failed",
	    -1, SQLITE_STATIC);
	if (next_at >= 0)
		sqlite3_bind_int64(s, 3, next_at);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(s);
out:
	sqlite3_exec(ob->db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int
outbox_redeliver(struct outbox *ob, int64_t delivery, int64_t now)
{
	sqlite3_stmt *s = stmt(ob, S_REDELIVER);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, delivery);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s) == SQLITE_DONE && sqlite3_changes(ob->db) == 1 ?
	    0 :
	    -1;
	sqlite3_reset(s);
	if (rc == 0)
		changed(ob);
	return rc;
}

static struct json_object *
id_string(int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return json_object_new_string(buf);
}

static struct json_object *
attempts_of(struct outbox *ob, int64_t delivery)
{
	struct json_object *arr = json_object_new_array();
	sqlite3_stmt *s = stmt(ob, S_ATTEMPTS);

	if (s == NULL)
		return arr;
	sqlite3_bind_int64(s, 1, delivery);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct json_object *a = json_object_new_object();
		const char *err = (const char *)sqlite3_column_text(s, 3);

		json_object_object_add(a, "at",
		    json_object_new_int64(sqlite3_column_int64(s, 0)));
		json_object_object_add(a, "status",
		    json_object_new_int(sqlite3_column_int(s, 1)));
		json_object_object_add(a, "duration_ms",
		    json_object_new_int64(sqlite3_column_int64(s, 2)));
		json_object_object_add(a, "error",
		    err ? json_object_new_string(err) : NULL);
		json_object_array_add(arr, a);
	}
	sqlite3_reset(s);
	return arr;
}

/* S_LIST's columns before next_attempt_at, as a delivery's members, in
 * order; ids go out as decimal strings. */
static const struct {
	const char *name;
	bool id; /* an int64 id, else text */
} list_columns[] = {
	{ "id", true },
	{ "event_id", true },
	{ "field", false },
	{ "waba", true },
	{ "app", true },
	{ "target", false },
	{ "state", false },
};
#define LIST_STRINGS ((int)(sizeof(list_columns) / sizeof(list_columns[0])))

struct json_object *
outbox_list(struct outbox *ob, const char *field, const char *state,
    int64_t waba)
{
	struct json_object *data = json_object_new_array(), *doc;
	sqlite3_stmt *s = stmt(ob, S_LIST);
	int64_t *ids = NULL;
	size_t n = 0, i;
	int k;

	doc = json_object_new_object();
	json_object_object_add(doc, "data", data);
	if (s == NULL)
		return doc;
	bind_opt_text(s, 1, field);
	bind_opt_text(s, 2, state);
	if (waba != 0)
		sqlite3_bind_int64(s, 3, waba);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct json_object *d = json_object_new_object();

		for (k = 0; k < LIST_STRINGS; k++)
			json_object_object_add(d, list_columns[k].name,
			    list_columns[k].id ?
			        id_string(sqlite3_column_int64(s, k)) :
			        json_object_new_string(
			            (const char *)sqlite3_column_text(s, k)));
		json_object_object_add(d, "next_attempt_at",
		    sqlite3_column_type(s, LIST_STRINGS) == SQLITE_NULL ?
		        NULL :
		        json_object_new_int64(
		            sqlite3_column_int64(s, LIST_STRINGS)));
		json_object_array_add(data, d);
		ids = xrealloc(ids, (n + 1) * sizeof(*ids));
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	/* attempts after the walk: one statement cannot serve both */
	for (i = 0; i < n; i++)
		json_object_object_add(json_object_array_get_idx(data, i),
		    "attempts", attempts_of(ob, ids[i]));
	free(ids);
	return doc;
}

long
outbox_pending(struct outbox *ob)
{
	return (long)store_stmt_int(stmt(ob, S_PENDING));
}

int
outbox_clear(struct outbox *ob)
{
	return sqlite3_exec(ob->db,
	           "DELETE FROM delivery_attempts; "
	           "DELETE FROM deliveries; DELETE FROM events;",
	           NULL, NULL, NULL) == SQLITE_OK ?
	    0 :
	    -1;
}
