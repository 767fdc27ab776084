/*
 * render.c - see render.h.  Each node type's fields are members of its
 * object type (objects.c); a field without a getter is copied from the
 * store row when present, so adding a plain column to a node is one line
 * there.  The getters of computed fields live here.
 */
#include "render.h"

#include <assert.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "emu.h"
#include "etag.h"
#include "gerr.h"
#include "handlers/handlers.h"
#include "jsonout.h"
#include "paging.h"
#include "params.h"
#include "request.h"
#include "util.h"

#define ANALYTICS_MAX_POINTS 1000

/* ---- getters ------------------------------------------------------- */

static int
get_business_ref(struct request *rq, int64_t id, struct json_object **out)
{
	struct json_object *b = store_get(rq->emu->store, TBL_BUSINESSES, id);

	if (b == NULL)
		return 0;
	*out = json_object_new_object();
	json_object_object_add(*out, "id",
	    json_object_new_string(row_str(b, "id")));
	json_object_object_add(*out, "name",
	    json_object_new_string(row_str(b, "name")));
	json_object_put(b);
	return 0;
}

/* The row's business as {id, name}: a WABA's owner, a user's business. */
static int
owner_business(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	(void)f;
	return get_business_ref(rq, row_id(row, "business"), out);
}

static int
waba_verification(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	struct json_object *b = store_get(rq->emu->store, TBL_BUSINESSES,
	    row_id(row, "business"));
	const char *v = row_str(b, "verification_status");

	(void)f;
	if (v != NULL)
		*out = json_object_new_string(v);
	json_object_put(b);
	return 0;
}

static int
waba_country(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	struct json_object *b;
	const char *v = row_str(row, "country");

	(void)f;
	if (v != NULL) {
		*out = json_object_new_string(v);
		return 0;
	}
	b = store_get(rq->emu->store, TBL_BUSINESSES, row_id(row, "business"));
	if ((v = row_str(b, "country")) != NULL)
		*out = json_object_new_string(v);
	json_object_put(b);
	return 0;
}

static int
waba_shared(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	(void)f;
	*out = json_object_new_boolean(store_count_shares(rq->emu->store,
	    row_id(row, "id")) > 0);
	return 0;
}

/*
 * A nested edge is allowed exactly when the edge read on its own would be:
 * the route checks the node it is called on, not each WABA of a list that
 * nests its numbers.
 */
static int
waba_phone_numbers(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	if (auth_check_waba(rq, row_id(row, "id"), PERM_WABA_READ) < 0)
		return -1;
	*out = render_list(rq, &edge_phones, row_id(row, "id"), f);
	return *out ? 0 : -1;
}

int
render_assigned_business(struct request *rq, int64_t waba)
{
	const char *b = params_get(&rq->params, "business");
	struct json_object *w, *share = NULL;
	int64_t biz, mine;
	bool ok;

	if (b == NULL || *b == '\0')
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) The parameter business is required");
	if (param_id("business", b, &biz, &rq->err) < 0)
		return -1;
	w = store_get(rq->emu->store, TBL_WABAS, waba);
	if (biz != row_id(w, "business"))
		share = store_share(rq->emu->store, waba, biz);
	ok = biz == row_id(w, "business") || share != NULL;
	json_object_put(w);
	json_object_put(share);
	if (!ok)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param business must be the id of a business that "
		    "owns or shares this WhatsApp Business Account, got \"%s\"",
		    b);
	/* owner and client each see their own users' assignments only */
	mine = auth_business(rq);
	if (biz != mine)
		return gerr_set(&rq->err, GE_PERMISSION,
		    "(#200) Param business must be your own business (%lld): "
		    "a business sees only the assignments of its own users",
		    (long long)mine);
	return 0;
}

static int
waba_assigned_users(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	if (render_assigned_business(rq, row_id(row, "id")) < 0 ||
	    auth_check_waba(rq, row_id(row, "id"), PERM_WABA_USERS) < 0)
		return -1;
	*out = render_list(rq, &edge_assigned_users, row_id(row, "id"), f);
	return *out ? 0 : -1;
}

/*
 * "2025-02-04T17:40:07+0000", Graph's time format; NULL (the field is left
 * out) for a time gmtime_r cannot break down.
 */
