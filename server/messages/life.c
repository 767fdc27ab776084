/*
 * life.c - see life.h.  The events' shapes are those of Meta's webhook
 * reference for the whatsapp_business_account field `messages`: a value
 * with messaging_product, metadata and either statuses[] or contacts[]
 * and messages[].
 */
#include "messages/life.h"

#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "emu.h"
#include "row.h"
#include "store.h"
#include "util.h"
#include "webhooks/deliver.h"
#include "webhooks/outbox.h"

/* Most messages one sweep moves (three events each, under the lock); the
 * next request moves the rest. */
#define SWEEP_BATCH 100

/* The statuses an outbound message passes through, in order. */
static const char *const steps[] = { "accepted", "sent", "delivered", "read" };
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

/* The Cloud API's titles of the codes a delivery fails with. */
static const struct {
	int code;
	const char *title;
} fail_titles[] = {
	/* code	title */
	{ 130472, "User's number is part of an experiment" },
	{ 131000, "Something went wrong" },
	{ 131026, "Message Undeliverable" },
	{ 131047, "Re-engagement message" },
	{ 131049,
	    "This message was not delivered to maintain healthy "
	    "ecosystem engagement." },
	{ 131050, "User has stopped marketing messages" },
	{ 131053, "Media upload error" },
};

/* A unix time as the messages webhook writes it: a string. */
static void
set_time(struct json_object *o, const char *key, int64_t t)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)t);
	row_set_str(o, key, buf);
}

/*
 * The wamid of the state's next message: the layout of Meta's ids (a
 * small header, the customer's number, 18 hex digits, a terminator), the
 * digits drawn from the seed and the message's place in the state.  No
 * id counter write: a send is the hot path.
 */
static char *
wamid(struct emu *emu, const char *wa_id)
{
	unsigned char buf[96];
	size_t n = strlen(wa_id), k = 0;
	sqlite3_stmt *stmt = store_stmt(emu->store,
	    "SELECT coalesce(max(seq), "
	    "0) + 1 FROM messages");
	uint64_t seq = 0;
	char *b64, *out;

	if (stmt != NULL && sqlite3_step(stmt) == SQLITE_ROW)
		seq = (uint64_t)sqlite3_column_int64(stmt, 0);
	store_stmt_done(stmt);
	if (n > 32)
		n = 32;
	buf[k++] = 0x1c;
	buf[k++] = 0x18;
	buf[k++] = (unsigned char)n;
	memcpy(buf + k, wa_id, n);
	k += n;
	buf[k++] = 0x15;
	buf[k++] = 0x02;
	buf[k++] = 0x00;
	buf[k++] = 0x11;
	buf[k++] = 0x18;
	buf[k++] = 0x12;
	k += (size_t)snprintf((char *)buf + k, 19, "%018llX",
	    (unsigned long long)mix64(
	        mix64(emu->cfg->seed ^ 0x77616d6964ULL) ^ seq));
	buf[k++] = 0x00;
	b64 = b64url_encode(buf, k);
	out = xasprintf("wamid.%s", b64);
	free(b64);
	return out;
}

bool
message_window_open(struct emu *emu, int64_t phone, const char *wa_id)
{
	sqlite3_stmt *stmt = store_stmt(emu->store,
	    "SELECT 1 FROM messages "
	    "WHERE phone = ?1 AND wa_id = ?2 AND direction = 'inbound' AND "
	    "created_at > ?3 LIMIT 1");
	bool open;

	if (stmt == NULL)
		return false;
	sqlite3_bind_int64(stmt, 1, phone);
	sqlite3_bind_text(stmt, 2, wa_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3,
	    clock_now(&emu->clock) - MESSAGE_WINDOW_SECONDS);
	open = sqlite3_step(stmt) == SQLITE_ROW;
	store_stmt_done(stmt);
	return open;
}

/* {"messaging_product":"whatsapp","metadata":{...}} for phone's events. */
static struct json_object *
event_base(struct emu *emu, int64_t phone)
{
	struct json_object *v = json_object_new_object(),
	                   *md = json_object_new_object(),
	                   *row = store_get(emu->store, TBL_PHONE_NUMBERS,
	                       phone);
	char *number = xasprintf("%s%s",
	    row_str(row, "cc") ? row_str(row, "cc") : "",
	    row_str(row, "phone_number") ? row_str(row, "phone_number") : "");

	row_set_str(v, "messaging_product", "whatsapp");
	row_set_str(md, "display_phone_number", number);
	row_set_str(md, "phone_number_id", row_str(row, "id"));
	json_object_object_add(v, "metadata", md);
	free(number);
	json_object_put(row);
	return v;
}

