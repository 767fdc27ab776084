/*
 * subscriptions.c - who receives a WABA's webhooks: an app's subscription
 * (/{app-id}/subscriptions: a callback and the fields it wants) and the
 * apps a WABA sends its events to (/{waba-id}/subscribed_apps, with an
 * optional override of the app's callback).  docs/webhooks.md describes
 * the rules; the delivery side is server/webhooks/.
 *
 * A new callback is proven by the hub.challenge handshake before it is
 * stored.  The handshake may wait 5 s for a receiver, so a handler asks
 * for it (rq->hs_state) and emu_handle() runs it without emu->lock, then
 * runs the call again, which checks everything anew and writes.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"
#include "handlers.h"
#include "objects.h"
#include "render.h"
#include "request.h"
#include "row.h"
#include "store.h"
#include "util.h"
#include "webhooks/handshake.h"
#include "webhooks/outbox.h"

/*
 * 0 once url passed the handshake; -1 with the 2200 error when it failed;
 * 1 when the call must wait for it (emu_handle() runs it and calls the
 * handler again).  A batch item holds the lock already, so it runs the
 * handshake itself.
 */
static int
verified(struct request *rq, const char *url, const char *token)
{
	const struct emu_env *env = &rq->emu->env;
	char *cause = NULL;
	int rc;

	if (rq->hs_state == HS_OK)
		return 0;
	if (rq->hs_state == HS_FAILED)
		return gerr_set(&rq->err, GE_CALLBACK, "%s", rq->hs_cause);
	if (rq->is_batch_item) {
		rc = handshake_verify(url, token, NULL, env->webhook_allow,
		    env->nwebhook_allow, &cause);
		if (rc < 0)
			gerr_set(&rq->err, GE_CALLBACK, "%s", cause);
		free(cause);
		return rc;
	}
	rq->hs_url = xstrdup(url);
	rq->hs_token = xstrdup(token);
	rq->hs_state = HS_WANTED;
	return 1;
}

/* An http(s) URL parameter, or NULL with rq->err set (100). */
static const char *
param_url(struct request *rq, const char *name, bool required)
{
	const char *v;

	if (param_string(rq, name, &v) < 0)
		return NULL;
	if (v == NULL) {
		if (required)
			(void)param_required(rq, name);
		return NULL;
	}
	if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0) {
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param %s must be a valid "
		    "http or https URL",
		    name);
		return NULL;
	}
	return v;
}

/* fields= as a comma list or a JSON array of webhook fields; NULL: rq->err. */
static struct json_object *
param_fields(struct request *rq, bool required)
{
	const char *v = param_maybe(rq, "fields", required);
	struct json_object *out;

	if (v == NULL)
		return NULL;
	out = param_names("fields", v, webhook_fields, &rq->err);
	if (out != NULL && json_object_array_length(out) == 0) {
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param fields must be "
		    "non-empty");
		json_object_put(out);
		out = NULL;
	}
	return out;
}

/* object=: the one object this emulator has, required. */
static int
param_object(struct request *rq, bool required)
{
	const char *v;

	if (param_string(rq, "object", &v) < 0)
		return -1;
	if (v == NULL)
		return required && param_required(rq, "object") == NULL ? -1 :
		                                                          0;
	if (strcmp(v, "whatsapp_business_account") != 0)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param object must "
		    "be one of {whatsapp_business_account} - got \"%s\"",
		    v);
	return 0;
}

/* Runs the write fn(rq, ctx) in one store transaction. */
static int
write_tx(struct request *rq, int (*fn)(struct request *, void *), void *ctx)
{
	struct store *st = rq->emu->store;

	if (store_begin(st) < 0)
		return gerr_set(&rq->err, GE_UNEXPECTED, NULL);
	if (fn(rq, ctx) < 0 || store_commit(st) < 0) {
		store_rollback(st);
		if (rq->err.id == GE_NONE)
			gerr_set(&rq->err, GE_UNEXPECTED, NULL);
		return -1;
	}
	return 0;
}

