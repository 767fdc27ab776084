/*
 * phonelog.h - the phone-life logs of schema/004_phone_life.sql: the
 * verification codes "sent" and the register / deregister calls, which
 * Meta's limits count over moving windows, and the name reviews due.
 * They live on the store's connection (like the webhook outbox), so
 * every call runs under emu->lock and writes join the caller's store
 * transaction.
 *
 * Ownership: strings and json objects returned are the caller's.
 */
#ifndef WABA_PHONELOG_H
#define WABA_PHONELOG_H

#include <stdint.h>

struct store;
struct json_object;

/* Records a code sent to phone at `at`.  0, or -1. */
int phonelog_code_add(struct store *st, int64_t phone, const char *code,
    const char *method, const char *language, int64_t at);
/* Codes sent to phone at or after since; -1 on error. */
long phonelog_codes_since(struct store *st, int64_t phone, int64_t since);
/* The newest code sent to phone, or NULL when none was. */
char *phonelog_last_code(struct store *st, int64_t phone);
/* {"data":[{code, code_method, language, sent_at}]}, newest first. */
struct json_object *phonelog_codes(struct store *st, int64_t phone);

/* Records a successful "register" or "deregister" at `at`.  0, or -1. */
int phonelog_action_add(struct store *st, int64_t phone, const char *action,
    int64_t at);
/* Such calls at or after since; -1 on error. */
long phonelog_actions_since(struct store *st, int64_t phone, const char *action,
    int64_t since);

/* Ids (a JSON array of strings) of numbers whose name review is due. */
struct json_object *phonelog_reviews_due(struct store *st, int64_t now);

#endif
