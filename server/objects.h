/*
 * objects.h - every object type described once: its table and columns,
 * its fixture keys and their checks, its Graph fields, default fields,
 * filters and enum domains.  The store (server/store/), the fixture loader
 * (fixtures.c), the renderer (render.c) and the control plane read this
 * description; none of them lists an object's columns or values again.
 * The SQL stays in the schema/ migrations; tests/test_objects.c checks
 * that the two agree.  docs/adding-an-object-type.md walks through adding a type.
 *
 * Ownership: everything here is static and read-only.
 */
#ifndef WABA_OBJECTS_H
#define WABA_OBJECTS_H

#include <stdbool.h>
#include <stddef.h>

#include "filter.h"

/*
 * Node types: kinds of objects with a Graph id.  The numbers are stored
 * (nodes.type, set by the schema's triggers): never renumber.
 */
enum node_type {
	NODE_NONE = 0,
	NODE_ROOT, /* "/" (batch) and path nodes like debug_token */
	NODE_BUSINESS,
	NODE_WABA,
	NODE_PHONE,
	NODE_USER,
	NODE_APP,
	NODE_TEMPLATE, /* a message template (WhatsAppBusinessHSM) */
	NODE__COUNT
};

/* The object types = the tables, in load order (references point back). */
enum store_table {
	TBL_APPS,
	TBL_BUSINESSES,
	TBL_USERS,
	TBL_WABAS,
	TBL_PHONE_NUMBERS,
	TBL_TEMPLATES,
	TBL_TOKENS,
	TBL_ASSIGNMENTS,
	TBL_SHARES,
	TBL_SUBSCRIPTIONS,   /* an app's webhook subscription per object */
	TBL_SUBSCRIBED_APPS, /* the apps a WABA sends its webhooks to */
	TBL_OAUTH_CODES,     /* Embedded Signup codes for /oauth/access_token */
	TBL_MESSAGES,        /* sent and simulated inbound messages */
	TBL__COUNT
};

/*
 * What a member holds.  The fixture loader checks values by it and the
 * store derives the column's SQL kind from it (obj_col_kind()).
 */
enum val_type {
	VT_NONE,   /* no column: a Graph field computed or added by a list */
	VT_ID,     /* the object's own id */
	VT_REF,    /* the id of an object of table `ref` */
	VT_STRING, /* a non-empty string */
	VT_DIGITS, /* a non-empty string of ASCII digits */
	VT_TOKEN,  /* a token string: no '|', no whitespace */
	VT_TIME,   /* unix seconds, 0 to the end of year 9999 */
	VT_LIMIT,  /* an integer >= 1 */
	VT_BOOL,
	VT_ENUM,     /* one of `values` */
	VT_TASKS,    /* a non-empty array of `values`, no duplicates */
	VT_TASKS0,   /* the same, possibly empty */
	VT_SCOPES,   /* an array of scope names, no duplicates */
	VT_STRINGS,  /* an array of non-empty strings */
	VT_GRANULAR, /* an array of {scope, target_ids} */
	VT_OBO,      /* {id, name, status, type}, all optional strings */
	VT_URL,      /* an http:// or https:// URL */
	VT_FIELDS,   /* an array of `values` (webhook fields), no duplicates */
	VT_OBJECTS,  /* a non-empty array of objects (template components) */
	VT_COUNT,    /* an integer >= 0 */
	VT_TIMES,    /* an array of unix times */
};

/* How a column is stored and read back into a row. */
enum col_kind {
	COL_NONE, /* not a column */
	COL_ID,   /* INTEGER; a string of digits in rows */
	COL_TEXT,
	COL_INT,
	COL_BOOL, /* INTEGER 0/1; a JSON boolean in rows */
	COL_JSON, /* TEXT holding JSON; a parsed value in rows */
};

/* Member flags. */
/* clang-format off */
#define OM_REQUIRED 0x1 /* a fixture must give it (ids: unless generated) */
#define OM_LATE     0x2 /* no plain default, but never NULL: the fixture
			   loader works it out from other rows or the clock */
#define OM_FIELD    0x4 /* a Graph field of the node */
/* clang-format on */

/*
 * Computed Graph fields: getters that getters.c implements, named here so
 * that this table stays free of the request machinery.
 */