/*
 * rq->result = {"data": [...]}: one entry, made by entry(), for each row of
 * t whose column col is the node.  entry() returns a new object.
 */
static int
list_rows(struct request *rq, enum store_table t, const char *col,
    struct json_object *(*entry)(struct request *, struct json_object *))
{
	struct json_object *rows = store_rows_by(rq->emu->store, t, col,
	                       rq->node),
	                   *data;
	size_t i;

	data = json_object_new_array();
	for (i = 0; i < json_object_array_length(rows); i++)
		json_object_array_add(data,
		    entry(rq, json_object_array_get_idx(rows, i)));
	json_object_put(rows);
	rq->result = json_object_new_object();
	json_object_object_add(rq->result, "data", data);
	return 0;
}

/* ---- /{app-id}/subscriptions ---------------------------------------- */

static struct json_object *
subscription_entry(struct request *rq, struct json_object *r)
{
	struct json_object *o = json_object_new_object(), *fs, *f;
	size_t k;

	json_object_object_add(o, "object",
	    json_object_get(json_object_object_get(r, "object")));
	json_object_object_add(o, "callback_url",
	    json_object_get(json_object_object_get(r, "callback_url")));
	json_object_object_add(o, "active",
	    json_object_get(json_object_object_get(r, "active")));
	fs = json_object_new_array();
	f = json_object_object_get(r, "fields");
	for (k = 0; k < json_object_array_length(f); k++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "name",
		    json_object_get(json_object_array_get_idx(f, k)));
		row_set_str(e, "version", rq->version);
		json_object_array_add(fs, e);
	}
	json_object_object_add(o, "fields", fs);
	return o;
}

int
app_subscriptions_list(struct request *rq)
{
	return list_rows(rq, TBL_SUBSCRIPTIONS, "app", subscription_entry);
}

/* The subscription key of the node's app for object w_b_a. */
static struct json_object *
sub_key(struct request *rq)
{
	struct json_object *key = json_object_new_object();

	row_set_str(key, "app", rq->node_id);
	row_set_str(key, "object", "whatsapp_business_account");
	return key;
}

static int
sub_write(struct request *rq, void *ctx)
{
	struct json_object *row = ctx, *key = sub_key(rq), *old;
	char *cause = NULL;
	int rc;

	old = store_lookup(rq->emu->store, TBL_SUBSCRIPTIONS, key);
	json_object_put(key);
	rc = old != NULL ?
	    store_update(rq->emu->store, TBL_SUBSCRIPTIONS, row, &cause) :
	    store_insert(rq->emu->store, TBL_SUBSCRIPTIONS, row, &cause);
	json_object_put(old);
	free(cause);
	return rc;
}

/*
 * POST: sets the callback and adds the fields to those already
 * subscribed (Graph adds; DELETE with fields removes), once the callback
 * answered the handshake.
 */
int
app_subscriptions_add(struct request *rq)
{
	const char *url, *token;
	struct json_object *fields, *key, *old, *row, *of;
	bool include = true;
	const char *iv = params_get(&rq->params, "include_values");
	size_t i;
	int rc;

	if (param_object(rq, true) < 0 ||
	    (url = param_url(rq, "callback_url", true)) == NULL)
		return -1;
	if (param_string(rq, "verify_token", &token) < 0)
		return -1;
	if (iv != NULL &&
	    param_bool("include_values", iv, &include, &rq->err) < 0)
		return -1;
	if ((fields = param_fields(rq, true)) == NULL)
		return -1;
	if ((rc = verified(rq, url, token != NULL ? token : "")) != 0) {
		json_object_put(fields);
		return -1;
	}
	key = sub_key(rq);
	old = store_lookup(rq->emu->store, TBL_SUBSCRIPTIONS, key);
	json_object_put(key);
	/* fields already subscribed stay, in their order, before new ones */
	if (old != NULL &&
	    (of = json_object_object_get(old, "fields")) != NULL) {
		struct json_object *merged = json_object_new_array();

		for (i = 0; i < json_object_array_length(of); i++)
			json_object_array_add(merged,
			    json_object_get(json_object_array_get_idx(of, i)));
		for (i = 0; i < json_object_array_length(fields); i++) {
			struct json_object *f = json_object_array_get_idx(
			    fields, i);
			size_t k;
			bool dup = false;

			for (k = 0; k < json_object_array_length(of); k++)
				dup |= strcmp(json_object_get_string(f),
				           json_object_get_string(
				               json_object_array_get_idx(of,
				                   k))) == 0;
			if (!dup)
				json_object_array_add(merged,
				    json_object_get(f));
		}
		json_object_put(fields);
		fields = merged;
	}
	json_object_put(old);
	row = sub_key(rq);
	row_set_str(row, "callback_url", url);
	if (token != NULL && *token != '\0')
		row_set_str(row, "verify_token", token);
	json_object_object_add(row, "fields", fields);
	json_object_object_add(row, "include_values",
	    json_object_new_boolean(include));
	json_object_object_add(row, "active", json_object_new_boolean(1));
	rc = write_tx(rq, sub_write, row);
	json_object_put(row);
	if (rc == 0)
		render_success(rq);
	return rc;
}

