/*
 * auth.h - who is calling and what they may do (README, errors): token
 * lookup and state, app secret proof, and the permission rules the
 * pipeline applies to a route's node before its handler runs.
 *
 * The pipeline's authorize() decides once per call, from the route, for
 * the node the path names.  What it cannot see is checked where it
 * appears, with these functions, and stays there:
 * - render.c and getters.c, for what a read shows beyond its node: a
 *   nested edge asked for as a field (phone_numbers, message_templates,
 *   assigned_users, the owned and client WABA lists of a business) needs
 *   the permission its own route would, and a list shows only the WABAs
 *   a granular token reaches (auth_waba_targets()), row by row and page
 *   by page;
 * - phone.c, for the WABA a number is moved from: the number's row
 *   names it, not the path;
 * - assigned_users.c and render_assigned_business(), for the business=
 *   parameter, which must be the caller's own (auth_business());
 * - debug_token.c and oauth.c, for the token they inspect or exchange
 *   (auth_token_state()), and whether the caller may see it: that is the
 *   endpoint's answer, not a rule on the caller.
 */
#ifndef WABA_AUTH_H
#define WABA_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "gerr.h"
#include "route.h"

struct emu;
struct request;
struct json_object;
struct sbuf;

/*
 * Finds the token (access_token param first, then Authorization: Bearer or
 * OAuth) and checks it: 104 when there is none, 190 (and its subcodes) or
 * 102 when it is not usable.  Fills rq->token, token_user, token_app,
 * token_row.
 */
int auth_token(struct request *rq);
/*
 * Whether a token row is usable at now (emulator clock): 0, or -1 with
 * err set to its 102 or 190 error, the expiry dated as Graph dates it.
 */
int auth_token_state(struct json_object *row, int64_t now, struct gerr *err);
/* True when the request carries any token at all. */
bool auth_has_token(const struct request *rq);
/* appsecret_proof (and appsecret_time) when sent or required by the app. */
int auth_proof(struct request *rq);
/* The route's permission on rq->node: 0, or -1 with 100/33, 200 or 368. */
int auth_check(struct request *rq, enum perm perm);
/*
 * Same rule for another WABA (nested reads, lists).  A grant is
 * remembered per token, WABA and permission until the store next changes.
 */
int auth_check_waba(struct request *rq, int64_t waba, enum perm perm);
/*
 * When the token's granular scopes limit the WABAs it reaches: true, with
 * their ids appended to ids as a JSON array of integers, for a list to
 * show only those (store.h's list_query ids).  False: no limit.
 */
bool auth_waba_targets(const struct request *rq, struct sbuf *ids);
/* The business of the token's user; 0 for an app token. */
int64_t auth_business(const struct request *rq);
/* Forgets the remembered grants (emu_cleanup()). */
void auth_memo_free(struct emu *emu);

#endif
