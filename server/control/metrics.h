/*
 * metrics.h - what GET /_emulator/metrics reports: Graph requests by route
 * and status, errors by code, and gauges read from the other modules.
 */
#ifndef WABA_METRICS_H
#define WABA_METRICS_H

struct request;
struct emu;
struct metrics;

/* A new, empty set of counters; metrics_free() releases it. */
struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);
/* Counts a finished Graph request for /_emulator/metrics. */
void metrics_count(const struct request *rq);
/* The Prometheus text of emu's counters and gauges; the caller frees it. */
char *metrics_text(struct emu *emu);

#endif