struct sub_removal {
	struct json_object *fields; /* NULL: the whole subscription */
};

static int
sub_remove(struct request *rq, void *ctx)
{
	struct sub_removal *rm = ctx;
	struct json_object *key = sub_key(rq), *old, *row, *kept, *of;
	char *cause = NULL;
	size_t i, k;
	int rc = 0;

	old = store_lookup(rq->emu->store, TBL_SUBSCRIPTIONS, key);
	if (old == NULL || rm->fields == NULL) {
		rc = store_delete(rq->emu->store, TBL_SUBSCRIPTIONS, key) < 0 ?
		    -1 :
		    0;
		goto out;
	}
	kept = json_object_new_array();
	of = json_object_object_get(old, "fields");
	for (i = 0; i < json_object_array_length(of); i++) {
		struct json_object *f = json_object_array_get_idx(of, i);
		bool gone = false;

		for (k = 0; k < json_object_array_length(rm->fields); k++)
			gone |= strcmp(json_object_get_string(f),
			            json_object_get_string(
			                json_object_array_get_idx(rm->fields,
			                    k))) == 0;
		if (!gone)
			json_object_array_add(kept, json_object_get(f));
	}
	/* no field left: no subscription left */
	if (json_object_array_length(kept) == 0) {
		json_object_put(kept);
		rc = store_delete(rq->emu->store, TBL_SUBSCRIPTIONS, key) < 0 ?
		    -1 :
		    0;
		goto out;
	}
	row = json_object_new_object();
	json_object_object_foreach(old, name, val)
		json_object_object_add(row, name, json_object_get(val));
	json_object_object_add(row, "fields", kept);
	rc = store_update(rq->emu->store, TBL_SUBSCRIPTIONS, row, &cause);
	free(cause);
	json_object_put(row);
out:
	json_object_put(old);
	json_object_put(key);
	return rc;
}

/* DELETE: with fields=, those fields; else the object's subscription. */
int
app_subscriptions_remove(struct request *rq)
{
	struct sub_removal rm = { NULL };
	int rc;

	if (param_object(rq, false) < 0)
		return -1;
	if (params_get(&rq->params, "fields") != NULL &&
	    (rm.fields = param_fields(rq, false)) == NULL)
		return -1;
	rc = write_tx(rq, sub_remove, &rm);
	json_object_put(rm.fields);
	if (rc == 0)
		render_success(rq);
	return rc;
}

/* ---- /{waba-id}/subscribed_apps ------------------------------------- */

static struct json_object *
subscribed_app_entry(struct request *rq, struct json_object *r)
{
	struct json_object *o = json_object_new_object(), *d, *app, *v;
	char *link;

	app = store_get(rq->emu->store, TBL_APPS, row_id(r, "app"));
	d = json_object_new_object();
	row_set_str(d, "id", row_str(r, "app"));
	link = xasprintf("https://www.facebook.com/games/?app_id=%s",
	    row_str(r, "app"));
	row_set_str(d, "link", link);
	free(link);
	row_set_str(d, "name", app != NULL ? row_str(app, "name") : "");
	json_object_put(app);
	json_object_object_add(o, "whatsapp_business_api_data", d);
	if (json_object_object_get_ex(r, "override_callback_uri", &v))
		json_object_object_add(o, "override_callback_uri",
		    json_object_get(v));
	return o;
}

