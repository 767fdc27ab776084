/*
 * business.c - the Business node and its WABA list edges.
 */
#include <json-c/json.h>

#include "emu.h"
#include "handlers.h"
#include "render.h"
#include "request.h"

int
business_get(struct request *rq)
{
	struct json_object *row = store_get(rq->emu->store, TBL_BUSINESSES,
	    rq->node);
	int rc = render_read(rq, NODE_BUSINESS, row);

	json_object_put(row);
	return rc;
}

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
