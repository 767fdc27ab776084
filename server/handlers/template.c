/*
 * template.c - message templates: the WABA's
 * message_templates edge (list, create, delete by name), the template
 * node (read, edit) and the list's plain-parameter filters.  The
 * components' rules are templates/validate.c's, the life cycle and its
 * events templates/life.c's; docs/templates.md gives every decision.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu.h"
#include "filter.h"
#include "handlers.h"
#include "render.h"
#include "request.h"
#include "row.h"
#include "templates/life.h"
#include "templates/validate.h"
#include "util.h"

#define NAME_MAX_LEN 512
#define CREATIONS_PER_HOUR 100
#define LIMIT_UNVERIFIED 250
#define LIMIT_VERIFIED 6000
#define DAY (24 * 3600)
#define EDITS_PER_MONTH 10

/* The language codes of Meta's "Supported languages" page. */
static const char *const languages[] = { "af", "sq", "ar", "ar_EG", "ar_AE",
	"ar_LB", "ar_MA", "ar_QA", "az", "be_BY", "bn", "bn_IN", "bg", "ca",
	"zh_CN", "zh_HK", "zh_TW", "hr", "cs", "da", "prs_AF", "nl", "nl_BE",
	"en", "en_GB", "en_US", "en_AE", "en_AU", "en_CA", "en_GH", "en_IE",
	"en_IN", "en_JM", "en_MY", "en_NZ", "en_QA", "en_SG", "en_UG", "en_ZA",
	"et", "fil", "fi", "fr", "fr_BE", "fr_CA", "fr_CH", "fr_CI", "fr_MA",
	"ka", "de", "de_AT", "de_CH", "el", "gu", "ha", "he", "hi", "hu", "id",
	"ga", "it", "ja", "kn", "kk", "rw_RW", "ko", "ky_KG", "lo", "lv", "lt",
	"mk", "ms", "ml", "mr", "nb", "ps_AF", "fa", "pl", "pt_BR", "pt_PT",
	"pa", "ro", "ru", "sr", "si_LK", "sk", "sl", "es", "es_AR", "es_CL",
	"es_CO", "es_CR", "es_DO", "es_EC", "es_HN", "es_MX", "es_PA", "es_PE",
	"es_ES", "es_UY", "sw", "sv", "ta", "te", "th", "tr", "uk", "ur", "uz",
	"vi", "zu", NULL };

/* ---- list ---------------------------------------------------------- */

static void
filter_add(struct filter **fs, size_t *n, const char *field, enum filter_op op,
    struct json_object *values)
{
	struct filter *f;
	size_t i;

	*fs = xrealloc(*fs, (*n + 1) * sizeof(**fs));
	f = &(*fs)[(*n)++];
	memset(f, 0, sizeof(*f));
	f->field = field;
	f->op = op;
	f->nvalues = json_object_array_length(values);
	f->values = xcalloc(f->nvalues ? f->nvalues : 1, sizeof(char *));
	for (i = 0; i < f->nvalues; i++)
		f->values[i] = xstrdup(json_object_get_string(
		    json_object_array_get_idx(values, i)));
}

/* A comma list (or JSON array) of values from domain. */
static struct json_object *
enum_list(struct request *rq, const char *name, const char *v,
    const char *const *domain)
{
	struct json_object *arr = param_array(name, v, &rq->err);
	size_t i;

	if (arr == NULL)
		return NULL;
	for (i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		char *all;

		if (json_object_is_type(e, json_type_string) &&
		    str_in(domain, json_object_get_string(e)))
			continue;
		all = obj_values_list(domain);
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param %s must be one of "
		    "{%s} - got \"%s\"",
		    name, all, json_object_get_string(e));
		free(all);
		json_object_put(arr);
		return NULL;
	}
	if (json_object_array_length(arr) == 0) {
		json_object_put(arr);
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param %s must not be "
		    "empty",
		    name);
		return NULL;
	}
	return arr;
}