int
subscribed_apps_list(struct request *rq)
{
	return list_rows(rq, TBL_SUBSCRIBED_APPS, "waba", subscribed_app_entry);
}

/* The subscribed-app key of the node's WABA and the token's app. */
static struct json_object *
sa_key(struct request *rq)
{
	struct json_object *key = json_object_new_object();
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)rq->token_app);
	row_set_str(key, "waba", rq->node_id);
	row_set_str(key, "app", buf);
	return key;
}

/*
 * Inserts or replaces the row; a new one is the app's installation on
 * the WABA, which Graph reports as account_update PARTNER_APP_INSTALLED,
 * appended in the same transaction.
 */
static int
sa_write(struct request *rq, void *ctx)
{
	struct json_object *row = ctx, *old, *waba, *value, *info;
	struct emu *emu = rq->emu;
	char *cause = NULL;
	int64_t ev;
	int rc;

	old = store_lookup(emu->store, TBL_SUBSCRIBED_APPS, row);
	if (old != NULL) {
		json_object_put(old);
		rc = store_update(emu->store, TBL_SUBSCRIBED_APPS, row, &cause);
		free(cause);
		return rc;
	}
	if (store_insert(emu->store, TBL_SUBSCRIBED_APPS, row, &cause) < 0) {
		free(cause);
		return -1;
	}
	waba = store_get(emu->store, TBL_WABAS, rq->node);
	value = json_object_new_object();
	row_set_str(value, "event", "PARTNER_APP_INSTALLED");
	info = json_object_new_object();
	row_set_str(info, "waba_id", rq->node_id);
	row_set_str(info, "owner_business_id", row_str(waba, "business"));
	json_object_object_add(info, "partner_app_id",
	    json_object_get(json_object_object_get(row, "app")));
	json_object_object_add(value, "waba_info", info);
	json_object_put(waba);
	rc = outbox_append(emu->outbox, "account_update", rq->node, 0, value,
	    clock_now(&emu->clock), &ev, &cause);
	json_object_put(value);
	free(cause);
	return rc;
}

/*
 * POST: subscribes the token's app to the WABA's webhooks.  An
 * override_callback_uri (with its verify_token) is proven first; a POST
 * without one clears the override.
 */
int
subscribed_apps_add(struct request *rq)
{
	const char *url, *token = NULL;
	struct json_object *row;
	int rc;

	if (param_string(rq, "override_callback_uri", &url) < 0)
		return -1;
	if (url != NULL) {
		if ((url = param_url(rq, "override_callback_uri", true)) ==
		    NULL)
			return -1;
		if (param_string(rq, "verify_token", &token) < 0)
			return -1;
		if (token == NULL) {
			(void)param_required(rq, "verify_token");
			return -1;
		}
		if (verified(rq, url, token) != 0)
			return -1;
	}
	row = sa_key(rq);
	if (url != NULL) {
		row_set_str(row, "override_callback_uri", url);
		row_set_str(row, "verify_token", token);
	}
	rc = write_tx(rq, sa_write, row);
	json_object_put(row);
	if (rc == 0)
		render_success(rq);
	return rc;
}

static int
sa_remove(struct request *rq, void *ctx)
{
	return store_delete(rq->emu->store, TBL_SUBSCRIBED_APPS, ctx) < 0 ? -1 :
	                                                                    0;
}

/* DELETE: unsubscribes the token's app; unsubscribed already is fine. */
int
subscribed_apps_remove(struct request *rq)
{
	struct json_object *key = sa_key(rq);
	int rc = write_tx(rq, sa_remove, key);

	json_object_put(key);
	if (rc == 0)
		render_success(rq);
	return rc;
}