static struct json_object *
graph_time(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[40];

	if ((int64_t)tt != t || gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S+0000", &tm) == 0)
		return NULL;
	return json_object_new_string(buf);
}

static int
phone_last_onboarded(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	(void)rq;
	(void)f;
	if (row_int(row, "last_onboarded_time") > 0)
		*out = graph_time(row_int(row, "last_onboarded_time"));
	return 0;
}

static int
phone_preverified(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	(void)rq;
	(void)f;
	*out = json_object_new_boolean(row_str(row, "preverified_id") != NULL);
	return 0;
}

static int
phone_throughput(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	const char *level = row_str(row, "throughput_level");

	(void)rq;
	(void)f;
	*out = json_object_new_object();
	json_object_object_add(*out, "level",
	    json_object_new_string(level ? level : "NOT_APPLICABLE"));
	return 0;
}

/* Numbers with no tier set read Meta's starting limit for a business. */
static int
phone_limit(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	const char *tier = row_str(row, "messaging_limit_tier");

	(void)rq;
	(void)f;
	*out = json_object_new_string(tier ? tier : "TIER_250");
	return 0;
}

static int
phone_pin_enabled(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	(void)rq;
	(void)f;
	*out = json_object_new_boolean(row_str(row, "pin") != NULL);
	return 0;
}

/*
 * Meta issues the certificate (base64) when a number is first registered;
 * here it encodes the number's id and name, so it is stable per number.
 */
static int
phone_certificate(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	char *raw, *b;
	size_t n, i;

	(void)rq;
	(void)f;
	if (row_int(row, "last_onboarded_time") <= 0)
		return 0;
	raw = xasprintf("waba-emulator certificate %s %s", row_str(row, "id"),
	    row_str(row, "verified_name"));
	b = b64url_encode(raw, strlen(raw));
	n = strlen(b);
	b = xrealloc(b, n + 3);
	for (i = 0; i < n; i++)
		b[i] = b[i] == '-' ? '+' : b[i] == '_' ? '/' : b[i];
	while (n % 4 != 0)
		b[n++] = '=';
	b[n] = '\0';
	*out = json_object_new_string(b);
	free(b);
	free(raw);
	return 0;
}

/* One entity of health_status: its verdict and the errors behind it. */
static struct json_object *
health_entity(const char *type, const char *id, const char *verdict,
    int code, const char *why, const char *fix)
{
	struct json_object *e = json_object_new_object(),
	    *errs = json_object_new_array();

	json_object_object_add(e, "entity_type", json_object_new_string(type));
	json_object_object_add(e, "id", json_object_new_string(id));
	json_object_object_add(e, "can_send_message",
	    json_object_new_string(verdict));
	if (code != 0) {
		struct json_object *err = json_object_new_object();

		json_object_object_add(err, "error_code",
		    json_object_new_int(code));
		json_object_object_add(err, "error_description",
		    json_object_new_string(why));
		json_object_object_add(err, "possible_solution",
		    json_object_new_string(fix));
		json_object_array_add(errs, err);
	}
	json_object_object_add(e, "errors", errs);
	return e;
}

static int
verdict_rank(const char *v)
{
	return strcmp(v, "BLOCKED") == 0 ? 2 : strcmp(v, "LIMITED") == 0;
}

/*
 * health_status as Meta's reference describes it, derived from the
 * states: a number that is not CONNECTED is BLOCKED (133010, not
 * registered), a RED one LIMITED; a WABA whose review is not APPROVED is
 * BLOCKED; a restricted business is BLOCKED; the caller's app is
 * AVAILABLE.  The number's verdict is the worst of its entities'.
 */
static int
phone_health(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	struct store *st = rq->emu->store;
	struct json_object *waba = store_get(st, TBL_WABAS,
	    row_id(row, "waba"));
	struct json_object *biz = store_get(st, TBL_BUSINESSES,
	    row_id(waba, "business"));
	struct json_object *ents = json_object_new_array(), *e;
	const char *status = row_str(row, "status"),
	    *quality = row_str(row, "quality_rating"),
	    *review = row_str(waba, "account_review_status");
	const char *worst = "AVAILABLE";
	char app[24];
	size_t i;

	(void)f;
	if (status == NULL || strcmp(status, "CONNECTED") != 0)
		e = health_entity("PHONE_NUMBER", row_str(row, "id"),
		    "BLOCKED", 133010, "Account not registered",
		    "Register the phone number with POST "
		    "/{phone-number-id}/register.");
	else if (quality != NULL && strcmp(quality, "RED") == 0)
		e = health_entity("PHONE_NUMBER", row_str(row, "id"),
		    "LIMITED", 131049, "The phone number's quality rating is "
		    "low", "Improve the quality of the messages sent.");
	else
		e = health_entity("PHONE_NUMBER", row_str(row, "id"),
		    "AVAILABLE", 0, NULL, NULL);
	json_object_array_add(ents, e);
	json_object_array_add(ents, review != NULL &&
	    strcmp(review, "APPROVED") != 0 ? health_entity("WABA",
	    row_str(waba, "id"), "BLOCKED", 131031, "The WhatsApp Business "
	    "Account has not been approved", "Wait for the account review.") :
	    health_entity("WABA", row_str(waba, "id"), "AVAILABLE", 0, NULL,
	    NULL));
	json_object_array_add(ents, row_bool(biz, "restricted") ?
	    health_entity("BUSINESS", row_str(biz, "id"), "BLOCKED", 368,
	    "The business is restricted", "Contact Meta support.") :
	    health_entity("BUSINESS", row_str(biz, "id"), "AVAILABLE", 0,
	    NULL, NULL));
	snprintf(app, sizeof(app), "%lld", (long long)rq->token_app);
	json_object_array_add(ents, health_entity("APP", app, "AVAILABLE", 0,
	    NULL, NULL));
	for (i = 0; i < json_object_array_length(ents); i++) {
		const char *v = json_object_get_string(json_object_object_get(
		    json_object_array_get_idx(ents, i), "can_send_message"));

		if (verdict_rank(v) > verdict_rank(worst))
			worst = v;
	}
	*out = json_object_new_object();
	json_object_object_add(*out, "can_send_message",
	    json_object_new_string(worst));
	json_object_object_add(*out, "entities", ents);
	json_object_put(waba);
	json_object_put(biz);
	return 0;
}

static int
granularity_step(const char *g, int64_t *step)
{
	if (strcmp(g, "HALF_HOUR") == 0)
		*step = 1800;
	else if (strcmp(g, "DAY") == 0)
		*step = 86400;
	else if (strcmp(g, "MONTH") == 0)
		*step = 30 * 86400;
	else
		return -1;
	return 0;
}

static int
analytics_bound(struct request *rq, const char *name, const char *v,
    int64_t *out)
{
	if (v == NULL || *v == '\0')
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) The parameter %s is required", name);
	*out = parse_id(v);
	if (*out < 0)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param %s must be a unix timestamp", name);
	return 0;
}