/* The list's plain parameters; nothing asked hides deleted templates. */
int
template_filters(struct request *rq, bool nested, struct filter **out,
    size_t *n)
{
	static const struct {
		const char *param;
		const char *column;
		enum filter_op op;
		const char *const *domain; /* NULL: one free text */
	} specs[] = {
		/* parameter		column		op	values */
		{ "name", "name", FOP_CONTAINS, NULL },
		{ "name_or_content", "name", FOP_CONTENT, NULL },
		{ "status", "status", FOP_IN, template_statuses },
		{ "category", "category", FOP_IN, template_categories },
		{ "language", "language", FOP_IN, languages },
		/* NULL: the quality_score column's own domain */
		{ "quality_score", "quality_score", FOP_IN, NULL },
	};
	const char *const *scores =
	    obj_member(&objects[TBL_TEMPLATES], "quality_score")->values;
	struct json_object *vals;
	bool status = false;
	size_t i;

	*out = NULL;
	*n = 0;
	for (i = 0; !nested && i < sizeof(specs) / sizeof(specs[0]); i++) {
		const char *v = params_get(&rq->params, specs[i].param);

		if (v == NULL)
			continue;
		if (specs[i].op == FOP_IN) {
			vals = enum_list(rq, specs[i].param, v,
			    specs[i].domain ? specs[i].domain : scores);
		} else {
			if (param_string(rq, specs[i].param, &v) < 0)
				goto fail;
			vals = json_object_new_array();
			json_object_array_add(vals, json_object_new_string(v));
		}
		if (vals == NULL)
			goto fail;
		filter_add(out, n, specs[i].column, specs[i].op, vals);
		json_object_put(vals);
		status = status || strcmp(specs[i].param, "status") == 0;
	}
	if (!status) {
		vals = json_object_new_array();
		json_object_array_add(vals,
		    json_object_new_string("PENDING_DELETION"));
		json_object_array_add(vals, json_object_new_string("DELETED"));
		filter_add(out, n, "status", FOP_NOT_IN, vals);
		json_object_put(vals);
	}
	return 0;
fail:
	filters_free(*out, *n);
	*out = NULL;
	*n = 0;
	return -1;
}

/* ---- reads --------------------------------------------------------- */

/* GET /{waba-id}/message_templates/{template-id}: that WABA's only. */
int
template_item_get(struct request *rq)
{
	int64_t id = rq->item[0] != '0' ? parse_id(rq->item) : -1;
	struct json_object *row = id > 0 ?
	    store_get(rq->emu->store, TBL_TEMPLATES, id) :
	    NULL;
	int rc;

	if (row == NULL || row_id(row, "waba") != rq->node) {
		json_object_put(row);
		return gerr_no_object(&rq->err, rq->verb, rq->item);
	}
	rc = render_read(rq, NODE_TEMPLATE, row);
	json_object_put(row);
	return rc;
}

/* ---- writes -------------------------------------------------------- */

/* Runs the write with its events in one transaction. */
static int
commit(struct request *rq, struct json_object *old, struct json_object *row)
{
	struct store *st = rq->emu->store;
	char *cause = NULL;

	if (store_begin(st) < 0 ||
	    template_put(rq->emu, old, row, &cause) < 0 ||
	    store_commit(st) < 0) {
		store_rollback(st);
		gerr_set(&rq->err, GE_EDIT, "(#300) Edit failure: %s",
		    cause ? cause : "store write failed");
		free(cause);
		return -1;
	}
	return 0;
}

/* The parameter as one of domain, case aside; the domain's spelling. */
static int
enum_param(struct request *rq, const char *name, const char *const *domain,
    bool required, const char **out)
{
	const char *v;
	char *all;
	size_t i;

	if (param_string(rq, name, &v) < 0)
		return -1;
	*out = NULL;
	if (v == NULL || *v == '\0') {
		if (!required)
			return 0;
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) The parameter %s is required", name);
	}
	for (i = 0; domain[i] != NULL; i++) {
		if (strcasecmp(domain[i], v) == 0) {
			*out = domain[i];
			return 0;
		}
	}
	all = obj_values_list(domain);
	gerr_set(&rq->err, GE_PARAM,
	    "(#100) Param %s must be one of {%s} - "
	    "got \"%s\"",
	    name, all, v);
	free(all);
	return -1;
}

static int
check_name(struct request *rq, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		        (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			break;
	if (n == 0 || n > NAME_MAX_LEN || i < n) {
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param name must be 1 to "
		    "%d lowercase letters, digits and underscores, got \"%s\"",
		    NAME_MAX_LEN, name);
		return gerr_user(&rq->err, "Invalid template name",
		    "Message template names can only contain lowercase "
		    "alphanumeric characters and underscores ( _ ).");
	}
	return 0;
}

