/*
 * ratelimit.c - the business-use-case limiter (see ratelimit.h).
 *
 * Each (app, WABA) key keeps its calls as runs of (second, count) in time
 * order.  A call at t counts for every "now" in (t - window, t], so the
 * boundary is exact to the second, and a burst within one second costs one
 * run, not one timestamp per call: a key never holds more runs than
 * min(limit, window) for the business limit, or than window seconds for the
 * app-level counter.  Keys whose window has emptied are swept out before
 * the map grows, so memory follows the number of keys active in the last
 * window, not all keys ever seen.
 *
 * The usage percentages are deterministic so tests can assert them:
 *	call_count    = floor(100 * used / limit), at most 100;
 *	                100 when the call is refused
 *	total_cputime = call_count / 2
 *	total_time    = call_count / 3
 * estimated_time_to_regain_access is the minutes, rounded up and at least
 * one, until enough counted calls leave the window for one more to pass.
 *
 * Not here: which calls count and what a refused call answers (pipeline).
 */
#include "ratelimit.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Calls counted in one second. */
struct rl_run {
	int64_t t;
	uint32_t n;
};

/* One counted key: a ring of runs, oldest at head. */
struct rl_key {
	int64_t app;
	int64_t waba;
	struct rl_run *runs;
	size_t head; /* index of the oldest run */
	size_t nruns;
	size_t cap;
	uint64_t used;       /* sum of the runs' counts */
	struct rl_key *next; /* hash chain */
};

/* A chained hash map of keys; nslots is a power of two. */
struct rl_map {
	struct rl_key **slots;
	size_t nslots;
	size_t nkeys;
};

/* Numbers that may send in one second before ratelimit_send() looks
 * at a number's slot twice; a power of two. */
#define RL_SEND_SLOTS 1024
#define RL_SEND_PROBES 16

struct ratelimit {
	long limit;        /* calls per window for an ordinary WABA */
	long limit_active; /* ... for a WABA with a connected number */
	long window;       /* seconds */
	struct rl_map buc; /* (app, waba) */
	struct rl_map app; /* (app, 0): X-App-Usage */
	uint64_t throttled;
	/* messages per phone number in the current second of the clock: a
	 * slot whose second has passed is free (ratelimit_send()) */
	struct {
		int64_t phone, second;
		long n;
	} sends[RL_SEND_SLOTS];
};

#define RL_MIN_SLOTS 64

static void
rl_map_init(struct rl_map *m)
{
	m->nslots = RL_MIN_SLOTS;
	m->slots = xcalloc(m->nslots, sizeof(*m->slots));
	m->nkeys = 0;
}

static void
rl_key_free(struct rl_key *k)
{
	free(k->runs);
	free(k);
}

