/*
 * node.c - GET /{id}: a node read is the same for every node type, its
 * table and fields being the type's description (objects.c).  Only a
 * phone number does more first (phone_get() in phone.c).
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
