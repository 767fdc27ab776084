/*
 * timefmt.h - unix times written for people, in the forms Graph's own
 * messages use.
 */
#ifndef WABA_TIMEFMT_H
#define WABA_TIMEFMT_H

#include <stdint.h>

/* "Saturday, 29-Jun-24 09:00:00 PDT" for a unix time; buf >= 48 bytes. */
void timefmt_pacific(int64_t t, char *buf, unsigned long len);

#endif
