/*
 * app.c - the Application node read (GET /{app-id}).  Its subscriptions
 * edge lives in subscriptions.c.
 */
#include <json-c/json.h>

#include "emu.h"
#include "handlers.h"
#include "render.h"
#include "request.h"

int
app_get(struct request *rq)
{
	struct json_object *row = store_get(rq->emu->store, TBL_APPS, rq->node);
	int rc = render_read(rq, NODE_APP, row);

	json_object_put(row);
	return rc;
}
