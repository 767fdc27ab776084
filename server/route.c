/*
 * route.c - the route table: every Graph operation the emulator serves.
 * The pipeline (pipeline.c) applies each row's flags and permission before
 * the handler runs.
 */
#include "route.h"

#include <stddef.h>
#include <string.h>

#include "handlers/handlers.h"
#include "util.h"

#define T RF_TOKEN
#define B RF_BUC
#define W RF_WRITE
#define A RF_APP_OK
#define R RF_RAW
#define F RF_FIELDS_ARG
#define I RF_TOKEN_PER_ITEM
#define O RF_TOKEN_OPTIONAL

/* method  node           edge                                  handler                flags      permission */
/* clang-format off */
static const struct route routes[] = {
	{ "POST",   NODE_ROOT,     NULL,                                batch_post,            I | A,     PERM_NONE },
	{ "GET",    NODE_ROOT,     NULL,                                ids_get,               T | A,     PERM_NONE },
	{ "GET",    NODE_ROOT,     "debug_token",                       debug_token_get,       O | A,     PERM_NONE },
	{ "GET",    NODE_ROOT,     "oauth/access_token",                oauth_access_token,    O | A,     PERM_NONE },
	{ "POST",   NODE_ROOT,     "oauth/access_token",                oauth_access_token,    O | A,     PERM_NONE },
	{ "GET",    NODE_BUSINESS, NULL,                                node_get,              T,         PERM_BUSINESS_READ },
	{ "GET",    NODE_BUSINESS, "owned_whatsapp_business_accounts",  edge_list,             T,         PERM_BUSINESS_ADMIN },
	{ "GET",    NODE_BUSINESS, "client_whatsapp_business_accounts", edge_list,             T,         PERM_BUSINESS_ADMIN },
	{ "GET",    NODE_WABA,     NULL,                                node_get,              T | B,     PERM_WABA_READ },
	{ "GET",    NODE_WABA,     "phone_numbers",                     edge_list,             T,         PERM_WABA_READ },
	{ "POST",   NODE_WABA,     "phone_numbers",                     phone_create,          T | W | R, PERM_WABA_PHONE },
	{ "GET",    NODE_WABA,     "assigned_users",                    assigned_users_list,   T | B,     PERM_WABA_USERS },
	{ "POST",   NODE_WABA,     "assigned_users",                    assigned_users_add,    T|B|W|R,   PERM_WABA_USERS },
	{ "DELETE", NODE_WABA,     "assigned_users",                    assigned_users_remove, T | B | W, PERM_WABA_USERS },
	{ "GET",    NODE_WABA,     "message_templates",                 edge_list,             T | B,     PERM_WABA_READ },
	{ "POST",   NODE_WABA,     "message_templates",                 template_create,       T | B | W, PERM_WABA_TEMPLATES },
	{ "DELETE", NODE_WABA,     "message_templates",                 template_delete,       T | B | W, PERM_WABA_TEMPLATES },
	{ "GET",    NODE_WABA,     "message_templates/{id}",            template_item_get,     T | B,     PERM_WABA_READ },
	{ "GET",    NODE_WABA,     "subscribed_apps",                   subscribed_apps_list,  T,         PERM_WABA_READ },
	{ "POST",   NODE_WABA,     "subscribed_apps",                   subscribed_apps_add,   T | W,     PERM_WABA_READ },
	{ "DELETE", NODE_WABA,     "subscribed_apps",                   subscribed_apps_remove, T | W,    PERM_WABA_READ },
	{ "GET",    NODE_PHONE,    NULL,                                phone_get,             T,         PERM_WABA_READ },
	{ "POST",   NODE_PHONE,    NULL,                                phone_update,          T | W,     PERM_WABA_PHONE },
	{ "POST",   NODE_PHONE,    "request_code",                      phone_request_code,    T | W,     PERM_WABA_PHONE },
	{ "POST",   NODE_PHONE,    "verify_code",                       phone_verify_code,     T | W,     PERM_WABA_PHONE },
	{ "POST",   NODE_PHONE,    "register",                          phone_register,        T | W,     PERM_WABA_PHONE },
	{ "POST",   NODE_PHONE,    "deregister",                        phone_deregister,      T | W,     PERM_WABA_PHONE },
	{ "GET",    NODE_PHONE,    "whatsapp_business_profile",         phone_profile_get,     T,         PERM_WABA_PHONE },
	{ "POST",   NODE_PHONE,    "whatsapp_business_profile",         phone_profile_post,    T | W,     PERM_WABA_PHONE },
	{ "POST",   NODE_PHONE,    "messages",                          message_send,          T | W,     PERM_WABA_MESSAGING },
	{ "GET",    NODE_PHONE,    "settings",                          phone_settings_get,    T,         PERM_WABA_PHONE },
	{ "POST",   NODE_PHONE,    "settings",                          phone_settings_post,   T | W,     PERM_WABA_PHONE },
	{ "GET",    NODE_APP,      NULL,                                node_get,              T | A,     PERM_APP_READ },
	{ "GET",    NODE_APP,      "subscriptions",                     app_subscriptions_list, T | A,    PERM_APP_SELF },
	{ "POST",   NODE_APP,      "subscriptions",                     app_subscriptions_add, T|A|W|F,   PERM_APP_SELF },
	{ "DELETE", NODE_APP,      "subscriptions",                     app_subscriptions_remove, T|A|W|F, PERM_APP_SELF },
	{ "GET",    NODE_TEMPLATE, NULL,                                node_get,              T | B,     PERM_WABA_READ },
	{ "POST",   NODE_TEMPLATE, NULL,                                template_edit,         T | B | W, PERM_WABA_TEMPLATES },
	{ "GET",    NODE_USER,     NULL,                                node_get,              T,         PERM_USER_READ },
	{ "GET",    NODE_USER,     "assigned_whatsapp_business_accounts", edge_list,           T,         PERM_USER_READ },
	{ "GET",    NODE_USER,     "permissions",                       user_permissions,      T,         PERM_USER_SELF },
};
/* clang-format on */

#undef T
#undef B
#undef W
#undef A
#undef R
#undef F
#undef I
#undef O

const struct route *
route_find(const char *method, enum node_type node, const char *edge,
    enum route_miss *miss)
{
	bool edge_seen = false;
	size_t i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (routes[i].node != node || !str_same(routes[i].edge, edge))
			continue;
		edge_seen = true;
		if (strcmp(routes[i].method, method) == 0) {
			*miss = ROUTE_FOUND;
			return &routes[i];
		}
	}
	*miss = edge_seen || edge == NULL ? ROUTE_NO_METHOD : ROUTE_NO_EDGE;
	return NULL;
}

const struct route *
route_all(size_t *n)
{
	*n = sizeof(routes) / sizeof(routes[0]);
	return routes;
}

size_t
route_path_node(char *const *segs, size_t n)
{
	size_t i, len;

	if (n == 0)
		return 0;
	len = strlen(segs[0]);
	/* the root's rows come first in routes[] (test_route.c checks) */
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]) &&
	     routes[i].node == NODE_ROOT;
	     i++) {
		const char *e = routes[i].edge;

		/* the first byte first: most reads start with an id */
		if (e == NULL || e[0] != segs[0][0] ||
		    strncmp(e, segs[0], len) != 0)
			continue;
		if (e[len] == '\0')
			return 1;
		/* a two-segment path node: "oauth/access_token" */
		if (e[len] == '/' && n > 1 && strcmp(e + len + 1, segs[1]) == 0)
			return 2;
	}
	return 0;
}
