/*
 * objects.c - the object types; see objects.h.  Each enum domain is
 * listed once below and shared by the fixture checks, the filters and
 * any message that names the allowed values.
 */
#include "objects.h"

#include <string.h>

#include "tasks.h"
#include "util.h"

/* ---- enum domains -------------------------------------------------- */

static const char *const verification_statuses[] = { "expired", "failed",
	"ineligible", "not_verified", "pending", "pending_need_more_info",
	"pending_submission", "rejected", "revoked", "verified", NULL };
static const char *const user_types[] = { "SYSTEM_USER", "BUSINESS_USER",
	NULL };
static const char *const roles[] = { "ADMIN", "EMPLOYEE", NULL };
static const char *const token_states[] = { "valid", "expired", "invalidated",
	"logged_out", "session_key_invalid", NULL };
static const char *const ownership_types[] = { "SELF", "CLIENT_OWNED",
	"ON_BEHALF_OF", NULL };
static const char *const review_statuses[] = { "PENDING", "APPROVED",
	"REJECTED", NULL };
static const char *const phone_statuses[] = { "PENDING", "DELETED", "MIGRATED",
	"BANNED", "RESTRICTED", "RATE_LIMITED", "FLAGGED", "CONNECTED",
	"DISCONNECTED", "UNKNOWN", "UNVERIFIED", NULL };
static const char *const code_statuses[] = { "NOT_VERIFIED", "VERIFIED",
	"EXPIRED", NULL };
static const char *const quality_ratings[] = { "GREEN", "YELLOW", "RED",
	"UNKNOWN", NULL };
static const char *const platform_types[] = { "CLOUD_API", "ON_PREMISE",
	"NOT_APPLICABLE", NULL };
static const char *const throughput_levels[] = { "STANDARD", "HIGH",
	"NOT_APPLICABLE", NULL };
static const char *const name_statuses[] = { "NONE", "NON_EXISTS",
	"PENDING_REVIEW", "AVAILABLE_WITHOUT_REVIEW", "EXPIRED", "APPROVED",
	"DECLINED", NULL };
static const char *const account_modes[] = { "SANDBOX", "LIVE", NULL };
/* Meta's order, lowest first: phone_life.c compares tiers by position */
const char *const messaging_tiers[] = { "TIER_50", "TIER_250", "TIER_1K",
	"TIER_2K", "TIER_10K", "TIER_100K", "TIER_UNLIMITED", NULL };
static const char *const visibilities[] = { "VISIBLE", "NON_VISIBLE", NULL };
/* Meta's business profile reference, with the older UNDEFINED/NOT_A_BIZ */
const char *const profile_verticals[] = { "UNDEFINED", "OTHER", "AUTO",
	"BEAUTY", "APPAREL", "EDU", "ENTERTAIN", "EVENT_PLAN", "FINANCE",
	"GROCERY", "GOVT", "HOTEL", "HEALTH", "NONPROFIT", "PROF_SERVICES",
	"RETAIL", "TRAVEL", "RESTAURANT", "NOT_A_BIZ", "ALCOHOL",
	"ONLINE_GAMBLING", "PHYSICAL_GAMBLING", "OTC_DRUGS",
	"MATRIMONY_SERVICE", NULL };
const char *const calling_statuses[] = { "ENABLED", "DISABLED", NULL };
const char *const call_icon_visibilities[] = { "DEFAULT", "DISABLE_ALL", NULL };
/* clang-format off */
static const char *const subscription_objects[] = {
	"whatsapp_business_account", NULL };
const char *const webhook_fields[] = { "account_review_update",
	"account_update", "business_capability_update",
	"message_template_quality_update", "message_template_status_update",
	"messages", "phone_number_name_update", "phone_number_quality_update",
	"security", "template_category_update", NULL };
const char *const template_categories[] = { "MARKETING", "UTILITY",
	"AUTHENTICATION", NULL };
const char *const template_formats[] = { "POSITIONAL", "NAMED", NULL };
const char *const template_statuses[] = { "APPROVED", "IN_APPEAL",
	"PENDING", "REJECTED", "PENDING_DELETION", "DELETED", "DISABLED",
	"PAUSED", "LIMIT_EXCEEDED", NULL };
