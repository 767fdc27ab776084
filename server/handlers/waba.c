/*
 * waba.c - the WhatsAppBusinessAccount node read.  Its edges live in
 * phone.c and assigned_users.c; nested edges in render.c, analytics in
 * getters.c.
 */
#include <json-c/json.h>

#include "emu.h"
#include "handlers.h"
#include "render.h"
#include "request.h"

int
waba_get(struct request *rq)
{
	struct json_object *row = store_get(rq->emu->store, TBL_WABAS,
	    rq->node);
	int rc = render_read(rq, NODE_WABA, row);

	json_object_put(row);
	return rc;
}
