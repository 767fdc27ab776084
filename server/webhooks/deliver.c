/*
 * deliver.c - see deliver.h.  One attempt: read the oldest due delivery
 * under emu->lock, build and sign the envelope without it, POST it with
 * libcurl (loaded at the first attempt, webhooks/curl.h; 5 s for
 * everything), then record the outcome under the lock: a 2xx delivers,
 * anything else is retried after deliver_backoff() until DELIVER_GIVE_UP,
 * a host outside the allow rule fails at once, uncalled.
 *
 * A delivery stays pending until its attempt is recorded, so one cut short
 * by a crash is sent again at the next start (at least once).
 */
#include "webhooks/deliver.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "emu.h"
#include "faults.h"
#include "events.h"
#include "pjson.h"
#include "util.h"
#include "messages/life.h"
#include "webhooks/allow.h"
#include "webhooks/curl.h"
#include "webhooks/handshake.h"
#include "webhooks/outbox.h"
#include "webhooks/sign.h"

/* Longest idle sleep: a bound, not a schedule (wake-ups do the work). */
#define IDLE_MAX 3600

enum outcome {
	OUT_DELIVERED,
	OUT_RETRY,
	OUT_FAILED,
	OUT__COUNT
};
static const char *const outcome_names[OUT__COUNT] = { "delivered", "retry",
	"failed" };

struct counter {
	char *field;
	uint64_t n[OUT__COUNT];
};

struct deliver {
	struct emu *emu;
	pthread_t thread;
	pthread_mutex_t mu; /* guards wakes and stop only */
	pthread_cond_t cv;
	uint64_t wakes;
	bool stop;
	CURL *curl; /* the worker's; keeps the receiver's connection */
	struct counter *counters; /* under emu->lock */
	size_t ncounters;
};

int64_t
deliver_backoff(int nfailed)
{
	int64_t s = 15;

	while (--nfailed > 0 && s < 6 * 3600)
		s *= 2;
	return s < 6 * 3600 ? s : 6 * 3600;
}

void
deliver_wake(struct deliver *d)
{
	if (d == NULL)
		return;
	pthread_mutex_lock(&d->mu);
	d->wakes++;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
}

static void
wake_cb(void *ctx)
{
	deliver_wake(ctx);
}

static void
count(struct deliver *d, const char *field, enum outcome o)
{
	size_t i;

	for (i = 0; i < d->ncounters; i++)
		if (strcmp(d->counters[i].field, field) == 0)
			break;
	if (i == d->ncounters) {
		d->counters = xrealloc(d->counters,
		    (d->ncounters + 1) * sizeof(*d->counters));
		memset(&d->counters[i], 0, sizeof(d->counters[i]));
		d->counters[i].field = xstrdup(field);
		d->ncounters++;
	}
	d->counters[i].n[o]++;
}

void
deliver_metrics(struct deliver *d, struct sbuf *sb)
{
	size_t i;
	int o;

	sbuf_addstr(sb,
	    "# HELP waba_emu_webhook_deliveries_total Webhook "
	    "delivery attempts by field and outcome.\n"
	    "# TYPE waba_emu_webhook_deliveries_total counter\n");
	for (i = 0; d != NULL && i < d->ncounters; i++)
		for (o = 0; o < OUT__COUNT; o++)
			sbuf_addf(sb,
			    "waba_emu_webhook_deliveries_total"
			    "{field=\"%s\",outcome=\"%s\"} %llu\n",
			    d->counters[i].field, outcome_names[o],
			    (unsigned long long)d->counters[i].n[o]);
	sbuf_addf(sb,
	    "# HELP waba_emu_webhook_pending Webhook deliveries "
	    "waiting for an attempt.\n"
	    "# TYPE waba_emu_webhook_pending gauge\n"
	    "waba_emu_webhook_pending %ld\n",
	    d != NULL ? outbox_pending(d->emu->outbox) : 0L);
}

/* The envelope of the job's event, as the signed bytes; NULL if broken. */
static char *
envelope(const struct outbox_job *job, size_t *len)
{
	struct json_object *value = pjson_parse_strict(job->value,
	                       strlen(job->value)),
	                   *doc, *entry, *change, *arr;
	char id[24];
	char *body;

	if (value == NULL)
		return NULL;
	snprintf(id, sizeof(id), "%lld", (long long)job->waba);
	change = json_object_new_object();
	json_object_object_add(change, "value", value);
	json_object_object_add(change, "field",
	    json_object_new_string(job->field));
	arr = json_object_new_array();
	json_object_array_add(arr, change);
	entry = json_object_new_object();
	json_object_object_add(entry, "id", json_object_new_string(id));
	json_object_object_add(entry, "time",
	    json_object_new_int64(job->created_at));
	json_object_object_add(entry, "changes", arr);
	arr = json_object_new_array();
	json_object_array_add(arr, entry);
	doc = json_object_new_object();
	json_object_object_add(doc, "object",
	    json_object_new_string("whatsapp_business_account"));
	json_object_object_add(doc, "entry", arr);
	body = sign_body(doc, len);
	json_object_put(doc);
	return body;
}