/*
 * analytics.start(S).end(E).granularity(G): deterministic counts per
 * interval for the WABA's numbers, so tests can assert on them.
 */
static int
waba_analytics(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	struct store *st = rq->emu->store;
	int64_t waba = row_id(row, "id"), start = 0, end = 0, step = 0, t;
	const char *g = f->granularity ? f->granularity : "DAY";
	struct list_query q;
	struct json_object *phones, *numbers, *points;
	struct list_page page;
	char *cause = NULL;
	size_t i;

	if (store_count_phones(st, waba, NULL) == 0)
		return gerr_set(&rq->err, GE_NO_PHONES, NULL);
	if (analytics_bound(rq, "start", f->start, &start) < 0 ||
	    analytics_bound(rq, "end", f->end, &end) < 0)
		return -1;
	if (granularity_step(g, &step) < 0)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param granularity must be one of {HALF_HOUR, DAY, "
		    "MONTH} - got \"%s\"", g);
	if (end < start)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param end must not be before start");
	if ((end - start) / step > ANALYTICS_MAX_POINTS)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Please reduce the amount of data you're asking for: "
		    "at most %d data points", ANALYTICS_MAX_POINTS);
	memset(&q, 0, sizeof(q));
	q.owner = waba;
	q.limit = PAGING_MAX_LIMIT;
	phones = store_list(st, LIST_PHONES, &q, &page, &cause) == 0 ?
	    page.rows : NULL;
	free(cause);
	numbers = json_object_new_array();
	for (i = 0; phones && i < json_object_array_length(phones); i++) {
		struct json_object *p = json_object_array_get_idx(phones, i);
		char *digits = xasprintf("%s%s", row_str(p, "cc"),
		    row_str(p, "phone_number"));

		json_object_array_add(numbers, json_object_new_string(digits));
		free(digits);
	}
	json_object_put(phones);
	points = json_object_new_array();
	for (t = start - start % step; t < end; t += step) {
		uint64_t h = mix64((uint64_t)waba ^ (uint64_t)t);
		int64_t sent = (int64_t)(h % 1000);

		json_object_array_add(points, json_object_new_object());
		row = json_object_array_get_idx(points,
		    json_object_array_length(points) - 1);
		json_object_object_add(row, "start", json_object_new_int64(t));
		json_object_object_add(row, "end",
		    json_object_new_int64(t + step));
		json_object_object_add(row, "sent", json_object_new_int64(sent));
		json_object_object_add(row, "delivered",
		    json_object_new_int64(sent * 9 / 10));
	}
	*out = json_object_new_object();
	json_object_object_add(*out, "phone_numbers", numbers);
	json_object_object_add(*out, "granularity", json_object_new_string(g));
	json_object_object_add(*out, "data_points", points);
	return 0;
}

