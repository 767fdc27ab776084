/*
 * control.h - the control plane under /_emulator (README): health,
 * reset, state export/import, fixtures, tokens, clock, faults, the request
 * journal and metrics (metrics.h).  JSON in and out; its errors are
 * {"error":{"message","field"}} with plain HTTP statuses, never Graph ones.
 */
#ifndef WABA_CONTROL_H
#define WABA_CONTROL_H

struct request;
struct emu;

/* Answers a /_emulator request into rq->resp (emu->lock held). */
void control_handle(struct request *rq);

#endif
