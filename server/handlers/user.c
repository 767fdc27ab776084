/*
 * user.c - the User node and the WABAs a user is assigned to.
 */
#include <json-c/json.h>

#include "emu.h"
#include "handlers.h"
#include "render.h"
#include "request.h"

int
user_get(struct request *rq)
{
	struct json_object *row = store_get(rq->emu->store, TBL_USERS,
	    rq->node);
	int rc = render_read(rq, NODE_USER, row);

	json_object_put(row);
	return rc;
}

int
user_assigned_wabas(struct request *rq)
{
	rq->result = render_list(rq, &edge_user_wabas, rq->node, NULL);
	return rq->result ? 0 : -1;
}
