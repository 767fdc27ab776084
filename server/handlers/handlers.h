/*
 * handlers.h - one function per Graph operation, named <resource>_<verb>.
 * Each returns 0 with rq->result set, or -1 with rq->err set; the pipeline
 * has already checked the token, permission, rate limit and read-only mode.
 */
#ifndef WABA_HANDLERS_H
#define WABA_HANDLERS_H

#include <stdbool.h>
#include <stddef.h>

struct request;
struct filter;

/* GET /{id} of every node type but a phone number's (phone_get()). */
int node_get(struct request *rq);
/* GET /{id}/{edge} of a list edge (render_edge()). */
int edge_list(struct request *rq);
int phone_create(struct request *rq);
int phone_get(struct request *rq);
int phone_request_code(struct request *rq);
int phone_verify_code(struct request *rq);
int phone_register(struct request *rq);
int phone_deregister(struct request *rq);
int phone_update(struct request *rq);
int phone_profile_get(struct request *rq);
int phone_profile_post(struct request *rq);
int phone_settings_get(struct request *rq);
int phone_settings_post(struct request *rq);
int assigned_users_list(struct request *rq);
int assigned_users_add(struct request *rq);
int assigned_users_remove(struct request *rq);
int template_create(struct request *rq);
int template_delete(struct request *rq);
int template_item_get(struct request *rq);
int template_edit(struct request *rq);
/* message_templates' filters from plain parameters (render.h). */
int template_filters(struct request *rq, bool nested, struct filter **out,
    size_t *n);
int message_send(struct request *rq);
int user_permissions(struct request *rq);
int debug_token_get(struct request *rq);
int oauth_access_token(struct request *rq);
int app_subscriptions_list(struct request *rq);
int app_subscriptions_add(struct request *rq);
int app_subscriptions_remove(struct request *rq);
int subscribed_apps_list(struct request *rq);
int subscribed_apps_add(struct request *rq);
int subscribed_apps_remove(struct request *rq);
int batch_post(struct request *rq);
int ids_get(struct request *rq);

/*
 * A display name as Meta's guidelines let one be asked for, in parameter
 * param: 0, or -1 with rq->err (100).
 */
int phone_check_name(struct request *rq, const char *param, const char *name);

struct emu;
/*
 * Decides every display-name review whose delay has passed on the clock,
 * each with its phone_number_name_update event.  Callers hold emu->lock.
 */
void phone_life_settle(struct emu *emu);

/*
 * "/me": the token's user.  me_resolve() makes rq's node that user, or
 * fails with Graph's 2500 when there is no token or an app token.
 */
bool me_path(const char *segment);
int me_resolve(struct request *rq);

#endif