static size_t
discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

/* POSTs body; the HTTP status (0: none) and *error (caller frees). */
static long
post(struct deliver *d, const char *url, const char *body, size_t len,
    const char *signature, char **error)
{
	char errbuf[CURL_ERROR_SIZE] = "", sig[SIGN_HEADER_LEN + 32];
	struct curl_slist *hdrs = NULL;
	const struct webhook_curl *c;
	const char *why = NULL;
	long status = 0;
	CURLcode cc;

	/* loaded and made on the first delivery: a server that never calls
	 * out never maps libcurl and the libraries it links */
	c = webhook_curl(&why);
	if (c != NULL && d->curl == NULL)
		d->curl = c->easy_init();
	if (d->curl == NULL) {
		*error = xasprintf("curl_errno = 2; %s",
		    why != NULL ? why : "curl could not start");
		return 0;
	}
	snprintf(sig, sizeof(sig), "X-Hub-Signature-256: %s", signature);
	hdrs = c->slist_append(hdrs, "Content-Type: application/json");
	hdrs = c->slist_append(hdrs, sig);
	hdrs = c->slist_append(hdrs, "Expect:");
	c->easy_reset(d->curl);
	c->easy_setopt(d->curl, CURLOPT_URL, url);
	c->easy_setopt(d->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	c->easy_setopt(d->curl, CURLOPT_FOLLOWLOCATION, 0L);
	c->easy_setopt(d->curl, CURLOPT_NOSIGNAL, 1L);
	c->easy_setopt(d->curl, CURLOPT_TIMEOUT, (long)WEBHOOK_TIMEOUT);
	c->easy_setopt(d->curl, CURLOPT_USERAGENT, WEBHOOK_USER_AGENT);
	c->easy_setopt(d->curl, CURLOPT_HTTPHEADER, hdrs);
	c->easy_setopt(d->curl, CURLOPT_POSTFIELDS, body);
	c->easy_setopt(d->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	c->easy_setopt(d->curl, CURLOPT_WRITEFUNCTION, discard);
	c->easy_setopt(d->curl, CURLOPT_ERRORBUFFER, errbuf);
	cc = c->easy_perform(d->curl);
	if (cc == CURLE_OK)
		c->easy_getinfo(d->curl, CURLINFO_RESPONSE_CODE, &status);
	else
		*error = xasprintf("curl_errno = %d; %s", (int)cc,
		    *errbuf ? errbuf : c->easy_strerror(cc));
	c->slist_free_all(hdrs);
	return status;
}

/* The attempt just recorded, for a dashboard watching the deliveries. */
static void
publish_attempt(struct emu *emu, const struct outbox_job *job, long status,
    const char *error, enum outcome o)
{
	static const char *const state[] = { "delivered", "pending", "failed" };
	struct json_object *e = json_object_new_object();
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)job->delivery);
	json_object_object_add(e, "delivery", json_object_new_string(id));
	json_object_object_add(e, "field", json_object_new_string(job->field));
	snprintf(id, sizeof(id), "%lld", (long long)job->waba);
	json_object_object_add(e, "waba", json_object_new_string(id));
	json_object_object_add(e, "attempt",
	    json_object_new_int(job->nattempts + 1));
	json_object_object_add(e, "status", json_object_new_int((int)status));
	json_object_object_add(e, "state", json_object_new_string(state[o]));
	if (error != NULL)
		json_object_object_add(e, "error",
		    json_object_new_string(error));
	events_publish_json(emu->events, "delivery", e);
}

