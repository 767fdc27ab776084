/*
 * life.c - see life.h.  The events' shapes are those of Meta's webhook
 * reference for the whatsapp_business_account fields
 * message_template_status_update, message_template_quality_update and
 * template_category_update.
 */
#include "templates/life.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"
#include "row.h"
#include "store.h"
#include "util.h"
#include "webhooks/outbox.h"

/* Most templates one sweep moves; the next request moves the rest. */
#define SWEEP_BATCH 500

/* The keys every template event starts with. */
static struct json_object *
event_base(struct json_object *row)
{
	struct json_object *v = json_object_new_object();

	row_set_int(v, "message_template_id", row_id(row, "id"));
	row_set_str(v, "message_template_name", row_str(row, "name"));
	row_set_str(v, "message_template_language", row_str(row, "language"));
	return v;
}

static int
append(struct emu *emu, const char *field, struct json_object *row,
    struct json_object *value, char **cause)
{
	int64_t id;
	int rc = outbox_append(emu->outbox, field, row_id(row, "waba"), 0,
	    value, clock_now(&emu->clock), &id, cause);

	json_object_put(value);
	return rc;
}

static void
other_info(struct json_object *v, const char *title, const char *desc)
{
	struct json_object *o = json_object_new_object();

	row_set_str(o, "title", title);
	row_set_str(o, "description", desc);
	json_object_object_add(v, "other_info", o);
}

static int
status_event(struct emu *emu, struct json_object *old, struct json_object *row,
    char **cause)
{
	const char *st = row_str(row, "status");
	const char *was = old ? row_str(old, "status") : NULL;
	struct json_object *v = event_base(row);

	row_set_str(v, "event", st);
	/* a template scheduled for deletion has no reason: null */
	if (strcmp(st, "PENDING_DELETION") == 0)
		json_object_object_add(v, "reason", NULL);
	else
		row_set_str(v, "reason",
		    strcmp(st, "REJECTED") == 0 ?
		        row_str(row, "rejected_reason") :
		        "NONE");
	row_set_str(v, "message_template_category", row_str(row, "category"));
	if (strcmp(st, "PAUSED") == 0)
		other_info(v,
		    row_int(row, "pauses") > 1 ? "SECOND_PAUSE" : "FIRST_PAUSE",
		    "Your template has been paused because "
		    "of low quality");
	else if (strcmp(st, "APPROVED") == 0 && str_same(was, "PAUSED"))
		other_info(v, "UNPAUSE", "Your template has been unpaused");
	else if (strcmp(st, "DISABLED") == 0) {
		struct json_object *d = json_object_new_object();

		row_set_int(d, "disable_date", clock_now(&emu->clock));
		json_object_object_add(v, "disable_info", d);
		other_info(v, "DISABLED",
		    "Your template has been disabled "
		    "because of repeated low quality");
	}
	return append(emu, "message_template_status_update", row, v, cause);
}

int
template_put(struct emu *emu, struct json_object *old, struct json_object *row,
    char **cause)
{
	int64_t now = clock_now(&emu->clock);
	const char *st = row_str(row, "status");
	struct json_object *v;
	bool moved = old == NULL || !str_same(row_str(old, "status"), st);
	bool quality = old != NULL &&
	    !str_same(row_str(old, "quality_score"),
	        row_str(row, "quality_score"));
	bool category = old != NULL &&
	    !str_same(row_str(old, "category"), row_str(row, "category"));

	row_set_int(row, "updated_at", now);
	if (quality)
		row_set_int(row, "quality_updated", now);
	if (moved && strcmp(st, "PAUSED") == 0)
		row_set_int(row, "pauses", row_int(row, "pauses") + 1);
	if (category)
		row_set_str(row, "previous_category", row_str(old, "category"));
	if ((old == NULL ?
	            store_insert(emu->store, TBL_TEMPLATES, row, cause) :
	            store_update(emu->store, TBL_TEMPLATES, row, cause)) < 0)
		return -1;
	if (moved && status_event(emu, old, row, cause) < 0)
		return -1;
	if (quality) {
		v = event_base(row);
		row_set_str(v, "previous_quality_score",
		    row_str(old, "quality_score"));
		row_set_str(v, "new_quality_score",
		    row_str(row, "quality_score"));
		if (append(emu, "message_template_quality_update", row, v,
		        cause) < 0)
			return -1;
	}
	if (category) {
		v = event_base(row);
		row_set_str(v, "previous_category", row_str(old, "category"));
		row_set_str(v, "new_category", row_str(row, "category"));
		if (append(emu, "template_category_update", row, v, cause) < 0)
			return -1;
	}
	return 0;
}

