/*
 * phone_life.c - a phone number's life after POST phone_numbers:
 * verification codes, registration, the two-step PIN, display-name
 * changes and their review, the business profile and the settings.  The
 * state table and every rule are in docs/phone-numbers.md; limits count
 * on the emulator clock (phonelog.c keeps the logs they count).  Policy
 * (token, MANAGE_PHONE / MANAGE_PHONE_ASSETS / MANAGE) is the pipeline's.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu.h"
#include "fields.h"
#include "handlers.h"
#include "phonelog.h"
#include "render.h"
#include "request.h"
#include "util.h"
#include "webhooks/outbox.h"

/* Meta's limits: codes per hour; register / deregister per 72 hours. */
#define CODES_PER_HOUR 5
#define CODE_WINDOW 3600
#define ACTIONS_PER_WINDOW 10
#define ACTION_WINDOW (72 * 3600)
/* How long a display-name review takes on the clock (templates: 10 s). */
#define NAME_REVIEW_DELAY 10

/* Profile limits from Meta's business profile reference, in characters. */
#define ABOUT_MAX 139
#define ADDRESS_MAX 256
#define DESCRIPTION_MAX 512
#define EMAIL_MAX 128
#define WEBSITES_MAX 2
#define WEBSITE_MAX 256

/* ---- the number's row ---------------------------------------------- */

/* A copy of the request's number to change; the caller puts it. */
static struct json_object *
phone_copy(struct request *rq)
{
	struct json_object *row = store_get(rq->emu->store, TBL_PHONE_NUMBERS,
	                       rq->node),
	                   *copy = NULL;

	json_object_deep_copy(row, &copy, NULL);
	json_object_put(row);
	return copy;
}

static void
set_str(struct json_object *row, const char *key, const char *v)
{
	if (v == NULL)
		json_object_object_del(row, key);
	else
		json_object_object_add(row, key, json_object_new_string(v));
}

/* The number's digits as webhooks show them: "15550783881". */
static char *
webhook_number(struct json_object *row)
{
	return xasprintf("%s%s", row_str(row, "cc"),
	    row_str(row, "phone_number"));
}

/*
 * Writes row and, when field is set, its event, and the phonelog entry
 * `action` (NULL: none), all in one transaction: the event exists
 * exactly when the change committed.  0, or -1 with rq->err (300).
 */
static int
phone_save(struct emu *emu, struct gerr *err, struct json_object *row,
    const char *field, struct json_object *value, const char *action)
{
	struct store *st = emu->store;
	int64_t now = clock_now(&emu->clock), id = row_id(row, "id"), ev;
	char *cause = NULL;

	if (store_begin(st) < 0)
		return gerr_set(err, GE_EDIT, NULL);
	if (store_update(st, TBL_PHONE_NUMBERS, row, &cause) < 0 ||
	    (action != NULL && phonelog_action_add(st, id, action, now) < 0) ||
	    (field != NULL &&
	        outbox_append(emu->outbox, field, row_id(row, "waba"), id,
	            value, now, &ev, &cause) < 0) ||
	    store_commit(st) < 0) {
		store_rollback(st);
		free(cause);
		return gerr_set(err, GE_EDIT, NULL);
	}
	return 0;
}

/* ---- parameters ---------------------------------------------------- */

static bool
digits(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* A text parameter that must be given. */
static int
param_text(struct request *rq, const char *name, const char **out)
{
	if (param_string(rq, name, out) < 0)
		return -1;
	if (*out == NULL || **out == '\0')
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) The parameter %s is required", name);
	return 0;
}

/* The two-step PIN: six digits, as Meta requires. */
static int
param_pin(struct request *rq, const char **pin)
{
	if (param_text(rq, "pin", pin) < 0)
		return -1;
	if (!digits(*pin, 6))
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param pin must be a 6-digit number");
	return 0;
}

static int
messaging_product(struct request *rq)
{
	const char *mp;

	if (param_text(rq, "messaging_product", &mp) < 0)
		return -1;
	if (strcmp(mp, "whatsapp") != 0)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param messaging_product must be \"whatsapp\"");
	return 0;
}

/* ---- verification -------------------------------------------------- */