static int
waba_template_metrics(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	static char status[] = "status", pd[] = "PENDING_DELETION",
	    del[] = "DELETED";
	char *gone[] = { pd, del };
	struct filter live = { status, FOP_NOT_IN, gone, 2, 0, 0 };
	struct json_object *data;
	struct list_query q;
	struct list_page page;
	char *cause = NULL;
	size_t i;

	(void)f;
	if (!row_bool(row, "is_enabled_for_insights"))
		return gerr_set(&rq->err, GE_NO_INSIGHTS, NULL);
	/* one entry per live template, counts derived from its id */
	memset(&q, 0, sizeof(q));
	q.owner = row_id(row, "id");
	q.limit = PAGING_MAX_LIMIT;
	q.filters = &live;
	q.nfilters = 1;
	data = json_object_new_array();
	if (store_list(rq->emu->store, LIST_TEMPLATES, &q, &page,
	    &cause) == 0) {
		for (i = 0; i < json_object_array_length(page.rows); i++) {
			struct json_object *t = json_object_array_get_idx(
			    page.rows, i), *m = json_object_new_object();
			uint64_t h = mix64((uint64_t)row_id(t, "id"));
			int64_t sent = (int64_t)(h % 1000);

			json_object_object_add(m, "template_id",
			    json_object_new_string(row_str(t, "id")));
			json_object_object_add(m, "name",
			    json_object_new_string(row_str(t, "name")));
			json_object_object_add(m, "language",
			    json_object_new_string(row_str(t, "language")));
			json_object_object_add(m, "sent",
			    json_object_new_int64(sent));
			json_object_object_add(m, "delivered",
			    json_object_new_int64(sent * 9 / 10));
			json_object_object_add(m, "read",
			    json_object_new_int64(sent * 7 / 10));
			json_object_array_add(data, m);
		}
		json_object_put(page.rows);
	}
	free(cause);
	*out = json_object_new_object();
	json_object_object_add(*out, "data", data);
	return 0;
}

static int
waba_templates(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	if (auth_check_waba(rq, row_id(row, "id"), PERM_WABA_READ) < 0)
		return -1;
	*out = render_list(rq, &edge_templates, row_id(row, "id"), f);
	return *out ? 0 : -1;
}

/* {score, date}: the rating and when it was given (Graph's time). */
static int
template_quality(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	(void)rq;
	(void)f;
	*out = json_object_new_object();
	json_object_object_add(*out, "score", json_object_new_string(
	    row_str(row, "quality_score")));
	json_object_object_add(*out, "date",
	    json_object_new_int64(row_int(row, "quality_updated")));
	return 0;
}

/*
 * The WABA lists need more than the Business node (an admin with
 * whatsapp_business_management); they are fields of that node only, so
 * rq->node is the business they list.
 */
static int
business_owned(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	if (auth_check(rq, PERM_BUSINESS_ADMIN) < 0)
		return -1;
	*out = render_list(rq, &edge_owned_wabas, row_id(row, "id"), f);
	return *out ? 0 : -1;
}