/*
 * Name prefixes that reject, and their reasons; the first match wins, so
 * the bare "reject_" comes last.
 */
static const struct {
	const char *prefix;
	const char *reason;
} reject_rules[] = {
	/* prefix				reason */
	{ "reject_abusive_content", "ABUSIVE_CONTENT" },
	{ "reject_category_not_available", "CATEGORY_NOT_AVAILABLE" },
	{ "reject_incorrect_category", "INCORRECT_CATEGORY" },
	{ "reject_invalid_format", "INVALID_FORMAT" },
	{ "reject_promotional", "PROMOTIONAL" },
	{ "reject_scam", "SCAM" },
	{ "reject_tag_content_mismatch", "TAG_CONTENT_MISMATCH" },
	{ "reject_", "INVALID_FORMAT" },
};

void
template_decide(struct json_object *row)
{
	const char *name = row_str(row, "name");
	size_t i;

	json_object_object_add(row, "due_at", NULL);
	for (i = 0; i < sizeof(reject_rules) / sizeof(reject_rules[0]); i++) {
		if (strncmp(name, reject_rules[i].prefix,
		        strlen(reject_rules[i].prefix)) == 0) {
			row_set_str(row, "status", "REJECTED");
			row_set_str(row, "rejected_reason",
			    reject_rules[i].reason);
			return;
		}
	}
	row_set_str(row, "status", "APPROVED");
	row_set_str(row, "rejected_reason", "NONE");
	if (strcmp(row_str(row, "category"), "UTILITY") == 0 &&
	    strncmp(name, "marketing_", 10) == 0)
		row_set_str(row, "category", "MARKETING");
}

void
template_submit(struct emu *emu, struct json_object *row)
{
	row_set_str(row, "status", "PENDING");
	row_set_str(row, "rejected_reason", "NONE");
	row_set_int(row, "due_at",
	    clock_now(&emu->clock) + emu->env.template_review);
}

/* The next state of a due row: decided, or deleted for good. */
static void
advance(struct json_object *row)
{
	const char *st = row_str(row, "status");

	if (strcmp(st, "PENDING") == 0) {
		template_decide(row);
		return;
	}
	if (strcmp(st, "PENDING_DELETION") == 0)
		row_set_str(row, "status", "DELETED");
	json_object_object_add(row, "due_at", NULL);
}

void
templates_sweep(struct emu *emu)
{
	struct store *st = emu->store;
	int64_t now = clock_now(&emu->clock), next;
	struct json_object *due;
	char *cause = NULL;
	size_t i, n;

	/* --read-only promises an unchanging state: the clock moves nothing */
	if (emu->env.read_only ||
	    (emu->tmpl_version == store_version(st) &&
	        now < emu->tmpl_next_due))
		return;
	next = store_templates_next_due(st);
	if (next < 0 || next > now) {
		emu->tmpl_version = store_version(st);
		emu->tmpl_next_due = next < 0 ? now + 1 : next;
		return;
	}
	due = store_templates_due(st, now, SWEEP_BATCH);
	n = json_object_array_length(due);
	if (store_begin(st) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		struct json_object *old = json_object_array_get_idx(due, i),
		                   *row = NULL;
		int rc;

		row = row_copy(old);
		advance(row);
		rc = template_put(emu, old, row, &cause);
		json_object_put(row);
		if (rc < 0)
			break;
	}
	if (i < n || store_commit(st) < 0)
		store_rollback(st);
out:
	free(cause);
	json_object_put(due);
	/* look again next time: more may be due, or a write failed */
	emu->tmpl_version = 0;
}
