/*
 * business.c - the Business node's WABA list edges (the node read is
 * node_get() in node.c).
 */
#include <json-c/json.h>

#include "emu.h"
#include "handlers.h"
#include "render.h"
#include "request.h"

int
business_owned_wabas(struct request *rq)
{
	rq->result = render_list(rq, &edge_owned_wabas, rq->node, NULL);
	return rq->result ? 0 : -1;
}

int
business_client_wabas(struct request *rq)
{
	rq->result = render_list(rq, &edge_client_wabas, rq->node, NULL);
	return rq->result ? 0 : -1;
}