static int
append(struct emu *emu, struct json_object *msg, struct json_object *value,
    char **cause)
{
	int64_t phone = row_id(msg, "phone"), ev, waba;
	struct json_object *p = store_get(emu->store, TBL_PHONE_NUMBERS, phone);
	int rc;

	waba = row_id(p, "waba");
	json_object_put(p);
	rc = outbox_append(emu->outbox, "messages", waba, phone, value,
	    clock_now(&emu->clock), &ev, cause);
	json_object_put(value);
	return rc;
}

/* The status event of msg, now in status st at time at. */
static struct json_object *
status_value(struct emu *emu, struct json_object *msg, const char *st,
    int64_t at)
{
	struct json_object *v = event_base(emu, row_id(msg, "phone")),
	                   *list = json_object_new_array(),
	                   *s = json_object_new_object();

	row_set_str(s, "id", row_str(msg, "id"));
	row_set_str(s, "status", st);
	set_time(s, "timestamp", at);
	row_set_str(s, "recipient_id", row_str(msg, "wa_id"));
	json_object_array_add(list, s);
	json_object_object_add(v, "statuses", list);
	return v;
}

int
message_accept(struct emu *emu, struct json_object *row, char **cause)
{
	struct store *st = emu->store;
	int64_t now = clock_now(&emu->clock),
	        due = now + emu->cfg->message_delays[0];
	bool memo = emu->msg_version ==
	    (uint64_t)store_table_version(st, TBL_MESSAGES) + 1;
	char *id;

	if (store_begin(st) < 0) {
		*cause = xstrdup("the store is busy");
		return -1;
	}
	id = wamid(emu, row_str(row, "wa_id"));
	row_set_str(row, "id", id);
	free(id);
	row_set_str(row, "direction", "outbound");
	row_set_str(row, "status", "accepted");
	row_set_int(row, "created_at", now);
	row_set_int(row, "due_at", due);
	if (store_insert(st, TBL_MESSAGES, row, cause) < 0 ||
	    store_commit(st) < 0) {
		store_rollback(st);
		return -1;
	}
	/* the sweep's memo still holds, with this message's time in it */
	if (memo) {
		emu->msg_version = (uint64_t)store_table_version(st,
		                       TBL_MESSAGES) +
		    1;
		if (due < emu->msg_next_due)
			emu->msg_next_due = due;
	}
	/* the webhook worker sleeps past it: wake it to sweep in time */
	if (due < emu->msg_wake_at)
		deliver_wake(emu->deliver);
	return 0;
}

int
message_inbound(struct emu *emu, int64_t phone, const char *from,
    const char *name, const char *text, char **id, char **cause)
{
	struct store *st = emu->store;
	int64_t now = clock_now(&emu->clock);
	struct json_object *row = json_object_new_object(), *v, *list, *o, *p;

	*id = NULL;
	if (store_begin(st) < 0) {
		json_object_put(row);
		*cause = xstrdup("the store is busy");
		return -1;
	}
	*id = wamid(emu, from);
	row_set_str(row, "id", *id);
	json_object_object_add(row, "phone",
	    json_object_new_string(
	        row_str(p = store_get(st, TBL_PHONE_NUMBERS, phone), "id")));
	json_object_put(p);
	row_set_str(row, "direction", "inbound");
	row_set_str(row, "wa_id", from);
	row_set_str(row, "type", "text");
	row_set_str(row, "text", text);
	row_set_str(row, "status", "received");
	row_set_int(row, "created_at", now);

	v = event_base(emu, phone);
	list = json_object_new_array();
	o = json_object_new_object();
	p = json_object_new_object();
	row_set_str(p, "name", name ? name : from);
	json_object_object_add(o, "profile", p);
	row_set_str(o, "wa_id", from);
	json_object_array_add(list, o);
	json_object_object_add(v, "contacts", list);
	list = json_object_new_array();
	o = json_object_new_object();
	row_set_str(o, "from", from);
	row_set_str(o, "id", *id);
	set_time(o, "timestamp", now);
	p = json_object_new_object();
	row_set_str(p, "body", text);
	json_object_object_add(o, "text", p);
	row_set_str(o, "type", "text");
	json_object_array_add(list, o);
	json_object_object_add(v, "messages", list);

	if (store_insert(st, TBL_MESSAGES, row, cause) < 0 ||
	    append(emu, row, v, cause) < 0 || store_commit(st) < 0) {
		store_rollback(st);
		json_object_put(row);
		free(*id);
		*id = NULL;
		return -1;
	}
	json_object_put(row);
	return 0;
}