/*
 * The n-th code sent to a number: six digits from the seed and the
 * number, so a run with the same seed sends the same codes.
 */
static void
make_code(struct request *rq, struct json_object *row, long n, char out[7])
{
	uint64_t h = rq->emu->env.seed ^ 0x70686f6e65ULL;
	const char *p;

	for (p = row_str(row, "cc"); *p != '\0'; p++)
		h = mix64(h ^ (unsigned char)*p);
	h = mix64(h ^ '+');
	for (p = row_str(row, "phone_number"); *p != '\0'; p++)
		h = mix64(h ^ (unsigned char)*p);
	h = mix64(h ^ (uint64_t)n);
	snprintf(out, 7, "%06u", (unsigned)(h % 1000000));
}

/* A language code as Meta's templates spell them: "en", "en_US". */
static bool
language_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > 7)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_'))
			return false;
	return true;
}

int
phone_request_code(struct request *rq)
{
	struct store *st = rq->emu->store;
	int64_t now = clock_now(&rq->emu->clock);
	const char *method, *lang;
	struct json_object *row;
	char code[7];
	long sent;
	int rc = -1;

	if (param_text(rq, "code_method", &method) < 0 ||
	    param_text(rq, "language", &lang) < 0)
		return -1;
	if (strcasecmp(method, "SMS") != 0 && strcasecmp(method, "VOICE") != 0)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param code_method must be one of {SMS, VOICE}");
	if (!language_ok(lang))
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param language must be a language code such as "
		    "en_US");
	if (phonelog_codes_since(st, rq->node, now - CODE_WINDOW + 1) >=
	    CODES_PER_HOUR)
		return gerr_set(&rq->err, GE_CODE_TOO_MANY, NULL);
	row = store_get(st, TBL_PHONE_NUMBERS, rq->node);
	sent = phonelog_codes_since(st, rq->node, INT64_MIN);
	make_code(rq, row, sent, code);
	json_object_put(row);
	if (store_begin(st) < 0)
		return gerr_set(&rq->err, GE_EDIT, NULL);
	if (phonelog_code_add(st, rq->node, code,
	        strcasecmp(method, "SMS") == 0 ? "SMS" : "VOICE", lang,
	        now) < 0 ||
	    store_commit(st) < 0) {
		store_rollback(st);
		return gerr_set(&rq->err, GE_EDIT, NULL);
	}
	rc = render_success(rq);
	return rc;
}

int
phone_verify_code(struct request *rq)
{
	struct json_object *row;
	const char *code;
	char *want;
	bool ok;
	int rc;

	if (param_text(rq, "code", &code) < 0)
		return -1;
	want = phonelog_last_code(rq->emu->store, rq->node);
	ok = want != NULL && strcmp(want, code) == 0;
	free(want);
	if (!ok)
		return gerr_set(&rq->err, GE_CODE_WRONG, NULL);
	row = phone_copy(rq);
	set_str(row, "code_verification_status", "VERIFIED");
	rc = phone_save(rq->emu, &rq->err, row, NULL, NULL, NULL);
	json_object_put(row);
	return rc < 0 ? -1 : render_success(rq);
}

/* ---- registration -------------------------------------------------- */

static int
action_limit(struct request *rq, const char *action)
{
	long n = phonelog_actions_since(rq->emu->store, rq->node, action,
	    clock_now(&rq->emu->clock) - ACTION_WINDOW + 1);

	if (n < 0 || n >= ACTIONS_PER_WINDOW)
		return gerr_set(&rq->err, GE_REGISTER_LIMIT, NULL);
	return 0;
}

