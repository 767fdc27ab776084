/*
 * account.h - account_update events for changes that reach the store
 * outside a Graph handler: a fixture load (POST /_emulator/fixtures)
 * that shares a WABA with a business raises PARTNER_ADDED, as Graph does
 * when a customer shares a WABA with a partner.  docs/webhooks.md lists
 * which changes raise which events.
 */
#ifndef WABA_WEBHOOKS_ACCOUNT_H
#define WABA_WEBHOOKS_ACCOUNT_H

#include <stdint.h>

#include "objects.h"

struct store;
struct json_object;

/*
 * A fixture_hook's added() (fixtures.h); ctx is the struct outbox.  For
 * each new share row, appends account_update PARTNER_ADDED of its WABA
 * inside the load's transaction.
 */
int account_fixture_added(void *ctx, struct store *st, enum store_table t,
    struct json_object *rows, int64_t now, char **cause);

#endif