static int
business_client(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	if (auth_check(rq, PERM_BUSINESS_ADMIN) < 0)
		return -1;
	*out = render_list(rq, &edge_client_wabas, row_id(row, "id"), f);
	return *out ? 0 : -1;
}

/* The app's page, as Graph links it (the subscribed_apps list too). */
static int
app_link(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	char *link = xasprintf("https://www.facebook.com/games/?app_id=%s",
	    row_str(row, "id"));

	(void)rq;
	(void)f;
	*out = json_object_new_string(link);
	free(link);
	return 0;
}

/* ---- node tables --------------------------------------------------- */

/* The getters objects.h names; GET_ROW copies the row's value. */
static const field_get getters[GET__COUNT] = {
	[GET_WABA_ANALYTICS] = waba_analytics,
	[GET_WABA_VERIFICATION] = waba_verification,
	[GET_WABA_COUNTRY] = waba_country,
	[GET_OWNER_BUSINESS] = owner_business,
	[GET_WABA_PHONE_NUMBERS] = waba_phone_numbers,
	[GET_WABA_ASSIGNED_USERS] = waba_assigned_users,
	[GET_WABA_TEMPLATE_METRICS] = waba_template_metrics,
	[GET_WABA_SHARED] = waba_shared,
	[GET_WABA_TEMPLATES] = waba_templates,
	[GET_TEMPLATE_QUALITY] = template_quality,
	[GET_PHONE_THROUGHPUT] = phone_throughput,
	[GET_PHONE_LAST_ONBOARDED] = phone_last_onboarded,
	[GET_PHONE_PREVERIFIED] = phone_preverified,
	[GET_PHONE_LIMIT] = phone_limit,
	[GET_PHONE_PIN_ENABLED] = phone_pin_enabled,
	[GET_PHONE_HEALTH] = phone_health,
	[GET_PHONE_CERTIFICATE] = phone_certificate,
	[GET_BUSINESS_OWNED] = business_owned,
	[GET_BUSINESS_CLIENT] = business_client,
	[GET_APP_LINK] = app_link,
};

/* The rendered node types: those with default fields (objects.c). */
static const struct obj_type *
node_def(enum node_type t)
{
	const struct obj_type *ot = objects_of_node(t);

	return ot != NULL && ot->defaults != NULL ? ot : NULL;
}

/* The Graph field named name of ot, or NULL. */
static const struct obj_member *
field_lookup(const struct obj_type *ot, const char *name)
{
	size_t i;

	/* the first letter first: most members differ there, and every
	 * default field of every listed row comes through here */
	for (i = 0; i < ot->nmembers; i++)
		if (ot->members[i].name[0] == name[0] &&
		    (ot->members[i].flags & OM_FIELD) &&
		    strcmp(ot->members[i].name, name) == 0)
			return &ot->members[i];
	return NULL;
}

/* ---- edges --------------------------------------------------------- */

static const char *const phone_edge_defaults[] = {
	"code_verification_status", "display_phone_number", "id",
	"quality_rating", "verified_name", NULL };
static const char *const assigned_user_defaults[] = { "id", "name", "tasks",
	NULL };
static const char *const client_waba_defaults[] = { "id", "name",
	"currency", "timezone_id", "message_template_namespace",
	"permitted_tasks", NULL };

const struct edge_def edge_owned_wabas = { LIST_OWNED_WABAS, NODE_WABA,
	NULL, true, true, "owned_whatsapp_business_accounts", NULL, false,
	NULL };
const struct edge_def edge_client_wabas = { LIST_CLIENT_WABAS, NODE_WABA,
	client_waba_defaults, true, true,
	"client_whatsapp_business_accounts", NULL, false, NULL };
const struct edge_def edge_phones = { LIST_PHONES, NODE_PHONE,
	phone_edge_defaults, true, false, "phone_numbers", NULL, false, NULL };
const struct edge_def edge_assigned_users = { LIST_ASSIGNED_USERS,
	NODE_USER, assigned_user_defaults, false, false, "assigned_users",
	"business", true, NULL };
const struct edge_def edge_user_wabas = { LIST_USER_WABAS, NODE_WABA,
	NULL, false, false, "assigned_whatsapp_business_accounts",
	NULL, false, NULL };