/* One attempt of job; takes emu->lock only to record it. */
static void
attempt(struct deliver *d, struct outbox_job *job)
{
	struct emu *emu = d->emu;
	char *error = NULL, *body = NULL, sig[SIGN_HEADER_LEN];
	bool final = false, ok = false;
	int64_t t0 = clock_mono_us(), now, next = -1;
	size_t len = 0;
	long status = 0;
	enum outcome o;

	if (!allow_url(job->target, emu->env.webhook_allow,
	        emu->env.nwebhook_allow, &error))
		final = true;
	else if (job->secret == NULL) {
		error = xstrdup("the app no longer exists");
		final = true;
	} else if ((body = envelope(job, &len)) == NULL) {
		error = xstrdup("the event's value is not JSON");
		final = true;
	} else {
		struct fault_action fa;
		bool faulty = false;

		/* delivery fault rules (faults.h), drawn under the lock */
		pthread_mutex_lock(&emu->lock);
		if (emu->faults != NULL)
			faulty = faults_match_webhook(emu->faults, job->field,
			    &fa);
		pthread_mutex_unlock(&emu->lock);
		if (!faulty)
			memset(&fa, 0, sizeof(fa));
		if (fa.latency_ms > 0) {
			struct timespec ts = { (time_t)(fa.latency_ms / 1000),
				(long)(fa.latency_ms % 1000) * 1000000L };

			nanosleep(&ts, NULL);
		}
		/* another key signs it: a receiver must refuse it */
		sign_header(fa.wrong_signature ? "wrong-signature-fault" :
		                                 job->secret,
		    body, len, sig);
		if (fa.drop) {
			error = xasprintf("dropped by fault rule %lld",
			    (long long)fa.rule_id);
		} else {
			status = post(d, job->target, body, len, sig, &error);
			if (fa.duplicate && error == NULL) {
				char *e2 = NULL;

				(void)post(d, job->target, body, len, sig, &e2);
				free(e2);
			}
		}
		ok = status >= 200 && status < 300;
		if (!ok && error == NULL)
			error = xasprintf("HTTP status %ld", status);
	}
	pthread_mutex_lock(&emu->lock);
	now = clock_now(&emu->clock);
	if (ok) {
		o = OUT_DELIVERED;
	} else if (final) {
		o = OUT_FAILED;
	} else {
		next = now + deliver_backoff(job->nattempts + 1);
		if (next - job->queued_at > DELIVER_GIVE_UP) {
			next = -1;
			o = OUT_FAILED;
		} else {
			o = OUT_RETRY;
		}
	}
	if (outbox_record(emu->outbox, job->delivery, now, (int)status,
	        (clock_mono_us() - t0) / 1000, error, ok, next) == 0) {
		count(d, job->field, o);
		if (events_watched(emu->events))
			publish_attempt(emu, job, status, error, o);
	}
	pthread_mutex_unlock(&emu->lock);
	free(error);
	free(body);
}

static void *
run(void *arg)
{
	struct deliver *d = arg;
	struct emu *emu = d->emu;

	for (;;) {
		struct outbox_job job;
		int64_t now, next_at, wait, msg_due;
		uint64_t seen;
		bool moved;
		int rc;

		pthread_mutex_lock(&d->mu);
		seen = d->wakes;
		if (d->stop) {
			pthread_mutex_unlock(&d->mu);
			break;
		}
		pthread_mutex_unlock(&d->mu);

		pthread_mutex_lock(&emu->lock);
		now = clock_now(&emu->clock);
		/* message statuses come due on the clock, requests or not */
		moved = messages_sweep(emu);
		rc = outbox_next_due(emu->outbox, now, &job, &next_at);
		msg_due = messages_next_due(emu);
		/* emulator seconds pass as real ones until the clock moves,
		 * and moving it wakes us */
		wait = next_at < 0 || next_at - now > IDLE_MAX ? IDLE_MAX :
		                                                 next_at - now;
		if (rc < 0)
			wait = 1;
		/* more due now: again at once, unless the sweep failed */
		if (msg_due - now < wait)
			wait = msg_due > now ? msg_due - now : moved ? 0 : 1;
		/* a send due before this wake-up wakes us (message_accept()) */
		emu->msg_wake_at = rc == 1 ? now : now + wait;
		pthread_mutex_unlock(&emu->lock);
		if (rc == 1) {
			attempt(d, &job);
			outbox_job_cleanup(&job);
			continue;
		}
		if (wait == 0)
			continue;
		pthread_mutex_lock(&d->mu);
		if (!d->stop && d->wakes == seen) {
			struct timespec ts;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			ts.tv_sec += wait;
			pthread_cond_timedwait(&d->cv, &d->mu, &ts);
		}
		pthread_mutex_unlock(&d->mu);
	}
	return NULL;
}

struct deliver *
deliver_start(struct emu *emu)
{
	struct deliver *d = xcalloc(1, sizeof(*d));
	pthread_condattr_t ca;

	d->emu = emu;
	pthread_mutex_init(&d->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&d->thread, NULL, run, d) != 0) {
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		free(d);
		return NULL;
	}
	outbox_on_change(emu->outbox, wake_cb, d);
	return d;
}

void
deliver_stop(struct deliver *d)
{
	size_t i;

	if (d == NULL)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = true;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thread, NULL);
	outbox_on_change(d->emu->outbox, NULL, NULL);
	if (d->curl != NULL) /* made, so libcurl is loaded */
		webhook_curl(NULL)->easy_cleanup(d->curl);
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	for (i = 0; i < d->ncounters; i++)
		free(d->counters[i].field);
	free(d->counters);
	free(d);
	webhook_curl_cleanup();
}
