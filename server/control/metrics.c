/*
 * metrics.c - the counters behind GET /_emulator/metrics and their
 * Prometheus text.  A row per (route, status) seen and one per Graph
 * error code; the gauges (throttled calls, journal size, store size,
 * uptime, deliveries) are read from their owners when the page is asked
 * for, so counting a request costs no store query.
 */
#include "metrics.h"

#include <stdint.h>
#include <stdlib.h>

#include "clock.h"
#include "emu.h"
#include "gerr.h"
#include "journal.h"
#include "objects.h"
#include "ratelimit.h"
#include "request.h"
#include "route.h"
#include "store.h"
#include "util.h"
#include "webhooks/deliver.h"

struct metric_row {
	const struct route *route; /* NULL: no route matched */
	int status;
	uint64_t count;
};

struct metrics {
	struct metric_row *rows;
	size_t n;
	struct {
		int code;
		uint64_t count;
	} errors[64];
	size_t nerrors;
};

struct metrics *
metrics_new(void)
{
	return xcalloc(1, sizeof(struct metrics));
}

void
metrics_free(struct metrics *m)
{
	free(m->rows);
	free(m);
}

void
metrics_count(const struct request *rq)
{
	struct metrics *m = rq->emu->metrics;
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		if (m->rows[i].route == rq->route &&
		    m->rows[i].status == rq->resp.status)
			break;
	if (i == m->n) {
		m->rows = xrealloc(m->rows, (m->n + 1) * sizeof(*m->rows));
		m->rows[m->n].route = rq->route;
		m->rows[m->n].status = rq->resp.status;
		m->rows[m->n].count = 0;
		m->n++;
	}
	m->rows[i].count++;
	if (rq->err.id == GE_NONE)
		return;
	for (i = 0; i < m->nerrors; i++)
		if (m->errors[i].code == gerr_code(&rq->err))
			break;
	if (i == m->nerrors) {
		if (m->nerrors == sizeof(m->errors) / sizeof(m->errors[0]))
			return;
		m->errors[i].code = gerr_code(&rq->err);
		m->errors[i].count = 0;
		m->nerrors++;
	}
	m->errors[i].count++;
}

static const char *
node_label(enum node_type t)
{
	const struct obj_type *ot = objects_of_node(t);

	return ot != NULL && ot->label != NULL ? ot->label : "";
}

char *
metrics_text(struct emu *emu)
{
	struct metrics *m = emu->metrics;
	struct sbuf sb = SBUF_INIT;
	size_t i;

	sbuf_addstr(&sb,
	    "# HELP waba_emulator_requests_total Graph requests "
	    "by route and HTTP status.\n"
	    "# TYPE waba_emulator_requests_total counter\n");
	for (i = 0; i < m->n; i++) {
		const struct route *r = m->rows[i].route;

		if (r == NULL)
			sbuf_addstr(&sb,
			    "waba_emulator_requests_total"
			    "{route=\"unmatched\"");
		else
			sbuf_addf(&sb,
			    "waba_emulator_requests_total"
			    "{route=\"%s /%s%s%s\"",
			    r->method, node_label(r->node),
			    r->edge && r->node != NODE_ROOT ? "/" : "",
			    r->edge ? r->edge : "");
		sbuf_addf(&sb, ",status=\"%d\"} %llu\n", m->rows[i].status,
		    (unsigned long long)m->rows[i].count);
	}
	sbuf_addstr(&sb,
	    "# HELP waba_emulator_errors_total Graph errors by "
	    "code.\n# TYPE waba_emulator_errors_total counter\n");
	for (i = 0; i < m->nerrors; i++)
		sbuf_addf(&sb, "waba_emulator_errors_total{code=\"%d\"} %llu\n",
		    m->errors[i].code, (unsigned long long)m->errors[i].count);
	sbuf_addf(&sb,
	    "# HELP waba_emulator_throttled_total Calls refused by "
	    "the business-use-case limit.\n"
	    "# TYPE waba_emulator_throttled_total counter\n"
	    "waba_emulator_throttled_total %llu\n",
	    (unsigned long long)(emu->rl ? ratelimit_throttled(emu->rl) : 0));
	sbuf_addf(&sb,
	    "# HELP waba_emulator_journal_entries Requests held in "
	    "the journal.\n# TYPE waba_emulator_journal_entries gauge\n"
	    "waba_emulator_journal_entries %zu\n",
	    emu->journal ? journal_size(emu->journal) : 0);
	sbuf_addf(&sb,
	    "# HELP waba_emulator_store_bytes Size of the SQLite "
	    "store.\n# TYPE waba_emulator_store_bytes gauge\n"
	    "waba_emulator_store_bytes %lld\n",
	    (long long)store_size_bytes(emu->store));
	sbuf_addf(&sb,
	    "# HELP waba_emulator_uptime_seconds Seconds since "
	    "start.\n# TYPE waba_emulator_uptime_seconds gauge\n"
	    "waba_emulator_uptime_seconds %.3f\n",
	    (double)(clock_mono_us() - emu->boot_us) / 1e6);
	deliver_metrics(emu->deliver, &sb);
	return sbuf_detach(&sb);
}