const struct edge_def edge_templates = { LIST_TEMPLATES, NODE_TEMPLATE,
	NULL, false, false, "message_templates", NULL, false,
	template_filters };

/* ---- rendering ----------------------------------------------------- */

int
render_check(struct request *rq, enum node_type t,
    const struct fieldlist *fl)
{
	const struct obj_type *nd = node_def(t);
	size_t i;

	if (fl == NULL || nd == NULL)
		return 0;
	for (i = 0; i < fl->n; i++)
		if (field_lookup(nd, fl->v[i].name) == NULL)
			return gerr_no_field(&rq->err, fl->v[i].name,
			    node_type_name(t));
	return 0;
}

/*
 * Adds field f of row to obj.  static_name: f's name is a string constant
 * (a default field), which obj may keep without a copy.
 */
static int
render_one(struct request *rq, const struct obj_type *nd,
    struct json_object *row, const struct field *f, bool static_name,
    struct json_object *obj)
{
	const struct obj_member *fd = field_lookup(nd, f->name);
	struct json_object *v = NULL;

	if (fd == NULL)
		return 0;
	if (fd->get != GET_ROW) {
		if (getters[fd->get](rq, row, f, &v) < 0)
			return -1;
	} else if (json_object_object_get_ex(row, f->name, &v) &&
	    !json_object_is_type(v, json_type_null)) {
		v = json_object_get(v);
	} else {
		v = NULL;
	}
	if (v != NULL)
		/* the fields parser refuses duplicates: skip the lookup */
		json_object_object_add_ex(obj, f->alias ? f->alias : f->name,
		    v, JSON_C_OBJECT_ADD_KEY_IS_NEW | (static_name &&
		    f->alias == NULL ? JSON_C_OBJECT_ADD_CONSTANT_KEY : 0));
	return 0;
}

struct json_object *
render_node(struct request *rq, enum node_type t, struct json_object *row,
    const struct fieldlist *fl, const char *const *defaults)
{
	const struct obj_type *nd = node_def(t);
	struct json_object *obj;
	bool id_seen = false;
	size_t i;

	if (nd == NULL)
		return NULL;
	if (render_check(rq, t, fl) < 0)
		return NULL;
	obj = json_object_new_object();
	if (fl == NULL || fl->n == 0) {
		const char *const *d = defaults ? defaults : nd->defaults;

		for (; *d; d++) {
			struct field f = { .name = (char *)*d, .limit = -1 };

			if (render_one(rq, nd, row, &f, true, obj) < 0)
				goto fail;
		}
		return obj;
	}
	for (i = 0; i < fl->n; i++) {
		/* the key "id" holds the real id: id, not x.as(id) */
		if (strcmp(fl->v[i].name, "id") == 0 && (fl->v[i].alias ==
		    NULL || strcmp(fl->v[i].alias, "id") == 0))
			id_seen = true;
		if (render_one(rq, nd, row, &fl->v[i], false, obj) < 0)
			goto fail;
	}
	if (!id_seen && row_str(row, "id") != NULL) {
		/* an alias named id gives way to the real id, put last */
		json_object_object_del(obj, "id");
		json_object_object_add(obj, "id",
		    json_object_new_string(row_str(row, "id")));
	}
	return obj;
fail:
	json_object_put(obj);
	return NULL;
}

/* ---- answers kept on rows ------------------------------------------ */

/*
 * A node's answer for its default fields: the body and its ETag, made on
 * the first read of a row and kept on it as json-c userdata, freed with
 * it.  Store rows are never changed in place (a write gives the next read
 * a new row), so the bytes are right for as long as the row lives.  Only
 * node types whose default fields are all the row's own values qualify:
 * a getter may look at other rows, the token or the clock.
 */
struct answer {
	enum node_type t;
	size_t len;
	char etag[ETAG_SIZE];
	char body[]; /* len bytes and a NUL */
};

static bool plain_defaults[NODE__COUNT];
static pthread_once_t plain_once = PTHREAD_ONCE_INIT;

