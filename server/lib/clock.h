/*
 * clock.h - the emulator clock: the one seam through which time enters.
 * Tokens expire, rate-limit windows roll and creation times are stamped on
 * it; the control plane moves it, unit tests replace its source.
 */
#ifndef WABA_CLOCK_H
#define WABA_CLOCK_H

#include <stdint.h>

struct clock_source {
	int64_t (*now_us)(void *ctx); /* microseconds since the epoch */
	void *ctx;
};

struct clock {
	struct clock_source src;
	int64_t offset_us; /* added to the source: advance / set */
};

extern const struct clock_source clock_system;

void clock_init(struct clock *c, const struct clock_source *src);
int64_t clock_now(const struct clock *c); /* seconds */
int64_t clock_now_us(const struct clock *c);
void clock_advance(struct clock *c, int64_t seconds);
void clock_set(struct clock *c, int64_t unix_seconds);
/* Real (monotonic) microseconds, for durations only. */
int64_t clock_mono_us(void);

#endif
