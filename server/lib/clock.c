/*
 * clock.c - see clock.h.
 */
#include "clock.h"

#include <time.h>

static int64_t
system_now_us(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

const struct clock_source clock_system = { system_now_us, NULL };

void
clock_init(struct clock *c, const struct clock_source *src)
{
	c->src = *src;
	c->offset_us = 0;
}

int64_t
clock_now_us(const struct clock *c)
{
	return c->src.now_us(c->src.ctx) + c->offset_us;
}

int64_t
clock_now(const struct clock *c)
{
	return clock_now_us(c) / 1000000;
}

void
clock_advance(struct clock *c, int64_t seconds)
{
	c->offset_us += seconds * 1000000;
}

void
clock_set(struct clock *c, int64_t unix_seconds)
{
	c->offset_us = unix_seconds * 1000000 - c->src.now_us(c->src.ctx);
}

int64_t
clock_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