int
phone_register(struct request *rq)
{
	struct json_object *row = NULL;
	const char *pin, *region, *have;
	int rc = -1;

	if (messaging_product(rq) < 0 || param_pin(rq, &pin) < 0 ||
	    param_string(rq, "data_localization_region", &region) < 0)
		return -1;
	if (region != NULL &&
	    (strlen(region) != 2 || region[0] < 'A' || region[0] > 'Z' ||
	        region[1] < 'A' || region[1] > 'Z'))
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param data_localization_region must be a 2-letter "
		    "ISO 3166 country code such as DE");
	if (action_limit(rq, "register") < 0)
		return -1;
	row = phone_copy(rq);
	if (strcmp(row_str(row, "code_verification_status"), "VERIFIED") != 0) {
		rc = gerr_set(&rq->err, GE_PARAM,
		    "(#100) The phone number has not been verified: verify it "
		    "with request_code and verify_code before registering it");
		goto out;
	}
	have = row_str(row, "pin");
	if (have != NULL && strcmp(have, pin) != 0) {
		rc = gerr_set(&rq->err, GE_PIN_MISMATCH, NULL);
		goto out;
	}
	/* a first registration sets the two-step PIN, as Meta's does */
	set_str(row, "pin", pin);
	set_str(row, "status", "CONNECTED");
	set_str(row, "platform_type", "CLOUD_API");
	set_str(row, "throughput_level", "STANDARD");
	if (region != NULL)
		set_str(row, "data_localization_region", region);
	json_object_object_add(row, "last_onboarded_time",
	    json_object_new_int64(clock_now(&rq->emu->clock)));
	if (phone_save(rq->emu, &rq->err, row, NULL, NULL, "register") == 0)
		rc = render_success(rq);
out:
	json_object_put(row);
	return rc;
}

int
phone_deregister(struct request *rq)
{
	struct json_object *row;
	int rc = -1;

	if (action_limit(rq, "deregister") < 0)
		return -1;
	row = phone_copy(rq);
	set_str(row, "status", "DISCONNECTED");
	set_str(row, "platform_type", "NOT_APPLICABLE");
	set_str(row, "throughput_level", "NOT_APPLICABLE");
	if (phone_save(rq->emu, &rq->err, row, NULL, NULL, "deregister") == 0)
		rc = render_success(rq);
	json_object_put(row);
	return rc;
}

/* ---- the PIN and the display name ---------------------------------- */

int
phone_update(struct request *rq)
{
	struct json_object *row;
	const char *pin, *name;
	int rc = -1;

	if (param_string(rq, "pin", &pin) < 0 ||
	    param_string(rq, "new_display_name", &name) < 0)
		return -1;
	if (pin == NULL && name == NULL)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) The parameter pin or new_display_name is required");
	if (pin != NULL && !digits(pin, 6))
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param pin must be a 6-digit number");
	if (name != NULL && phone_check_name(rq, "new_display_name", name) < 0)
		return -1;
	phone_life_settle(rq->emu); /* a review due decides first */
	row = phone_copy(rq);
	if (name != NULL &&
	    strcmp(row_str(row, "new_name_status"), "PENDING_REVIEW") == 0) {
		rc = gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param new_display_name: a display name change is "
		    "already under review");
		goto out;
	}
	if (pin != NULL)
		set_str(row, "pin", pin);
	if (name != NULL) {
		set_str(row, "new_display_name", name);
		set_str(row, "new_name_status", "PENDING_REVIEW");
		json_object_object_add(row, "name_review_at",
		    json_object_new_int64(
		        clock_now(&rq->emu->clock) + NAME_REVIEW_DELAY));
	}
	if (phone_save(rq->emu, &rq->err, row, NULL, NULL, NULL) == 0)
		rc = render_success(rq);
out:
	json_object_put(row);
	return rc;
}

/* Whether s holds w (lower case ASCII), in any case. */
static bool
has_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, w, n) == 0)
			return true;
	return false;
}

/*
 * The review's deterministic rule, after Meta's display name guidelines:
 * a name shorter than 3 characters, or one that uses the WhatsApp or
 * Facebook brand, is declined; every other name is approved.
 */
static const char *
name_decline_reason(const char *name)
{
	if (utf8_chars(name) < 3)
		return "NAME_TOO_SHORT";
	if (has_word(name, "whatsapp") || has_word(name, "facebook"))
		return "NAME_USES_META_BRAND";
	return NULL;
}

