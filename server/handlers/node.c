/*
 * node.c - GET /{id} and GET /{id}/{edge}: a node read is the same for
 * every node type, its table and fields being the type's description
 * (objects.c), and a list edge's read the same for every edge, as its
 * edge_def (render.c) describes it.  Only a phone number does more first
 * (phone_get() in phone.c), and assigned_users checks its business=
 * (assigned_users.c).
 */
#include <json-c/json.h>

#include "emu.h"
#include "handlers.h"
#include "render.h"
#include "request.h"

int
node_get(struct request *rq)
{
	enum node_type t = (enum node_type)rq->node_type;
	struct json_object *row = store_get(rq->emu->store,
	    objects_table_of_node(t), rq->node);
	int rc = render_read(rq, t, row);

	json_object_put(row);
	return rc;
}

int
edge_list(struct request *rq)
{
	rq->result = render_list(rq, render_edge(rq->edge), rq->node, NULL);
	return rq->result ? 0 : -1;
}