#define OBJ_GETTERS(X) \
	X(WABA_ANALYTICS) \
	X(WABA_VERIFICATION) \
	X(WABA_COUNTRY) \
	X(OWNER_BUSINESS) \
	X(WABA_EDGE) \
	X(WABA_ASSIGNED_USERS) \
	X(WABA_TEMPLATE_METRICS) \
	X(WABA_SHARED) \
	X(TEMPLATE_QUALITY) \
	X(PHONE_THROUGHPUT) \
	X(PHONE_LAST_ONBOARDED) \
	X(PHONE_PREVERIFIED) \
	X(PHONE_LIMIT) \
	X(PHONE_PIN_ENABLED) \
	X(PHONE_HEALTH) \
	X(PHONE_CERTIFICATE) \
	X(BUSINESS_EDGE) \
	X(APP_LINK)

enum obj_getter {
	GET_ROW = 0, /* the row's value under the field's name, if any */
#define X(g) GET_##g,
	OBJ_GETTERS(X)
#undef X
	GET__COUNT
};

/*
 * One member of an object: a column (type != VT_NONE), whose name is the
 * SQL column, the row key and the fixture key, and/or a Graph field
 * (OM_FIELD).  A column neither required, defaulted nor OM_LATE may be
 * NULL.
 */
struct obj_member {
	const char *name;
	enum val_type type;
	unsigned flags;            /* OM_* */
	const char *def;           /* JSON text of the fixture default */
	const char *const *values; /* VT_ENUM, VT_TASKS*: NULL-terminated */
	enum store_table ref;      /* VT_REF */
	enum obj_getter get;       /* OM_FIELD: how it is rendered */
};

/* The most members a type may have (fixtures.c keeps one per member). */
#define OBJ_MAX_MEMBERS 64

struct obj_type {
	const char *table;      /* SQL table = fixture key: "wabas" */
	const char *what;       /* one object in messages: "WABA" */
	enum node_type node;    /* NODE_NONE: no Graph id */
	const char *graph_name; /* Graph's type name (nodes) */
	const char *label;      /* its id in route labels: "{waba-id}" */
	const struct obj_member *members;
	size_t nmembers;
	size_t nkeys; /* the first nkeys members identify a row */
	const char *const *defaults;       /* default Graph fields, in order */
	const struct filter_spec *filters; /* filtering= fields, in order;
					      NULL-terminated, or NULL */
};

extern const struct obj_type objects[TBL__COUNT];

/* Enum domains that handlers check parameters against (NULL-ended). */
extern const char *const messaging_tiers[];
extern const char *const profile_verticals[];
extern const char *const calling_statuses[];
extern const char *const call_icon_visibilities[];
/* The management webhook fields, NULL-terminated (the fields domain of
 * subscriptions; webhooks/outbox.c knows which of them overrides route). */
extern const char *const webhook_fields[];
/* Template enum domains, NULL-terminated (the handlers check input by them). */
extern const char *const template_categories[];
extern const char *const template_formats[];
extern const char *const template_statuses[];
extern const char *const template_reasons[];
/* Message domains (docs/messages.md). */
extern const char *const message_statuses[];

/* The object type of a node type, or NULL (NODE_ROOT, NODE_NONE). */
const struct obj_type *objects_of_node(enum node_type t);
/*
 * The table of a node type's rows, TBL__COUNT for a type without one.
 * Node types index by_node[]: built by the compiler, no search, and
 * inline, as every node read asks.
 */
extern const enum store_table by_node[NODE__COUNT];

static inline enum store_table
objects_table_of_node(enum node_type t)
{
	return (unsigned)t < NODE__COUNT ? by_node[t] : TBL__COUNT;
}
/* Graph's name for a node type: "WhatsAppBusinessAccount", ... */
const char *node_type_name(enum node_type t);
/* The member named name of ot, or NULL. */
const struct obj_member *obj_member(const struct obj_type *ot,
    const char *name);
/* The SQL kind of a member's column. */
enum col_kind obj_col_kind(enum val_type vt);
/* Whether a column may hold NULL (see struct obj_member). */
bool obj_nullable(const struct obj_member *m);
/* "a, b, c" for messages; caller frees. */
char *obj_values_list(const char *const *values);

#endif
