/*
 * assigned_users.c - users assigned to a WABA with their tasks: list,
 * assign (re-assigning replaces the tasks) and remove.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "emu.h"
#include "handlers.h"
#include "render.h"
#include "request.h"
#include "tasks.h"
#include "util.h"

/* tasks= as a JSON array, the docs' quoted form or a comma list. */
static struct json_object *
read_tasks(struct request *rq)
{
	const char *v = param_required(rq, "tasks");

	return v != NULL ? param_names("tasks", v, task_names, &rq->err) : NULL;
}

static int64_t
read_user(struct request *rq)
{
	const char *v = param_required(rq, "user");
	int64_t id;

	if (v == NULL || param_id("user", v, &id, &rq->err) < 0)
		return -1;
	if (store_node_type(rq->emu->store, id) != NODE_USER) {
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param user must be the id of a business user, got "
		    "\"%s\"",
		    v);
		return -1;
	}
	return id;
}

/*
 * A business assigns and removes its own users only: the owner its
 * users, a business the WABA is shared with its users.  The pipeline has
 * checked that the caller's business owns or shares the WABA (MANAGE).
 */
static int
not_mine(struct request *rq, struct json_object *user)
{
	int64_t mine = auth_business(rq);

	if (row_id(user, "business") == mine)
		return 0;
	return gerr_set(&rq->err, GE_PARAM,
	    "(#100) Param user: user %s does not belong to your business "
	    "%lld",
	    row_str(user, "id"), (long long)mine);
}

int
assigned_users_list(struct request *rq)
{
	if (render_assigned_business(rq, rq->node) < 0)
		return -1;
	return edge_list(rq);
}

int
assigned_users_add(struct request *rq)
{
	struct store *st = rq->emu->store;
	struct json_object *tasks, *user, *row, *old;
	int64_t uid;
	char *cause = NULL;
	int rc = 0;

	if ((uid = read_user(rq)) < 0 || (tasks = read_tasks(rq)) == NULL)
		return -1;
	user = store_get(st, TBL_USERS, uid);
	if (not_mine(rq, user) < 0) {
		rc = -1;
		json_object_put(tasks);
		goto out;
	}
	row = json_object_new_object();
	json_object_object_add(row, "waba",
	    json_object_new_string(rq->node_id));
	json_object_object_add(row, "user",
	    json_object_new_string(row_str(user, "id")));
	json_object_object_add(row, "tasks", tasks);
	old = store_assignment(st, rq->node, uid);
	if (store_begin(st) < 0 ||
	    (old ? store_update(st, TBL_ASSIGNMENTS, row, &cause) :
	           store_insert(st, TBL_ASSIGNMENTS, row, &cause)) < 0 ||
	    store_commit(st) < 0) {
		store_rollback(st);
		rc = gerr_set(&rq->err, GE_EDIT, NULL);
	} else {
		/* read-after-write reads the WABA (its reference page) */
		render_success(rq);
		rq->raw_type = NODE_WABA;
		rq->raw_id = rq->node;
	}
	free(cause);
	json_object_put(old);
	json_object_put(row);
out:
	json_object_put(user);
	return rc;
}

int
assigned_users_remove(struct request *rq)
{
	struct store *st = rq->emu->store;
	struct json_object *user;
	int64_t uid;
	int rc;

	if ((uid = read_user(rq)) < 0)
		return -1;
	user = store_get(st, TBL_USERS, uid);
	rc = not_mine(rq, user);
	json_object_put(user);
	if (rc < 0)
		return -1;
	if (store_begin(st) < 0 ||
	    store_delete_assignment(st, rq->node, uid) < 0 ||
	    store_commit(st) < 0) {
		store_rollback(st);
		return gerr_set(&rq->err, GE_EDIT, NULL);
	}
	render_success(rq);
	return 0;
}
