/*
 * me.c - /me, the user behind the access token, and a user's
 * permissions edge.  /me is resolved to that user's node before routing,
 * so /me and /me/assigned_whatsapp_business_accounts are the user's own
 * routes; this file only decides who "me" is.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "request.h"
#include "store.h"
#include "util.h"

#define ME_NO_USER \
	"An active access token must be used to query " \
	"information about the current user."

bool
me_path(const char *segment)
{
	return strcmp(segment, "me") == 0;
}

int
me_resolve(struct request *rq)
{
	/* no token, or an app token: Graph's 2500, not 104 */
	if (rq->token == NULL || rq->token_user == 0)
		return gerr_set(&rq->err, GE_SYNTAX, ME_NO_USER);
	free(rq->node_id);
	rq->node_id = xasprintf("%lld", (long long)rq->token_user);
	rq->node = rq->token_user;
	rq->node_type = NODE_USER;
	return 0;
}

/*
 * The scopes the calling token was granted, each "granted".  The token
 * is the only record of a grant here, so the route lets only the token's
 * own user be read (PERM_USER_SELF).
 */
int
user_permissions(struct request *rq)
{
	struct json_object *scopes = json_object_object_get(rq->token_row,
	                       "scopes"),
	                   *data = json_object_new_array();
	size_t i;

	for (i = 0; scopes && i < json_object_array_length(scopes); i++) {
		struct json_object *p = json_object_new_object();

		json_object_object_add(p, "permission",
		    json_object_get(json_object_array_get_idx(scopes, i)));
		json_object_object_add(p, "status",
		    json_object_new_string("granted"));
		json_object_array_add(data, p);
	}
	rq->result = json_object_new_object();
	json_object_object_add(rq->result, "data", data);
	return 0;
}
