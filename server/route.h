/*
 * route.h - the Graph API surface as data.  Reading routes[] in route.c
 * shows every endpoint; the pipeline enforces the flags and permission so
 * handlers never re-check them.
 */
#ifndef WABA_ROUTE_H
#define WABA_ROUTE_H

#include "store.h"

struct request;

/*
 * How a call without a token is met: every route states one of RF_TOKEN,
 * RF_TOKEN_PER_ITEM and RF_TOKEN_OPTIONAL.  A token that is sent is
 * checked whatever the route says.
 */
enum route_flag {
	RF_TOKEN = 1 << 0,      /* needs a valid access token */
	RF_BUC = 1 << 1,        /* counts toward the business-use-case limit */
	RF_WRITE = 1 << 2,      /* changes state: refused under --read-only */
	RF_APP_OK = 1 << 3,     /* an app token (APPID|SECRET) may call it */
	RF_RAW = 1 << 4,        /* a write with read-after-write: with fields=,
			      the node in rq->raw_id is read back */
	RF_FIELDS_ARG = 1 << 5, /* fields= is the handler's own parameter
				   (webhook fields), not a field selection */
	RF_TOKEN_PER_ITEM = 1 << 6, /* the call needs none: each inner call
				       meets its own route's rule (batch) */
	RF_TOKEN_OPTIONAL = 1 << 7, /* without one the handler answers
				       itself (debug_token's own 100, the
				       OAuth exchange that hands one out) */
};

/* What the token's user must be allowed to do with the node (auth.c). */
enum perm {
	PERM_NONE,           /* any valid token */
	PERM_BUSINESS_READ,  /* a user of the business */
	PERM_BUSINESS_ADMIN, /* an ADMIN of the business (WABA lists) */
	PERM_WABA_READ, /* admin of the owner, share, or any assigned task */
	PERM_WABA_PHONE, /* admin, or MANAGE / MANAGE_PHONE / MANAGE_PHONE_ASSETS */
	PERM_WABA_USERS,     /* admin, or MANAGE / MANAGE_USERS */
	PERM_WABA_TEMPLATES, /* admin, or MANAGE / MANAGE_TEMPLATES */
	PERM_WABA_MESSAGING, /* admin, or MANAGE / MESSAGING */
	PERM_USER_READ,      /* the user itself or an admin of its business */
	PERM_USER_SELF,      /* the token's own user (what it was granted) */
	PERM_APP_SELF,       /* an app token of the node's own app (15 for a
				user token) */
	PERM_APP_READ,       /* a token of the node's own app: its app token
				or a user token it issued */
};

typedef int (*route_handler)(struct request *rq);

struct route {
	const char *method; /* "GET", "POST", "DELETE" */
	enum node_type node;
	const char *edge; /* NULL: the node itself; "edge/{id}": an
				  item of the edge (rq->item) */
	route_handler handler;
	unsigned flags; /* RF_* */
	enum perm perm;
};

enum route_miss {
	ROUTE_FOUND,
	ROUTE_NO_EDGE,   /* the node type has no such edge */
	ROUTE_NO_METHOD, /* the edge exists, not for this method */
};

const struct route *route_find(const char *method, enum node_type node,
    const char *edge, enum route_miss *miss);
/* The whole table, *n rows: for checks over every route. */
const struct route *route_all(size_t *n);
/*
 * Path nodes that are not ids ("debug_token", "oauth/access_token"):
 * NODE_ROOT edges.  How many of the n segments segs[] starts with one
 * takes (1 or 2), or 0.
 */
size_t route_path_node(char *const *segs, size_t n);

#endif
