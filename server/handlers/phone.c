/*
 * phone.c - phone numbers: the WABA's list edge, the node read, and adding
 * or migrating a number (docs/decisions.md: cc, limits, 200000).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "emu.h"
#include "fixtures.h"
#include "handlers.h"
#include "params.h"
#include "render.h"
#include "request.h"
#include "util.h"

int
phone_get(struct request *rq)
{
	struct json_object *row = store_get(rq->emu->store, TBL_PHONE_NUMBERS,
	    rq->node);
	int rc;

	/* a name review that came due on the clock is decided before the
	 * read shows it (the row then changed: read it again) */
	if (row_int(row, "name_review_at") > 0 &&
	    row_int(row, "name_review_at") <= clock_now(&rq->emu->clock)) {
		json_object_put(row);
		phone_life_settle(rq->emu);
		row = store_get(rq->emu->store, TBL_PHONE_NUMBERS, rq->node);
	}
	rc = render_read(rq, NODE_PHONE, row);

	json_object_put(row);
	return rc;
}

static bool
all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * A display name as Meta's guidelines allow one to be asked for: text
 * that is not blank and has no control characters (C0, DEL or C1), at
 * most DISPLAY_NAME_MAX characters.  The guidelines' other rules (three
 * characters at least, capitalisation, no emoji) are the name review's,
 * not the call's.  The value is valid UTF-8 by now.
 */
#define DISPLAY_NAME_MAX 256

/* The length of the Unicode space (or zero-width space) at p, else 0. */
static size_t
space_at(const unsigned char *p)
{
	if (p[0] == ' ')
		return 1;
	if (p[0] == 0xc2 && p[1] == 0xa0) /* U+00A0 */
		return 2;
	if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] <= 0x8b || p[2] == 0xaf))
		return 3; /* U+2000..U+200B, U+202F */
	if ((p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f) || /* U+205F */
	    (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) || /* U+3000 */
	    (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf))   /* U+FEFF */
		return 3;
	return 0;
}

int
phone_check_name(struct request *rq, const char *param, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t chars = 0;
	bool blank = true;

	while (*p != '\0') {
		size_t sp = space_at(p);

		if (*p < 0x20 || *p == 0x7f ||
		    (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return gerr_set(&rq->err, GE_PARAM,
			    "(#100) Param %s must not contain control "
			    "characters",
			    param);
		if (sp == 0)
			blank = false;
		if ((*p & 0xc0) != 0x80)
			chars++;
		p += sp > 0 ? sp : 1;
	}
	if (blank)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param %s must not be blank", param);
	if (chars > DISPLAY_NAME_MAX)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param %s is too long: at most %d characters, got "
		    "%zu",
		    param, DISPLAY_NAME_MAX, chars);
	return 0;
}

/* The WABA's phone_number_limit, or 2 / 20 by the owner's verification. */
static long
phone_limit(struct request *rq, struct json_object *waba)
{
	struct json_object *biz;
	const char *v;
	long limit;

	if (row_int(waba, "phone_number_limit") > 0)
		return (long)row_int(waba, "phone_number_limit");
	biz = store_get(rq->emu->store, TBL_BUSINESSES,
	    row_id(waba, "business"));
	v = row_str(biz, "verification_status");
	limit = v && strcmp(v, "verified") == 0 ? 20 : 2;
	json_object_put(biz);
	return limit;
}

static int
at_limit(struct request *rq, struct json_object *waba)
{
	if (store_count_phones(rq->emu->store, rq->node, NULL) >=
	    phone_limit(rq, waba))
		return gerr_set(&rq->err, GE_PHONE_ADD, NULL);
	return 0;
}

/* Answers {"id":...}; the pipeline reads the number back for fields=. */
static int
created(struct request *rq, int64_t id)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)id);
	rq->result = json_object_new_object();
	json_object_object_add(rq->result, "id", json_object_new_string(buf));
	rq->raw_type = NODE_PHONE;
	rq->raw_id = id;
	return 0;
}

/* The one answer for a number on no WABA and one on a WABA out of sight. */
static int
not_registered(struct request *rq)
{
	return gerr_set(&rq->err, GE_PARAM,
	    "(#100) Param migrate_phone_number: the phone number is not "
	    "registered on any WhatsApp Business Account, so it cannot be "
	    "migrated");
}

/*
 * A number stays in the portfolio of the business that owns its WABA:
 * the destination is that business's own, or shared with it (a partner's
 * WABA on behalf of it).
 */
static bool
same_portfolio(struct request *rq, struct json_object *dst, int64_t src)
{
	struct json_object *from = store_get(rq->emu->store, TBL_WABAS, src);
	struct json_object *share = NULL;
	int64_t owner = row_id(from, "business");
	bool ok = owner != 0 && owner == row_id(dst, "business");

	if (!ok && owner != 0)
		share = store_share(rq->emu->store, rq->node, owner);
	ok = ok || share != NULL;
	json_object_put(share);
	json_object_put(from);
	return ok;
}

