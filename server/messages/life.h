/*
 * life.h - a message's life on the emulator clock (docs/messages.md):
 * its wamid, its statuses accepted -> sent -> delivered -> read (or
 * failed, when the control plane says so), a customer's message coming
 * in, and the 24-hour window it opens.  Each change is written with its
 * `messages` webhook event in one store transaction.
 *
 * Everything here runs under emu->lock.  Strings returned are the
 * caller's; rows passed in stay the caller's.
 */
#ifndef WABA_MESSAGES_LIFE_H
#define WABA_MESSAGES_LIFE_H

#include <stdbool.h>
#include <stdint.h>

struct emu;
struct json_object;

/* How long a customer's message lets the business write freely. */
#define MESSAGE_WINDOW_SECONDS (24 * 3600)

/* Whether wa_id wrote to phone in the last 24 hours of the clock. */
bool message_window_open(struct emu *emu, int64_t phone, const char *wa_id);

/*
 * Stores row (an outbound message: phone, wa_id, type and its content)
 * with a new wamid as its "id", accepted now, its first status due after
 * the first delay; its own transaction.  A wamid is "wamid." and base64
 * of the customer's number and digits drawn from the seed and the
 * message's place in the state, so a run with the same seed and the
 * same requests gets the same ids.
 * 0, or -1 with *cause (caller frees).
 */
int message_accept(struct emu *emu, struct json_object *row, char **cause);

/*
 * A customer (from, digits) writes text to phone: stores it and appends
 * the `messages` event with contacts and messages, in one transaction.
 * name NULL: the profile name is the number.  0 with *id (caller frees),
 * or -1 with *cause.
 */
int message_inbound(struct emu *emu, int64_t phone, const char *from,
    const char *name, const char *text, char **id, char **cause);

/*
 * Fails the outbound message id with code: status failed, no more
 * statuses, and a `failed` status event whose errors[] carry code, title
 * (NULL: the Cloud API's title for the code, or a generic one) and
 * details (NULL: the title).  1 when there is no such outbound message,
 * 2 when it has failed already, 0 done, -1 with *cause.
 */
int message_fail(struct emu *emu, const char *id, int code, const char *title,
    const char *details, char **cause);

/*
 * Moves the messages whose next status the clock has reached, each step
 * with its event, in one transaction; nothing under --read-only.  Costs
 * no store query while the store is unchanged and nothing is due.  True
 * when it moved some (more may be due).
 */
bool messages_sweep(struct emu *emu);
/*
 * When the next status comes due as far as the sweep knows: INT64_MAX
 * when none, the clock's now when the sweep must look again.  The
 * webhook worker sleeps until then (server/webhooks/deliver.c), so
 * statuses go out without waiting for a request.
 */
int64_t messages_next_due(struct emu *emu);

#endif