/* components= as JSON text (a JSON body's array, or a form field). */
static struct json_object *
components_param(struct request *rq, bool required)
{
	const char *v = param_maybe(rq, "components", required);
	struct json_object *c;

	if (v == NULL)
		return NULL;
	c = json_tokener_parse(v);
	if (c == NULL || !json_object_is_type(c, json_type_array)) {
		json_object_put(c);
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param components must be "
		    "a JSON array of components");
		return NULL;
	}
	return c;
}

/* The WABA's template limit by its owner's verification. */
static long
template_limit(struct request *rq)
{
	struct json_object *waba = store_get(rq->emu->store, TBL_WABAS,
	                       rq->node),
	                   *biz;
	const char *v;
	long limit;

	biz = store_get(rq->emu->store, TBL_BUSINESSES,
	    row_id(waba, "business"));
	v = row_str(biz, "verification_status");
	limit = v && strcmp(v, "verified") == 0 ? LIMIT_VERIFIED :
	                                          LIMIT_UNVERIFIED;
	json_object_put(biz);
	json_object_put(waba);
	return limit;
}

/* Duplicate, held name, template limit and creation rate, in that order. */
static int
may_create(struct request *rq, const char *name, const char *language)
{
	struct store *st = rq->emu->store;
	int64_t now = clock_now(&rq->emu->clock);
	/* one read of the name's rows answers both: a live one (the
	 * duplicate) and one held for deletion */
	struct json_object *named = store_templates_named(st, rq->node, name);
	struct list_query all = { .owner = rq->node };
	bool dup = false, held = false;
	size_t i;
	long limit, rows;

	for (i = 0; i < json_object_array_length(named); i++) {
		struct json_object *t = json_object_array_get_idx(named, i);
		const char *s = row_str(t, "status");

		if (strcmp(row_str(t, "language"), language) != 0)
			continue;
		held = held || strcmp(s, "PENDING_DELETION") == 0;
		dup = dup ||
		    (strcmp(s, "PENDING_DELETION") != 0 &&
		        strcmp(s, "DELETED") != 0);
	}
	json_object_put(named);
	if (dup)
		return gerr_set(&rq->err, GE_TEMPLATE_DUP, NULL);
	if (held)
		return gerr_set(&rq->err, GE_TEMPLATE_HELD, NULL);
	limit = template_limit(rq);
	/* the WABA's rows, any status, come from an index alone and
	 * bound both counts below: under a bound, that count is not read */
	rows = store_list_count(st, LIST_TEMPLATES, &all);
	if (rows >= limit && store_count_templates(st, rq->node, -1) >= limit) {
		gerr_set(&rq->err, GE_TEMPLATE_LIMIT, NULL);
		return gerr_user(&rq->err, "Message template limit reached",
		    "%s",
		    limit == LIMIT_VERIFIED ?
		        "This WhatsApp Business Account "
		        "has reached its limit of 6000 message templates. Delete "
		        "templates before creating new ones." :
		        "This WhatsApp "
		        "Business Account has reached its limit of 250 message "
		        "templates. Delete templates, or verify the business to "
		        "create up to 6000.");
	}
	if (rows >= CREATIONS_PER_HOUR &&
	    store_count_templates(st, rq->node, now - 3600 + 1) >=
	        CREATIONS_PER_HOUR)
		return gerr_set(&rq->err, GE_RATE_LIMIT,
		    "(#80008) There have "
		    "been too many message template creations on this "
		    "WhatsApp Business Account: at most %d an hour. Wait a "
		    "bit and try again.",
		    CREATIONS_PER_HOUR);
	return 0;
}

