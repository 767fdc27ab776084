/*
 * faults.h - injected faults: rules that match a method and a path pattern
 * and answer a Graph error, add latency or drop the connection; always,
 * the next N times, every Nth time, or with probability P from a seed.
 * A rule that matches a webhook field instead ("match": {"webhook":
 * "account_update"}) acts on the worker's deliveries: it delays, drops,
 * duplicates or mis-signs them (webhooks/deliver.c).
 *
 * Ownership: faults_new() / faults_free().  Not thread-safe: callers hold
 * emu->lock.
 */
#ifndef WABA_FAULTS_H
#define WABA_FAULTS_H

#include <stdbool.h>
#include <stdint.h>

#include "gerr.h"

struct faults;
struct json_object;

struct fault_action {
	bool has_error;
	struct gerr err; /* caller clears when has_error */
	unsigned latency_ms;
	bool drop;
	bool duplicate;       /* webhook rules: the delivery is sent twice */
	bool wrong_signature; /* webhook rules: signed with another secret */
	int64_t rule_id;
};

struct faults *faults_new(void);
void faults_free(struct faults *f);
/*
 * Adds a rule from its JSON (README).  Returns 0 with *id, or -1
 * with *cause and *field (the JSON path of the bad input; both caller
 * frees) and nothing added.
 */
int faults_add(struct faults *f, struct json_object *rule, int64_t *id,
    char **cause, char **field);
/* 0, or -1 when no rule has that id. */
int faults_delete(struct faults *f, int64_t id);
void faults_clear(struct faults *f);
/* {"data":[rules with their ids and hit counts]} */
struct json_object *faults_list(const struct faults *f);
/*
 * Looks for the first rule matching method and path (version prefix
 * included) that fires on this call, advancing rule counters.  True with
 * *out filled when one fires.
 */
bool faults_match(struct faults *f, const char *method, const char *path,
    struct fault_action *out);
/* The same for a delivery of a webhook field, among the webhook rules. */
bool faults_match_webhook(struct faults *f, const char *field,
    struct fault_action *out);

#endif