/*
 * Moving a number takes from one WABA and adds to another: the caller
 * needs on the source what adding needs here (the route checked this
 * WABA).  A source the token cannot read answers as no number at all.
 */
static int
migrate(struct request *rq, struct json_object *waba,
    struct json_object *existing)
{
	struct store *st = rq->emu->store;
	char *cause = NULL;
	struct json_object *moved;
	char buf[24];
	int64_t id, src;

	if (existing == NULL)
		return not_registered(rq);
	src = row_id(existing, "waba");
	if (auth_check_waba(rq, src, PERM_WABA_READ) < 0)
		return not_registered(rq);
	if (src == rq->node)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param migrate_phone_number: the phone number is "
		    "already on this WhatsApp Business Account");
	if (auth_check_waba(rq, src, PERM_WABA_PHONE) < 0)
		return -1;
	if (!same_portfolio(rq, waba, src))
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param migrate_phone_number: the phone number's "
		    "WhatsApp Business Account %lld and this one do not belong "
		    "to the same business portfolio",
		    (long long)src);
	if (at_limit(rq, waba) < 0)
		return -1;
	id = row_id(existing, "id");
	snprintf(buf, sizeof(buf), "%lld", (long long)rq->node);
	/* store rows are read-only (they may be the cache's): change a copy */
	moved = row_copy(existing);
	row_set_str(moved, "waba", buf);
	if (store_update_alone(st, TBL_PHONE_NUMBERS, moved, &cause) < 0) {
		free(cause);
		json_object_put(moved);
		return gerr_set(&rq->err, GE_EDIT, NULL);
	}
	json_object_put(moved);
	return created(rq, id);
}

int
phone_create(struct request *rq)
{
	struct store *st = rq->emu->store;
	const char *cc, *number, *name, *mig, *pre;
	struct json_object *waba = NULL, *existing = NULL, *phone, *made = NULL;
	struct fixture_error fe = { NULL, NULL, false };
	bool migrating = false;
	int64_t pre_id;
	int rc = -1;

	if ((cc = param_required(rq, "cc")) == NULL ||
	    (number = param_required(rq, "phone_number")) == NULL)
		return -1;
	mig = params_get(&rq->params, "migrate_phone_number");
	if (mig != NULL &&
	    param_bool("migrate_phone_number", mig, &migrating, &rq->err) < 0)
		return -1;
	/* no calling code starts with 0: "01" would be a second +1 */
	if (!all_digits(cc, 1, 3) || cc[0] == '0')
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param cc must be a country calling code of 1 to 3 "
		    "digits, got \"%s\"",
		    cc);
	if (!all_digits(number, 1, 15))
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param phone_number must contain digits only, "
		    "without the country code or \"+\", got \"%s\"",
		    number);
	if (strlen(cc) + strlen(number) > 15)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param phone_number is too long: cc and "
		    "phone_number together may have at most 15 digits");
	/* the North American Numbering Plan: 3-digit area code, 7 digits */
	if (strcmp(cc, "1") == 0 && strlen(number) != 10)
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) Param phone_number must have 10 digits for country "
		    "code 1, got %zu",
		    strlen(number));
	if (param_string(rq, "verified_name", &name) < 0)
		return -1;
	if (!migrating && (name == NULL || *name == '\0'))
		return gerr_set(&rq->err, GE_PARAM,
		    "(#100) The parameter verified_name is required");
	if (name != NULL && *name != '\0' &&
	    phone_check_name(rq, "verified_name", name) < 0)
		return -1;
	pre = params_get(&rq->params, "preverified_id");
	if (pre != NULL && *pre != '\0' &&
	    param_id("preverified_id", pre, &pre_id, &rq->err) < 0)
		return -1;
	waba = store_get(st, TBL_WABAS, rq->node);
	existing = store_phone_by_number(st, cc, number);
	if (migrating) {
		rc = migrate(rq, waba, existing);
		goto out;
	}
	if (existing != NULL || at_limit(rq, waba) < 0) {
		rc = gerr_set(&rq->err, GE_PHONE_ADD, NULL);
		goto out;
	}
	phone = json_object_new_object();
	row_set_str(phone, "waba", rq->node_id);
	row_set_str(phone, "cc", cc);
	row_set_str(phone, "phone_number", number);
	row_set_str(phone, "verified_name", name);
	if (pre != NULL && *pre != '\0')
		row_set_str(phone, "preverified_id", pre);
	if (fixtures_apply_row(st, "phone_numbers", phone, "request", true,
	        clock_now(&rq->emu->clock), &made, &fe) < 0) {
		/* the checks above make this a store failure */
		rc = gerr_set(&rq->err, GE_EDIT, "(#300) Edit failure: %s",
		    fe.message ? fe.message : "store write failed");
	} else {
		struct json_object *ids = json_object_object_get(made,
		    "phone_numbers");

		rc = created(rq,
		    parse_id(json_object_get_string(
		        json_object_array_get_idx(ids, 0))));
	}
	json_object_put(made);
	fixture_error_cleanup(&fe);
out:
	json_object_put(waba);
	json_object_put(existing);
	return rc;
}
