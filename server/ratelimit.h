/*
 * ratelimit.h - the business-use-case limiter (README): calls per
 * app and WABA over a rolling window on the emulator clock.
 *
 * Ownership: ratelimit_new() / ratelimit_free(); returned strings are the
 * caller's.  The counters are not thread-safe (callers hold emu->lock);
 * the header writers only read the usage they are given.
 */
#ifndef WABA_RATELIMIT_H
#define WABA_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit;

struct rl_usage {
	int call_count;    /* percent of the limit used in the window */
	int total_cputime; /* percent, derived */
	int total_time;    /* percent, derived */
	int regain_minutes; /* estimated_time_to_regain_access, 0 unless throttled */
	bool throttled; /* the call was refused */
};

struct ratelimit *ratelimit_new(long limit, long limit_active,
    long window_seconds);
void ratelimit_free(struct ratelimit *rl);
/* Forgets every count (control-plane reset). */
void ratelimit_reset(struct ratelimit *rl);

/*
 * Counts one call of app on waba at now (seconds, emulator clock); active
 * selects the higher limit.  A refused call is not counted.  Fills *u.
 */
void ratelimit_hit(struct ratelimit *rl, int64_t app, int64_t waba, bool active,
    int64_t now, struct rl_usage *u);
/* Counts one app-level call (X-App-Usage) and fills *u, never throttles. */
void ratelimit_app_hit(struct ratelimit *rl, int64_t app, int64_t now,
    struct rl_usage *u);
/*
 * Takes one message of phone's throughput (per_second messages in each
 * second of the clock, Cloud API's 130429): true when it may be sent.
 */
bool ratelimit_send(struct ratelimit *rl, int64_t phone, int64_t now,
    long per_second);
/* Calls refused so far (metrics). */
uint64_t ratelimit_throttled(const struct ratelimit *rl);

/*
 * The usage headers' values, written into out.  The longest, with every
 * number at its widest (20 characters for the id, 11 for each int), is 191
 * bytes with its NUL.
 */
#define RL_HEADER_SIZE 256
/* {"<waba>":[{"type":"whatsapp_business_management",...}]} */
void ratelimit_buc_header(char out[RL_HEADER_SIZE], int64_t waba,
    const struct rl_usage *u);
/* {"call_count":P,"total_cputime":P,"total_time":P} */
void ratelimit_app_header(char out[RL_HEADER_SIZE], const struct rl_usage *u);

#endif