static void
plain_init(void)
{
	size_t i;
	int t;

	for (t = 0; t < NODE__COUNT; t++) {
		const struct obj_type *nd = node_def((enum node_type)t);
		const char *const *d;

		plain_defaults[t] = nd != NULL;
		/* every computed field of objects.c has its getter here */
		for (i = 0; nd != NULL && i < nd->nmembers; i++)
			assert(nd->members[i].get == GET_ROW ||
			    getters[nd->members[i].get] != NULL);
		for (d = nd ? nd->defaults : NULL; d != NULL && *d; d++) {
			const struct obj_member *fd = field_lookup(nd, *d);

			if (fd == NULL || fd->get != GET_ROW)
				plain_defaults[t] = false;
		}
	}
}

static void
answer_free(struct json_object *row, void *answer)
{
	(void)row;
	free(answer);
}

int
render_read(struct request *rq, enum node_type t, struct json_object *row)
{
	struct answer *a;
	struct json_object *obj;
	char *body;

	pthread_once(&plain_once, plain_init);
	if (row == NULL || (unsigned)t >= NODE__COUNT || !plain_defaults[t] ||
	    (rq->fields != NULL && rq->fields->n > 0)) {
		rq->result = render_node(rq, t, row, rq->fields, NULL);
		return rq->result ? 0 : -1;
	}
	a = json_object_get_userdata(row);
	if (a != NULL && a->t == t) {
		body = xmalloc(a->len + 1);
		memcpy(body, a->body, a->len + 1);
	} else {
		struct sbuf sb = SBUF_INIT;

		if ((obj = render_node(rq, t, row, NULL, NULL)) == NULL)
			return -1;
		/* a node read fits, as in response_json() */
		sbuf_grow(&sb, 960);
		jsonout(&sb, obj);
		json_object_put(obj);
		a = xmalloc(sizeof(*a) + sb.len + 1);
		a->t = t;
		a->len = sb.len;
		etag_of(sb.buf, sb.len, a->etag);
		memcpy(a->body, sb.buf, a->len + 1);
		body = sbuf_detach(&sb);
		json_object_set_userdata(row, a, answer_free);
	}
	free(rq->answer);
	rq->answer = body;
	rq->answer_len = a->len;
	memcpy(rq->answer_etag, a->etag, sizeof(rq->answer_etag));
	return 0;
}

struct list_ctx {
	struct request *rq;
	const struct edge_def *e;
	const struct fieldlist *fl;
	bool failed;
};

static struct json_object *
render_item(void *ctx, struct json_object *row)
{
	struct list_ctx *lc = ctx;
	struct json_object *obj;

	if (lc->failed)
		return json_object_new_object();
	obj = render_node(lc->rq, lc->e->item_type, row, lc->fl,
	    lc->e->defaults);
	if (obj == NULL) {
		lc->failed = true;
		obj = json_object_new_object();
	}
	return obj;
}

/* Writes a field selection back as fields= text (names and nesting). */
static void
fields_text(struct sbuf *sb, const struct fieldlist *fl)
{
	size_t i;

	for (i = 0; fl != NULL && i < fl->n; i++) {
		if (i > 0)
			sbuf_addch(sb, ',');
		sbuf_addstr(sb, fl->v[i].name);
		if (fl->v[i].sub != NULL) {
			sbuf_addch(sb, '{');
			fields_text(sb, fl->v[i].sub);
			sbuf_addch(sb, '}');
		}
	}
}

/*
 * A nested edge's paging.next points at the edge itself
 * (/{owner}/{edge}?limit=&fields=&after=), which is what a client
 * following it expects; there is no previous page of a first page.
 */