static void
rl_map_cleanup(struct rl_map *m)
{
	struct rl_key *k, *next;
	size_t i;

	for (i = 0; i < m->nslots; i++) {
		for (k = m->slots[i]; k != NULL; k = next) {
			next = k->next;
			rl_key_free(k);
		}
	}
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static size_t
rl_hash(int64_t app, int64_t waba)
{
	return (size_t)mix64((uint64_t)app ^ mix64((uint64_t)waba));
}

static struct rl_run *
rl_run_at(const struct rl_key *k, size_t i)
{
	return &k->runs[(k->head + i) % k->cap];
}

/* Drops the runs that have left the window ending at now. */
static void
rl_key_expire(struct rl_key *k, long window, int64_t now)
{
	struct rl_run *r;

	while (k->nruns > 0) {
		r = rl_run_at(k, 0);
		if (r->t > now - window)
			break;
		k->used -= r->n;
		k->head = (k->head + 1) % k->cap;
		k->nruns--;
	}
	if (k->nruns == 0)
		k->head = 0;
}

/*
 * Counts one call at now.  The runs stay in time order even if the clock
 * was set back: such a call joins the newest run, so it leaves the window
 * no earlier than the calls already counted.
 */
static void
rl_key_add(struct rl_key *k, int64_t now)
{
	struct rl_run *r;
	size_t i;
	struct rl_run *grown;

	if (k->nruns > 0) {
		r = rl_run_at(k, k->nruns - 1);
		if (r->t >= now && r->n < UINT32_MAX) {
			r->n++;
			k->used++;
			return;
		}
	}
	if (k->nruns == k->cap) {
		/* unroll the ring into a bigger array, oldest first */
		grown = xmalloc((k->cap ? k->cap * 2 : 4) * sizeof(*grown));
		for (i = 0; i < k->nruns; i++)
			grown[i] = *rl_run_at(k, i);
		free(k->runs);
		k->runs = grown;
		k->cap = k->cap ? k->cap * 2 : 4;
		k->head = 0;
	}
	r = &k->runs[(k->head + k->nruns) % k->cap];
	r->t = k->nruns > 0 && rl_run_at(k, k->nruns - 1)->t > now ?
	    rl_run_at(k, k->nruns - 1)->t :
	    now;
	r->n = 1;
	k->nruns++;
	k->used++;
}

/* Removes every key whose window is empty at now. */
static void
rl_map_sweep(struct rl_map *m, long window, int64_t now)
{
	struct rl_key **pp, *k;
	size_t i;

	for (i = 0; i < m->nslots; i++) {
		pp = &m->slots[i];
		while ((k = *pp) != NULL) {
			rl_key_expire(k, window, now);
			if (k->nruns == 0) {
				*pp = k->next;
				rl_key_free(k);
				m->nkeys--;
			} else {
				pp = &k->next;
			}
		}
	}
}

static void
rl_map_rehash(struct rl_map *m, size_t nslots)
{
	struct rl_key **slots = xcalloc(nslots, sizeof(*slots));
	struct rl_key *k, *next;
	size_t i, h;

	for (i = 0; i < m->nslots; i++) {
		for (k = m->slots[i]; k != NULL; k = next) {
			next = k->next;
			h = rl_hash(k->app, k->waba) & (nslots - 1);
			k->next = slots[h];
			slots[h] = k;
		}
	}
	free(m->slots);
	m->slots = slots;
	m->nslots = nslots;
}

/*
 * Finds the key, creating it when absent.  Before the map would exceed
 * one key per slot, stale keys are swept; it only doubles when the sweep
 * left it at least three quarters full, so sweeps stay amortised.
 */
static struct rl_key *
rl_map_get(struct rl_map *m, int64_t app, int64_t waba, long window,
    int64_t now)
{
	struct rl_key *k;
	size_t h = rl_hash(app, waba) & (m->nslots - 1);

	for (k = m->slots[h]; k != NULL; k = k->next)
		if (k->app == app && k->waba == waba)
			return k;
	if (m->nkeys + 1 > m->nslots) {
		rl_map_sweep(m, window, now);
		if (m->nkeys + 1 > m->nslots / 4 * 3)
			rl_map_rehash(m, m->nslots * 2);
		h = rl_hash(app, waba) & (m->nslots - 1);
	}
	k = xcalloc(1, sizeof(*k));
	k->app = app;
	k->waba = waba;
	k->next = m->slots[h];
	m->slots[h] = k;
	m->nkeys++;
	return k;
}

struct ratelimit *
ratelimit_new(long limit, long limit_active, long window_seconds)
{
	struct ratelimit *rl = xcalloc(1, sizeof(*rl));

	/* a zero limit or window would divide by zero; config rejects them */
	rl->limit = limit > 0 ? limit : 1;
	rl->limit_active = limit_active > 0 ? limit_active : 1;
	rl->window = window_seconds > 0 ? window_seconds : 1;
	rl_map_init(&rl->buc);
	rl_map_init(&rl->app);
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	rl_map_cleanup(&rl->buc);
	rl_map_cleanup(&rl->app);
	free(rl);
}

/* The throttled counter survives: metrics counters only go up. */
void
ratelimit_reset(struct ratelimit *rl)
{
	rl_map_cleanup(&rl->buc);
	rl_map_cleanup(&rl->app);
	rl_map_init(&rl->buc);
	rl_map_init(&rl->app);
	memset(rl->sends, 0, sizeof(rl->sends));
}

bool
ratelimit_send(struct ratelimit *rl, int64_t phone, int64_t now,
    long per_second)
{
	size_t h = (size_t)mix64((uint64_t)phone), i, k, spare = SIZE_MAX;

	for (i = 0; i < RL_SEND_PROBES; i++) {
		k = (h + i) & (RL_SEND_SLOTS - 1);
		if (rl->sends[k].phone == phone && rl->sends[k].second == now) {
			if (rl->sends[k].n >= per_second)
				return false;
			rl->sends[k].n++;
			return true;
		}
		if (spare == SIZE_MAX &&
		    (rl->sends[k].phone == phone ||
		        rl->sends[k].second != now || rl->sends[k].n == 0))
			spare = k;
	}
	/* more numbers sent this second than the probes reach: let it go
	 * rather than refuse a number that has not sent */
	if (spare == SIZE_MAX)
		return true;
	rl->sends[spare].phone = phone;
	rl->sends[spare].second = now;
	rl->sends[spare].n = 1;
	return per_second >= 1;
}

static int
rl_percent(uint64_t used, long limit)
{
	uint64_t p = used * 100 / (uint64_t)limit;

	return p > 100 ? 100 : (int)p;
}

static void
rl_fill(struct rl_usage *u, int percent)
{
	u->call_count = percent;
	u->total_cputime = percent / 2;
	u->total_time = percent / 3;
}

/*
 * Minutes until the key may make one more call: the (used - limit + 1)th
 * oldest counted call must leave the window.  used may exceed the limit
 * when a WABA lost its connected number and fell back to the lower limit.
 */
static int
rl_regain_minutes(const struct rl_key *k, long limit, long window, int64_t now)
{
	uint64_t need = k->used - (uint64_t)limit + 1, seen = 0;
	const struct rl_run *r = NULL;
	int64_t secs, mins;
	size_t i;

	assert(k->used >= (uint64_t)limit && k->nruns > 0);
	for (i = 0; i < k->nruns; i++) {
		r = rl_run_at(k, i);
		seen += r->n;
		if (seen >= need)
			break;
	}
	secs = r->t + window - now;
	mins = (secs + 59) / 60;
	return mins < 1 ? 1 : (mins > INT32_MAX ? INT32_MAX : (int)mins);
}

void
ratelimit_hit(struct ratelimit *rl, int64_t app, int64_t waba, bool active,
    int64_t now, struct rl_usage *u)
{
	long limit = active ? rl->limit_active : rl->limit;
	struct rl_key *k = rl_map_get(&rl->buc, app, waba, rl->window, now);

	memset(u, 0, sizeof(*u));
	rl_key_expire(k, rl->window, now);
	if (k->used >= (uint64_t)limit) {
		rl->throttled++;
		u->throttled = true;
		rl_fill(u, 100);
		u->regain_minutes = rl_regain_minutes(k, limit, rl->window,
		    now);
		return;
	}
	rl_key_add(k, now);
	rl_fill(u, rl_percent(k->used, limit));
}

void
ratelimit_app_hit(struct ratelimit *rl, int64_t app, int64_t now,
    struct rl_usage *u)
{
	struct rl_key *k = rl_map_get(&rl->app, app, 0, rl->window, now);

	memset(u, 0, sizeof(*u));
	rl_key_expire(k, rl->window, now);
	rl_key_add(k, now);
	rl_fill(u, rl_percent(k->used, rl->limit_active));
}

uint64_t
ratelimit_throttled(const struct ratelimit *rl)
{
	return rl->throttled;
}

/* Appends a string literal at p; the end of what was written. */
#define PUT(p, lit) \
	((char *)memcpy((p), (lit), sizeof(lit) - 1) + sizeof(lit) - 1)

/*
 * Every value is a number, so plain appending is exact JSON.  Written in
 * place: the header goes out with every counted call.
 */
static char *
usage_fields(char *p, const struct rl_usage *u)
{
	p = PUT(p, "\"call_count\":");
	p = put_decimal(p, u->call_count);
	p = PUT(p, ",\"total_cputime\":");
	p = put_decimal(p, u->total_cputime);
	p = PUT(p, ",\"total_time\":");
	return put_decimal(p, u->total_time);
}

void
ratelimit_buc_header(char out[RL_HEADER_SIZE], int64_t waba,
    const struct rl_usage *u)
{
	char *p = out;

	p = PUT(p, "{\"");
	p = put_decimal(p, waba);
	p = PUT(p, "\":[{\"type\":\"whatsapp_business_management\",");
	p = usage_fields(p, u);
	p = PUT(p, ",\"estimated_time_to_regain_access\":");
	p = put_decimal(p, u->regain_minutes);
	p = PUT(p, "}]}");
	*p = '\0';
}

void
ratelimit_app_header(char out[RL_HEADER_SIZE], const struct rl_usage *u)
{
	char *p = out;

	*p++ = '{';
	p = usage_fields(p, u);
	*p++ = '}';
	*p = '\0';
}