int
template_create(struct request *rq)
{
	struct store *st = rq->emu->store;
	const char *name, *language, *category, *format;
	struct json_object *components = NULL, *row = NULL, *decided = NULL;
	int64_t now = clock_now(&rq->emu->clock), id;
	bool change = false;
	char buf[24];
	int rc = -1;

	if ((name = param_required(rq, "name")) == NULL ||
	    param_string(rq, "name", &name) < 0 || check_name(rq, name) < 0)
		return -1;
	if ((language = param_required(rq, "language")) == NULL ||
	    param_string(rq, "language", &language) < 0)
		return -1;
	if (!str_in(languages, language))
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param language "
		    "must be a language code Meta supports for templates, "
		    "such as en_US or pt_BR, got \"%s\"",
		    language);
	if (enum_param(rq, "category", template_categories, true, &category) <
	        0 ||
	    enum_param(rq, "parameter_format", template_formats, false,
	        &format) < 0)
		return -1;
	if (params_get(&rq->params, "allow_category_change") != NULL &&
	    param_bool("allow_category_change",
	        params_get(&rq->params, "allow_category_change"), &change,
	        &rq->err) < 0)
		return -1;
	if (format == NULL)
		format = "POSITIONAL";
	if ((components = components_param(rq, true)) == NULL)
		return -1;
	if (template_validate(category, format, components, &rq->err) < 0 ||
	    may_create(rq, name, language) < 0)
		goto out;
	id = store_new_id(st);
	snprintf(buf, sizeof(buf), "%lld", (long long)id);
	row = json_object_new_object();
	row_set_str(row, "id", buf);
	row_set_str(row, "waba", rq->node_id);
	row_set_str(row, "name", name);
	row_set_str(row, "language", language);
	row_set_str(row, "category", category);
	row_set_str(row, "parameter_format", format);
	json_object_object_add(row, "components", json_object_get(components));
	row_set_str(row, "quality_score", "UNKNOWN");
	row_set_int(row, "quality_updated", now);
	row_set_int(row, "created_at", now);
	json_object_object_add(row, "pauses", json_object_new_int(0));
	json_object_object_add(row, "edits", json_object_new_array());
	template_submit(rq->emu, row);
	if (store_begin(st) < 0)
		goto fail;
	{
		char *cause = NULL;
		int r = template_put(rq->emu, NULL, row, &cause);

		/* no review delay: decided in the same transaction */
		if (r == 0 && rq->emu->env.template_review == 0) {
			decided = row_copy(row);
			template_decide(decided);
			r = template_put(rq->emu, row, decided, &cause);
		}
		free(cause);
		if (r < 0 || store_commit(st) < 0)
			goto fail;
	}
	rq->result = json_object_new_object();
	json_object_object_add(rq->result, "id", json_object_new_string(buf));
	json_object_object_add(rq->result, "status",
	    json_object_new_string(row_str(decided ? decided : row, "status")));
	json_object_object_add(rq->result, "category",
	    json_object_new_string(
	        row_str(decided ? decided : row, "category")));
	rc = 0;
	goto out;
fail:
	store_rollback(st);
	gerr_set(&rq->err, GE_EDIT, "(#300) Edit failure: store write failed");
out:
	json_object_put(components);
	json_object_put(row);
	json_object_put(decided);
	return rc;
}

/* Edits of an APPROVED template: one a day, ten in 30 days. */
static int
edit_allowed(struct request *rq, struct json_object *old, int64_t now,
    struct json_object **edits)
{
	struct json_object *was = json_object_object_get(old, "edits");
	size_t i, recent = 0;
	int64_t last = -1;

	*edits = json_object_new_array();
	for (i = 0; i < json_object_array_length(was); i++) {
		int64_t t = json_object_get_int64(
		    json_object_array_get_idx(was, i));

		if (t > now - 30 * DAY) {
			json_object_array_add(*edits, json_object_new_int64(t));
			recent++;
		}
		if (t > last)
			last = t;
	}
	if (last >= 0 && last > now - DAY)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) An approved "
		    "message template can be edited once in 24 hours");
	if (recent >= EDITS_PER_MONTH)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) An approved "
		    "message template can be edited %d times in 30 days",
		    EDITS_PER_MONTH);
	json_object_array_add(*edits, json_object_new_int64(now));
	return 0;
}