static void
nested_next(struct request *rq, const struct edge_def *e, int64_t owner,
    const struct field *f, int limit, struct json_object *out)
{
	static const char *const proof[] = { "appsecret_proof",
		"appsecret_time" };
	struct json_object *paging, *after;
	struct sbuf url = SBUF_INIT, sub = SBUF_INIT;
	size_t i;

	if (!json_object_object_get_ex(out, "paging", &paging))
		return;
	json_object_object_del(paging, "previous");
	if (!json_object_object_get_ex(paging, "next", NULL))
		return;
	after = json_object_object_get(json_object_object_get(paging,
	    "cursors"), "after");
	sbuf_addf(&url, "http://%s%s%s/%lld/%s?", rq->host ? rq->host :
	    "127.0.0.1", rq->version_in_path ? "/" : "",
	    rq->version_in_path ? rq->version : "", (long long)owner, e->name);
	if (rq->token != NULL) {
		sbuf_addstr(&url, "access_token=");
		url_encode(&url, rq->token);
		sbuf_addch(&url, '&');
	}
	sbuf_addf(&url, "limit=%d", limit);
	/* the edge read on its own asks for it again (assigned_users) */
	if (e->carry != NULL && params_get(&rq->params, e->carry) != NULL) {
		sbuf_addf(&url, "&%s=", e->carry);
		url_encode(&url, params_get(&rq->params, e->carry));
	}
	/* the same token needs the same proof when its app requires one */
	for (i = 0; i < sizeof(proof) / sizeof(*proof); i++) {
		const char *v = params_get(&rq->params, proof[i]);

		if (v == NULL)
			continue;
		sbuf_addf(&url, "&%s=", proof[i]);
		url_encode(&url, v);
	}
	if (f->sub != NULL && f->sub->n > 0) {
		fields_text(&sub, f->sub);
		sbuf_addstr(&url, "&fields=");
		url_encode(&url, sub.buf);
	}
	sbuf_addstr(&url, "&after=");
	url_encode(&url, json_object_get_string(after));
	json_object_object_add(paging, "next",
	    json_object_new_string(url.buf));
	sbuf_release(&url);
	sbuf_release(&sub);
}

struct json_object *
render_list(struct request *rq, const struct edge_def *e, int64_t owner,
    const struct field *f)
{
	struct list_query q;
	struct filter *filters = NULL;
	size_t nfilters = 0;
	struct list_ctx lc = { rq, e, NULL, false };
	struct json_object *out = NULL;
	struct list_page page;
	struct sbuf ids = SBUF_INIT;
	char *cause = NULL;

	memset(&q, 0, sizeof(q));
	q.owner = owner;
	if (f == NULL) {
		lc.fl = rq->fields;
		if (paging_read(rq, &q, &rq->err) < 0)
			return NULL;
		if (e->filtered &&
		    filter_parse(params_get(&rq->params, "filtering"),
		    objects_of_node(e->item_type)->filters, &filters,
		    &nfilters, &rq->err) < 0)
			return NULL;
		if (e->sortable &&
		    sort_parse(params_get(&rq->params, "sort"), &q.descending,
		    &rq->err) < 0)
			goto out;
	} else {
		lc.fl = f->sub;
		/* absent means 25; .limit(0) asks for the count alone */
		q.limit = f->limit < 0 ? PAGING_DEFAULT_LIMIT :
		    f->limit > PAGING_MAX_LIMIT ? PAGING_MAX_LIMIT :
		    (int)f->limit;
	}
	if (e->param_filters != NULL && e->param_filters(rq, f != NULL,
	    &filters, &nfilters) < 0)
		goto out;
	if (render_check(rq, e->item_type, lc.fl) < 0)
		goto out;
	q.filters = filters;
	q.nfilters = nfilters;
	/* checked by render_assigned_business() before any list of users */
	if (e->carry_filters)
		q.business = parse_id(params_get(&rq->params, e->carry));
	/* a granular token reaches its targets only, on every page */
	if (e->item_type == NODE_WABA && auth_waba_targets(rq, &ids))
		q.ids = ids.buf;
	if (q.limit == 0) {
		/* the counting idiom: no rows, and no store query for them */
		out = json_object_new_object();
		json_object_object_add(out, "data", json_object_new_array());
	} else {
		if (store_list(rq->emu->store, e->list, &q, &page, &cause) <
		    0) {
			gerr_set(&rq->err, GE_UNKNOWN, NULL);
			goto out;
		}
		out = paging_wrap(rq, &q, &page, render_item, &lc);
		if (lc.failed) {
			json_object_put(out);
			out = NULL;
			goto out;
		}
		if (f != NULL)
			nested_next(rq, e, owner, f, q.limit, out);
	}
	if (f != NULL ? f->summary : paging_summary(rq)) {
		struct json_object *s = json_object_new_object();

		json_object_object_add(s, "total_count", json_object_new_int64(
		    store_list_count(rq->emu->store, e->list, &q)));
		json_object_object_add(out, "summary", s);
	}
out:
	free(cause);
	sbuf_release(&ids);
	filters_free(filters, nfilters);
	return out;
}