static void
decide_name(struct emu *emu, int64_t id)
{
	struct json_object *row = store_get(emu->store, TBL_PHONE_NUMBERS, id),
	                   *copy = NULL, *value;
	const char *name, *reason;
	struct gerr err = { 0 };
	char *number;

	if (row == NULL || (name = row_str(row, "new_display_name")) == NULL) {
		json_object_put(row);
		return;
	}
	json_object_deep_copy(row, &copy, NULL);
	json_object_put(row);
	name = row_str(copy, "new_display_name");
	reason = name_decline_reason(name);
	number = webhook_number(copy);
	value = json_object_new_object();
	json_object_object_add(value, "display_phone_number",
	    json_object_new_string(number));
	json_object_object_add(value, "decision",
	    json_object_new_string(reason ? "REJECTED" : "APPROVED"));
	json_object_object_add(value, "requested_verified_name",
	    json_object_new_string(name));
	json_object_object_add(value, "rejection_reason",
	    json_object_new_string(reason ? reason : "NONE"));
	if (reason == NULL)
		set_str(copy, "verified_name", name);
	set_str(copy, "new_name_status", reason ? "DECLINED" : "APPROVED");
	set_str(copy, "new_display_name", NULL);
	json_object_object_del(copy, "name_review_at");
	(void)phone_save(emu, &err, copy, "phone_number_name_update", value,
	    NULL);
	gerr_clear(&err);
	free(number);
	json_object_put(value);
	json_object_put(copy);
}

void
phone_life_settle(struct emu *emu)
{
	struct json_object *due = phonelog_reviews_due(emu->store,
	    clock_now(&emu->clock));
	size_t i;

	for (i = 0; i < json_object_array_length(due); i++)
		decide_name(emu,
		    parse_id(json_object_get_string(
		        json_object_array_get_idx(due, i))));
	json_object_put(due);
}

/* ---- business profile ---------------------------------------------- */

/* Graph field -> column, in the order the GET answers. */
static const struct {
	const char *field;
	const char *col;
} profile_fields[] = {
	{ "about", "profile_about" },
	{ "address", "profile_address" },
	{ "description", "profile_description" },
	{ "email", "profile_email" },
	{ "profile_picture_url", "profile_picture_url" },
	{ "websites", "profile_websites" },
	{ "vertical", "profile_vertical" },
	{ "messaging_product", NULL },
};
#define NPROFILE (sizeof(profile_fields) / sizeof(profile_fields[0]))

static void
profile_add(struct json_object *out, struct json_object *row, size_t i)
{
	struct json_object *v;

	if (profile_fields[i].col == NULL)
		json_object_object_add(out, "messaging_product",
		    json_object_new_string("whatsapp"));
	else if (json_object_object_get_ex(row, profile_fields[i].col, &v) &&
	    v != NULL)
		json_object_object_add(out, profile_fields[i].field,
		    json_object_get(v));
}

int
phone_profile_get(struct request *rq)
{
	struct json_object *row = store_get(rq->emu->store, TBL_PHONE_NUMBERS,
	                       rq->node),
	                   *p = json_object_new_object(), *data;
	size_t i, j;

	if (rq->fields != NULL && rq->fields->n > 0) {
		for (j = 0; j < rq->fields->n; j++) {
			for (i = 0; i < NPROFILE; i++)
				if (strcmp(profile_fields[i].field,
				        rq->fields->v[j].name) == 0)
					break;
			if (i == NPROFILE) {
				json_object_put(p);
				json_object_put(row);
				return gerr_no_field(&rq->err,
				    rq->fields->v[j].name,
				    "WhatsAppBusinessProfile");
			}
			profile_add(p, row, i);
		}
		/* Graph answers messaging_product whatever fields= says */
		profile_add(p, row, NPROFILE - 1);
	} else {
		for (i = 0; i < NPROFILE; i++)
			profile_add(p, row, i);
	}
	json_object_put(row);
	data = json_object_new_array();
	json_object_array_add(data, p);
	rq->result = json_object_new_object();
	json_object_object_add(rq->result, "data", data);
	return 0;
}

/* A profile text: absent (NULL), "" to clear, or at most max characters. */
static int
profile_text(struct request *rq, const char *name, size_t min, size_t max,
    const char **out)
{
	size_t n;

	if (param_string(rq, name, out) < 0)
		return -1;
	if (*out == NULL)
		return 0;
	n = utf8_chars(*out);
	if (n < min || n > max)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param %s must be %zu to %zu characters long, got "
		    "%zu",
		    name, min, max, n);
	return 0;
}