int
template_edit(struct request *rq)
{
	struct json_object *old = store_get(rq->emu->store, TBL_TEMPLATES,
	                       rq->node),
	                   *row = NULL, *components = NULL, *edits = NULL;
	const char *status = row_str(old, "status"), *category;
	int64_t now = clock_now(&rq->emu->clock);
	bool approved;
	int rc = -1;

	if (enum_param(rq, "category", template_categories, false, &category) <
	    0)
		goto out;
	if (params_get(&rq->params, "components") != NULL &&
	    (components = components_param(rq, false)) == NULL)
		goto out;
	if (components == NULL && category == NULL) {
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Give components or "
		    "category to edit a message template");
		goto out;
	}
	if (strcmp(status, "APPROVED") != 0 && strcmp(status, "REJECTED") &&
	    strcmp(status, "PAUSED") != 0) {
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Only an APPROVED, "
		    "REJECTED or PAUSED message template can be edited; this "
		    "one is %s",
		    status);
		goto out;
	}
	approved = strcmp(status, "APPROVED") == 0;
	if (approved && category != NULL &&
	    strcmp(category, row_str(old, "category")) != 0) {
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) The category of an "
		    "approved message template cannot be changed");
		goto out;
	}
	if (category == NULL)
		category = row_str(old, "category");
	if (template_validate(category, row_str(old, "parameter_format"),
	        components ? components :
	                     json_object_object_get(old, "components"),
	        &rq->err) < 0)
		goto out;
	if (approved && edit_allowed(rq, old, now, &edits) < 0)
		goto out;
	row = row_copy(old);
	row_set_str(row, "category", category);
	if (components != NULL)
		json_object_object_add(row, "components",
		    json_object_get(components));
	if (edits != NULL)
		json_object_object_add(row, "edits", json_object_get(edits));
	template_submit(rq->emu, row);
	if (commit(rq, old, row) < 0)
		goto out;
	if (rq->emu->env.template_review == 0) {
		struct json_object *decided = NULL;

		/* a second transaction: the edit stands even if this fails */
		decided = row_copy(row);
		template_decide(decided);
		rc = commit(rq, row, decided);
		json_object_put(decided);
		if (rc < 0)
			goto out;
	}
	rc = render_success(rq);
out:
	json_object_put(old);
	json_object_put(row);
	json_object_put(components);
	json_object_put(edits);
	return rc;
}

/* DELETE ?name=[&hsm_id=]: every language of the name, or the one id. */
int
template_delete(struct request *rq)
{
	struct store *st = rq->emu->store;
	const char *name, *hsm = params_get(&rq->params, "hsm_id");
	struct json_object *named;
	int64_t hsm_id = 0, now = clock_now(&rq->emu->clock);
	size_t i, n, hits = 0;
	char *cause = NULL;
	int rc = -1;

	if ((name = param_required(rq, "name")) == NULL ||
	    param_string(rq, "name", &name) < 0)
		return -1;
	if (hsm != NULL && param_id("hsm_id", hsm, &hsm_id, &rq->err) < 0)
		return -1;
	named = store_templates_named(st, rq->node, name);
	n = json_object_array_length(named);
	for (i = 0; i < n; i++) {
		struct json_object *t = json_object_array_get_idx(named, i);
		const char *s = row_str(t, "status");

		if (strcmp(s, "PENDING_DELETION") == 0 ||
		    strcmp(s, "DELETED") == 0)
			continue;
		if (hsm_id == 0 || row_id(t, "id") == hsm_id)
			hits++;
	}
	if (hits == 0) {
		if (hsm_id != 0)
			gerr_set(&rq->err, GE_PARAM,
			    "(#100) Param hsm_id: "
			    "message template %lld named \"%s\" was not found",
			    (long long)hsm_id, name);
		else
			gerr_set(&rq->err, GE_PARAM,
			    "(#100) Message template "
			    "\"%s\" was not found",
			    name);
		goto out;
	}
	if (store_begin(st) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		struct json_object *t = json_object_array_get_idx(named, i),
		                   *row = NULL;
		const char *s = row_str(t, "status");
		int r;

		if (strcmp(s, "PENDING_DELETION") == 0 ||
		    strcmp(s, "DELETED") == 0 ||
		    (hsm_id != 0 && row_id(t, "id") != hsm_id))
			continue;
		row = row_copy(t);
		json_object_object_add(row, "status",
		    json_object_new_string("PENDING_DELETION"));
		json_object_object_add(row, "due_at",
		    json_object_new_int64(now + TEMPLATE_HOLD_SECONDS));
		r = template_put(rq->emu, t, row, &cause);
		json_object_put(row);
		if (r < 0)
			goto fail;
	}
	if (store_commit(st) < 0)
		goto fail;
	rc = render_success(rq);
	goto out;
fail:
	store_rollback(st);
	gerr_set(&rq->err, GE_EDIT, "(#300) Edit failure: %s",
	    cause ? cause : "store write failed");
out:
	free(cause);
	json_object_put(named);
	return rc;
}
