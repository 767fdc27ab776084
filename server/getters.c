/*
 * getters.c - the computed fields of the rendered nodes: each getter
 * builds one Graph field from the store row and, where the field needs
 * them, other rows.  render.c calls them through getters[]; plain columns
 * need none and are copied by render.c itself.
 */
#include "getters.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "emu.h"
#include "gerr.h"
#include "handlers/handlers.h"
#include "jsonout.h"
#include "paging.h"
#include "params.h"
#include "render.h"
#include "request.h"
#include "util.h"

#define ANALYTICS_MAX_POINTS 1000

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
waba_country(struct request *rq, struct json_object *row, const struct field *f,
    struct json_object **out)
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
waba_shared(struct request *rq, struct json_object *row, const struct field *f,
    struct json_object **out)
{
	(void)f;
	*out = json_object_new_boolean(
	    store_count_shares(rq->emu->store, row_id(row, "id")) > 0);
	return 0;
}

/* The list edge the field names, of the row, nested in the answer. */
static int
nested_list(struct request *rq, struct json_object *row, const struct field *f,
    struct json_object **out)
{
	*out = render_list(rq, render_edge(f->name), row_id(row, "id"), f);
	return *out ? 0 : -1;
}

/*
 * A nested edge is allowed exactly when the edge read on its own would be:
 * the route checks the node it is called on, not each WABA of a list that
 * nests its numbers.  phone_numbers and message_templates both need the
 * WABA's read.
 */
static int
waba_edge(struct request *rq, struct json_object *row, const struct field *f,
    struct json_object **out)
{
	if (auth_check_waba(rq, row_id(row, "id"), PERM_WABA_READ) < 0)
		return -1;
	return nested_list(rq, row, f, out);
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
	return nested_list(rq, row, f, out);
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
phone_limit(struct request *rq, struct json_object *row, const struct field *f,
    struct json_object **out)
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
health_entity(const char *type, const char *id, const char *verdict, int code,
    const char *why, const char *fix)
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
phone_health(struct request *rq, struct json_object *row, const struct field *f,
    struct json_object **out)
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
		e = health_entity("PHONE_NUMBER", row_str(row, "id"), "BLOCKED",
		    133010, "Account not registered",
		    "Register the phone number with POST "
		    "/{phone-number-id}/register.");
	else if (quality != NULL && strcmp(quality, "RED") == 0)
		e = health_entity("PHONE_NUMBER", row_str(row, "id"), "LIMITED",
		    131049,
		    "The phone number's quality rating is "
		    "low",
		    "Improve the quality of the messages sent.");
	else
		e = health_entity("PHONE_NUMBER", row_str(row, "id"),
		    "AVAILABLE", 0, NULL, NULL);
	json_object_array_add(ents, e);
	json_object_array_add(ents,
	    review != NULL && strcmp(review, "APPROVED") != 0 ?
	        health_entity("WABA", row_str(waba, "id"), "BLOCKED", 131031,
	            "The WhatsApp Business "
	            "Account has not been approved",
	            "Wait for the account review.") :
	        health_entity("WABA", row_str(waba, "id"), "AVAILABLE", 0, NULL,
	            NULL));
	json_object_array_add(ents,
	    row_bool(biz, "restricted") ?
	        health_entity("BUSINESS", row_str(biz, "id"), "BLOCKED", 368,
	            "The business is restricted", "Contact Meta support.") :
	        health_entity("BUSINESS", row_str(biz, "id"), "AVAILABLE", 0,
	            NULL, NULL));
	snprintf(app, sizeof(app), "%lld", (long long)rq->token_app);
	json_object_array_add(ents,
	    health_entity("APP", app, "AVAILABLE", 0, NULL, NULL));
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
		    "MONTH} - got \"%s\"",
		    g);
	if (end < start)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param end must not be before start");
	if ((end - start) / step > ANALYTICS_MAX_POINTS)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Please reduce the amount of data you're asking for: "
		    "at most %d data points",
		    ANALYTICS_MAX_POINTS);
	memset(&q, 0, sizeof(q));
	q.owner = waba;
	q.limit = PAGING_MAX_LIMIT;
	phones = store_list(st, LIST_PHONES, &q, &page, &cause) == 0 ?
	    page.rows :
	    NULL;
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
		json_object_object_add(row, "sent",
		    json_object_new_int64(sent));
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
	if (store_list(rq->emu->store, LIST_TEMPLATES, &q, &page, &cause) ==
	    0) {
		for (i = 0; i < json_object_array_length(page.rows); i++) {
			struct json_object *t = json_object_array_get_idx(
			                       page.rows, i),
			                   *m = json_object_new_object();
			uint64_t h = mix64((uint64_t)row_id(t, "id"));
			int64_t sent = (int64_t)(h % 1000);

			row_set_str(m, "template_id", row_str(t, "id"));
			row_set_str(m, "name", row_str(t, "name"));
			row_set_str(m, "language", row_str(t, "language"));
			row_set_int(m, "sent", sent);
			row_set_int(m, "delivered", sent * 9 / 10);
			row_set_int(m, "read", sent * 7 / 10);
			json_object_array_add(data, m);
		}
		json_object_put(page.rows);
	}
	free(cause);
	*out = json_object_new_object();
	json_object_object_add(*out, "data", data);
	return 0;
}

/* {score, date}: the rating and when it was given (Graph's time). */
static int
template_quality(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	(void)rq;
	(void)f;
	*out = json_object_new_object();
	json_object_object_add(*out, "score",
	    json_object_new_string(row_str(row, "quality_score")));
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
business_edge(struct request *rq, struct json_object *row,
    const struct field *f, struct json_object **out)
{
	if (auth_check(rq, PERM_BUSINESS_ADMIN) < 0)
		return -1;
	return nested_list(rq, row, f, out);
}

/* The app's page, as Graph links it (the subscribed_apps list too). */
static int
app_link(struct request *rq, struct json_object *row, const struct field *f,
    struct json_object **out)
{
	char *link = xasprintf("https://www.facebook.com/games/?app_id=%s",
	    row_str(row, "id"));

	(void)rq;
	(void)f;
	*out = json_object_new_string(link);
	free(link);
	return 0;
}

const field_get getters[GET__COUNT] = {
	[GET_WABA_ANALYTICS] = waba_analytics,
	[GET_WABA_VERIFICATION] = waba_verification,
	[GET_WABA_COUNTRY] = waba_country,
	[GET_OWNER_BUSINESS] = owner_business,
	[GET_WABA_EDGE] = waba_edge,
	[GET_WABA_ASSIGNED_USERS] = waba_assigned_users,
	[GET_WABA_TEMPLATE_METRICS] = waba_template_metrics,
	[GET_WABA_SHARED] = waba_shared,
	[GET_TEMPLATE_QUALITY] = template_quality,
	[GET_PHONE_THROUGHPUT] = phone_throughput,
	[GET_PHONE_LAST_ONBOARDED] = phone_last_onboarded,
	[GET_PHONE_PREVERIFIED] = phone_preverified,
	[GET_PHONE_LIMIT] = phone_limit,
	[GET_PHONE_PIN_ENABLED] = phone_pin_enabled,
	[GET_PHONE_HEALTH] = phone_health,
	[GET_PHONE_CERTIFICATE] = phone_certificate,
	[GET_BUSINESS_EDGE] = business_edge,
	[GET_APP_LINK] = app_link,
};
