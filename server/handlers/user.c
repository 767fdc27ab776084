/*
 * user.c - the WABAs a user is assigned to (the User node read is
 * node_get() in node.c).
 */
#include <json-c/json.h>

#include "emu.h"
#include "handlers.h"
#include "render.h"
#include "request.h"

int
user_assigned_wabas(struct request *rq)
{
	rq->result = render_list(rq, &edge_user_wabas, rq->node, NULL);
	return rq->result ? 0 : -1;
}