static bool
email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	return at != NULL && at != s && at[1] != '\0' &&
	    strchr(at + 1, '@') == NULL && strchr(at + 1, '.') != NULL &&
	    strpbrk(s, " \t\r\n") == NULL;
}

/* websites: at most 2 http(s) URLs of at most 256 characters each. */
static struct json_object *
profile_websites(struct request *rq, const char *v)
{
	struct json_object *arr = param_array("websites", v, &rq->err);
	size_t i;

	if (arr == NULL)
		return NULL;
	if (json_object_array_length(arr) > WEBSITES_MAX) {
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param websites may hold "
		    "at most %d URLs",
		    WEBSITES_MAX);
		goto bad;
	}
	for (i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		const char *u = json_object_get_string(e);

		if (!json_object_is_type(e, json_type_string) ||
		    (strncmp(u, "http://", 7) != 0 &&
		        strncmp(u, "https://", 8) != 0) ||
		    strpbrk(u, " \t\r\n") != NULL) {
			gerr_set(&rq->err, GE_PARAM,
			    "(#100) Param websites[%zu] "
			    "must be a URL starting with http:// or https://",
			    i);
			goto bad;
		}
		if (utf8_chars(u) > WEBSITE_MAX) {
			gerr_set(&rq->err, GE_PARAM,
			    "(#100) Param websites[%zu] "
			    "is longer than %d characters",
			    i, WEBSITE_MAX);
			goto bad;
		}
	}
	return arr;
bad:
	json_object_put(arr);
	return NULL;
}

int
phone_profile_post(struct request *rq)
{
	const char *about, *address, *desc, *email, *vertical, *handle, *w;
	struct json_object *row, *websites = NULL;
	int rc = -1;

	if (messaging_product(rq) < 0 ||
	    profile_text(rq, "about", 1, ABOUT_MAX, &about) < 0 ||
	    profile_text(rq, "address", 0, ADDRESS_MAX, &address) < 0 ||
	    profile_text(rq, "description", 0, DESCRIPTION_MAX, &desc) < 0 ||
	    profile_text(rq, "email", 0, EMAIL_MAX, &email) < 0 ||
	    param_string(rq, "vertical", &vertical) < 0 ||
	    param_string(rq, "profile_picture_handle", &handle) < 0)
		return -1;
	if (email != NULL && *email != '\0' && !email_ok(email))
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param email must be an email address");
	if (vertical != NULL && !str_in(profile_verticals, vertical)) {
		char *list = obj_values_list(profile_verticals);

		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param vertical must be one "
		    "of {%s}",
		    list);
		free(list);
		return -1;
	}
	if (handle != NULL && *handle == '\0')
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param profile_picture_handle must not be empty");
	w = params_get(&rq->params, "websites");
	if (w != NULL && (websites = profile_websites(rq, w)) == NULL)
		return -1;
	row = phone_copy(rq);
	if (about != NULL)
		set_str(row, "profile_about", about);
	if (address != NULL)
		set_str(row, "profile_address", *address ? address : NULL);
	if (desc != NULL)
		set_str(row, "profile_description", *desc ? desc : NULL);
	if (email != NULL)
		set_str(row, "profile_email", *email ? email : NULL);
	if (vertical != NULL)
		set_str(row, "profile_vertical", vertical);
	if (websites != NULL)
		json_object_object_add(row, "profile_websites",
		    json_object_get(websites));
	if (handle != NULL) {
		/* the upload's handle names the picture; the URL is stable */
		uint64_t h = 0;
		const char *p;
		char *url;

		for (p = handle; *p != '\0'; p++)
			h = mix64(h ^ (unsigned char)*p);
		url = xasprintf("https://pps.whatsapp.net/v/emulator/%s/"
		                "%016llx.jpg",
		    rq->node_id, (unsigned long long)h);

		set_str(row, "profile_picture_url", url);
		free(url);
	}
	if (phone_save(rq->emu, &rq->err, row, NULL, NULL, NULL) == 0)
		rc = render_success(rq);
	json_object_put(websites);
	json_object_put(row);
	return rc;
}