static struct json_object *
lookup(struct emu *emu, const char *id)
{
	struct json_object *key = json_object_new_object(), *row;

	row_set_str(key, "id", id);
	row = store_lookup(emu->store, TBL_MESSAGES, key);
	json_object_put(key);
	return row;
}

int
message_fail(struct emu *emu, const char *id, int code, const char *title,
    const char *details, char **cause)
{
	struct store *st = emu->store;
	struct json_object *old = lookup(emu, id), *row, *v, *errs, *e, *d;
	int64_t now = clock_now(&emu->clock);
	size_t i;
	int rc = -1;

	if (old == NULL || strcmp(row_str(old, "direction"), "outbound")) {
		json_object_put(old);
		return 1;
	}
	if (strcmp(row_str(old, "status"), "failed") == 0) {
		json_object_put(old);
		return 2;
	}
	for (i = 0;
	     title == NULL && i < sizeof(fail_titles) / sizeof(fail_titles[0]);
	     i++)
		if (fail_titles[i].code == code)
			title = fail_titles[i].title;
	if (title == NULL)
		title = "Message failed to send";
	row = row_copy(old);
	row_set_str(row, "status", "failed");
	json_object_object_add(row, "due_at", NULL);
	row_set_int(row, "error_code", code);
	v = status_value(emu, row, "failed", now);
	errs = json_object_new_array();
	e = json_object_new_object();
	row_set_int(e, "code", code);
	row_set_str(e, "title", title);
	row_set_str(e, "message", title);
	d = json_object_new_object();
	row_set_str(d, "details", details ? details : title);
	json_object_object_add(e, "error_data", d);
	row_set_str(e, "href",
	    "https://developers.facebook.com/docs/whatsapp/"
	    "cloud-api/support/error-codes/");
	json_object_array_add(errs, e);
	json_object_object_add(
	    json_object_array_get_idx(json_object_object_get(v, "statuses"), 0),
	    "errors", errs);
	if (store_begin(st) < 0) {
		json_object_put(v);
		*cause = xstrdup("the store is busy");
		goto out;
	}
	if (store_update(st, TBL_MESSAGES, row, cause) < 0 ||
	    append(emu, row, v, cause) < 0 || store_commit(st) < 0) {
		store_rollback(st);
		goto out;
	}
	rc = 0;
out:
	json_object_put(row);
	json_object_put(old);
	return rc;
}

/* A message the sweep moves: its row's columns the events need. */
struct due_msg {
	char *id;
	int64_t phone;
	char *wa_id;
	char *status;
	int step; /* index in steps[]; -1: failed or received */
	int64_t created_at, due_at;
};

/* What a sweep's events need of a number, read once per number. */
struct phone_memo {
	int64_t phone, waba;
	struct json_object *metadata; /* the events' metadata object */
};

static int
step_of(const char *st)
{
	size_t i;

	for (i = 0; st != NULL && i < NSTEPS; i++)
		if (strcmp(steps[i], st) == 0)
			return (int)i;
	return -1;
}

static char *
col_dup(sqlite3_stmt *stmt, int i)
{
	const unsigned char *t = sqlite3_column_text(stmt, i);

	return xstrdup(t ? (const char *)t : "");
}

/* The messages due at now, earliest first, at most SWEEP_BATCH. */
static size_t
due_list(struct store *st, int64_t now, struct due_msg *out)
{
	sqlite3_stmt *stmt = store_stmt(st,
	    "SELECT id, phone, wa_id, status, "
	    "created_at, due_at FROM messages WHERE due_at <= ?1 "
	    "ORDER BY due_at, seq LIMIT ?2");
	size_t n = 0;

	if (stmt == NULL)
		return 0;
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int(stmt, 2, SWEEP_BATCH);
	while (n < SWEEP_BATCH && sqlite3_step(stmt) == SQLITE_ROW) {
		out[n].id = col_dup(stmt, 0);
		out[n].phone = sqlite3_column_int64(stmt, 1);
		out[n].wa_id = col_dup(stmt, 2);
		out[n].status = col_dup(stmt, 3);
		out[n].step = step_of(out[n].status);
		out[n].created_at = sqlite3_column_int64(stmt, 4);
		out[n].due_at = sqlite3_column_int64(stmt, 5);
		n++;
	}
	store_stmt_done(stmt);
	return n;
}