const char *const template_reasons[] = { "NONE", "ABUSIVE_CONTENT",
	"CATEGORY_NOT_AVAILABLE", "INCORRECT_CATEGORY", "INVALID_FORMAT",
	"PROMOTIONAL", "SCAM", "TAG_CONTENT_MISMATCH", NULL };
const char *const message_statuses[] = { "accepted", "sent", "delivered",
	"read", "failed", "received", NULL };
static const char *const message_directions[] = { "outbound", "inbound",
	NULL };
static const char *const message_types[] = { "text", "template", NULL };

/* ---- members ------------------------------------------------------- */

#define R OM_REQUIRED
#define L OM_LATE
#define F OM_FIELD

/* A column, or a column that is also a Graph field served as stored. */
#define COL(name, vt, flags, def) \
	{ name, VT_##vt, flags, def, NULL, 0, GET_ROW }
#define ENUM(name, flags, def, values) \
	{ name, VT_ENUM, flags, def, values, 0, GET_ROW }
#define REF(name, flags, table) \
	{ name, VT_REF, flags, NULL, NULL, table, GET_ROW }
/* A column served through a getter. */
#define COLGET(name, vt, flags, def, get) \
	{ name, VT_##vt, flags | F, def, NULL, 0, GET_##get }
/* A Graph field without a column: computed (get), or GET_ROW for a value a
 * list adds to its rows or a field Graph knows that has no data here. */
#define FIELD(name, get) \
	{ name, VT_NONE, F, NULL, NULL, 0, GET_##get }
/* What a token grants; an OAuth code grants the same to the token it
 * becomes. */
#define GRANT \
	COL("scopes",			SCOPES,	0, \
	    "[\"whatsapp_business_management\",\"business_management\"]"), \
	COL("granular_scopes",		GRANULAR, 0,	"[]")

/*
 * Keys without a default here either stay absent (NULL in the store) or,
 * marked L, get one from fixtures.c's second pass.
 *	name				type	flags	default */
static const struct obj_member app_members[] = {
	COL("id",			ID,	R | F,	NULL),
	COL("name",			STRING,	R | F,	NULL),
	COL("secret",			STRING,	R,	NULL),
	COL("require_appsecret_proof",	BOOL,	0,	"false"),
	FIELD("link",				APP_LINK),
	/* Graph gives it only when one is set; an emulated app has none */
	FIELD("category",			ROW),
};

static const struct obj_member business_members[] = {
	COL("id",			ID,	R | F,	NULL),
	COL("name",			STRING,	R | F,	NULL),
	ENUM("verification_status",		F,	"\"not_verified\"",
	    verification_statuses),
	COL("restricted",		BOOL,	0,	"false"),
	COL("country",			STRING,	F,	"\"US\""),
	FIELD("owned_whatsapp_business_accounts", BUSINESS_EDGE),
	FIELD("client_whatsapp_business_accounts", BUSINESS_EDGE),
};

static const struct obj_member user_members[] = {
	COL("id",			ID,	R | F,	NULL),
	COL("name",			STRING,	R | F,	NULL),
	{ "business", VT_REF, R | F, NULL, NULL, TBL_BUSINESSES,
	    GET_OWNER_BUSINESS },
	ENUM("user_type",			F,	"\"BUSINESS_USER\"",
	    user_types),
	ENUM("role",				F,	"\"EMPLOYEE\"",	roles),
	FIELD("tasks",			ROW),	/* assigned_users lists */
};

static const struct obj_member waba_members[] = {
	COL("id",			ID,	R | F,	NULL),
	REF("business",				R,	TBL_BUSINESSES),
	COL("name",			STRING,	R | F,	NULL),
	COL("currency",			STRING,	F,	"\"USD\""),
	COL("timezone_id",		DIGITS,	F,	"\"1\""),
	COL("message_template_namespace", STRING, L | F, NULL),
	COLGET("country",		STRING,	L,	NULL,	WABA_COUNTRY),
	COL("creation_time",		TIME,	L | F,	NULL),
	ENUM("ownership_type",			F,	"\"SELF\"",
	    ownership_types),
	ENUM("account_review_status",		F,	"\"APPROVED\"",
	    review_statuses),
	COL("is_enabled_for_insights",	BOOL,	F,	"false"),
	COL("on_behalf_of_business_info", OBO,	F,	NULL),
	COL("primary_funding_id",	STRING,	F,	NULL),
	COL("purchase_order_number",	STRING,	F,	NULL),
	/* NULL: the handler's default (2, or 20 for a verified owner) */
	COL("phone_number_limit",	LIMIT,	0,	NULL),
	COL("status",			STRING,	F,	"\"ACTIVE\""),
	FIELD("analytics",			WABA_ANALYTICS),
	FIELD("business_verification_status",	WABA_VERIFICATION),
	FIELD("owner_business",			OWNER_BUSINESS),
	FIELD("owner_business_info",		OWNER_BUSINESS),
	FIELD("permitted_tasks",		ROW), /* client lists */
	FIELD("tasks",				ROW), /* user lists */
	FIELD("phone_numbers",			WABA_EDGE),
	FIELD("assigned_users",			WABA_ASSIGNED_USERS),
	FIELD("template_performance_metrics",	WABA_TEMPLATE_METRICS),
	FIELD("message_templates",		WABA_EDGE),
	FIELD("is_shared_with_partners",	WABA_SHARED),
	/* the reference's other fields: known, and omitted (no data) */
	FIELD("auth_international_rate_eligibility", ROW),
	FIELD("disable_marketing_messages_on_cloud_api", ROW),
	FIELD("health_status",			ROW),
	FIELD("linked_commerce_account",	ROW),
	FIELD("marketing_messages_ad_account",	ROW),
	FIELD("marketing_messages_lite_api_status", ROW),
	FIELD("marketing_messages_onboarding_status", ROW),
	FIELD("primary_business_location",	ROW),
	FIELD("template_auto_archival_enabled",	ROW),
	FIELD("whatsapp_business_manager_messaging_limit", ROW),
	FIELD("whatsapp_manager_marketing_messages_max_price_enroll_status",
	    ROW),
};

static const struct obj_member phone_members[] = {
	COL("id",			ID,	R | F,	NULL),
	REF("waba",				R,	TBL_WABAS),
	COL("cc",			DIGITS,	R,	NULL),
	COL("phone_number",		DIGITS,	R,	NULL),
	COL("verified_name",		STRING,	R | F,	NULL),
	COL("display_phone_number",	STRING,	L | F,	NULL),
	ENUM("status",				F,	"\"PENDING\"",
	    phone_statuses),
	ENUM("code_verification_status",	F,	"\"NOT_VERIFIED\"",
	    code_statuses),
	ENUM("quality_rating",			F,	"\"UNKNOWN\"",
	    quality_ratings),
	ENUM("platform_type",			F,	"\"NOT_APPLICABLE\"",
	    platform_types),
	ENUM("throughput_level",		L,	NULL,
	    throughput_levels),
	ENUM("name_status",			F,	"\"PENDING_REVIEW\"",
	    name_statuses),
	ENUM("account_mode",			F,	"\"LIVE\"",
	    account_modes),
	COLGET("last_onboarded_time",	TIME,	0,	NULL,
	    PHONE_LAST_ONBOARDED),
	COL("is_official_business_account", BOOL, F,	"false"),
	{ "messaging_limit_tier", VT_ENUM, F, NULL, messaging_tiers, 0,
	    GET_PHONE_LIMIT },
	COL("preverified_id",		STRING,	0,	NULL),
	COL("creation_time",		TIME,	L,	NULL),
	/* 004_phone_life.sql */
	COL("pin",			DIGITS,	0,	NULL),
	COL("new_display_name",		STRING,	0,	NULL),
	ENUM("new_name_status",			F,	"\"NONE\"",
	    name_statuses),
	COL("name_review_at",		TIME,	0,	NULL),
	ENUM("search_visibility",		F,	"\"VISIBLE\"",
	    visibilities),
	COL("data_localization_region",	STRING,	0,	NULL),
	COL("profile_about",		STRING,	0,	NULL),
	COL("profile_address",		STRING,	0,	NULL),
	COL("profile_description",	STRING,	0,	NULL),
	COL("profile_email",		STRING,	0,	NULL),
	COL("profile_websites",		STRINGS, 0,	"[]"),
	ENUM("profile_vertical",		0,	NULL,
	    profile_verticals),
	COL("profile_picture_url",	STRING,	0,	NULL),
	ENUM("calling_status",			0,	"\"DISABLED\"",
	    calling_statuses),
	ENUM("call_icon_visibility",		0,	"\"DEFAULT\"",
	    call_icon_visibilities),
	ENUM("callback_permission_status",	0,	"\"DISABLED\"",
	    calling_statuses),
	FIELD("throughput",			PHONE_THROUGHPUT),
	FIELD("is_preverified_number",		PHONE_PREVERIFIED),
	FIELD("whatsapp_business_manager_messaging_limit", PHONE_LIMIT),
	FIELD("is_pin_enabled",			PHONE_PIN_ENABLED),
	FIELD("health_status",			PHONE_HEALTH),
	FIELD("certificate",			PHONE_CERTIFICATE),
	/* the reference's other fields: known, and omitted (no data) */
	FIELD("conversational_automation",	ROW),
	FIELD("eligibility_for_api_business_global_search", ROW),
	FIELD("is_on_biz_app",			ROW),
	FIELD("new_certificate",		ROW),
	FIELD("quality_score",			ROW),
	FIELD("webhook_configuration",		ROW),
};

static const struct obj_member template_members[] = {
	COL("id",			ID,	R | F,	NULL),
	REF("waba",				R,	TBL_WABAS),
	COL("name",			STRING,	R | F,	NULL),
	COL("language",			STRING,	R | F,	NULL),
	ENUM("category",			R | F,	NULL,
	    template_categories),
	ENUM("parameter_format",		F,	"\"POSITIONAL\"",
	    template_formats),
	COL("components",		OBJECTS, R | F,	NULL),
	ENUM("status",				F,	"\"APPROVED\"",
	    template_statuses),
	ENUM("rejected_reason",			F,	"\"NONE\"",
	    template_reasons),
	{ "quality_score", VT_ENUM, F, "\"UNKNOWN\"", quality_ratings, 0,
	    GET_TEMPLATE_QUALITY },
	COL("quality_updated",		TIME,	L,	NULL),
	ENUM("previous_category",		F,	NULL,
	    template_categories),
	COL("created_at",		TIME,	L,	NULL),
	COL("updated_at",		TIME,	L,	NULL),
	/* when the clock next moves it: decided, or deleted; NULL: never */
	COL("due_at",			TIME,	0,	NULL),
	COL("pauses",			COUNT,	0,	"0"),
	COL("edits",			TIMES,	0,	"[]"),
	/* the reference's other fields: known, and omitted (no data) */
	FIELD("cta_url_link_tracking_opted_out", ROW),
	FIELD("library_template_name",		ROW),
	FIELD("message_send_ttl_seconds",	ROW),
	FIELD("sub_category",			ROW),
};

static const struct obj_member token_members[] = {
	COL("token",			TOKEN,	R,	NULL),
	REF("app",				R,	TBL_APPS),
	REF("user",				R,	TBL_USERS),
	GRANT,
	COL("issued_at",		TIME,	L,	NULL),
	COL("expires_at",		TIME,	0,	"0"),
	ENUM("state",				0,	"\"valid\"",
	    token_states),
};

static const struct obj_member assignment_members[] = {
	REF("waba",				R,	TBL_WABAS),
	REF("user",				R,	TBL_USERS),
	{ "tasks", VT_TASKS, R, NULL, task_names, 0, GET_ROW },
};

static const struct obj_member share_members[] = {
	REF("waba",				R,	TBL_WABAS),
	REF("business",				R,	TBL_BUSINESSES),
	{ "permitted_tasks", VT_TASKS0, 0, "[]", task_names, 0, GET_ROW },
};

/* POST /{app-id}/subscriptions; a fixture's fields default to all */
static const struct obj_member subscription_members[] = {
	REF("app",				R,	TBL_APPS),
	ENUM("object",				0,
	    "\"whatsapp_business_account\"",	subscription_objects),
	COL("callback_url",		URL,	R,	NULL),
	COL("verify_token",		STRING,	0,	NULL),
	{ "fields", VT_FIELDS, 0, "[\"account_review_update\","
	    "\"account_update\",\"business_capability_update\","
	    "\"message_template_quality_update\","
	    "\"message_template_status_update\",\"messages\","
	    "\"phone_number_name_update\",\"phone_number_quality_update\","
	    "\"security\",\"template_category_update\"]", webhook_fields, 0,
	    GET_ROW },
	COL("include_values",		BOOL,	0,	"true"),
	COL("active",			BOOL,	0,	"true"),
};

/* POST /{waba-id}/subscribed_apps, with an optional override */
static const struct obj_member subscribed_app_members[] = {
	REF("waba",				R,	TBL_WABAS),
	REF("app",				R,	TBL_APPS),
	COL("override_callback_uri",	URL,	0,	NULL),
	COL("verify_token",		STRING,	0,	NULL),
};

/* POST /_emulator/oauth/codes; used_at is set once, by the exchange */
static const struct obj_member oauth_code_members[] = {
	COL("code",			TOKEN,	R,	NULL),
	REF("app",				R,	TBL_APPS),
	REF("user",				R,	TBL_USERS),
	GRANT,
	COL("redirect_uri",		STRING,	0,	NULL),
	COL("expires_at",		TIME,	R,	NULL),
	COL("used_at",			TIME,	0,	NULL),
};

/* POST /{phone-id}/messages and POST /_emulator/inbound */
static const struct obj_member message_members[] = {
	COL("id",			TOKEN,	R,	NULL),
	REF("phone",				R,	TBL_PHONE_NUMBERS),
	ENUM("direction",			0,	"\"outbound\"",
	    message_directions),
	COL("wa_id",			DIGITS,	R,	NULL),
	ENUM("type",				R,	NULL,	message_types),
	COL("text",			STRING,	0,	NULL),
	COL("template_name",		STRING,	0,	NULL),
	COL("template_language",	STRING,	0,	NULL),
	ENUM("status",				0,	"\"accepted\"",
	    message_statuses),
	COL("created_at",		TIME,	R,	NULL),
	/* when the clock next moves it; NULL: never */
	COL("due_at",			TIME,	0,	NULL),
	COL("error_code",		COUNT,	0,	NULL),
};
/* clang-format on */

#undef R
#undef L
#undef F
#undef GRANT

/* ---- default fields and filters ------------------------------------ */

/* Graph's answer to GET /{app-id} without fields= */
static const char *const app_defaults[] = { "link", "name", "id", NULL };
static const char *const business_defaults[] = { "id", "name", NULL };
static const char *const waba_defaults[] = { "id", "name", "currency",
	"timezone_id", "message_template_namespace", NULL };
static const char *const phone_defaults[] = { "verified_name",
	"code_verification_status", "display_phone_number", "quality_rating",
	"platform_type", "throughput", "last_onboarded_time", "id", NULL };
static const char *const user_defaults[] = { "id", "name", NULL };
static const char *const template_defaults[] = { "name", "parameter_format",
	"components", "language", "status", "category", "id", NULL };

/*	field			operators			values */
static const struct filter_spec waba_filters[] = {
	{ "creation_time", FOP_LESS_THAN | FOP_GREATER_THAN | FOP_IN_RANGE,
	    NULL },
	{ "ownership_type", FOP_IN | FOP_EQUAL, ownership_types },
	{ NULL, 0, NULL },
};

/* clang-format off */
static const struct filter_spec phone_filters[] = {
	{ "account_mode",	FOP_EQUAL | FOP_IN,	account_modes },
	{ "status",		FOP_EQUAL | FOP_IN,	phone_statuses },
	{ "code_verification_status", FOP_EQUAL | FOP_IN, code_statuses },
	{ NULL, 0, NULL },
};
/* clang-format on */

/* ---- the types ----------------------------------------------------- */

#define MEMBERS(m) m, sizeof(m) / sizeof(m[0])

/*	table, what, node, Graph name, label, members, keys, defaults,
 *	filters */
const struct obj_type objects[TBL__COUNT] = {
	[TBL_APPS] = { "apps", "app", NODE_APP, "Application", "{app-id}",
	    MEMBERS(app_members), 1, app_defaults, NULL },
	[TBL_BUSINESSES] = { "businesses", "business", NODE_BUSINESS,
	    "Business", "{business-id}", MEMBERS(business_members), 1,
	    business_defaults, NULL },
	[TBL_USERS] = { "users", "user", NODE_USER, "User", "{user-id}",
	    MEMBERS(user_members), 1, user_defaults, NULL },
	[TBL_WABAS] = { "wabas", "WABA", NODE_WABA, "WhatsAppBusinessAccount",
	    "{waba-id}", MEMBERS(waba_members), 1, waba_defaults,
	    waba_filters },
	[TBL_PHONE_NUMBERS] = { "phone_numbers", "phone number", NODE_PHONE,
	    "WhatsAppBusinessPhoneNumber", "{phone-number-id}",
	    MEMBERS(phone_members), 1, phone_defaults, phone_filters },
	[TBL_TEMPLATES] = { "templates", "template", NODE_TEMPLATE,
	    "WhatsAppBusinessHSM", "{template-id}", MEMBERS(template_members),
	    1, template_defaults, NULL },
	[TBL_TOKENS] = { "tokens", "token", NODE_NONE, NULL, NULL,
	    MEMBERS(token_members), 1, NULL, NULL },
	[TBL_ASSIGNMENTS] = { "assignments", "assignment", NODE_NONE, NULL,
	    NULL, MEMBERS(assignment_members), 2, NULL, NULL },
	[TBL_SHARES] = { "shares", "share", NODE_NONE, NULL, NULL,
	    MEMBERS(share_members), 2, NULL, NULL },
	[TBL_SUBSCRIPTIONS] = { "subscriptions", "subscription", NODE_NONE,
	    NULL, NULL, MEMBERS(subscription_members), 2, NULL, NULL },
	[TBL_SUBSCRIBED_APPS] = { "subscribed_apps", "subscribed app",
	    NODE_NONE, NULL, NULL, MEMBERS(subscribed_app_members), 2, NULL,
	    NULL },
	[TBL_OAUTH_CODES] = { "oauth_codes", "OAuth code", NODE_NONE, NULL,
	    NULL, MEMBERS(oauth_code_members), 1, NULL, NULL },
	[TBL_MESSAGES] = { "messages", "message", NODE_NONE, NULL, NULL,
	    MEMBERS(message_members), 1, NULL, NULL },
};

const enum store_table by_node[NODE__COUNT] = {
	[NODE_NONE] = TBL__COUNT,
	[NODE_ROOT] = TBL__COUNT,
	[NODE_BUSINESS] = TBL_BUSINESSES,
	[NODE_WABA] = TBL_WABAS,
	[NODE_PHONE] = TBL_PHONE_NUMBERS,
	[NODE_USER] = TBL_USERS,
	[NODE_APP] = TBL_APPS,
	[NODE_TEMPLATE] = TBL_TEMPLATES,
};

const struct obj_type *
objects_of_node(enum node_type t)
{
	enum store_table tbl = objects_table_of_node(t);

	return tbl != TBL__COUNT ? &objects[tbl] : NULL;
}

const char *
node_type_name(enum node_type t)
{
	const struct obj_type *ot = objects_of_node(t);

	if (ot != NULL)
		return ot->graph_name;
	return t == NODE_ROOT ? "Root" : "Unknown";
}

const struct obj_member *
obj_member(const struct obj_type *ot, const char *name)
{
	size_t i;

	for (i = 0; i < ot->nmembers; i++)
		if (strcmp(ot->members[i].name, name) == 0)
			return &ot->members[i];
	return NULL;
}

enum col_kind
obj_col_kind(enum val_type vt)
{
	switch (vt) {
	case VT_NONE:
		return COL_NONE;
	case VT_ID:
	case VT_REF:
		return COL_ID;
	case VT_STRING:
	case VT_DIGITS:
	case VT_TOKEN:
	case VT_ENUM:
	case VT_URL:
		return COL_TEXT;
	case VT_TIME:
	case VT_LIMIT:
	case VT_COUNT:
		return COL_INT;
	case VT_BOOL:
		return COL_BOOL;
	case VT_TASKS:
	case VT_TASKS0:
	case VT_SCOPES:
	case VT_STRINGS:
	case VT_GRANULAR:
	case VT_OBO:
	case VT_FIELDS:
	case VT_OBJECTS:
	case VT_TIMES:
		return COL_JSON;
	}
	return COL_NONE;
}

bool
obj_nullable(const struct obj_member *m)
{
	return m->type != VT_NONE && m->def == NULL &&
	    (m->flags & (OM_REQUIRED | OM_LATE)) == 0;
}

char *
obj_values_list(const char *const *values)
{
	struct sbuf sb = SBUF_INIT;
	const char *const *p;

	for (p = values; *p != NULL; p++)
		sbuf_addf(&sb, "%s%s", p == values ? "" : ", ", *p);
	return sbuf_detach(&sb);
}
