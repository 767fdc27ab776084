/*
 * life.h - a template's life on the emulator clock (docs/templates.md):
 * review, pauses, deletion and the four-week hold, each transition written
 * with its webhook event in the caller's store transaction.
 *
 * Everything here runs under emu->lock.  Rows passed in stay the
 * caller's; a row given to template_put() is changed in place (stamps,
 * counters) before it is written.
 */
#ifndef WABA_TEMPLATES_LIFE_H
#define WABA_TEMPLATES_LIFE_H

#include <stdint.h>

struct emu;
struct json_object;

/* How long a deleted template's name and language stay held: four weeks. */
#define TEMPLATE_HOLD_SECONDS (28 * 86400)

/*
 * Writes row: a new template when old is NULL, else a changed copy of
 * old.  Appends message_template_status_update when the status changed
 * (or the template is new), message_template_quality_update and
 * template_category_update when those did.  The caller has begun a
 * transaction and commits it.  0, or -1 with *cause (caller frees).
 */
int template_put(struct emu *emu, struct json_object *old,
    struct json_object *row, char **cause);

/*
 * Sets row's status to PENDING with its review due after the review delay
 * (--template-review-seconds); with no delay, decides it at once.
 */
void template_submit(struct emu *emu, struct json_object *row);

/*
 * The review's outcome for a PENDING row, by the rule docs/templates.md
 * gives (name prefixes): APPROVED, or REJECTED with a reason; a UTILITY
 * template named marketing_... is approved as MARKETING.
 */
void template_decide(struct json_object *row);

/*
 * Moves the templates whose due time the clock has passed, oldest first,
 * in one transaction; nothing under --read-only.  Costs no store query
 * while the store is unchanged and nothing is due (a memo on emu).
 */
void templates_sweep(struct emu *emu);

#endif