static void
memo_for(struct emu *emu, struct phone_memo *pm, int64_t phone)
{
	struct json_object *v;

	if (pm->metadata != NULL && pm->phone == phone)
		return;
	json_object_put(pm->metadata);
	v = event_base(emu, phone);
	pm->metadata = json_object_get(json_object_object_get(v, "metadata"));
	json_object_put(v);
	v = store_get(emu->store, TBL_PHONE_NUMBERS, phone);
	pm->waba = row_id(v, "waba");
	json_object_put(v);
	pm->phone = phone;
}

/*
 * Takes every step of m that the clock has reached, each with its event,
 * and writes where it stands, in the caller's transaction.
 */
static int
advance(struct emu *emu, struct phone_memo *pm, struct due_msg *m, int64_t now,
    char **cause)
{
	const long *delay = emu->cfg->message_delays;
	sqlite3_stmt *stmt;
	int64_t due = m->due_at, ev;
	int k = m->step, rc;

	memo_for(emu, pm, m->phone);
	while (k >= 0 && k + 1 < (int)NSTEPS && due <= now) {
		struct json_object *v = json_object_new_object(),
		                   *list = json_object_new_array(),
		                   *s = json_object_new_object();

		k++;
		row_set_str(v, "messaging_product", "whatsapp");
		json_object_object_add(v, "metadata",
		    json_object_get(pm->metadata));
		row_set_str(s, "id", m->id);
		row_set_str(s, "status", steps[k]);
		set_time(s, "timestamp", due);
		row_set_str(s, "recipient_id", m->wa_id);
		json_object_array_add(list, s);
		json_object_object_add(v, "statuses", list);
		rc = outbox_append(emu->outbox, "messages", pm->waba, m->phone,
		    v, now, &ev, cause);
		json_object_put(v);
		if (rc < 0)
			return -1;
		due = k + 1 < (int)NSTEPS ? m->created_at + delay[k] :
		                            INT64_MAX;
	}
	/* messages are read by nothing the store caches: a plain update */
	if ((stmt = store_stmt(emu->store,
	         "UPDATE messages SET status = ?2, "
	         "due_at = ?3 WHERE id = ?1")) == NULL) {
		*cause = xstrdup("the store could not prepare an update");
		return -1;
	}
	sqlite3_bind_text(stmt, 1, m->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, k >= 0 ? steps[k] : m->status, -1,
	    SQLITE_STATIC);
	if (k >= 0 && due != INT64_MAX)
		sqlite3_bind_int64(stmt, 3, due);
	rc = sqlite3_step(stmt) == SQLITE_DONE ? 0 : -1;
	store_stmt_done(stmt);
	if (rc < 0)
		*cause = xstrdup("the store could not update a message");
	return rc;
}

int64_t
messages_next_due(struct emu *emu)
{
	struct store *st = emu->store;

	if (emu->cfg->read_only)
		return INT64_MAX;
	if (emu->msg_version !=
	    (uint64_t)store_table_version(st, TBL_MESSAGES) + 1)
		return clock_now(&emu->clock);
	return emu->msg_next_due;
}

bool
messages_sweep(struct emu *emu)
{
	struct store *st = emu->store;
	int64_t now = clock_now(&emu->clock), next = INT64_MAX;
	uint64_t gen = (uint64_t)store_table_version(st, TBL_MESSAGES) + 1;
	struct phone_memo pm = { 0, 0, NULL };
	struct due_msg *due;
	sqlite3_stmt *stmt;
	char *cause = NULL;
	size_t i, n = 0;
	bool moved = false;

	/* --read-only promises an unchanging state: the clock moves nothing */
	if (emu->cfg->read_only ||
	    (emu->msg_version == gen && now < emu->msg_next_due))
		return false;
	if ((stmt = store_stmt(st,
	         "SELECT min(due_at) FROM messages "
	         "WHERE due_at IS NOT NULL")) == NULL)
		return false;
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		next = sqlite3_column_int64(stmt, 0);
	store_stmt_done(stmt);
	if (next > now) {
		emu->msg_version = gen;
		emu->msg_next_due = next;
		return false;
	}
	due = xcalloc(SWEEP_BATCH, sizeof(*due));
	n = due_list(st, now, due);
	if (n == 0 || store_begin(st) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (advance(emu, &pm, &due[i], now, &cause) < 0)
			break;
	if (i < n || store_commit(st) < 0)
		store_rollback(st);
	else
		moved = true;
out:
	for (i = 0; i < n; i++) {
		free(due[i].id);
		free(due[i].wa_id);
		free(due[i].status);
	}
	free(due);
	json_object_put(pm.metadata);
	free(cause);
	/* look again next time: more may be due, or a write failed */
	emu->msg_version = 0;
	return moved;
}