/* ---- settings ------------------------------------------------------ */

int
phone_settings_get(struct request *rq)
{
	struct json_object *row = store_get(rq->emu->store, TBL_PHONE_NUMBERS,
	                       rq->node),
	                   *calling, *storage;
	const char *region = row_str(row, "data_localization_region");

	calling = json_object_new_object();
	row_set_str(calling, "status", row_str(row, "calling_status"));
	row_set_str(calling, "call_icon_visibility",
	    row_str(row, "call_icon_visibility"));
	row_set_str(calling, "callback_permission_status",
	    row_str(row, "callback_permission_status"));
	storage = json_object_new_object();
	json_object_object_add(storage, "status",
	    json_object_new_string(
	        region ? "IN_COUNTRY_STORAGE_ENABLED" : "DEFAULT"));
	if (region != NULL)
		json_object_object_add(storage, "data_localization_region",
		    json_object_new_string(region));
	json_object_put(row);
	rq->result = json_object_new_object();
	json_object_object_add(rq->result, "calling", calling);
	json_object_object_add(rq->result, "storage_configuration", storage);
	return 0;
}

/* Parameters every Graph call may carry, which are not settings. */
static const char *const transport_params[] = { "access_token",
	"appsecret_proof", "appsecret_time", "method", "suppress_http_code",
	"pretty", "format", "fields", "locale", NULL };

/* calling's settable keys, their columns and domains */
static const struct {
	const char *key;
	const char *col;
	const char *const *values;
} calling_keys[] = {
	{ "status", "calling_status", calling_statuses },
	{ "call_icon_visibility", "call_icon_visibility",
	    call_icon_visibilities },
	{ "callback_permission_status", "callback_permission_status",
	    calling_statuses },
};
#define NCALLING (sizeof(calling_keys) / sizeof(calling_keys[0]))

/* Applies calling's keys to row: 0, or -1 with rq->err. */
static int
settings_calling(struct request *rq, const char *text, struct json_object *row)
{
	struct json_object *c = json_tokener_parse(text);
	int rc = -1;
	size_t i;

	if (c == NULL || !json_object_is_type(c, json_type_object)) {
		gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param calling must be a JSON object");
		goto out;
	}
	json_object_object_foreach(c, key, v) {
		for (i = 0; i < NCALLING; i++)
			if (strcmp(calling_keys[i].key, key) == 0)
				break;
		if (i == NCALLING) {
			gerr_set(&rq->err, GE_PARAM,
			    "(#100) Param calling[%s] "
			    "is not a calling setting the emulator knows "
			    "(status, call_icon_visibility, "
			    "callback_permission_status)",
			    key);
			goto out;
		}
		if (!json_object_is_type(v, json_type_string) ||
		    !str_in(calling_keys[i].values,
		        json_object_get_string(v))) {
			char *list = obj_values_list(calling_keys[i].values);

			gerr_set(&rq->err, GE_PARAM,
			    "(#100) Param calling[%s] "
			    "must be one of {%s}",
			    key, list);
			free(list);
			goto out;
		}
		set_str(row, calling_keys[i].col, json_object_get_string(v));
	}
	rc = 0;
out:
	json_object_put(c);
	return rc;
}

int
phone_settings_post(struct request *rq)
{
	struct json_object *row;
	const char *calling = NULL;
	size_t i;
	int rc = -1;

	for (i = 0; i < rq->params.n; i++) {
		const char *name = rq->params.v[i].name;

		if (strcmp(name, "calling") == 0)
			calling = rq->params.v[i].value;
		else if (!str_in(transport_params, name))
			return gerr_set(&rq->err, GE_PARAM,
			    "(#100) Param %s is not a phone number setting "
			    "(calling)",
			    name);
	}
	if (calling == NULL)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) The parameter calling is required");
	row = phone_copy(rq);
	if (settings_calling(rq, calling, row) == 0 &&
	    phone_save(rq->emu, &rq->err, row, NULL, NULL, NULL) == 0)
		rc = render_success(rq);
	json_object_put(row);
	return rc;
}
