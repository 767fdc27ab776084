/*
 * account.c - account_update events for fixture loads; see account.h.
 * The Graph handlers append their own events (subscriptions.c:
 * PARTNER_APP_INSTALLED).
 */
#include "webhooks/account.h"

#include <json-c/json.h>
#include <stdlib.h>

#include "row.h"
#include "store.h"
#include "util.h"
#include "webhooks/outbox.h"

/* {"event":"PARTNER_ADDED","waba_info":{"waba_id","owner_business_id"}} */
static struct json_object *
partner_added(const char *waba, const char *owner)
{
	struct json_object *value = json_object_new_object();
	struct json_object *info = json_object_new_object();

	json_object_object_add(value, "event",
	    json_object_new_string("PARTNER_ADDED"));
	json_object_object_add(info, "waba_id", json_object_new_string(waba));
	json_object_object_add(info, "owner_business_id",
	    json_object_new_string(owner));
	json_object_object_add(value, "waba_info", info);
	return value;
}

int
account_fixture_added(void *ctx, struct store *st, enum store_table t,
    struct json_object *rows, int64_t now, char **cause)
{
	struct outbox *ob = ctx;
	size_t i;
	int rc = 0;

	if (t != TBL_SHARES)
		return 0;
	for (i = 0; rc == 0 && i < json_object_array_length(rows); i++) {
		struct json_object *share = json_object_array_get_idx(rows, i);
		int64_t waba_id = row_id(share, "waba"), ev;
		struct json_object *waba = store_get(st, TBL_WABAS, waba_id);
		struct json_object *value;

		/* the load inserted the share: its WABA exists */
		if (waba == NULL) {
			*cause = xasprintf("share of WABA %s: no such WABA",
			    row_str(share, "waba"));
			return -1;
		}
		value = partner_added(row_str(share, "waba"),
		    row_str(waba, "business"));
		rc = outbox_append(ob, "account_update", waba_id, 0, value, now,
		    &ev, cause);
		json_object_put(value);
		json_object_put(waba);
	}
	return rc;
}
